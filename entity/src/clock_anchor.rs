use sea_orm::entity::prelude::*;

/// Where the service's clock stands: at `real_origin` on the wall clock it showed
/// `simulated_origin`, and it runs `speedup` times faster than real time from there. One row.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "clock_anchor")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub real_origin: DateTimeUtc,
    pub simulated_origin: DateTimeUtc,
    pub speedup: f64,
}

impl ActiveModelBehavior for ActiveModel {}
