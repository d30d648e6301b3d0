//! What several processes on one database must agree on: which worker processes are alive (a
//! heartbeat each, so the leases of one that died end with it rather than when they run out),
//! and the API's request counts per minute (so that every API process enforces one limit, not
//! its own copy of it).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Keyed by the process's name, which every owner string it writes contains.
        manager
            .create_table(
                Table::create()
                    .table("worker_processes")
                    .col(string("name").primary_key().to_owned())
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone("alive_until"))
                    .to_owned(),
            )
            .await?;
        // One row per limited subject ("key:<digest>", "org:<id>"): its window's start in
        // milliseconds since the Unix epoch (plain integers compare alike on both databases)
        // and the requests counted in it.
        manager
            .create_table(
                Table::create()
                    .table("rate_windows")
                    .col(string("subject").primary_key().to_owned())
                    .col(big_integer("started_ms"))
                    .col(big_integer("used"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["rate_windows", "worker_processes"] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
