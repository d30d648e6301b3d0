use sea_orm::entity::prelude::*;

/// Where one campaign message landed at a seed of a split (or that it never came), and what the
/// seed did with it.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seed_list_messages")]
pub struct Model {
    /// UUID v7, so ids sort by time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub split_id: Uuid,
    pub campaign_id: Uuid,
    pub seed_id: Uuid,
    pub seed_email: String,
    pub provider: String,
    /// `m:<Message-ID>` or `missing:<campaign id>`: unique per seed.
    pub dedupe_key: String,
    pub message_id: Option<String>,
    pub sender: String,
    /// The sender's domain.
    pub domain: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub campaign: String,
    /// A `PlacementClass` name.
    pub class: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub folder: Option<String>,
    pub uid: Option<i64>,
    pub arrived_at: Option<DateTimeUtc>,
    pub spf: Option<String>,
    pub dkim: Option<String>,
    pub dmarc: Option<String>,
    /// The address the message came from, as the seed's server recorded it.
    pub sending_ip: Option<String>,
    /// `engaging` or `done`.
    pub stage: String,
    /// The worker's plan, JSON it alone reads.
    #[sea_orm(column_type = "Text", nullable)]
    pub plan: Option<String>,
    pub next_check_at: DateTimeUtc,
    /// Where a reply would go: the message's `Reply-To`, else its `From`.
    #[sea_orm(column_type = "Text", nullable)]
    pub reply_to: Option<String>,
    pub opened_at: Option<DateTimeUtc>,
    pub flagged_at: Option<DateTimeUtc>,
    pub rescued_at: Option<DateTimeUtc>,
    pub replied_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub errors: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
