use sea_orm::entity::prelude::*;

/// A day already planned for a mailbox: planning it again plans nothing.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub mailbox_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub plan_date: String,
    pub sending_day: i32,
    /// What the ramp asked for.
    pub count: i32,
    /// What could be planned (fewer when a provider lacks seeds).
    pub planned: i32,
    pub created_at: DateTimeUtc,
    /// The self-adjusting ramp's decision for the day: `ramping`, `holding` or `stepped_back`.
    pub adjust_mode: String,
    pub volume_cap: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub adjust_reason: Option<String>,
    /// The numbers the decision rests on.
    #[sea_orm(column_type = "Double", nullable)]
    pub inbox_percent: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub deferred_percent: Option<f64>,
}

impl ActiveModelBehavior for ActiveModel {}
