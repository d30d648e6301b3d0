use sea_orm::entity::prelude::*;

/// An organization's endpoint for events.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub url: String,
    /// The event types it receives, a JSON array of names.
    #[sea_orm(column_type = "Text")]
    pub events: String,
    pub active: bool,
    /// The signing secret, sealed (`secret_box`, context `webhook:<id>:secret`).
    #[sea_orm(column_type = "Text")]
    pub secret: String,
    /// The secret before the last rotation, which signs too until `previous_secret_until`.
    #[sea_orm(column_type = "Text", nullable)]
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTimeUtc>,
    /// Since when every attempt failed.
    pub failing_since: Option<DateTimeUtc>,
    /// Why the service turned it off.
    #[sea_orm(column_type = "Text", nullable)]
    pub disabled_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
