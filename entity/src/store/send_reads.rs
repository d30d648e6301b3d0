//! Reads of a mailbox's sends for the API: the sends, their attempts, per-day counts and
//! the events list. Warmup sends and the sender's continuations in threads are told apart.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use warmup_domain::plan_date::PlanDate;
use warmup_domain::state::{EventOutcome, SendState};

use super::StoreError;
use crate::{send, send_attempt};
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
    from: PlanDate,
    to: PlanDate,
) -> Result<Vec<DayStats>, StoreError> {
    // `YYYY-MM-DD` sorts as text in date order.
    let rows = send::Entity::find()
        .filter(send::Column::OrganizationId.eq(org.0))
        .filter(send::Column::MailboxId.eq(mailbox_id))
        .filter(send::Column::PlanDate.gte(from.to_string()))
        .filter(send::Column::PlanDate.lte(to.to_string()))
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
        let state = SendState::parse(&s.state);
        if is_continuation(&s) {
            d.continuations_planned += 1;
            if state == Some(SendState::Sent) {
                d.continuations_sent += 1;
            }
            continue;
        }
        d.planned += 1;
        match state {
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
