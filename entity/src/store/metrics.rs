//! What `/metrics` reports of the service as a whole, read from the database at scrape time so
//! that every API process reports the same numbers, whichever worker did the work.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use warmup_domain::state::{DeliveryState, SendState};

use super::StoreError;
use crate::{placement_org_rollup, send, send_attempt, webhook_attempt, webhook_delivery};

/// The counts behind the service's metrics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Delivery attempts and reports per (outcome, category).
    pub sends: Vec<(String, String, i64)>,
    /// Decided placements per (source, class, provider).
    pub placements: Vec<(String, String, String, i64)>,
    /// Webhook delivery tries per outcome.
    pub webhook_attempts: Vec<(String, i64)>,
    /// Sends waiting, per state (`planned`, `queued`, `sending`, `deferred`).
    pub queue: Vec<(String, i64)>,
    /// Webhook deliveries not yet ended, per state.
    pub webhook_queue: Vec<(String, i64)>,
}

const COUNT: &str = "CAST(COUNT(*) AS BIGINT)";

/// Reads the counts.
pub async fn snapshot<C: ConnectionTrait>(db: &C) -> Result<Snapshot, StoreError> {
    let sends = send_attempt::Entity::find()
        .select_only()
        .column(send_attempt::Column::Outcome)
        .column(send_attempt::Column::Category)
        .column_as(Expr::cust(COUNT), "n")
        .group_by(send_attempt::Column::Outcome)
        .group_by(send_attempt::Column::Category)
        .into_tuple()
        .all(db)
        .await?;
    let placements = placement_org_rollup::Entity::find()
        .select_only()
        .column(placement_org_rollup::Column::Source)
        .column(placement_org_rollup::Column::Class)
        .column(placement_org_rollup::Column::Provider)
        .column_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), "n")
        // Pending placements are not counted yet: a counter never goes down.
        .filter(placement_org_rollup::Column::Class.ne(warmup_domain::placement::slot_name(None)))
        .group_by(placement_org_rollup::Column::Source)
        .group_by(placement_org_rollup::Column::Class)
        .group_by(placement_org_rollup::Column::Provider)
        .into_tuple()
        .all(db)
        .await?;
    let webhook_attempts = webhook_attempt::Entity::find()
        .select_only()
        .column(webhook_attempt::Column::Outcome)
        .column_as(Expr::cust(COUNT), "n")
        .group_by(webhook_attempt::Column::Outcome)
        .into_tuple()
        .all(db)
        .await?;
    let queue = send::Entity::find()
        .select_only()
        .column(send::Column::State)
        .column_as(Expr::cust(COUNT), "n")
        .filter(send::Column::State.is_in([
            SendState::Planned.as_str(),
            SendState::Queued.as_str(),
            SendState::Sending.as_str(),
            SendState::Deferred.as_str(),
        ]))
        .group_by(send::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    let webhook_queue = webhook_delivery::Entity::find()
        .select_only()
        .column(webhook_delivery::Column::State)
        .column_as(Expr::cust(COUNT), "n")
        .filter(webhook_delivery::Column::State.is_in([
            DeliveryState::Pending.as_str(),
            DeliveryState::Queued.as_str(),
            DeliveryState::Delivering.as_str(),
        ]))
        .group_by(webhook_delivery::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Snapshot {
        sends,
        placements,
        webhook_attempts,
        queue,
        webhook_queue,
    })
}
