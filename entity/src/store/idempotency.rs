//! The replay store behind `Idempotency-Key`: the first request claims the key, its answer is
//! saved, and retries get that answer back instead of doing the work again.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::StoreError;
use crate::idempotency_key;

/// What a claim found.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is ours: do the work, then [`complete`] or [`release`].
    Claimed,
    /// An earlier request with this key finished; replay its answer.
    Completed { status: u16, body: String },
    /// An earlier request with this key is still running.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

/// A claim whose request has not finished after this long was abandoned (a dropped connection,
/// a crash): the next retry may take it over.
pub const ABANDONED_AFTER_SECS: i64 = 120;

/// Claims `key` for the caller's API key, or reports what an earlier use left.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    api_key_id: Uuid,
    key: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<Claim, StoreError> {
    let inserted = idempotency_key::ActiveModel {
        api_key_id: Set(api_key_id),
        idempotency_key: Set(key.to_string()),
        request_fingerprint: Set(fingerprint.to_string()),
        status_code: Set(None),
        response_body: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await;
    if inserted.is_ok() {
        return Ok(Claim::Claimed);
    }
    // The insert lost against an earlier row with the same key: read what it holds.
    let existing = idempotency_key::Entity::find_by_id((api_key_id, key.to_string()))
        .one(db)
        .await?;
    match existing {
        None => Err(StoreError::Db(inserted.err().unwrap_or_else(|| {
            sea_orm::DbErr::Custom("idempotency claim failed".into())
        }))),
        Some(row) if row.request_fingerprint != fingerprint => Ok(Claim::Mismatch),
        Some(row) => match (row.status_code, row.response_body) {
            (Some(status), Some(body)) => Ok(Claim::Completed {
                status: u16::try_from(status).unwrap_or(200),
                body,
            }),
            _ if row.created_at < now - chrono::Duration::seconds(ABANDONED_AFTER_SECS) => {
                // Take the abandoned claim over; only one retry wins the conditional update.
                let taken = idempotency_key::Entity::update_many()
                    .col_expr(idempotency_key::Column::CreatedAt, now.into())
                    .filter(idempotency_key::Column::ApiKeyId.eq(api_key_id))
                    .filter(idempotency_key::Column::IdempotencyKey.eq(key))
                    .filter(idempotency_key::Column::StatusCode.is_null())
                    .filter(idempotency_key::Column::CreatedAt.eq(row.created_at))
                    .exec(db)
                    .await?;
                Ok(if taken.rows_affected == 1 {
                    Claim::Claimed
                } else {
                    Claim::InProgress
                })
            }
            _ => Ok(Claim::InProgress),
        },
    }
}

/// Saves the answer of a claimed request.
pub async fn complete<C: ConnectionTrait>(
    db: &C,
    api_key_id: Uuid,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), StoreError> {
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::StatusCode,
            i32::from(status).into(),
        )
        .col_expr(idempotency_key::Column::ResponseBody, body.into())
        .filter(idempotency_key::Column::ApiKeyId.eq(api_key_id))
        .filter(idempotency_key::Column::IdempotencyKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives a claimed key back after a failed request, so that a retry may try again.
pub async fn release<C: ConnectionTrait>(
    db: &C,
    api_key_id: Uuid,
    key: &str,
) -> Result<(), StoreError> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::ApiKeyId.eq(api_key_id))
        .filter(idempotency_key::Column::IdempotencyKey.eq(key))
        .filter(idempotency_key::Column::StatusCode.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets answers older than `cutoff`: a key is a retry guard, not an archive.
pub async fn purge_older_than<C: ConnectionTrait>(
    db: &C,
    cutoff: chrono::DateTime<Utc>,
) -> Result<u64, StoreError> {
    let res = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
