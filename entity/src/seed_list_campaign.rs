use sea_orm::entity::prelude::*;

/// A campaign a split has seen: from its first arrival at any of the split's seeds, the others
/// have until `missing_due_at` to receive it too.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "seed_list_campaigns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub split_id: Uuid,
    pub organization_id: Uuid,
    /// `List-ID`, else `X-Campaign-ID`, else the subject.
    #[sea_orm(column_type = "Text")]
    pub campaign: String,
    pub sender: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    /// The latest the first copy may have arrived: the split's seeds then are the campaign's.
    pub first_arrival_at: DateTimeUtc,
    /// When a worker first recorded it.
    pub seen_at: DateTimeUtc,
    pub missing_due_at: DateTimeUtc,
    /// True once the seeds that never got it are recorded `missing`.
    pub closed: bool,
}

impl ActiveModelBehavior for ActiveModel {}
