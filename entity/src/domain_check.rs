use sea_orm::entity::prelude::*;

/// One health check of a domain, with the whole report.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_checks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub domain_id: Uuid,
    pub organization_id: Uuid,
    pub checked_at: DateTimeUtc,
    /// `manual`, `scheduled`, `dkim_changed` or `created`.
    pub trigger: String,
    pub score: Option<i32>,
    pub grade: Option<String>,
    /// The report as JSON (`warmup_domain::health::HealthReport`).
    #[sea_orm(column_type = "Text")]
    pub report: String,
}

impl ActiveModelBehavior for ActiveModel {}
