use sea_orm::entity::prelude::*;

/// A mailbox's warmup preferences and progress.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "warmup_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub mailbox_id: Uuid,
    pub organization_id: Uuid,
    /// `not_started`, `running` or `paused`.
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub preferences: String,
    pub sending_days: i32,
    #[sea_orm(column_type = "Text")]
    pub split_carry: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub status_reason: Option<String>,
    pub started_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
