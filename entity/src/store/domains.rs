//! Domains and their health checks: the domains of an organization's mailboxes (kept as
//! mailboxes come), those it adds by name, what a check needs to know from the database, and
//! the reports of past checks. Checks fall due daily, and at once when a mailbox's DKIM key
//! changes; a worker takes a due domain by moving its due time to the end of a lease.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;
use warmup_domain::email::domain_of;
use warmup_domain::health::{DkimKey, HealthInputs, HealthReport, SeenAtSeeds};
use warmup_domain::placement::{PlacementSource, ReportGroup, summarize_groups};

use super::page::{Page, PageRequest};
use super::rollups::{self, ReportQuery};
use super::{OrgId, StoreError};
use crate::secret_box::SecretBox;
use crate::{domain, domain_check, mailbox, placement, seed_list_message};
use warmup_domain::state::EventType;

/// How often a domain is checked on its own.
pub const CHECK_EVERY: Duration = Duration::days(1);

/// Domains an organization may add by name (its mailboxes' domains come on top).
pub const MAX_MANUAL_DOMAINS: u64 = 500;

/// Checks a history answers at most (the latest of the range).
pub const MAX_HISTORY: u64 = 1000;

/// Days of seed results a check looks at.
pub const SEEN_DAYS: i64 = 7;

/// Days back sending addresses are collected from.
pub const SENDING_IP_DAYS: i64 = 30;

/// Where a domain came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Mailbox,
    Manual,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Mailbox => "mailbox",
            Source::Manual => "manual",
        }
    }
}

/// What started a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Manual,
    Scheduled,
    DkimChanged,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Manual => "manual",
            Trigger::Scheduled => "scheduled",
            Trigger::DkimChanged => "dkim_changed",
        }
    }
}

fn new_row(org: Uuid, name: &str, source: Source, now: DateTime<Utc>) -> domain::ActiveModel {
    domain::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        name: Set(name.to_string()),
        source: Set(source.as_str().to_string()),
        // A new domain is checked at the next round.
        next_check_at: Set(now),
        last_checked_at: Set(None),
        manual_check_at: Set(None),
        score: Set(None),
        grade: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Keeps a mailbox's domain among the organization's domains (nothing when it is there).
pub async fn ensure_for_mailbox<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let name = domain_of(email);
    if name.is_empty() {
        return Ok(());
    }
    domain::Entity::insert(new_row(org, &name, Source::Mailbox, now))
        .on_conflict(
            OnConflict::columns([domain::Column::OrganizationId, domain::Column::Name])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Makes the domain of a mailbox whose DKIM key changed due for a check now.
pub async fn dkim_changed<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    ensure_for_mailbox(db, org, email, now).await?;
    domain::Entity::update_many()
        .col_expr(domain::Column::NextCheckAt, Expr::value(now))
        .filter(domain::Column::OrganizationId.eq(org))
        .filter(domain::Column::Name.eq(domain_of(email)))
        .exec(db)
        .await?;
    Ok(())
}

/// Adds a domain by name; a conflict when the organization has it already.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    name: &str,
    now: DateTime<Utc>,
) -> Result<domain::Model, StoreError> {
    let manual = domain::Entity::find()
        .filter(domain::Column::OrganizationId.eq(org.0))
        .filter(domain::Column::Source.eq(Source::Manual.as_str()))
        .count(db)
        .await?;
    if manual >= MAX_MANUAL_DOMAINS {
        return Err(StoreError::LimitReached(format!(
            "the organization has added {MAX_MANUAL_DOMAINS} domains by name, the most it may; \
             delete one first"
        )));
    }
    let inserted = domain::Entity::insert(new_row(org.0, name, Source::Manual, now))
        .on_conflict(
            OnConflict::columns([domain::Column::OrganizationId, domain::Column::Name])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted == 0 {
        return Err(StoreError::Conflict(format!(
            "the organization already has the domain {name}"
        )));
    }
    domain::Entity::find()
        .filter(domain::Column::OrganizationId.eq(org.0))
        .filter(domain::Column::Name.eq(name))
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("domain {name} vanished after its insert")))
}

pub async fn get<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<Option<domain::Model>, StoreError> {
    Ok(domain::Entity::find_by_id(id)
        .filter(domain::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?)
}

/// A page of the organization's domains, in the order they came.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    page: PageRequest,
) -> Result<Page<domain::Model>, StoreError> {
    let mut q = domain::Entity::find().filter(domain::Column::OrganizationId.eq(org.0));
    if let Some(after) = page.after {
        q = q.filter(domain::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(domain::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_overfetch(rows, page.limit, |d| d.id))
}

/// The organization's mailboxes at a domain (by address).
pub async fn mailboxes_at<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    name: &str,
) -> Result<Vec<mailbox::Model>, StoreError> {
    // `LIKE` has no wildcard in a host name but `_`, which the domain's own rules refuse.
    Ok(mailbox::Entity::find()
        .filter(mailbox::Column::OrganizationId.eq(org.0))
        // Addresses keep the case they were given in; Postgres' LIKE minds case.
        .filter(
            Expr::expr(Func::lower(Expr::col(mailbox::Column::Email))).like(format!("%@{name}")),
        )
        .all(db)
        .await?
        .into_iter()
        .filter(|m| domain_of(&m.email) == name)
        .collect())
}

/// What deleting a domain did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deleted {
    Deleted,
    NotFound,
    /// Mailboxes still use it; how many.
    InUse(usize),
}

/// Deletes a domain and its checks, unless a mailbox still uses it (it would come back).
pub async fn delete<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<Deleted, StoreError> {
    let Some(d) = get(db, org, id).await? else {
        return Ok(Deleted::NotFound);
    };
    let using = mailboxes_at(db, org, &d.name).await?.len();
    if using > 0 {
        return Ok(Deleted::InUse(using));
    }
    domain::Entity::delete_many()
        .filter(domain::Column::Id.eq(id))
        .filter(domain::Column::OrganizationId.eq(org.0))
        .exec(db)
        .await?;
    Ok(Deleted::Deleted)
}

/// Takes up to `limit` domains whose check is due, each by moving its due time to `lease_until`
/// (only one worker wins a domain; one that dies leaves it due again then).
pub async fn take_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<domain::Model>, StoreError> {
    let due = domain::Entity::find()
        .filter(domain::Column::NextCheckAt.lte(now))
        .order_by_asc(domain::Column::NextCheckAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut taken = Vec::new();
    for d in due {
        let won = domain::Entity::update_many()
            .col_expr(domain::Column::NextCheckAt, Expr::value(lease_until))
            .filter(domain::Column::Id.eq(d.id))
            .filter(domain::Column::NextCheckAt.eq(d.next_check_at))
            .exec(db)
            .await?;
        if won.rows_affected == 1 {
            taken.push(d);
        }
    }
    Ok(taken)
}

/// The trigger of a scheduled domain's check: a first check, a changed key, or the day's.
pub fn scheduled_trigger(d: &domain::Model) -> Trigger {
    match d.last_checked_at {
        Some(last) if d.next_check_at < last + CHECK_EVERY => Trigger::DkimChanged,
        _ => Trigger::Scheduled,
    }
}

/// What the checks need from the database: the DKIM keys of the domain's mailboxes (decrypted),
/// the addresses the seeds saw its mail come from, its authentication results and placements.
pub async fn inputs<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    name: &str,
    secrets: &SecretBox,
    now: DateTime<Utc>,
) -> Result<HealthInputs, StoreError> {
    let mut keys = Vec::new();
    let signing = mailbox::Entity::find()
        .filter(mailbox::Column::OrganizationId.eq(org.0))
        .filter(mailbox::Column::DkimPrivateKey.is_not_null())
        .all(db)
        .await?;
    for m in signing {
        let (Some(selector), Some(sealed)) = (m.dkim_selector.clone(), m.dkim_private_key.clone())
        else {
            continue;
        };
        let signing_domain = m.dkim_domain.clone().unwrap_or_else(|| domain_of(&m.email));
        if signing_domain != name && domain_of(&m.email) != name {
            continue;
        }
        let private_pem = secrets
            .open(
                &sealed,
                &crate::secret_box::context("mailbox", m.id, "dkim"),
            )
            .map_err(|e| StoreError::Corrupt(format!("the DKIM key of {}: {e}", m.email)))?;
        keys.push(DkimKey {
            mailbox: m.email,
            selector,
            domain: signing_domain,
            private_pem: private_pem.expose().to_string(),
        });
    }

    let since = now - Duration::days(SENDING_IP_DAYS);
    let mut seen_ips: Vec<(DateTime<Utc>, String)> = placement::Entity::find()
        .select_only()
        .column(placement::Column::ArrivedAt)
        .column(placement::Column::SendingIp)
        .filter(placement::Column::OrganizationId.eq(org.0))
        .filter(placement::Column::Domain.eq(name))
        .filter(placement::Column::SendingIp.is_not_null())
        .filter(placement::Column::ArrivedAt.gte(since))
        .order_by_desc(placement::Column::ArrivedAt)
        .limit(500)
        .into_tuple::<(Option<DateTime<Utc>>, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(at, ip)| Some((at?, ip?)))
        .collect();
    seen_ips.extend(
        seed_list_message::Entity::find()
            .select_only()
            .column(seed_list_message::Column::ArrivedAt)
            .column(seed_list_message::Column::SendingIp)
            .filter(seed_list_message::Column::OrganizationId.eq(org.0))
            .filter(seed_list_message::Column::Domain.eq(name))
            .filter(seed_list_message::Column::SendingIp.is_not_null())
            .filter(seed_list_message::Column::ArrivedAt.gte(since))
            .order_by_desc(seed_list_message::Column::ArrivedAt)
            .limit(500)
            .into_tuple::<(Option<DateTime<Utc>>, Option<String>)>()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|(at, ip)| Some((at?, ip?))),
    );
    seen_ips.sort_by_key(|b| std::cmp::Reverse(b.0));
    let mut sending_ips = Vec::new();
    for (_, ip) in seen_ips {
        if sending_ips.len() >= warmup_domain::health::MAX_SENDING_IPS {
            break;
        }
        if let Ok(ip) = ip.parse::<std::net::IpAddr>()
            && !sending_ips.contains(&ip)
        {
            sending_ips.push(ip);
        }
    }

    let week = now - Duration::days(SEEN_DAYS);
    let results: Vec<(Option<String>, Option<String>)> = placement::Entity::find()
        .select_only()
        .column(placement::Column::Dkim)
        .column(placement::Column::Dmarc)
        .filter(placement::Column::OrganizationId.eq(org.0))
        .filter(placement::Column::Domain.eq(name))
        .filter(placement::Column::ArrivedAt.gte(week))
        .into_tuple()
        .all(db)
        .await?;
    let mut seen = SeenAtSeeds::default();
    for (dkim, dmarc) in results {
        if let Some(d) = dkim {
            seen.dkim_total += 1;
            seen.dkim_pass += u64::from(d == "pass");
        }
        if let Some(d) = dmarc {
            seen.dmarc_total += 1;
            seen.dmarc_pass += u64::from(d == "pass");
        }
    }

    let today = now.date_naive();
    let mut inbox = 0;
    let mut decided = 0;
    for source in [PlacementSource::Warmup, PlacementSource::SeedList] {
        let rows = rollups::report(
            db,
            org,
            &ReportQuery {
                from: today - Duration::days(SEEN_DAYS - 1),
                to: today,
                group_by: ReportGroup::Domain,
                mailbox_id: None,
                domain: Some(name.to_string()),
                provider: None,
                source: Some(source),
            },
        )
        .await?;
        let r = summarize_groups(rows).overall;
        inbox += r.inbox;
        decided += r.inbox + r.spam + r.category + r.other + r.missing;
    }
    Ok(HealthInputs {
        domain: name.to_string(),
        keys,
        sending_ips,
        seen,
        inbox: (inbox, decided),
    })
}

/// Keeps a check's report. A check the worker took under `lease` makes the next one due a day
/// later, unless the domain was made due meanwhile (a changed DKIM key); a check by hand
/// leaves the schedule alone.
pub async fn record_check<C: ConnectionTrait>(
    db: &C,
    d: &domain::Model,
    trigger: Trigger,
    report: &HealthReport,
    now: DateTime<Utc>,
    lease: Option<DateTime<Utc>>,
) -> Result<domain_check::Model, StoreError> {
    let json = serde_json::to_string(report)
        .map_err(|e| StoreError::Corrupt(format!("a health report as JSON: {e}")))?;
    let score = report.score.and_then(|s| i32::try_from(s).ok());
    // The domain's row is written first: inside a transaction that takes the write lock
    // (SQLite) or the row's lock (Postgres) before anything is read, so two checks of one
    // domain cannot both compare with the same previous report.
    domain::Entity::update_many()
        .col_expr(
            domain::Column::LastCheckedAt,
            Expr::value(Some(report.checked_at)),
        )
        .col_expr(domain::Column::Score, Expr::value(score))
        .col_expr(domain::Column::Grade, Expr::value(report.grade.clone()))
        .col_expr(domain::Column::UpdatedAt, Expr::value(now))
        .filter(domain::Column::Id.eq(d.id))
        .exec(db)
        .await?;
    let previous: Option<HealthReport> = domain_check::Entity::find()
        .filter(domain_check::Column::DomainId.eq(d.id))
        .order_by_desc(domain_check::Column::CheckedAt)
        .one(db)
        .await?
        .and_then(|c| serde_json::from_str(&c.report).ok());
    raise_changes(db, d, previous.as_ref(), report, now).await?;
    let row = domain_check::ActiveModel {
        id: Set(Uuid::now_v7()),
        domain_id: Set(d.id),
        organization_id: Set(d.organization_id),
        checked_at: Set(report.checked_at),
        trigger: Set(trigger.as_str().to_string()),
        score: Set(score),
        grade: Set(report.grade.clone()),
        report: Set(json),
    }
    .insert(db)
    .await?;
    if let Some(lease) = lease {
        domain::Entity::update_many()
            .col_expr(domain::Column::NextCheckAt, Expr::value(now + CHECK_EVERY))
            .filter(domain::Column::Id.eq(d.id))
            .filter(domain::Column::NextCheckAt.eq(lease))
            .exec(db)
            .await?;
    }
    Ok(row)
}

/// Raises `domain.health_changed` when the grade moved and `domain.blocklisted` for
/// listings that are new since the previous check.
async fn raise_changes<C: ConnectionTrait>(
    db: &C,
    d: &domain::Model,
    previous: Option<&HealthReport>,
    report: &HealthReport,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let c = warmup_domain::health::changes(previous, report);
    if let Some((from, to)) = c.grade {
        super::events::raise(
            db,
            d.organization_id,
            EventType::DomainHealthChanged,
            serde_json::json!({
                "domain_id": d.id,
                "domain": d.name,
                "previous_grade": from,
                "grade": to,
                "previous_score": previous.and_then(|p| p.score),
                "score": report.score,
            }),
            now,
        )
        .await?;
    }
    if !c.new_listings.is_empty() {
        super::events::raise(
            db,
            d.organization_id,
            EventType::DomainBlocklisted,
            serde_json::json!({
                "domain_id": d.id,
                "domain": d.name,
                "listings": c.new_listings.iter().map(|i| serde_json::json!({
                    "subject": i.subject,
                    "detail": i.detail,
                })).collect::<Vec<_>>(),
            }),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Claims a check by hand, at most one per `spacing`; when the last one is too recent, the
/// time it started.
pub async fn claim_manual_check<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
    now: DateTime<Utc>,
    spacing: Duration,
) -> Result<Result<(), DateTime<Utc>>, StoreError> {
    // Conditional, so two requests at once cannot both pass.
    let won = domain::Entity::update_many()
        .col_expr(domain::Column::ManualCheckAt, Expr::value(Some(now)))
        .filter(domain::Column::Id.eq(id))
        .filter(domain::Column::OrganizationId.eq(org.0))
        .filter(
            sea_orm::sea_query::Condition::any()
                .add(domain::Column::ManualCheckAt.is_null())
                .add(domain::Column::ManualCheckAt.lte(now - spacing)),
        )
        .exec(db)
        .await?;
    if won.rows_affected == 1 {
        return Ok(Ok(()));
    }
    let last = get(db, org, id)
        .await?
        .and_then(|d| d.manual_check_at)
        .unwrap_or(now);
    Ok(Err(last))
}

fn report_of(row: &domain_check::Model) -> Result<HealthReport, StoreError> {
    serde_json::from_str(&row.report)
        .map_err(|e| StoreError::Corrupt(format!("health report {}: {e}", row.id)))
}

/// The latest check's report.
pub async fn latest<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    domain_id: Uuid,
) -> Result<Option<(domain_check::Model, HealthReport)>, StoreError> {
    let row = domain_check::Entity::find()
        .filter(domain_check::Column::OrganizationId.eq(org.0))
        .filter(domain_check::Column::DomainId.eq(domain_id))
        .order_by_desc(domain_check::Column::CheckedAt)
        .order_by_desc(domain_check::Column::Id)
        .one(db)
        .await?;
    row.map(|r| report_of(&r).map(|rep| (r, rep))).transpose()
}

/// Checks between two days (UTC, both included), oldest first, with their reports: the latest
/// [`MAX_HISTORY`] of them.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    domain_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(domain_check::Model, HealthReport)>, StoreError> {
    let start = warmup_domain::plan_date::utc_start(from);
    let end = warmup_domain::plan_date::utc_start(to.succ_opt().unwrap_or(to));
    let mut rows = domain_check::Entity::find()
        .filter(domain_check::Column::OrganizationId.eq(org.0))
        .filter(domain_check::Column::DomainId.eq(domain_id))
        .filter(domain_check::Column::CheckedAt.gte(start))
        .filter(domain_check::Column::CheckedAt.lt(end))
        .order_by_desc(domain_check::Column::CheckedAt)
        .limit(MAX_HISTORY)
        .all(db)
        .await?;
    rows.reverse();
    rows.into_iter()
        .map(|r| report_of(&r).map(|rep| (r, rep)))
        .collect()
}

/// Mailboxes of the organization at the domain, counted.
pub async fn mailbox_count<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    name: &str,
) -> Result<u64, StoreError> {
    Ok(mailboxes_at(db, org, name).await?.len() as u64)
}

/// The organization's mailboxes counted per domain, in one read (a page of domains).
pub async fn mailbox_counts<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
) -> Result<std::collections::HashMap<String, u64>, StoreError> {
    let emails: Vec<String> = mailbox::Entity::find()
        .select_only()
        .column(mailbox::Column::Email)
        .filter(mailbox::Column::OrganizationId.eq(org.0))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = std::collections::HashMap::new();
    for e in emails {
        *counts.entry(domain_of(&e)).or_insert(0) += 1;
    }
    Ok(counts)
}
