use sea_orm::entity::prelude::*;

/// `placement_rollups` summed per month: a report over many months by mailbox, domain, split
/// or test reads these for the whole months and the daily rows only for the days around them.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_month_rollups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    /// `YYYY-MM`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub source: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub mailbox_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub split_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub test_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub domain: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub class: String,
    pub n: i64,
}

impl ActiveModelBehavior for ActiveModel {}
