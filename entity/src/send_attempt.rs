use sea_orm::entity::prelude::*;

/// One try at delivering a send: what the server answered and how long it took.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "send_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub send_id: Uuid,
    /// The send's organization and mailbox: a mailbox's attempts are listed from an index.
    pub organization_id: Uuid,
    pub mailbox_id: Uuid,
    pub attempt: i32,
    pub attempted_at: DateTimeUtc,
    pub code: Option<i32>,
    pub enhanced: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub category: String,
    /// `sent`, `deferred` or `failed`.
    pub outcome: String,
    pub duration_ms: i64,
}

impl ActiveModelBehavior for ActiveModel {}
