use sea_orm::entity::prelude::*;

/// A placement test: one message, sent once to a few seeds, looked for until its window ends.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_tests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// `internal` (the service sends it from `mailbox_id`) or `external` (the user sends a
    /// message carrying `test_code`).
    pub kind: String,
    pub mailbox_id: Option<Uuid>,
    pub schedule_id: Option<Uuid>,
    /// The split whose seeds the test used, when chosen by split.
    pub split_id: Option<Uuid>,
    pub test_code: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub subject: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub text_body: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub html_body: Option<String>,
    /// How the seeds were chosen, JSON the service alone reads.
    #[sea_orm(column_type = "Text")]
    pub selection: String,
    pub seed_group: String,
    pub window_minutes: i32,
    pub engage: bool,
    /// A `TestStatus` name.
    pub status: String,
    /// The internal test's Message-ID, without angle brackets.
    pub message_id: Option<String>,
    /// The worker sending an internal test's message, and until when.
    pub send_owner: Option<String>,
    pub send_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
