use sea_orm::entity::prelude::*;

/// A seed account. `organization_id` is `None` for the shared pool.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seeds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Option<Uuid>,
    /// The organization id, or `shared` for the pool: what email addresses are unique within.
    pub scope_key: String,
    pub email: String,
    pub provider: String,
    pub seed_group: String,
    pub active: bool,
    pub imap_host: String,
    pub imap_port: i32,
    pub imap_security: String,
    pub imap_username: String,
    #[sea_orm(column_type = "Text")]
    pub imap_password: String,
    pub smtp_host: String,
    pub smtp_port: i32,
    pub smtp_security: String,
    pub smtp_username: String,
    #[sea_orm(column_type = "Text")]
    pub smtp_password: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
