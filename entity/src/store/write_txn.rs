//! Transactions that write.
//!
//! On SQLite a transaction begins deferred: it reads on a snapshot and takes the write lock at
//! its first write. If another connection committed in between, that write fails at once with
//! `SQLITE_BUSY_SNAPSHOT` (517, "database is locked"), which no busy timeout waits out: under
//! concurrent writes (an API request beside the worker's rounds) such requests failed. Begun
//! `IMMEDIATE`, the transaction takes the write lock first and waits its turn within the busy
//! timeout instead. Postgres ignores the mode.

use sea_orm::{DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait};

/// Begins a transaction that will write (see the module's note).
pub async fn begin<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
