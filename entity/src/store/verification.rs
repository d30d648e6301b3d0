//! Mailbox verification's rows: a request sets a new code, the worker marks it sent and then
//! verified or failed, each by a conditional update on that code, so that a request made
//! meanwhile (a new code) is never overwritten by the answer to an older one.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use warmup_domain::verification::VerificationStatus;

use super::{OrgId, StoreError};
use crate::mailbox;

/// Starts a verification of `org`'s mailbox with `code`; `None` when there is no such mailbox.
pub async fn request<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<mailbox::Model>, StoreError> {
    let done = mailbox::Entity::update_many()
        .col_expr(
            mailbox::Column::Verification,
            Expr::value(VerificationStatus::Pending.as_str()),
        )
        .col_expr(
            mailbox::Column::VerificationReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(mailbox::Column::VerificationCode, Expr::value(code))
        .col_expr(mailbox::Column::VerificationRequestedAt, Expr::value(now))
        .col_expr(
            mailbox::Column::VerificationSentAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(mailbox::Column::UpdatedAt, Expr::value(now))
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::OrganizationId.eq(org.0))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    Ok(mailbox::Entity::find_by_id(id).one(db).await?)
}

/// Makes a mailbox unverified for `reason` and pauses its warmup if it runs: its address or
/// servers changed, so nobody has shown yet that they read it.
pub async fn unverify<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    mailbox::Entity::update_many()
        .col_expr(
            mailbox::Column::Verification,
            Expr::value(VerificationStatus::Unverified.as_str()),
        )
        .col_expr(
            mailbox::Column::VerificationReason,
            Expr::value(Some(reason.to_string())),
        )
        .col_expr(
            mailbox::Column::VerificationCode,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            mailbox::Column::VerificationSentAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(mailbox::Column::UpdatedAt, Expr::value(now))
        .filter(mailbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    super::warmup::pause_for(db, id, reason, now, true).await
}

/// Mailboxes with a verification under way, oldest request first.
pub async fn pending<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<mailbox::Model>, StoreError> {
    Ok(mailbox::Entity::find()
        .filter(mailbox::Column::Verification.eq(VerificationStatus::Pending.as_str()))
        .filter(mailbox::Column::VerificationCode.is_not_null())
        .order_by_asc(mailbox::Column::VerificationRequestedAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// Claims the sending of `code` (only one worker wins it); `sent` false hands it back after
/// a failed try.
pub async fn mark_sent<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    code: &str,
    sent: Option<DateTime<Utc>>,
) -> Result<bool, StoreError> {
    let mut update = mailbox::Entity::update_many()
        .col_expr(mailbox::Column::VerificationSentAt, Expr::value(sent))
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::VerificationCode.eq(code))
        .filter(mailbox::Column::Verification.eq(VerificationStatus::Pending.as_str()));
    update = match sent {
        Some(_) => update.filter(mailbox::Column::VerificationSentAt.is_null()),
        None => update.filter(mailbox::Column::VerificationSentAt.is_not_null()),
    };
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Records how the verification with `code` ended, unless a newer request replaced it.
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    code: &str,
    outcome: VerificationStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut update = mailbox::Entity::update_many()
        .col_expr(mailbox::Column::Verification, Expr::value(outcome.as_str()))
        .col_expr(
            mailbox::Column::VerificationReason,
            Expr::value(reason.map(str::to_string)),
        )
        .col_expr(mailbox::Column::UpdatedAt, Expr::value(now));
    if outcome == VerificationStatus::Verified {
        update = update.col_expr(mailbox::Column::VerifiedAt, Expr::value(now));
    }
    let done = update
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::VerificationCode.eq(code))
        .filter(mailbox::Column::Verification.eq(VerificationStatus::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Notes why a pending verification waits (a seed could not send yet, the IMAP login failed),
/// keeping it pending.
pub async fn note<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    code: &str,
    reason: &str,
) -> Result<(), StoreError> {
    mailbox::Entity::update_many()
        .col_expr(
            mailbox::Column::VerificationReason,
            Expr::value(Some(reason.to_string())),
        )
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::VerificationCode.eq(code))
        .filter(mailbox::Column::Verification.eq(VerificationStatus::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(())
}
