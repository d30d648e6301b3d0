//! Liveness, readiness and metrics for orchestrators and Prometheus.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
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

/// Prometheus metrics in the Prometheus text exposition format.
#[utoipa::path(
    tag = "health",
    operation_id = "getMetrics",
    security(()),
    responses((
        status = 200,
        description = "Metrics as Prometheus text (`text/plain; version=0.0.4`)",
        body = String,
        content_type = "text/plain"
    ))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
