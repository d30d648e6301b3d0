//! Every query the service runs, as functions that take the caller's organization: an
//! unscoped read of tenant data cannot be written by accident from outside this module.

pub mod alerts;
pub mod api_keys;
pub mod clock;
pub mod domains;
mod earliest;
pub mod email_key;
pub mod engagement;
pub mod events;
pub mod idempotency;
pub mod in_use;
pub mod leases;
pub mod mailboxes;
pub mod metrics;
pub mod organizations;
pub mod page;
pub mod placement_tests;
pub mod placements;
pub mod plans;
pub mod processes;
pub mod rate_windows;
pub mod reports;
pub mod rollups;
pub mod seed_list;
pub mod seed_splits;
pub mod seeds;
pub mod send_queue;
pub mod send_reads;
pub mod sends;
pub mod verification;
pub mod warmup;
pub mod webhook_deliveries;
pub mod webhooks;
pub mod write_txn;

use sea_orm::{DbErr, SqlErr};
use uuid::Uuid;

/// The organization a request acts for. Built only from an authenticated API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrgId(pub Uuid);

/// What can go wrong in the data layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Conflict(String),
    /// A per-organization cap is reached; the message names it and what frees room.
    #[error("{0}")]
    LimitReached(String),
    /// The seed pool cannot give a split as many seeds as asked; `available` could be given.
    #[error("only {available} seeds of this provider and group can take another split")]
    NotEnoughSeeds { available: u32 },
    /// A stored value that no longer parses: a bug or a hand-edited row, never client input.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

/// `SUM(n)` as a 64-bit integer on both databases (Postgres sums a `BIGINT` to `NUMERIC`).
pub(crate) const SUM_N: &str = "CAST(SUM(n) AS BIGINT)";
/// `COUNT(*)` as a 64-bit integer on both databases.
pub(crate) const COUNT_ALL: &str = "CAST(COUNT(*) AS BIGINT)";

/// Whether `err` says the database is busy rather than that the statement is wrong: SQLite's
/// lock outlasted the busy timeout (`SQLITE_BUSY`, `SQLITE_LOCKED` and their extended codes),
/// Postgres gave up on a lock or a serialization (`40001`, `40P01`, `55P03`), or no pooled
/// connection came free in time. The same request can succeed a moment later.
pub fn is_busy(err: &DbErr) -> bool {
    use sea_orm::sqlx;
    use sea_orm::{ConnAcquireErr, RuntimeErr};
    let e = match err {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    match e.as_ref() {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(d) => {
            let code = d.code().unwrap_or_default();
            if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // An extended code keeps its primary code in the low byte.
                code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
            } else {
                matches!(code.as_ref(), "40001" | "40P01" | "55P03")
            }
        }
        _ => false,
    }
}

/// Maps a unique-constraint violation to a conflict with a readable reason.
pub(crate) fn conflict_on_unique(err: DbErr, what: &str) -> StoreError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(what.to_string()),
        _ => StoreError::Db(err),
    }
}
