//! Liveness, readiness and metrics for orchestrators and Prometheus.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;

use crate::auth::bearer;
use crate::error::{ApiError, problem_responses};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the check passed.
    pub status: String,
}

/// The process is up.
#[utoipa::path(
    tag = "health",
    operation_id = "getHealth",
    responses((status = 200, description = "The process is up", body = Health)),
    security(())
)]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health {
        status: "ok".into(),
    })
}

/// The database answers.
#[utoipa::path(
    tag = "health",
    operation_id = "getReadiness",
    security(()),
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    state.db.ping().await.map_err(|e| {
        tracing::error!(error = %e, "readiness: database unreachable");
        ApiError::Unavailable("the database does not answer".into())
    })?;
    Ok(web::Json(Health {
        status: "ok".into(),
    }))
}

/// 401 and 404 of `getMetrics`.
struct MetricsRefusals;
impl utoipa::IntoResponses for MetricsRefusals {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        problem_responses(&[
            (
                401,
                "The metrics token is missing or wrong (`WWW-Authenticate: Bearer`)",
            ),
            (
                404,
                "Metrics are off: the operator has not set `WARMUP_METRICS_TOKEN`",
            ),
        ])
    }
}

/// Prometheus metrics in the Prometheus text exposition format, for the bearer of the
/// operator's `WARMUP_METRICS_TOKEN` (not an API key); off without one.
#[utoipa::path(
    tag = "health",
    operation_id = "getMetrics",
    security(("metrics_token" = [])),
    responses(
        (
            status = 200,
            description = "Metrics as Prometheus text (`text/plain; version=0.0.4`)",
            body = String,
            content_type = "text/plain"
        ),
        MetricsRefusals
    )
)]
#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let Some(token) = &state.settings.metrics_token else {
        return Err(ApiError::MetricsDisabled);
    };
    if !bearer(req.headers()).is_some_and(|t| token.matches(t)) {
        return Err(ApiError::MetricsUnauthorized);
    }
    let service = warmup_entity::store::metrics::snapshot(&state.db).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(service)))
}
