//! What the benchmarks share: a connection to a scratch database with the service's own pool
//! settings.

use sea_orm::DatabaseConnection;
use warmup::config::Settings;

/// Connects to `url` as the service would (its pool and SQLite settings), with a throw-away
/// secret key.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let url = url.to_string();
    let key = warmup_entity::secret_box::SecretBox::generate_key();
    let env = move |k: &str| -> Option<String> {
        match k {
            "DATABASE_URL" => Some(url.clone()),
            "WARMUP_SECRET_KEY" => Some(key.clone()),
            _ => None,
        }
    };
    let settings = Settings::load_from(None, &env)?;
    warmup::database::connect(&settings).await
}
