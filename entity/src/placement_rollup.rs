use sea_orm::entity::prelude::*;

/// How many placements of one day and one combination of dimensions are in one class. Kept by
/// `store::rollups` in the transaction that changes a placement; a dimension the source does
/// not have holds the nil UUID or an empty string.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_rollups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    /// `YYYY-MM-DD`: a warmup message's plan day, else the UTC date it arrived (or was due).
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    /// A `PlacementSource` name.
    #[sea_orm(primary_key, auto_increment = false)]
    pub source: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub mailbox_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub split_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub test_id: Uuid,
    /// The sender's domain.
    #[sea_orm(primary_key, auto_increment = false)]
    pub domain: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub provider: String,
    /// A `PlacementClass` name, or `pending`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub class: String,
    pub n: i64,
}

impl ActiveModelBehavior for ActiveModel {}
