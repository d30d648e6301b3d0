//! HTTP routes: each module translates requests to store calls and rows to JSON.

pub mod api_keys;
pub mod health;
pub mod mailboxes;
pub mod organizations;
pub mod placements;
pub mod seeds;
pub mod warmup;

use actix_web::middleware::from_fn;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::middleware::rate_limit;

/// Registers every route, so the server and the OpenAPI document see the same set.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(
            scope::scope("/v1")
                .wrap(from_fn(rate_limit))
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
                .service(seeds::create)
                .service(seeds::list)
                .service(seeds::get)
                .service(seeds::update)
                .service(seeds::delete)
                .service(seeds::connection_test)
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
                .service(warmup::get_defaults)
                .service(warmup::put_defaults)
                .service(warmup::apply)
                .service(warmup::patterns),
        );
}
