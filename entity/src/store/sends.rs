//! The send pipeline's rows: sends queued, claimed under a lease, their attempts recorded,
//! interrupted ones taken over. These functions serve the workers, which act for every
//! organization; each row they return carries its organization.

use chrono::{DateTime, Utc};
use sea_orm::QueryTrait;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;
use warmup_domain::state::SendState;
use warmup_domain::{MailboxStatus, WarmupStatus};

use super::StoreError;
use super::write_txn;
use crate::{mailbox, send, send_attempt, warmup_settings};
/// Sends per organization that a worker holds or is about to run: queued or sending, under a
/// lease that has not run out (a lapsed one is a lost job or an interrupted send, taken care
/// of elsewhere, and must not keep its organization waiting).
async fn in_flight_per_org<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<std::collections::HashMap<Uuid, u64>, StoreError> {
    let rows: Vec<(Uuid, i64)> = send::Entity::find()
        .select_only()
        .column(send::Column::OrganizationId)
        .column_as(send::Column::Id.count(), "n")
        .filter(
            send::Column::State.is_in([SendState::Queued.as_str(), SendState::Sending.as_str()]),
        )
        .filter(send::Column::LeaseUntil.gte(now))
        .group_by(send::Column::OrganizationId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(org, n)| (org, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// How many sends one organization may have queued or sending at once, over all workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    /// Send slots of all live workers.
    pub slots: u64,
    /// What an organization may always have, however many others wait; as many slots are
    /// kept free for an organization whose sends come due while others fill the rest.
    pub floor: u64,
}

impl Share {
    /// An even part of the slots, less the floor kept free, among the organizations with sends
    /// due or in flight, and never below the floor. One organization alone fills all but the
    /// floor's slots; one that comes due meanwhile finds those free at once instead of waiting
    /// for sends to a server that may never answer. An organization over its share when others
    /// arrive keeps what it has and gets no more until it is under.
    pub fn per_org(self, organizations: usize) -> u64 {
        let n = u64::try_from(organizations.max(1)).unwrap_or(u64::MAX);
        let open = self.slots.saturating_sub(self.floor);
        Ord::max(open.div_ceil(n), self.floor)
    }
}

/// Sends moved to `queued`: those that had no job yet, and those queued before whose job may
/// still wait or may be lost.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Queued {
    pub fresh: Vec<Uuid>,
    pub again: Vec<Uuid>,
    /// Whether sends may still be due: the window was full, or a due send was passed over for
    /// its organization's share or for want of a slot (it goes when a send in flight ends).
    pub more_due: bool,
}

impl Queued {
    pub fn len(&self) -> usize {
        self.fresh.len() + self.again.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Sends queued and left past their deadline: their job was lost before it ran.
fn lost(now: DateTime<Utc>) -> sea_orm::sea_query::Condition {
    sea_orm::sea_query::Condition::all()
        .add(send::Column::State.eq(SendState::Queued.as_str()))
        .add(send::Column::LeaseUntil.lt(now))
}

/// The mailboxes whose warmup is paused.
fn paused_mailboxes() -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(warmup_settings::Column::MailboxId)
        .from(warmup_settings::Entity)
        .and_where(warmup_settings::Column::Status.eq(WarmupStatus::Paused.as_str()))
        .to_owned()
}

/// Sends queued for a warmup paused since, whose job was lost before it ran (a killed worker),
/// go back to wait with the warmup's other sends instead of holding their place in the queue.
/// Once a round is enough: [`queue_due`] passes such sends over meanwhile.
pub async fn release_paused<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    send::Entity::update_many()
        .col_expr(
            send::Column::State,
            Expr::cust(format!(
                "CASE WHEN \"attempts\" > 0 THEN '{}' ELSE '{}' END",
                SendState::Deferred.as_str(),
                SendState::Planned.as_str()
            )),
        )
        .col_expr(
            send::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(send::Column::UpdatedAt, Expr::value(now))
        .filter(lost(now))
        .filter(send::Column::MailboxId.in_subquery(paused_mailboxes()))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves up to `limit` due sends to `queued` until `queued_until`, for the caller to push a
/// send job for each. Planned or deferred sends whose time has come are taken, and so are
/// sends left `queued` past their deadline (their job was lost before it ran, e.g. the worker
/// died between this update and the push): each by a conditional update that only one worker
/// can win. An organization has at most its [`Share`] of sends queued or sending at once across
/// all workers, so one tenant's slow servers cannot take every send slot from the others.
///
/// Past a window that reached organizations' shares it looks again without them, for other
/// organizations' sends; that look walks all of those organizations' due sends, so without
/// `look_behind` (a caller that runs at each freed slot) it looks again only when the window
/// queued nothing, and leaves the rest to its regular rounds.
pub async fn queue_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    queued_until: DateTime<Utc>,
    limit: u64,
    share: Share,
    look_behind: bool,
) -> Result<Queued, StoreError> {
    use sea_orm::sea_query::{Alias, Condition, Query, UnionType};
    // One look per way a send can be due, each walking the (state, next_attempt_at) index in
    // order and stopping at `limit`: one condition with an OR made the database gather every
    // due send and sort them all (a day's backlog of 400,000 sends for a window of 50).
    let ways = [
        Condition::all()
            .add(send::Column::State.eq(SendState::Planned.as_str()))
            .add(send::Column::NextAttemptAt.lte(now)),
        Condition::all()
            .add(send::Column::State.eq(SendState::Deferred.as_str()))
            .add(send::Column::NextAttemptAt.lte(now)),
        lost(now),
    ];
    // A paused warmup sends nothing more, today's planned sends included; they wait.
    let paused = paused_mailboxes();
    let look = |full: &std::collections::HashSet<Uuid>| {
        let member = |i: usize, way: &Condition| {
            let first = send::Entity::find()
                .select_only()
                .column(send::Column::Id)
                .filter(way.clone())
                .filter(send::Column::MailboxId.not_in_subquery(paused.clone()))
                .filter(send::Column::OrganizationId.is_not_in(full.iter().copied()))
                .order_by_asc(send::Column::NextAttemptAt)
                .limit(limit)
                .into_query();
            Query::select()
                .column(send::Column::Id)
                .from_subquery(first, Alias::new(format!("due{i}")))
                .to_owned()
        };
        let [first, rest @ ..] = &ways;
        let mut ids = member(0, first);
        for (i, way) in rest.iter().enumerate() {
            ids.union(UnionType::All, member(i + 1, way));
        }
        send::Entity::find()
            .filter(send::Column::Id.in_subquery(ids))
            .order_by_asc(send::Column::NextAttemptAt)
            .limit(limit)
            .all(db)
    };
    // Organizations passed over in this call: at their share, or past the floor when every
    // slot is taken.
    let mut full: std::collections::HashSet<Uuid> = std::collections::HashSet::new();
    let mut candidates = look(&full).await?;
    let mut queued = Queued::default();
    // Nothing due, most rounds of a quiet day: the sends in flight need not be counted.
    if candidates.is_empty() {
        return Ok(queued);
    }
    let mut in_flight = in_flight_per_org(db, now).await?;
    let mut total: u64 = in_flight.values().sum();
    // Organizations that count for the share: those with sends in flight, and those seen
    // waiting in any look so far.
    let mut counted: std::collections::HashSet<Uuid> = in_flight.keys().copied().collect();
    let mut per_org = u64::MAX;
    // Organizations that reach their share drop out of the next look, so one organization's
    // backlog never fills the window and keeps the others waiting.
    loop {
        // Each look may find organizations the earlier ones did not (a window holds the oldest
        // due sends only): the share only shrinks as they are found.
        counted.extend(candidates.iter().map(|c| c.organization_id));
        per_org = Ord::min(per_org, share.per_org(counted.len()));
        let mut progressed = false;
        let mut queued_here = false;
        for c in &candidates {
            if queued.len() as u64 >= limit {
                queued.more_due = true;
                return Ok(queued);
            }
            let taken = in_flight.entry(c.organization_id).or_insert(0);
            // Beyond every slot only the floor is queued: the queue never holds much more than
            // the workers can run, so an organization that comes due is not queued behind it.
            if *taken >= per_org || (total >= share.slots && *taken >= share.floor) {
                progressed |= full.insert(c.organization_id);
                queued.more_due = true;
                continue;
            }
            let again = c.state == SendState::Queued.as_str();
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
            if again {
                // Another worker may have re-queued it a moment ago.
                update = update.filter(send::Column::LeaseUntil.eq(c.lease_until));
            }
            if update.exec(db).await?.rows_affected == 1 {
                if again {
                    queued.again.push(c.id);
                } else {
                    queued.fresh.push(c.id);
                }
                *taken += 1;
                total += 1;
                progressed = true;
                queued_here = true;
            }
        }
        // Done when the window held everything due, or nothing moved (others won the rows),
        // or, without `look_behind`, once the window queued a send: a window only of full
        // organizations is still looked past, or a freed slot would wait for the next round.
        if (candidates.len() as u64) < limit || !progressed || (!look_behind && queued_here) {
            queued.more_due |= candidates.len() as u64 >= limit;
            return Ok(queued);
        }
        candidates = look(&full).await?;
    }
}

/// When the next planned or deferred send comes due after `now`, if any: how long a worker
/// with nothing due may wait.
pub async fn next_due_after<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    super::earliest::earliest_after::<send::Entity, _>(
        db,
        send::Column::State,
        &[SendState::Planned.as_str(), SendState::Deferred.as_str()],
        send::Column::NextAttemptAt,
        now,
    )
    .await
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
        .exec_with_returning(db)
        .await?;
    Ok(won.into_iter().next())
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
    /// The sender mailbox's address as the attempt used it, when the caller read the mailbox
    /// (a placement's domain comes from it); `None` has it read when needed.
    pub sender: Option<String>,
}

/// Records an attempt and moves the send on, if `owner` still holds its lease.
pub async fn record_attempt(
    db: &DatabaseConnection,
    claimed: &send::Model,
    owner: &str,
    now: DateTime<Utc>,
    a: AttemptRecord,
) -> Result<bool, StoreError> {
    let txn = write_txn::begin(db).await?;
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
        super::engagement::start_locating(
            &txn,
            claimed,
            a.sender.as_deref(),
            now,
            now + FIRST_LOOKUP_AFTER,
        )
        .await?;
        // Its delivery reports come back to the sender's mailbox, which is read for them.
        super::leases::wake_mailbox(&txn, claimed.mailbox_id, now).await?;
    }
    let category = a.category.clone();
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
        category: Set(category.clone()),
        outcome: Set(a.state.as_str().to_string()),
        duration_ms: Set(a.duration_ms),
    }
    .insert(&txn)
    .await?;
    super::metrics::count(&txn, super::metrics::SENDS, a.state.as_str(), &category).await?;
    txn.commit().await?;
    Ok(true)
}

/// Stops a mailbox after a failure that retrying cannot fix (a refused login, a permanent
/// block): the mailbox goes to `error` with the reason, its warmup pauses, and its waiting
/// sends are cancelled. The first stop raises `mailbox.stopped`.
pub async fn stop_mailbox<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let stopped = mailbox::Entity::update_many()
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
        .filter(mailbox::Column::Status.ne(MailboxStatus::Error.as_str()))
        .exec(db)
        .await?;
    if stopped.rows_affected == 1
        && let Some(m) = mailbox::Entity::find_by_id(mailbox_id).one(db).await?
    {
        super::events::raise(
            db,
            m.organization_id,
            warmup_domain::state::EventType::MailboxStopped,
            serde_json::json!({
                "mailbox_id": m.id,
                "email": m.email,
                "reason": reason,
            }),
            now,
        )
        .await?;
    } else {
        // Already stopped: the reason is the latest one.
        mailbox::Entity::update_many()
            .col_expr(
                mailbox::Column::StatusReason,
                Expr::value(Some(reason.to_string())),
            )
            .filter(mailbox::Column::Id.eq(mailbox_id))
            .exec(db)
            .await?;
    }
    super::warmup::pause_for(db, mailbox_id, reason, now, false).await?;
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

/// When `send_id` was first tried: its earliest recorded attempt (none before its first
/// attempt ends).
pub async fn first_attempt_at<C: ConnectionTrait>(
    db: &C,
    send_id: Uuid,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(send_attempt::Entity::find()
        .select_only()
        .column(send_attempt::Column::AttemptedAt)
        .filter(send_attempt::Column::SendId.eq(send_id))
        .order_by_asc(send_attempt::Column::AttemptedAt)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await?)
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

#[cfg(test)]
mod tests {
    use super::Share;

    #[test]
    fn an_organization_alone_leaves_the_floor_free_and_many_split_the_rest() {
        let share = Share {
            slots: 16,
            floor: 2,
        };
        assert_eq!(share.per_org(1), 14);
        assert_eq!(share.per_org(2), 7);
        assert_eq!(share.per_org(3), 5);
        assert_eq!(share.per_org(10), 2);
        assert_eq!(share.per_org(0), 14, "nobody waiting counts as one");
        let three_workers = Share {
            slots: 48,
            floor: 2,
        };
        assert_eq!(three_workers.per_org(1), 46);
        let tiny = Share { slots: 1, floor: 2 };
        assert_eq!(tiny.per_org(1), 2, "never below the floor");
    }
}
