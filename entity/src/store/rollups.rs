//! Daily placement counts per organization and dimension, so that a report over years reads a
//! few rows per day instead of every placement. Whatever creates, decides or deletes a
//! placement changes the counts here in the same transaction: the counts and the rows cannot
//! disagree after a crash. `report_from_rows` counts the rows themselves, as the check of that
//! promise and the baseline of its benchmark.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;
use warmup_domain::placement::{
    CountRow, GroupCount, PlacementClass, PlacementSource, ReportGroup, parse_slot, slot_name,
};
use warmup_domain::plan_date::utc_start;

use super::write_txn;
use super::{OrgId, StoreError};
use crate::{
    placement, placement_month_rollup as month_rollup, placement_org_rollup as org_rollup,
    placement_rollup as rollup, placement_test_seed as test_seed, seed_list_message,
};

/// The dimensions one placement is counted under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dims {
    pub organization_id: Uuid,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub source: PlacementSource,
    pub mailbox_id: Option<Uuid>,
    pub split_id: Option<Uuid>,
    pub test_id: Option<Uuid>,
    pub domain: String,
    pub provider: String,
}

impl Dims {
    /// A warmup message's: counted on its plan day (the mailbox's local date).
    pub fn of_placement(p: &placement::Model) -> Self {
        Dims {
            organization_id: p.organization_id,
            day: p.plan_date.clone(),
            source: PlacementSource::Warmup,
            mailbox_id: Some(p.mailbox_id),
            split_id: None,
            test_id: None,
            domain: p.domain.clone(),
            provider: p.provider.clone(),
        }
    }

    /// A seed-list message's: counted on the UTC date it arrived (a missing one: the date its
    /// campaign first arrived).
    pub fn of_seed_list(m: &seed_list_message::Model) -> Self {
        Dims {
            organization_id: m.organization_id,
            day: m.created_at.date_naive().to_string(),
            source: PlacementSource::SeedList,
            mailbox_id: None,
            split_id: Some(m.split_id),
            test_id: None,
            domain: m.domain.clone(),
            provider: m.provider.clone(),
        }
    }
}

fn or_nil(id: Option<Uuid>) -> Uuid {
    id.unwrap_or(Uuid::nil())
}

/// One change of a count: `delta` placements of `dims` in `class` (`None`: pending).
type Step<'a> = (&'a Dims, Option<PlacementClass>, i64);

/// The key of a fine rollup row (`rollup` by day, `month_rollup` by month): class first, so
/// that every transaction changes the rows of one period in class-name order (two moving
/// placements of the same day cannot deadlock).
type FineKey = (String, String, String, Uuid, Uuid, Uuid, String, String);

/// Sums the steps per row of a fine rollup, `period` giving each step's day or month; rows
/// whose changes cancel out are left alone.
fn fine_rows(steps: &[Step<'_>], period: impl Fn(&Dims) -> String) -> BTreeMap<FineKey, i64> {
    summed(steps.iter().map(|(dims, class, delta)| {
        let key = (
            slot_name(*class).to_string(),
            period(dims),
            dims.source.as_str().to_string(),
            or_nil(dims.mailbox_id),
            or_nil(dims.split_id),
            or_nil(dims.test_id),
            dims.domain.clone(),
            dims.provider.clone(),
        );
        (key, *delta)
    }))
}

/// The deltas summed per key, in key order, without the keys whose deltas cancel out.
fn summed<K: Ord>(deltas: impl IntoIterator<Item = (K, i64)>) -> BTreeMap<K, i64> {
    let mut rows = BTreeMap::new();
    for (key, delta) in deltas {
        *rows.entry(key).or_insert(0) += delta;
    }
    rows.retain(|_, n| *n != 0);
    rows
}

/// Adds each row's delta to a fine rollup table (`rollup` by day, `month_rollup` by month),
/// inserting the rows there are none of: one statement for all of them.
macro_rules! upsert_fine {
    ($db:expr, $table:ident, $name:literal, $field:ident = $col:ident, $org:expr, $rows:expr) => {{
        let rows: BTreeMap<FineKey, i64> = $rows;
        if !rows.is_empty() {
            let models = rows.into_iter().map(
                |((class, period, source, mailbox, split, test, domain, provider), n)| {
                    $table::ActiveModel {
                        organization_id: Set($org),
                        $field: Set(period),
                        source: Set(source),
                        mailbox_id: Set(mailbox),
                        split_id: Set(split),
                        test_id: Set(test),
                        domain: Set(domain),
                        provider: Set(provider),
                        class: Set(class),
                        n: Set(n),
                    }
                },
            );
            $table::Entity::insert_many(models)
                .on_conflict(
                    OnConflict::columns([
                        $table::Column::OrganizationId,
                        $table::Column::$col,
                        $table::Column::Source,
                        $table::Column::MailboxId,
                        $table::Column::SplitId,
                        $table::Column::TestId,
                        $table::Column::Domain,
                        $table::Column::Provider,
                        $table::Column::Class,
                    ])
                    .value($table::Column::N, increment($name))
                    .to_owned(),
                )
                .exec_without_returning($db)
                .await?;
        }
    }};
}

/// Applies the steps (all of one organization) to every rollup: one statement per table.
async fn add<C: ConnectionTrait>(db: &C, steps: &[Step<'_>]) -> Result<(), StoreError> {
    let Some((first, _, _)) = steps.first() else {
        return Ok(());
    };
    let org = first.organization_id;
    upsert_fine!(
        db,
        rollup,
        "placement_rollups",
        day = Day,
        org,
        fine_rows(steps, |d| d.day.clone())
    );
    upsert_fine!(
        db,
        month_rollup,
        "placement_month_rollups",
        month = Month,
        org,
        fine_rows(steps, |d| d.day.chars().take(7).collect())
    );
    // Class first, as in the fine rollups.
    let org_rows = summed(steps.iter().map(|(dims, class, delta)| {
        let key = (
            slot_name(*class),
            dims.day.as_str(),
            dims.source.as_str(),
            dims.provider.as_str(),
        );
        (key, *delta)
    }));
    add_org(
        db,
        org,
        org_rows
            .into_iter()
            .map(|((class, day, source, provider), n)| ((day, source, provider, class), n)),
    )
    .await
}

/// `n` plus the inserted row's `n`, for an upsert's update.
fn increment(table: &str) -> SimpleExpr {
    Expr::cust(format!("\"{table}\".\"n\" + excluded.\"n\""))
}

/// Adds each delta to its row of the organization's rollup, inserting the rows there are none
/// of: one statement for all of them.
async fn add_org<'a, C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    rows: impl IntoIterator<Item = ((&'a str, &'a str, &'a str, &'a str), i64)>,
) -> Result<(), StoreError> {
    let models: Vec<_> = rows
        .into_iter()
        .map(
            |((day, source, provider, class), n)| org_rollup::ActiveModel {
                organization_id: Set(org),
                day: Set(day.to_string()),
                source: Set(source.to_string()),
                provider: Set(provider.to_string()),
                class: Set(class.to_string()),
                n: Set(n),
            },
        )
        .collect();
    if models.is_empty() {
        return Ok(());
    }
    org_rollup::Entity::insert_many(models)
        .on_conflict(
            OnConflict::columns([
                org_rollup::Column::OrganizationId,
                org_rollup::Column::Day,
                org_rollup::Column::Source,
                org_rollup::Column::Provider,
                org_rollup::Column::Class,
            ])
            .value(org_rollup::Column::N, increment("placement_org_rollups"))
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A placement now counted in `class` (`None`: pending).
pub(crate) async fn counted<C: ConnectionTrait>(
    db: &C,
    dims: &Dims,
    class: Option<PlacementClass>,
) -> Result<(), StoreError> {
    add(db, &[(dims, class, 1)]).await
}

/// A placement of `class` that no longer exists.
pub(crate) async fn uncounted<C: ConnectionTrait>(
    db: &C,
    dims: &Dims,
    class: Option<PlacementClass>,
) -> Result<(), StoreError> {
    add(db, &[(dims, class, -1)]).await
}

/// A placement moved from one class to another.
pub(crate) async fn moved<C: ConnectionTrait>(
    db: &C,
    dims: &Dims,
    from: Option<PlacementClass>,
    to: Option<PlacementClass>,
) -> Result<(), StoreError> {
    add(db, &[(dims, from, -1), (dims, to, 1)]).await
}

/// What is being deleted with all its placements.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope {
    Mailbox(Uuid),
    Split(Uuid),
    Test(Uuid),
}

/// Uncounts every placement of a mailbox or split that is being deleted, in the deleting
/// transaction.
pub(crate) async fn remove<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    scope: Scope,
) -> Result<(), StoreError> {
    let (col, month_col, id) = match scope {
        Scope::Mailbox(id) => (
            rollup::Column::MailboxId,
            month_rollup::Column::MailboxId,
            id,
        ),
        Scope::Split(id) => (rollup::Column::SplitId, month_rollup::Column::SplitId, id),
        Scope::Test(id) => (rollup::Column::TestId, month_rollup::Column::TestId, id),
    };
    // A split's deletion takes its campaign messages only: placement tests that used its
    // seeds stay, and so do their counts.
    let sources: Vec<&str> = match scope {
        Scope::Split(_) => vec![PlacementSource::SeedList.as_str()],
        _ => PlacementSource::ALL.iter().map(|s| s.as_str()).collect(),
    };
    let rows = rollup::Entity::find()
        .filter(rollup::Column::OrganizationId.eq(org))
        .filter(col.eq(id))
        .filter(rollup::Column::Source.is_in(sources.clone()))
        .all(db)
        .await?;
    let mut sums: BTreeMap<(String, String, String, String), i64> = BTreeMap::new();
    for r in rows {
        *sums
            .entry((r.day, r.source, r.provider, r.class))
            .or_default() += r.n;
    }
    add_org(
        db,
        org,
        sums.iter().map(|((day, source, provider, class), n)| {
            (
                (
                    day.as_str(),
                    source.as_str(),
                    provider.as_str(),
                    class.as_str(),
                ),
                -n,
            )
        }),
    )
    .await?;
    rollup::Entity::delete_many()
        .filter(rollup::Column::OrganizationId.eq(org))
        .filter(col.eq(id))
        .filter(rollup::Column::Source.is_in(sources.clone()))
        .exec(db)
        .await?;
    // The month rows of the scope hold only its placements too.
    month_rollup::Entity::delete_many()
        .filter(month_rollup::Column::OrganizationId.eq(org))
        .filter(month_col.eq(id))
        .filter(month_rollup::Column::Source.is_in(sources))
        .exec(db)
        .await?;
    Ok(())
}

/// A placement that moved from one class and set of dimensions to another (an external test's
/// result learns its sender's domain when it arrives).
pub(crate) async fn moved_between<C: ConnectionTrait>(
    db: &C,
    from: (&Dims, Option<PlacementClass>),
    to: (&Dims, Option<PlacementClass>),
) -> Result<(), StoreError> {
    add(db, &[(from.0, from.1, -1), (to.0, to.1, 1)]).await
}

/// What a placement report covers and how it is grouped. Days are the rollups' days.
#[derive(Debug, Clone)]
pub struct ReportQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: ReportGroup,
    pub mailbox_id: Option<Uuid>,
    pub domain: Option<String>,
    pub provider: Option<String>,
    pub source: Option<PlacementSource>,
}

impl ReportQuery {
    /// True when the organization-wide rollup has every dimension the report needs.
    fn org_wide(&self) -> bool {
        self.mailbox_id.is_none()
            && self.domain.is_none()
            && matches!(self.group_by, ReportGroup::Day | ReportGroup::Provider)
    }
}

fn slot(name: &str) -> Result<Option<PlacementClass>, StoreError> {
    parse_slot(name).ok_or_else(|| StoreError::Corrupt(format!("placement class {name:?}")))
}

fn day(d: NaiveDate) -> String {
    d.to_string()
}

/// One of the ranges a report over the fine rollups reads: days, or whole months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Days(NaiveDate, NaiveDate),
    Months(NaiveDate, NaiveDate),
}

fn month(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// `from..=to` as the days before the first whole month, the whole months, and the days after
/// the last: a year reads twelve rows per group and class where it would read 365. Without
/// `by_month` (a report per day), all days.
fn periods(from: NaiveDate, to: NaiveDate, by_month: bool) -> Vec<Period> {
    use chrono::Datelike;
    let first_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let next_month = |d: NaiveDate| {
        let f = first_of(d);
        f.checked_add_months(chrono::Months::new(1)).unwrap_or(f)
    };
    let start = if from.day() == 1 {
        from
    } else {
        next_month(from)
    };
    // The last day of the last month that ends by `to`.
    let end = match to.succ_opt() {
        Some(after) if after.day() == 1 => to,
        _ => first_of(to).pred_opt().unwrap_or(to),
    };
    if !by_month || start > end {
        return vec![Period::Days(from, to)];
    }
    let mut out = Vec::new();
    if from < start {
        out.push(Period::Days(from, start.pred_opt().unwrap_or(start)));
    }
    out.push(Period::Months(start, end));
    if end < to {
        out.push(Period::Days(end.succ_opt().unwrap_or(end), to));
    }
    out
}

/// The grouped counts of one fine rollup table (`rollup` by day, `month_rollup` by month)
/// over `from..=to` of its period column, with the report's filters.
macro_rules! fine_query {
    ($table:ident, $period:ident, $db:expr, $org:expr, $q:expr, $from:expr, $to:expr) => {{
        let q = $q;
        let mut s = $table::Entity::find()
            .select_only()
            .filter($table::Column::OrganizationId.eq($org.0))
            .filter($table::Column::$period.between($from, $to));
        if let Some(m) = q.mailbox_id {
            s = s.filter($table::Column::MailboxId.eq(m));
        }
        if let Some(d) = &q.domain {
            s = s.filter($table::Column::Domain.eq(d.as_str()));
        }
        if let Some(p) = &q.provider {
            s = s.filter($table::Column::Provider.eq(p.as_str()));
        }
        if let Some(src) = q.source {
            s = s.filter($table::Column::Source.eq(src.as_str()));
        }
        let text = |s: sea_orm::Select<$table::Entity>, col: $table::Column| {
            s.column(col)
                .column($table::Column::Class)
                .column_as(Expr::cust(SUM), "n")
                .group_by(col)
                .group_by($table::Column::Class)
                .into_tuple::<(String, String, i64)>()
        };
        let id = |s: sea_orm::Select<$table::Entity>, col: $table::Column| {
            s.column(col)
                .column($table::Column::Class)
                .column_as(Expr::cust(SUM), "n")
                .filter(col.ne(Uuid::nil()))
                .group_by(col)
                .group_by($table::Column::Class)
                .into_tuple::<(Uuid, String, i64)>()
        };
        let ids = |rows: Vec<(Uuid, String, i64)>| {
            rows.into_iter()
                .map(|(id, c, n)| (id.to_string(), c, n))
                .collect::<Vec<_>>()
        };
        match q.group_by {
            ReportGroup::Day => text(s, $table::Column::$period).all($db).await?,
            ReportGroup::Provider => text(s, $table::Column::Provider).all($db).await?,
            ReportGroup::Domain => text(s, $table::Column::Domain).all($db).await?,
            ReportGroup::Mailbox => ids(id(s, $table::Column::MailboxId).all($db).await?),
            ReportGroup::Split => ids(id(s, $table::Column::SplitId).all($db).await?),
            ReportGroup::Test => ids(id(s, $table::Column::TestId).all($db).await?),
        }
    }};
}

use super::SUM_N as SUM;

/// The organization's placement counts per group and class, read from the rollups.
pub async fn report<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    q: &ReportQuery,
) -> Result<Vec<GroupCount>, StoreError> {
    let rows: Vec<(String, String, i64)> = if q.org_wide() {
        let group = match q.group_by {
            ReportGroup::Day => org_rollup::Column::Day,
            _ => org_rollup::Column::Provider,
        };
        let mut s = org_rollup::Entity::find()
            .select_only()
            .column(group)
            .column(org_rollup::Column::Class)
            .column_as(Expr::cust(SUM), "n")
            .filter(org_rollup::Column::OrganizationId.eq(org.0))
            .filter(org_rollup::Column::Day.between(day(q.from), day(q.to)));
        if let Some(p) = &q.provider {
            s = s.filter(org_rollup::Column::Provider.eq(p.as_str()));
        }
        if let Some(src) = q.source {
            s = s.filter(org_rollup::Column::Source.eq(src.as_str()));
        }
        s.group_by(group)
            .group_by(org_rollup::Column::Class)
            .into_tuple()
            .all(db)
            .await?
    } else {
        let mut rows = Vec::new();
        for part in periods(q.from, q.to, q.group_by != ReportGroup::Day) {
            rows.extend(match part {
                Period::Days(from, to) => fine_query!(rollup, Day, db, org, q, day(from), day(to)),
                Period::Months(from, to) => {
                    fine_query!(month_rollup, Month, db, org, q, month(from), month(to))
                }
            });
        }
        rows
    };
    rows.into_iter()
        .map(|(group, class, count)| {
            Ok(GroupCount {
                group,
                class: slot(&class)?,
                count,
            })
        })
        .collect()
}

/// A mailbox's warmup placement counts per day, provider and class, from the rollups.
pub async fn mailbox_counts<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    mailbox_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<CountRow>, StoreError> {
    let rows: Vec<(String, String, String, i64)> = rollup::Entity::find()
        .select_only()
        .column(rollup::Column::Day)
        .column(rollup::Column::Provider)
        .column(rollup::Column::Class)
        .column_as(Expr::cust(SUM), "n")
        .filter(rollup::Column::OrganizationId.eq(org.0))
        .filter(rollup::Column::MailboxId.eq(mailbox_id))
        .filter(rollup::Column::Day.between(day(from), day(to)))
        .filter(rollup::Column::Source.eq(PlacementSource::Warmup.as_str()))
        .group_by(rollup::Column::Day)
        .group_by(rollup::Column::Provider)
        .group_by(rollup::Column::Class)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .filter(|r| r.3 != 0)
        .map(|(date, provider, class, n)| {
            Ok(CountRow {
                date,
                provider,
                class: slot(&class)?,
                count: u64::try_from(n).unwrap_or(0),
            })
        })
        .collect()
}

/// The UTC date of a timestamp column, `YYYY-MM-DD`, in the backend's SQL.
fn utc_day_sql(backend: DbBackend, col: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"),
        // Stored as text that starts with the UTC date.
        _ => format!("substr({col}, 1, 10)"),
    }
}

/// The same report as `report`, counted over the placement rows themselves: what the rollups
/// must always equal, and what a report would cost without them.
pub async fn report_from_rows<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    q: &ReportQuery,
) -> Result<Vec<GroupCount>, StoreError> {
    let mut out = Vec::new();
    let wants = |s: PlacementSource| q.source.is_none_or(|x| x == s);
    if wants(PlacementSource::Warmup) {
        let group = match q.group_by {
            ReportGroup::Day => Some("plan_date"),
            ReportGroup::Provider => Some("provider"),
            ReportGroup::Domain => Some("domain"),
            ReportGroup::Mailbox => Some("mailbox_id"),
            ReportGroup::Split | ReportGroup::Test => None,
        };
        if let Some(group) = group {
            let mut s = placement::Entity::find()
                .select_only()
                .column_as(Expr::cust(group), "g")
                .column_as(Expr::cust("COALESCE(class, 'pending')"), "c")
                .column_as(Expr::cust("COUNT(*)"), "n")
                .filter(placement::Column::OrganizationId.eq(org.0))
                .filter(placement::Column::PlanDate.between(day(q.from), day(q.to)));
            if let Some(m) = q.mailbox_id {
                s = s.filter(placement::Column::MailboxId.eq(m));
            }
            if let Some(d) = &q.domain {
                s = s.filter(placement::Column::Domain.eq(d.as_str()));
            }
            if let Some(p) = &q.provider {
                s = s.filter(placement::Column::Provider.eq(p.as_str()));
            }
            let s = s
                .group_by(Expr::cust(group))
                .group_by(Expr::cust("COALESCE(class, 'pending')"));
            if q.group_by == ReportGroup::Mailbox {
                for (g, c, n) in s.into_tuple::<(Uuid, String, i64)>().all(db).await? {
                    out.push((g.to_string(), c, n));
                }
            } else {
                out.extend(s.into_tuple::<(String, String, i64)>().all(db).await?);
            }
        }
    }
    if wants(PlacementSource::SeedList) && q.mailbox_id.is_none() {
        let day_sql = utc_day_sql(db.get_database_backend(), "created_at");
        let group = match q.group_by {
            ReportGroup::Day => Some(day_sql),
            ReportGroup::Provider => Some("provider".to_string()),
            ReportGroup::Domain => Some("domain".to_string()),
            ReportGroup::Split => Some("split_id".to_string()),
            ReportGroup::Mailbox | ReportGroup::Test => None,
        };
        if let Some(group) = group {
            let mut s = seed_list_message::Entity::find()
                .select_only()
                .column_as(Expr::cust(group.clone()), "g")
                .column(seed_list_message::Column::Class)
                .column_as(Expr::cust("COUNT(*)"), "n")
                .filter(seed_list_message::Column::OrganizationId.eq(org.0))
                .filter(seed_list_message::Column::CreatedAt.gte(utc_start(q.from)))
                .filter(
                    seed_list_message::Column::CreatedAt
                        .lt(utc_start(q.to.succ_opt().unwrap_or(q.to))),
                );
            if let Some(d) = &q.domain {
                s = s.filter(seed_list_message::Column::Domain.eq(d.as_str()));
            }
            if let Some(p) = &q.provider {
                s = s.filter(seed_list_message::Column::Provider.eq(p.as_str()));
            }
            let s = s
                .group_by(Expr::cust(group))
                .group_by(seed_list_message::Column::Class);
            if q.group_by == ReportGroup::Split {
                for (g, c, n) in s.into_tuple::<(Uuid, String, i64)>().all(db).await? {
                    out.push((g.to_string(), c, n));
                }
            } else {
                out.extend(s.into_tuple::<(String, String, i64)>().all(db).await?);
            }
        }
    }
    if wants(PlacementSource::Test) {
        let group = match q.group_by {
            ReportGroup::Day => "day",
            ReportGroup::Provider => "provider",
            ReportGroup::Domain => "domain",
            ReportGroup::Mailbox => "mailbox_id",
            ReportGroup::Split => "split_id",
            ReportGroup::Test => "test_id",
        };
        let mut s = test_seed::Entity::find()
            .select_only()
            .column_as(Expr::cust(group), "g")
            .column_as(Expr::cust("COALESCE(class, 'pending')"), "c")
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(test_seed::Column::OrganizationId.eq(org.0))
            .filter(test_seed::Column::Day.between(day(q.from), day(q.to)));
        if let Some(m) = q.mailbox_id {
            s = s.filter(test_seed::Column::MailboxId.eq(m));
        }
        if let Some(d) = &q.domain {
            s = s.filter(test_seed::Column::Domain.eq(d.as_str()));
        }
        if let Some(p) = &q.provider {
            s = s.filter(test_seed::Column::Provider.eq(p.as_str()));
        }
        let s = s
            .group_by(Expr::cust(group))
            .group_by(Expr::cust("COALESCE(class, 'pending')"));
        match q.group_by {
            ReportGroup::Mailbox | ReportGroup::Split | ReportGroup::Test => {
                let col = match q.group_by {
                    ReportGroup::Mailbox => test_seed::Column::MailboxId,
                    ReportGroup::Split => test_seed::Column::SplitId,
                    _ => test_seed::Column::TestId,
                };
                for (g, c, n) in s
                    .filter(col.is_not_null())
                    .into_tuple::<(Uuid, String, i64)>()
                    .all(db)
                    .await?
                {
                    out.push((g.to_string(), c, n));
                }
            }
            _ => out.extend(s.into_tuple::<(String, String, i64)>().all(db).await?),
        }
    }
    out.into_iter()
        .map(|(group, class, count)| {
            Ok(GroupCount {
                group,
                class: slot(&class)?,
                count,
            })
        })
        .collect()
}

/// Counts an organization's placements again from the rows, replacing its rollups: for rows
/// written in bulk (a benchmark's load, an import) or a repair. Nothing else needs it, since
/// every change to a placement keeps the rollups in step.
pub async fn rebuild(db: &sea_orm::DatabaseConnection, org: OrgId) -> Result<(), StoreError> {
    use sea_orm::sea_query::Query;
    let txn = write_txn::begin(db).await?;
    org_rollup::Entity::delete_many()
        .filter(org_rollup::Column::OrganizationId.eq(org.0))
        .exec(&txn)
        .await?;
    rollup::Entity::delete_many()
        .filter(rollup::Column::OrganizationId.eq(org.0))
        .exec(&txn)
        .await?;
    month_rollup::Entity::delete_many()
        .filter(month_rollup::Column::OrganizationId.eq(org.0))
        .exec(&txn)
        .await?;
    let nil = || Expr::val(Uuid::nil());
    let pending = "COALESCE(class, 'pending')";
    let warmup = Query::select()
        .from(placement::Entity)
        .column(placement::Column::OrganizationId)
        .column(placement::Column::PlanDate)
        .expr(Expr::val(PlacementSource::Warmup.as_str()))
        .column(placement::Column::MailboxId)
        .expr(nil())
        .expr(nil())
        .column(placement::Column::Domain)
        .column(placement::Column::Provider)
        .expr(Expr::cust(pending))
        .expr(Expr::cust("COUNT(*)"))
        .and_where(placement::Column::OrganizationId.eq(org.0))
        .group_by_columns([
            placement::Column::OrganizationId,
            placement::Column::PlanDate,
            placement::Column::MailboxId,
            placement::Column::Domain,
            placement::Column::Provider,
        ])
        .add_group_by([Expr::cust(pending)])
        .to_owned();
    let day = utc_day_sql(db.get_database_backend(), "created_at");
    let seed_list = Query::select()
        .from(seed_list_message::Entity)
        .column(seed_list_message::Column::OrganizationId)
        .expr(Expr::cust(day.clone()))
        .expr(Expr::val(PlacementSource::SeedList.as_str()))
        .expr(nil())
        .column(seed_list_message::Column::SplitId)
        .expr(nil())
        .column(seed_list_message::Column::Domain)
        .column(seed_list_message::Column::Provider)
        .column(seed_list_message::Column::Class)
        .expr(Expr::cust("COUNT(*)"))
        .and_where(seed_list_message::Column::OrganizationId.eq(org.0))
        .group_by_columns([
            seed_list_message::Column::OrganizationId,
            seed_list_message::Column::SplitId,
            seed_list_message::Column::Domain,
            seed_list_message::Column::Provider,
            seed_list_message::Column::Class,
        ])
        .add_group_by([Expr::cust(day)])
        .to_owned();
    let tests = Query::select()
        .from(test_seed::Entity)
        .column(test_seed::Column::OrganizationId)
        .column(test_seed::Column::Day)
        .expr(Expr::val(PlacementSource::Test.as_str()))
        .expr(Expr::col(test_seed::Column::MailboxId).if_null(Uuid::nil()))
        .expr(Expr::col(test_seed::Column::SplitId).if_null(Uuid::nil()))
        .column(test_seed::Column::TestId)
        .column(test_seed::Column::Domain)
        .column(test_seed::Column::Provider)
        .expr(Expr::cust(pending))
        .expr(Expr::cust("COUNT(*)"))
        .and_where(test_seed::Column::OrganizationId.eq(org.0))
        .group_by_columns([
            test_seed::Column::OrganizationId,
            test_seed::Column::Day,
            test_seed::Column::MailboxId,
            test_seed::Column::SplitId,
            test_seed::Column::TestId,
            test_seed::Column::Domain,
            test_seed::Column::Provider,
        ])
        .add_group_by([Expr::cust(pending)])
        .to_owned();
    for select in [warmup, seed_list, tests] {
        let insert = Query::insert()
            .into_table(rollup::Entity)
            .columns([
                rollup::Column::OrganizationId,
                rollup::Column::Day,
                rollup::Column::Source,
                rollup::Column::MailboxId,
                rollup::Column::SplitId,
                rollup::Column::TestId,
                rollup::Column::Domain,
                rollup::Column::Provider,
                rollup::Column::Class,
                rollup::Column::N,
            ])
            .select_from(select)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?
            .to_owned();
        txn.execute(&insert).await?;
    }
    let sums = Query::select()
        .from(rollup::Entity)
        .column(rollup::Column::OrganizationId)
        .column(rollup::Column::Day)
        .column(rollup::Column::Source)
        .column(rollup::Column::Provider)
        .column(rollup::Column::Class)
        .expr(Expr::cust(SUM))
        .and_where(rollup::Column::OrganizationId.eq(org.0))
        .group_by_columns([
            rollup::Column::OrganizationId,
            rollup::Column::Day,
            rollup::Column::Source,
            rollup::Column::Provider,
            rollup::Column::Class,
        ])
        .to_owned();
    let insert = Query::insert()
        .into_table(org_rollup::Entity)
        .columns([
            org_rollup::Column::OrganizationId,
            org_rollup::Column::Day,
            org_rollup::Column::Source,
            org_rollup::Column::Provider,
            org_rollup::Column::Class,
            org_rollup::Column::N,
        ])
        .select_from(sums)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?
        .to_owned();
    txn.execute(&insert).await?;
    let month_of = "substr(day, 1, 7)";
    let dims = [
        rollup::Column::OrganizationId,
        rollup::Column::Source,
        rollup::Column::MailboxId,
        rollup::Column::SplitId,
        rollup::Column::TestId,
        rollup::Column::Domain,
        rollup::Column::Provider,
        rollup::Column::Class,
    ];
    let months = Query::select()
        .from(rollup::Entity)
        .expr(Expr::cust(month_of))
        .columns(dims)
        .expr(Expr::cust(SUM))
        .and_where(rollup::Column::OrganizationId.eq(org.0))
        .group_by_columns(dims)
        .add_group_by([Expr::cust(month_of)])
        .to_owned();
    let insert = Query::insert()
        .into_table(month_rollup::Entity)
        .columns([
            month_rollup::Column::Month,
            month_rollup::Column::OrganizationId,
            month_rollup::Column::Source,
            month_rollup::Column::MailboxId,
            month_rollup::Column::SplitId,
            month_rollup::Column::TestId,
            month_rollup::Column::Domain,
            month_rollup::Column::Provider,
            month_rollup::Column::Class,
            month_rollup::Column::N,
        ])
        .select_from(months)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?
        .to_owned();
    txn.execute(&insert).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_range_reads_whole_months_and_the_days_around_them() {
        use Period::*;
        let cases = [
            // A year from mid-month: days, eleven whole months, days.
            (
                "2025-12-15",
                "2026-12-14",
                vec![
                    Days(d("2025-12-15"), d("2025-12-31")),
                    Months(d("2026-01-01"), d("2026-11-30")),
                    Days(d("2026-12-01"), d("2026-12-14")),
                ],
            ),
            // Whole months only.
            (
                "2026-01-01",
                "2026-02-28",
                vec![Months(d("2026-01-01"), d("2026-02-28"))],
            ),
            // No whole month: days.
            (
                "2026-01-02",
                "2026-01-31",
                vec![Days(d("2026-01-02"), d("2026-01-31"))],
            ),
            (
                "2026-01-10",
                "2026-02-20",
                vec![Days(d("2026-01-10"), d("2026-02-20"))],
            ),
            // A leap February ends on the 29th.
            (
                "2028-02-01",
                "2028-02-29",
                vec![Months(d("2028-02-01"), d("2028-02-29"))],
            ),
        ];
        for (from, to, want) in cases {
            assert_eq!(periods(d(from), d(to), true), want, "{from}..{to}");
        }
        assert_eq!(
            periods(d("2026-01-01"), d("2026-03-31"), false),
            vec![Days(d("2026-01-01"), d("2026-03-31"))],
            "a report per day reads days"
        );
    }
}
