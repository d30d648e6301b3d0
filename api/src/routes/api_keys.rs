//! API keys of the caller's organization.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use uuid::Uuid;
use warmup_entity::api_key;
use warmup_entity::store::api_keys;

use crate::auth::Caller;
use crate::error::{ApiError, ConflictError, ForbiddenError, problem_responses};
use crate::idempotency;
use crate::json_body::Body;
use crate::pagination::PageQuery;
use crate::routes::organizations::parse_name;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    /// What the key is for, 1 to 200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
        example = "CRM integration"
    )]
    pub name: String,
    /// A platform administrator key (only platform administrators may create one), for
    /// rotating the administrator's key.
    pub platform_admin: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    pub platform_admin: bool,
    pub created_at: DateTime<Utc>,
    /// Last time the key authenticated a request (to the minute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

crate::page_of!(
    /// The organization's API keys, one page.
    ApiKeyPage,
    ApiKey
);

impl From<api_key::Model> for ApiKey {
    fn from(m: api_key::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            prefix: m.prefix,
            platform_admin: m.platform_admin,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub api_key: ApiKey,
    /// The key itself. Shown once; only a digest is stored.
    pub key: String,
}

/// 409 of `createApiKey`. (It replaces the idempotency 409 that `docs` adds, hence both.)
struct KeyLimitError;
impl utoipa::IntoResponses for KeyLimitError {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        problem_responses(&[(
            409,
            "`limit_reached`: the organization has as many live API keys as it may have \
             (`WARMUP_MAX_API_KEYS_PER_ORG`, default 100): revoke one first. Or \
             `idempotency_in_progress`: a request with the same Idempotency-Key is still in \
             progress",
        )])
    }
}

/// Create an API key for the caller's organization (at most `WARMUP_MAX_API_KEYS_PER_ORG` live
/// keys per organization).
#[utoipa::path(
    tag = "api-keys",
    operation_id = "createApiKey",
    request_body = CreateApiKey,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    responses((status = 201, description = "The new key; its secret is shown only in this answer", body = CreatedApiKey), ForbiddenError, KeyLimitError),
    security(("api_key" = []))
)]
#[post("/api-keys")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Body<CreateApiKey>,
) -> Result<HttpResponse, ApiError> {
    let admin = body.value.platform_admin.unwrap_or(false);
    if admin {
        caller.require_admin()?;
    }
    idempotency::once(
        &state,
        &caller,
        &req,
        &body.digest,
        StatusCode::CREATED,
        || async {
            let name = parse_name("name", &body.value.name)?;
            let issued = api_keys::create(
                &state.db,
                caller.org,
                &name,
                admin,
                state.settings.max_api_keys_per_org,
                state.clock.now(),
            )
            .await?;
            Ok(CreatedApiKey {
                api_key: issued.model.into(),
                key: issued.plaintext,
            })
        },
    )
    .await
}

/// List the organization's API keys, revoked ones included.
#[utoipa::path(
    tag = "api-keys",
    operation_id = "listApiKeys",
    params(PageQuery),
    responses((status = 200, description = "One page of API keys", body = ApiKeyPage)),
    security(("api_key" = []))
)]
#[get("/api-keys")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<ApiKeyPage>, ApiError> {
    let page = api_keys::list(&state.db, caller.org, query.parse()?).await?;
    Ok(web::Json(page.map(ApiKey::from).into()))
}

/// Revoke an API key; it stops working at once.
#[utoipa::path(
    tag = "api-keys",
    operation_id = "revokeApiKey",
    params(("id" = Uuid, Path, description = "API key id")),
    responses((status = 204, description = "Revoked"), ForbiddenError, ConflictError),
    security(("api_key" = []))
)]
#[delete("/api-keys/{id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let key = api_keys::get(&state.db, caller.org, *id)
        .await?
        .ok_or(ApiError::NotFound("API key"))?;
    if key.platform_admin && key.revoked_at.is_none() {
        caller.require_admin()?;
        if api_keys::live_admin_keys(&state.db).await? <= 1 {
            return Err(ApiError::Conflict(
                "this is the last platform administrator key: create another one before \
                 revoking it"
                    .into(),
            ));
        }
    }
    api_keys::revoke(&state.db, caller.org, key.id, state.clock.now())
        .await?
        .ok_or(ApiError::NotFound("API key"))?;
    Ok(HttpResponse::NoContent().finish())
}
