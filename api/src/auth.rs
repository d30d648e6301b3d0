//! Who is calling: the API key in `Authorization: Bearer <key>` and the organization it
//! belongs to. Handlers get an [`OrgId`] only through the [`Caller`] extractor.

use actix_web::dev::Payload;
use actix_web::http::header::{AUTHORIZATION, HeaderMap};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures::future::{Ready, ready};
use uuid::Uuid;
use warmup_entity::OrgId;
use warmup_entity::store::api_keys;

use crate::error::ApiError;
use crate::state::AppState;

/// An authenticated caller.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub org: OrgId,
    pub key_id: Uuid,
    pub platform_admin: bool,
}

impl Caller {
    /// Refuses callers that are not platform admins.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.platform_admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "this needs a platform administrator's API key".into(),
            ))
        }
    }
}

/// The bearer token of a request, if it carries one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The caller `token` authenticates, or `None` for an unknown or revoked key.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Option<Caller>, ApiError> {
    let Some(key) = api_keys::authenticate(&state.db, token).await? else {
        return Ok(None);
    };
    if let Err(e) = api_keys::touch(&state.db, &key, state.clock.now()).await {
        tracing::warn!(error = %e, "could not record API key use");
    }
    Ok(Some(Caller {
        org: OrgId(key.organization_id),
        key_id: key.id,
        platform_admin: key.platform_admin,
    }))
}

/// The caller left in the request by `middleware::limit_and_authenticate`, which authenticates
/// before the limits are counted: the client's limit comes before the key's lookup.
impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Caller>()
                .copied()
                .ok_or(ApiError::Unauthorized),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    #[test]
    fn reads_bearer_tokens_case_insensitively_and_nothing_else() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(AUTHORIZATION, HeaderValue::from_static("bearer abc"));
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer(&h), None);
    }
}
