use sea_orm::entity::prelude::*;

/// A domain of an organization whose health is checked: one of its mailboxes' domains, or one
/// it added by name.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domains")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// Lower-case, without a final dot.
    pub name: String,
    /// `mailbox` or `manual`.
    pub source: String,
    /// When the next check is due; while a worker checks, the end of its lease.
    pub next_check_at: DateTimeUtc,
    pub last_checked_at: Option<DateTimeUtc>,
    /// When a check by hand last started (they are spaced).
    pub manual_check_at: Option<DateTimeUtc>,
    pub score: Option<i32>,
    pub grade: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
