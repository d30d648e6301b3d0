//! The OpenAPI document: collected from the routes themselves, so it cannot omit one.

use actix_web::App;
use utoipa::openapi::RefOr;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::idempotency::{IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MAX};
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
    servers((url = "/", description = "The service that serves this document")),
    components(schemas(
        crate::error::Problem,
        warmup_domain::Violation,
        crate::schema::PlacementClassFilter,
        crate::schema::EventOutcome,
        crate::schema::QueueState,
        crate::schema::DeletableQueueState,
        crate::csv_out::ResponseFormat,
        warmup_domain::placement::PlacementSource,
        warmup_domain::placement::ReportGroup,
        warmup_domain::placement_test::TestStatus
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness, readiness and metrics"),
        (name = "organizations", description = "Tenants (platform administrators)"),
        (name = "api-keys", description = "Keys of the caller's organization"),
        (name = "mailboxes", description = "Sender mailboxes"),
        (name = "seeds", description = "Seed accounts that receive and engage with warmup mail"),
        (name = "seed-splits", description = "Seed lists: an organization's slice of the seed pool for its own campaigns"),
        (name = "warmup", description = "Warmup preferences, start and pause, schedule preview"),
        (name = "placements", description = "Where warmup messages landed at the seeds and what the seeds did"),
        (name = "placement-tests", description = "One-off and scheduled placement tests: where one message lands at a few seeds"),
        (name = "reports", description = "Organization-wide placement reports, from daily rollups"),
        (name = "queue", description = "The send queue: list, flush deferred sends, delete sends that have not gone out"),
        (name = "domains", description = "Sending domains and their health: SPF, DKIM, DMARC, MX, reverse DNS, blocklists, placement, a score"),
        (name = "webhooks", description = "Signed webhooks (Standard Webhooks): endpoints, deliveries with every try, redelivery, a test event; the organization's alert thresholds"),
        (name = "diagnostics", description = "The SMTP troubleshooter: DNS, ports, greeting, STARTTLS, certificate, with a verdict"),
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
        components.add_security_scheme(
            "metrics_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The operator's `WARMUP_METRICS_TOKEN`, for Prometheus: \
                         `Authorization: Bearer <token>`",
                    ))
                    .build(),
            ),
        );
    }
}

/// The whole document, as the server serves it at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    error_responses(&mut api);
    links(&mut api);
    api
}

/// Links from each creating operation to the operations on what it created, so that a reader
/// (and a stateful test generator) knows the `id` of a created mailbox feeds `/mailboxes/{id}`.
fn links(api: &mut utoipa::openapi::OpenApi) {
    for (collection, noun) in [
        ("/v1/mailboxes", "mailbox"),
        ("/v1/seeds", "seed"),
        ("/v1/seed-splits", "split"),
    ] {
        let item_prefix = format!("{collection}/{{id}}");
        let mut targets: Vec<(String, String)> = Vec::new();
        for (path, item) in &api.paths.paths {
            if !path.starts_with(&item_prefix) {
                continue;
            }
            let operations = [&item.get, &item.put, &item.post, &item.delete, &item.patch];
            for op in operations.into_iter().flatten() {
                if let Some(id) = &op.operation_id {
                    targets.push((id.clone(), path.clone()));
                }
            }
        }
        let Some(create) = api
            .paths
            .paths
            .get_mut(collection)
            .and_then(|i| i.post.as_mut())
        else {
            continue;
        };
        let Some(RefOr::T(created)) = create.responses.responses.get_mut("201") else {
            continue;
        };
        for (operation_id, path) in targets {
            let name = format!(
                "{}{}",
                operation_id[..1].to_ascii_uppercase(),
                &operation_id[1..]
            );
            let link = LinkBuilder::new()
                .operation_id(operation_id)
                .parameter("id", "$response.body#/id")
                .description(format!("`{path}` of the {noun} just created"))
                .build();
            created.links.insert(name, RefOr::T(link));
        }
    }
}

/// Documents, on every operation, the errors the server's shared machinery can answer for it:
/// authentication and rate limits on `/v1`, body errors where a body is read, 404 where a path
/// names a resource, 422 where query parameters or an `Idempotency-Key` are checked. Deriving
/// them from the operation's shape keeps the document and the middleware from drifting apart.
fn error_responses(api: &mut utoipa::openapi::OpenApi) {
    for (path, item) in api.paths.paths.iter_mut() {
        // The middleware that authenticates and counts wraps `/v1`.
        let limited = path.starts_with("/v1/");
        let operations = [
            item.get.as_mut(),
            item.put.as_mut(),
            item.post.as_mut(),
            item.delete.as_mut(),
            item.patch.as_mut(),
        ];
        for op in operations.into_iter().flatten() {
            let params: Vec<_> = op
                .parameters
                .iter_mut()
                .flatten()
                .filter_map(|p| match p {
                    RefOr::T(p) => Some(p),
                    RefOr::Ref(_) => None,
                })
                .collect();
            let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
            let (in_path, in_query) = (has(ParameterIn::Path), has(ParameterIn::Query));
            let mut idempotent = false;
            for p in params {
                if p.name == IDEMPOTENCY_KEY {
                    idempotent = true;
                    p.schema = Some(RefOr::T(idempotency_key_schema()));
                }
            }
            // `security(())` (no key needed) is one empty requirement, not a secured operation.
            let secured = op
                .security
                .iter()
                .flatten()
                .any(|r| *r != SecurityRequirement::default());
            let body = op.request_body.is_some();
            let mut wanted: Vec<(u16, &str)> = Vec::new();
            if body {
                wanted.extend([
                    (400, "The body is not valid JSON"),
                    (413, "The body is larger than the configured limit"),
                    (415, "The body is not `application/json`"),
                    (422, "Invalid fields; `errors` names each one by its path"),
                ]);
            }
            if in_query && !body {
                wanted.push((422, "Invalid query parameters; `errors` names each one"));
            }
            if idempotent {
                wanted.extend([
                    (
                        409,
                        "A request with the same Idempotency-Key is still in progress",
                    ),
                    (
                        422,
                        "Invalid fields, or an Idempotency-Key used before for another request",
                    ),
                ]);
            }
            if in_path {
                wanted.push((404, "Not found in the caller's organization"));
            }
            if secured {
                wanted.push((401, "Missing, unknown or revoked API key"));
            }
            if limited {
                wanted.push((
                    503,
                    "The database is busy (a lock or a connection was not free in time); \
                     retry after `Retry-After` seconds",
                ));
                wanted.push((
                    429,
                    "Rate limit exceeded (the client address's without a valid key, the key's, \
                     or its organization's); retry after `Retry-After` seconds",
                ));
            }
            for (status, description) in wanted {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::T(crate::error::problem_response(description)));
            }
        }
    }
}

fn idempotency_key_schema() -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(IDEMPOTENCY_KEY_MAX))
            .pattern(Some("^[!-~]+$"))
            .examples([serde_json::json!("create-jane-2026-12-04")])
            .build(),
    )
}

/// The document as pretty JSON with a trailing newline, the form committed to the repository.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    fn operations() -> Vec<(String, String, Value)> {
        let doc = serde_json::to_value(super::openapi()).unwrap_or_default();
        let mut ops = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                ops.push((method.clone(), path.clone(), op.clone()));
            }
        }
        ops
    }

    /// Every `$ref` names a schema of the document: a parameter typed by a schema that no body
    /// uses is not collected on its own, and a dangling reference breaks every generated client.
    #[test]
    fn every_reference_resolves() {
        fn collect(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        match (k.as_str(), x.as_str()) {
                            ("$ref", Some(r)) => out.push(r.to_string()),
                            _ => collect(x, out),
                        }
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
                _ => {}
            }
        }
        let doc = serde_json::to_value(super::openapi()).unwrap_or_default();
        let schemas = doc["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut refs = Vec::new();
        collect(&doc, &mut refs);
        assert!(!refs.is_empty());
        for r in refs {
            let name = r.trim_start_matches("#/components/schemas/");
            assert!(
                r.starts_with("#/components/schemas/") && schemas.contains_key(name),
                "dangling {r}"
            );
        }
    }

    #[test]
    fn every_operation_has_its_own_camel_case_id_and_one_tag() {
        let ops = operations();
        assert!(ops.len() > 30, "{}", ops.len());
        let mut seen = BTreeSet::new();
        for (method, path, op) in &ops {
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(
                id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && id.chars().all(|c| c.is_ascii_alphanumeric()),
                "{method} {path}: operationId {id:?}"
            );
            assert!(seen.insert(id.to_string()), "{id} repeats");
            assert_eq!(op["tags"].as_array().map(Vec::len), Some(1), "{id}");
        }
    }

    #[test]
    fn every_response_is_described_and_every_error_is_a_problem() {
        for (method, path, op) in operations() {
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                let description = response["description"].as_str().unwrap_or_default();
                assert!(!description.is_empty(), "{method} {path} {status}");
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        response["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/Problem",
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }

    #[test]
    fn errors_follow_from_the_operation_s_shape() {
        for (method, path, op) in operations() {
            let has = |status: &str| op["responses"].get(status).is_some();
            let named = |place: &str| {
                op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["in"] == place)
            };
            if path.starts_with("/v1") {
                assert!(has("401") && has("429"), "{method} {path}");
            } else {
                assert!(!has("429"), "{method} {path}: only /v1 is rate limited");
            }
            let open = op["security"] == serde_json::json!([{}]);
            assert_eq!(
                open,
                !has("401"),
                "{method} {path}: 401 iff a key is needed"
            );
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(has(status), "{method} {path} {status}");
                }
            }
            if named("query") {
                assert!(has("422"), "{method} {path}");
            }
            if named("path") {
                assert!(has("404"), "{method} {path}");
            }
        }
    }

    #[test]
    fn lists_refer_to_their_item_schema() {
        let doc = serde_json::to_value(super::openapi()).unwrap_or_default();
        for (page, item) in [
            ("MailboxPage", "Mailbox"),
            ("SeedPage", "Seed"),
            ("ApiKeyPage", "ApiKey"),
            ("PlacementPage", "Placement"),
            ("WarmupEventPage", "WarmupEvent"),
        ] {
            assert_eq!(
                doc["components"]["schemas"][page]["properties"]["items"]["items"]["$ref"],
                format!("#/components/schemas/{item}"),
                "{page}"
            );
        }
    }
}
