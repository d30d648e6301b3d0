//! Planning's rows: the warmups ready to plan, the seeds a mailbox may send to, and a day's
//! plan stored with the ramp's progress in one transaction. Only the planner writes progress.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityName, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use uuid::Uuid;
use warmup_domain::split::Carry;
use warmup_domain::{MailboxStatus, Provider, WarmupStatus};

use super::StoreError;
use super::warmup::MailboxWarmup;
use super::write_txn;
use crate::{mailbox, placement, plan_day, seed, send, send_attempt, warmup_settings};
use warmup_domain::auto_adjust::{Adjustment, Mode, SendingDay};
use warmup_domain::placement::PlacementClass;
use warmup_domain::plan_date::PlanDate;
use warmup_domain::planner::variance_seed;
use warmup_domain::state::{EventOutcome, EventType};

/// What planning reads of a mailbox: not its credentials or keys.
#[derive(Debug, Clone)]
pub struct PlanMailbox {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub timezone: String,
}

/// A running warmup of an active mailbox, ready to plan.
#[derive(Debug, Clone)]
pub struct PlanTarget {
    pub mailbox: PlanMailbox,
    pub warmup: MailboxWarmup,
    pub variance_seed: u64,
}

/// One page of [`plan_targets`].
#[derive(Debug, Default)]
pub struct TargetPage {
    /// In mailbox order.
    pub targets: Vec<PlanTarget>,
    /// Where the next page starts, `None` after the last.
    pub next: Option<Uuid>,
}

/// Running warmups of active mailboxes after mailbox `after`, in mailbox order, reading at
/// most `limit` warmups: two queries a page, so that a round never holds every mailbox at once.
pub async fn plan_targets<C: ConnectionTrait>(
    db: &C,
    after: Option<Uuid>,
    limit: u64,
) -> Result<TargetPage, StoreError> {
    let mut query = warmup_settings::Entity::find()
        .filter(warmup_settings::Column::Status.eq(WarmupStatus::Running.as_str()))
        .order_by_asc(warmup_settings::Column::MailboxId)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(warmup_settings::Column::MailboxId.gt(after));
    }
    let rows = query.all(db).await?;
    let next = (u64::try_from(rows.len()).unwrap_or(u64::MAX) >= limit)
        .then(|| rows.last().map(|r| r.mailbox_id))
        .flatten();
    let found: Vec<(Uuid, Uuid, String, String, String)> = mailbox::Entity::find()
        .select_only()
        .columns([
            mailbox::Column::Id,
            mailbox::Column::OrganizationId,
            mailbox::Column::Email,
            mailbox::Column::DisplayName,
            mailbox::Column::Timezone,
        ])
        .filter(mailbox::Column::Id.is_in(rows.iter().map(|r| r.mailbox_id)))
        .filter(mailbox::Column::Status.eq(MailboxStatus::Active.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    let mut active: BTreeMap<Uuid, PlanMailbox> = found
        .into_iter()
        .map(|(id, organization_id, email, display_name, timezone)| {
            let m = PlanMailbox {
                id,
                organization_id,
                email,
                display_name,
                timezone,
            };
            (id, m)
        })
        .collect();
    let mut targets = Vec::with_capacity(active.len());
    for row in rows {
        let Some(m) = active.remove(&row.mailbox_id) else {
            continue;
        };
        targets.push(PlanTarget {
            variance_seed: variance_seed(m.id.as_u128()),
            warmup: super::warmup::from_row(row)?,
            mailbox: m,
        });
    }
    Ok(TargetPage { targets, next })
}

/// A seed a mailbox may send to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRef {
    pub id: Uuid,
    pub email: String,
}

/// The active seeds a planning round may send to, read once for every mailbox it plans: the
/// shared pool and each organization's own.
#[derive(Debug, Default)]
pub struct SeedPool {
    /// `(seed, its address's key)` in id order, shared ones (`None`) and each organization's.
    by_owner: BTreeMap<Option<Uuid>, Vec<(Provider, SeedRef, String)>>,
}

impl SeedPool {
    /// The seeds `mailbox` may send to, per provider in id order: its organization's and the
    /// shared pool's, never the mailbox itself (whatever the case of either address).
    pub fn usable(&self, mailbox: &PlanMailbox) -> BTreeMap<Provider, Vec<SeedRef>> {
        let own_key = super::email_key::of(&mailbox.email);
        let mut seeds: Vec<&(Provider, SeedRef, String)> = [None, Some(mailbox.organization_id)]
            .iter()
            .filter_map(|owner| self.by_owner.get(owner))
            .flatten()
            .filter(|(_, _, key)| *key != own_key)
            .collect();
        seeds.sort_by_key(|(_, s, _)| s.id);
        let mut out: BTreeMap<Provider, Vec<SeedRef>> = BTreeMap::new();
        for (provider, seed, _) in seeds {
            out.entry(*provider).or_default().push(seed.clone());
        }
        out
    }
}

/// Active seeds of the shared pool and of the organizations `orgs`: one query.
pub async fn seed_pool<C: ConnectionTrait>(
    db: &C,
    orgs: &std::collections::BTreeSet<Uuid>,
) -> Result<SeedPool, StoreError> {
    let mut pool = SeedPool::default();
    let mut owners =
        sea_orm::sea_query::Condition::any().add(seed::Column::OrganizationId.is_null());
    // Few organizations plan at once in practice; many are read in one query all the same.
    if !orgs.is_empty() {
        owners = owners.add(seed::Column::OrganizationId.is_in(orgs.iter().copied()));
    }
    let rows = seed::Entity::find()
        .filter(owners)
        .filter(seed::Column::Active.eq(true))
        .order_by_asc(seed::Column::Id)
        .all(db)
        .await?;
    for s in rows {
        if let Ok(p) = s.provider.parse() {
            let key = super::email_key::of(&s.email);
            pool.by_owner.entry(s.organization_id).or_default().push((
                p,
                SeedRef {
                    id: s.id,
                    email: s.email,
                },
                key,
            ));
        }
    }
    Ok(pool)
}

/// Mailbox ids per query, well under either database's limit of bound values.
const IDS_PER_QUERY: usize = 1000;

/// Which of `days` (mailbox, its local date) are planned already: one query per date and
/// thousand mailboxes.
pub async fn planned_among<C: ConnectionTrait>(
    db: &C,
    days: &[(Uuid, PlanDate)],
) -> Result<std::collections::HashSet<(Uuid, String)>, StoreError> {
    let mut by_date: BTreeMap<String, Vec<Uuid>> = BTreeMap::new();
    for (id, date) in days {
        by_date.entry(date.to_string()).or_default().push(*id);
    }
    let mut planned = std::collections::HashSet::new();
    for (date, ids) in by_date {
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let found: Vec<Uuid> = plan_day::Entity::find()
                .select_only()
                .column(plan_day::Column::MailboxId)
                .filter(plan_day::Column::PlanDate.eq(date.clone()))
                .filter(plan_day::Column::MailboxId.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(db)
                .await?;
            planned.extend(found.into_iter().map(|id| (id, date.clone())));
        }
    }
    Ok(planned)
}

/// Which of `ids` have any planned day (a mailbox without one has no history to adjust by).
pub async fn with_days<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<std::collections::HashSet<Uuid>, StoreError> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let found: Vec<Uuid> = plan_day::Entity::find()
            .select_only()
            .column(plan_day::Column::MailboxId)
            .distinct()
            .filter(plan_day::Column::MailboxId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(found);
    }
    Ok(out)
}

/// A day's plan to store.
pub struct NewPlan {
    pub mailbox_id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub date: PlanDate,
    pub sending_day: u32,
    /// Where the ramp stands after this day (see `Adjustment::next_sending_day`).
    pub next_sending_day: u32,
    pub count: u32,
    pub carry: Carry,
    pub sends: Vec<send::Model>,
    /// The self-adjusting ramp's decision for the day.
    pub adjustment: Adjustment,
    /// The decision the day before was planned under, when it differs from this one: the
    /// change is raised as `mailbox.warmup_adjusted`.
    pub changed_from: Option<(Mode, Option<u32>)>,
}

/// The mailbox's latest planned days (oldest first) with what each showed: the ramp's volume,
/// where its warmup messages landed, and how their delivery attempts went.
pub async fn recent_days<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    n: u64,
) -> Result<Vec<(plan_day::Model, SendingDay)>, StoreError> {
    let mut days = plan_day::Entity::find()
        .filter(plan_day::Column::MailboxId.eq(mailbox_id))
        .order_by_desc(plan_day::Column::PlanDate)
        .limit(n)
        .all(db)
        .await?;
    days.reverse();
    let Some(first) = days.first() else {
        return Ok(Vec::new());
    };
    let sends = send::Entity::find()
        .filter(send::Column::MailboxId.eq(mailbox_id))
        .filter(send::Column::PlanDate.gte(first.plan_date.clone()))
        .filter(send::Column::ThreadDepth.eq(0))
        .filter(send::Column::InReplyTo.is_null())
        .all(db)
        .await?;
    let date_of: BTreeMap<Uuid, String> =
        sends.iter().map(|s| (s.id, s.plan_date.clone())).collect();
    let mut shown: BTreeMap<String, SendingDay> = BTreeMap::new();
    let ids: Vec<Uuid> = sends.iter().map(|s| s.id).collect();
    for chunk in ids.chunks(500) {
        for p in placement::Entity::find()
            .filter(placement::Column::SendId.is_in(chunk.iter().copied()))
            .filter(placement::Column::Class.is_not_null())
            .all(db)
            .await?
        {
            let class = p.class.as_deref().and_then(PlacementClass::parse);
            let Some(day) = date_of.get(&p.send_id) else {
                continue;
            };
            let d = shown.entry(day.clone()).or_insert_with(empty_day);
            match class {
                Some(PlacementClass::Inbox | PlacementClass::Category) => {
                    d.inbox += 1;
                    d.decided += 1;
                }
                Some(PlacementClass::Unknown) | None => {}
                Some(_) => d.decided += 1,
            }
        }
        for a in send_attempt::Entity::find()
            .filter(send_attempt::Column::SendId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            let Some(day) = date_of.get(&a.send_id) else {
                continue;
            };
            let d = shown.entry(day.clone()).or_insert_with(empty_day);
            match EventOutcome::parse(&a.outcome) {
                Some(EventOutcome::Deferred) => {
                    d.attempts += 1;
                    d.deferred += 1;
                }
                Some(EventOutcome::Sent | EventOutcome::Failed) => d.attempts += 1,
                // Delivery reports come after an accepted attempt: not attempts of their own.
                _ => {}
            }
        }
    }
    Ok(days
        .into_iter()
        .map(|day| {
            let shown = shown.remove(&day.plan_date).unwrap_or_else(empty_day);
            let sending = SendingDay {
                sending_day: u32::try_from(day.sending_day).unwrap_or(0),
                volume: u32::try_from(day.count).unwrap_or(0),
                ..shown
            };
            (day, sending)
        })
        .collect())
}

fn empty_day() -> SendingDay {
    SendingDay {
        sending_day: 0,
        volume: 0,
        inbox: 0,
        decided: 0,
        attempts: 0,
        deferred: 0,
    }
}

/// The decision a stored day was planned under.
pub fn day_mode(day: &plan_day::Model) -> (Mode, Option<u32>) {
    let mode = match day.adjust_mode.as_str() {
        "holding" => Mode::Holding,
        "stepped_back" => Mode::SteppedBack,
        _ => Mode::Ramping,
    };
    (mode, day.volume_cap.and_then(|c| u32::try_from(c).ok()))
}

/// The stored word of a mode.
pub fn mode_word(mode: Mode) -> &'static str {
    match mode {
        Mode::Ramping => "ramping",
        Mode::Holding => "holding",
        Mode::SteppedBack => "stepped_back",
    }
}

/// Stores a day's plan in one transaction: the day, its sends, the ramp's progress. Returns
/// false (and stores nothing) when another worker planned the day first.
pub async fn record_plan(
    db: &DatabaseConnection,
    plan: NewPlan,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(record_plans(db, vec![plan], now).await? == 1)
}

/// Stores several days' plans in one transaction, each as [`record_plan`] would (a day another
/// worker planned first is left out, with its sends); returns how many were stored. Callers
/// give plans in mailbox order, so two planners never wait for each other in a circle.
pub async fn record_plans(
    db: &DatabaseConnection,
    plans: Vec<NewPlan>,
    now: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let txn = write_txn::begin(db).await?;
    let mut stored = 0;
    for plan in plans {
        if store_plan(&txn, plan, now).await? {
            stored += 1;
        }
    }
    txn.commit().await?;
    Ok(stored)
}

/// Sends per `INSERT`: about 30 columns each, under SQLite's 32,766 bound values.
const SENDS_PER_INSERT: usize = 500;

async fn store_plan<C: ConnectionTrait>(
    txn: &C,
    plan: NewPlan,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let day = plan_day::ActiveModel {
        mailbox_id: Set(plan.mailbox_id),
        plan_date: Set(plan.date.to_string()),
        sending_day: Set(i32::try_from(plan.sending_day).unwrap_or(i32::MAX)),
        count: Set(i32::try_from(plan.count).unwrap_or(i32::MAX)),
        planned: Set(i32::try_from(plan.sends.len()).unwrap_or(i32::MAX)),
        created_at: Set(now),
        adjust_mode: Set(mode_word(plan.adjustment.mode).to_string()),
        volume_cap: Set(plan
            .adjustment
            .volume_cap
            .map(|c| i32::try_from(c).unwrap_or(i32::MAX))),
        adjust_reason: Set(Some(plan.adjustment.reason.clone())),
        inbox_percent: Set(plan.adjustment.inbox_percent),
        deferred_percent: Set(plan.adjustment.deferred_percent),
    };
    // The primary key says whether the day is planned already.
    let inserted = plan_day::Entity::insert(day)
        .on_conflict(
            OnConflict::columns([plan_day::Column::MailboxId, plan_day::Column::PlanDate])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    if inserted != 1 {
        return Ok(false);
    }
    let mut sends = plan.sends.into_iter().peekable();
    while sends.peek().is_some() {
        let chunk: Vec<send::ActiveModel> = sends
            .by_ref()
            .take(SENDS_PER_INSERT)
            .map(|s| sea_orm::IntoActiveModel::into_active_model(s).reset_all())
            .collect();
        send::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    warmup_settings::Entity::update_many()
        .col_expr(
            warmup_settings::Column::SendingDays,
            Expr::value(i32::try_from(plan.next_sending_day).unwrap_or(i32::MAX)),
        )
        .col_expr(
            warmup_settings::Column::SplitCarry,
            Expr::value(serde_json::to_string(&plan.carry).unwrap_or_default()),
        )
        .col_expr(warmup_settings::Column::UpdatedAt, Expr::value(now))
        .filter(warmup_settings::Column::MailboxId.eq(plan.mailbox_id))
        .exec(txn)
        .await?;
    if let Some((mode, cap)) = plan.changed_from {
        let a = &plan.adjustment;
        super::events::raise(
            txn,
            plan.organization_id,
            EventType::MailboxWarmupAdjusted,
            serde_json::json!({
                "mailbox_id": plan.mailbox_id,
                "email": plan.email,
                "date": plan.date.to_string(),
                "mode": mode_word(a.mode),
                "previous_mode": mode_word(mode),
                "volume_cap": a.volume_cap,
                "previous_volume_cap": cap,
                "planned": plan.count,
                "reason": a.reason,
                "inbox_percent": a.inbox_percent,
                "deferred_percent": a.deferred_percent,
            }),
            now,
        )
        .await?;
    }
    Ok(true)
}

/// The mailbox's planned days from `from` to `to` (mailbox-local dates), oldest first.
pub async fn days_between<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    from: PlanDate,
    to: PlanDate,
) -> Result<Vec<plan_day::Model>, StoreError> {
    Ok(plan_day::Entity::find()
        .filter(plan_day::Column::MailboxId.eq(mailbox_id))
        .filter(plan_day::Column::PlanDate.gte(from.to_string()))
        .filter(plan_day::Column::PlanDate.lte(to.to_string()))
        .order_by_asc(plan_day::Column::PlanDate)
        .all(db)
        .await?)
}

/// The mailbox's latest planned day: the self-adjusting ramp's standing decision.
pub async fn latest_day<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
) -> Result<Option<plan_day::Model>, StoreError> {
    Ok(plan_day::Entity::find()
        .filter(plan_day::Column::MailboxId.eq(mailbox_id))
        .order_by_desc(plan_day::Column::PlanDate)
        .one(db)
        .await?)
}

/// What planning reads, in a few numbers: how many rows there are and when the latest changed,
/// of the warmups, the mailboxes and the seeds. Between equal fingerprints a round plans what
/// the last one planned, until the date changes somewhere: every write that matters to planning
/// sets `updated_at` (planning itself too: a planned day moves its warmup on), and a row
/// deleted changes a count. The planned days are not counted: they only grow, by planning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint(Vec<(i64, Option<DateTime<Utc>>)>);

/// The [`Fingerprint`] of the planning rows now, in one statement (a round reads it each time).
pub async fn fingerprint<C: ConnectionTrait>(db: &C) -> Result<Fingerprint, StoreError> {
    let tables = [
        warmup_settings::Entity.table_name(),
        mailbox::Entity.table_name(),
        seed::Entity.table_name(),
    ];
    let columns: Vec<String> = tables
        .iter()
        .enumerate()
        .map(|(i, table)| {
            format!(
                "(SELECT {count} FROM \"{table}\") AS \"n{i}\", \
                 (SELECT MAX(\"updated_at\") FROM \"{table}\") AS \"latest{i}\"",
                count = super::COUNT_ALL
            )
        })
        .collect();
    let sql = format!("SELECT {}", columns.join(", "));
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .ok_or_else(|| StoreError::Corrupt("the planning fingerprint read no row".into()))?;
    let mut parts = Vec::with_capacity(tables.len());
    for i in 0..tables.len() {
        parts.push((
            row.try_get::<i64>("", &format!("n{i}"))?,
            row.try_get::<Option<DateTime<Utc>>>("", &format!("latest{i}"))?,
        ));
    }
    Ok(Fingerprint(parts))
}
