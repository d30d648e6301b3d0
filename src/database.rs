//! Opening the database (SQLite file or Postgres) and bringing its schema up to date.

use std::time::Duration;

use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use warmup_migration::{Migrator, MigratorTrait};

use crate::config::{Settings, redact_url};

/// Whose statements a pool runs, which decides how Postgres plans them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The API's: every statement planned for its own values.
    Api,
    /// The worker's (and `migrate`'s): a prepared statement may keep a generic plan.
    Worker,
}

/// What part of the process's Postgres connections (`database_max_connections`) a pool holds;
/// SQLite's pools do not use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Share {
    /// The process's only pool (`api`, `worker`, `migrate`).
    Whole,
    /// The API's pool of `serve`: half, rounded down.
    Half,
    /// The worker's pool of `serve`: what the API's half leaves.
    OtherHalf,
}

/// The most connections a Postgres pool holds for `share` of the process's budget.
fn postgres_pool_size(settings: &Settings, share: Share) -> u32 {
    let all = settings.database_max_connections;
    match share {
        Share::Whole => all,
        Share::Half => all / 2,
        Share::OtherHalf => all - all / 2,
    }
}

/// Connects with pool settings suited to the backend, to `role` and to the pool's `share` of
/// the process's connections (Postgres only: SQLite's pool has one writer whatever its size).
pub async fn connect(
    settings: &Settings,
    role: Role,
    share: Share,
) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(settings.database_url.clone());
    options
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        // Each statement costs a log record even when filtered out: logged (at info) only when
        // the log filter names them (`sqlx::query=info`).
        .sqlx_logging(settings.log.contains("sqlx"));
    if settings.is_sqlite() {
        // Set on every pooled connection: WAL lets readers run beside the one writer, the busy
        // timeout makes writers queue instead of failing with "database is locked".
        options.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        options.max_connections(postgres_pool_size(settings, share));
        // The worker's statements look rows up by key, state and time, not by organization:
        // the generic plan Postgres may keep after five runs serves them, and planning every
        // run was a quarter of the database's CPU for the worker (docs/PERFORMANCE.md).
        if role == Role::Api {
            options.map_sqlx_postgres_pool_opts(|pool| {
                // Every statement is planned for its own values (Postgres 12 and later). The
                // generic plan a prepared statement may keep after five runs is made for an
                // average organization: beside one large organization it pages a small one by
                // walking the primary key and filtering, which reads the whole table. Planned
                // for the organization at hand, a page reads that organization's rows only
                // (see `benches/list_page` and docs/PERFORMANCE.md).
                pool.after_connect(|conn, _| {
                    Box::pin(async move {
                        use sea_orm::sqlx::Executor;
                        conn.execute("SET plan_cache_mode = force_custom_plan")
                            .await
                            .map(|_| ())
                    })
                })
            });
        }
    }
    let db = Database::connect(options).await.map_err(|e| {
        anyhow::anyhow!(
            "cannot open the database {}: {e}",
            redact_url(&settings.database_url)
        )
    })?;
    Ok(db)
}

/// Fails when the schema is behind this binary: API processes in a scale-out deployment do not
/// migrate by themselves (several would race), `warmup migrate` does it once.
pub async fn ensure_current(db: &DatabaseConnection) -> anyhow::Result<()> {
    let pending = Migrator::get_pending_migrations_read_only(db).await?.len()
        + warmup_worker::send_queue::pending_migrations(db).await?;
    if pending > 0 {
        anyhow::bail!(
            "the database schema is {pending} migration(s) behind this binary: run `warmup migrate` first"
        );
    }
    Ok(())
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    // The job queue's tables live beside ours and migrate with them.
    warmup_worker::send_queue::migrate(db).await?;
    Ok(())
}
