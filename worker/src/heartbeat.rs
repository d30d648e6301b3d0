//! The process's heartbeat: every few seconds it says it is alive, and frees what processes
//! that stopped beating held (their seed sessions, sends and webhook deliveries), so a worker
//! killed mid-work delays nobody for longer than its heartbeat's time to live.

use std::time::Duration;

use sea_orm::DatabaseConnection;
use warmup_domain::log_text::escape_control;
use warmup_entity::Clock;
use warmup_entity::store::processes;

/// Real time between two beats.
pub const BEAT_EVERY: Duration = Duration::from_secs(3);

/// Real time a process counts as alive after its last beat: five beats, so that a loaded
/// machine or a database busy for a while does not pass a live process for dead. Were it
/// wrong, no warmup message is sent twice (a send's claim and the missing window guard that),
/// but a seed might see two of our sessions at once and a webhook delivery in flight might be
/// tried again (webhooks are at least once; receivers deduplicate by `webhook-id`).
pub const ALIVE_FOR: Duration = Duration::from_secs(15);

/// Beats for `name` until `stop` resolves, then says it has gone. The caller resolves it only
/// once every job and loop of the process has ended: a process still finishing its work must
/// not look dead to the others.
pub async fn run(
    db: DatabaseConnection,
    clock: Clock,
    name: String,
    stop: impl std::future::Future<Output = ()>,
) {
    let mut registered = false;
    tokio::pin!(stop);
    loop {
        match beat_once(&db, &clock, &name).await {
            Ok(known) => {
                if registered && !known {
                    tracing::warn!(
                        "this process's heartbeat came too late: others took it for dead and freed what it held"
                    );
                }
                registered = true;
            }
            Err(e) => tracing::error!(error = %escape_control(&e.to_string()), "heartbeat failed"),
        }
        tokio::select! {
            () = &mut stop => break,
            () = tokio::time::sleep(BEAT_EVERY) => {}
        }
    }
    if let Err(e) = processes::leave(&db, &name, clock.now()).await {
        tracing::warn!(error = %escape_control(&e.to_string()), "could not sign off");
    }
}

/// One beat, and the freeing of what dead processes held. False when the process was not
/// known as alive (its first beat, or a beat too late).
pub async fn beat_once(
    db: &DatabaseConnection,
    clock: &Clock,
    name: &str,
) -> Result<bool, crate::Error> {
    let now = clock.now();
    let known = processes::beat(db, name, now, now + clock.simulated(ALIVE_FOR)).await?;
    let reaped = processes::reap(db, now).await?;
    if reaped.processes > 0 {
        tracing::info!(
            processes = reaped.processes,
            leases = reaped.leases,
            sends = reaped.sends,
            deliveries = reaped.deliveries,
            "freed what stopped worker processes held"
        );
    }
    Ok(known)
}
