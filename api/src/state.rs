//! What every handler shares.

use sea_orm::DatabaseConnection;
use warmup_entity::Clock;
use warmup_entity::secret_box::SecretBox;
use warmup_mail::diagnose::DiagnoseOptions;
use warmup_mail::dns::Resolvers;
use warmup_mail::health::HealthOptions;
use warmup_mail::{AuthVerifier, ConnectOptions, TlsTrust};

use crate::metrics::{Metrics, MetricsToken};
use crate::rate_limit::Limits;

/// Tunables of the HTTP API.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// Largest accepted JSON body, in bytes.
    pub body_limit: usize,
    /// Requests per API key per minute.
    pub rate_limit_per_minute: u32,
    /// An organization's requests per minute, all its keys together, as a multiple of the
    /// per-key limit.
    pub rate_limit_org_multiple: u32,
    /// Requests per minute from one client network without a valid API key.
    pub rate_limit_unauthenticated_per_minute: u32,
    /// Live API keys an organization may have.
    pub max_api_keys_per_org: u64,
    /// The token `/metrics` wants; without one, metrics are off.
    pub metrics_token: Option<MetricsToken>,
    /// A warmup starts only on a verified mailbox.
    pub require_mailbox_verification: bool,
    /// Seed-list splits one seed may be in.
    pub seed_max_splits: u32,
    /// Real time a rotated-out seed is still read for its split's mail.
    pub missing_after: std::time::Duration,
    /// Step timeout and EHLO name of connection tests.
    pub probe: ConnectOptions,
    /// Ports, time limits and EHLO name of the SMTP troubleshooter.
    pub diagnose: DiagnoseOptions,
    /// Blocklists, the relay port and time limits of domain health checks.
    pub health: HealthOptions,
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            body_limit: 64 * 1024,
            rate_limit_per_minute: 600,
            rate_limit_org_multiple: 4,
            rate_limit_unauthenticated_per_minute: 60,
            max_api_keys_per_org: 100,
            metrics_token: None,
            require_mailbox_verification: true,
            seed_max_splits: warmup_domain::seed_split::DEFAULT_MAX_SPLITS_PER_SEED,
            missing_after: std::time::Duration::from_secs(4 * 3600),
            probe: ConnectOptions::default(),
            diagnose: DiagnoseOptions::default(),
            health: HealthOptions::default(),
        }
    }
}

/// Diagnoses one API process runs at once.
pub const MAX_DIAGNOSES: usize = 8;

/// Shared state of the API.
pub struct AppState {
    pub db: DatabaseConnection,
    pub secrets: SecretBox,
    pub tls: TlsTrust,
    /// The service's own DNS resolvers (each, and as one pool).
    pub resolvers: Resolvers,
    /// SPF evaluation for domain health (mail-auth, on the same resolvers).
    pub auth: AuthVerifier,
    /// Diagnoses this process runs at once, at most (each may hold connections for a minute).
    pub diagnoses: std::sync::Arc<tokio::sync::Semaphore>,
    pub settings: ApiSettings,
    pub limits: Limits,
    pub metrics: Metrics,
    /// The database's clock, shared with the workers (scaled in tests and demos).
    pub clock: Clock,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        secrets: SecretBox,
        tls: TlsTrust,
        resolvers: Resolvers,
        auth: AuthVerifier,
        settings: ApiSettings,
        clock: Clock,
    ) -> Self {
        Self {
            limits: Limits::per_minute(
                settings.rate_limit_per_minute,
                settings.rate_limit_org_multiple,
                settings.rate_limit_unauthenticated_per_minute,
            ),
            metrics: Metrics::new(),
            db,
            secrets,
            tls,
            resolvers,
            auth,
            diagnoses: std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_DIAGNOSES)),
            settings,
            clock,
        }
    }
}
