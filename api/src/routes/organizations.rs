//! Organizations, created by platform administrators.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use warmup_entity::organization;
use warmup_entity::store::organizations;

use crate::auth::Caller;
use crate::error::{ApiError, ForbiddenError};
use crate::idempotency;
use crate::json_body::Body;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganization {
    /// Display name, 1 to 200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
        example = "Acme Inc."
    )]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

impl From<organization::Model> for Organization {
    fn from(m: organization::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            created_at: m.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOrganization {
    pub organization: Organization,
    /// The organization's first API key. Shown once; store it now.
    pub api_key: String,
}

/// Validates a display name (organizations, keys).
pub fn parse_name(field: &str, raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            field,
            "must be 1 to 200 characters without control characters",
        ));
    }
    Ok(name.to_string())
}

/// Create an organization and its first API key (platform administrators only).
#[utoipa::path(
    tag = "organizations",
    operation_id = "createOrganization",
    request_body = CreateOrganization,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    responses((status = 201, description = "The organization and its first API key (shown once)", body = CreatedOrganization), ForbiddenError),
    security(("api_key" = []))
)]
#[post("/organizations")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Body<CreateOrganization>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    idempotency::once(
        &state,
        &caller,
        &req,
        &body.digest,
        StatusCode::CREATED,
        || async {
            let name = parse_name("name", &body.value.name)?;
            let (org, key) =
                organizations::create_with_key(&state.db, &name, state.clock.now()).await?;
            Ok(CreatedOrganization {
                organization: org.into(),
                api_key: key.plaintext,
            })
        },
    )
    .await
}
