//! Schema migrations, written once for both SQLite and Postgres.

pub use sea_orm_migration::prelude::*;

mod m0001_tenants;
mod m0002_mail_accounts;
mod m0003_warmup_preferences;
mod m0004_sends;
mod m0005_mailbox_dkim;
mod m0006_engagement;
mod m0007_shared_state;
mod m0008_list_pages;
mod m0009_email_keys;
mod m0010_seed_reply_text;
mod m0011_mailbox_verification;
mod m0012_cancel_inbox_quoting_continuations;
mod m0013_seed_splits;
mod m0014_placement_rollups;
mod m0015_placement_tests;
mod m0016_send_queue;
mod m0017_domains;
mod m0018_adjustments_webhooks;
mod m0019_processes_rate_windows;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_tenants::Migration),
            Box::new(m0002_mail_accounts::Migration),
            Box::new(m0003_warmup_preferences::Migration),
            Box::new(m0004_sends::Migration),
            Box::new(m0005_mailbox_dkim::Migration),
            Box::new(m0006_engagement::Migration),
            Box::new(m0007_shared_state::Migration),
            Box::new(m0008_list_pages::Migration),
            Box::new(m0009_email_keys::Migration),
            Box::new(m0010_seed_reply_text::Migration),
            Box::new(m0011_mailbox_verification::Migration),
            Box::new(m0012_cancel_inbox_quoting_continuations::Migration),
            Box::new(m0013_seed_splits::Migration),
            Box::new(m0014_placement_rollups::Migration),
            Box::new(m0015_placement_tests::Migration),
            Box::new(m0016_send_queue::Migration),
            Box::new(m0017_domains::Migration),
            Box::new(m0018_adjustments_webhooks::Migration),
            Box::new(m0019_processes_rate_windows::Migration),
        ]
    }
}
