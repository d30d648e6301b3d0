use sea_orm::entity::prelude::*;

/// A sender a split approved: `name@example.com` or `@example.com`, lower-cased.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seed_split_senders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub split_id: Uuid,
    pub organization_id: Uuid,
    pub pattern: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
