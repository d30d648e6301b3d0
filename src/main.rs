use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use warmup::config::Settings;
use warmup::startup::Application;
use warmup::{database, install_crypto_provider};

/// glibc's allocator kept what a planning round had freed: a service that had planned 10,000
/// mailboxes' day held over 250 MB while its live heap was a fraction of it, spread over an
/// arena per thread. jemalloc (for SQLite's allocations too) gives freed memory back within
/// seconds, from a thread of its own (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Self-hostable email warmup and deliverability service.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// TOML configuration file (also `WARMUP_CONFIG`).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API and the background work in one process (the default).
    Serve,
    /// Run only the HTTP API (scale-out on Postgres).
    Api,
    /// Run only the background jobs (scale-out on Postgres).
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Diagnose why mail to a domain (or one server) fails: DNS with every resolver, ports
    /// 25/465/587, greeting, EHLO, STARTTLS and certificate, and a verdict with the fix.
    /// Exits with 2 when the verdict is "failed".
    Diagnose(DiagnoseArgs),
}

#[derive(clap::Args)]
struct DiagnoseArgs {
    /// The mail domain (example.com); or give --host.
    #[arg(required_unless_present = "host", conflicts_with = "host")]
    domain: Option<String>,
    /// One mail server (host name or IP address) instead of a domain's MX hosts.
    #[arg(long)]
    host: Option<String>,
    /// The port of --host.
    #[arg(long, default_value_t = 25, requires = "host")]
    port: u16,
    /// Offer MAIL FROM with this sender ("" for the null sender) and RCPT TO --rcpt-to,
    /// never DATA.
    #[arg(long, requires = "rcpt_to")]
    mail_from: Option<String>,
    /// The recipient for the MAIL FROM/RCPT TO probe.
    #[arg(long, requires = "mail_from")]
    rcpt_to: Option<String>,
    /// Print the API's JSON document instead of text.
    #[arg(long)]
    json: bool,
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn init_tracing(level: &str) {
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(level));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        print!("{}", warmup_api::docs::openapi_json());
        return Ok(());
    }
    let settings = Settings::load(cli.config.as_deref())?;
    install_crypto_provider();
    if let Command::Diagnose(args) = command {
        // Quiet unless asked: the diagnosis itself is the output.
        init_tracing(std::env::var("RUST_LOG").as_deref().unwrap_or("warn"));
        return diagnose(&settings, args).await;
    }
    init_tracing(&settings.log);
    match command {
        Command::Migrate => {
            let db = database::connect(&settings, database::Role::Worker, database::Share::Whole)
                .await?;
            database::migrate(&db).await?;
            // The database's clock runs at the configured speed from now on.
            let clock =
                warmup_entity::Clock::anchored_at_speed(&db, settings.clock_speedup).await?;
            if let Some(b) = warmup::startup::bootstrap(&db, &settings, &clock).await? {
                warmup::startup::announce(&b);
            }
            println!("database is up to date");
        }
        Command::Worker => {
            let secrets = warmup::secret_key::load(&settings)?;
            let tls = warmup_mail::TlsTrust::load(settings.extra_ca_file.as_deref())?;
            let db = database::connect(&settings, database::Role::Worker, database::Share::Whole)
                .await?;
            database::ensure_current(&db).await?;
            let clock = warmup_entity::Clock::anchored(&db, settings.clock_speedup).await?;
            let options = warmup::startup::worker_options(&settings, secrets, tls, clock)?;
            println!("warmup worker running; stop it with Ctrl-C or SIGTERM");
            warmup_worker::run_until(db, options, shutdown_signal()).await?;
        }
        Command::Serve | Command::Api | Command::Openapi | Command::Diagnose(_) => {
            // One `serve` process owns its database and migrates it; `api` processes of a
            // scale-out deployment leave that to `warmup migrate`.
            let migrate = matches!(command, Command::Serve);
            let app = Application::build_with(&settings, migrate).await?;
            if let Some(path) = settings.sqlite_path() {
                println!("data: SQLite database {}", path.display());
            }
            let host = settings
                .listen
                .rsplit_once(':')
                .map_or("127.0.0.1", |(h, _)| h);
            println!(
                "warmup listening on http://{host}:{port}  (API docs: http://{host}:{port}/docs, OpenAPI: http://{host}:{port}/openapi.json)",
                port = app.port()
            );
            if migrate {
                // The embedded default runs the background jobs beside the API and stops them
                // when the API stops (actix handles SIGINT and SIGTERM).
                let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
                let worker = tokio::spawn(warmup_worker::run_until(
                    app.worker_db().await?,
                    app.worker_options(),
                    async move {
                        let _ = stopped.await;
                    },
                ));
                let served = app.run_until_stopped().await;
                let _ = stop.send(());
                worker.await??;
                served?;
            } else {
                app.run_until_stopped().await?;
            }
        }
    }
    Ok(())
}

async fn diagnose(settings: &Settings, args: DiagnoseArgs) -> anyhow::Result<()> {
    use warmup_mail::diagnose::{Probe, Target};
    let target = match (args.domain, args.host) {
        (Some(d), _) => Target::Domain(
            warmup_domain::mail_server::parse_domain_name(&d)
                .ok_or_else(|| anyhow::anyhow!("{d:?} is not a domain name such as example.com"))?,
        ),
        (None, Some(h)) => Target::Host {
            host: h.trim().trim_end_matches('.').to_ascii_lowercase(),
            port: args.port,
        },
        (None, None) => anyhow::bail!("give a domain or --host"),
    };
    let probe = match args.mail_from.zip(args.rcpt_to) {
        None => None,
        Some((mail_from, rcpt_to)) => {
            use warmup_domain::EmailAddress;
            // What goes into MAIL FROM and RCPT TO must be an address and nothing more.
            if !mail_from.is_empty() && EmailAddress::parse(&mail_from).is_err() {
                anyhow::bail!(
                    "--mail-from {mail_from:?} is not an email address (\"\" for the null sender)"
                );
            }
            if EmailAddress::parse(&rcpt_to).is_err() {
                anyhow::bail!("--rcpt-to {rcpt_to:?} is not an email address");
            }
            Some(Probe { mail_from, rcpt_to })
        }
    };
    let request = warmup::diagnose_cli::Request {
        target,
        probe,
        json: args.json,
    };
    let code = warmup::diagnose_cli::run(settings, request).await?;
    if code != 0 {
        std::process::exit(i32::from(code));
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
