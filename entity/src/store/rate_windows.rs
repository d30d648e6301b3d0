//! The API's request counts per subject, kept in the database so that every API process
//! counts against one limit. A window starts with a subject's first request and lasts a
//! minute; the next request after it starts a new one.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, Set};

use super::StoreError;
use crate::rate_window;

/// A window's length.
pub const WINDOW_MS: i64 = 60_000;

/// Counts one request at `now_ms` for each of `subjects` in one statement; returns each
/// subject's window (start, requests counted in it with this one), in order.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    subjects: &[&str],
    now_ms: i64,
) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = subjects.iter().map(|s| rate_window::ActiveModel {
        subject: Set((*s).to_string()),
        started_ms: Set(now_ms),
        used: Set(1),
    });
    // Both databases read the old row on the right of every assignment.
    let ended = format!("\"rate_windows\".\"started_ms\" <= excluded.\"started_ms\" - {WINDOW_MS}");
    let counted = rate_window::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(rate_window::Column::Subject)
                .values([
                    (
                        rate_window::Column::Used,
                        Expr::cust(format!(
                            "CASE WHEN {ended} THEN 1 ELSE \"rate_windows\".\"used\" + 1 END"
                        )),
                    ),
                    (
                        rate_window::Column::StartedMs,
                        Expr::cust(format!(
                            "CASE WHEN {ended} THEN excluded.\"started_ms\" ELSE \"rate_windows\".\"started_ms\" END"
                        )),
                    ),
                ])
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    // RETURNING promises no order: match the rows back to the subjects.
    Ok(subjects
        .iter()
        .map(|s| {
            counted
                .iter()
                .find(|r| r.subject == *s)
                .map_or((now_ms, 1), |r| (r.started_ms, r.used))
        })
        .collect())
}

/// Takes back one request counted for `subject` in its window that started at `started_ms`
/// (one refused by another limit counted with it), if that window still runs.
pub async fn uncount<C: ConnectionTrait>(
    db: &C,
    subject: &str,
    started_ms: i64,
) -> Result<(), StoreError> {
    rate_window::Entity::update_many()
        .col_expr(
            rate_window::Column::Used,
            Expr::col(rate_window::Column::Used).sub(1),
        )
        .filter(rate_window::Column::Subject.eq(subject))
        .filter(rate_window::Column::StartedMs.eq(started_ms))
        .filter(rate_window::Column::Used.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets windows that started before `before_ms` (ended ones: subjects seen no more);
/// returns how many went.
pub async fn purge_before<C: ConnectionTrait>(db: &C, before_ms: i64) -> Result<u64, StoreError> {
    Ok(rate_window::Entity::delete_many()
        .filter(rate_window::Column::StartedMs.lt(before_ms))
        .exec(db)
        .await?
        .rows_affected)
}
