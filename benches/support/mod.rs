//! What the benchmarks share: a connection to a scratch database with the service's own pool
//! settings.

use sea_orm::DatabaseConnection;
use warmup::config::Settings;
pub use warmup::database::Role;
use warmup::database::Share;

/// Connects to `url` as the service's `role` would (its pool and SQLite settings), with a
/// throw-away secret key.
#[allow(
    dead_code,
    reason = "the sending benchmark seals passwords, so it chooses the key itself"
)]
pub async fn connect(url: &str, role: Role) -> anyhow::Result<DatabaseConnection> {
    connect_with_key(
        url,
        &warmup_entity::secret_box::SecretBox::generate_key(),
        role,
    )
    .await
}

/// Connects to `url` as the service's `role` would, with `key` (base64) as its secret key.
pub async fn connect_with_key(
    url: &str,
    key: &str,
    role: Role,
) -> anyhow::Result<DatabaseConnection> {
    let url = url.to_string();
    let key = key.to_string();
    let env = move |k: &str| -> Option<String> {
        match k {
            "DATABASE_URL" => Some(url.clone()),
            "WARMUP_SECRET_KEY" => Some(key.clone()),
            _ => None,
        }
    };
    let settings = Settings::load_from(None, &env)?;
    warmup::database::connect(&settings, role, Share::Whole).await
}

/// The number in the environment variable `name`, or `default` when it is unset or not one.
pub fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
