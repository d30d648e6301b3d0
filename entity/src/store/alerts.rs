//! Alert thresholds per organization, and what the alert loop reads to judge them: the last
//! hour's delivery attempts and the recent warmup placement counts of every organization.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;
use warmup_domain::alerts::AlertRules;
use warmup_domain::placement::PlacementSource;
use warmup_domain::state::EventOutcome;

use super::{OrgId, StoreError};
use crate::{alert_rule, placement_rollup, send_attempt};

/// `org`'s rules (the defaults until it sets its own).
pub async fn rules<C: ConnectionTrait>(db: &C, org: OrgId) -> Result<AlertRules, StoreError> {
    Ok(match alert_rule::Entity::find_by_id(org.0).one(db).await? {
        Some(row) => serde_json::from_str(&row.rules)
            .map_err(|e| StoreError::Corrupt(format!("alert rules: {e}")))?,
        None => AlertRules::default(),
    })
}

/// Stores `org`'s rules.
pub async fn put_rules<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    rules: &AlertRules,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let row = alert_rule::ActiveModel {
        organization_id: Set(org.0),
        rules: Set(serde_json::to_string(rules).unwrap_or_default()),
        updated_at: Set(now),
    };
    alert_rule::Entity::insert(row)
        .on_conflict(
            OnConflict::column(alert_rule::Column::OrganizationId)
                .update_columns([alert_rule::Column::Rules, alert_rule::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Every organization's own rules (the others use the defaults).
pub async fn all_rules<C: ConnectionTrait>(
    db: &C,
) -> Result<HashMap<Uuid, AlertRules>, StoreError> {
    Ok(alert_rule::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Some((r.organization_id, serde_json::from_str(&r.rules).ok()?)))
        .collect())
}

/// Attempts alike, as the spike alert counts them.
#[derive(Debug, Clone)]
pub struct AttemptCount {
    pub organization_id: Uuid,
    pub mailbox_id: Uuid,
    pub outcome: String,
    pub code: Option<i32>,
    pub enhanced: Option<String>,
    pub category: String,
    pub n: i64,
}

/// Delivery attempts (not delivery reports) since `since`, of every organization, counted per
/// mailbox, outcome and answer.
pub async fn attempts_since<C: ConnectionTrait>(
    db: &C,
    since: DateTime<Utc>,
) -> Result<Vec<AttemptCount>, StoreError> {
    use send_attempt::Column as A;
    type Row = (Uuid, Uuid, String, Option<i32>, Option<String>, String, i64);
    let rows: Vec<Row> = send_attempt::Entity::find()
        .select_only()
        .columns([
            A::OrganizationId,
            A::MailboxId,
            A::Outcome,
            A::Code,
            A::Enhanced,
            A::Category,
        ])
        .column_as(sea_orm::sea_query::Expr::cust(super::COUNT_ALL), "n")
        .filter(A::AttemptedAt.gte(since))
        .filter(A::Outcome.is_in([
            EventOutcome::Sent.as_str(),
            EventOutcome::Deferred.as_str(),
            EventOutcome::Failed.as_str(),
        ]))
        .group_by(A::OrganizationId)
        .group_by(A::MailboxId)
        .group_by(A::Outcome)
        .group_by(A::Code)
        .group_by(A::Enhanced)
        .group_by(A::Category)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(organization_id, mailbox_id, outcome, code, enhanced, category, n)| AttemptCount {
                organization_id,
                mailbox_id,
                outcome,
                code,
                enhanced,
                category,
                n,
            },
        )
        .collect())
}

/// Warmup placement counts per organization, mailbox and class from `since` (a `YYYY-MM-DD`
/// day of the rollups) on.
pub async fn warmup_counts_since<C: ConnectionTrait>(
    db: &C,
    since: &str,
) -> Result<Vec<(Uuid, Uuid, String, String, i64)>, StoreError> {
    use placement_rollup::Column as R;
    Ok(placement_rollup::Entity::find()
        .select_only()
        .columns([R::OrganizationId, R::MailboxId, R::Day, R::Class])
        .column_as(sea_orm::sea_query::Expr::cust(super::SUM_N), "n")
        .filter(R::Source.eq(PlacementSource::Warmup.as_str()))
        .filter(R::Day.gte(since))
        .group_by(R::OrganizationId)
        .group_by(R::MailboxId)
        .group_by(R::Day)
        .group_by(R::Class)
        .into_tuple()
        .all(db)
        .await?)
}
