use sea_orm::entity::prelude::*;

/// A worker process's heartbeat: alive until `alive_until` unless it beats again. Every lease
/// and claim it takes names it in its owner.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "worker_processes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub started_at: DateTimeUtc,
    pub alive_until: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
