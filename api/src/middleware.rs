//! Cross-cutting request handling: authentication with rate limits, and metrics.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Instant, SystemTime};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, ResponseError, web};

use crate::auth::{self, bearer};
use crate::error::ApiError;
use crate::metrics::{RequestLabels, RouteLabels};
use crate::rate_limit::{Decision, client_network, decide, now_ms};
use crate::state::AppState;
use warmup_entity::store::rate_windows;

fn set_rate_headers(headers: &mut HeaderMap, d: Decision) {
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

/// Answers `req` with `error`, announcing the limit it was counted against.
fn answer<B>(
    req: ServiceRequest,
    error: ApiError,
    counted: Option<Decision>,
) -> ServiceResponse<EitherBody<B>> {
    let mut res = error.error_response();
    if let Some(d) = counted {
        set_rate_headers(res.headers_mut(), d);
    }
    req.into_response(res).map_into_right_body()
}

/// A 429 for the limit `d` of `scope`, or `None` when `d` allowed the request.
fn over(d: Decision, scope: &'static str) -> Option<ApiError> {
    (!d.allowed).then_some(ApiError::RateLimited {
        retry_after: d.reset_secs,
        scope,
    })
}

const CLIENT_SCOPE: &str = "from this address without a valid API key";
const KEY_SCOPE: &str = "for this API key";

/// Authenticates a `/v1` request and holds it to its limits, announced on every answer. A
/// request without a valid key counts against its client network's limit *before* its key is
/// looked up, so that a flood of made-up keys is refused without a database query; an
/// authenticated one counts against its key's limit and its organization's, in the database
/// that every API process shares. The caller is left in the request for the [`auth::Caller`]
/// extractor.
pub async fn limit_and_authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    let limits = &state.limits;
    let now = now_ms(SystemTime::now());
    // No reverse-proxy header is trusted: a client could name any address in it.
    let client = client_network(
        req.peer_addr()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip()),
    );
    let presented = bearer(req.headers()).map(|t| (t.to_owned(), crate::token::digest(t)));
    let known = presented
        .as_ref()
        .is_some_and(|(_, digest)| limits.keys.contains(digest));
    let mut counted = None;
    match &presented {
        // A key this process has seen work is refused before it is looked up while the window
        // it last learnt of is spent: a flood past the limit costs no database query.
        Some((_, digest)) if known => {
            if let Some(d) = limits.keys.spent(digest, now) {
                let refused = over(d, KEY_SCOPE).unwrap_or(ApiError::Unauthorized);
                return Ok(answer(req, refused, Some(d)));
            }
        }
        _ => {
            let d = limits.clients.check(&client, now);
            if let Some(refused) = over(d, CLIENT_SCOPE) {
                return Ok(answer(req, refused, Some(d)));
            }
            counted = Some(d);
        }
    }
    let caller = match &presented {
        None => None,
        Some((token, digest)) => match auth::authenticate(&state, token).await {
            Ok(Some(caller)) => Some((caller, *digest)),
            Ok(None) => {
                // A revoked key: its next try counts against its address again.
                limits.keys.forget(digest);
                None
            }
            Err(e) => return Ok(answer(req, e, counted)),
        },
    };
    let Some((caller, digest)) = caller else {
        let d = counted.unwrap_or_else(|| limits.clients.check(&client, now));
        let refused = over(d, CLIENT_SCOPE).unwrap_or(ApiError::Unauthorized);
        return Ok(answer(req, refused, Some(d)));
    };
    let (by_key, by_org) = match shared_counts(&state, &digest, caller.org, now).await {
        Ok(d) => d,
        Err(e) => {
            // A busy or failing database must not refuse every request: meanwhile the key is
            // held to what this process counts of it.
            tracing::warn!(error = %e, "could not count a request in the database; this process's count applies");
            let d = limits.keys.check(&digest, now);
            (d, d)
        }
    };
    if let Some(refused) = over(by_key, KEY_SCOPE) {
        return Ok(answer(req, refused, Some(by_key)));
    }
    // The key's request is spent even when its organization refuses it: rarely more than one.
    if let Some(refused) = over(by_org, "for this organization (all its API keys together)") {
        return Ok(answer(req, refused, Some(by_org)));
    }
    req.extensions_mut().insert(caller);
    // The limit closer to its end is the one the client must pace itself by.
    let shown = if by_org.remaining < by_key.remaining {
        by_org
    } else {
        by_key
    };
    let mut res = next.call(req).await?;
    set_rate_headers(res.headers_mut(), shown);
    Ok(res.map_into_left_body())
}

/// Counts the request against its key and its organization in the database, where every API
/// process counts: the decisions for both. The key's window is remembered here, which also lets
/// the key past the client limit from now on.
async fn shared_counts(
    state: &AppState,
    digest: &[u8; 32],
    org: warmup_entity::OrgId,
    now: i64,
) -> Result<(Decision, Decision), ApiError> {
    use base64::Engine;
    // The digest, never the key: the table holds nothing a caller could use.
    let key = format!(
        "key:{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    );
    let organization = format!("org:{}", org.0);
    let counted = rate_windows::count(&state.db, &[&key, &organization], now).await?;
    let window = |i: usize| {
        let (started, used) = counted.get(i).copied().unwrap_or((now, 1));
        (started, u64::try_from(used).unwrap_or(1))
    };
    let (key_started, key_used) = window(0);
    let (org_started, org_used) = window(1);
    let limits = &state.limits;
    limits.keys.learn(digest, key_started, key_used);
    let by_key = decide(key_started, key_used, limits.keys.limit(), now);
    if !by_key.allowed {
        // Refused for its key, the request is no request of its organization's: taken back
        // (rare: a process that learnt the key is spent refuses it without counting).
        if let Err(e) = rate_windows::uncount(&state.db, &organization, org_started).await {
            tracing::warn!(error = %e, "could not take back a refused request's count");
        }
    }
    Ok((
        by_key,
        decide(org_started, org_used, limits.organization_limit, now),
    ))
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
