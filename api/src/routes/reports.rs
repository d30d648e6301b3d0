//! The organization's placement report: counts and rates per day, provider, mailbox, domain,
//! split or test, read from the daily rollups so that a year costs what a few thousand rows do.

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use warmup_domain::placement::{PlacementSource, Rates, ReportGroup, summarize_groups};
use warmup_domain::{Provider, Violations};
use warmup_entity::store::{mailboxes, rollups};

use super::placements::{parse_day, report_days};
use crate::auth::Caller;
use crate::csv_out::{self, ResponseFormat};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day, `YYYY-MM-DD` (default: 29 days before `to`). Warmup messages count on their
    /// plan day (the mailbox's local date), seed-list messages on the UTC date they arrived
    /// (a missing one: the day its campaign first arrived), test results on the UTC date the
    /// test was created.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today, UTC). At most 366 days from `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// What each row of the report is (default `provider`). Rows of `mailbox` are mailbox
    /// ids, of `split` split ids, of `test` placement-test ids; placements without one (a
    /// seed-list message has no mailbox) are left out of such a report.
    #[param(value_type = Option<ReportGroup>)]
    pub group_by: Option<String>,
    /// Only messages sent from this mailbox.
    #[param(value_type = Option<Uuid>)]
    pub mailbox_id: Option<String>,
    /// Only messages from this sender domain, e.g. `example.com`.
    #[param(min_length = 1, max_length = 253, pattern = r"^[^@\s]+$")]
    pub domain: Option<String>,
    /// Only messages to seeds of this provider.
    #[param(value_type = Option<Provider>)]
    pub provider: Option<String>,
    /// Only warmup messages, seed-list campaign messages, or placement-test messages.
    #[param(value_type = Option<PlacementSource>)]
    pub source: Option<String>,
    /// `json` (default) or `csv`: the same rows as `text/csv`, with a header row whose first
    /// column is named like `group_by`.
    #[param(value_type = Option<ResponseFormat>)]
    pub format: Option<String>,
}

/// One row of a placement report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRow {
    /// The day (`YYYY-MM-DD`), provider, mailbox id, domain, split id or test id.
    pub key: String,
    pub rates: Rates,
}

/// Placement counts and rates of the organization, per group and overall.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: ReportGroup,
    /// Counts per class; rates are percentages of the decided placements (`pending` and
    /// `unknown` ones are left out), `null` while none is decided.
    pub overall: Rates,
    /// Ordered by key; groups with no placement are left out.
    pub groups: Vec<ReportRow>,
}

fn one_of<T>(
    v: &mut Violations,
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    names: &[&str],
) -> Option<Option<T>> {
    match raw {
        None => Some(None),
        Some(raw) => v
            .check(
                field,
                parse(raw).ok_or_else(|| format!("must be one of {}", names.join(", "))),
            )
            .map(Some),
    }
}

impl ReportQuery {
    /// Every parameter but the days checked at once.
    fn parse(&self, v: &mut Violations) -> Option<rollups::ReportQuery> {
        let groups = ReportGroup::ALL.map(ReportGroup::as_str);
        let group_by = one_of(
            v,
            "group_by",
            self.group_by.as_deref(),
            ReportGroup::parse,
            &groups,
        );
        let sources = PlacementSource::ALL.map(PlacementSource::as_str);
        let source = one_of(
            v,
            "source",
            self.source.as_deref(),
            PlacementSource::parse,
            &sources,
        );
        let providers = Provider::ALL.map(Provider::as_str);
        let provider = one_of(
            v,
            "provider",
            self.provider.as_deref(),
            |p| p.parse::<Provider>().ok(),
            &providers,
        );
        let mailbox_id = match self.mailbox_id.as_deref() {
            None => Some(None),
            Some(raw) => v
                .check(
                    "mailbox_id",
                    Uuid::parse_str(raw).map_err(|_| "must be a UUID"),
                )
                .map(Some),
        };
        let domain = match self.domain.as_deref() {
            None => Some(None),
            // As the document's pattern says (no `@`, no white space, 1 to 253 characters), and no
            // control characters, which some regex engines count as white space.
            Some(d)
                if d.is_empty()
                    || d.chars().count() > 253
                    || d.chars().any(|c| {
                        c == '@' || c == '\u{feff}' || c.is_whitespace() || c.is_control()
                    }) =>
            {
                v.add("domain", "must be a domain name such as example.com");
                None
            }
            Some(d) => Some(Some(d.to_ascii_lowercase())),
        };
        // The days are checked by `report_days`; here only so that all problems come at once.
        parse_day(v, "from", self.from.as_deref());
        parse_day(v, "to", self.to.as_deref());
        let (Some(group_by), Some(source), Some(provider), Some(mailbox_id), Some(domain)) =
            (group_by, source, provider, mailbox_id, domain)
        else {
            return None;
        };
        Some(rollups::ReportQuery {
            from: NaiveDate::MIN,
            to: NaiveDate::MIN,
            group_by: group_by.unwrap_or(ReportGroup::Provider),
            mailbox_id,
            domain,
            provider: provider.map(|p| p.as_str().to_string()),
            source,
        })
    }
}

fn rate(r: Option<f64>) -> String {
    r.map(|x| x.to_string()).unwrap_or_default()
}

fn csv_row(key: &str, r: &Rates) -> Vec<String> {
    let mut row = vec![key.to_string()];
    row.extend(
        [
            r.total, r.inbox, r.spam, r.category, r.other, r.missing, r.pending, r.unknown,
        ]
        .map(|n| n.to_string()),
    );
    row.extend(
        [
            r.inbox_rate,
            r.spam_rate,
            r.category_rate,
            r.other_rate,
            r.missing_rate,
        ]
        .map(rate),
    );
    row
}

/// Placement counts and rates of the whole organization, grouped by day, provider, mailbox,
/// domain, split or test, with filters. Read from daily rollups kept in the same transaction
/// as each placement, so it always agrees with the placements themselves.
#[utoipa::path(
    tag = "reports",
    operation_id = "getPlacementReport",
    params(ReportQuery),
    responses((status = 200, description = "Counts and rates per group and overall",
        content(
            (PlacementReport = "application/json"),
            (String = "text/csv", example = "provider,total,inbox,spam,category,other,missing,pending,unknown,inbox_rate,spam_rate,category_rate,other_rate,missing_rate\ngmail,40,36,2,2,0,0,0,0,90,5,5,0,0\n")
        )),
        (status = 404, description = "`mailbox_id` names no mailbox of the caller's organization",
            body = crate::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
#[get("/reports/placement")]
pub async fn placement(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = ResponseFormat::parse(query.format.as_deref())?;
    let mut v = Violations::new();
    let parsed = query.parse(&mut v);
    let Some(mut q) = parsed.filter(|_| v.is_empty()) else {
        return Err(ApiError::Validation(v.into_vec()));
    };
    let today = state.clock.now().date_naive();
    (q.from, q.to) = report_days(query.from.as_deref(), query.to.as_deref(), today)?;
    if let Some(m) = q.mailbox_id
        && mailboxes::get(&state.db, caller.org, m).await?.is_none()
    {
        return Err(ApiError::NotFound("mailbox"));
    }
    let report = summarize_groups(rollups::report(&state.db, caller.org, &q).await?);
    if format == ResponseFormat::Csv {
        let mut header = vec![q.group_by.as_str()];
        header.extend([
            "total",
            "inbox",
            "spam",
            "category",
            "other",
            "missing",
            "pending",
            "unknown",
            "inbox_rate",
            "spam_rate",
            "category_rate",
            "other_rate",
            "missing_rate",
        ]);
        let body = csv_out::write(
            Some(&header),
            report.groups.iter().map(|(k, r)| csv_row(k, r)),
        )?;
        return Ok(HttpResponse::Ok()
            .content_type(csv_out::CONTENT_TYPE)
            .body(body));
    }
    Ok(HttpResponse::Ok().json(PlacementReport {
        from: q.from,
        to: q.to,
        group_by: q.group_by,
        overall: report.overall,
        groups: report
            .groups
            .into_iter()
            .map(|(key, rates)| ReportRow { key, rates })
            .collect(),
    }))
}
