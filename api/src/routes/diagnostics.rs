//! The SMTP troubleshooter over HTTP: the same diagnosis as `warmup diagnose`, as a document.

use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use warmup_domain::mail_server::{is_host_name, is_public_ip, parse_domain_name};
use warmup_domain::{EmailAddress, Violations};
use warmup_mail::diagnose::{self, Diagnosis, Probe, Target};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json_body::Body;
use crate::state::AppState;

/// An envelope to offer after EHLO on the relay port (port 25): the server's answer to `MAIL
/// FROM` and `RCPT TO` shows greylisting and refusals. `DATA` is never sent, so nothing is
/// delivered. Not offered on the submission ports, which want a login first.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProbeInput {
    /// The envelope sender; an empty string is the null sender (`<>`).
    #[schema(max_length = 254)]
    pub mail_from: String,
    /// The recipient to ask about (an address the diagnosed server receives mail for).
    #[schema(value_type = crate::schema::EmailAddress)]
    pub rcpt_to: String,
}

/// What to diagnose: a mail domain (its MX hosts on ports 25, 465 and 587), or one server on
/// one port. Give exactly one of `domain` or `host` (with `port`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"domain": "example.com"}))]
pub struct DiagnoseSmtp {
    /// A mail domain, such as the domain of a recipient whose sends fail.
    #[schema(
        max_length = 253,
        pattern = r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$"
    )]
    pub domain: Option<String>,
    /// A mail server's host name or IP address.
    #[schema(max_length = 253)]
    pub host: Option<String>,
    /// The port of `host` (default 25).
    #[schema(minimum = 1, maximum = 65535)]
    pub port: Option<i64>,
    /// Offer an envelope without DATA (off by default).
    pub probe: Option<ProbeInput>,
}

fn target(state: &AppState, input: &DiagnoseSmtp) -> Result<(Target, Option<Probe>), ApiError> {
    let mut v = Violations::new();
    let allow_private = state.settings.diagnose.allow_private_hosts;
    let target = match (&input.domain, &input.host) {
        (Some(domain), None) => {
            if input.port.is_some() {
                v.add("port", "goes with host, not with domain");
            }
            match parse_domain_name(domain) {
                Some(d) => Some(Target::Domain(d)),
                None => {
                    v.add("domain", "must be a domain name such as example.com");
                    None
                }
            }
        }
        (None, Some(host)) => {
            let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
            match h.parse::<std::net::IpAddr>() {
                Ok(ip) if !allow_private && !is_public_ip(ip) => v.add(
                    "host",
                    "is a loopback or private address; an operator can allow private mail \
                     servers with WARMUP_ALLOW_PRIVATE_MAIL_HOSTS=true",
                ),
                Ok(_) => {}
                Err(_) if !is_host_name(&h) => v.add(
                    "host",
                    "must be a host name (mx.example.com) or an IP address",
                ),
                Err(_) => {}
            }
            let port = match input.port {
                None => 25,
                Some(p) => u16::try_from(p).ok().filter(|p| *p > 0).unwrap_or_else(|| {
                    v.add("port", "must be a port from 1 to 65535");
                    25
                }),
            };
            Some(Target::Host { host: h, port })
        }
        _ => {
            v.add("domain", "give exactly one of domain or host");
            None
        }
    };
    let probe = input.probe.as_ref().map(|p| {
        let mail_from = p.mail_from.trim();
        if !mail_from.is_empty() {
            v.check("probe.mail_from", EmailAddress::parse(mail_from));
        }
        v.check("probe.rcpt_to", EmailAddress::parse(p.rcpt_to.trim()));
        Probe {
            mail_from: mail_from.to_string(),
            rcpt_to: p.rcpt_to.trim().to_string(),
        }
    });
    let target = v.finish(|| target).map_err(ApiError::Validation)?;
    let target =
        target.ok_or_else(|| ApiError::invalid("domain", "give exactly one of domain or host"))?;
    Ok((target, probe))
}

/// Diagnose why mail to a domain or server fails.
///
/// Does what an administrator does by hand: asks every configured resolver for the MX (and
/// says when they disagree or one is down), resolves each MX host (at most three, in
/// preference order), connects to ports 25, 465 and 587 five times each (to tell a steady
/// failure from an intermittent one), reads the greeting, sends EHLO, negotiates STARTTLS and
/// checks the certificate, and with `probe` offers `MAIL FROM`/`RCPT TO` without `DATA`.
/// `verdict` names the step where it broke, the likely cause (`dns`, `firewall`,
/// `network_congestion`, `server_misconfigured`, `greylisting`, `server_overloaded`, or `none`)
/// and the fix. The answer is 200 whatever the verdict; against servers that make every step
/// wait it takes up to about a minute and a half. A server runs a few diagnoses at once: more
/// wait with a 429.
#[utoipa::path(
    tag = "diagnostics",
    operation_id = "diagnoseSmtp",
    request_body = DiagnoseSmtp,
    responses(
        (status = 200, description = "The verdict and every step behind it", body = Diagnosis),
        (status = 429, description = "Too many diagnoses run on this server now", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/diagnostics/smtp")]
pub async fn smtp(
    state: web::Data<AppState>,
    _caller: Caller,
    body: Body<DiagnoseSmtp>,
) -> Result<web::Json<Diagnosis>, ApiError> {
    let (target, probe) = target(&state, &body.value)?;
    let _slot = state
        .diagnoses
        .clone()
        .try_acquire_owned()
        .map_err(|_| ApiError::RateLimited {
            retry_after: 10,
            scope: "while other diagnoses run on this server",
        })?;
    let options = diagnose::DiagnoseOptions {
        probe,
        ..state.settings.diagnose.clone()
    };
    Ok(web::Json(
        diagnose::diagnose(&target, &state.resolvers, &state.tls, &options).await,
    ))
}
