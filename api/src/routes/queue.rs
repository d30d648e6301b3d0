//! The send queue, as `mailq`, `postqueue -f` and `postsuper -d` manage a mail server's: list
//! what waits, make deferred sends due now, delete sends that have not gone out.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use warmup_domain::Violations;
use warmup_domain::mail_server::parse_domain_name;
use warmup_domain::smtp_reply::ReplyCategory;
use warmup_domain::state::SendState;
use warmup_entity::send;
use warmup_entity::store::send_queue::{self as store, Deleted, QueueFilter};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json_body::Body;
use crate::pagination::PageQuery;
use crate::state::AppState;

/// One send in the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedSend {
    pub id: Uuid,
    pub mailbox_id: Uuid,
    /// The recipient: a seed's address.
    #[schema(value_type = crate::schema::EmailAddress)]
    pub recipient: String,
    /// The recipient's domain.
    pub domain: String,
    #[schema(value_type = crate::schema::QueueState)]
    pub state: String,
    pub message_id: String,
    /// When the plan put it.
    pub scheduled_at: DateTime<Utc>,
    /// When it is (or was) due next.
    pub next_attempt_at: DateTime<Utc>,
    pub attempts: i32,
    /// The last answer's code, enhanced status, words and category (after a refusal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_enhanced_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::schema::AttemptCategory>)]
    pub last_category: Option<String>,
}

impl From<send::Model> for QueuedSend {
    fn from(s: send::Model) -> Self {
        Self {
            domain: warmup_domain::email::domain_of(&s.seed_email),
            id: s.id,
            mailbox_id: s.mailbox_id,
            recipient: s.seed_email,
            state: s.state,
            message_id: s.message_id,
            scheduled_at: s.scheduled_at,
            next_attempt_at: s.next_attempt_at,
            attempts: s.attempts,
            last_code: s.last_code,
            last_enhanced_status: s.last_enhanced,
            last_text: s.last_text,
            last_category: s.last_category,
        }
    }
}

crate::page_of!(
    /// Sends of the queue, one page.
    QueuePage,
    QueuedSend
);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only sends in this state (default: all four).
    #[param(value_type = Option<crate::schema::QueueState>)]
    pub state: Option<String>,
    /// Only this mailbox's sends.
    #[param(value_type = Option<String>, format = Uuid)]
    pub mailbox_id: Option<String>,
    /// Only sends to this recipient domain.
    #[param(value_type = Option<String>, max_length = 253, pattern = r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$")]
    pub domain: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next` value of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
}

/// Which sends an operation applies to; every given field narrows it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"domain": "example.com", "enhanced_status": "4.4"}))]
pub struct QueueSelection {
    /// Only this mailbox's sends.
    pub mailbox_id: Option<Uuid>,
    /// Only sends to this recipient domain.
    #[schema(
        max_length = 253,
        pattern = r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$"
    )]
    pub domain: Option<String>,
    /// Only sends whose last answer had this category.
    #[schema(value_type = Option<crate::schema::AttemptCategory>)]
    pub category: Option<String>,
    /// Only sends whose last answer had this enhanced status: whole (`4.4.2`) or its class and
    /// subject (`4.4`, any `4.4.x`).
    #[schema(max_length = 11, pattern = r"^[245]\.[0-9]{1,3}(\.[0-9]{1,3})?$")]
    pub enhanced_status: Option<String>,
}

/// Sends to delete: a selection, a state, or `all`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mailbox_id": "01939d2e-6f3a-7c1e-9b2a-4d5e6f708192", "state": "deferred"}))]
pub struct QueueDeletion {
    pub mailbox_id: Option<Uuid>,
    #[schema(
        max_length = 253,
        pattern = r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$"
    )]
    pub domain: Option<String>,
    #[schema(value_type = Option<crate::schema::AttemptCategory>)]
    pub category: Option<String>,
    #[schema(max_length = 11, pattern = r"^[245]\.[0-9]{1,3}(\.[0-9]{1,3})?$")]
    pub enhanced_status: Option<String>,
    /// `planned`, `queued` or `deferred` (a `sending` send cannot be deleted).
    #[schema(value_type = Option<crate::schema::DeletableQueueState>)]
    pub state: Option<String>,
    /// Delete every send of the queue that can be; needed when nothing else narrows it.
    pub all: Option<bool>,
}

/// How many sends a flush made due.
#[derive(Debug, Serialize, ToSchema)]
pub struct Flushed {
    pub flushed: u64,
}

/// How many sends were deleted, and how many matching ones were left because a worker holds
/// them.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedSends {
    pub deleted: u64,
    pub sending_skipped: u64,
}

fn check_domain(v: &mut Violations, field: &str, raw: &Option<String>) -> Option<String> {
    // A host name has no `_` or `%`, which would be wildcards in the recipient match.
    let d = parse_domain_name(raw.as_ref()?);
    if d.is_none() {
        v.add(field, "must be a domain name such as example.com");
    }
    d
}

/// The narrowing fields a flush and a deletion share, checked.
fn selection(
    v: &mut Violations,
    mailbox_id: Option<Uuid>,
    domain: &Option<String>,
    category: &Option<String>,
    enhanced: &Option<String>,
) -> QueueFilter {
    QueueFilter {
        states: Vec::new(),
        mailbox_id,
        domain: check_domain(v, "domain", domain),
        category: check_category(v, category),
        enhanced: check_enhanced(v, enhanced),
    }
}

fn check_state(v: &mut Violations, raw: Option<&str>, allowed: &[SendState]) -> Vec<SendState> {
    match raw {
        None => Vec::new(),
        Some(raw) => match SendState::parse(raw).filter(|s| allowed.contains(s)) {
            Some(s) => vec![s],
            None => {
                let words: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
                v.add("state", format!("must be one of {}", words.join(", ")));
                Vec::new()
            }
        },
    }
}

fn check_category(v: &mut Violations, raw: &Option<String>) -> Option<String> {
    let c = raw.as_ref()?;
    let known = ReplyCategory::ALL.iter().any(|k| k.as_str() == c)
        || warmup_domain::state::EventSource::words().contains(&c.as_str());
    if !known {
        v.add(
            "category",
            "must be a category word such as bad_connection or greylisted",
        );
        return None;
    }
    Some(c.clone())
}

fn check_enhanced(v: &mut Violations, raw: &Option<String>) -> Option<String> {
    let e = raw.as_ref()?.trim();
    let parts: Vec<&str> = e.split('.').collect();
    let ok = matches!(parts.len(), 2 | 3)
        && matches!(parts[0], "2" | "4" | "5")
        && parts[1..]
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
    if !ok {
        v.add(
            "enhanced_status",
            "must be an enhanced status such as 4.4.2, or its class and subject such as 4.4",
        );
        return None;
    }
    Some(e.to_string())
}

/// List the sends that wait or are on their way.
///
/// Oldest first: `planned` sends wait for their time, `queued` ones for a worker, `sending`
/// ones are in a worker's hands and `deferred` ones were refused for now and are tried again
/// at `next_attempt_at`, with the last answer.
#[utoipa::path(
    tag = "queue",
    operation_id = "listQueue",
    params(QueueQuery),
    responses((status = 200, description = "One page of the queue", body = QueuePage)),
    security(("api_key" = []))
)]
#[get("/queue")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<QueueQuery>,
) -> Result<web::Json<QueuePage>, ApiError> {
    let page = PageQuery {
        limit: query.limit.clone(),
        after: query.after.clone(),
    }
    .parse()?;
    let mut v = Violations::new();
    let states = check_state(&mut v, query.state.as_deref(), &store::QUEUE_STATES);
    let mailbox_id = query.mailbox_id.as_deref().and_then(|raw| {
        v.check(
            "mailbox_id",
            Uuid::parse_str(raw).map_err(|_| "must be a mailbox id (a UUID)"),
        )
    });
    let domain = check_domain(&mut v, "domain", &query.domain);
    let filter = v
        .finish(|| QueueFilter {
            states,
            mailbox_id,
            domain,
            ..QueueFilter::default()
        })
        .map_err(ApiError::Validation)?;
    let found = store::list(&state.db, caller.org, &filter, page).await?;
    Ok(web::Json(found.map(QueuedSend::from).into()))
}

/// Make deferred sends due now (`postqueue -f`).
///
/// Every `deferred` send that matches, whatever its backoff, is due at once: the next queue
/// round (within seconds) tries it again. Sends of a paused warmup stay until it resumes. An
/// empty selection flushes every deferred send of the organization.
#[utoipa::path(
    tag = "queue",
    operation_id = "flushQueue",
    request_body = QueueSelection,
    responses((status = 200, description = "How many deferred sends are due now", body = Flushed)),
    security(("api_key" = []))
)]
#[post("/queue/flush")]
pub async fn flush(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<QueueSelection>,
) -> Result<web::Json<Flushed>, ApiError> {
    let input = &body.value;
    let mut v = Violations::new();
    let filter = selection(
        &mut v,
        input.mailbox_id,
        &input.domain,
        &input.category,
        &input.enhanced_status,
    );
    let filter = v.finish(|| filter).map_err(ApiError::Validation)?;
    let flushed = store::flush(&state.db, caller.org, &filter, state.clock.now()).await?;
    Ok(web::Json(Flushed { flushed }))
}

fn deleted_reason(caller: &Caller) -> String {
    format!(
        "deleted from the queue through the API (key {})",
        caller.key_id
    )
}

/// Delete one send from the queue (`postsuper -d`).
///
/// The send is cancelled and never sent; its row stays, `cancelled`, in the warmup's stats. A
/// send a worker holds (`sending`) cannot be deleted (409), nor one that has already gone
/// out or ended (409, naming its state).
#[utoipa::path(
    tag = "queue",
    operation_id = "deleteQueuedSend",
    params(("send_id" = Uuid, Path, description = "Send id")),
    responses(
        (status = 204, description = "Deleted: it will not be sent"),
        (status = 404, description = "No such send in this organization", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The send is being sent or has already ended", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[delete("/queue/{send_id}")]
pub async fn delete_one(
    state: web::Data<AppState>,
    caller: Caller,
    send_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let reason = deleted_reason(&caller);
    match store::delete_one(&state.db, caller.org, *send_id, &reason, state.clock.now()).await? {
        Deleted::Cancelled => Ok(HttpResponse::NoContent().finish()),
        Deleted::NotFound => Err(ApiError::NotFound("send")),
        Deleted::Refused(SendState::Sending) => Err(ApiError::Conflict(
            "the send is being sent: a worker holds it and its message may be on the wire; \
             it cannot be deleted"
                .into(),
        )),
        Deleted::Refused(other) => Err(ApiError::Conflict(format!(
            "the send is {} and no longer in the queue",
            other.as_str()
        ))),
    }
}

/// Delete every matching send from the queue (`postsuper -d` with a filter).
///
/// Matching sends that are `planned`, `queued` or `deferred` are cancelled and never sent;
/// matching `sending` ones are left and counted in `sending_skipped`. Give at least one
/// narrowing field, or `all: true` to empty the organization's queue.
#[utoipa::path(
    tag = "queue",
    operation_id = "deleteQueuedSends",
    request_body = QueueDeletion,
    responses((status = 200, description = "How many sends were deleted", body = DeletedSends)),
    security(("api_key" = []))
)]
#[post("/queue/delete")]
pub async fn delete_matching(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<QueueDeletion>,
) -> Result<web::Json<DeletedSends>, ApiError> {
    let input = &body.value;
    let mut v = Violations::new();
    let narrowed = input.mailbox_id.is_some()
        || input.domain.is_some()
        || input.category.is_some()
        || input.enhanced_status.is_some()
        || input.state.is_some();
    if !narrowed && input.all != Some(true) {
        v.add(
            "all",
            "give mailbox_id, domain, category, enhanced_status or state, or all: true to \
             delete every send of the queue",
        );
    }
    let filter = QueueFilter {
        states: check_state(&mut v, input.state.as_deref(), &store::DELETABLE),
        ..selection(
            &mut v,
            input.mailbox_id,
            &input.domain,
            &input.category,
            &input.enhanced_status,
        )
    };
    let filter = v.finish(|| filter).map_err(ApiError::Validation)?;
    let (deleted, sending_skipped) = store::delete_matching(
        &state.db,
        caller.org,
        &filter,
        &deleted_reason(&caller),
        state.clock.now(),
    )
    .await?;
    Ok(web::Json(DeletedSends {
        deleted,
        sending_skipped,
    }))
}
