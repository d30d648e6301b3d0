use sea_orm::entity::prelude::*;

/// Where one sent warmup message landed at its seed, and what the seed did with it.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placements")]
pub struct Model {
    /// The send this placement is about: one placement per sent message.
    #[sea_orm(primary_key, auto_increment = false)]
    pub send_id: Uuid,
    pub organization_id: Uuid,
    pub mailbox_id: Uuid,
    pub seed_id: Option<Uuid>,
    pub seed_email: String,
    pub provider: String,
    /// The sending mailbox's domain when the message was sent.
    pub domain: String,
    /// The mailbox's local date, `YYYY-MM-DD`, copied from the send.
    pub plan_date: String,
    pub message_id: String,
    pub sent_at: DateTimeUtc,
    /// `locating`, `engaging` or `done`.
    pub stage: String,
    /// A `PlacementClass` name; `None` while the message is still looked for.
    pub class: Option<String>,
    /// The folder's decoded name.
    #[sea_orm(column_type = "Text", nullable)]
    pub folder: Option<String>,
    pub uid: Option<i64>,
    pub arrived_at: Option<DateTimeUtc>,
    pub arrival_seconds: Option<i64>,
    /// Authentication results as the seed's server recorded them (`pass`, `fail`, ...).
    pub spf: Option<String>,
    pub dkim: Option<String>,
    pub dmarc: Option<String>,
    /// The address the message came from, as the seed's server recorded it.
    pub sending_ip: Option<String>,
    pub lookups: i32,
    pub next_check_at: DateTimeUtc,
    /// The worker's engagement plan, JSON it alone reads.
    #[sea_orm(column_type = "Text", nullable)]
    pub plan: Option<String>,
    pub opened_at: Option<DateTimeUtc>,
    pub flagged_at: Option<DateTimeUtc>,
    pub rescued_at: Option<DateTimeUtc>,
    pub replied_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
    /// The seed's reply: its Message-ID, subject and body as the service wrote them (the
    /// sender's answer quotes these, never the copy in the sender's mailbox), then where it was
    /// found in the sender's mailbox.
    pub reply_message_id: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reply_subject: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reply_body: Option<String>,
    pub reply_class: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reply_folder: Option<String>,
    pub reply_seen_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub errors: i32,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
