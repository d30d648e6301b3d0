//! The send queue as users see it: sends deleted from the queue keep their row, `cancelled`,
//! with when and why; the queue is listed per organization and state from an index.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for mut col in [
            timestamp_with_time_zone_null("cancelled_at"),
            text_null("cancel_reason"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("sends")
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        // `WHERE organization_id = ? AND state IN (...) AND id > ? ORDER BY id`
        manager
            .create_index(
                Index::create()
                    .name("idx_sends_queue")
                    .table("sends")
                    .col("organization_id")
                    .col("state")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_sends_queue")
                    .table("sends")
                    .to_owned(),
            )
            .await?;
        for col in ["cancel_reason", "cancelled_at"] {
            manager
                .alter_table(Table::alter().table("sends").drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
