//! Placement tests: where one message lands at a few seeds, measured before a campaign goes
//! out. Internal tests are sent by the service from a mailbox; external ones are sent by the
//! user with the test's code. Results per seed, per provider and overall with a score.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use warmup_domain::account::MailboxStatus;
use warmup_domain::placement::{GroupCount, PlacementClass, Rates, summarize_groups};
use warmup_domain::placement_test::{
    Audience, DEFAULT_WINDOW_MINUTES, EVERY_DAYS, TestStatus, WINDOW_MINUTES, check_code, score,
};
use warmup_domain::{Provider, SeedGroup, Violations};
use warmup_entity::store::placement_tests::{
    self as store, Message, NewTest, Run, Selection, TestFilter, TestWithSeeds,
};
use warmup_entity::store::{mailboxes, seed_splits};
use warmup_entity::{placement_test_schedule, placement_test_seed};

use crate::auth::Caller;
use crate::error::{ApiError, ConflictError};
use crate::idempotency;
use crate::json_body::Body;
use crate::routes::placements::parse_day;
use crate::routes::seed_splits::{merge_page, range};
use crate::state::AppState;

/// Longest subject, text or HTML a test may send.
const MAX_SUBJECT: usize = 998;
const MAX_BODY: usize = 256 * 1024;

/// How often a mailbox's test repeats.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    /// 1 to 90 days.
    #[schema(minimum = 1, maximum = 90)]
    pub every_days: i64,
}

/// A placement test to run. With `mailbox_id` the service sends the message (`subject`, and
/// `text` and/or `html`) from that mailbox, signed with its DKIM key, once to each seed; without
/// it the answer gives the seed addresses and a `test_code` your own message must carry in its
/// subject, body or an `X-Warmup-Test` header. Seeds: exactly one of `providers` (one seed
/// each), `audience` or `split_id` (the split's seeds).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "mailbox_id": "01939d2e-6f3a-7c1e-9b2a-4d5e6f708192",
    "subject": "Our December news",
    "text": "Hello, here is what is new this month.",
    "audience": "b2c",
    "window_minutes": 60
}))]
pub struct CreatePlacementTest {
    pub mailbox_id: Option<Uuid>,
    pub subject: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
    pub providers: Option<Vec<Provider>>,
    /// `b2b`: Google Workspace, Microsoft 365 and private servers; `b2c`: Gmail, Outlook,
    /// Yahoo, AOL and Zoho.
    pub audience: Option<Audience>,
    pub split_id: Option<Uuid>,
    /// `standard` (default) or `premium` seeds.
    pub group: Option<SeedGroup>,
    /// How long seeds look for the message, 1 to 1440 minutes (default 60).
    #[schema(minimum = 1, maximum = 1440)]
    pub window_minutes: Option<i64>,
    /// Seeds open the message, mark it important and take it out of spam (default false: a
    /// test measures, and leaves the message unread where it landed).
    pub engage: Option<bool>,
    /// Your own code for an external test: 6 to 64 letters, digits, `-` or `_` (default: a
    /// new one such as `wt-7f3k9q`).
    pub test_code: Option<String>,
    /// Repeat this (internal) test: each run is a test of its own with the same `schedule_id`.
    pub schedule: Option<ScheduleInput>,
}

/// Who sends the test's message.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    Internal,
    External,
}

/// Counts and rates of a set of seeds, with their score.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoredRates {
    pub rates: Rates,
    /// 0 to 10, to one decimal: the average over the seeds whose result is known of inbox 1,
    /// category 0.5, spam, other folders and missing 0. `null` while none is known.
    pub score: Option<f64>,
}

/// Authentication results as the seed's server recorded them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeedAuthentication {
    pub spf: Option<String>,
    pub dkim: Option<String>,
    pub dmarc: Option<String>,
}

/// One seed of a test and what it saw.
#[derive(Debug, Serialize, ToSchema)]
pub struct TestSeed {
    #[schema(value_type = crate::schema::EmailAddress)]
    pub email: String,
    #[schema(value_type = Provider)]
    pub provider: String,
    /// `null` while the message is looked for; `missing` when the window ended without it.
    pub class: Option<PlacementClass>,
    pub folder: Option<String>,
    /// When the service's server accepted the message for this seed (internal tests).
    pub sent_at: Option<DateTime<Utc>>,
    pub arrived_at: Option<DateTime<Utc>>,
    /// Seconds from the test's creation to the message's arrival.
    pub arrival_seconds: Option<i64>,
    pub authentication: SeedAuthentication,
    /// The `From` address of the message found.
    pub from: Option<String>,
    /// The message's header block as the seed received it.
    pub raw_headers: Option<String>,
    /// When the seed engaged with it (tests with `engage`).
    pub engaged_at: Option<DateTime<Utc>>,
    /// The last problem sending to or reading this seed.
    pub last_error: Option<String>,
}

/// A placement test and its results.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementTest {
    pub id: Uuid,
    pub kind: TestKind,
    pub status: TestStatus,
    /// What an external test's message must carry (internal tests carry it too, in
    /// `X-Warmup-Test`).
    pub test_code: String,
    pub mailbox_id: Option<Uuid>,
    pub schedule_id: Option<Uuid>,
    pub split_id: Option<Uuid>,
    pub subject: Option<String>,
    /// The Message-ID the service sends (internal tests), without angle brackets.
    pub message_id: Option<String>,
    pub group: SeedGroup,
    pub window_minutes: u32,
    pub engage: bool,
    pub created_at: DateTime<Utc>,
    /// When the window ends.
    pub expires_at: DateTime<Utc>,
    /// The first arrival at any seed.
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub overall: ScoredRates,
    /// Per seed provider.
    pub providers: BTreeMap<String, ScoredRates>,
    pub seeds: Vec<TestSeed>,
}

crate::page_of!(
    /// Placement tests, one page.
    PlacementTestPage,
    PlacementTest
);

fn scored(rates: Rates) -> ScoredRates {
    ScoredRates {
        score: score(&rates),
        rates,
    }
}

fn seed_view(r: placement_test_seed::Model) -> Result<TestSeed, ApiError> {
    let class = r
        .class
        .as_deref()
        .map(|c| {
            PlacementClass::parse(c)
                .ok_or_else(|| ApiError::Internal(format!("test seed {} has class {c:?}", r.id)))
        })
        .transpose()?;
    Ok(TestSeed {
        email: r.seed_email,
        provider: r.provider,
        class,
        folder: r.folder,
        sent_at: r.sent_at,
        arrived_at: r.arrived_at,
        arrival_seconds: r.arrival_seconds,
        authentication: SeedAuthentication {
            spf: r.spf,
            dkim: r.dkim,
            dmarc: r.dmarc,
        },
        from: r.from_address,
        raw_headers: r.raw_headers,
        engaged_at: r.engaged_at,
        last_error: r.last_error,
    })
}

impl PlacementTest {
    fn from_store(v: TestWithSeeds) -> Result<Self, ApiError> {
        let t = v.test;
        let corrupt = |what: &str| ApiError::Internal(format!("test {} has a bad {what}", t.id));
        // Per provider; the overall comes with them.
        let counts = v
            .seeds
            .iter()
            .map(|s| {
                Ok(GroupCount {
                    group: s.provider.clone(),
                    class: s
                        .class
                        .as_deref()
                        .map(|c| PlacementClass::parse(c).ok_or_else(|| corrupt("class")))
                        .transpose()?,
                    count: 1,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let report = summarize_groups(counts);
        let overall = scored(report.overall);
        let providers = report
            .groups
            .into_iter()
            .map(|(p, r)| (p, scored(r)))
            .collect();
        Ok(Self {
            id: t.id,
            kind: if t.kind == "internal" {
                TestKind::Internal
            } else {
                TestKind::External
            },
            status: TestStatus::parse(&t.status).ok_or_else(|| corrupt("status"))?,
            test_code: t.test_code.clone(),
            mailbox_id: t.mailbox_id,
            schedule_id: t.schedule_id,
            split_id: t.split_id,
            subject: t.subject.clone(),
            message_id: t.message_id.clone(),
            group: SeedGroup::parse(&t.seed_group).ok_or_else(|| corrupt("group"))?,
            window_minutes: u32::try_from(t.window_minutes).unwrap_or(0),
            engage: t.engage,
            created_at: t.created_at,
            expires_at: t.expires_at,
            started_at: t.started_at,
            finished_at: t.finished_at,
            overall,
            providers,
            seeds: v
                .seeds
                .into_iter()
                .map(seed_view)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Checks the request; every problem at once, with its field path.
async fn validate(
    state: &AppState,
    caller: &Caller,
    input: &CreatePlacementTest,
) -> Result<(NewTest, Option<u32>), ApiError> {
    let mut v = Violations::new();
    let chosen = [
        input.providers.is_some(),
        input.audience.is_some(),
        input.split_id.is_some(),
    ]
    .iter()
    .filter(|c| **c)
    .count();
    if chosen != 1 {
        v.add(
            "providers",
            "give exactly one of providers, audience or split_id",
        );
    }
    let mut selection = None;
    if let Some(p) = &input.providers {
        if p.is_empty() {
            v.add("providers", "must name at least one provider");
        }
        let mut p = p.clone();
        p.sort_by_key(|x| x.as_str());
        p.dedup();
        selection = Some(Selection::Providers(p));
    }
    if let Some(a) = input.audience {
        selection = Some(Selection::Audience(a));
    }
    if let Some(s) = input.split_id {
        if seed_splits::get(&state.db, caller.org, s).await?.is_none() {
            return Err(ApiError::NotFound("seed split"));
        }
        selection = Some(Selection::Split(s));
    }
    let window = match input.window_minutes {
        None => Some(DEFAULT_WINDOW_MINUTES),
        Some(w) => v.check(
            "window_minutes",
            u32::try_from(w)
                .ok()
                .filter(|w| WINDOW_MINUTES.contains(w))
                .ok_or("must be from 1 to 1440 minutes"),
        ),
    };
    let too_long = |v: &mut Violations, field: &str, s: &Option<String>, max: usize| {
        if s.as_ref().is_some_and(|s| s.len() > max) {
            v.add(field, format!("must be at most {max} bytes"));
        }
    };
    too_long(&mut v, "subject", &input.subject, MAX_SUBJECT);
    too_long(&mut v, "text", &input.text, MAX_BODY);
    too_long(&mut v, "html", &input.html, MAX_BODY);
    let message = match input.mailbox_id {
        Some(id) => {
            match mailboxes::get(&state.db, caller.org, id).await? {
                None => return Err(ApiError::NotFound("mailbox")),
                Some(m) if m.status != MailboxStatus::Active.as_str() => v.add(
                    "mailbox_id",
                    format!(
                        "the mailbox is {}{}: it cannot send a test until it is active",
                        m.status,
                        m.status_reason
                            .as_deref()
                            .map(|r| format!(" ({r})"))
                            .unwrap_or_default()
                    ),
                ),
                Some(_) => {}
            }
            let subject = input.subject.clone().unwrap_or_default();
            if subject.trim().is_empty() {
                v.add("subject", "a test the service sends needs a subject");
            }
            if subject.contains(['\r', '\n']) {
                v.add("subject", "must be one line");
            }
            if input.test_code.is_some() {
                v.add(
                    "test_code",
                    "only for a test you send yourself (without mailbox_id)",
                );
            }
            Some(Message {
                mailbox_id: id,
                subject,
                text: input.text.clone(),
                html: input.html.clone(),
            })
        }
        None => {
            for (field, given) in [
                ("subject", input.subject.is_some()),
                ("text", input.text.is_some()),
                ("html", input.html.is_some()),
                ("schedule", input.schedule.is_some()),
            ] {
                if given {
                    v.add(
                        field,
                        "only for a test the service sends (give mailbox_id), not for one you send",
                    );
                }
            }
            if let Some(code) = &input.test_code
                && let Err(e) = check_code(code)
            {
                v.add("test_code", e);
            }
            None
        }
    };
    let every = match &input.schedule {
        None => Some(None),
        Some(s) => v
            .check(
                "schedule.every_days",
                u32::try_from(s.every_days)
                    .ok()
                    .filter(|d| EVERY_DAYS.contains(d))
                    .ok_or("must be from 1 to 90 days"),
            )
            .map(Some),
    };
    let (Some(selection), Some(window), Some(every)) = (selection, window, every) else {
        return Err(ApiError::Validation(v.into_vec()));
    };
    if !v.is_empty() {
        return Err(ApiError::Validation(v.into_vec()));
    }
    Ok((
        NewTest {
            message,
            selection,
            group: input
                .group
                .unwrap_or(SeedGroup::Standard)
                .as_str()
                .to_string(),
            window_minutes: window,
            engage: input.engage.unwrap_or(false),
            test_code: input.test_code.clone(),
        },
        every,
    ))
}

/// Start a placement test. `409` when none of the chosen seeds is active, or the code is
/// taken.
#[utoipa::path(
    tag = "placement-tests",
    operation_id = "createPlacementTest",
    request_body = CreatePlacementTest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    responses(
        (status = 201, description = "The new test: its seeds and code", body = PlacementTest),
        (status = 404, description = "`mailbox_id` or `split_id` names no mailbox or split of the caller's organization",
            body = crate::error::Problem, content_type = "application/problem+json"),
        ConflictError
    ),
    security(("api_key" = []))
)]
#[post("/placement-tests")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Body<CreatePlacementTest>,
) -> Result<HttpResponse, ApiError> {
    idempotency::once(
        &state,
        &caller,
        &req,
        &body.digest,
        StatusCode::CREATED,
        || async {
            let (new, every) = validate(&state, &caller, &body.value).await?;
            let now = state.clock.now();
            let run = match every {
                Some(every_days) => Run::Repeat { every_days },
                None => Run::Once,
            };
            let created = store::create(&state.db, caller.org, &new, run, now).await?;
            PlacementTest::from_store(created)
        },
    )
    .await
}

/// One test with its results.
#[utoipa::path(
    tag = "placement-tests",
    operation_id = "getPlacementTest",
    params(("id" = Uuid, Path, description = "Test id")),
    responses((status = 200, description = "The test and its results", body = PlacementTest)),
    security(("api_key" = []))
)]
#[get("/placement-tests/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<PlacementTest>, ApiError> {
    let t = store::get(&state.db, caller.org, *id)
        .await?
        .ok_or(ApiError::NotFound("placement test"))?;
    Ok(web::Json(PlacementTest::from_store(t)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListTestsQuery {
    /// Only tests in this state.
    #[param(value_type = Option<TestStatus>)]
    pub status: Option<String>,
    /// Only tests sent from this mailbox.
    #[param(value_type = Option<Uuid>)]
    pub mailbox_id: Option<String>,
    /// Created on or after this day (UTC), `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Created on or before this day (UTC), `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next` value of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
}

/// The organization's tests, oldest first.
#[utoipa::path(
    tag = "placement-tests",
    operation_id = "listPlacementTests",
    params(ListTestsQuery),
    responses((status = 200, description = "One page of tests", body = PlacementTestPage)),
    security(("api_key" = []))
)]
#[get("/placement-tests")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListTestsQuery>,
) -> Result<web::Json<PlacementTestPage>, ApiError> {
    let q = query.into_inner();
    let mut v = Violations::new();
    let status = match q.status.as_deref() {
        None => Some(None),
        Some(raw) => v
            .check(
                "status",
                TestStatus::parse(raw).ok_or("must be waiting, running, finished or expired"),
            )
            .map(Some),
    };
    let mailbox_id = match q.mailbox_id.as_deref() {
        None => Some(None),
        Some(raw) => v
            .check(
                "mailbox_id",
                Uuid::parse_str(raw).map_err(|_| "must be a UUID"),
            )
            .map(Some),
    };
    let from = parse_day(&mut v, "from", q.from.as_deref());
    let to = parse_day(&mut v, "to", q.to.as_deref());
    let page = merge_page(q.limit, q.after, &mut v);
    let (Some(status), Some(mailbox_id), Some(from), Some(to), Some(page)) =
        (status, mailbox_id, from, to, page)
    else {
        return Err(ApiError::Validation(v.into_vec()));
    };
    let (from, to) = range(from, to, &mut v);
    if !v.is_empty() {
        return Err(ApiError::Validation(v.into_vec()));
    }
    let filter = TestFilter {
        status,
        mailbox_id,
        from,
        to,
    };
    let found = store::list(&state.db, caller.org, &filter, page).await?;
    let next = found.next;
    let items = found
        .items
        .into_iter()
        .map(PlacementTest::from_store)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(PlacementTestPage { items, next }))
}

/// Delete a test and its results (also from the placement report).
#[utoipa::path(
    tag = "placement-tests",
    operation_id = "deletePlacementTest",
    params(("id" = Uuid, Path, description = "Test id")),
    responses((status = 204, description = "Deleted")),
    security(("api_key" = []))
)]
#[delete("/placement-tests/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    if !store::delete(&state.db, caller.org, *id).await? {
        return Err(ApiError::NotFound("placement test"));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// A mailbox's test that repeats.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementTestSchedule {
    pub id: Uuid,
    pub mailbox_id: Uuid,
    pub every_days: u32,
    pub next_run_at: DateTime<Utc>,
    /// Tests run so far.
    pub runs: u32,
    pub created_at: DateTime<Utc>,
}

/// Schedules of the organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementTestSchedules {
    pub items: Vec<PlacementTestSchedule>,
}

fn schedule_view(s: placement_test_schedule::Model) -> PlacementTestSchedule {
    PlacementTestSchedule {
        id: s.id,
        mailbox_id: s.mailbox_id,
        every_days: u32::try_from(s.every_days).unwrap_or(0),
        next_run_at: s.next_run_at,
        runs: u32::try_from(s.runs).unwrap_or(0),
        created_at: s.created_at,
    }
}

/// The organization's repeating tests.
#[utoipa::path(
    tag = "placement-tests",
    operation_id = "listPlacementTestSchedules",
    responses((status = 200, description = "Every schedule", body = PlacementTestSchedules)),
    security(("api_key" = []))
)]
#[get("/placement-test-schedules")]
pub async fn schedules(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<PlacementTestSchedules>, ApiError> {
    let items = store::schedules(&state.db, caller.org)
        .await?
        .into_iter()
        .map(schedule_view)
        .collect();
    Ok(web::Json(PlacementTestSchedules { items }))
}

/// Stop a schedule; the tests it ran stay.
#[utoipa::path(
    tag = "placement-tests",
    operation_id = "deletePlacementTestSchedule",
    params(("id" = Uuid, Path, description = "Schedule id")),
    responses((status = 204, description = "Stopped")),
    security(("api_key" = []))
)]
#[delete("/placement-test-schedules/{id}")]
pub async fn delete_schedule(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    if !store::delete_schedule(&state.db, caller.org, *id).await? {
        return Err(ApiError::NotFound("placement test schedule"));
    }
    Ok(HttpResponse::NoContent().finish())
}
