//! The background worker process: apalis workers registered on one monitor, stopped together
//! when the process is told to stop.

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use apalis::prelude::*;
use apalis_cron::CronScheduler;
use sea_orm::DatabaseConnection;

use crate::housekeeping;

/// What the jobs share.
#[derive(Clone)]
pub struct JobState {
    pub db: DatabaseConnection,
}

/// How the worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Cron schedule (with seconds) of the housekeeping job.
    pub housekeeping_schedule: String,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            housekeeping_schedule: "0 */10 * * * *".to_string(),
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
    monitor
        .run_with_signal(async move {
            shutdown.await;
            Ok(())
        })
        .await
        .map_err(|e| RunError::Monitor(e.to_string()))
}
