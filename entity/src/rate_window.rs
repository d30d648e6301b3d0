use sea_orm::entity::prelude::*;

/// Requests counted for one limited subject (an API key, an organization) in its current
/// one-minute window, shared by every API process.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_windows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: String,
    /// When the window started, in milliseconds since the Unix epoch.
    pub started_ms: i64,
    pub used: i64,
}

impl ActiveModelBehavior for ActiveModel {}
