use sea_orm::entity::prelude::*;

/// An organization's alert thresholds (absent: the defaults).
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alert_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    /// JSON of `warmup_domain::alerts::AlertRules`.
    #[sea_orm(column_type = "Text")]
    pub rules: String,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
