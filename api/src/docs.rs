//! The OpenAPI document: collected from the routes themselves, so it cannot omit one.

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "warmup",
        description = "Self-hostable email warmup and deliverability service.\n\n\
            Authenticate with `Authorization: Bearer <API key>`. Errors are RFC 9457 \
            `application/problem+json` documents with a stable `code`. Lists page with \
            `limit` and `after` and return `next` when there is more. POSTs that create \
            something accept an `Idempotency-Key` header.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    components(schemas(crate::error::Problem, warmup_domain::Violation)),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness, readiness and metrics"),
        (name = "organizations", description = "Tenants (platform administrators)"),
        (name = "api-keys", description = "Keys of the caller's organization"),
        (name = "mailboxes", description = "Sender mailboxes"),
        (name = "seeds", description = "Seed accounts that receive and engage with warmup mail"),
        (name = "warmup", description = "Warmup preferences, start and pause, schedule preview"),
        (name = "placements", description = "Where warmup messages landed at the seeds and what the seeds did"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key: `Authorization: Bearer wu_...`"))
                    .build(),
            ),
        );
    }
}

/// The whole document, as the server serves it at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    api
}

/// The document as pretty JSON with a trailing newline, the form committed to the repository.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
