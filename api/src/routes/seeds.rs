//! Seed accounts: the shared pool (platform administrators) and private seeds of an
//! organization.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use warmup_domain::{EmailAddress, Provider, SeedGroup, Violations};
use warmup_entity::seed;
use warmup_entity::store::seeds;

use crate::auth::Caller;
use crate::error::{ApiError, ConflictError, ForbiddenError};
use crate::idempotency;
use crate::json_body::Body;
use crate::pagination::PageQuery;
use crate::server_input::{
    ConnectionTest, Defaults, NewServer, Protocol, ServerInput, ServerOutput, apply, output,
    run_connection_test,
};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "email": "seed.anna@outlook.com",
    "provider": "outlook",
    "imap": {"password": "app-password"},
    "smtp": {"password": "app-password"},
    "group": "standard"
}))]
pub struct CreateSeed {
    #[schema(value_type = crate::schema::EmailAddress)]
    pub email: String,
    pub provider: Provider,
    /// IMAP server the seed is read through; for named providers only `password` is needed.
    pub imap: NewServer,
    /// Submission server the seed replies through.
    pub smtp: NewServer,
    /// `standard` (default) or `premium`.
    pub group: Option<SeedGroup>,
    /// Default true.
    pub active: Option<bool>,
    /// Put the seed in the shared pool every organization uses (platform administrators
    /// only). Default false: a private seed of the caller's organization.
    pub shared: Option<bool>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateSeed {
    #[schema(value_type = Option<crate::schema::EmailAddress>)]
    pub email: Option<String>,
    pub provider: Option<Provider>,
    pub imap: Option<ServerInput>,
    pub smtp: Option<ServerInput>,
    pub group: Option<SeedGroup>,
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Seed {
    pub id: Uuid,
    #[schema(value_type = crate::schema::EmailAddress)]
    pub email: String,
    pub provider: Provider,
    /// The seed's IMAP server: for the organization's own seeds, and for platform
    /// administrators; absent for a shared seed shown to a tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub imap: Option<ServerOutput>,
    /// The seed's SMTP server, shown like `imap`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub smtp: Option<ServerOutput>,
    pub group: SeedGroup,
    pub active: bool,
    /// True for the shared pool, false for the organization's own seed.
    pub shared: bool,
    /// Seed-list splits the seed is in now (its load in the pool): in `GET /v1/seeds/{id}`,
    /// for the organization's own seeds and for platform administrators.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub splits_count: Option<u32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::page_of!(
    /// Seeds visible to the organization, one page.
    SeedPage,
    Seed
);

impl Seed {
    /// The seed as `caller` may see it: a shared seed's servers and logins are the platform's,
    /// shown to its administrators only.
    fn shown_to(m: seed::Model, caller: &Caller) -> Self {
        let servers = m.organization_id.is_some() || caller.platform_admin;
        Self {
            imap: servers.then(|| output(&m, Protocol::Imap)),
            smtp: servers.then(|| output(&m, Protocol::Smtp)),
            id: m.id,
            email: m.email,
            provider: m.provider.parse().unwrap_or(Provider::Smtp),
            group: SeedGroup::parse(&m.seed_group).unwrap_or(SeedGroup::Standard),
            active: m.active,
            shared: m.organization_id.is_none(),
            splits_count: None,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

fn blank(owner: Option<Uuid>, now: chrono::DateTime<chrono::Utc>) -> seed::Model {
    seed::Model {
        id: Uuid::now_v7(),
        organization_id: owner,
        scope_key: String::new(),
        email: String::new(),
        provider: String::new(),
        seed_group: SeedGroup::Standard.as_str().into(),
        active: true,
        imap_host: String::new(),
        imap_port: 0,
        imap_security: String::new(),
        imap_username: String::new(),
        imap_password: String::new(),
        smtp_host: String::new(),
        smtp_port: 0,
        smtp_security: String::new(),
        smtp_username: String::new(),
        smtp_password: String::new(),
        created_at: now,
        updated_at: now,
    }
}

/// A seed the caller may see, or 404.
async fn find(state: &AppState, caller: &Caller, id: Uuid) -> Result<seed::Model, ApiError> {
    seeds::get_visible(&state.db, caller.org, id)
        .await?
        .ok_or(ApiError::NotFound("seed"))
}

/// A seed the caller may change: its own, or any shared one for platform administrators.
async fn find_writable(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<seed::Model, ApiError> {
    let row = find(state, caller, id).await?;
    if row.organization_id.is_none() && !caller.platform_admin {
        return Err(ApiError::Forbidden(
            "seeds of the shared pool are managed by platform administrators".into(),
        ));
    }
    Ok(row)
}

/// Add a seed account.
#[utoipa::path(
    tag = "seeds",
    operation_id = "createSeed",
    request_body = CreateSeed,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    responses((status = 201, description = "The new seed", body = Seed), ForbiddenError, ConflictError),
    security(("api_key" = []))
)]
#[post("/seeds")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Body<CreateSeed>,
) -> Result<HttpResponse, ApiError> {
    let shared = body.value.shared.unwrap_or(false);
    if shared {
        caller.require_admin()?;
    }
    idempotency::once(
        &state,
        &caller,
        &req,
        &body.digest,
        StatusCode::CREATED,
        || async {
            let input = &body.value;
            let mut v = Violations::new();
            let mut row = blank((!shared).then_some(caller.org.0), state.clock.now());
            let email = v.check("email", EmailAddress::parse(&input.email));
            let email_text = email.as_ref().map(|e| e.to_string()).unwrap_or_default();
            for (protocol, server) in [(Protocol::Imap, &input.imap), (Protocol::Smtp, &input.smtp)]
            {
                apply(
                    &mut row,
                    protocol,
                    Some(&ServerInput::from(server)),
                    &Defaults {
                        provider: input.provider,
                        email: &email_text,
                        creating: true,
                        secrets: &state.secrets,
                    },
                    &mut v,
                );
            }
            if !v.is_empty() {
                return Err(ApiError::Validation(v.into_vec()));
            }
            row.email = email_text;
            row.provider = input.provider.as_str().into();
            row.seed_group = input.group.unwrap_or(SeedGroup::Standard).as_str().into();
            row.active = input.active.unwrap_or(true);
            Ok(Seed::shown_to(
                seeds::insert(&state.db, row).await?,
                &caller,
            ))
        },
    )
    .await
}

/// List the shared pool and the organization's own seeds, oldest first.
#[utoipa::path(
    tag = "seeds",
    operation_id = "listSeeds",
    params(PageQuery),
    responses((status = 200, description = "One page of seeds", body = SeedPage)),
    security(("api_key" = []))
)]
#[get("/seeds")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<SeedPage>, ApiError> {
    let page = seeds::list_visible(&state.db, caller.org, query.parse()?).await?;
    Ok(web::Json(page.map(|m| Seed::shown_to(m, &caller)).into()))
}

/// Get one seed.
#[utoipa::path(
    tag = "seeds",
    operation_id = "getSeed",
    params(("id" = Uuid, Path, description = "Seed id")),
    responses((status = 200, description = "The seed", body = Seed)),
    security(("api_key" = []))
)]
#[get("/seeds/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Seed>, ApiError> {
    let row = find(&state, &caller, *id).await?;
    let load = if row.organization_id.is_some() || caller.platform_admin {
        Some(
            warmup_entity::store::seed_splits::splits_count(&state.db, row.id, state.clock.now())
                .await?,
        )
    } else {
        None
    };
    let mut seed = Seed::shown_to(row, &caller);
    seed.splits_count = load;
    Ok(web::Json(seed))
}

/// Change some fields of a seed.
#[utoipa::path(
    tag = "seeds",
    operation_id = "updateSeed",
    params(("id" = Uuid, Path, description = "Seed id")),
    request_body = UpdateSeed,
    responses((status = 200, description = "The seed as changed", body = Seed), ForbiddenError, ConflictError),
    security(("api_key" = []))
)]
#[patch("/seeds/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Body<UpdateSeed>,
) -> Result<web::Json<Seed>, ApiError> {
    let mut row = find_writable(&state, &caller, *id).await?;
    let input = body.value;
    let mut v = Violations::new();
    if let Some(raw) = &input.email
        && let Some(e) = v.check("email", EmailAddress::parse(raw))
    {
        row.email = e.to_string();
    }
    let provider = input
        .provider
        .unwrap_or_else(|| row.provider.parse().unwrap_or(Provider::Smtp));
    row.provider = provider.as_str().into();
    if let Some(g) = input.group {
        row.seed_group = g.as_str().into();
    }
    if let Some(a) = input.active {
        row.active = a;
    }
    let email = row.email.clone();
    let defaults = Defaults {
        provider,
        email: &email,
        creating: false,
        secrets: &state.secrets,
    };
    apply(
        &mut row,
        Protocol::Imap,
        input.imap.as_ref(),
        &defaults,
        &mut v,
    );
    apply(
        &mut row,
        Protocol::Smtp,
        input.smtp.as_ref(),
        &defaults,
        &mut v,
    );
    if !v.is_empty() {
        return Err(ApiError::Validation(v.into_vec()));
    }
    row.updated_at = state.clock.now();
    let saved = seeds::update(&state.db, row)
        .await?
        .ok_or(ApiError::NotFound("seed"))?;
    Ok(web::Json(Seed::shown_to(saved, &caller)))
}

/// Delete a seed.
#[utoipa::path(
    tag = "seeds",
    operation_id = "deleteSeed",
    params(("id" = Uuid, Path, description = "Seed id")),
    responses((status = 204, description = "Deleted"), ForbiddenError),
    security(("api_key" = []))
)]
#[delete("/seeds/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = find_writable(&state, &caller, *id).await?;
    seeds::delete(&state.db, row.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Log in to the seed's IMAP and SMTP servers and report each step.
#[utoipa::path(
    tag = "seeds",
    operation_id = "testSeedConnection",
    params(("id" = Uuid, Path, description = "Seed id")),
    responses((status = 200, description = "Each step of logging in to the SMTP and IMAP servers, passed or not", body = ConnectionTest), ForbiddenError),
    security(("api_key" = []))
)]
#[post("/seeds/{id}/connection-test")]
pub async fn connection_test(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<ConnectionTest>, ApiError> {
    let row = find_writable(&state, &caller, *id).await?;
    Ok(web::Json(run_connection_test(&state, &row).await?))
}
