use sea_orm::entity::prelude::*;

/// A mailbox's placement test repeated every `every_days`: each run is a test of its own.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_test_schedules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub mailbox_id: Uuid,
    pub every_days: i32,
    pub next_run_at: DateTimeUtc,
    /// The test to run again, JSON the service alone reads.
    #[sea_orm(column_type = "Text")]
    pub template: String,
    pub runs: i32,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
