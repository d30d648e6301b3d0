//! Warmup preferences per mailbox, and each organization's defaults for new mailboxes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("warmup_settings")
                    .col(uuid("mailbox_id").primary_key())
                    .col(uuid("organization_id"))
                    .col(string("status"))
                    // The validated preferences as JSON: read and written as one value.
                    .col(text("preferences"))
                    // How far the ramp has come: sending days planned so far.
                    .col(integer("sending_days"))
                    // Split remainders carried between days, JSON.
                    .col(text("split_carry"))
                    .col(text_null("status_reason"))
                    .col(timestamp_with_time_zone_null("started_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("warmup_settings", "mailbox_id")
                            .to("mailboxes", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("warmup_defaults")
                    .col(uuid("organization_id").primary_key())
                    .col(text("preferences"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("warmup_defaults", "organization_id")
                            .to("organizations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["warmup_defaults", "warmup_settings"] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
