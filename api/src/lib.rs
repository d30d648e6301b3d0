//! The HTTP API: actix-web handlers that translate requests to store calls and rows to JSON,
//! with auth, problem-details errors, idempotency, rate limits and the OpenAPI document.

pub mod auth;
pub mod csv_out;
pub mod docs;
pub mod error;
pub mod idempotency;
pub mod json_body;
pub mod metrics;
pub mod middleware;
pub mod pagination;
pub mod rate_limit;
pub mod routes;
pub mod schema;
pub mod server_input;
pub mod state;
pub mod token;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpServer, web};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

pub use error::ApiError;
pub use state::{ApiSettings, AppState};

/// No route took the request: a known path with another method is a 405 naming the allowed
/// ones, anything else a 404.
async fn no_route(
    req: HttpRequest,
    routes: web::Data<routes::KnownPaths>,
) -> Result<actix_web::HttpResponse, ApiError> {
    match routes.methods(req.path()) {
        Some(allowed) => Err(ApiError::MethodNotAllowed(allowed)),
        None => {
            tracing::debug!(path = %req.path(), "no route");
            Err(ApiError::NotFound("route"))
        }
    }
}

/// `/docs` is where people type; the UI lives under `/docs/`.
async fn docs_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "/docs/"))
        .finish()
}

/// Starts the HTTP server on an already bound listener (port 0 in tests).
pub fn serve(
    listener: TcpListener,
    state: web::Data<AppState>,
    workers: usize,
) -> std::io::Result<Server> {
    let spec = docs::openapi();
    let known = web::Data::new(routes::KnownPaths::from_document(&spec));
    let body_limit = state.settings.body_limit;
    let server = HttpServer::new(move || {
        let (app, _) = App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(body_limit))
            .app_data(web::PathConfig::default().error_handler(|_, req| {
                // `DELETE /v1/queue/flush` fits `/v1/queue/{send_id}`, but the path is the
                // literal `/v1/queue/flush`, which takes another method.
                let literal = req
                    .app_data::<web::Data<routes::KnownPaths>>()
                    .and_then(|k| k.literal_methods(req.path()));
                match literal {
                    Some(allowed) if !allowed.contains(&req.method().as_str()) => {
                        ApiError::MethodNotAllowed(allowed).into()
                    }
                    _ => ApiError::NotFound("resource").into(),
                }
            }))
            .app_data(known.clone())
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|e, _| routes::query_error(&e.to_string()).into()),
            )
            .wrap(from_fn(middleware::record_metrics))
            .wrap(TracingLogger::default())
            .into_utoipa_app()
            .configure(routes::configure)
            .split_for_parts();
        app.route("/docs", web::get().to(docs_redirect))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", spec.clone()))
            .default_service(web::to(no_route))
    })
    .workers(workers.max(1))
    .listen(listener)?
    .run();
    Ok(server)
}
