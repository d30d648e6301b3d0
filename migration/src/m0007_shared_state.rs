//! State the processes of one database share: named leases (a seed's mailbox, one session from
//! us at a time; a sender mailbox's reading, once per round and not again before it is due),
//! the clock's anchor (so processes on a simulated clock agree on the time, across restarts),
//! and placements given up on, which now say `unknown`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Leases are short-lived: nothing held in the old table needs to carry over.
        manager
            .drop_table(Table::drop().table("seed_leases").to_owned())
            .await?;
        // Keyed by name ("seed:<id>", "mailbox-scan:<id>") without foreign keys: a lease on a
        // deleted account simply runs out, and never blocks anything.
        manager
            .create_table(
                Table::create()
                    .table("leases")
                    .col(string("name").primary_key().to_owned())
                    .col(string("owner"))
                    .col(timestamp_with_time_zone("lease_until"))
                    .to_owned(),
            )
            .await?;
        // Placements given up on used to stay without a class, as if still looked for.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE placements SET class = 'unknown' WHERE stage = 'done' AND class IS NULL",
            )
            .await?;
        // The placement report counts a mailbox's days by provider and class: with those in
        // the index it is read from the index alone (measured then by the mailbox
        // placement-summary benchmark).
        manager
            .drop_index(
                Index::drop()
                    .name("idx_placements_mailbox_day")
                    .table("placements")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_placements_report")
                    .table("placements")
                    .col("mailbox_id")
                    .col("plan_date")
                    .col("provider")
                    .col("class")
                    // Every query also names the organization.
                    .col("organization_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("clock_anchor")
                    .col(integer("id").primary_key().to_owned())
                    .col(timestamp_with_time_zone("real_origin"))
                    .col(timestamp_with_time_zone("simulated_origin"))
                    .col(double("speedup"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["clock_anchor", "leases"] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_placements_report")
                    .table("placements")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_placements_mailbox_day")
                    .table("placements")
                    .col("mailbox_id")
                    .col("plan_date")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("seed_leases")
                    .col(pk_uuid("seed_id"))
                    .col(string("owner"))
                    .col(timestamp_with_time_zone("lease_until"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("seed_leases", "seed_id")
                            .to("seeds", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }
}
