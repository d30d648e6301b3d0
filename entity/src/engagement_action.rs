use sea_orm::entity::prelude::*;

/// One thing a worker did or found for a placement: located, rescued, opened, replied, ...
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "engagement_actions")]
pub struct Model {
    /// UUID v7, so ids sort by time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub send_id: Uuid,
    /// `located`, `missing`, `rescue`, `open`, `flag`, `reply`, `archive`, `reply_seen` or
    /// `error`.
    pub action: String,
    pub at: DateTimeUtc,
    pub ok: bool,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
}

impl ActiveModelBehavior for ActiveModel {}
