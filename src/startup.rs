//! Building the application from settings: database, key, bootstrap organization, HTTP server.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::web;
use sea_orm::DatabaseConnection;
use warmup_api::metrics::MetricsToken;
use warmup_api::{ApiSettings, AppState};
use warmup_domain::retry::RetryPolicy;
use warmup_entity::Clock;
use warmup_entity::store::organizations;
use warmup_mail::diagnose::DiagnoseOptions;
use warmup_mail::dns::Resolvers;
use warmup_mail::health::HealthOptions;
use warmup_mail::{AuthVerifier, ConnectOptions, TlsTrust};
use warmup_worker::{SendDeps, WorkerOptions};

use crate::config::Settings;
use crate::{database, secret_key};

/// A built, not yet running, application.
pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
    worker: WorkerOptions,
    settings: Settings,
}

/// The worker's options from the settings: the clock, the keys and trust it sends with.
pub fn worker_options(
    settings: &Settings,
    secrets: warmup_entity::secret_box::SecretBox,
    tls: TlsTrust,
    clock: Clock,
) -> anyhow::Result<WorkerOptions> {
    // Settings built in code (tests, embedders) are held to the same rules as loaded ones.
    settings.check()?;
    let auth = AuthVerifier::new(&settings.dns_servers)
        .map_err(|e| anyhow::anyhow!("cannot set up the DNS resolver for SPF/DKIM/DMARC: {e}"))?;
    Ok(WorkerOptions {
        warmup: Some(SendDeps {
            clock,
            secrets,
            tls,
            retry: RetryPolicy::default(),
            connect: ConnectOptions {
                helo_name: settings.helo_name.clone(),
                allow_private_hosts: settings.allow_private_mail_hosts,
                ..ConnectOptions::with_step_timeout(Duration::from_secs(settings.smtp_timeout_secs))
            },
            auth,
            missing_after: Duration::from_secs(settings.missing_after_secs),
            seed_max_splits: settings.seed_max_splits,
            resolvers: Resolvers::new(&settings.dns_servers)
                .map_err(|e| anyhow::anyhow!("cannot set up the DNS resolvers: {e}"))?,
            health: health_options(settings),
        }),
        ..WorkerOptions::default()
    })
}

/// The troubleshooter's options from the settings: a step may take the connection test's
/// step time up to 10 s, a connection try up to 5 s, so that a diagnosis ends within about a
/// minute and a half whatever the servers do.
pub fn diagnose_options(settings: &Settings) -> DiagnoseOptions {
    let step = Duration::from_secs(settings.probe_timeout_secs.clamp(1, 10));
    DiagnoseOptions {
        ports: settings.diagnose_ports,
        timeout: step,
        connect_timeout: step.min(Duration::from_secs(5)),
        helo_name: settings.helo_name.clone(),
        allow_private_hosts: settings.allow_private_mail_hosts,
        probe: None,
    }
}

/// Domain health's options from the settings: the blocklists, and the troubleshooter's relay
/// port and connection time limit for the MX check.
pub fn health_options(settings: &Settings) -> HealthOptions {
    let d = diagnose_options(settings);
    HealthOptions {
        ip_lists: settings.dnsbl_ip.clone(),
        domain_lists: settings.dnsbl_domain.clone(),
        relay_port: d.ports.relay,
        https_port: settings.mta_sts_port,
        connect_timeout: d.connect_timeout,
        helo_name: d.helo_name,
        allow_private_hosts: d.allow_private_hosts,
    }
}

/// What the first start created, to tell the operator once.
pub struct Bootstrap {
    pub organization: String,
    /// Present when the key was generated (not taken from `WARMUP_BOOTSTRAP_API_KEY`).
    pub generated_key: Option<String>,
}

/// Creates the first organization with a platform-admin key when there is none.
pub async fn bootstrap(
    db: &DatabaseConnection,
    settings: &Settings,
    clock: &Clock,
) -> anyhow::Result<Option<Bootstrap>> {
    let created =
        organizations::bootstrap(db, settings.bootstrap_api_key.clone(), clock.now()).await?;
    Ok(created.map(|(org, key)| Bootstrap {
        organization: org.id.to_string(),
        generated_key: settings
            .bootstrap_api_key
            .is_none()
            .then_some(key.plaintext),
    }))
}

/// Tells the operator what the first start created.
pub fn announce(b: &Bootstrap) {
    match &b.generated_key {
        // Printed, never logged: this is the only time the key exists in clear.
        Some(key) => println!(
            "Created the first organization ({}) with a platform administrator API key.\n\
             It is shown only this once:\n\n    {key}\n",
            b.organization
        ),
        None => println!(
            "Created the first organization ({}) with the API key from \
             WARMUP_BOOTSTRAP_API_KEY.",
            b.organization
        ),
    }
}

impl Application {
    /// Opens the database, migrates it (or, with `migrate` false, checks that it is current),
    /// bootstraps it and binds the listener.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        Self::build_with(settings, true).await
    }

    /// [`Application::build`] with the choice to migrate or only check the schema: `serve`
    /// migrates and runs a worker beside its API, so on Postgres its API's pool holds half of
    /// the process's connections and the worker's ([`Application::worker_db`]) the rest; an
    /// `api` process only checks and holds them all.
    pub async fn build_with(settings: &Settings, migrate: bool) -> anyhow::Result<Self> {
        let secrets = secret_key::load(settings)?;
        let tls = TlsTrust::load(settings.extra_ca_file.as_deref())?;
        let share = if migrate {
            database::Share::Half
        } else {
            database::Share::Whole
        };
        let db = database::connect(settings, database::Role::Api, share).await?;
        if migrate {
            database::migrate(&db).await?;
        } else {
            database::ensure_current(&db).await?;
        }
        // The one `serve` process owns its database, clock included; `api` processes join it.
        let clock = if migrate {
            Clock::anchored_at_speed(&db, settings.clock_speedup).await?
        } else {
            Clock::anchored(&db, settings.clock_speedup).await?
        };
        if let Some(b) = bootstrap(&db, settings, &clock).await? {
            announce(&b);
        }
        let listener = TcpListener::bind(&settings.listen)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
        let port = listener.local_addr()?.port();
        let api = ApiSettings {
            body_limit: settings.body_limit_bytes,
            rate_limit_per_minute: settings.rate_limit_per_minute,
            rate_limit_org_multiple: settings.rate_limit_org_multiple,
            rate_limit_unauthenticated_per_minute: settings.rate_limit_unauthenticated_per_minute,
            max_api_keys_per_org: settings.max_api_keys_per_org,
            metrics_token: settings.metrics_token.as_deref().map(MetricsToken::new),
            require_mailbox_verification: settings.require_mailbox_verification,
            seed_max_splits: settings.seed_max_splits,
            missing_after: Duration::from_secs(settings.missing_after_secs),
            probe: ConnectOptions {
                helo_name: settings.helo_name.clone(),
                allow_private_hosts: settings.allow_private_mail_hosts,
                ..ConnectOptions::with_step_timeout(Duration::from_secs(
                    settings.probe_timeout_secs,
                ))
            },
            diagnose: diagnose_options(settings),
            health: health_options(settings),
        };
        let worker = worker_options(settings, secrets.clone(), tls.clone(), clock)?;
        // The API shares the worker's resolvers and SPF verifier (and their caches): built once.
        let deps = worker
            .warmup
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("the worker's options lack their dependencies"))?;
        let (resolvers, auth) = (deps.resolvers.clone(), deps.auth.clone());
        let state = web::Data::new(AppState::new(
            db.clone(),
            secrets,
            tls,
            resolvers,
            auth,
            api,
            clock,
        ));
        let server = warmup_api::serve(listener, state, settings.http_workers)?;
        Ok(Self {
            port,
            server,
            db,
            worker,
            settings: settings.clone(),
        })
    }

    /// The bound port (useful when listening on port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle that stops the server gracefully.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// How this application's background worker runs (same clock and keys as the API).
    pub fn worker_options(&self) -> WorkerOptions {
        self.worker.clone()
    }

    /// The database connection the application uses.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// A connection for a worker beside this API in the same process: on SQLite the API's own
    /// (one pool keeps the one writer's queue in one place), on Postgres a pool of its own
    /// whose statements may keep generic plans ([`database::Role::Worker`]), with half of the
    /// process's connections.
    pub async fn worker_db(&self) -> anyhow::Result<DatabaseConnection> {
        if self.settings.is_sqlite() {
            Ok(self.db.clone())
        } else {
            database::connect(
                &self.settings,
                database::Role::Worker,
                database::Share::OtherHalf,
            )
            .await
        }
    }

    /// Serves until the process is told to stop (SIGINT/SIGTERM).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
