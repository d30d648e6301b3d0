use sea_orm::entity::prelude::*;

/// The organization-wide sum of `placement_rollups` per day, source, provider and class: what a
/// report that neither filters nor groups by mailbox, domain, split or test reads.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_org_rollups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub source: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub class: String,
    pub n: i64,
}

impl ActiveModelBehavior for ActiveModel {}
