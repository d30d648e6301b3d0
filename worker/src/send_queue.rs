//! The job queues: one apalis job per due send (and per due webhook delivery), stored in the
//! service's own database (SQLite or Postgres) beside the rows they work on. A job carries only
//! its row's id; the row stays the record of truth, and the conditional `queued → sending`
//! (`queued → delivering`) claim makes a job run twice, or a job for a row cancelled
//! meanwhile, do nothing.

use apalis::prelude::{TaskBuilder, TaskSink};
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Error;

/// The send queue's name in the job tables.
pub const QUEUE: &str = "warmup-sends";
/// The webhook queue's name in the job tables.
pub const WEBHOOK_QUEUE: &str = "warmup-webhooks";

/// A job fails only when the database does; three tries ride out a short outage, and the
/// dispatcher queues the send again later anyway.
const MAX_JOB_ATTEMPTS: usize = 3;

/// A job that names one row.
pub trait RowJob:
    Serialize + for<'de> Deserialize<'de> + Clone + Send + Sync + Unpin + 'static
{
    /// The queue's name in the job tables.
    const QUEUE: &'static str;
    fn for_row(id: Uuid) -> Self;
}

/// One due send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendJob {
    pub send_id: Uuid,
}

impl RowJob for SendJob {
    const QUEUE: &'static str = QUEUE;
    fn for_row(send_id: Uuid) -> Self {
        Self { send_id }
    }
}

/// One due webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookJob {
    pub delivery_id: Uuid,
}

impl RowJob for WebhookJob {
    const QUEUE: &'static str = WEBHOOK_QUEUE;
    fn for_row(delivery_id: Uuid) -> Self {
        Self { delivery_id }
    }
}

/// How often a job worker tells apalis it is alive.
const JOB_HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(5);
/// Beats a job worker may miss before its jobs go to others.
const JOB_MISSED_HEARTBEATS: usize = 3;

/// A job storage on the service's database connection pool.
#[derive(Clone)]
pub enum JobQueue<J> {
    Sqlite(SqliteStorage<J>),
    Postgres(PostgresStorage<J>),
}

/// The send queue.
pub type SendQueue = JobQueue<SendJob>;
/// The webhook delivery queue.
pub type WebhookQueue = JobQueue<WebhookJob>;

impl<J: RowJob> JobQueue<J> {
    /// The queue on `db`'s own pool. A worker fetches at most as many jobs at a time as it runs
    /// at once (`concurrency`), and a worker silent for 15 s has its jobs handed to others (apalis'
    /// default is 5 minutes): a killed worker holds back no send, and no organization's few
    /// sends in flight, for long. A live worker whose job is handed over loses nothing either:
    /// the row's claim lets only one of the two jobs act.
    pub fn new(db: &DatabaseConnection, concurrency: usize) -> Self {
        match db.get_database_backend() {
            DbBackend::Postgres => Self::Postgres(
                PostgresStorage::new(db.get_postgres_connection_pool()).with_config(
                    apalis_postgres::Config::default()
                        .queue(J::QUEUE)
                        .batch_size(concurrency.max(1))
                        .heartbeat_interval(JOB_HEARTBEAT)
                        .missed_heartbeats(JOB_MISSED_HEARTBEATS),
                ),
            ),
            _ => Self::Sqlite(
                SqliteStorage::new(db.get_sqlite_connection_pool()).with_config(
                    apalis_sqlite::Config::default()
                        .queue(J::QUEUE)
                        .batch_size(concurrency.max(1))
                        .heartbeat_interval(JOB_HEARTBEAT)
                        .missed_heartbeats(JOB_MISSED_HEARTBEATS),
                ),
            ),
        }
    }

    /// Pushes a job for each row, which has none yet (a row moved to its queued state for the
    /// first time since its last job ended).
    pub async fn push_new(&mut self, ids: &[Uuid]) -> Result<(), Error> {
        for &id in ids {
            self.push_one(id).await?;
        }
        Ok(())
    }

    async fn push_one(&mut self, id: Uuid) -> Result<(), Error> {
        let key = format!("{id}:{}", Uuid::new_v4().simple());
        let task = TaskBuilder::new(J::for_row(id))
            .max_attempts(MAX_JOB_ATTEMPTS)
            .idempotency_key(&key)
            .build();
        match self {
            Self::Sqlite(s) => s.push_task(task).await.map_err(|e| e.to_string()),
            Self::Postgres(p) => p.push_task(task).await.map_err(|e| e.to_string()),
        }
        .map_err(|e| Error::queue("pushing a job", e))
    }

    /// Pushes a job for each row that has no waiting one; returns the rows that have one
    /// already. A row's jobs are tagged `<row id>:<nonce>` (the idempotency key): a row
    /// queued again after its deadline gets no second job while its first still waits or is
    /// to be retried, and gets a new one once the old job ended (done, killed, out of
    /// attempts), never got stored, or is marked running (by a worker that may have died with
    /// it; if it lives, the two jobs' claims on the row let only one of them act).
    pub async fn push(
        &mut self,
        db: &DatabaseConnection,
        ids: &[Uuid],
    ) -> Result<Vec<Uuid>, Error> {
        let mut waiting = Vec::new();
        for &id in ids {
            if has_waiting_job(db, J::QUEUE, id).await? {
                waiting.push(id);
                continue;
            }
            self.push_one(id).await?;
        }
        Ok(waiting)
    }
}

/// Which job rows have ended for good: apalis runs `Failed` ones again while they have
/// attempts left.
const ENDED: &str =
    "(status IN ('Done', 'Killed') OR (status = 'Failed' AND attempts >= max_attempts))";

/// Which job rows will still be run: `Running` ones are not counted, a dead worker's stay so
/// until apalis notices, long after a send should have gone.
const WAITING: &str =
    "(status IN ('Pending', 'Queued') OR (status = 'Failed' AND attempts < max_attempts))";

/// The job table's name.
pub fn jobs_table(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "apalis.jobs",
        _ => "Jobs",
    }
}

/// The `LIKE` pattern of a row's job keys.
pub fn job_keys(id: Uuid) -> String {
    format!("{id}:%")
}

/// Deletes the row's ended jobs and tells whether one is waiting to run.
async fn has_waiting_job(db: &DatabaseConnection, queue: &str, id: Uuid) -> Result<bool, Error> {
    let backend = db.get_database_backend();
    let table = jobs_table(backend);
    let (a, b) = match backend {
        DbBackend::Postgres => ("$1", "$2"),
        _ => ("?", "?"),
    };
    let of_send = format!("job_type = {a} AND idempotency_key LIKE {b}");
    let values = || [queue.into(), job_keys(id).into()];
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!("DELETE FROM {table} WHERE {of_send} AND {ENDED}"),
        values(),
    ))
    .await
    .map_err(|e| Error::queue("clearing a row's ended jobs", e))?;
    let waiting = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT 1 FROM {table} WHERE {of_send} AND {WAITING}"),
            values(),
        ))
        .await
        .map_err(|e| Error::queue("looking up a row's jobs", e))?;
    Ok(waiting.is_some())
}

/// Creates or upgrades the job tables. Not the crate's `setup`, which also changes SQLite
/// settings (`synchronous = OFF`) on the shared pool.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), Error> {
    let run = match db.get_database_backend() {
        DbBackend::Postgres => {
            PostgresStorage::migrations()
                .run(db.get_postgres_connection_pool())
                .await
        }
        _ => {
            SqliteStorage::migrations()
                .run(db.get_sqlite_connection_pool())
                .await
        }
    };
    run.map_err(|e| Error::queue("migrating the job tables", e))
}

/// How many job-table migrations this binary has that the database lacks.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, Error> {
    let backend = db.get_database_backend();
    let table = match backend {
        DbBackend::Postgres => "apalis._sqlx_migrations",
        _ => "_sqlx_migrations",
    };
    let sql = format!("SELECT version FROM {table} WHERE success");
    let applied: std::collections::HashSet<i64> =
        match db.query_all_raw(Statement::from_string(backend, sql)).await {
            Ok(rows) => rows
                .iter()
                .filter_map(|r| r.try_get_by_index::<i64>(0).ok())
                .collect(),
            // No table yet: nothing applied.
            Err(_) => Default::default(),
        };
    let missing =
        |versions: &mut dyn Iterator<Item = i64>| versions.filter(|v| !applied.contains(v)).count();
    Ok(match backend {
        DbBackend::Postgres => {
            missing(&mut PostgresStorage::migrations().iter().map(|m| m.version))
        }
        _ => missing(&mut SqliteStorage::migrations().iter().map(|m| m.version)),
    })
}

/// Forgets finished jobs done before `before`; the send and delivery rows keep the history.
pub async fn purge_finished(db: &DatabaseConnection, before: DateTime<Utc>) -> Result<u64, Error> {
    let backend = db.get_database_backend();
    let statement = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            format!(
                "DELETE FROM apalis.jobs WHERE job_type IN ($1, $2) AND {ENDED} AND done_at < $3"
            ),
            [QUEUE.into(), WEBHOOK_QUEUE.into(), before.into()],
        ),
        // SQLite keeps `done_at` in Unix seconds.
        _ => Statement::from_sql_and_values(
            backend,
            format!("DELETE FROM Jobs WHERE job_type IN (?, ?) AND {ENDED} AND done_at < ?"),
            [
                QUEUE.into(),
                WEBHOOK_QUEUE.into(),
                before.timestamp().into(),
            ],
        ),
    };
    db.execute_raw(statement)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| Error::queue("purging finished send jobs", e))
}

/// Lets go of ended jobs on SQLite: apalis-sqlite (1.0) marks a batch of jobs done with a join
/// that reads every job its worker ever locked (`lock_by` stays on ended jobs, and its index
/// is the one the join takes), parsing the batch's JSON once per such job: the cost of each
/// acknowledgement grew with every job the worker had run since the last purge. An ended job
/// needs no lock; without it, a worker's locked jobs are the few it is running. Postgres'
/// acknowledgement finds its jobs by id and needs nothing.
pub async fn unlock_ended(db: &DatabaseConnection) -> Result<u64, Error> {
    if db.get_database_backend() == DbBackend::Postgres {
        return Ok(0);
    }
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        // The unary `+` keeps SQLite from walking the job type's or the status' index (all the
        // jobs kept) instead of the lock's (those still locked): `ENDED`, spelled so.
        "UPDATE Jobs SET lock_by = NULL WHERE lock_by > '' AND +job_type IN (?, ?) \
         AND (+status IN ('Done', 'Killed') OR (+status = 'Failed' AND attempts >= max_attempts))",
        [QUEUE.into(), WEBHOOK_QUEUE.into()],
    ))
    .await
    .map(|r| r.rows_affected())
    .map_err(|e| Error::queue("unlocking ended jobs", e))
}
