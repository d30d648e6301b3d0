//! Running warmups for the planning and sending benchmarks: one organization, its mailboxes
//! on one SMTP server, a flat ramp, and a shared pool of seeds on three providers.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, TransactionTrait,
};
use uuid::Uuid;
use warmup_domain::WarmupStatus;
use warmup_domain::pattern::Pattern;
use warmup_domain::preferences::WarmupPreferences;
use warmup_domain::ramp::Ramp;
use warmup_domain::split::Carry;
use warmup_entity::secret_box::{SecretBox, context};
use warmup_entity::{mailbox, organization, warmup_settings};

#[path = "seeds.rs"]
mod seeds;
#[path = "../../tests/support/zones.rs"]
mod zones;

/// Seeds of the shared pool per provider.
pub const SEEDS: [(&str, usize); 3] = [("gmail", 80), ("outlook", 60), ("yahoo", 60)];

/// Where the mailboxes send: a host and port without TLS, a password sealed with `key` as the
/// service seals it.
pub struct Server<'a> {
    pub host: &'a str,
    pub port: u16,
    pub key: &'a SecretBox,
}

/// `mailboxes` running warmups of one new organization, `per_day` messages a day each (no
/// variance, B2C), over the seed pool of [`SEEDS`]; they send to `server`, or nowhere (a
/// password that never opens) without one. Returns the organization.
pub async fn fill(
    db: &DatabaseConnection,
    mailboxes: usize,
    per_day: u32,
    server: Option<&Server<'_>>,
) -> anyhow::Result<Uuid> {
    let now = Utc::now();
    let org = Uuid::now_v7();
    organization::Entity::insert(
        organization::Model {
            id: org,
            name: "Bench".into(),
            created_at: now,
        }
        .into_active_model(),
    )
    .exec_without_returning(db)
    .await?;
    let mut seeds = Vec::new();
    for (provider, n) in SEEDS {
        for i in 0..n {
            seeds.push(seeds::row(
                format!("seed{i}@{provider}.example"),
                provider,
                None,
                now,
            ));
        }
    }
    // Through the store, which keys each address as the unique indexes want it.
    for s in seeds {
        warmup_entity::store::seeds::insert(db, s).await?;
    }
    let prefs = WarmupPreferences {
        ramp: Ramp {
            start_per_day: per_day,
            daily_increase: 0,
            max_per_day: per_day,
            daily_variance_percent: 0,
            ..Ramp::default()
        },
        pattern: Pattern::B2c,
        provider_split: warmup_domain::split::ProviderSplit::parse(
            &[("gmail", 40), ("outlook", 30), ("yahoo", 30)]
                .iter()
                .filter_map(|(p, n)| Some((p.parse().ok()?, *n)))
                .collect(),
        )
        .ok(),
        ..WarmupPreferences::default()
    };
    let prefs = serde_json::to_string(&prefs)?;
    let carry = serde_json::to_string(&Carry::new())?;
    // About six in the morning: every window of the day is still ahead.
    let zone = zones::where_it_is(6);
    let txn = db.begin().await?;
    let rows: Vec<mailbox::Model> = (0..mailboxes)
        .map(|n| {
            let id = Uuid::now_v7();
            let (host, port, security, password) = match server {
                Some(s) => (
                    s.host.to_string(),
                    i32::from(s.port),
                    "none",
                    s.key.seal(
                        &warmup_domain::Secret::new("bench"),
                        &context("mailbox", id, "smtp"),
                    ),
                ),
                None => (
                    "smtp.bench.example".into(),
                    587,
                    "starttls",
                    "never opened".into(),
                ),
            };
            mailbox::Model {
                id,
                email: format!("sender{n}@bench.example"),
                display_name: "Bench".into(),
                provider: "smtp".into(),
                timezone: zone.clone(),
                smtp_host: host,
                smtp_port: port,
                smtp_security: security.into(),
                smtp_username: "bench".into(),
                smtp_password: password,
                // Refused at once: the benchmarks never read a mailbox.
                imap_host: "127.0.0.1".into(),
                imap_port: 9,
                imap_security: "none".into(),
                imap_username: "bench".into(),
                imap_password: "never opened".into(),
                ..mailbox::Model::blank(org, now)
            }
        })
        .collect();
    for chunk in rows.chunks(500) {
        for m in chunk {
            warmup_entity::store::mailboxes::insert(
                &txn,
                warmup_entity::store::OrgId(org),
                m.clone(),
            )
            .await?;
        }
        warmup_settings::Entity::insert_many(chunk.iter().map(|m| {
            warmup_settings::Model {
                mailbox_id: m.id,
                organization_id: org,
                status: WarmupStatus::Running.as_str().into(),
                preferences: prefs.clone(),
                sending_days: 0,
                split_carry: carry.clone(),
                status_reason: None,
                started_at: Some(now),
                updated_at: now,
            }
            .into_active_model()
            .reset_all()
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(org)
}
