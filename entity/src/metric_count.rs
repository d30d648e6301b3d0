use sea_orm::entity::prelude::*;

/// A counter of `/metrics` with its two labels (`sends`: outcome and category; `webhook_tries`:
/// result and an empty second label).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "metric_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub metric: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub a: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub b: String,
    pub n: i64,
}

impl ActiveModelBehavior for ActiveModel {}
