//! HTTP routes: each module translates requests to store calls and rows to JSON.

pub mod alert_rules;
pub mod api_keys;
pub mod diagnostics;
pub mod domains;
pub mod health;
pub mod mailboxes;
pub mod organizations;
pub mod placement_tests;
pub mod placements;
pub mod queue;
pub mod reports;
pub mod seed_splits;
pub mod seeds;
pub mod send_errors;
pub mod warmup;
pub mod webhooks;

use actix_web::middleware::from_fn;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::middleware::limit_and_authenticate;

/// Registers every route, so the server and the OpenAPI document see the same set.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(
            scope::scope("/v1")
                .wrap(from_fn(limit_and_authenticate))
                .service(organizations::create)
                .service(api_keys::create)
                .service(api_keys::list)
                .service(api_keys::revoke)
                .service(mailboxes::create)
                .service(mailboxes::list)
                .service(mailboxes::get)
                .service(mailboxes::update)
                .service(mailboxes::delete)
                .service(mailboxes::connection_test)
                .service(mailboxes::verify)
                .service(seeds::create)
                .service(seeds::list)
                .service(seeds::get)
                .service(seeds::update)
                .service(seeds::delete)
                .service(seeds::connection_test)
                .service(seed_splits::create)
                .service(seed_splits::list)
                .service(seed_splits::get)
                .service(seed_splits::update)
                .service(seed_splits::delete)
                .service(seed_splits::addresses)
                .service(seed_splits::rotate)
                .service(seed_splits::placements)
                .service(seed_splits::summary)
                .service(warmup::get_settings)
                .service(warmup::put_settings)
                .service(warmup::patch_settings)
                .service(warmup::start)
                .service(warmup::pause)
                .service(warmup::schedule)
                .service(warmup::stats)
                .service(warmup::events)
                .service(placements::list)
                .service(placements::summary)
                .service(reports::placement)
                .service(placement_tests::create)
                .service(placement_tests::list)
                .service(placement_tests::get)
                .service(placement_tests::delete)
                .service(placement_tests::schedules)
                .service(placement_tests::delete_schedule)
                .service(warmup::get_defaults)
                .service(warmup::put_defaults)
                .service(warmup::apply)
                .service(warmup::patterns)
                .service(send_errors::list)
                .service(queue::list)
                .service(queue::flush)
                .service(queue::delete_matching)
                .service(queue::delete_one)
                .service(diagnostics::smtp)
                .service(domains::list)
                .service(domains::create)
                .service(domains::get)
                .service(domains::delete)
                .service(domains::check)
                .service(domains::health)
                .service(domains::history)
                .service(webhooks::create)
                .service(webhooks::list)
                .service(webhooks::get)
                .service(webhooks::update)
                .service(webhooks::delete)
                .service(webhooks::rotate_secret)
                .service(webhooks::deliveries)
                .service(webhooks::delivery)
                .service(webhooks::redeliver)
                .service(webhooks::test)
                .service(alert_rules::get)
                .service(alert_rules::put),
        );
}

/// The paths of the document and the methods each takes, to tell a wrong method (405) from an
/// unknown path (404).
pub struct KnownPaths(Vec<(Vec<String>, Vec<&'static str>)>);

impl KnownPaths {
    pub fn from_document(api: &utoipa::openapi::OpenApi) -> Self {
        let mut known: Vec<_> = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ];
                let allowed = methods.iter().filter(|m| m.1).map(|m| m.0).collect();
                (segments(path), allowed)
            })
            .collect();
        // Served beside the document rather than described in it.
        for path in ["/openapi.json", "/docs"] {
            known.push((segments(path), vec!["GET"]));
        }
        Self(known)
    }

    /// The methods of the path without parameters that is exactly `path`, if there is one.
    pub fn literal_methods(&self, path: &str) -> Option<Vec<&'static str>> {
        let asked = segments(path);
        self.0
            .iter()
            .find(|(template, _)| *template == asked)
            .map(|(_, methods)| methods.clone())
    }

    /// The methods `path` takes, or `None` when no route has that shape. A path without
    /// parameters wins over a template it also fits (`/v1/queue/flush` over `{send_id}`).
    pub fn methods(&self, path: &str) -> Option<Vec<&'static str>> {
        if let Some(m) = self.literal_methods(path) {
            return Some(m);
        }
        let asked: Vec<&str> = path.split('/').collect();
        self.0.iter().find_map(|(template, methods)| {
            let fits = template.len() == asked.len()
                && template.iter().zip(&asked).all(|(t, a)| {
                    if t.starts_with('{') {
                        !a.is_empty()
                    } else {
                        t == a
                    }
                });
            fits.then(|| methods.clone())
        })
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/').map(str::to_string).collect()
}

/// A query string that does not fit its parameters, as a validation problem: serde's wording
/// (`duplicate field`, `Query deserialize error`) means nothing to a client.
pub fn query_error(cause: &str) -> crate::ApiError {
    let duplicate = cause
        .split_once("duplicate field `")
        .and_then(|(_, rest)| rest.split('`').next());
    match duplicate {
        Some(name) => crate::ApiError::invalid(name, "must be given at most once"),
        None => crate::ApiError::invalid("query", "is not a valid query string for this operation"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_tell_a_wrong_method_from_an_unknown_path() {
        let known = KnownPaths::from_document(&crate::docs::openapi());
        assert_eq!(known.methods("/v1/mailboxes"), Some(vec!["GET", "POST"]));
        assert_eq!(
            known.methods("/v1/mailboxes/0190f1d2-0000-7000-8000-000000000000"),
            Some(vec!["GET", "DELETE", "PATCH"])
        );
        assert_eq!(known.methods("/openapi.json"), Some(vec!["GET"]));
        assert_eq!(known.methods("/v1/nothing"), None);
        assert_eq!(known.methods("/v1/queue/flush"), Some(vec!["POST"]));
        assert_eq!(
            known.methods("/v1/queue/0190f1d2-0000-7000-8000-000000000000"),
            Some(vec!["DELETE"])
        );
        assert_eq!(known.methods("/v1/mailboxes/"), None);
        assert_eq!(known.methods("/v1/mailboxes//warmup"), None);
    }

    #[test]
    fn query_errors_name_the_parameter_in_plain_words() {
        let p = query_error("Query deserialize error: duplicate field `limit`").problem();
        assert_eq!((p.status, p.errors[0].field.as_str()), (422, "limit"));
        let p = query_error("Query deserialize error: something else").problem();
        assert_eq!(p.errors[0].field, "query");
        assert!(!p.detail.contains("deserialize"), "{}", p.detail);
    }
}
