use sea_orm::entity::prelude::*;

/// One warmup message, a row before it is a message.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sends")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub mailbox_id: Uuid,
    pub seed_id: Option<Uuid>,
    pub seed_email: String,
    pub provider: String,
    pub plan_date: String,
    pub scheduled_at: DateTimeUtc,
    pub state: String,
    #[sea_orm(unique)]
    pub message_id: String,
    pub language: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub last_code: Option<i32>,
    pub last_enhanced: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_text: Option<String>,
    pub last_category: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    /// How many messages of the conversation came before this one (0: it starts one).
    pub thread_depth: i32,
    /// The Message-ID this message answers, when it is a reply.
    pub in_reply_to: Option<String>,
    /// The conversation's Message-IDs, space-separated, for the `References` header.
    #[sea_orm(column_type = "Text", nullable)]
    pub reference_ids: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
