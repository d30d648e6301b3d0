//! Sender mailboxes.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use warmup_domain::timezone::parse_time_zone;
use warmup_domain::verification::{Identity, VerificationStatus, change_needs_verification};
use warmup_domain::{EmailAddress, MailboxStatus, Provider, Secret, Violations};
use warmup_entity::mailbox;
use warmup_entity::store::{mailboxes, verification};

use crate::auth::Caller;
use crate::error::{ApiError, ConflictError};
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
    "email": "jane@acme.com",
    "provider": "google_workspace",
    "smtp": {"password": "app-password"},
    "imap": {"password": "app-password"},
    "timezone": "Europe/Berlin"
}))]
pub struct CreateMailbox {
    /// The sender address.
    #[schema(value_type = crate::schema::EmailAddress)]
    pub email: String,
    /// Name shown in From; defaults to the part of the address before `@`.
    #[schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub display_name: Option<String>,
    pub provider: Provider,
    /// Submission server; for named providers only `password` is needed.
    pub smtp: NewServer,
    /// IMAP server; for named providers only `password` is needed.
    pub imap: NewServer,
    /// IANA time zone of the mailbox's owner (default `UTC`).
    #[schema(value_type = Option<crate::schema::TimeZone>)]
    pub timezone: Option<String>,
    /// `active` (default) or `paused`.
    #[schema(value_type = Option<crate::schema::SettableMailboxStatus>)]
    pub status: Option<MailboxStatus>,
    /// Sign warmup mail with this DKIM key (it must be a readable RSA key: a 422 names it
    /// otherwise).
    pub dkim: Option<DkimInput>,
}

/// Room for a 8192-bit RSA key in PEM with its armour; the document states the same ceiling.
pub const MAX_DKIM_KEY_CHARS: usize = 16384;

/// A DKIM key to sign with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DkimInput {
    /// The selector under which the public key is published (`<selector>._domainkey.<domain>`):
    /// a DNS label or dot-separated labels.
    #[schema(
        min_length = 1,
        max_length = 253,
        pattern = r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$",
        example = "s1"
    )]
    pub selector: String,
    /// The signing domain; defaults to the domain of the mailbox's address.
    #[schema(value_type = Option<crate::schema::HostName>)]
    pub domain: Option<String>,
    /// Write-only: an RSA private key in PEM (PKCS#1 or PKCS#8), stored encrypted.
    #[schema(value_type = String, format = Password, write_only, min_length = 1, max_length = 16384)]
    pub private_key: Secret,
}

/// The DKIM key a mailbox signs with, without the key itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct DkimOutput {
    pub selector: String,
    pub domain: String,
    /// Always true: a private key is stored (it is never returned).
    pub private_key_set: bool,
}

/// `null` and absent differ for PATCH: absent keeps, `null` removes.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Validates a DKIM input and writes it (sealed) into the row.
fn apply_dkim(
    row: &mut mailbox::Model,
    input: Option<&DkimInput>,
    secrets: &warmup_entity::secret_box::SecretBox,
    v: &mut Violations,
) {
    let Some(d) = input else {
        row.dkim_selector = None;
        row.dkim_domain = None;
        row.dkim_private_key = None;
        return;
    };
    let selector = d.selector.trim().to_ascii_lowercase();
    if !warmup_domain::mail_server::is_host_name(&selector) {
        v.add(
            "dkim.selector",
            "must be a DNS label such as s1 or mail2026",
        );
    }
    let email_domain = row
        .email
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let domain = match &d.domain {
        Some(raw) => v.check("dkim.domain", warmup_domain::mail_server::parse_host(raw)),
        None => Some(email_domain),
    };
    if d.private_key.expose().chars().count() > MAX_DKIM_KEY_CHARS {
        v.add(
            "dkim.private_key",
            format!("must be at most {MAX_DKIM_KEY_CHARS} characters of PEM"),
        );
    } else if let Err(e) = warmup_mail::dkim::validate_key(d.private_key.expose()) {
        v.add(
            "dkim.private_key",
            format!("must be an RSA private key in PEM ({e})"),
        );
    }
    if v.is_empty() {
        row.dkim_selector = Some(selector);
        row.dkim_domain = domain;
        row.dkim_private_key = Some(secrets.seal(
            &d.private_key,
            &warmup_entity::secret_box::context("mailbox", row.id, "dkim"),
        ));
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Jane Doe", "timezone": "America/New_York", "status": "paused"}))]
pub struct UpdateMailbox {
    #[schema(value_type = Option<crate::schema::EmailAddress>)]
    pub email: Option<String>,
    #[schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub display_name: Option<String>,
    pub provider: Option<Provider>,
    /// Fields to change; omitted ones (the password included) keep their value.
    pub smtp: Option<ServerInput>,
    pub imap: Option<ServerInput>,
    #[schema(value_type = Option<crate::schema::TimeZone>)]
    pub timezone: Option<String>,
    /// `active` or `paused`; `error` is set only by the service.
    #[schema(value_type = Option<crate::schema::SettableMailboxStatus>)]
    pub status: Option<MailboxStatus>,
    /// A new DKIM key, or `null` to stop signing.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DkimInput>)]
    pub dkim: Option<Option<DkimInput>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b",
    "email": "jane@acme.com",
    "display_name": "jane",
    "provider": "google_workspace",
    "smtp": {"host": "smtp.gmail.com", "port": 465, "security": "tls", "username": "jane@acme.com", "password_set": true},
    "imap": {"host": "imap.gmail.com", "port": 993, "security": "tls", "username": "jane@acme.com", "password_set": true},
    "timezone": "Europe/Berlin",
    "status": "active",
    "created_at": "2026-12-01T09:30:00Z",
    "updated_at": "2026-12-01T09:30:00Z"
}))]
pub struct Mailbox {
    pub id: Uuid,
    #[schema(value_type = crate::schema::EmailAddress)]
    pub email: String,
    pub display_name: String,
    pub provider: Provider,
    pub smtp: ServerOutput,
    pub imap: ServerOutput,
    pub timezone: String,
    pub status: MailboxStatus,
    /// Why the service set `error` or paused the mailbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// The DKIM key warmup mail is signed with, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dkim: Option<DkimOutput>,
    pub verification: Verification,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Whether the mailbox has shown that its address is read by whoever connected it: a seed
/// sends a code to the address and the service finds it over the mailbox's IMAP. A warmup
/// starts only on a `verified` mailbox (unless the operator turned this off); a change of
/// address or servers makes it `unverified` again and pauses its warmup.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    pub status: VerificationStatus,
    /// Why it failed, why it waits, or why it was reset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the current or last verification was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<DateTime<Utc>>,
    /// When a seed's server accepted the code's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
    /// When the code was last found in the mailbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<DateTime<Utc>>,
}

crate::page_of!(
    /// The organization's sender mailboxes, one page.
    MailboxPage,
    Mailbox
);

impl From<mailbox::Model> for Mailbox {
    fn from(m: mailbox::Model) -> Self {
        Self {
            dkim: match (&m.dkim_selector, &m.dkim_domain, &m.dkim_private_key) {
                (Some(selector), Some(domain), Some(_)) => Some(DkimOutput {
                    selector: selector.clone(),
                    domain: domain.clone(),
                    private_key_set: true,
                }),
                _ => None,
            },
            smtp: output(&m, Protocol::Smtp),
            imap: output(&m, Protocol::Imap),
            id: m.id,
            email: m.email,
            display_name: m.display_name,
            provider: m.provider.parse().unwrap_or(Provider::Smtp),
            timezone: m.timezone,
            status: MailboxStatus::parse(&m.status).unwrap_or(MailboxStatus::Error),
            status_reason: m.status_reason,
            verification: Verification {
                status: VerificationStatus::parse(&m.verification)
                    .unwrap_or(VerificationStatus::Unverified),
                reason: m.verification_reason,
                requested_at: m.verification_requested_at,
                sent_at: m.verification_sent_at,
                verified_at: m.verified_at,
            },
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Validates a display name for a From header.
pub fn check_display_name(v: &mut Violations, raw: &str) -> Option<String> {
    let name = raw.trim();
    if name.chars().count() > 200 || name.chars().any(char::is_control) {
        v.add(
            "display_name",
            "must be at most 200 characters without line breaks or control characters",
        );
        return None;
    }
    Some(name.to_string())
}

fn check_status(v: &mut Violations, status: MailboxStatus) -> Option<MailboxStatus> {
    if status.settable_by_user() {
        Some(status)
    } else {
        v.add(
            "status",
            "must be `active` or `paused`; `error` is set by the service",
        );
        None
    }
}

/// Connect a sender mailbox.
#[utoipa::path(
    tag = "mailboxes",
    operation_id = "createMailbox",
    request_body = CreateMailbox,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    responses((status = 201, description = "The connected mailbox", body = Mailbox), ConflictError),
    security(("api_key" = []))
)]
#[post("/mailboxes")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Body<CreateMailbox>,
) -> Result<HttpResponse, ApiError> {
    idempotency::once(
        &state,
        &caller,
        &req,
        &body.digest,
        StatusCode::CREATED,
        || async {
            let input = &body.value;
            let mut v = Violations::new();
            let mut row = mailbox::Model::blank(caller.org.0, state.clock.now());
            let email = v.check("email", EmailAddress::parse(&input.email));
            let email_text = email.as_ref().map(|e| e.to_string()).unwrap_or_default();
            let local = email_text.split('@').next().unwrap_or_default().to_string();
            let display =
                check_display_name(&mut v, input.display_name.as_deref().unwrap_or(&local));
            let tz = v.check(
                "timezone",
                parse_time_zone(input.timezone.as_deref().unwrap_or("UTC")),
            );
            let status = check_status(&mut v, input.status.unwrap_or(MailboxStatus::Active));
            for (protocol, server) in [(Protocol::Smtp, &input.smtp), (Protocol::Imap, &input.imap)]
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
            row.email = email_text.clone();
            if input.dkim.is_some() && email.is_some() {
                apply_dkim(&mut row, input.dkim.as_ref(), &state.secrets, &mut v);
            }
            if let (Some(_), Some(display), Some(tz), Some(status), true) =
                (email, display, tz, status, v.is_empty())
            {
                row.display_name = display;
                row.provider = input.provider.as_str().into();
                row.timezone = tz.name().into();
                row.status = status.as_str().into();
                let saved = mailboxes::insert(&state.db, caller.org, row).await?;
                Ok(Mailbox::from(saved))
            } else {
                Err(ApiError::Validation(v.into_vec()))
            }
        },
    )
    .await
}

/// List the organization's mailboxes, oldest first.
#[utoipa::path(
    tag = "mailboxes",
    operation_id = "listMailboxes",
    params(PageQuery),
    responses((status = 200, description = "One page of mailboxes", body = MailboxPage)),
    security(("api_key" = []))
)]
#[get("/mailboxes")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<web::Json<MailboxPage>, ApiError> {
    let page = mailboxes::list(&state.db, caller.org, query.parse()?).await?;
    Ok(web::Json(page.map(Mailbox::from).into()))
}

async fn find(state: &AppState, caller: &Caller, id: Uuid) -> Result<mailbox::Model, ApiError> {
    mailboxes::get(&state.db, caller.org, id)
        .await?
        .ok_or(ApiError::NotFound("mailbox"))
}

/// Get one mailbox.
#[utoipa::path(
    tag = "mailboxes",
    operation_id = "getMailbox",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    responses((status = 200, description = "The mailbox", body = Mailbox)),
    security(("api_key" = []))
)]
#[get("/mailboxes/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<Mailbox>, ApiError> {
    Ok(web::Json(find(&state, &caller, *id).await?.into()))
}

/// Change some fields of a mailbox; omitted fields keep their value.
#[utoipa::path(
    tag = "mailboxes",
    operation_id = "updateMailbox",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    request_body = UpdateMailbox,
    responses((status = 200, description = "The mailbox as changed", body = Mailbox), ConflictError),
    security(("api_key" = []))
)]
#[patch("/mailboxes/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Body<UpdateMailbox>,
) -> Result<web::Json<Mailbox>, ApiError> {
    let mut row = find(&state, &caller, *id).await?;
    let before = row.clone();
    let input = body.value;
    let mut v = Violations::new();
    if let Some(raw) = &input.email
        && let Some(e) = v.check("email", EmailAddress::parse(raw))
    {
        row.email = e.to_string();
    }
    if let Some(raw) = &input.display_name
        && let Some(d) = check_display_name(&mut v, raw)
    {
        row.display_name = d;
    }
    if let Some(raw) = &input.timezone
        && let Some(tz) = v.check("timezone", parse_time_zone(raw))
    {
        row.timezone = tz.name().into();
    }
    if let Some(status) = input.status
        && let Some(s) = check_status(&mut v, status)
    {
        row.status = s.as_str().into();
        row.status_reason = None;
    }
    let provider = input
        .provider
        .unwrap_or_else(|| row.provider.parse().unwrap_or(Provider::Smtp));
    row.provider = provider.as_str().into();
    let email = row.email.clone();
    let defaults = Defaults {
        provider,
        email: &email,
        creating: false,
        secrets: &state.secrets,
    };
    apply(
        &mut row,
        Protocol::Smtp,
        input.smtp.as_ref(),
        &defaults,
        &mut v,
    );
    apply(
        &mut row,
        Protocol::Imap,
        input.imap.as_ref(),
        &defaults,
        &mut v,
    );
    if let Some(dkim) = &input.dkim {
        apply_dkim(&mut row, dkim.as_ref(), &state.secrets, &mut v);
    }
    if !v.is_empty() {
        return Err(ApiError::Validation(v.into_vec()));
    }
    let now = state.clock.now();
    row.updated_at = now;
    let changed = change_needs_verification(&identity(&before), &identity(&row));
    let saved = mailboxes::update(&state.db, caller.org, row)
        .await?
        .ok_or(ApiError::NotFound("mailbox"))?;
    let Some(reason) = changed else {
        return Ok(web::Json(saved.into()));
    };
    verification::unverify(&state.db, saved.id, &reason, now).await?;
    Ok(web::Json(find(&state, &caller, saved.id).await?.into()))
}

fn identity(m: &mailbox::Model) -> Identity<'_> {
    Identity {
        email: &m.email,
        smtp: (
            &m.smtp_host,
            m.smtp_port,
            &m.smtp_security,
            &m.smtp_username,
        ),
        imap: (
            &m.imap_host,
            m.imap_port,
            &m.imap_security,
            &m.imap_username,
        ),
    }
}

/// Verify that the mailbox's address is read by whoever connected it.
///
/// A seed of the pool sends a message with a code to the mailbox's address through its own
/// provider, and the service looks for it over the mailbox's IMAP, in every folder. The answer
/// comes at once with `verification.status` `pending`; it turns `verified` when the code is
/// found, or `failed` with a reason when it is not found in time. Asking again starts over with
/// a new code.
#[utoipa::path(
    tag = "mailboxes",
    operation_id = "verifyMailbox",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    responses((status = 202, description = "The mailbox, its verification pending", body = Mailbox)),
    security(("api_key" = []))
)]
#[post("/mailboxes/{id}/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let code = new_code();
    let row = verification::request(&state.db, caller.org, *id, &code, state.clock.now())
        .await?
        .ok_or(ApiError::NotFound("mailbox"))?;
    Ok(HttpResponse::Accepted().json(Mailbox::from(row)))
}

/// A code nobody can guess: 20 lowercase letters and digits (about 103 bits).
fn new_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// Delete a mailbox and everything recorded for it.
#[utoipa::path(
    tag = "mailboxes",
    operation_id = "deleteMailbox",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    responses((status = 204, description = "Deleted")),
    security(("api_key" = []))
)]
#[delete("/mailboxes/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    if mailboxes::delete(&state.db, caller.org, *id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound("mailbox"))
    }
}

/// Log in to the mailbox's SMTP and IMAP servers and report each step.
///
/// Sends no mail. The answer is 200 whether or not the servers accepted the login; `ok` and
/// each step's `ok`, `reply_code` and `detail` say what happened.
#[utoipa::path(
    tag = "mailboxes",
    operation_id = "testMailboxConnection",
    params(("id" = Uuid, Path, description = "Mailbox id")),
    responses((status = 200, description = "Each step of logging in to the SMTP and IMAP servers, passed or not", body = ConnectionTest)),
    security(("api_key" = []))
)]
#[post("/mailboxes/{id}/connection-test")]
pub async fn connection_test(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<ConnectionTest>, ApiError> {
    let row = find(&state, &caller, *id).await?;
    Ok(web::Json(run_connection_test(&state, &row).await?))
}
