//! Periodic clean-up. Every process runs it on its own cron schedule; each step is idempotent,
//! so several workers on one database only repeat harmless deletes.

use apalis::prelude::{BoxDynError, Data};
use apalis_cron::Tick;
use chrono::Duration;
use warmup_entity::store::{idempotency, leases, rate_windows};

/// What the housekeeping job needs.
#[derive(Clone)]
pub struct JobState {
    pub db: sea_orm::DatabaseConnection,
    pub clock: warmup_entity::Clock,
}

/// How long a POST's answer is replayed for a retried `Idempotency-Key`.
pub const IDEMPOTENCY_RETENTION_HOURS: i64 = 24;

/// How long finished send jobs stay in the job table (the send rows keep the history).
pub const FINISHED_JOB_RETENTION_HOURS: i64 = 24;

/// How long events, their deliveries and tries are kept (and shown in the deliveries list).
pub const EVENT_RETENTION_DAYS: i64 = 30;

/// One round of clean-up.
pub async fn run(_tick: Tick, state: Data<JobState>) -> Result<(), BoxDynError> {
    // Requests and jobs live in real time, whatever the clock's speed: a client retries a
    // request seconds later, not simulated hours.
    let cutoff = state.clock.wall_now() - Duration::hours(IDEMPOTENCY_RETENTION_HOURS);
    let purged = idempotency::purge_older_than(&state.db, cutoff).await?;
    if purged > 0 {
        tracing::info!(purged, "forgot expired idempotency keys");
    }
    let cutoff = state.clock.wall_now() - Duration::hours(FINISHED_JOB_RETENTION_HOURS);
    let purged = crate::send_queue::purge_finished(&state.db, cutoff).await?;
    if purged > 0 {
        tracing::info!(purged, "forgot finished send jobs");
    }
    // Leases are in the service's (possibly simulated) time; a day past its end, a lease's
    // holder is surely gone, and so may be its account.
    let purged = leases::purge_expired(&state.db, state.clock.now() - Duration::days(1)).await?;
    if purged > 0 {
        tracing::info!(purged, "forgot expired leases");
    }
    // The API's request windows are a minute of wall-clock time: older ones have ended.
    let ended = state.clock.wall_now().timestamp_millis() - 2 * rate_windows::WINDOW_MS;
    let purged = rate_windows::purge_before(&state.db, ended).await?;
    if purged > 0 {
        tracing::debug!(purged, "forgot ended request windows");
    }
    let before = state.clock.now() - Duration::days(EVENT_RETENTION_DAYS);
    let purged = warmup_entity::store::events::purge_before(&state.db, before).await?;
    if purged > 0 {
        tracing::info!(purged, "forgot old events and their deliveries");
    }
    Ok(())
}
