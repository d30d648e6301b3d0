use sea_orm::entity::prelude::*;

/// Which worker holds a named resource (an account's IMAP mailbox), and until when: one
/// session per account at a time, across processes.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub owner: String,
    pub lease_until: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
