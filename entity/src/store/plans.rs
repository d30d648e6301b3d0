//! Planning's rows: the warmups ready to plan, the seeds a mailbox may send to, and a day's
//! plan stored with the ramp's progress in one transaction. Only the planner writes progress.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;
use warmup_domain::split::Carry;
use warmup_domain::{MailboxStatus, Provider, WarmupStatus};

use super::StoreError;
use super::warmup::MailboxWarmup;
use crate::{mailbox, plan_day, seed, send, warmup_settings};
use warmup_domain::plan_date::PlanDate;
use warmup_domain::planner::variance_seed;
/// A running warmup of an active mailbox, ready to plan.
#[derive(Debug, Clone)]
pub struct PlanTarget {
    pub mailbox: mailbox::Model,
    pub warmup: MailboxWarmup,
    pub variance_seed: u64,
}

/// Every running warmup whose mailbox is active: two queries, however many mailboxes (the
/// worker asks on every round).
pub async fn plan_targets<C: ConnectionTrait>(db: &C) -> Result<Vec<PlanTarget>, StoreError> {
    let rows = warmup_settings::Entity::find()
        .filter(warmup_settings::Column::Status.eq(WarmupStatus::Running.as_str()))
        .all(db)
        .await?;
    let mut active: BTreeMap<Uuid, mailbox::Model> = mailbox::Entity::find()
        .filter(mailbox::Column::Id.is_in(rows.iter().map(|r| r.mailbox_id)))
        .filter(mailbox::Column::Status.eq(MailboxStatus::Active.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut out = Vec::new();
    for row in rows {
        let Some(m) = active.remove(&row.mailbox_id) else {
            continue;
        };
        out.push(PlanTarget {
            variance_seed: variance_seed(m.id.as_u128()),
            warmup: super::warmup::from_row(row)?,
            mailbox: m,
        });
    }
    Ok(out)
}

/// A seed a mailbox may send to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRef {
    pub id: Uuid,
    pub email: String,
}

/// Active seeds visible to the mailbox's organization, per provider, without the mailbox itself.
pub async fn usable_seeds<C: ConnectionTrait>(
    db: &C,
    mailbox: &mailbox::Model,
) -> Result<BTreeMap<Provider, Vec<SeedRef>>, StoreError> {
    let rows = seed::Entity::find()
        .filter(
            sea_orm::sea_query::Condition::any()
                .add(seed::Column::OrganizationId.is_null())
                .add(seed::Column::OrganizationId.eq(mailbox.organization_id)),
        )
        .filter(seed::Column::Active.eq(true))
        // The same account whatever the case of either address.
        .filter(super::email_key::column().ne(super::email_key::of(&mailbox.email)))
        .order_by_asc(seed::Column::Id)
        .all(db)
        .await?;
    let mut out: BTreeMap<Provider, Vec<SeedRef>> = BTreeMap::new();
    for s in rows {
        if let Ok(p) = s.provider.parse() {
            out.entry(p).or_default().push(SeedRef {
                id: s.id,
                email: s.email,
            });
        }
    }
    Ok(out)
}

/// True when the day is already planned for the mailbox.
pub async fn day_planned<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    date: PlanDate,
) -> Result<bool, StoreError> {
    Ok(plan_day::Entity::find_by_id((mailbox_id, date.to_string()))
        .one(db)
        .await?
        .is_some())
}

/// A day's plan to store.
pub struct NewPlan {
    pub mailbox_id: Uuid,
    pub organization_id: Uuid,
    pub date: PlanDate,
    pub sending_day: u32,
    pub count: u32,
    pub carry: Carry,
    pub sends: Vec<send::Model>,
}

/// Stores a day's plan in one transaction: the day, its sends, the ramp's progress. Returns
/// false (and stores nothing) when another worker planned the day first.
pub async fn record_plan(
    db: &DatabaseConnection,
    plan: NewPlan,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let txn = db.begin().await?;
    let day = plan_day::ActiveModel {
        mailbox_id: Set(plan.mailbox_id),
        plan_date: Set(plan.date.to_string()),
        sending_day: Set(i32::try_from(plan.sending_day).unwrap_or(i32::MAX)),
        count: Set(i32::try_from(plan.count).unwrap_or(i32::MAX)),
        planned: Set(i32::try_from(plan.sends.len()).unwrap_or(i32::MAX)),
        created_at: Set(now),
    };
    if day.insert(&txn).await.is_err() {
        // The primary key says the day is planned already.
        txn.rollback().await?;
        return Ok(false);
    }
    for s in plan.sends {
        sea_orm::IntoActiveModel::into_active_model(s)
            .reset_all()
            .insert(&txn)
            .await?;
    }
    warmup_settings::Entity::update_many()
        .col_expr(
            warmup_settings::Column::SendingDays,
            Expr::value(i32::try_from(plan.sending_day + 1).unwrap_or(i32::MAX)),
        )
        .col_expr(
            warmup_settings::Column::SplitCarry,
            Expr::value(serde_json::to_string(&plan.carry).unwrap_or_default()),
        )
        .col_expr(warmup_settings::Column::UpdatedAt, Expr::value(now))
        .filter(warmup_settings::Column::MailboxId.eq(plan.mailbox_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(true)
}
