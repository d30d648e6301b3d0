use sea_orm::entity::prelude::*;

/// Which worker holds a seed's mailbox, and until when: one engagement session per seed at a
/// time, across processes.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seed_leases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seed_id: Uuid,
    pub owner: String,
    pub lease_until: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
