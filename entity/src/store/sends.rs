//! The send pipeline's rows: days planned, sends claimed under a lease, attempts recorded.
//! These functions serve the workers, which act for every organization; each row they return
//! carries its organization.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;
use warmup_domain::split::Carry;
use warmup_domain::state::{EventOutcome, SendState};
use warmup_domain::{MailboxStatus, Provider, WarmupStatus};

use super::StoreError;
use super::warmup::{MailboxWarmup, variance_seed};
use crate::{mailbox, plan_day, seed, send, send_attempt, warmup_settings};

/// A running warmup of an active mailbox, ready to plan.
#[derive(Debug, Clone)]
pub struct PlanTarget {
    pub mailbox: mailbox::Model,
    pub warmup: MailboxWarmup,
    pub variance_seed: u64,
}

/// Every running warmup whose mailbox is active: two queries, however many mailboxes (the
/// worker asks on every round).
pub async fn plan_targets<C: ConnectionTrait>(db: &C) -> Result<Vec<PlanTarget>, StoreError> {
    let rows = warmup_settings::Entity::find()
        .filter(warmup_settings::Column::Status.eq(WarmupStatus::Running.as_str()))
        .all(db)
        .await?;
    let mut active: BTreeMap<Uuid, mailbox::Model> = mailbox::Entity::find()
        .filter(mailbox::Column::Id.is_in(rows.iter().map(|r| r.mailbox_id)))
        .filter(mailbox::Column::Status.eq(MailboxStatus::Active.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut out = Vec::new();
    for row in rows {
        let Some(m) = active.remove(&row.mailbox_id) else {
            continue;
        };
        out.push(PlanTarget {
            variance_seed: variance_seed(m.id),
            warmup: super::warmup::from_row(row)?,
            mailbox: m,
        });
    }
    Ok(out)
}

/// A seed a mailbox may send to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRef {
    pub id: Uuid,
    pub email: String,
}

/// Active seeds visible to the mailbox's organization, per provider, without the mailbox itself.
pub async fn usable_seeds<C: ConnectionTrait>(
    db: &C,
    mailbox: &mailbox::Model,
) -> Result<BTreeMap<Provider, Vec<SeedRef>>, StoreError> {
    let rows = seed::Entity::find()
        .filter(
            sea_orm::sea_query::Condition::any()
                .add(seed::Column::OrganizationId.is_null())
                .add(seed::Column::OrganizationId.eq(mailbox.organization_id)),
        )
        .filter(seed::Column::Active.eq(true))
        // The same account whatever the case of either address.
        .filter(super::email_key::column().ne(super::email_key::of(&mailbox.email)))
        .order_by_asc(seed::Column::Id)
        .all(db)
        .await?;
    let mut out: BTreeMap<Provider, Vec<SeedRef>> = BTreeMap::new();
    for s in rows {
        if let Ok(p) = s.provider.parse() {
            out.entry(p).or_default().push(SeedRef {
                id: s.id,
                email: s.email,
            });
        }
    }
    Ok(out)
}

/// True when the day is already planned for the mailbox.
pub async fn day_planned<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    date: &str,
) -> Result<bool, StoreError> {
    Ok(plan_day::Entity::find_by_id((mailbox_id, date.to_string()))
        .one(db)
        .await?
        .is_some())
}

/// A day's plan to store.
pub struct NewPlan {
    pub mailbox_id: Uuid,
    pub organization_id: Uuid,
    pub date: String,
    pub sending_day: u32,
    pub count: u32,
    pub carry: Carry,
    pub sends: Vec<send::Model>,
}

/// Stores a day's plan in one transaction: the day, its sends, the ramp's progress. Returns
/// false (and stores nothing) when another worker planned the day first.
pub async fn record_plan(
    db: &DatabaseConnection,
    plan: NewPlan,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let txn = db.begin().await?;
    let day = plan_day::ActiveModel {
        mailbox_id: Set(plan.mailbox_id),
        plan_date: Set(plan.date.clone()),
        sending_day: Set(i32::try_from(plan.sending_day).unwrap_or(i32::MAX)),
        count: Set(i32::try_from(plan.count).unwrap_or(i32::MAX)),
        planned: Set(i32::try_from(plan.sends.len()).unwrap_or(i32::MAX)),
        created_at: Set(now),
    };
    if day.insert(&txn).await.is_err() {
        // The primary key says the day is planned already.
        txn.rollback().await?;
        return Ok(false);
    }
    for s in plan.sends {
        sea_orm::IntoActiveModel::into_active_model(s)
            .reset_all()
            .insert(&txn)
            .await?;
    }
    warmup_settings::Entity::update_many()
        .col_expr(
            warmup_settings::Column::SendingDays,
            Expr::value(i32::try_from(plan.sending_day + 1).unwrap_or(i32::MAX)),
        )
        .col_expr(
            warmup_settings::Column::SplitCarry,
            Expr::value(serde_json::to_string(&plan.carry).unwrap_or_default()),
        )
        .col_expr(warmup_settings::Column::UpdatedAt, Expr::value(now))
        .filter(warmup_settings::Column::MailboxId.eq(plan.mailbox_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(true)
}

/// Moves up to `limit` due sends to `queued` until `queued_until` and returns their ids, for
/// the caller to push a send job for each. Planned or deferred sends whose time has come are
/// taken, and so are sends left `queued` past their deadline (their job was lost before it ran,
/// e.g. the worker died between this update and the push): each by a conditional update that
/// only one worker can win.
pub async fn queue_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    queued_until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, StoreError> {
    let due = sea_orm::sea_query::Condition::all()
        .add(send::Column::State.is_in([SendState::Planned.as_str(), SendState::Deferred.as_str()]))
        .add(send::Column::NextAttemptAt.lte(now));
    let lost = sea_orm::sea_query::Condition::all()
        .add(send::Column::State.eq(SendState::Queued.as_str()))
        .add(send::Column::LeaseUntil.lt(now));
    // A paused warmup sends nothing more, today's planned sends included; they wait.
    let paused = sea_orm::sea_query::Query::select()
        .column(warmup_settings::Column::MailboxId)
        .from(warmup_settings::Entity)
        .and_where(warmup_settings::Column::Status.eq(WarmupStatus::Paused.as_str()))
        .to_owned();
    let candidates = send::Entity::find()
        .filter(sea_orm::sea_query::Condition::any().add(due).add(lost))
        .filter(send::Column::MailboxId.not_in_subquery(paused))
        .order_by_asc(send::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut queued = Vec::new();
    for c in candidates {
        let mut update = send::Entity::update_many()
            .col_expr(send::Column::State, Expr::value(SendState::Queued.as_str()))
            .col_expr(
                send::Column::LeaseOwner,
                Expr::value(Option::<String>::None),
            )
            .col_expr(send::Column::LeaseUntil, Expr::value(queued_until))
            .col_expr(send::Column::UpdatedAt, Expr::value(now))
            .filter(send::Column::Id.eq(c.id))
            .filter(send::Column::State.eq(c.state.as_str()));
        if c.state == SendState::Queued.as_str() {
            // Another worker may have re-queued it a moment ago.
            update = update.filter(send::Column::LeaseUntil.eq(c.lease_until));
        }
        if update.exec(db).await?.rows_affected == 1 {
            queued.push(c.id);
        }
    }
    Ok(queued)
}

/// Moves the queue deadline of queued sends to `at`: they are queued again (and get a job if
/// they have none) from then on.
pub async fn requeue_after<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    send::Entity::update_many()
        .col_expr(send::Column::LeaseUntil, Expr::value(at))
        .filter(send::Column::Id.is_in(ids.iter().copied()))
        .filter(send::Column::State.eq(SendState::Queued.as_str()))
        .filter(send::Column::LeaseOwner.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Claims a queued send for `owner` until `lease_until`, moving it to `sending`: a job that
/// was delivered twice, or a send that was cancelled meanwhile, claims nothing.
pub async fn claim_queued<C: ConnectionTrait>(
    db: &C,
    send_id: Uuid,
    owner: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<send::Model>, StoreError> {
    let won = send::Entity::update_many()
        .col_expr(
            send::Column::State,
            Expr::value(SendState::Sending.as_str()),
        )
        .col_expr(send::Column::LeaseOwner, Expr::value(owner))
        .col_expr(send::Column::LeaseUntil, Expr::value(lease_until))
        .col_expr(
            send::Column::Attempts,
            Expr::col(send::Column::Attempts).add(1),
        )
        .col_expr(send::Column::UpdatedAt, Expr::value(now))
        .filter(send::Column::Id.eq(send_id))
        .filter(send::Column::State.eq(SendState::Queued.as_str()))
        .exec(db)
        .await?;
    if won.rows_affected != 1 {
        return Ok(None);
    }
    Ok(send::Entity::find_by_id(send_id).one(db).await?)
}

/// How long after sending a message is first looked for at its seed.
pub const FIRST_LOOKUP_AFTER: chrono::Duration = chrono::Duration::minutes(1);

/// The outcome of one attempt.
pub struct AttemptRecord {
    pub code: Option<u16>,
    pub enhanced: Option<String>,
    pub text: String,
    pub category: String,
    /// The send's next state: sent, deferred or failed.
    pub state: SendState,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub duration_ms: i64,
}

/// Records an attempt and moves the send on, if `owner` still holds its lease.
pub async fn record_attempt(
    db: &DatabaseConnection,
    claimed: &send::Model,
    owner: &str,
    now: DateTime<Utc>,
    a: AttemptRecord,
) -> Result<bool, StoreError> {
    let txn = db.begin().await?;
    let mut update = send::Entity::update_many()
        .col_expr(send::Column::State, Expr::value(a.state.as_str()))
        .col_expr(
            send::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            send::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(send::Column::LastCode, Expr::value(a.code.map(i32::from)))
        .col_expr(send::Column::LastEnhanced, Expr::value(a.enhanced.clone()))
        .col_expr(send::Column::LastText, Expr::value(Some(a.text.clone())))
        .col_expr(
            send::Column::LastCategory,
            Expr::value(Some(a.category.clone())),
        )
        .col_expr(send::Column::UpdatedAt, Expr::value(now));
    if let Some(next) = a.next_attempt_at {
        update = update.col_expr(send::Column::NextAttemptAt, Expr::value(next));
    }
    if a.state == SendState::Sent {
        update = update.col_expr(send::Column::SentAt, Expr::value(Some(now)));
    }
    let res = update
        .filter(send::Column::Id.eq(claimed.id))
        .filter(send::Column::State.eq(SendState::Sending.as_str()))
        .filter(send::Column::LeaseOwner.eq(owner))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    if a.state == SendState::Sent {
        // Looking for the message at its seed starts with the send it is about, atomically.
        super::engagement::start_locating(&txn, claimed, now, now + FIRST_LOOKUP_AFTER).await?;
    }
    send_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        send_id: Set(claimed.id),
        organization_id: Set(claimed.organization_id),
        mailbox_id: Set(claimed.mailbox_id),
        attempt: Set(claimed.attempts),
        attempted_at: Set(now),
        code: Set(a.code.map(i32::from)),
        enhanced: Set(a.enhanced),
        text: Set(a.text),
        category: Set(a.category),
        outcome: Set(a.state.as_str().to_string()),
        duration_ms: Set(a.duration_ms),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Stops a mailbox after a failure that retrying cannot fix (a refused login, a permanent
/// block): the mailbox goes to `error` with the reason, its warmup pauses, and its waiting
/// sends are cancelled.
pub async fn stop_mailbox<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    mailbox::Entity::update_many()
        .col_expr(
            mailbox::Column::Status,
            Expr::value(MailboxStatus::Error.as_str()),
        )
        .col_expr(
            mailbox::Column::StatusReason,
            Expr::value(Some(reason.to_string())),
        )
        .col_expr(mailbox::Column::UpdatedAt, Expr::value(now))
        .filter(mailbox::Column::Id.eq(mailbox_id))
        .exec(db)
        .await?;
    warmup_settings::Entity::update_many()
        .col_expr(
            warmup_settings::Column::Status,
            Expr::value(WarmupStatus::Paused.as_str()),
        )
        .col_expr(
            warmup_settings::Column::StatusReason,
            Expr::value(Some(reason.to_string())),
        )
        .col_expr(warmup_settings::Column::UpdatedAt, Expr::value(now))
        .filter(warmup_settings::Column::MailboxId.eq(mailbox_id))
        .exec(db)
        .await?;
    send::Entity::update_many()
        .col_expr(
            send::Column::State,
            Expr::value(SendState::Cancelled.as_str()),
        )
        .col_expr(send::Column::UpdatedAt, Expr::value(now))
        .filter(send::Column::MailboxId.eq(mailbox_id))
        .filter(send::Column::State.is_in([
            SendState::Planned.as_str(),
            SendState::Deferred.as_str(),
            SendState::Queued.as_str(),
        ]))
        .exec(db)
        .await?;
    Ok(())
}

/// A mailbox's sends, for its owner.
pub async fn of_mailbox<C: ConnectionTrait>(
    db: &C,
    org: super::OrgId,
    mailbox_id: Uuid,
) -> Result<Vec<send::Model>, StoreError> {
    Ok(send::Entity::find()
        .filter(send::Column::OrganizationId.eq(org.0))
        .filter(send::Column::MailboxId.eq(mailbox_id))
        .order_by_asc(send::Column::ScheduledAt)
        .all(db)
        .await?)
}

/// The attempts of a send, oldest first.
pub async fn attempts_of<C: ConnectionTrait>(
    db: &C,
    send_id: Uuid,
) -> Result<Vec<send_attempt::Model>, StoreError> {
    Ok(send_attempt::Entity::find()
        .filter(send_attempt::Column::SendId.eq(send_id))
        .order_by_asc(send_attempt::Column::Attempt)
        .all(db)
        .await?)
}

/// True for the sender's answer in a thread (a continuation), false for a warmup send of the
/// ramp, which starts a thread.
pub fn is_continuation(s: &send::Model) -> bool {
    s.thread_depth > 0 || s.in_reply_to.is_some()
}

/// What happened on one planned day. The counts are of the ramp's warmup sends; the sender's
/// answers in their threads, which carry the plan date of the thread's first send, are counted
/// apart (`continuations_*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayStats {
    pub date: String,
    pub planned: u32,
    pub sent: u32,
    /// Sends deferred at least once (retried later).
    pub deferred: u32,
    pub failed: u32,
    pub cancelled: u32,
    /// Accepted, then returned with a bounce.
    pub bounced: u32,
    /// Still waiting to be sent or retried.
    pub pending: u32,
    /// Continuations written for the day's threads, in any state.
    pub continuations_planned: u32,
    /// Continuations sent.
    pub continuations_sent: u32,
}

/// Per-day counts of a mailbox's sends with `from <= plan_date <= to` (`YYYY-MM-DD`).
pub async fn daily_stats<C: ConnectionTrait>(
    db: &C,
    org: super::OrgId,
    mailbox_id: Uuid,
    from: &str,
    to: &str,
) -> Result<Vec<DayStats>, StoreError> {
    let rows = send::Entity::find()
        .filter(send::Column::OrganizationId.eq(org.0))
        .filter(send::Column::MailboxId.eq(mailbox_id))
        .filter(send::Column::PlanDate.gte(from))
        .filter(send::Column::PlanDate.lte(to))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|s| s.id).collect();
    let mut deferred_once = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let attempts = send_attempt::Entity::find()
            .filter(send_attempt::Column::SendId.is_in(chunk.iter().copied()))
            .filter(send_attempt::Column::Outcome.eq(EventOutcome::Deferred.as_str()))
            .all(db)
            .await?;
        deferred_once.extend(attempts.into_iter().map(|a| a.send_id));
    }
    let mut days: BTreeMap<String, DayStats> = BTreeMap::new();
    for s in rows {
        let d = days.entry(s.plan_date.clone()).or_insert_with(|| DayStats {
            date: s.plan_date.clone(),
            ..DayStats::default()
        });
        if is_continuation(&s) {
            d.continuations_planned += 1;
            if s.state == SendState::Sent.as_str() {
                d.continuations_sent += 1;
            }
            continue;
        }
        d.planned += 1;
        match SendState::parse(&s.state) {
            Some(SendState::Sent) => d.sent += 1,
            Some(SendState::Failed) => d.failed += 1,
            Some(SendState::Cancelled) => d.cancelled += 1,
            Some(SendState::Bounced) => d.bounced += 1,
            _ => d.pending += 1,
        }
        if deferred_once.contains(&s.id) {
            d.deferred += 1;
        }
    }
    Ok(days.into_values().collect())
}

/// One attempt with the send it belongs to: an event of the mailbox's warmup.
#[derive(Debug, Clone)]
pub struct SendEvent {
    pub attempt: send_attempt::Model,
    pub send: send::Model,
}

/// A page of a mailbox's attempts, newest first, optionally only one outcome.
pub async fn events<C: ConnectionTrait>(
    db: &C,
    org: super::OrgId,
    mailbox_id: Uuid,
    outcome: Option<&str>,
    page: super::page::PageRequest,
) -> Result<super::page::Page<SendEvent>, StoreError> {
    // Read backwards from `idx_send_attempts_page`: the page's rows and no more.
    let mut q = send_attempt::Entity::find()
        .filter(send_attempt::Column::OrganizationId.eq(org.0))
        .filter(send_attempt::Column::MailboxId.eq(mailbox_id));
    if let Some(o) = outcome {
        q = q.filter(send_attempt::Column::Outcome.eq(o));
    }
    if let Some(after) = page.after {
        q = q.filter(send_attempt::Column::Id.lt(after));
    }
    let rows = q
        .order_by_desc(send_attempt::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    let sends: BTreeMap<Uuid, send::Model> = send::Entity::find()
        .filter(send::Column::Id.is_in(rows.iter().map(|a| a.send_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let events: Vec<SendEvent> = rows
        .into_iter()
        .filter_map(|a| {
            sends
                .get(&a.send_id)
                .cloned()
                .map(|send| SendEvent { attempt: a, send })
        })
        .collect();
    Ok(super::page::Page::from_overfetch(events, page.limit, |e| {
        e.attempt.id
    }))
}

/// Sends whose worker stopped mid-conversation: still `sending` with a lease that ran out
/// before `before`.
pub async fn expired_leases<C: ConnectionTrait>(
    db: &C,
    before: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<send::Model>, StoreError> {
    Ok(send::Entity::find()
        .filter(send::Column::State.eq(SendState::Sending.as_str()))
        .filter(send::Column::LeaseUntil.lt(before))
        .order_by_asc(send::Column::LeaseUntil)
        .limit(limit)
        .all(db)
        .await?)
}

/// Takes over an expired lease; only one worker wins it.
pub async fn take_over<C: ConnectionTrait>(
    db: &C,
    expired: &send::Model,
    owner: &str,
    lease_until: DateTime<Utc>,
) -> Result<Option<send::Model>, StoreError> {
    let won = send::Entity::update_many()
        .col_expr(send::Column::LeaseOwner, Expr::value(owner))
        .col_expr(send::Column::LeaseUntil, Expr::value(lease_until))
        .filter(send::Column::Id.eq(expired.id))
        .filter(send::Column::State.eq(SendState::Sending.as_str()))
        .filter(send::Column::LeaseUntil.eq(expired.lease_until))
        .exec(db)
        .await?;
    if won.rows_affected != 1 {
        return Ok(None);
    }
    Ok(send::Entity::find_by_id(expired.id).one(db).await?)
}

/// Sets the lease of a send `owner` holds: after an inconclusive check of an interrupted send,
/// to have it checked again once the lease and the grace have passed.
pub async fn set_lease<C: ConnectionTrait>(
    db: &C,
    send_id: Uuid,
    owner: &str,
    until: DateTime<Utc>,
) -> Result<(), StoreError> {
    send::Entity::update_many()
        .col_expr(send::Column::LeaseUntil, Expr::value(until))
        .filter(send::Column::Id.eq(send_id))
        .filter(send::Column::State.eq(SendState::Sending.as_str()))
        .filter(send::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(())
}

/// A seed by id, for the workers.
pub async fn seed_by_id<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<seed::Model>, StoreError> {
    Ok(seed::Entity::find_by_id(id).one(db).await?)
}

/// Mailboxes whose inbox may hold reports on warmup mail: those with a warmup.
pub async fn scan_targets<C: ConnectionTrait>(db: &C) -> Result<Vec<mailbox::Model>, StoreError> {
    let ids: Vec<Uuid> = warmup_settings::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.mailbox_id)
        .collect();
    Ok(mailbox::Entity::find()
        .filter(mailbox::Column::Id.is_in(ids))
        .order_by_asc(mailbox::Column::Id)
        .all(db)
        .await?)
}

/// The send of a mailbox with this Message-ID.
pub async fn by_message_id<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    message_id: &str,
) -> Result<Option<send::Model>, StoreError> {
    Ok(send::Entity::find()
        .filter(send::Column::MailboxId.eq(mailbox_id))
        .filter(send::Column::MessageId.eq(message_id))
        .one(db)
        .await?)
}

/// What a delivery report said about a send.
pub struct Report {
    /// `failed` (a bounce) or `delayed` (a delay notice).
    pub action: String,
    pub status: Option<String>,
    pub diagnostic: Option<String>,
}

/// Records a delivery report once: a bounce moves the send to `bounced`, a delay notice is
/// noted once. Returns false when it was recorded before (reports are read again after a crash).
pub async fn record_report(
    db: &DatabaseConnection,
    s: &send::Model,
    report: Report,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let outcome = if report.action == "failed" {
        EventOutcome::Bounced
    } else {
        EventOutcome::Delayed
    };
    let txn = db.begin().await?;
    // Two workers may read the same report at once: the send's row lock makes the second wait
    // and then see the first one's record. (SQLite has one writer at a time already.)
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        send::Entity::find_by_id(s.id)
            .lock_exclusive()
            .one(&txn)
            .await?;
    }
    let seen = send_attempt::Entity::find()
        .filter(send_attempt::Column::SendId.eq(s.id))
        .filter(send_attempt::Column::Outcome.eq(outcome.as_str()))
        .one(&txn)
        .await?
        .is_some();
    if seen {
        txn.rollback().await?;
        return Ok(false);
    }
    let text = report
        .diagnostic
        .clone()
        .unwrap_or_else(|| format!("{} notice", report.action));
    let code = text.get(..3).and_then(|c| c.parse::<i32>().ok());
    if outcome == EventOutcome::Bounced {
        send::Entity::update_many()
            .col_expr(
                send::Column::State,
                Expr::value(SendState::Bounced.as_str()),
            )
            .col_expr(send::Column::LastCode, Expr::value(code))
            .col_expr(
                send::Column::LastEnhanced,
                Expr::value(report.status.clone()),
            )
            .col_expr(send::Column::LastText, Expr::value(Some(text.clone())))
            .col_expr(
                send::Column::LastCategory,
                Expr::value(Some("bounce".to_string())),
            )
            .col_expr(send::Column::UpdatedAt, Expr::value(now))
            .filter(send::Column::Id.eq(s.id))
            .exec(&txn)
            .await?;
    }
    send_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        send_id: Set(s.id),
        organization_id: Set(s.organization_id),
        mailbox_id: Set(s.mailbox_id),
        attempt: Set(s.attempts),
        attempted_at: Set(now),
        code: Set(code),
        enhanced: Set(report.status),
        text: Set(text),
        category: Set("dsn".to_string()),
        outcome: Set(outcome.as_str().to_string()),
        duration_ms: Set(0),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(true)
}
