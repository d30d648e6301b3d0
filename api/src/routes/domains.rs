//! Domains and their health: the domains of the organization's mailboxes (and any added by
//! name), a check run now or read back, and the history of scores.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use warmup_domain::health::{CheckKind, CheckResult, CheckStatus, Contribution, HealthReport};
use warmup_domain::mail_server::parse_domain_name;
use warmup_entity::domain;
use warmup_entity::store::OrgId;
use warmup_entity::store::domains::{self as store, Deleted, Trigger};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json_body::Body;
use crate::pagination::PageQuery;
use crate::routes::placements::report_days;
use crate::state::AppState;

/// Real seconds between two checks of one domain asked for by hand: a check queries DNS
/// blocklists, which rate-limit.
pub const MANUAL_CHECK_SPACING_SECS: u64 = 60;

/// A domain whose health is checked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Domain {
    pub id: Uuid,
    pub name: String,
    /// `mailbox` (came with a mailbox) or `manual` (added by name).
    pub source: String,
    /// The organization's mailboxes at the domain.
    pub mailboxes: u64,
    /// The latest check's score (0 to 100) and grade; absent before the first check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_checked_at: Option<DateTime<Utc>>,
    /// When the next check is due (daily, or at once after a mailbox's DKIM key changes).
    pub next_check_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

crate::page_of!(
    /// Domains, one page.
    DomainPage,
    Domain
);

async fn view(state: &AppState, org: OrgId, d: domain::Model) -> Result<Domain, ApiError> {
    let mailboxes = store::mailbox_count(&state.db, org, &d.name).await?;
    Ok(shown(d, mailboxes))
}

fn shown(d: domain::Model, mailboxes: u64) -> Domain {
    Domain {
        id: d.id,
        name: d.name,
        source: d.source,
        mailboxes,
        score: d.score,
        grade: d.grade,
        last_checked_at: d.last_checked_at,
        next_check_at: d.next_check_at,
        created_at: d.created_at,
    }
}

async fn find(state: &AppState, caller: &Caller, id: Uuid) -> Result<domain::Model, ApiError> {
    store::get(&state.db, caller.org, id)
        .await?
        .ok_or(ApiError::NotFound("domain"))
}

/// A domain to add by name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "example.com"}))]
pub struct CreateDomain {
    /// A domain name such as `example.com`.
    #[schema(
        max_length = 253,
        pattern = r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$"
    )]
    pub name: String,
}

/// List the organization's domains.
///
/// The domains of its mailboxes (added with each mailbox) and those added by name, with the
/// latest score.
#[utoipa::path(
    tag = "domains",
    operation_id = "listDomains",
    params(PageQuery),
    responses((status = 200, description = "One page of domains", body = DomainPage)),
    security(("api_key" = []))
)]
#[get("/domains")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<DomainPage>, ApiError> {
    let page = query.parse()?;
    let found = store::list(&state.db, caller.org, page).await?;
    // One read of the mailboxes for the page, not one per domain.
    let counts = store::mailbox_counts(&state.db, caller.org).await?;
    let items = found
        .items
        .into_iter()
        .map(|d| {
            let n = counts.get(&d.name).copied().unwrap_or(0);
            shown(d, n)
        })
        .collect();
    Ok(web::Json(DomainPage {
        items,
        next: found.next,
    }))
}

/// Add a domain by name.
///
/// Its health is checked at the next round of the workers' health loop, then daily. A domain
/// the organization has already is a conflict; an organization adds at most 500 domains by
/// name (a 409 `limit_reached` beyond).
#[utoipa::path(
    tag = "domains",
    operation_id = "createDomain",
    request_body = CreateDomain,
    responses(
        (status = 201, description = "Added", body = Domain),
        (status = 409, description = "The organization has this domain already", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/domains")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<CreateDomain>,
) -> Result<HttpResponse, ApiError> {
    let name = parse_domain_name(&body.value.name)
        .ok_or_else(|| ApiError::invalid("name", "must be a domain name such as example.com"))?;
    let d = store::create(&state.db, caller.org, &name, state.clock.now()).await?;
    Ok(HttpResponse::build(StatusCode::CREATED).json(view(&state, caller.org, d).await?))
}

/// Get one domain.
#[utoipa::path(
    tag = "domains",
    operation_id = "getDomain",
    params(("id" = Uuid, Path, description = "Domain id")),
    responses((status = 200, description = "The domain", body = Domain)),
    security(("api_key" = []))
)]
#[get("/domains/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Domain>, ApiError> {
    let d = find(&state, &caller, *id).await?;
    Ok(web::Json(view(&state, caller.org, d).await?))
}

/// Delete a domain and its check history.
///
/// A domain that mailboxes of the organization use cannot be deleted (409): it would come back
/// with them.
#[utoipa::path(
    tag = "domains",
    operation_id = "deleteDomain",
    params(("id" = Uuid, Path, description = "Domain id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Mailboxes use the domain", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[delete("/domains/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    match store::delete(&state.db, caller.org, *id).await? {
        Deleted::Deleted => Ok(HttpResponse::NoContent().finish()),
        Deleted::NotFound => Err(ApiError::NotFound("domain")),
        Deleted::InUse(n) => Err(ApiError::Conflict(format!(
            "{n} mailbox(es) of the organization use this domain; delete them first"
        ))),
    }
}

/// Runs a check of `d` and keeps its report.
pub async fn run_check(
    state: &AppState,
    org: OrgId,
    d: &domain::Model,
    trigger: Trigger,
) -> Result<HealthReport, ApiError> {
    let now = state.clock.now();
    let inputs = store::inputs(&state.db, org, &d.name, &state.secrets, now).await?;
    let checks = warmup_mail::health::check_domain(
        &inputs,
        &state.resolvers,
        &state.auth,
        &state.tls,
        &state.settings.health,
    )
    .await;
    let report = HealthReport::new(&d.name, state.clock.now(), checks);
    // The check and the events it raises are one change.
    let txn = warmup_entity::store::write_txn::begin(&state.db)
        .await
        .map_err(warmup_entity::StoreError::from)?;
    store::record_check(&txn, d, trigger, &report, state.clock.now(), None).await?;
    txn.commit()
        .await
        .map_err(warmup_entity::StoreError::from)?;
    Ok(report)
}

/// Check a domain's health now.
///
/// Runs every check (MX, SPF, DKIM, DMARC, reverse DNS, MTA-STS/TLS-RPT, blocklists,
/// placement) and answers the report, which becomes the domain's latest. Each check answers
/// `pass`, `warn`, `fail` or `error` (could not be decided), with its weight, the points it
/// earned (all on pass, half on warn, none on fail; an `error` is left out), an explanation and
/// a fix. The weights: MX 10, SPF 15, DKIM 20, DMARC 15, reverse DNS 10, MTA-STS/TLS-RPT 5,
/// blocklists 15, placement 10. The score is the points earned over the weights of the checks
/// that were decided, 0 to 100; the grade A from 90, B from 80, C from 70, D from 60, else F.
/// A domain can be checked by hand once a minute (429 otherwise): blocklists rate-limit.
#[utoipa::path(
    tag = "domains",
    operation_id = "checkDomain",
    params(("id" = Uuid, Path, description = "Domain id")),
    responses(
        (status = 201, description = "The check's report", body = HealthReport),
        (status = 429, description = "Checked by hand less than a minute ago", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/domains/{id}/checks")]
pub async fn check(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let d = find(&state, &caller, *id).await?;
    let now = state.clock.now();
    let spacing = state
        .clock
        .simulated(std::time::Duration::from_secs(MANUAL_CHECK_SPACING_SECS));
    if let Err(last) = store::claim_manual_check(&state.db, caller.org, d.id, now, spacing).await? {
        let waited = state.clock.real(now - last).as_secs();
        return Err(ApiError::RateLimited {
            retry_after: MANUAL_CHECK_SPACING_SECS.saturating_sub(waited).max(1),
            scope: "for this domain's checks",
        });
    }
    let report = run_check(&state, caller.org, &d, Trigger::Manual).await?;
    Ok(HttpResponse::build(StatusCode::CREATED).json(report))
}

/// Whether a domain's health has been checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthState {
    /// No check ran yet: the workers check a new domain in their next round (or
    /// `POST /v1/domains/{id}/checks` now).
    Pending,
    /// The fields below are the latest check's report.
    Checked,
}

/// A domain's health: its latest check's report, or `pending` before the first check (then
/// `checked_at`, `score` and `grade` are null and `checks` empty).
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainHealth {
    pub state: HealthState,
    pub domain: String,
    /// When the latest check ran; null while `pending`.
    pub checked_at: Option<DateTime<Utc>>,
    /// When the next scheduled check is due.
    pub next_check_at: DateTime<Utc>,
    /// 0 to 100: points earned over the weights of the checks that could be decided; null
    /// when none could or none ran.
    pub score: Option<u32>,
    /// A (90 and up), B (80), C (70), D (60) or F.
    pub grade: Option<String>,
    pub checks: Vec<CheckResult>,
    pub contributions: Vec<Contribution>,
}

impl DomainHealth {
    fn of(d: &domain::Model, report: Option<HealthReport>) -> Self {
        let mut shown = Self {
            state: HealthState::Pending,
            domain: d.name.clone(),
            checked_at: None,
            next_check_at: d.next_check_at,
            score: None,
            grade: None,
            checks: vec![],
            contributions: vec![],
        };
        if let Some(r) = report {
            shown.state = HealthState::Checked;
            shown.checked_at = Some(r.checked_at);
            shown.score = r.score;
            shown.grade = r.grade;
            shown.checks = r.checks;
            shown.contributions = r.contributions;
        }
        shown
    }
}

/// The domain's latest health report.
///
/// Before the domain's first check the answer is `state: pending` with no checks, so a domain
/// just added has a health to read (not a 404).
#[utoipa::path(
    tag = "domains",
    operation_id = "getDomainHealth",
    params(("id" = Uuid, Path, description = "Domain id")),
    responses(
        (status = 200, description = "The latest check's report, or pending", body = DomainHealth),
        (status = 404, description = "No such domain", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/domains/{id}/health")]
pub async fn health(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<DomainHealth>, ApiError> {
    let d = find(&state, &caller, *id).await?;
    let latest = store::latest(&state.db, caller.org, d.id).await?;
    Ok(web::Json(DomainHealth::of(&d, latest.map(|(_, r)| r))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// First day (UTC), `YYYY-MM-DD`; default 29 days before `to`.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last day (UTC), `YYYY-MM-DD`; default today. At most 366 days from `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

/// One check's status in a summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckSummary {
    pub check: CheckKind,
    pub status: CheckStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
}

/// One past check, without its details.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthSummary {
    pub checked_at: DateTime<Utc>,
    /// `manual`, `scheduled` or `dkim_changed`.
    pub trigger: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    pub checks: Vec<CheckSummary>,
}

/// A domain's checks over a range of days.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthHistory {
    pub domain_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Oldest first.
    pub items: Vec<HealthSummary>,
}

/// The domain's scores over time.
#[utoipa::path(
    tag = "domains",
    operation_id = "getDomainHealthHistory",
    params(("id" = Uuid, Path, description = "Domain id"), HistoryQuery),
    responses((status = 200, description = "The checks between from and to", body = HealthHistory)),
    security(("api_key" = []))
)]
#[get("/domains/{id}/health/history")]
pub async fn history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<HealthHistory>, ApiError> {
    let d = find(&state, &caller, *id).await?;
    let today = state.clock.now().date_naive();
    let (from, to) = report_days(query.from.as_deref(), query.to.as_deref(), today)?;
    let rows = store::history(&state.db, caller.org, d.id, from, to).await?;
    Ok(web::Json(HealthHistory {
        domain_id: d.id,
        from,
        to,
        items: rows
            .into_iter()
            .map(|(row, report)| HealthSummary {
                checked_at: report.checked_at,
                trigger: row.trigger,
                score: report.score,
                grade: report.grade,
                checks: report
                    .checks
                    .iter()
                    .map(|c| CheckSummary {
                        check: c.check,
                        status: c.status,
                        points: c.points,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
