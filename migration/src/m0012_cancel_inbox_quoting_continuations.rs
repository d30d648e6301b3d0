//! Continuations planned before m0010 quote the seed's reply as read from the sender's
//! mailbox, which the tenant can change; seeds would quote that text in turn. The ones not yet
//! sent are cancelled (the thread simply ends there). Nothing to undo.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let cancel = Query::update()
            .table("sends")
            .value("state", "cancelled")
            .and_where(Expr::col("thread_depth").gt(0))
            .and_where(Expr::col("state").is_in(["planned", "deferred", "queued"]))
            .to_owned();
        manager.exec_stmt(cancel).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
