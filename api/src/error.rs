//! The API's one error type, rendered once as RFC 9457 `application/problem+json` with a stable
//! machine code that clients can branch on.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use warmup_domain::Violation;
use warmup_domain::log_text::escape_control;
use warmup_entity::StoreError;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the request has invalid fields")]
    Validation(Vec<Violation>),
    #[error("a valid API key is required: send `Authorization: Bearer <key>`")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("this path does not take that method; it takes {}", .0.join(", "))]
    MethodNotAllowed(Vec<&'static str>),
    #[error("{0}")]
    Conflict(String),
    /// A per-organization cap (API keys, ...): the detail names the cap and what frees room.
    #[error("{0}")]
    LimitReached(String),
    /// A split asked for more seeds than the pool can give; `available` could be given.
    #[error("only {available} seeds of this provider and group can take another split")]
    NotEnoughSeeds { available: u32 },
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// A compressed request body: no client needs one, and decompressing is a bomb's door.
    #[error("request bodies are accepted without Content-Encoding (identity) only")]
    UnsupportedEncoding,
    /// `scope` says whose limit it is: `from this address without a valid API key`, ...
    #[error("too many requests {scope}; retry after {retry_after} seconds")]
    RateLimited {
        retry_after: u64,
        scope: &'static str,
    },
    /// `/metrics` with a missing or wrong metrics token.
    #[error("the metrics token is required: send `Authorization: Bearer <WARMUP_METRICS_TOKEN>`")]
    MetricsUnauthorized,
    /// `/metrics` on a server without a metrics token: metrics are off.
    #[error("metrics are off on this server: its operator has not set WARMUP_METRICS_TOKEN")]
    MetricsDisabled,
    #[error("an earlier request with this Idempotency-Key is still being processed")]
    IdempotencyInProgress,
    #[error("this Idempotency-Key was already used for a different request")]
    IdempotencyKeyReused,
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation",
    "title": "Invalid request",
    "status": 422,
    "detail": "2 fields are invalid",
    "code": "validation",
    "errors": [
        {"field": "smtp.port", "message": "must be a whole number"},
        {"field": "provider_split", "message": "percentages must add up to 100, these add up to 90"}
    ]
}))]
pub struct Problem {
    /// A URI reference naming the problem type; stable, one per `code`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation`, `not_found`, `rate_limited`.
    pub code: String,
    /// For `validation`: every invalid field with its dotted path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Violation>,
    /// For `not_enough_seeds`: how many seeds the pool could give.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub available: Option<u32>,
}

impl ApiError {
    /// The stable code and title of the problem type.
    fn code_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad_request", "Bad request"),
            ApiError::MalformedJson(_) => ("malformed_json", "Malformed JSON"),
            ApiError::Validation(_) => ("validation", "Invalid request"),
            ApiError::Unauthorized | ApiError::MetricsUnauthorized => {
                ("unauthorized", "Unauthorized")
            }
            ApiError::Forbidden(_) => ("forbidden", "Forbidden"),
            ApiError::NotFound(_) | ApiError::MetricsDisabled => ("not_found", "Not found"),
            ApiError::MethodNotAllowed(_) => ("method_not_allowed", "Method not allowed"),
            ApiError::Conflict(_) => ("conflict", "Conflict"),
            ApiError::LimitReached(_) => ("limit_reached", "Limit reached"),
            ApiError::NotEnoughSeeds { .. } => ("not_enough_seeds", "Not enough seeds"),
            ApiError::PayloadTooLarge(_) => ("payload_too_large", "Payload too large"),
            ApiError::UnsupportedMediaType | ApiError::UnsupportedEncoding => {
                ("unsupported_media_type", "Unsupported media type")
            }
            ApiError::RateLimited { .. } => ("rate_limited", "Too many requests"),
            ApiError::IdempotencyInProgress => ("idempotency_in_progress", "Request in progress"),
            ApiError::IdempotencyKeyReused => ("idempotency_key_reused", "Idempotency key reused"),
            ApiError::Unavailable(_) => ("unavailable", "Service unavailable"),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let (code, title) = self.code_and_title();
        let errors = match self {
            ApiError::Validation(v) => v.clone(),
            _ => Vec::new(),
        };
        let detail = match self {
            ApiError::Validation(v) if v.len() == 1 => {
                format!("{}: {}", v[0].field, v[0].message)
            }
            ApiError::Validation(v) => format!("{} fields are invalid", v.len()),
            other => other.to_string(),
        };
        Problem {
            type_: format!("/problems/{}", code.replace('_', "-")),
            title: title.to_string(),
            status: self.status_code().as_u16(),
            detail,
            code: code.to_string(),
            errors,
            available: match self {
                ApiError::NotEnoughSeeds { available } => Some(*available),
                _ => None,
            },
        }
    }

    /// A single-field validation failure.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![Violation {
            field: field.into(),
            message: message.into(),
        }])
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::MalformedJson(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) | ApiError::IdempotencyKeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Unauthorized | ApiError::MetricsUnauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) | ApiError::MetricsDisabled => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_)
            | ApiError::LimitReached(_)
            | ApiError::NotEnoughSeeds { .. }
            | ApiError::IdempotencyInProgress => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType | ApiError::UnsupportedEncoding => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            // A cause may quote stored text (a tenant's or a server's): one log line whatever.
            tracing::error!(cause = %escape_control(cause), "request failed");
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            ApiError::Unauthorized | ApiError::MetricsUnauthorized => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            ApiError::RateLimited { retry_after, .. } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::Unavailable(_) => {
                res.insert_header((header::RETRY_AFTER, UNAVAILABLE_RETRY_AFTER));
            }
            ApiError::MethodNotAllowed(allowed) => {
                res.insert_header((header::ALLOW, allowed.join(", ")));
            }
            _ => {}
        }
        res.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(msg) => ApiError::Conflict(msg),
            StoreError::LimitReached(msg) => ApiError::LimitReached(msg),
            StoreError::NotEnoughSeeds { available } => ApiError::NotEnoughSeeds { available },
            StoreError::Db(db) => db.into(),
            StoreError::Corrupt(what) => ApiError::Internal(what),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        if warmup_entity::store::is_busy(&e) {
            tracing::warn!(cause = %escape_control(&e.to_string()), "the database is busy");
            return ApiError::Unavailable(BUSY.into());
        }
        ApiError::Internal(e.to_string())
    }
}

/// The detail of a 503 for a busy database.
const BUSY: &str = "the database is busy; retry after the Retry-After seconds";

/// Seconds a client waits before asking again after a 503.
const UNAVAILABLE_RETRY_AFTER: &str = "1";

/// A problem response for the OpenAPI document.
pub(crate) fn problem_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

pub(crate) fn problem_responses(
    list: &[(u16, &str)],
) -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
    list.iter()
        .map(|(status, description)| (status.to_string(), RefOr::T(problem_response(description))))
        .collect()
}

// The errors every operation of a kind can answer (401, 404, 422, ...) are added to the document
// by `docs::error_responses` from the operation's shape; these two depend on the operation's rules.

/// 409: a duplicate, or a state that forbids the change.
pub struct ConflictError;
impl utoipa::IntoResponses for ConflictError {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        problem_responses(&[(
            409,
            "Conflict: a duplicate resource, or a state that does not allow this",
        )])
    }
}

/// 403: the caller's key lacks a right.
pub struct ForbiddenError;
impl utoipa::IntoResponses for ForbiddenError {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        problem_responses(&[(403, "The API key lacks the right for this")])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_problems_name_every_field_and_use_422() {
        let e = ApiError::Validation(vec![
            Violation {
                field: "smtp.port".into(),
                message: "bad".into(),
            },
            Violation {
                field: "email".into(),
                message: "bad".into(),
            },
        ]);
        let p = e.problem();
        assert_eq!(p.status, 422);
        assert_eq!(p.code, "validation");
        assert_eq!(p.type_, "/problems/validation");
        assert_eq!(p.errors.len(), 2);
        let json = serde_json::to_value(&p).unwrap_or_default();
        assert_eq!(json["errors"][0]["field"], "smtp.port");
        assert_eq!(json["type"], "/problems/validation");
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let p = ApiError::Internal("password=hunter2 in SQL".into()).problem();
        assert_eq!(p.status, 500);
        assert!(!p.detail.contains("hunter2"));
    }
}
