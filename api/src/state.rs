//! What every handler shares.

use std::time::Duration;

use sea_orm::DatabaseConnection;
use warmup_entity::Clock;
use warmup_entity::secret_box::SecretBox;
use warmup_mail::{ConnectOptions, TlsTrust};

use crate::metrics::Metrics;
use crate::rate_limit::RateLimiter;

/// Tunables of the HTTP API.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// Largest accepted JSON body, in bytes.
    pub body_limit: usize,
    /// Requests per API key per minute.
    pub rate_limit_per_minute: u32,
    /// Step timeout and EHLO name of connection tests.
    pub probe: ConnectOptions,
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            body_limit: 64 * 1024,
            rate_limit_per_minute: 600,
            probe: ConnectOptions::default(),
        }
    }
}

/// Shared state of the API.
pub struct AppState {
    pub db: DatabaseConnection,
    pub secrets: SecretBox,
    pub tls: TlsTrust,
    pub settings: ApiSettings,
    pub limiter: RateLimiter,
    pub metrics: Metrics,
    /// The database's clock, shared with the workers (scaled in tests and demos).
    pub clock: Clock,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        secrets: SecretBox,
        tls: TlsTrust,
        settings: ApiSettings,
        clock: Clock,
    ) -> Self {
        Self {
            limiter: RateLimiter::new(settings.rate_limit_per_minute, Duration::from_secs(60)),
            metrics: Metrics::new(),
            db,
            secrets,
            tls,
            settings,
            clock,
        }
    }
}
