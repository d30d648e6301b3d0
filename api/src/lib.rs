//! The HTTP API: actix-web handlers that translate requests to store calls and rows to JSON,
//! with auth, problem-details errors, idempotency, rate limits and the OpenAPI document.

pub mod auth;
pub mod docs;
pub mod error;
pub mod idempotency;
pub mod json_body;
pub mod metrics;
pub mod middleware;
pub mod pagination;
pub mod rate_limit;
pub mod routes;
pub mod server_input;
pub mod state;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpServer, web};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

pub use error::ApiError;
pub use state::{ApiSettings, AppState};

async fn not_found(req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    tracing::debug!(path = %req.path(), "no route");
    Err(ApiError::NotFound("route"))
}

/// Starts the HTTP server on an already bound listener (port 0 in tests).
pub fn serve(
    listener: TcpListener,
    state: web::Data<AppState>,
    workers: usize,
) -> std::io::Result<Server> {
    let spec = docs::openapi();
    let body_limit = state.settings.body_limit;
    let server = HttpServer::new(move || {
        let (app, _) = App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(body_limit))
            .app_data(
                web::PathConfig::default()
                    .error_handler(|_, _| ApiError::NotFound("resource").into()),
            )
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                ApiError::BadRequest(format!("invalid query string: {e}")).into()
            }))
            .wrap(from_fn(middleware::record_metrics))
            .wrap(TracingLogger::default())
            .into_utoipa_app()
            .configure(routes::configure)
            .split_for_parts();
        app.service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", spec.clone()))
            .default_service(web::to(not_found))
    })
    .workers(workers.max(1))
    .listen(listener)?
    .run();
    Ok(server)
}
