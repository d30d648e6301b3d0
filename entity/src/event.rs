use sea_orm::entity::prelude::*;

/// Something that happened which an organization's webhooks may be told of.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    /// A UUIDv7: ids sort in the order events were raised. Sent as `webhook-id`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// e.g. `mailbox.warmup_adjusted`.
    #[sea_orm(column_name = "type")]
    pub kind: String,
    /// The event's `data`, JSON.
    #[sea_orm(column_type = "Text")]
    pub data: String,
    pub occurred_at: DateTimeUtc,
    /// Set on alerts raised at most once per key (e.g. `seed.unreachable:<seed>:<date>`).
    pub dedupe_key: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
