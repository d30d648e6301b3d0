//! `Idempotency-Key` on POST: the first request does the work and its answer is stored; a retry
//! with the same key and body gets that answer back and nothing is created twice. Stored answers
//! are encrypted like credentials: one of them may carry a newly issued API key.

use std::future::Future;

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use warmup_domain::Secret;
use warmup_entity::store::idempotency::{self, Claim};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// The header that makes a POST idempotent, as the server accepts it.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

const HEADER: &str = IDEMPOTENCY_KEY;

/// The rule the document states as the header's pattern and length.
fn valid_key(key: &str) -> bool {
    (1..=IDEMPOTENCY_KEY_MAX).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Runs `work` at most once per (API key, Idempotency-Key); without the header it just runs.
pub async fn once<T, F, Fut>(
    state: &AppState,
    caller: &Caller,
    req: &HttpRequest,
    body_digest: &str,
    status: StatusCode,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let key = match req.headers().get(HEADER) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .filter(|k| valid_key(k))
                .ok_or_else(|| {
                    ApiError::invalid(
                        HEADER,
                        format!(
                            "must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters without spaces"
                        ),
                    )
                })?
                .to_string(),
        ),
    };
    let Some(key) = key else {
        let value = work().await?;
        return Ok(json_response(
            status,
            serde_json::to_string(&value).unwrap_or_default(),
            false,
        ));
    };
    let fingerprint = format!("{} {} {}", req.method(), req.path(), body_digest);
    match idempotency::claim(
        &state.db,
        caller.key_id,
        &key,
        &fingerprint,
        state.clock.wall_now(),
    )
    .await?
    {
        Claim::Completed { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let body = state
                .secrets
                .open(&body, &context(caller, &key))
                .map_err(|e| ApiError::Internal(format!("stored idempotent answer: {e}")))?;
            Ok(json_response(status, body.expose().to_string(), true))
        }
        Claim::InProgress => Err(ApiError::IdempotencyInProgress),
        Claim::Mismatch => Err(ApiError::IdempotencyKeyReused),
        Claim::Claimed => match work().await {
            Ok(value) => {
                let body = serde_json::to_string(&value).unwrap_or_default();
                let sealed = state
                    .secrets
                    .seal(&Secret::new(body.clone()), &context(caller, &key));
                idempotency::complete(&state.db, caller.key_id, &key, status.as_u16(), &sealed)
                    .await?;
                Ok(json_response(status, body, false))
            }
            Err(e) => {
                idempotency::release(&state.db, caller.key_id, &key).await?;
                Err(e)
            }
        },
    }
}

fn context(caller: &Caller, key: &str) -> String {
    format!("idempotency:{}:{key}", caller.key_id)
}

fn json_response(status: StatusCode, body: String, replayed: bool) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    res.insert_header(ContentType::json());
    if replayed {
        res.insert_header(("Idempotent-Replayed", "true"));
    }
    res.body(body)
}
