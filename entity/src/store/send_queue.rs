//! The send queue as an organization manages it, like `mailq`, `postqueue -f` and
//! `postsuper -d`: list what waits, make deferred sends due now, delete sends that have not
//! gone out. A deleted send keeps its row, `cancelled`, with when and why; a send a worker
//! holds (`sending`) cannot be deleted, since its message may be on the wire.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;
use warmup_domain::send_errors::AttemptFact;
use warmup_domain::state::SendState;

use super::page::{Page, PageRequest};
use super::{OrgId, StoreError};
use crate::{send, send_attempt};

/// States a queued send can be in, in the lifecycle's order.
pub const QUEUE_STATES: [SendState; 4] = [
    SendState::Planned,
    SendState::Queued,
    SendState::Sending,
    SendState::Deferred,
];

/// States from which a send can be deleted.
pub const DELETABLE: [SendState; 3] = [SendState::Planned, SendState::Queued, SendState::Deferred];

/// Which sends an operation applies to; every field narrows it.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Empty: every state the operation allows.
    pub states: Vec<SendState>,
    pub mailbox_id: Option<Uuid>,
    /// The recipient's domain (lower-case, checked by the caller to be a host name).
    pub domain: Option<String>,
    /// The last attempt's category word.
    pub category: Option<String>,
    /// The last attempt's enhanced status, whole (`4.4.2`) or its class and subject (`4.4`).
    pub enhanced: Option<String>,
}

impl QueueFilter {
    fn condition(&self, org: OrgId, allowed: &[SendState]) -> Condition {
        let states: Vec<&str> = if self.states.is_empty() {
            allowed.iter().map(|s| s.as_str()).collect()
        } else {
            self.states
                .iter()
                .filter(|s| allowed.contains(s))
                .map(|s| s.as_str())
                .collect()
        };
        let mut c = Condition::all()
            .add(send::Column::OrganizationId.eq(org.0))
            .add(send::Column::State.is_in(states));
        if let Some(m) = self.mailbox_id {
            c = c.add(send::Column::MailboxId.eq(m));
        }
        if let Some(d) = &self.domain {
            // A host name holds no LIKE wildcard (`%`, `_`): the caller checked it. Addresses
            // keep their case; Postgres' LIKE minds it.
            c = c.add(
                Expr::expr(Func::lower(Expr::col(send::Column::SeedEmail))).like(format!("%@{d}")),
            );
        }
        if let Some(cat) = &self.category {
            c = c.add(send::Column::LastCategory.eq(cat.as_str()));
        }
        if let Some(e) = &self.enhanced {
            c = if e.matches('.').count() == 2 {
                c.add(send::Column::LastEnhanced.eq(e.as_str()))
            } else {
                c.add(send::Column::LastEnhanced.like(format!("{e}.%")))
            };
        }
        c
    }
}

/// A page of the organization's queue, oldest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    filter: &QueueFilter,
    page: PageRequest,
) -> Result<Page<send::Model>, StoreError> {
    let mut q = send::Entity::find().filter(filter.condition(org, &QUEUE_STATES));
    if let Some(after) = page.after {
        q = q.filter(send::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(send::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_overfetch(rows, page.limit, |s| s.id))
}

/// Makes the deferred sends that match due now: the next queue round takes them. Returns how
/// many.
pub async fn flush<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    filter: &QueueFilter,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let res = send::Entity::update_many()
        .col_expr(send::Column::NextAttemptAt, Expr::value(now))
        .col_expr(send::Column::UpdatedAt, Expr::value(now))
        .filter(filter.condition(org, &[SendState::Deferred]))
        .filter(send::Column::NextAttemptAt.gt(now))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// What deleting one send did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deleted {
    Cancelled,
    NotFound,
    /// Not in a state that can be deleted; the state it is in.
    Refused(SendState),
}

fn cancel(reason: &str, now: DateTime<Utc>) -> sea_orm::UpdateMany<send::Entity> {
    send::Entity::update_many()
        .col_expr(
            send::Column::State,
            Expr::value(SendState::Cancelled.as_str()),
        )
        .col_expr(send::Column::CancelledAt, Expr::value(Some(now)))
        .col_expr(
            send::Column::CancelReason,
            Expr::value(Some(reason.to_string())),
        )
        .col_expr(
            send::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            send::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(send::Column::UpdatedAt, Expr::value(now))
}

/// Deletes one send from the queue, if it has not gone out and no worker holds it. Guarded by
/// its state, so a worker that claims it at the same moment wins or loses whole.
pub async fn delete_one<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    send_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Deleted, StoreError> {
    let res = cancel(reason, now)
        .filter(send::Column::Id.eq(send_id))
        .filter(send::Column::OrganizationId.eq(org.0))
        .filter(send::Column::State.is_in(DELETABLE.map(|s| s.as_str())))
        .exec(db)
        .await?;
    if res.rows_affected == 1 {
        return Ok(Deleted::Cancelled);
    }
    let found = send::Entity::find_by_id(send_id)
        .filter(send::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?;
    Ok(match found {
        None => Deleted::NotFound,
        Some(s) => Deleted::Refused(SendState::parse(&s.state).unwrap_or(SendState::Sent)),
    })
}

/// Deletes every matching send that can be; returns how many were deleted and how many
/// matching ones a worker holds (left alone).
pub async fn delete_matching<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    filter: &QueueFilter,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(u64, u64), StoreError> {
    let res = cancel(reason, now)
        .filter(filter.condition(org, &DELETABLE))
        .exec(db)
        .await?;
    let sending = if filter.states.is_empty() || filter.states.contains(&SendState::Sending) {
        send::Entity::find()
            .filter(filter.condition(org, &[SendState::Sending]))
            .count(db)
            .await?
    } else {
        0
    };
    Ok((res.rows_affected, sending))
}

/// The attempts of a mailbox in `[from, to]` (days, UTC) with their sends' recipients and
/// fates, for [`warmup_domain::send_errors::group`].
pub async fn attempts_between<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    mailbox_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AttemptFact>, StoreError> {
    let start = warmup_domain::plan_date::utc_start(from);
    let end = warmup_domain::plan_date::utc_start(to.succ_opt().unwrap_or(to));
    let attempts = send_attempt::Entity::find()
        .filter(send_attempt::Column::OrganizationId.eq(org.0))
        .filter(send_attempt::Column::MailboxId.eq(mailbox_id))
        .filter(send_attempt::Column::AttemptedAt.gte(start))
        .filter(send_attempt::Column::AttemptedAt.lt(end))
        .all(db)
        .await?;
    let mut sends: std::collections::HashMap<Uuid, send::Model> = std::collections::HashMap::new();
    let ids: Vec<Uuid> = attempts
        .iter()
        .map(|a| a.send_id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // In slices, so that no database's limit on bound parameters is reached.
    for chunk in ids.chunks(500) {
        for s in send::Entity::find()
            .filter(send::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            sends.insert(s.id, s);
        }
    }
    Ok(attempts
        .into_iter()
        .filter_map(|a| {
            let s = sends.get(&a.send_id)?;
            Some(AttemptFact {
                send_id: a.send_id,
                at: a.attempted_at,
                outcome: a.outcome,
                code: a.code,
                enhanced: a.enhanced,
                category: a.category,
                text: a.text,
                domain: warmup_domain::email::domain_of(&s.seed_email),
                eventually_sent: s.state == SendState::Sent.as_str() || s.sent_at.is_some(),
            })
        })
        .collect())
}
