//! Warmup preferences: per mailbox, the organization's defaults, bulk changes, start/pause,
//! the schedule preview and the patterns' parameters.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use warmup_domain::auto_adjust::Mode;
use warmup_domain::pattern::{Pattern, PatternParams};
use warmup_domain::plan_date::PlanDate;
use warmup_domain::preferences::{DayPlan, PreferencesPatch, WarmupPreferences, preview};
use warmup_domain::weekday::Day;
use warmup_domain::{Provider, WarmupStatus};
use warmup_entity::OrgId;
use warmup_entity::store::warmup::{self, MailboxWarmup, Part};
use warmup_entity::store::{mailboxes, plans, seeds};

use crate::auth::Caller;
use crate::error::{ApiError, ConflictError};
use crate::json_body::Body;
use crate::state::AppState;

/// Preferences as returned: the values in force, pattern defaults filled in.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preferences {
    pub start_per_day: u32,
    pub daily_increase: u32,
    pub max_per_day: u32,
    pub weekdays: Vec<Day>,
    pub daily_variance_percent: u32,
    pub reply_rate_percent: u32,
    pub open_rate_percent: u32,
    pub important_rate_percent: u32,
    pub archive_rate_percent: u32,
    pub provider_split: BTreeMap<Provider, u8>,
    pub pattern: Pattern,
    pub languages: Vec<String>,
    /// The ramp holds or steps back by itself when placement or deliveries go bad.
    pub auto_adjust: bool,
    /// Below this inbox rate over the last 3 sending days the ramp holds.
    pub hold_below_inbox_percent: u8,
    /// Below this inbox rate (or with more than 20% of a day's attempts deferred) the ramp
    /// steps back to the volume of 3 sending days earlier.
    pub step_back_below_inbox_percent: u8,
}

impl From<&WarmupPreferences> for Preferences {
    fn from(p: &WarmupPreferences) -> Self {
        Self {
            start_per_day: p.ramp.start_per_day,
            daily_increase: p.ramp.daily_increase,
            max_per_day: p.ramp.max_per_day,
            weekdays: p.ramp.weekdays.clone(),
            daily_variance_percent: p.ramp.daily_variance_percent,
            reply_rate_percent: p.effective_reply_rate(),
            open_rate_percent: p.effective_open_rate(),
            important_rate_percent: p.effective_important_rate(),
            archive_rate_percent: p.effective_archive_rate(),
            provider_split: p.effective_split().percentages().clone(),
            pattern: p.pattern,
            languages: p.languages.iter().map(|l| l.code().to_string()).collect(),
            auto_adjust: p.auto_adjust.enabled,
            hold_below_inbox_percent: p.auto_adjust.hold_below_inbox_percent,
            step_back_below_inbox_percent: p.auto_adjust.step_back_below_inbox_percent,
        }
    }
}

/// The self-adjusting ramp's decision for a planned day, with the numbers behind it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarmupAdjustment {
    /// The mailbox-local day it was decided for.
    #[schema(value_type = String, format = Date)]
    pub date: String,
    /// `ramping` (as planned), `holding` (no daily increase) or `stepped_back` (back to an
    /// earlier day's volume, holding there) until two days in a row are at or above the hold line.
    pub mode: Mode,
    /// The most a day sends while holding or stepped back.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub volume_cap: Option<u32>,
    pub reason: String,
    /// Inbox rate over the last 3 sending days, when any placement was known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub inbox_percent: Option<f64>,
    /// Share of the latest sending day's attempts that were deferred.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub deferred_percent: Option<f64>,
}

impl From<&warmup_entity::plan_day::Model> for WarmupAdjustment {
    fn from(day: &warmup_entity::plan_day::Model) -> Self {
        let (mode, volume_cap) = plans::day_mode(day);
        Self {
            date: day.plan_date.clone(),
            mode,
            volume_cap,
            reason: day.adjust_reason.clone().unwrap_or_default(),
            inbox_percent: day.inbox_percent,
            deferred_percent: day.deferred_percent,
        }
    }
}

/// The standing decision of a mailbox's ramp: its latest planned day's.
async fn standing_adjustment(
    state: &AppState,
    mailbox_id: Uuid,
) -> Result<Option<WarmupAdjustment>, ApiError> {
    Ok(plans::latest_day(&state.db, mailbox_id)
        .await?
        .as_ref()
        .map(WarmupAdjustment::from))
}

/// Something about the preferences the service cannot honour as asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Warning {
    /// Stable code, e.g. `provider_without_seeds`.
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<Provider>,
}

/// A mailbox's warmup.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarmupSettings {
    pub mailbox_id: Uuid,
    pub status: WarmupStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// The next sending day's number (0 before the first): where the ramp stands.
    pub sending_day: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    /// False while the mailbox follows the organization's defaults.
    pub customized: bool,
    pub preferences: Preferences,
    /// The self-adjusting ramp's latest decision (absent before the first planned day).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub adjustment: Option<WarmupAdjustment>,
    pub warnings: Vec<Warning>,
}

async fn warnings(
    state: &AppState,
    org: OrgId,
    prefs: &WarmupPreferences,
) -> Result<Vec<Warning>, ApiError> {
    let available = seeds::active_providers(&state.db, org).await?;
    let missing = prefs.unserved_providers(&available);
    Ok(if missing.is_empty() {
        Vec::new()
    } else {
        vec![Warning {
            code: "provider_without_seeds".into(),
            message: format!(
                "the provider split sends to {} but no active seed serves {}: those sends are not \
                 planned until seeds are added (nothing is sent elsewhere instead)",
                missing
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                if missing.len() == 1 { "it" } else { "them" },
            ),
            providers: missing,
        }]
    })
}

async fn settings_out(
    state: &AppState,
    org: OrgId,
    w: &MailboxWarmup,
) -> Result<WarmupSettings, ApiError> {
    Ok(WarmupSettings {
        mailbox_id: w.mailbox_id,
        status: w.status,
        status_reason: w.status_reason.clone(),
        sending_day: w.sending_days,
        started_at: w.started_at,
        customized: w.customized,
        preferences: Preferences::from(&w.preferences),
        adjustment: standing_adjustment(state, w.mailbox_id).await?,
        warnings: warnings(state, org, &w.preferences).await?,
    })
}

async fn find(state: &AppState, org: OrgId, id: Uuid) -> Result<MailboxWarmup, ApiError> {
    warmup::get(&state.db, org, id)
        .await?
        .ok_or(ApiError::NotFound("mailbox"))
}

/// Get a mailbox's warmup preferences and progress.
#[utoipa::path(
    tag = "warmup",
    operation_id = "getMailboxWarmup",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    responses((status = 200, description = "The mailbox's warmup preferences, status and progress", body = WarmupSettings)),
    security(("api_key" = []))
)]
#[get("/mailboxes/{id}/warmup")]
pub async fn get_settings(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<WarmupSettings>, ApiError> {
    let w = find(&state, caller.org, *id).await?;
    Ok(web::Json(settings_out(&state, caller.org, &w).await?))
}

async fn change(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    patch: &PreferencesPatch,
    replace: bool,
) -> Result<WarmupSettings, ApiError> {
    let mut w = find(state, caller.org, id).await?;
    let base = if replace {
        warmup::org_defaults(&state.db, caller.org).await?
    } else {
        w.preferences.clone()
    };
    w.preferences = base.merge(patch, "").map_err(ApiError::Validation)?;
    let saved = warmup::save(
        &state.db,
        caller.org,
        &w,
        Part::Preferences,
        state.clock.now(),
    )
    .await?;
    settings_out(state, caller.org, &saved).await
}

/// Replace a mailbox's preferences; omitted fields take the organization's defaults.
#[utoipa::path(
    tag = "warmup",
    operation_id = "replaceMailboxWarmup",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    request_body = PreferencesPatch,
    responses((status = 200, description = "The preferences as saved", body = WarmupSettings)),
    security(("api_key" = []))
)]
#[put("/mailboxes/{id}/warmup")]
pub async fn put_settings(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Body<PreferencesPatch>,
) -> Result<web::Json<WarmupSettings>, ApiError> {
    Ok(web::Json(
        change(&state, &caller, *id, &body.value, true).await?,
    ))
}

/// Change some of a mailbox's preferences; omitted fields keep their value.
#[utoipa::path(
    tag = "warmup",
    operation_id = "updateMailboxWarmup",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    request_body = PreferencesPatch,
    responses((status = 200, description = "The preferences as saved", body = WarmupSettings)),
    security(("api_key" = []))
)]
#[patch("/mailboxes/{id}/warmup")]
pub async fn patch_settings(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Body<PreferencesPatch>,
) -> Result<web::Json<WarmupSettings>, ApiError> {
    Ok(web::Json(
        change(&state, &caller, *id, &body.value, false).await?,
    ))
}

/// Start (or resume) warming up a mailbox. The ramp continues where it stood.
#[utoipa::path(
    tag = "warmup",
    operation_id = "startMailboxWarmup",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    responses((status = 200, description = "The warmup, now running", body = WarmupSettings), ConflictError),
    security(("api_key" = []))
)]
#[post("/mailboxes/{id}/warmup/start")]
pub async fn start(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<WarmupSettings>, ApiError> {
    let mailbox = mailboxes::get(&state.db, caller.org, *id)
        .await?
        .ok_or(ApiError::NotFound("mailbox"))?;
    warmup_domain::account::may_start_warmup(&mailbox.status, mailbox.status_reason.as_deref())
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    warmup_domain::verification::may_start_warmup(
        &mailbox.verification,
        mailbox.verification_reason.as_deref(),
        state.settings.require_mailbox_verification,
    )
    .map_err(ApiError::Conflict)?;
    let mut w = find(&state, caller.org, *id).await?;
    let now = state.clock.now();
    w.status = WarmupStatus::Running;
    w.status_reason = None;
    w.started_at.get_or_insert(now);
    let saved = warmup::save(&state.db, caller.org, &w, Part::Status, now).await?;
    Ok(web::Json(settings_out(&state, caller.org, &saved).await?))
}

/// Pause warming up a mailbox. Nothing more is planned or sent (sends already planned wait
/// until the warmup starts again); the ramp does not advance.
#[utoipa::path(
    tag = "warmup",
    operation_id = "pauseMailboxWarmup",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    responses((status = 200, description = "The warmup, now paused", body = WarmupSettings)),
    security(("api_key" = []))
)]
#[post("/mailboxes/{id}/warmup/pause")]
pub async fn pause(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<WarmupSettings>, ApiError> {
    let mut w = find(&state, caller.org, *id).await?;
    w.status = WarmupStatus::Paused;
    w.status_reason = Some("paused through the API".into());
    let saved = warmup::save(&state.db, caller.org, &w, Part::Status, state.clock.now()).await?;
    Ok(web::Json(settings_out(&state, caller.org, &saved).await?))
}

/// Get the organization's default preferences for mailboxes without their own.
#[utoipa::path(
    tag = "warmup",
    operation_id = "getWarmupPreferences",
    responses((status = 200, description = "The organization's default preferences", body = Preferences)),
    security(("api_key" = []))
)]
#[get("/warmup/preferences")]
pub async fn get_defaults(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<Preferences>, ApiError> {
    let prefs = warmup::org_defaults(&state.db, caller.org).await?;
    Ok(web::Json(Preferences::from(&prefs)))
}

/// Replace the organization's default preferences; omitted fields take the built-in defaults.
#[utoipa::path(
    tag = "warmup",
    operation_id = "replaceWarmupPreferences",
    request_body = PreferencesPatch,
    responses((status = 200, description = "The defaults as saved", body = Preferences)),
    security(("api_key" = []))
)]
#[put("/warmup/preferences")]
pub async fn put_defaults(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<PreferencesPatch>,
) -> Result<web::Json<Preferences>, ApiError> {
    let prefs = WarmupPreferences::default()
        .merge(&body.value, "")
        .map_err(ApiError::Validation)?;
    warmup::set_org_defaults(&state.db, caller.org, &prefs, state.clock.now()).await?;
    Ok(web::Json(Preferences::from(&prefs)))
}

/// Which mailboxes a bulk change applies to, and the change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"all": true, "preferences": {"max_per_day": 30, "pattern": "b2c"}}))]
pub struct ApplyPreferences {
    /// Every mailbox of the organization. Give either `"all": true` or a non-empty
    /// `mailbox_ids`, not both.
    pub all: Option<bool>,
    /// These mailboxes (ids of other organizations are refused).
    #[schema(min_items = 1)]
    pub mailbox_ids: Option<Vec<Uuid>>,
    /// The fields to set; the others keep each mailbox's value.
    pub preferences: PreferencesPatch,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedPreferences {
    /// Mailboxes whose preferences changed.
    pub changed: Vec<Uuid>,
    /// Mailboxes that already had these values.
    pub unchanged: Vec<Uuid>,
}

/// Set preferences on many mailboxes at once: all or none change.
#[utoipa::path(
    tag = "warmup",
    operation_id = "applyWarmupPreferences",
    request_body = ApplyPreferences,
    responses((status = 200, description = "What changed in each mailbox", body = AppliedPreferences)),
    security(("api_key" = []))
)]
#[post("/warmup/preferences/apply")]
pub async fn apply(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<ApplyPreferences>,
) -> Result<web::Json<AppliedPreferences>, ApiError> {
    let input = &body.value;
    let ids = match (input.all, &input.mailbox_ids) {
        (Some(true), None) => warmup::mailbox_ids(&state.db, caller.org, None).await?,
        (None | Some(false), Some(ids)) if !ids.is_empty() => {
            let found = warmup::mailbox_ids(&state.db, caller.org, Some(ids)).await?;
            let unknown: Vec<String> = ids
                .iter()
                .filter(|id| !found.contains(id))
                .map(Uuid::to_string)
                .collect();
            if !unknown.is_empty() {
                return Err(ApiError::invalid(
                    "mailbox_ids",
                    format!("no such mailbox: {}", unknown.join(", ")),
                ));
            }
            found
        }
        _ => {
            return Err(ApiError::invalid(
                "all",
                "give either `\"all\": true` or a non-empty `mailbox_ids`",
            ));
        }
    };
    let txn = warmup_entity::store::write_txn::begin(&state.db).await?;
    let now = state.clock.now();
    let mut out = AppliedPreferences {
        changed: Vec::new(),
        unchanged: Vec::new(),
    };
    for id in ids {
        let Some(mut w) = warmup::get(&txn, caller.org, id).await? else {
            continue;
        };
        let merged = w
            .preferences
            .merge(&input.preferences, "preferences.")
            .map_err(|mut v| {
                for x in &mut v {
                    x.message = format!("{} (mailbox {id})", x.message);
                }
                ApiError::Validation(v)
            })?;
        if !w.preferences.changed_by(&merged, !w.customized) {
            out.unchanged.push(id);
            continue;
        }
        w.preferences = merged;
        warmup::save(&txn, caller.org, &w, Part::Preferences, now).await?;
        out.changed.push(id);
    }
    txn.commit().await?;
    Ok(web::Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    /// Days to preview, 1 to 90 (default 14).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 90)]
    pub days: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Schedule {
    pub mailbox_id: Uuid,
    pub status: WarmupStatus,
    /// The mailbox's time zone, in which the dates are.
    pub timezone: String,
    /// The days ahead; while the ramp holds or stepped back, each stays at most at the cap,
    /// without daily increase, as the planner keeps it until the ramp resumes.
    pub days: Vec<DayPlan>,
    /// The self-adjusting ramp's latest decision, which the preview follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub adjustment: Option<WarmupAdjustment>,
    pub warnings: Vec<Warning>,
}

/// Preview the coming days: each day's message count and its share per provider.
#[utoipa::path(
    tag = "warmup",
    operation_id = "getMailboxWarmupSchedule",
    params(("id" = Uuid, Path, description = "Mailbox id"), ScheduleQuery),
    responses((status = 200, description = "The coming days' planned volume", body = Schedule)),
    security(("api_key" = []))
)]
#[get("/mailboxes/{id}/warmup/schedule")]
pub async fn schedule(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ScheduleQuery>,
) -> Result<web::Json<Schedule>, ApiError> {
    let days = match &query.days {
        None => 14,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=90).contains(d))
            .ok_or_else(|| ApiError::invalid("days", "must be a whole number from 1 to 90"))?,
    };
    let mailbox = mailboxes::get(&state.db, caller.org, *id)
        .await?
        .ok_or(ApiError::NotFound("mailbox"))?;
    let w = find(&state, caller.org, *id).await?;
    let today = PlanDate::at(&mailbox.timezone, state.clock.now()).date();
    let adjustment = standing_adjustment(&state, *id).await?;
    let hold = adjustment
        .as_ref()
        .filter(|a| w.preferences.auto_adjust.enabled && a.mode != Mode::Ramping)
        .and_then(|a| a.volume_cap);
    let plan = preview(
        &w.preferences,
        warmup_domain::planner::variance_seed(id.as_u128()),
        w.sending_days,
        &w.carry,
        today,
        days,
        hold,
    );
    Ok(web::Json(Schedule {
        mailbox_id: *id,
        status: w.status,
        timezone: mailbox.timezone,
        days: plan,
        adjustment,
        warnings: warnings(&state, caller.org, &w.preferences).await?,
    }))
}

/// The parameters of the B2B and B2C patterns: windows, probabilities, delays, default split.
#[utoipa::path(
    tag = "warmup",
    operation_id = "listWarmupPatterns",
    responses((status = 200, description = "The engagement patterns and their parameters", body = Vec<PatternParams>)),
    security(("api_key" = []))
)]
#[get("/warmup/patterns")]
pub async fn patterns(_caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json([Pattern::B2b.params(), Pattern::B2c.params()])
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// First day, `YYYY-MM-DD` in the mailbox's time zone (default: 30 days before `to`); the
    /// range covers at most 366 days.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today).
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

/// What happened on one day. The counts are of the day's warmup messages (the ramp's volume);
/// the sender's answers in their threads are counted apart, in `continuations`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayStats {
    #[schema(value_type = String, format = Date)]
    pub date: String,
    /// Warmup messages planned for the day: what the ramp asked for.
    pub planned: u32,
    pub sent: u32,
    /// Sends deferred at least once (and retried).
    pub deferred: u32,
    pub failed: u32,
    /// Returned by the receiving side after acceptance (a DSN).
    pub bounced: u32,
    pub cancelled: u32,
    /// Still waiting to be sent or retried.
    pub pending: u32,
    /// The sender's answers in the day's threads, counted apart from the warmup messages.
    pub continuations: ContinuationStats,
    /// The self-adjusting ramp's decision the day was planned under.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub adjustment: Option<WarmupAdjustment>,
}

/// The sender's answers to seeds' replies in the threads the day's warmup messages began
/// (continuations). They come on top of the ramp's volume and are in none of the day's other
/// counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContinuationStats {
    /// Answers written, in any state.
    pub planned: u32,
    /// Answers sent.
    pub sent: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    pub mailbox_id: Uuid,
    pub days: Vec<DayStats>,
}

fn parse_day(field: &str, raw: &str) -> Result<PlanDate, ApiError> {
    PlanDate::parse(raw).ok_or_else(|| ApiError::invalid(field, "must be a date like 2026-12-01"))
}

/// What happened per day: warmup messages and, apart, the sender's answers in threads.
#[utoipa::path(
    tag = "warmup",
    operation_id = "getMailboxWarmupStats",
    params(("id" = Uuid, Path, description = "Mailbox id"), StatsQuery),
    responses((status = 200, description = "Sends per day", body = Stats)),
    security(("api_key" = []))
)]
#[get("/mailboxes/{id}/warmup/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<StatsQuery>,
) -> Result<web::Json<Stats>, ApiError> {
    let mailbox = mailboxes::get(&state.db, caller.org, *id)
        .await?
        .ok_or(ApiError::NotFound("mailbox"))?;
    let to = match &query.to {
        Some(raw) => parse_day("to", raw)?,
        None => PlanDate::at(&mailbox.timezone, state.clock.now()),
    };
    let from = match &query.from {
        Some(raw) => parse_day("from", raw)?,
        None => to.days_before(30),
    };
    warmup_domain::plan_date::check_range(from.date(), to.date())
        .map_err(|e| ApiError::invalid("from", e.to_string()))?;
    let days =
        warmup_entity::store::send_reads::daily_stats(&state.db, caller.org, *id, from, to).await?;
    let mut decisions: BTreeMap<String, WarmupAdjustment> =
        plans::days_between(&state.db, *id, from, to)
            .await?
            .iter()
            .map(|d| (d.plan_date.clone(), WarmupAdjustment::from(d)))
            .collect();
    Ok(web::Json(Stats {
        mailbox_id: *id,
        days: days
            .into_iter()
            .map(|d| DayStats {
                planned: d.planned,
                sent: d.sent,
                deferred: d.deferred,
                failed: d.failed,
                bounced: d.bounced,
                cancelled: d.cancelled,
                pending: d.pending,
                continuations: ContinuationStats {
                    planned: d.continuations_planned,
                    sent: d.continuations_sent,
                },
                adjustment: decisions.remove(&d.date),
                date: d.date,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Items per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next` value of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
    /// Only events with this outcome.
    #[param(value_type = Option<crate::schema::EventOutcome>)]
    pub outcome: Option<String>,
}

/// Which message an event is about: `warmup`, a message of the ramp (it starts a thread), or
/// `continuation`, the sender's answer to a seed's reply in such a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SendKind {
    Warmup,
    Continuation,
}

/// One delivery attempt of a warmup message or of an answer in its thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarmupEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// A warmup message of the ramp, or the sender's answer in a thread.
    pub kind: SendKind,
    /// `sent`, `deferred` or `failed` (an attempt), `bounced` or `delayed` (a delivery report).
    #[schema(value_type = crate::schema::EventOutcome)]
    pub outcome: String,
    pub send_id: Uuid,
    pub message_id: String,
    pub seed: String,
    #[schema(value_type = Provider)]
    pub provider: String,
    pub attempt: i32,
    /// The server's reply code (absent when no server answered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    /// RFC 3463 enhanced status, e.g. `4.4.2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enhanced_status: Option<String>,
    /// What the server said, or what went wrong.
    pub text: String,
    #[schema(value_type = crate::schema::AttemptCategory)]
    pub category: String,
    pub duration_ms: i64,
}

crate::page_of!(
    /// Delivery events of one mailbox, one page.
    WarmupEventPage,
    WarmupEvent
);

/// What happened, newest first: every delivery attempt with the server's answer.
#[utoipa::path(
    tag = "warmup",
    operation_id = "listMailboxWarmupEvents",
    params(("id" = Uuid, Path, description = "Mailbox id"), EventsQuery),
    responses((status = 200, description = "One page of delivery events", body = WarmupEventPage)),
    security(("api_key" = []))
)]
#[get("/mailboxes/{id}/warmup/events")]
pub async fn events(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<EventsQuery>,
) -> Result<web::Json<WarmupEventPage>, ApiError> {
    mailboxes::get(&state.db, caller.org, *id)
        .await?
        .ok_or(ApiError::NotFound("mailbox"))?;
    let page = crate::pagination::PageQuery {
        limit: query.limit.clone(),
        after: query.after.clone(),
    }
    .parse()?;
    let outcome = match query.outcome.as_deref() {
        None => None,
        Some(o) => match warmup_domain::state::EventOutcome::parse(o) {
            Some(known) => Some(known.as_str()),
            None => {
                return Err(ApiError::invalid(
                    "outcome",
                    format!(
                        "must be one of {}",
                        warmup_domain::state::EventOutcome::words().join(", ")
                    ),
                ));
            }
        },
    };
    let found =
        warmup_entity::store::send_reads::events(&state.db, caller.org, *id, outcome, page).await?;
    Ok(web::Json(
        found
            .map(|e| WarmupEvent {
                id: e.attempt.id,
                at: e.attempt.attempted_at,
                kind: if warmup_entity::store::send_reads::is_continuation(&e.send) {
                    SendKind::Continuation
                } else {
                    SendKind::Warmup
                },
                outcome: e.attempt.outcome,
                send_id: e.send.id,
                message_id: e.send.message_id,
                seed: e.send.seed_email,
                provider: e.send.provider,
                attempt: e.attempt.attempt,
                code: e.attempt.code,
                enhanced_status: e.attempt.enhanced,
                text: e.attempt.text,
                category: e.attempt.category,
                duration_ms: e.attempt.duration_ms,
            })
            .into(),
    ))
}
