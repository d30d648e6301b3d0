use sea_orm::entity::prelude::*;

/// A split: seeds of one provider and group given to one organization for its campaigns.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seed_splits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub provider: String,
    pub seed_group: String,
    pub seeds_amount: i32,
    pub rotation_days: i32,
    pub rescue: bool,
    pub open: bool,
    pub mark_important: bool,
    pub reply_percent: i32,
    /// `b2b` or `b2c`: the pace of the seeds' actions.
    pub pattern: String,
    pub last_download: Option<DateTimeUtc>,
    pub expires_at: DateTimeUtc,
    pub next_rotation: DateTimeUtc,
    /// When seeds were last replaced.
    pub refreshed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
