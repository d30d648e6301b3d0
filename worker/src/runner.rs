//! The background worker process: apalis workers registered on one monitor, stopped together
//! when the process is told to stop.

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use apalis::prelude::*;
use apalis_cron::CronScheduler;
use sea_orm::DatabaseConnection;

use crate::sender::SendDeps;
use crate::{housekeeping, planner, sender, sender_scan};

/// What the jobs share.
#[derive(Clone)]
pub struct JobState {
    pub db: DatabaseConnection,
}

/// How the worker runs.
#[derive(Clone)]
pub struct WorkerOptions {
    /// Cron schedule (with seconds) of the housekeeping job.
    pub housekeeping_schedule: String,
    /// Planning and sending warmup mail; `None` runs housekeeping only.
    pub warmup: Option<SendDeps>,
    /// Simulated time between two rounds of planning and sending.
    pub tick: chrono::Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            housekeeping_schedule: "0 */10 * * * *".to_string(),
            warmup: None,
            tick: chrono::Duration::seconds(30),
        }
    }
}

/// Plans and sends until told to stop; a failed round is logged and the next one tries again.
async fn warmup_loop(
    db: DatabaseConnection,
    deps: SendDeps,
    tick: chrono::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    use rand::SeedableRng;
    let owner = format!("worker-{}", uuid::Uuid::new_v4().simple());
    let mut rng = rand::rngs::StdRng::from_os_rng();
    // At least 50 ms of real time between rounds, however fast the clock runs.
    let pause = deps.clock.real(tick).max(Duration::from_millis(50));
    // Inboxes are read every five simulated minutes, and never more than every two seconds.
    let scan_every = deps
        .clock
        .real(chrono::Duration::minutes(5))
        .max(Duration::from_secs(2));
    let mut last_scan: Option<std::time::Instant> = None;
    while !*stop.borrow() {
        if last_scan.is_none_or(|t| t.elapsed() >= scan_every) {
            last_scan = Some(std::time::Instant::now());
            if let Err(e) = sender_scan::scan_all(&db, &deps).await {
                tracing::error!(error = %e, "reading delivery reports failed");
            }
        }
        if let Err(e) = planner::plan_due(&db, &deps.clock, &mut rng).await {
            tracing::error!(error = %e, "planning failed");
        }
        if let Err(e) = sender::recover_expired(&db, &deps, &owner).await {
            tracing::error!(error = %e, "recovering interrupted sends failed");
        }
        if let Err(e) = sender::send_due(&db, &deps, &owner).await {
            tracing::error!(error = %e, "sending failed");
        }
        tokio::select! {
            _ = stop.changed() => {}
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// Why the worker could not run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("invalid schedule {0:?}: {1}")]
    Schedule(String, String),
    #[error("worker failed: {0}")]
    Monitor(String),
}

/// Runs every background job until `shutdown` resolves.
pub async fn run_until(
    db: DatabaseConnection,
    options: WorkerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    let schedule = cron::Schedule::from_str(&options.housekeeping_schedule)
        .map_err(|e| RunError::Schedule(options.housekeeping_schedule.clone(), e.to_string()))?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    // Polled in this task, not spawned: whoever stops or aborts the worker stops it all.
    let warmup = {
        let db = db.clone();
        let deps = options.warmup.clone();
        let tick = options.tick;
        async move {
            if let Some(deps) = deps {
                warmup_loop(db, deps, tick, stop_rx).await;
            }
        }
    };
    let state = JobState { db };
    let monitor = Monitor::new()
        .shutdown_timeout(Duration::from_secs(30))
        .should_restart(|_ctx, _err| true)
        .register(move |_restarts| {
            WorkerBuilder::new("housekeeping")
                .backend(CronScheduler::new(schedule.clone()))
                .data(state.clone())
                .build(housekeeping::run)
        });
    let monitor = monitor.run_with_signal(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
        Ok(())
    });
    // The round in progress finishes its sends before the worker returns.
    let (result, ()) = tokio::join!(monitor, warmup);
    result.map_err(|e| RunError::Monitor(e.to_string()))
}
