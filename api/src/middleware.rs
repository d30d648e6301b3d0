//! Cross-cutting request handling: rate limits and metrics.

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};

use crate::auth::bearer;
use crate::error::ApiError;
use crate::metrics::{RequestLabels, RouteLabels};
use crate::rate_limit::Decision;
use crate::state::AppState;

fn limiter_key(req: &ServiceRequest) -> String {
    match bearer(req.headers()) {
        // Keyed by a digest so that the limiter's memory never holds a usable key.
        Some(token) => format!("key:{}", warmup_entity::store::api_keys::digest(token)),
        None => format!(
            "ip:{}",
            req.peer_addr()
                .map(|a| a.ip().to_string())
                .unwrap_or_default()
        ),
    }
}

fn set_rate_headers(headers: &mut actix_web::http::header::HeaderMap, d: Decision) {
    for (name, value) in [
        ("ratelimit-limit", d.limit.to_string()),
        ("ratelimit-remaining", d.remaining.to_string()),
        ("ratelimit-reset", d.reset_secs.to_string()),
        ("ratelimit-policy", format!("{};w=60", d.limit)),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), v);
        }
    }
}

/// Refuses requests over the caller's limit with 429 and announces the limit on every answer.
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    let decision = state.limiter.check(&limiter_key(&req), Instant::now());
    if !decision.allowed {
        let mut res = ApiError::RateLimited {
            retry_after: decision.reset_secs,
        }
        .error_response();
        set_rate_headers(res.headers_mut(), decision);
        return Ok(req.into_response(res).map_into_right_body());
    }
    let mut res = next.call(req).await?;
    set_rate_headers(res.headers_mut(), decision);
    Ok(res.map_into_left_body())
}

/// Counts each answered request by method, route pattern and status.
pub async fn record_metrics(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    // Only standard methods become label values: arbitrary ones would grow the series forever.
    let method = match req.method().as_str() {
        m @ ("GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS") => m.to_string(),
        _ => "other".to_string(),
    };
    let res = next.call(req).await?;
    if let Some(state) = state {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_string());
        state
            .metrics
            .requests
            .get_or_create(&RequestLabels {
                method,
                route: route.clone(),
                status: res.status().as_u16(),
            })
            .inc();
        state
            .metrics
            .durations
            .get_or_create(&RouteLabels { route })
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(res)
}
