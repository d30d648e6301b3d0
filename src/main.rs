use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use warmup::config::Settings;
use warmup::startup::Application;
use warmup::{database, install_crypto_provider};

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
    init_tracing(&settings.log);
    install_crypto_provider();
    match command {
        Command::Migrate => {
            let db = database::connect(&settings).await?;
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
            let db = database::connect(&settings).await?;
            database::ensure_current(&db).await?;
            let clock = warmup_entity::Clock::anchored(&db, settings.clock_speedup).await?;
            let options = warmup::startup::worker_options(&settings, secrets, tls, clock)?;
            println!("warmup worker running; stop it with Ctrl-C or SIGTERM");
            warmup_worker::run_until(db, options, shutdown_signal()).await?;
        }
        Command::Serve | Command::Api | Command::Openapi => {
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
                    app.db().clone(),
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
