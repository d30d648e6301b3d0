//! Warmup preferences and progress of an organization's mailboxes, and the organization's
//! defaults. A mailbox without its own row follows the defaults and has not started.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;
use warmup_domain::WarmupStatus;
use warmup_domain::preferences::WarmupPreferences;
use warmup_domain::split::Carry;

use super::{OrgId, StoreError, mailboxes};
use crate::{mailbox, warmup_defaults, warmup_settings};

/// A mailbox's warmup as the service sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct MailboxWarmup {
    pub mailbox_id: Uuid,
    pub status: WarmupStatus,
    pub status_reason: Option<String>,
    pub preferences: WarmupPreferences,
    /// Sending days planned so far: where the ramp stands.
    pub sending_days: u32,
    pub carry: Carry,
    pub started_at: Option<DateTime<Utc>>,
    /// False while the mailbox follows the organization's defaults.
    pub customized: bool,
}

fn decode<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("stored {what}: {e}")))
}

fn encode<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A stored warmup row as the service sees it.
pub(crate) fn from_row(row: warmup_settings::Model) -> Result<MailboxWarmup, StoreError> {
    Ok(MailboxWarmup {
        mailbox_id: row.mailbox_id,
        status: WarmupStatus::parse(&row.status)
            .ok_or_else(|| StoreError::Corrupt(format!("warmup status {:?}", row.status)))?,
        status_reason: row.status_reason,
        preferences: decode("preferences", &row.preferences)?,
        sending_days: u32::try_from(row.sending_days).unwrap_or(0),
        carry: decode("split carry", &row.split_carry)?,
        started_at: row.started_at,
        customized: true,
    })
}

/// The organization's defaults (the built-in ones until it sets its own).
pub async fn org_defaults<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
) -> Result<WarmupPreferences, StoreError> {
    match warmup_defaults::Entity::find_by_id(org.0).one(db).await? {
        Some(row) => decode("default preferences", &row.preferences),
        None => Ok(WarmupPreferences::default()),
    }
}

/// Replaces the organization's defaults.
pub async fn set_org_defaults<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    prefs: &WarmupPreferences,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let row = warmup_defaults::ActiveModel {
        organization_id: Set(org.0),
        preferences: Set(encode(prefs)),
        updated_at: Set(now),
    };
    warmup_defaults::Entity::insert(row)
        .on_conflict(
            OnConflict::column(warmup_defaults::Column::OrganizationId)
                .update_columns([
                    warmup_defaults::Column::Preferences,
                    warmup_defaults::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// A mailbox's warmup; `None` when `org` has no such mailbox.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    mailbox_id: Uuid,
) -> Result<Option<MailboxWarmup>, StoreError> {
    if mailboxes::get(db, org, mailbox_id).await?.is_none() {
        return Ok(None);
    }
    let row = warmup_settings::Entity::find_by_id(mailbox_id)
        .filter(warmup_settings::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?;
    match row {
        Some(r) => from_row(r).map(Some),
        None => Ok(Some(MailboxWarmup {
            mailbox_id,
            status: WarmupStatus::NotStarted,
            status_reason: None,
            preferences: org_defaults(db, org).await?,
            sending_days: 0,
            carry: Carry::new(),
            started_at: None,
            customized: false,
        })),
    }
}

/// The preferences a mailbox's warmup follows: its own once its warmup has a row, else its
/// organization's defaults. What the worker needs of [`get`], without reading the mailbox's
/// row (a send's mailbox is known to exist; a deleted one has no warmup row either).
pub async fn preferences_of<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    mailbox_id: Uuid,
) -> Result<WarmupPreferences, StoreError> {
    let stored: Option<String> = warmup_settings::Entity::find_by_id(mailbox_id)
        .filter(warmup_settings::Column::OrganizationId.eq(org.0))
        .select_only()
        .column(warmup_settings::Column::Preferences)
        .into_tuple()
        .one(db)
        .await?;
    match stored {
        Some(json) => decode("preferences", &json),
        None => org_defaults(db, org).await,
    }
}

/// Which part of a warmup row a write changes: each writer changes only its own part, so a
/// write based on an older read cannot undo another's (a preferences change does not restart
/// a warmup the service has just stopped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Preferences,
    /// Status, its reason and the start time.
    Status,
}

/// Writes one part of a mailbox's warmup (its preferences, or its status), as the API changes it, and returns the row as
/// stored. The ramp's progress (`sending_days`, `carry`) is the planner's alone
/// ([`super::plans::record_plan`]): `w`'s values, read before a planning round may have moved
/// them on, are ignored. A row written here for the first time starts at day 0 with nothing
/// carried; an existing row keeps its progress.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    w: &MailboxWarmup,
    part: Part,
    now: DateTime<Utc>,
) -> Result<MailboxWarmup, StoreError> {
    let row = warmup_settings::ActiveModel {
        mailbox_id: Set(w.mailbox_id),
        organization_id: Set(org.0),
        status: Set(w.status.as_str().to_string()),
        preferences: Set(encode(&w.preferences)),
        sending_days: Set(0),
        split_carry: Set(encode(&Carry::new())),
        status_reason: Set(w.status_reason.clone()),
        started_at: Set(w.started_at),
        updated_at: Set(now),
    };
    warmup_settings::Entity::insert(row)
        .on_conflict(
            // Not SendingDays nor SplitCarry: see above.
            OnConflict::column(warmup_settings::Column::MailboxId)
                .update_columns(match part {
                    Part::Preferences => vec![
                        warmup_settings::Column::Preferences,
                        warmup_settings::Column::UpdatedAt,
                    ],
                    Part::Status => vec![
                        warmup_settings::Column::Status,
                        warmup_settings::Column::StatusReason,
                        warmup_settings::Column::StartedAt,
                        warmup_settings::Column::UpdatedAt,
                    ],
                })
                .to_owned(),
        )
        .exec(db)
        .await?;
    let stored = warmup_settings::Entity::find_by_id(w.mailbox_id)
        .filter(warmup_settings::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?
        .ok_or_else(|| {
            StoreError::Db(sea_orm::DbErr::RecordNotFound(format!(
                "warmup of mailbox {}",
                w.mailbox_id
            )))
        })?;
    from_row(stored)
}

/// The ids of `org`'s mailboxes: all of them, or those of `only` that it owns.
pub async fn mailbox_ids<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    only: Option<&[Uuid]>,
) -> Result<Vec<Uuid>, StoreError> {
    let mut q = mailbox::Entity::find().filter(mailbox::Column::OrganizationId.eq(org.0));
    if let Some(ids) = only {
        q = q.filter(mailbox::Column::Id.is_in(ids.iter().copied()));
    }
    Ok(q.order_by_asc(mailbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect())
}

/// Pauses a mailbox's warmup on the service's decision, with the reason shown to the user;
/// with `only_running`, a warmup not started or already paused keeps its state and reason.
pub async fn pause_for<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
    only_running: bool,
) -> Result<(), StoreError> {
    let mut update = warmup_settings::Entity::update_many()
        .col_expr(
            warmup_settings::Column::Status,
            Expr::value(WarmupStatus::Paused.as_str()),
        )
        .col_expr(
            warmup_settings::Column::StatusReason,
            Expr::value(Some(reason.to_string())),
        )
        .col_expr(warmup_settings::Column::UpdatedAt, Expr::value(now))
        .filter(warmup_settings::Column::MailboxId.eq(mailbox_id));
    if only_running {
        update = update.filter(warmup_settings::Column::Status.eq(WarmupStatus::Running.as_str()));
    }
    update.exec(db).await?;
    Ok(())
}
