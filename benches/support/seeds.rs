//! A seed row for the benchmarks: an account that is never logged in to.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use warmup_entity::seed;

/// An active seed of `provider` at `email`, of the shared pool (`owner` `None`) or of an
/// organization, with servers and passwords that are never used.
pub fn row(email: String, provider: &str, owner: Option<Uuid>, now: DateTime<Utc>) -> seed::Model {
    seed::Model {
        id: Uuid::now_v7(),
        organization_id: owner,
        scope_key: String::new(),
        email,
        provider: provider.into(),
        seed_group: "standard".into(),
        active: true,
        imap_host: "imap.example".into(),
        imap_port: 993,
        imap_security: "tls".into(),
        imap_username: "bench".into(),
        imap_password: "never opened".into(),
        smtp_host: "smtp.example".into(),
        smtp_port: 465,
        smtp_security: "tls".into(),
        smtp_username: "bench".into(),
        smtp_password: "never opened".into(),
        created_at: now,
        updated_at: now,
    }
}
