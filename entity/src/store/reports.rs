//! Delivery reports (DSNs) found in a sender's inbox, recorded once on the send they are about.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use uuid::Uuid;
use warmup_domain::state::{EventOutcome, EventSource, SendState};

use super::StoreError;
use super::write_txn;
use crate::{send, send_attempt};
/// The send of a mailbox with this Message-ID.
pub async fn by_message_id<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    message_id: &str,
) -> Result<Option<send::Model>, StoreError> {
    Ok(send::Entity::find()
        .filter(send::Column::MailboxId.eq(mailbox_id))
        .filter(send::Column::MessageId.eq(message_id))
        .one(db)
        .await?)
}

/// What a delivery report said about a send.
pub struct Report {
    /// Bounced or delayed.
    pub outcome: EventOutcome,
    /// The report's own word for it (`failed`, `delayed`), for the record.
    pub action: String,
    pub status: Option<String>,
    pub diagnostic: Option<String>,
}

/// Records a delivery report once: a bounce moves the send to `bounced`, a delay notice is
/// noted once. Returns false when it was recorded before (reports are read again after a crash).
pub async fn record_report(
    db: &DatabaseConnection,
    s: &send::Model,
    report: Report,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let outcome = report.outcome;
    let txn = write_txn::begin(db).await?;
    // Two workers may read the same report at once: the send's row lock makes the second wait
    // and then see the first one's record. (SQLite has one writer at a time already.)
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        send::Entity::find_by_id(s.id)
            .lock_exclusive()
            .one(&txn)
            .await?;
    }
    let seen = send_attempt::Entity::find()
        .filter(send_attempt::Column::SendId.eq(s.id))
        .filter(send_attempt::Column::Outcome.eq(outcome.as_str()))
        .one(&txn)
        .await?
        .is_some();
    if seen {
        txn.rollback().await?;
        return Ok(false);
    }
    let text = report
        .diagnostic
        .clone()
        .unwrap_or_else(|| format!("{} notice", report.action));
    let code = text.get(..3).and_then(|c| c.parse::<i32>().ok());
    if outcome == EventOutcome::Bounced {
        send::Entity::update_many()
            .col_expr(
                send::Column::State,
                Expr::value(SendState::Bounced.as_str()),
            )
            .col_expr(send::Column::LastCode, Expr::value(code))
            .col_expr(
                send::Column::LastEnhanced,
                Expr::value(report.status.clone()),
            )
            .col_expr(send::Column::LastText, Expr::value(Some(text.clone())))
            .col_expr(
                send::Column::LastCategory,
                Expr::value(Some(EventSource::Dsn.as_str().to_string())),
            )
            .col_expr(send::Column::UpdatedAt, Expr::value(now))
            .filter(send::Column::Id.eq(s.id))
            .exec(&txn)
            .await?;
    }
    send_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        send_id: Set(s.id),
        organization_id: Set(s.organization_id),
        mailbox_id: Set(s.mailbox_id),
        attempt: Set(s.attempts),
        attempted_at: Set(now),
        code: Set(code),
        enhanced: Set(report.status),
        text: Set(text),
        category: Set(EventSource::Dsn.as_str().to_string()),
        outcome: Set(outcome.as_str().to_string()),
        duration_ms: Set(0),
    }
    .insert(&txn)
    .await?;
    super::metrics::count(
        &txn,
        super::metrics::SENDS,
        outcome.as_str(),
        EventSource::Dsn.as_str(),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
