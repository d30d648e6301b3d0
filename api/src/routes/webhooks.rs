//! Webhooks: an organization's endpoints for events, their signing secrets (shown once), the
//! deliveries with every try, redelivery and a test event.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use warmup_domain::Secret;
use warmup_domain::state::{DeliveryState, EventType};
use warmup_domain::violations::Violations;
use warmup_domain::webhook::{PREVIOUS_SECRET_HOURS, check_url, new_secret};
use warmup_entity::secret_box::context;
use warmup_entity::store::events;
use warmup_entity::store::webhooks::{self as store, DeliveryView, Redelivery};
use warmup_entity::{webhook, webhook_attempt};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::idempotency;
use crate::json_body::Body;
use crate::pagination::PageQuery;
use crate::state::AppState;

/// A webhook as shown (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    #[schema(value_type = Vec<crate::schema::WebhookEventType>)]
    pub events: Vec<String>,
    /// Inactive webhooks get no deliveries.
    pub active: bool,
    /// Why the service turned it off (every delivery failed for 5 days).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub disabled_reason: Option<String>,
    /// Since when every delivery try has failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<webhook::Model> for Webhook {
    fn from(w: webhook::Model) -> Self {
        Self {
            events: events::subscribed(&w)
                .iter()
                .map(|e| e.as_str().to_string())
                .collect(),
            id: w.id,
            url: w.url,
            active: w.active,
            disabled_reason: w.disabled_reason,
            failing_since: w.failing_since,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

crate::page_of!(
    /// Webhooks, one page.
    WebhookPage,
    Webhook
);

/// A new webhook with its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// `whsec_` and the key in base64: give it to a Standard Webhooks library to verify the
    /// `webhook-signature` header. Not shown again.
    pub secret: String,
}

/// A webhook to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://hooks.example.com/warmup", "events": ["mailbox.warmup_adjusted", "mailbox.stopped"]}))]
pub struct CreateWebhook {
    /// An `https` address on the public internet.
    #[schema(max_length = 2000)]
    pub url: String,
    /// The event types to receive (at least one).
    #[schema(value_type = Vec<crate::schema::WebhookEventType>, min_items = 1)]
    pub events: Vec<String>,
    /// Default true.
    pub active: Option<bool>,
}

/// Changes to a webhook; omitted fields keep their value.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhook {
    #[schema(max_length = 2000)]
    pub url: Option<String>,
    #[schema(value_type = Option<Vec<crate::schema::WebhookEventType>>, min_items = 1)]
    pub events: Option<Vec<String>>,
    /// Turning a webhook on again clears its failing streak.
    pub active: Option<bool>,
}

fn check_events(v: &mut Violations, raw: &[String]) -> Vec<String> {
    if raw.is_empty() {
        v.add("events", "must name at least one event type");
    }
    let mut out: Vec<String> = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        match EventType::parse(e) {
            Some(t) if !out.iter().any(|o| o == t.as_str()) => out.push(t.as_str().to_string()),
            Some(_) => {}
            None => v.add(
                format!("events[{i}]"),
                format!("must be one of {}", EventType::words().join(", ")),
            ),
        }
    }
    out
}

fn checked_url(state: &AppState, v: &mut Violations, raw: &str) -> String {
    v.check(
        "url",
        check_url(raw, state.settings.diagnose.allow_private_hosts),
    )
    .map(|u| u.url)
    .unwrap_or_default()
}

fn sealed_secret(state: &AppState, id: Uuid, secret: &str) -> String {
    state
        .secrets
        .seal(&Secret::new(secret), &context("webhook", id, "secret"))
}

async fn find(state: &AppState, caller: &Caller, id: Uuid) -> Result<webhook::Model, ApiError> {
    store::get(&state.db, caller.org, id)
        .await?
        .ok_or(ApiError::NotFound("webhook"))
}

/// Create a webhook.
///
/// Events of the chosen types are POSTed to `url` as `{type, timestamp, data}`, signed by the
/// Standard Webhooks convention (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The
/// signing secret is in this answer only. An organization has at most 20 webhooks.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "createWebhook",
    request_body = CreateWebhook,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    responses(
        (status = 201, description = "Created, with its secret", body = CreatedWebhook),
        (status = 409, description = "The organization has 20 webhooks", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Body<CreateWebhook>,
) -> Result<HttpResponse, ApiError> {
    // A retry with the same key answers the first answer again, secret included (kept sealed
    // like every stored answer): a lost answer does not lose the secret.
    idempotency::once(
        &state,
        &caller,
        &req,
        &body.digest,
        StatusCode::CREATED,
        || async {
            let mut v = Violations::new();
            let url = checked_url(&state, &mut v, &body.value.url);
            let kinds = check_events(&mut v, &body.value.events);
            v.finish(|| ()).map_err(ApiError::Validation)?;
            let id = Uuid::now_v7();
            let secret = new_secret(&mut rand::rng());
            let now = state.clock.now();
            let w = store::insert(
                &state.db,
                caller.org,
                webhook::Model {
                    id,
                    organization_id: caller.org.0,
                    url,
                    events: serde_json::to_string(&kinds).unwrap_or_default(),
                    active: body.value.active.unwrap_or(true),
                    secret: sealed_secret(&state, id, &secret),
                    previous_secret: None,
                    previous_secret_until: None,
                    failing_since: None,
                    disabled_reason: None,
                    created_at: now,
                    updated_at: now,
                },
            )
            .await?;
            Ok(CreatedWebhook {
                webhook: w.into(),
                secret,
            })
        },
    )
    .await
}

/// List the organization's webhooks.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "listWebhooks",
    params(PageQuery),
    responses((status = 200, description = "One page of webhooks", body = WebhookPage)),
    security(("api_key" = []))
)]
#[get("/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<WebhookPage>, ApiError> {
    let page = query.parse()?;
    let found = store::list(&state.db, caller.org, page).await?;
    Ok(web::Json(found.map(Webhook::from).into()))
}

/// Get one webhook.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "getWebhook",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses((status = 200, description = "The webhook", body = Webhook)),
    security(("api_key" = []))
)]
#[get("/webhooks/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Webhook>, ApiError> {
    Ok(web::Json(find(&state, &caller, *id).await?.into()))
}

/// Change a webhook: its address, event types, or whether it is active.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "updateWebhook",
    params(("id" = Uuid, Path, description = "Webhook id")),
    request_body = UpdateWebhook,
    responses((status = 200, description = "The webhook as saved", body = Webhook)),
    security(("api_key" = []))
)]
#[patch("/webhooks/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Body<UpdateWebhook>,
) -> Result<web::Json<Webhook>, ApiError> {
    find(&state, &caller, *id).await?;
    let mut v = Violations::new();
    let url = body
        .value
        .url
        .as_ref()
        .map(|raw| checked_url(&state, &mut v, raw));
    let events = body
        .value
        .events
        .as_ref()
        .map(|raw| serde_json::to_string(&check_events(&mut v, raw)).unwrap_or_default());
    v.finish(|| ()).map_err(ApiError::Validation)?;
    let changes = store::Changes {
        url,
        events,
        active: body.value.active,
    };
    let saved = store::patch(&state.db, caller.org, *id, changes, state.clock.now())
        .await?
        .ok_or(ApiError::NotFound("webhook"))?;
    Ok(web::Json(saved.into()))
}

/// Delete a webhook and its deliveries.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "deleteWebhook",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses((status = 204, description = "Deleted")),
    security(("api_key" = []))
)]
#[delete("/webhooks/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    if store::delete(&state.db, caller.org, *id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound("webhook"))
    }
}

/// A new signing secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct RotatedSecret {
    /// The new secret, shown this once.
    pub secret: String,
    /// Until then deliveries carry a signature by the old secret too, so receivers can switch.
    pub previous_secret_expires_at: DateTime<Utc>,
}

/// Replace a webhook's signing secret.
///
/// For 24 hours deliveries are signed with both secrets (two signatures in
/// `webhook-signature`); then with the new one only. A second rotation within those 24 hours
/// ends the oldest secret at once (the one it replaces signs on).
#[utoipa::path(
    tag = "webhooks",
    operation_id = "rotateWebhookSecret",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The new secret", body = RotatedSecret),
        (status = 409, description = "Rotated at the same moment by another request", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/webhooks/{id}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<RotatedSecret>, ApiError> {
    let w = find(&state, &caller, *id).await?;
    let secret = new_secret(&mut rand::rng());
    let now = state.clock.now();
    let until = now + Duration::hours(PREVIOUS_SECRET_HOURS);
    // The old secret moves over sealed for its new field (the context binds the field).
    let old = state
        .secrets
        .open(&w.secret, &context("webhook", w.id, "secret"))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let previous = state
        .secrets
        .seal(&old, &context("webhook", w.id, "previous_secret"));
    let sealed = sealed_secret(&state, w.id, &secret);
    let done = store::rotate(
        &state.db,
        caller.org,
        w.id,
        store::Rotation {
            expected: w.secret.clone(),
            secret: sealed,
            previous,
            until,
        },
        now,
    )
    .await?;
    if !done {
        return Err(ApiError::Conflict(
            "the secret was rotated at the same moment by another request; rotate again".into(),
        ));
    }
    Ok(web::Json(RotatedSecret {
        secret,
        previous_secret_expires_at: until,
    }))
}

/// One try of a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryAttempt {
    pub attempt: i32,
    pub attempted_at: DateTime<Utc>,
    #[schema(value_type = crate::schema::WebhookAttemptOutcome)]
    pub outcome: String,
    /// The receiver's HTTP status, when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub status: Option<i32>,
    /// What went wrong (timeout, connection refused, address refused, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error: Option<String>,
    /// The start of the receiver's answer (at most 4096 bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub response_body: Option<String>,
    pub duration_ms: i64,
}

impl From<webhook_attempt::Model> for DeliveryAttempt {
    fn from(a: webhook_attempt::Model) -> Self {
        Self {
            attempt: a.attempt,
            attempted_at: a.attempted_at,
            outcome: a.outcome,
            status: a.status,
            error: a.error,
            response_body: a.response_body,
            duration_ms: a.duration_ms,
        }
    }
}

/// One event on its way to one webhook.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    /// The event's id, sent as `webhook-id` (the same on every try and redelivery).
    pub event_id: Uuid,
    #[schema(value_type = crate::schema::WebhookEventType)]
    pub event_type: String,
    #[schema(value_type = crate::schema::WebhookDeliveryState)]
    pub state: String,
    /// When the next try is due, while `pending`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Tries end then.
    pub give_up_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub last_status: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub last_error: Option<String>,
    /// The delivery this one sends again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub redelivery_of: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub finished_at: Option<DateTime<Utc>>,
    /// The body sent: `{type, timestamp, data}`.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// Every try, oldest first.
    pub attempts: Vec<DeliveryAttempt>,
}

impl From<DeliveryView> for Delivery {
    fn from(v: DeliveryView) -> Self {
        let d = v.delivery;
        Self {
            next_attempt_at: (d.state == DeliveryState::Pending.as_str())
                .then_some(d.next_attempt_at),
            id: d.id,
            webhook_id: d.webhook_id,
            event_id: d.event_id,
            event_type: d.event_type,
            state: d.state,
            give_up_at: d.give_up_at,
            last_status: d.last_status,
            last_error: d.last_error,
            redelivery_of: d.redelivery_of,
            created_at: d.created_at,
            finished_at: d.finished_at,
            payload: v
                .event
                .as_ref()
                .map(events::payload)
                .unwrap_or(serde_json::Value::Null),
            attempts: v.attempts.into_iter().map(DeliveryAttempt::from).collect(),
        }
    }
}

crate::page_of!(
    /// Deliveries of one webhook, one page (newest first).
    DeliveryPage,
    Delivery
);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// Items per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next` value of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
    /// Only deliveries in this state.
    #[param(value_type = Option<crate::schema::WebhookDeliveryState>)]
    pub state: Option<String>,
}

/// List a webhook's deliveries, newest first, each with its tries.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "listWebhookDeliveries",
    params(("id" = Uuid, Path, description = "Webhook id"), DeliveriesQuery),
    responses((status = 200, description = "One page of deliveries", body = DeliveryPage)),
    security(("api_key" = []))
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<DeliveriesQuery>,
) -> Result<web::Json<DeliveryPage>, ApiError> {
    let page = PageQuery {
        limit: query.limit.clone(),
        after: query.after.clone(),
    }
    .parse()?;
    let wanted = match query.state.as_deref() {
        None => None,
        Some(raw) => Some(DeliveryState::parse(raw).ok_or_else(|| {
            ApiError::invalid(
                "state",
                format!("must be one of {}", DeliveryState::words().join(", ")),
            )
        })?),
    };
    find(&state, &caller, *id).await?;
    let found = store::deliveries(&state.db, caller.org, *id, wanted, page).await?;
    Ok(web::Json(found.map(Delivery::from).into()))
}

/// Get one delivery with its tries.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "getWebhookDelivery",
    params(
        ("id" = Uuid, Path, description = "Webhook id"),
        ("delivery_id" = Uuid, Path, description = "Delivery id"),
    ),
    responses((status = 200, description = "The delivery", body = Delivery)),
    security(("api_key" = []))
)]
#[get("/webhooks/{id}/deliveries/{delivery_id}")]
pub async fn delivery(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<Delivery>, ApiError> {
    let (id, delivery_id) = *path;
    let found = store::delivery(&state.db, caller.org, id, delivery_id)
        .await?
        .ok_or(ApiError::NotFound("delivery"))?;
    Ok(web::Json(found.into()))
}

/// Send a delivered or failed delivery's event again.
///
/// A new delivery of the same event (same `webhook-id`) is due at once and tried for 24 hours.
/// A delivery still being tried, or an inactive webhook, is a conflict.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "redeliverWebhookDelivery",
    params(
        ("id" = Uuid, Path, description = "Webhook id"),
        ("delivery_id" = Uuid, Path, description = "Delivery id"),
    ),
    responses(
        (status = 202, description = "The new delivery, due now", body = Delivery),
        (status = 409, description = "Still being tried, or the webhook is inactive", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, delivery_id) = *path;
    match store::redeliver(&state.db, caller.org, id, delivery_id, state.clock.now()).await? {
        Redelivery::Queued(v) => {
            Ok(HttpResponse::build(StatusCode::ACCEPTED).json(Delivery::from(*v)))
        }
        Redelivery::StillTrying => Err(ApiError::Conflict(
            "the delivery is still being tried; redeliver it once it is delivered or failed".into(),
        )),
        Redelivery::Inactive => Err(ApiError::Conflict(
            "the webhook is inactive; turn it on first".into(),
        )),
        Redelivery::NotFound => Err(ApiError::NotFound("delivery")),
    }
}

/// Send a `webhook.test` event to this webhook now, whatever event types it receives.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "testWebhook",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 202, description = "The test delivery, due now", body = Delivery),
        (status = 409, description = "The webhook is inactive", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/webhooks/{id}/test")]
pub async fn test(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let w = find(&state, &caller, *id).await?;
    if !w.active {
        return Err(ApiError::Conflict(
            "the webhook is inactive; turn it on first".into(),
        ));
    }
    let now = state.clock.now();
    // The event and its delivery are stored together.
    let txn = warmup_entity::store::write_txn::begin(&state.db)
        .await
        .map_err(warmup_entity::StoreError::from)?;
    let d = events::raise_for(
        &txn,
        &w,
        EventType::WebhookTest,
        serde_json::json!({"webhook_id": w.id, "message": "a test event, sent on request"}),
        now,
    )
    .await?;
    txn.commit()
        .await
        .map_err(warmup_entity::StoreError::from)?;
    let view = store::delivery(&state.db, caller.org, w.id, d.id)
        .await?
        .ok_or(ApiError::NotFound("delivery"))?;
    Ok(HttpResponse::build(StatusCode::ACCEPTED).json(Delivery::from(view)))
}
