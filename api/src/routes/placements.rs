//! The inbox placement report: where each warmup message landed at its seed, what the seed did
//! with it, and the rates per provider and day.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use warmup_domain::placement::{DaySummary, PlacementClass, Rates};
use warmup_domain::plan_date::PlanDate;
use warmup_domain::state::PlacementStage;
use warmup_domain::timezone::local_date;
use warmup_domain::{Provider, Violations};
use warmup_entity::store::mailboxes;
use warmup_entity::store::page::PageRequest;
use warmup_entity::store::placements::{self, ClassFilter, PlacementFilter, PlacementItem};
use warmup_entity::{OrgId, mailbox};

use crate::auth::Caller;
use crate::csv_out::{self, ResponseFormat};
use crate::error::ApiError;
use crate::pagination::PageQuery;
use crate::state::AppState;

async fn own_mailbox(state: &AppState, org: OrgId, id: Uuid) -> Result<mailbox::Model, ApiError> {
    mailboxes::get(&state.db, org, id)
        .await?
        .ok_or(ApiError::NotFound("mailbox"))
}

/// Today in the mailbox's time zone: plan days are the mailbox's local dates.
fn today(state: &AppState, mailbox: &mailbox::Model) -> NaiveDate {
    local_date(&mailbox.timezone, state.clock.now())
}

/// The days of a report from its `from` and `to` parameters: `to` defaults to `today`, `from`
/// to 29 days before `to`, and the range must be in order and at most 366 days.
pub(crate) fn report_days(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let mut v = Violations::new();
    let from = parse_day(&mut v, "from", from);
    let to = parse_day(&mut v, "to", to);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::Validation(v.into_vec()));
    };
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| PlanDate::new(to).days_before(29).date());
    warmup_domain::plan_date::check_range(from, to)
        .map_err(|e| ApiError::invalid("from", e.to_string()))?;
    Ok((from, to))
}

/// A `YYYY-MM-DD` query parameter; `None` (with the problem in `v`) when it is not one.
pub(crate) fn parse_day(
    v: &mut Violations,
    field: &str,
    raw: Option<&str>,
) -> Option<Option<NaiveDate>> {
    match raw {
        None => Some(None),
        Some(raw) => v
            .check(
                field,
                PlanDate::parse(raw)
                    .map(PlanDate::date)
                    .ok_or("must be a date like 2026-12-01"),
            )
            .map(Some),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlacementsQuery {
    /// Only messages to seeds of this provider, e.g. `gmail`.
    #[param(value_type = Option<Provider>)]
    pub provider: Option<String>,
    /// Only this class (`inbox`, `spam`, `category`, `other`, `missing`, `unknown` for messages
    /// given up on because the seed could not be read or was deleted), or `pending` for
    /// messages still looked for.
    #[param(value_type = Option<crate::schema::PlacementClassFilter>)]
    pub class: Option<String>,
    /// First plan day, `YYYY-MM-DD` in the mailbox's time zone.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last plan day, `YYYY-MM-DD`; not before `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next` value of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
    /// `json` (default, one page) or `csv`: the whole audit trail of the filtered messages as
    /// `text/csv`, newest first, one row per message with a header row; `limit` does not apply.
    #[param(value_type = Option<ResponseFormat>)]
    pub format: Option<String>,
}

impl PlacementsQuery {
    /// Validates every parameter; all problems are reported at once.
    fn parse(&self) -> Result<(PlacementFilter, PageRequest), ApiError> {
        let mut v = Violations::new();
        let provider = match &self.provider {
            None => Some(None),
            Some(raw) => v
                .check(
                    "provider",
                    raw.parse::<Provider>().map_err(|_| {
                        format!(
                            "must be one of {}",
                            Provider::ALL.map(Provider::as_str).join(", ")
                        )
                    }),
                )
                .map(Some),
        };
        let class = match self.class.as_deref() {
            None => Some(None),
            Some("pending") => Some(Some(ClassFilter::Pending)),
            Some(raw) => v
                .check(
                    "class",
                    PlacementClass::parse(raw)
                        .ok_or("must be inbox, spam, category, other, missing, unknown or pending"),
                )
                .map(|c| Some(ClassFilter::Class(c))),
        };
        let from = parse_day(&mut v, "from", self.from.as_deref());
        let to = parse_day(&mut v, "to", self.to.as_deref());
        if let (Some(Some(f)), Some(Some(t))) = (from, to)
            && f > t
        {
            v.add("from", "must not be after `to`");
        }
        let page = PageQuery {
            limit: self.limit.clone(),
            after: self.after.clone(),
        }
        .parse();
        if let Err(ApiError::Validation(page_errors)) = &page {
            for e in page_errors {
                v.add(e.field.clone(), e.message.clone());
            }
        }
        match (provider, class, from, to, page) {
            (Some(provider), Some(class), Some(from), Some(to), Ok(page)) if v.is_empty() => Ok((
                PlacementFilter {
                    provider,
                    class,
                    from,
                    to,
                },
                page,
            )),
            (.., Err(other)) if v.is_empty() => Err(other),
            _ => Err(ApiError::Validation(v.into_vec())),
        }
    }
}

/// Where a placement stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlacementStatus {
    /// The message is being looked for at the seed.
    Locating,
    /// Found; the seed is working through its plan (rescue, open, flag, reply, archive).
    Engaging,
    /// Nothing more will happen.
    Done,
}

/// The authentication results the seed's server recorded (`pass`, `fail`, `none`, ...).
#[derive(Debug, Serialize, ToSchema)]
pub struct Authentication {
    pub spf: Option<String>,
    pub dkim: Option<String>,
    pub dmarc: Option<String>,
}

/// The seed's reply, as found in the sender's mailbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementReply {
    pub message_id: String,
    /// Where the reply landed in the sender's mailbox; `null` until it is found.
    pub class: Option<PlacementClass>,
    pub folder: Option<String>,
    pub seen_at: Option<DateTime<Utc>>,
}

/// One thing done or found for a message.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementAction {
    /// `located`, `missing`, `rescue`, `open`, `flag`, `reply`, `archive`, `reply_seen` or
    /// `error`.
    #[schema(value_type = crate::schema::PlacementActionKind)]
    pub action: String,
    pub at: DateTime<Utc>,
    pub ok: bool,
    pub detail: String,
}

/// Where one warmup message landed and what its seed did with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Placement {
    pub send_id: Uuid,
    pub message_id: String,
    pub seed_email: String,
    #[schema(value_type = Provider)]
    pub provider: String,
    pub subject: String,
    /// The mailbox's local date the message was planned for.
    #[schema(value_type = String, format = Date)]
    pub plan_date: String,
    pub sent_at: DateTime<Utc>,
    pub status: PlacementStatus,
    /// `null` while the message is still looked for.
    pub class: Option<PlacementClass>,
    /// The folder it was found in.
    pub folder: Option<String>,
    pub arrived_at: Option<DateTime<Utc>>,
    /// Seconds from sending to arrival at the seed.
    pub arrival_seconds: Option<i64>,
    pub authentication: Authentication,
    pub opened_at: Option<DateTime<Utc>>,
    pub flagged_at: Option<DateTime<Utc>>,
    /// When the seed moved it out of spam or a category into the inbox.
    pub rescued_at: Option<DateTime<Utc>>,
    pub replied_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
    pub reply: Option<PlacementReply>,
    pub last_error: Option<String>,
    /// Oldest first.
    pub actions: Vec<PlacementAction>,
}

crate::page_of!(
    /// Placements of one mailbox's messages, one page.
    PlacementPage,
    Placement
);

fn corrupt(what: &str, value: &str, send_id: Uuid) -> ApiError {
    ApiError::Internal(format!("placement {send_id} has {what} {value:?}"))
}

fn class_of(raw: Option<&str>, send_id: Uuid) -> Result<Option<PlacementClass>, ApiError> {
    raw.map(|c| PlacementClass::parse(c).ok_or_else(|| corrupt("class", c, send_id)))
        .transpose()
}

impl TryFrom<PlacementItem> for Placement {
    type Error = ApiError;

    fn try_from(item: PlacementItem) -> Result<Self, ApiError> {
        let p = item.placement;
        let status = match PlacementStage::parse(&p.stage) {
            Some(PlacementStage::Locating) => PlacementStatus::Locating,
            Some(PlacementStage::Engaging) => PlacementStatus::Engaging,
            Some(PlacementStage::Done) => PlacementStatus::Done,
            None => return Err(corrupt("stage", &p.stage, p.send_id)),
        };
        let reply = match p.reply_message_id {
            None => None,
            Some(message_id) => Some(PlacementReply {
                message_id,
                class: class_of(p.reply_class.as_deref(), p.send_id)?,
                folder: p.reply_folder,
                seen_at: p.reply_seen_at,
            }),
        };
        Ok(Placement {
            send_id: p.send_id,
            class: class_of(p.class.as_deref(), p.send_id)?,
            message_id: p.message_id,
            seed_email: p.seed_email,
            provider: p.provider,
            subject: item.subject,
            plan_date: p.plan_date,
            sent_at: p.sent_at,
            status,
            folder: p.folder,
            arrived_at: p.arrived_at,
            arrival_seconds: p.arrival_seconds,
            authentication: Authentication {
                spf: p.spf,
                dkim: p.dkim,
                dmarc: p.dmarc,
            },
            opened_at: p.opened_at,
            flagged_at: p.flagged_at,
            rescued_at: p.rescued_at,
            replied_at: p.replied_at,
            archived_at: p.archived_at,
            reply,
            last_error: p.last_error,
            actions: item
                .actions
                .into_iter()
                .map(|a| PlacementAction {
                    action: a.action,
                    at: a.at,
                    ok: a.ok,
                    detail: a.detail,
                })
                .collect(),
        })
    }
}

/// The columns of the CSV audit trail.
const CSV_HEADER: [&str; 25] = [
    "send_id",
    "sent_at",
    "plan_date",
    "provider",
    "seed_email",
    "subject",
    "message_id",
    "status",
    "class",
    "folder",
    "arrived_at",
    "arrival_seconds",
    "spf",
    "dkim",
    "dmarc",
    "opened_at",
    "flagged_at",
    "rescued_at",
    "replied_at",
    "archived_at",
    "reply_message_id",
    "reply_class",
    "reply_folder",
    "last_error",
    "actions",
];

fn csv_line(p: Placement) -> Vec<String> {
    let t = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    let s = |s: Option<String>| s.unwrap_or_default();
    let status = match p.status {
        PlacementStatus::Locating => "locating",
        PlacementStatus::Engaging => "engaging",
        PlacementStatus::Done => "done",
    };
    let (reply_id, reply_class, reply_folder) = match p.reply {
        Some(r) => (
            r.message_id,
            r.class.map(|c| c.as_str().to_string()).unwrap_or_default(),
            s(r.folder),
        ),
        None => Default::default(),
    };
    // `name ok|failed at`, oldest first: the detail stays in the JSON list.
    let actions = p
        .actions
        .iter()
        .map(|a| {
            let ok = if a.ok { "ok" } else { "failed" };
            format!("{} {ok} {}", a.action, a.at.to_rfc3339())
        })
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        p.send_id.to_string(),
        p.sent_at.to_rfc3339(),
        p.plan_date,
        p.provider,
        p.seed_email,
        p.subject,
        p.message_id,
        status.to_string(),
        p.class.map(|c| c.as_str().to_string()).unwrap_or_default(),
        s(p.folder),
        t(p.arrived_at),
        p.arrival_seconds.map(|n| n.to_string()).unwrap_or_default(),
        s(p.authentication.spf),
        s(p.authentication.dkim),
        s(p.authentication.dmarc),
        t(p.opened_at),
        t(p.flagged_at),
        t(p.rescued_at),
        t(p.replied_at),
        t(p.archived_at),
        reply_id,
        reply_class,
        reply_folder,
        s(p.last_error),
        actions,
    ]
}

fn csv_lines(items: Vec<PlacementItem>) -> Result<web::Bytes, ApiError> {
    let rows = items
        .into_iter()
        .map(|i| Placement::try_from(i).map(csv_line))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(web::Bytes::from(csv_out::write(None, rows)?))
}

/// Rows read per query while the CSV is streamed.
const CSV_PAGE: u64 = 500;

/// The whole filtered trail as CSV, written page by page as it is read, so that a mailbox
/// with years of messages is never held in memory at once.
async fn trail_csv(
    state: &AppState,
    org: OrgId,
    mailbox: Uuid,
    filter: PlacementFilter,
    after: Option<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let page = |after| PageRequest {
        after,
        limit: CSV_PAGE,
    };
    // The first page before the answer starts, so that a bad cursor is still a 422.
    let first = placements::list(&state.db, org, mailbox, &filter, page(after))
        .await?
        .ok_or_else(|| ApiError::invalid("after", "must be the `next` value of a previous page"))?;
    let mut head = csv_out::write(Some(&CSV_HEADER), Vec::<Vec<String>>::new())?;
    let next = first.next;
    head.extend_from_slice(&csv_lines(first.items)?);
    let db = state.db.clone();
    let rest = futures::stream::unfold(next, move |cursor| {
        let db = db.clone();
        let filter = filter.clone();
        async move {
            let after = cursor?;
            match placements::list(&db, org, mailbox, &filter, page(Some(after))).await {
                Ok(Some(p)) => Some((csv_lines(p.items), p.next)),
                // The cursor row was deleted meanwhile: the trail ends there.
                Ok(None) => None,
                Err(e) => Some((Err(ApiError::from(e)), None)),
            }
        }
    });
    let body = futures::stream::once(async move { Ok(web::Bytes::from(head)) })
        .chain(rest)
        .map(|chunk| chunk.map_err(actix_web::Error::from));
    Ok(HttpResponse::Ok()
        .content_type(csv_out::CONTENT_TYPE)
        .streaming(body))
}

/// Where each message landed, newest sent first, with what its seed did.
#[utoipa::path(
    tag = "placements",
    operation_id = "listMailboxPlacements",
    params(("id" = Uuid, Path, description = "Mailbox id"), PlacementsQuery),
    responses(
        (status = 200, description = "One page of placements, or the whole trail as CSV",
            content(
                (PlacementPage = "application/json"),
                (String = "text/csv")
            ))
    ),
    security(("api_key" = []))
)]
#[get("/mailboxes/{id}/placements")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<PlacementsQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = ResponseFormat::parse(query.format.as_deref())?;
    own_mailbox(&state, caller.org, *id).await?;
    let (filter, page) = query.parse()?;
    if format == ResponseFormat::Csv {
        return trail_csv(&state, caller.org, *id, filter, page.after).await;
    }
    let found = placements::list(&state.db, caller.org, *id, &filter, page)
        .await?
        .ok_or_else(|| ApiError::invalid("after", "must be the `next` value of a previous page"))?;
    let next = found.next;
    let items = found
        .items
        .into_iter()
        .map(Placement::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(PlacementPage { items, next }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// First plan day, `YYYY-MM-DD` in the mailbox's time zone (default: 29 days before `to`).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last plan day, `YYYY-MM-DD` (default: today in the mailbox's time zone). At most 366
    /// days from `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

/// Placement rates of a range of days: overall, per seed provider, and per day.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Counts per class; rates are percentages of the decided placements (`pending` and
    /// `unknown` ones are left out), `null` while none is decided.
    pub overall: Rates,
    pub providers: BTreeMap<String, Rates>,
    /// Days with at least one placement, oldest first.
    pub days: Vec<DaySummary>,
}

/// Inbox, spam, category, other and missing rates per provider and day.
#[utoipa::path(
    tag = "placements",
    operation_id = "getMailboxPlacementSummary",
    params(("id" = Uuid, Path, description = "Mailbox id"), SummaryQuery),
    responses(
        (status = 200, description = "Placement rates overall, per provider and per day", body = PlacementSummary)
    ),
    security(("api_key" = []))
)]
#[get("/mailboxes/{id}/placement-summary")]
pub async fn summary(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<SummaryQuery>,
) -> Result<web::Json<PlacementSummary>, ApiError> {
    let mailbox = own_mailbox(&state, caller.org, *id).await?;
    let (from, to) = report_days(
        query.from.as_deref(),
        query.to.as_deref(),
        today(&state, &mailbox),
    )?;
    let s = placements::summary(&state.db, caller.org, *id, from, to).await?;
    Ok(web::Json(PlacementSummary {
        from,
        to,
        overall: s.overall,
        providers: s.providers,
        days: s.days,
    }))
}
