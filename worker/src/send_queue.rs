//! The send queue: one apalis job per due send, stored in the service's own database (SQLite or
//! Postgres) beside the send rows. A job carries only the send's id; the send row stays the
//! record of truth, and the conditional `queued → sending` claim makes a job delivered twice,
//! or a job for a send cancelled meanwhile, do nothing.

use apalis::prelude::{TaskBuilder, TaskSink};
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The queue's name in the job tables.
pub const QUEUE: &str = "warmup-sends";

/// A job fails only when the database does; three tries ride out a short outage, and the
/// dispatcher queues the send again later anyway.
const MAX_JOB_ATTEMPTS: usize = 3;

/// One due send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendJob {
    pub send_id: Uuid,
}

/// The job storage on the service's database connection pool.
#[derive(Clone)]
pub enum SendQueue {
    Sqlite(SqliteStorage<SendJob>),
    Postgres(PostgresStorage<SendJob>),
}

impl SendQueue {
    /// The queue on `db`'s own pool.
    pub fn new(db: &DatabaseConnection) -> Self {
        match db.get_database_backend() {
            DbBackend::Postgres => Self::Postgres(
                PostgresStorage::new(db.get_postgres_connection_pool())
                    .with_config(apalis_postgres::Config::default().queue(QUEUE)),
            ),
            _ => Self::Sqlite(
                SqliteStorage::new(db.get_sqlite_connection_pool())
                    .with_config(apalis_sqlite::Config::default().queue(QUEUE)),
            ),
        }
    }

    /// Pushes a job for each send that has no live one; returns the sends that have one
    /// already. Each send has at most one job row (its id is the job's idempotency key): a
    /// send queued again after its deadline gets no second job while the first still waits,
    /// runs or is to be retried, and gets a new one once the old job ended (done, killed, out
    /// of attempts) or if it never got stored.
    pub async fn push(
        &mut self,
        db: &DatabaseConnection,
        send_ids: &[Uuid],
    ) -> Result<Vec<Uuid>, String> {
        let mut live = Vec::new();
        for &send_id in send_ids {
            let key = send_id.to_string();
            if has_live_job(db, &key).await? {
                live.push(send_id);
                continue;
            }
            let task = TaskBuilder::new(SendJob { send_id })
                .max_attempts(MAX_JOB_ATTEMPTS)
                .idempotency_key(&key)
                .build();
            let pushed = match self {
                Self::Sqlite(s) => s.push_task(task).await.map_err(|e| e.to_string()),
                Self::Postgres(p) => p.push_task(task).await.map_err(|e| e.to_string()),
            };
            match pushed {
                // Postgres refuses a second row for the key (SQLite skips it quietly): a job
                // was stored meanwhile.
                Err(e) if e.contains("idx_jobs_idempotency_key") => live.push(send_id),
                other => other.map_err(|e| format!("pushing a send job failed: {e}"))?,
            }
        }
        Ok(live)
    }
}

/// Which job rows have ended for good: apalis runs `Failed` ones again while they have
/// attempts left.
const ENDED: &str =
    "(status IN ('Done', 'Killed') OR (status = 'Failed' AND attempts >= max_attempts))";

fn jobs_table(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "apalis.jobs",
        _ => "Jobs",
    }
}

/// Deletes the ended job of the send keyed `key` (so a new one can take its key) and tells
/// whether a live one is left.
async fn has_live_job(db: &DatabaseConnection, key: &str) -> Result<bool, String> {
    let backend = db.get_database_backend();
    let table = jobs_table(backend);
    let (a, b) = match backend {
        DbBackend::Postgres => ("$1", "$2"),
        _ => ("?", "?"),
    };
    let filter = format!("job_type = {a} AND idempotency_key = {b}");
    let values = || [QUEUE.into(), key.into()];
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!("DELETE FROM {table} WHERE {filter} AND {ENDED}"),
        values(),
    ))
    .await
    .map_err(|e| format!("clearing an ended send job failed: {e}"))?;
    let left = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT 1 FROM {table} WHERE {filter}"),
            values(),
        ))
        .await
        .map_err(|e| format!("looking up a send's job failed: {e}"))?;
    Ok(left.is_some())
}

/// Creates or upgrades the job tables. Not the crate's `setup`, which also changes SQLite
/// settings (`synchronous = OFF`) on the shared pool.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), String> {
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
    run.map_err(|e| format!("migrating the job tables failed: {e}"))
}

/// How many job-table migrations this binary has that the database lacks.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, String> {
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

/// Forgets finished jobs done before `before`; the send rows keep the history.
pub async fn purge_finished(db: &DatabaseConnection, before: DateTime<Utc>) -> Result<u64, String> {
    let backend = db.get_database_backend();
    let statement = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            format!("DELETE FROM apalis.jobs WHERE job_type = $1 AND {ENDED} AND done_at < $2"),
            [QUEUE.into(), before.into()],
        ),
        // SQLite keeps `done_at` in Unix seconds.
        _ => Statement::from_sql_and_values(
            backend,
            format!("DELETE FROM Jobs WHERE job_type = ? AND {ENDED} AND done_at < ?"),
            [QUEUE.into(), before.timestamp().into()],
        ),
    };
    db.execute_raw(statement)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| format!("purging finished send jobs failed: {e}"))
}
