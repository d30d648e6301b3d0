//! Sends due messages: each queued as a job, claimed under a lease (so no two workers send it),
//! delivered with the mailbox's own credentials, the server's answer classified and recorded,
//! transient failures scheduled again with backoff, and the mailbox stopped when retrying
//! cannot help.

use std::time::Instant;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait};
use warmup_domain::log_text::escape_control;
use warmup_domain::retry::RetryDecision;
use warmup_domain::smtp_reply::SmtpReply;
use warmup_domain::state::SendState;
use warmup_entity::secret_box::context;
use warmup_entity::store::StoreError;
use warmup_entity::store::processes;
use warmup_entity::store::sends::{self, AttemptRecord};
use warmup_entity::{mailbox, send};
use warmup_mail::MailError;
use warmup_mail::message::{self, Address, Outgoing};

use crate::Error;
use crate::deps::{SendDeps, mailbox_smtp};
use crate::send_queue::SendQueue;

/// Real time a queued send waits for its job before it is looked at again: a send whose job
/// still waits (a busy queue) keeps it, one whose job never got stored (its worker was killed
/// between queueing and pushing) gets a new one. Such a send holds one of its organization's
/// places in the queue until then: half a minute, not the two it once was; shorter would
/// look at every send of a backed-up queue ever more often.
const QUEUE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// Sends one organization may always have queued or sending at once, over all workers, however
/// many others wait: its share is otherwise an even part of all live workers' send slots.
pub const SENDS_IN_FLIGHT_PER_ORG: u64 = 2;

/// Real time after which a send that still had a job waiting when it was queued is looked at
/// again.
const LIVE_JOB_RECHECK: std::time::Duration = std::time::Duration::from_secs(2);

/// What one call of [`queue_due`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct QueuedNow {
    /// Jobs pushed.
    pub pushed: usize,
    /// Whether sends may still be due (see [`sends::Queued::more_due`]).
    pub more_due: bool,
}

/// How long a count of the live worker processes is used before it is read again: processes
/// beat every few seconds and count as dead only after many, so a count a few seconds old
/// shares the send slots as well as a fresh one, without a read every round.
const LIVE_COUNT_KEPT: std::time::Duration = std::time::Duration::from_secs(5);

/// The live worker processes, as last counted by this loop.
#[derive(Debug)]
pub struct LiveWorkers {
    kept: std::time::Duration,
    counted: Option<(Instant, u64)>,
}

impl Default for LiveWorkers {
    fn default() -> Self {
        Self::kept_for(LIVE_COUNT_KEPT)
    }
}

impl LiveWorkers {
    /// A count that is read again once it is `kept` old.
    pub fn kept_for(kept: std::time::Duration) -> Self {
        Self {
            kept,
            counted: None,
        }
    }

    /// The live worker processes at `now`, read when the last count is too old.
    pub async fn count(
        &mut self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        if let Some((at, n)) = self.counted
            && at.elapsed() < self.kept
        {
            return Ok(n);
        }
        let n = processes::alive(db, now).await?;
        self.counted = Some((Instant::now(), n));
        Ok(n)
    }
}

/// What a round of queueing reads and settles once, not for every send it queues: sends of
/// paused warmups whose job was lost go back to wait, and the organizations' share of the live
/// workers' send slots (`slots` a process) is read.
pub async fn start_round(
    db: &DatabaseConnection,
    deps: &SendDeps,
    slots: usize,
    live: &mut LiveWorkers,
) -> Result<sends::Share, Error> {
    let now = deps.clock.now();
    sends::release_paused(db, now).await?;
    let workers = live.count(db, now).await?.max(1);
    Ok(sends::Share {
        slots: workers.saturating_mul(u64::try_from(slots).unwrap_or(u64::MAX)),
        floor: SENDS_IN_FLIGHT_PER_ORG,
    })
}

/// Queues what is due: each send moves to `queued` (only one worker wins it) and gets a job,
/// each organization within `share` (from [`start_round`]); `look_behind` as for
/// [`sends::queue_due`].
pub async fn queue_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    queue: &mut SendQueue,
    share: sends::Share,
    look_behind: bool,
) -> Result<QueuedNow, Error> {
    let mut done = QueuedNow::default();
    // A bounded batch per round keeps planning and report reading going on busy days.
    for _ in 0..5 {
        let now = deps.clock.now();
        let until = now + deps.simulated(QUEUE_DEADLINE);
        let queued = sends::queue_due(db, now, until, 50, share, look_behind).await?;
        // A send that had no job gets one; one queued before may still have its job waiting.
        // A failed push leaves the send queued without a job; it is queued again after the
        // deadline.
        queue.push_new(&queued.fresh).await?;
        let waiting = queue.push(db, &queued.again).await?;
        if !waiting.is_empty() {
            // Its job from a moment ago may still be finishing (apalis records the end
            // lazily): look again soon rather than after the whole deadline.
            let soon = now + deps.simulated(LIVE_JOB_RECHECK);
            sends::requeue_after(db, &waiting, soon).await?;
        }
        done.pushed += queued.len() - waiting.len();
        done.more_due = queued.more_due;
        if queued.len() < 50 {
            break;
        }
    }
    Ok(done)
}

/// Sends one queued send, the work of one job: claimed under a lease that outlives any SMTP
/// conversation ([`warmup_mail::ConnectOptions::send_lease`]), delivered, and its outcome
/// recorded. Returns false when the
/// send was not queued any more (a job delivered twice, a send cancelled meanwhile).
pub async fn send_queued(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    send_id: uuid::Uuid,
) -> Result<bool, StoreError> {
    let now = deps.clock.now();
    let lease = deps.simulated(deps.connect.send_lease());
    let Some(s) = sends::claim_queued(db, send_id, owner, now, now + lease).await? else {
        return Ok(false);
    };
    let Some(m) = mailbox::Entity::find_by_id(s.mailbox_id).one(db).await? else {
        return Ok(false);
    };
    let started = Instant::now();
    let reply = deliver(&m, &s, deps).await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    // A failed send is retried for a while from its first try, not from its planned time: a
    // send that waited behind others (a backlog, a stopped service) keeps all its retries. On
    // its first claim (attempts counts claims) there is no earlier attempt to read.
    let first_try = if reply.accepted() || s.attempts <= 1 {
        now
    } else {
        sends::first_attempt_at(db, s.id)
            .await?
            .map_or(now, |t| t.min(now))
    };
    let now = deps.clock.now();
    let (state, next, stop) = decide(&reply, &s, deps, first_try, now);
    let record = AttemptRecord {
        code: (reply.code > 0).then_some(reply.code),
        enhanced: reply.enhanced.map(|e| e.to_string()),
        text: reply.text.clone(),
        category: reply.category.as_str().to_string(),
        state,
        next_attempt_at: next,
        duration_ms,
        sender: Some(m.email.clone()),
    };
    let recorded = sends::record_attempt(db, &s, owner, now, record).await?;
    if let Some(reason) = stop {
        tracing::warn!(mailbox = %m.id, reason = %escape_control(&reason), "stopping the mailbox");
        // The stop and its event are one change.
        let txn = warmup_entity::store::write_txn::begin(db)
            .await
            .map_err(StoreError::from)?;
        sends::stop_mailbox(&txn, m.id, &reason, now).await?;
        txn.commit().await.map_err(StoreError::from)?;
    }
    Ok(recorded)
}

/// The next state after an attempt, when to try again (the send first tried at `first_try`),
/// and whether to stop the mailbox.
fn decide(
    reply: &SmtpReply,
    s: &send::Model,
    deps: &SendDeps,
    first_try: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (SendState, Option<DateTime<Utc>>, Option<String>) {
    if reply.accepted() {
        return (SendState::Sent, None, None);
    }
    if let Some(reason) = reply.stops_the_mailbox() {
        return (SendState::Failed, None, Some(reason));
    }
    let failed = u32::try_from(s.attempts).unwrap_or(u32::MAX);
    let jitter: f64 = rand::random();
    match deps.retry.next(failed, reply, first_try, now, jitter) {
        RetryDecision::RetryAt { at } => (SendState::Deferred, Some(at), None),
        RetryDecision::GiveUp { .. } => (SendState::Failed, None, None),
    }
}

/// One SMTP conversation with the mailbox's submission server.
async fn deliver(m: &mailbox::Model, s: &send::Model, deps: &SendDeps) -> SmtpReply {
    match prepare(m, s, deps) {
        Ok((login, built, signed)) => {
            warmup_mail::smtp::submit(&login, &deps.tls, &deps.connect, &built, signed.as_deref())
                .await
        }
        Err(e) => SmtpReply::unanswered(&e.to_string()),
    }
}

/// The mailbox's login, the message, and its DKIM-signed bytes when the mailbox has a key.
fn prepare(
    m: &mailbox::Model,
    s: &send::Model,
    deps: &SendDeps,
) -> Result<(warmup_mail::ServerLogin, message::Built, Option<Vec<u8>>), Error> {
    let login = deps.login(&mailbox_smtp(m))?;
    let built = message::build(&Outgoing {
        from: Address {
            name: Some(&m.display_name),
            email: &m.email,
        },
        to: Address {
            name: None,
            email: &s.seed_email,
        },
        subject: &s.subject,
        message_id: &s.message_id,
        // A sender continuing a thread answers the seed's reply.
        in_reply_to: s.in_reply_to.as_deref(),
        references: s.reference_ids.as_deref(),
        date: deps.clock.now(),
        body: &s.body,
    })
    .map_err(|e| MailError::Message(format!("cannot build the message: {e}")))?;
    let signed = dkim_signed(m, &built, deps)?;
    Ok((login, built, signed))
}

/// The message signed with the mailbox's DKIM key, or `None` when it has none.
pub(crate) fn dkim_signed(
    m: &mailbox::Model,
    built: &message::Built,
    deps: &SendDeps,
) -> Result<Option<Vec<u8>>, Error> {
    let (Some(selector), Some(domain), Some(sealed)) =
        (&m.dkim_selector, &m.dkim_domain, &m.dkim_private_key)
    else {
        return Ok(None);
    };
    let pem = deps
        .secrets
        .open(sealed, &context("mailbox", m.id, "dkim"))
        .map_err(|e| Error::Secret(format!("the stored DKIM key cannot be read: {e}")))?;
    Ok(Some(warmup_mail::dkim::sign(
        &built.bytes(),
        pem.expose(),
        domain,
        selector,
    )?))
}
