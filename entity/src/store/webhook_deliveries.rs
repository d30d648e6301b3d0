//! The workers' side of webhook deliveries, for every organization: due deliveries are taken
//! (one worker wins each), claimed under a lease by the job that sends them, and each try is
//! recorded with the delivery's new state and the webhook's health in one transaction.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;
use warmup_domain::state::{DeliveryOutcome, DeliveryState, EventType};
use warmup_domain::webhook::DISABLE_AFTER_DAYS;

use super::StoreError;
use super::write_txn;
use crate::{event, webhook, webhook_attempt, webhook_delivery};

/// A queued delivery whose job never ran is queued again after this long.
const REQUEUE_AFTER_MINUTES: i64 = 2;

/// Moves due deliveries to `queued` (pending ones whose time came, queued ones whose job was
/// lost, and ones whose worker's lease ran out) and returns their ids; a delivery taken by
/// another worker meanwhile is left to it.
pub async fn take_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, StoreError> {
    use webhook_delivery::Column as C;
    let due = webhook_delivery::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(C::State.eq(DeliveryState::Pending.as_str()))
                        .add(C::NextAttemptAt.lte(now)),
                )
                .add(
                    Condition::all()
                        .add(C::State.eq(DeliveryState::Queued.as_str()))
                        .add(C::NextAttemptAt.lte(now - Duration::minutes(REQUEUE_AFTER_MINUTES))),
                )
                .add(
                    Condition::all()
                        .add(C::State.eq(DeliveryState::Delivering.as_str()))
                        .add(C::LeaseUntil.lt(now)),
                ),
        )
        .order_by_asc(C::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut taken = Vec::new();
    for d in due {
        let won = webhook_delivery::Entity::update_many()
            .col_expr(C::State, Expr::value(DeliveryState::Queued.as_str()))
            .col_expr(C::NextAttemptAt, Expr::value(now))
            .col_expr(C::LeaseOwner, Expr::value(Option::<String>::None))
            .col_expr(C::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(C::Id.eq(d.id))
            .filter(C::State.eq(d.state.clone()))
            .filter(C::NextAttemptAt.eq(d.next_attempt_at))
            .exec(db)
            .await?;
        if won.rows_affected == 1 {
            taken.push(d.id);
        }
    }
    Ok(taken)
}

/// A delivery claimed by a job, with what it sends.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: webhook_delivery::Model,
    pub webhook: webhook::Model,
    pub event: event::Model,
}

impl Claimed {
    /// The number of the try about to be made.
    pub fn attempt(&self) -> i32 {
        self.delivery.attempts + 1
    }
}

/// Claims a queued delivery for `owner` until `lease_until`. `None` when another job has it,
/// it ended meanwhile, or its webhook was turned off (it is then marked failed).
pub async fn claim(
    db: &DatabaseConnection,
    id: Uuid,
    owner: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<Claimed>, StoreError> {
    use webhook_delivery::Column as C;
    let won = webhook_delivery::Entity::update_many()
        .col_expr(C::State, Expr::value(DeliveryState::Delivering.as_str()))
        .col_expr(C::LeaseOwner, Expr::value(owner))
        .col_expr(C::LeaseUntil, Expr::value(lease_until))
        .filter(C::Id.eq(id))
        .filter(C::State.eq(DeliveryState::Queued.as_str()))
        .exec(db)
        .await?;
    if won.rows_affected != 1 {
        return Ok(None);
    }
    let Some(delivery) = webhook_delivery::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let hook = webhook::Entity::find_by_id(delivery.webhook_id)
        .one(db)
        .await?;
    let ev = event::Entity::find_by_id(delivery.event_id).one(db).await?;
    match (hook, ev) {
        (Some(webhook), Some(event)) if webhook.active => Ok(Some(Claimed {
            delivery,
            webhook,
            event,
        })),
        _ => {
            webhook_delivery::Entity::update_many()
                .col_expr(C::State, Expr::value(DeliveryState::Failed.as_str()))
                .col_expr(C::LastError, Expr::value("the webhook is turned off"))
                .col_expr(C::FinishedAt, Expr::value(now))
                .filter(C::Id.eq(id))
                .filter(C::LeaseOwner.eq(owner))
                .exec(db)
                .await?;
            Ok(None)
        }
    }
}

/// One try as it went.
#[derive(Debug, Clone)]
pub struct Try {
    pub outcome: DeliveryOutcome,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub response_body: Option<String>,
    pub duration_ms: i64,
    pub attempted_at: DateTime<Utc>,
    /// When to try again, for a `retry`.
    pub retry_at: DateTime<Utc>,
}

/// What recording a try decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The delivery's new outcome (a retry past the 24 hours is `Failed`).
    Done(DeliveryOutcome),
    /// The lease was lost: another worker has the delivery; nothing was written.
    Lost,
}

/// Records a try: the attempt row, the delivery's state, and the webhook's failing streak
/// (five days of failures turn it off and raise `webhook.disabled`), in one transaction.
pub async fn record(
    db: &DatabaseConnection,
    claimed: &Claimed,
    owner: &str,
    t: Try,
) -> Result<Recorded, StoreError> {
    use webhook_delivery::Column as C;
    let d = &claimed.delivery;
    let mut outcome = t.outcome;
    let mut error = t.error.clone();
    if outcome == DeliveryOutcome::Retry && t.retry_at > d.give_up_at {
        outcome = DeliveryOutcome::Failed;
        error = Some(format!(
            "{}; no more tries: retried for {} hours",
            error.unwrap_or_else(|| format!("answered {}", t.status.unwrap_or(0))),
            warmup_domain::webhook::RETRY_FOR_HOURS
        ));
    }
    let txn = write_txn::begin(db).await?;
    let state = match outcome {
        DeliveryOutcome::Delivered => DeliveryState::Delivered,
        DeliveryOutcome::Retry => DeliveryState::Pending,
        DeliveryOutcome::Failed => DeliveryState::Failed,
    };
    let finished = (state != DeliveryState::Pending).then_some(t.attempted_at);
    let won = webhook_delivery::Entity::update_many()
        .col_expr(C::State, Expr::value(state.as_str()))
        .col_expr(C::Attempts, Expr::value(claimed.attempt()))
        .col_expr(C::NextAttemptAt, Expr::value(t.retry_at))
        .col_expr(C::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(C::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(C::LastStatus, Expr::value(t.status.map(i32::from)))
        .col_expr(C::LastError, Expr::value(error.clone()))
        .col_expr(C::FinishedAt, Expr::value(finished))
        .filter(C::Id.eq(d.id))
        .filter(C::State.eq(DeliveryState::Delivering.as_str()))
        .filter(C::LeaseOwner.eq(owner))
        .exec(&txn)
        .await?;
    if won.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(Recorded::Lost);
    }
    webhook_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        delivery_id: Set(d.id),
        attempt: Set(claimed.attempt()),
        attempted_at: Set(t.attempted_at),
        outcome: Set(outcome.as_str().to_string()),
        status: Set(t.status.map(i32::from)),
        error: Set(error),
        response_body: Set(t.response_body),
        duration_ms: Set(t.duration_ms),
    }
    .insert(&txn)
    .await?;
    super::metrics::count(&txn, super::metrics::WEBHOOK_TRIES, outcome.as_str(), "").await?;
    streak(&txn, &claimed.webhook, outcome, t.attempted_at).await?;
    txn.commit().await?;
    Ok(Recorded::Done(outcome))
}

/// Keeps the webhook's failing streak: a delivery ends it, a failure starts it, and one that
/// has lasted five days turns the webhook off, with an event for the organization's others.
async fn streak<C: ConnectionTrait>(
    db: &C,
    w: &webhook::Model,
    outcome: DeliveryOutcome,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    use webhook::Column as W;
    let current = webhook::Entity::find_by_id(w.id).one(db).await?;
    let Some(current) = current else {
        return Ok(());
    };
    if outcome == DeliveryOutcome::Delivered {
        if current.failing_since.is_some() {
            webhook::Entity::update_many()
                .col_expr(W::FailingSince, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(W::Id.eq(w.id))
                .exec(db)
                .await?;
        }
        return Ok(());
    }
    let Some(since) = current.failing_since else {
        webhook::Entity::update_many()
            .col_expr(W::FailingSince, Expr::value(at))
            .filter(W::Id.eq(w.id))
            .exec(db)
            .await?;
        return Ok(());
    };
    if !current.active || at - since < Duration::days(DISABLE_AFTER_DAYS) {
        return Ok(());
    }
    let reason = format!(
        "every delivery failed for {DISABLE_AFTER_DAYS} days (since {})",
        since.to_rfc3339()
    );
    let turned_off = webhook::Entity::update_many()
        .col_expr(W::Active, Expr::value(false))
        .col_expr(W::DisabledReason, Expr::value(reason.clone()))
        .col_expr(W::UpdatedAt, Expr::value(at))
        .filter(W::Id.eq(w.id))
        .filter(W::Active.eq(true))
        .exec(db)
        .await?;
    if turned_off.rows_affected == 1 {
        super::events::raise(
            db,
            w.organization_id,
            EventType::WebhookDisabled,
            serde_json::json!({
                "webhook_id": w.id,
                "url": w.url,
                "failing_since": since,
                "reason": reason,
            }),
            at,
        )
        .await?;
    }
    Ok(())
}
