use sea_orm::entity::prelude::*;

/// One seed of a placement test and what it saw.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_test_seeds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub test_id: Uuid,
    pub organization_id: Uuid,
    pub seed_id: Uuid,
    /// The test's, copied so that a report counts a row alone.
    pub mailbox_id: Option<Uuid>,
    pub split_id: Option<Uuid>,
    pub seed_email: String,
    pub provider: String,
    /// `YYYY-MM-DD`: the UTC date the test was created, which reports count it on.
    pub day: String,
    /// The sender's domain: the mailbox's, or (external tests) the `From` of the message once
    /// it arrived.
    pub domain: String,
    /// When the service's SMTP server accepted the message for this seed (internal tests).
    pub sent_at: Option<DateTimeUtc>,
    /// A `PlacementClass` name; `None` while looked for.
    pub class: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub folder: Option<String>,
    pub uid: Option<i64>,
    pub arrived_at: Option<DateTimeUtc>,
    pub arrival_seconds: Option<i64>,
    pub spf: Option<String>,
    pub dkim: Option<String>,
    pub dmarc: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub from_address: Option<String>,
    /// The header block as the seed received it.
    #[sea_orm(column_type = "Text", nullable)]
    pub raw_headers: Option<String>,
    pub engaged_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
