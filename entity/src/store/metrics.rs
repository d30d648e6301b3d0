//! What `/metrics` reports of the service as a whole, read from the database at scrape time so
//! that every API process reports the same numbers, whichever worker did the work.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use warmup_domain::state::{DeliveryState, SendState};

use super::StoreError;
use crate::{metric_count, placement_org_rollup, send, webhook_delivery};

/// The counter of delivery attempts and reports, by outcome and category.
pub const SENDS: &str = "sends";
/// The counter of webhook tries, by result.
pub const WEBHOOK_TRIES: &str = "webhook_tries";

/// Adds one to a counter, in the caller's transaction.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    metric: &str,
    a: &str,
    b: &str,
) -> Result<(), StoreError> {
    metric_count::Entity::insert(metric_count::ActiveModel {
        metric: Set(metric.to_string()),
        a: Set(a.to_string()),
        b: Set(b.to_string()),
        n: Set(1),
    })
    .on_conflict(
        OnConflict::columns([
            metric_count::Column::Metric,
            metric_count::Column::A,
            metric_count::Column::B,
        ])
        .value(
            metric_count::Column::N,
            Expr::cust("\"metric_counts\".\"n\" + excluded.\"n\""),
        )
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

async fn counts<C: ConnectionTrait>(
    db: &C,
    metric: &str,
) -> Result<Vec<metric_count::Model>, StoreError> {
    Ok(metric_count::Entity::find()
        .filter(metric_count::Column::Metric.eq(metric))
        .all(db)
        .await?)
}

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

use super::COUNT_ALL as COUNT;

/// Reads the counts.
pub async fn snapshot<C: ConnectionTrait>(db: &C) -> Result<Snapshot, StoreError> {
    let sends = counts(db, SENDS)
        .await?
        .into_iter()
        .map(|c| (c.a, c.b, c.n))
        .collect();
    let placements = placement_org_rollup::Entity::find()
        .select_only()
        .column(placement_org_rollup::Column::Source)
        .column(placement_org_rollup::Column::Class)
        .column(placement_org_rollup::Column::Provider)
        .column_as(Expr::cust(super::SUM_N), "n")
        // Pending placements are not counted yet: a counter never goes down.
        .filter(placement_org_rollup::Column::Class.ne(warmup_domain::placement::slot_name(None)))
        .group_by(placement_org_rollup::Column::Source)
        .group_by(placement_org_rollup::Column::Class)
        .group_by(placement_org_rollup::Column::Provider)
        .into_tuple()
        .all(db)
        .await?;
    let webhook_attempts = counts(db, WEBHOOK_TRIES)
        .await?
        .into_iter()
        .map(|c| (c.a, c.n))
        .collect();
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
        .filter(webhook_delivery::Column::State.is_in(DeliveryState::open_words()))
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
