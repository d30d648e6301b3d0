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
    /// When the send was deleted from the queue (it is `cancelled`, never sent).
    pub cancelled_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub cancel_reason: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}

/// What a new warmup message is: who sends what to whom, on which plan day.
#[derive(Debug, Clone)]
pub struct Draft {
    pub organization_id: Uuid,
    pub mailbox_id: Uuid,
    pub seed_id: Option<Uuid>,
    pub seed_email: String,
    pub provider: String,
    pub plan_date: String,
    pub message_id: String,
    pub language: String,
    pub subject: String,
    pub body: String,
}

impl Model {
    /// A send of `draft` planned for `at`, written at `now`: nothing tried yet, no thread.
    pub fn planned(draft: Draft, at: DateTimeUtc, now: DateTimeUtc) -> Self {
        Self {
            id: Uuid::now_v7(),
            organization_id: draft.organization_id,
            mailbox_id: draft.mailbox_id,
            seed_id: draft.seed_id,
            seed_email: draft.seed_email,
            provider: draft.provider,
            plan_date: draft.plan_date,
            scheduled_at: at,
            state: warmup_domain::state::SendState::Planned
                .as_str()
                .to_string(),
            message_id: draft.message_id,
            language: draft.language,
            subject: draft.subject,
            body: draft.body,
            attempts: 0,
            next_attempt_at: at,
            lease_owner: None,
            lease_until: None,
            last_code: None,
            last_enhanced: None,
            last_text: None,
            last_category: None,
            sent_at: None,
            thread_depth: 0,
            in_reply_to: None,
            reference_ids: None,
            created_at: now,
            updated_at: now,
            cancelled_at: None,
            cancel_reason: None,
        }
    }
}
