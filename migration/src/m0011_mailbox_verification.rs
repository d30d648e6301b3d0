//! Mailbox verification: before a mailbox warms up, a seed sends a code to its address and the
//! service must find it over the mailbox's own IMAP, so that nobody can have the seed pool
//! answer an address they do not read. Mailboxes from before start `unverified`; warmups
//! already running keep running until the address or servers change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn columns() -> Vec<ColumnDef> {
    vec![
        string("verification").default("unverified").to_owned(),
        text_null("verification_reason"),
        string_null("verification_code"),
        timestamp_with_time_zone_null("verification_requested_at"),
        timestamp_with_time_zone_null("verification_sent_at"),
        timestamp_with_time_zone_null("verified_at"),
    ]
}

const NAMES: [&str; 6] = [
    "verification",
    "verification_reason",
    "verification_code",
    "verification_requested_at",
    "verification_sent_at",
    "verified_at",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for mut col in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table("mailboxes")
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in NAMES {
            manager
                .alter_table(
                    Table::alter()
                        .table("mailboxes")
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
