use sea_orm::entity::prelude::*;

/// A seed's place in a split. A seed rotated out keeps its row: `left_at` says when, and it
/// is still read for the split's mail until `read_until` (mail already on its way).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seed_split_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub split_id: Uuid,
    pub seed_id: Uuid,
    pub organization_id: Uuid,
    pub joined_at: DateTimeUtc,
    pub left_at: Option<DateTimeUtc>,
    pub read_until: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
