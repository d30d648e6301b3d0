//! Sends due messages: each claimed under a lease (so no two workers send it), delivered with
//! the mailbox's own credentials through lettre, the server's answer classified and recorded,
//! transient failures scheduled again with backoff, and the mailbox stopped when retrying
//! cannot help.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sea_orm::{DatabaseConnection, EntityTrait};
use warmup_domain::retry::{RetryDecision, RetryPolicy};
use warmup_domain::smtp_reply::{ReplyCategory, SmtpReply, classify, classify_raw};
use warmup_domain::{Secret, Security};
use warmup_entity::secret_box::{SecretBox, context};
use warmup_entity::store::StoreError;
use warmup_entity::store::sends::{self, AttemptRecord, DEFERRED, FAILED, SENT};
use warmup_entity::{mailbox, send};

use crate::clock::Clock;
use crate::connection_test::resolve_allowed;
use crate::tls::TlsTrust;

/// What sending needs besides the database.
#[derive(Clone)]
pub struct SendDeps {
    pub clock: Clock,
    pub secrets: SecretBox,
    pub tls: TlsTrust,
    pub retry: RetryPolicy,
    pub allow_private_hosts: bool,
    pub helo_name: String,
    /// Real time allowed to one SMTP conversation.
    pub smtp_timeout: std::time::Duration,
}

/// Claims and sends what is due; returns how many sends were attempted.
pub async fn send_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
) -> Result<u32, StoreError> {
    let now = deps.clock.now();
    // The lease outlives any SMTP conversation, in simulated time too.
    let lease = Duration::seconds(600).max(Duration::milliseconds(
        (deps.smtp_timeout.as_secs_f64() * 3.0 * deps.clock.speedup() * 1000.0) as i64,
    ));
    let claimed = sends::claim_due(db, owner, now, now + lease, 20).await?;
    let mut attempted = 0;
    for s in claimed {
        let Some(m) = mailbox::Entity::find_by_id(s.mailbox_id).one(db).await? else {
            continue;
        };
        let started = Instant::now();
        let reply = deliver(&m, &s, deps).await;
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let now = deps.clock.now();
        let (state, next, stop) = decide(&reply, &s, deps, now);
        let record = AttemptRecord {
            code: (reply.code > 0).then_some(reply.code),
            enhanced: reply.enhanced.map(|e| e.to_string()),
            text: reply.text.clone(),
            category: reply.category.as_str().to_string(),
            state,
            next_attempt_at: next,
            duration_ms,
        };
        if sends::record_attempt(db, &s, owner, now, record).await? {
            attempted += 1;
        }
        if let Some(reason) = stop {
            tracing::warn!(mailbox = %m.id, %reason, "stopping the mailbox");
            sends::stop_mailbox(db, m.id, &reason, now).await?;
        }
    }
    Ok(attempted)
}

/// The next state after an attempt, when to try again, and whether to stop the mailbox.
fn decide(
    reply: &SmtpReply,
    s: &send::Model,
    deps: &SendDeps,
    now: DateTime<Utc>,
) -> (&'static str, Option<DateTime<Utc>>, Option<String>) {
    if reply.accepted() {
        return (SENT, None, None);
    }
    let describe = || match reply.enhanced {
        Some(e) => format!("{} {} {}", reply.code, e, reply.text),
        None => format!("{} {}", reply.code, reply.text).trim().to_string(),
    };
    if reply.category == ReplyCategory::AuthFailed && reply.permanent {
        return (
            FAILED,
            None,
            Some(format!("the SMTP server refused the login: {}", describe())),
        );
    }
    if reply.category == ReplyCategory::PolicyBlock && reply.permanent {
        return (
            FAILED,
            None,
            Some(format!("the mailbox is blocked: {}", describe())),
        );
    }
    let failed = u32::try_from(s.attempts).unwrap_or(u32::MAX);
    let jitter: f64 = rand::random();
    match deps.retry.next(failed, reply, s.scheduled_at, now, jitter) {
        RetryDecision::RetryAt { at } => (DEFERRED, Some(at), None),
        RetryDecision::GiveUp { .. } => (FAILED, None, None),
    }
}

fn failure(text: String) -> SmtpReply {
    classify(0, None, &text)
}

/// One SMTP conversation with the mailbox's submission server.
async fn deliver(m: &mailbox::Model, s: &send::Model, deps: &SendDeps) -> SmtpReply {
    let password = match deps
        .secrets
        .open(&m.smtp_password, &context("mailbox", m.id, "smtp"))
    {
        Ok(p) => p,
        Err(e) => return failure(format!("the stored SMTP password cannot be read: {e}")),
    };
    let port = u16::try_from(m.smtp_port).unwrap_or(587);
    if let Err(e) = resolve_allowed(&m.smtp_host, port, deps.allow_private_hosts).await {
        return failure(e);
    }
    let message = match build_message(m, s, deps.clock.now()) {
        Ok(msg) => msg,
        Err(e) => return failure(format!("cannot build the message: {e}")),
    };
    let tls = match Security::parse(&m.smtp_security).unwrap_or(Security::Tls) {
        Security::None => Tls::None,
        sec => match deps.tls.lettre_parameters(&m.smtp_host) {
            Ok(p) if sec == Security::Tls => Tls::Wrapper(p),
            Ok(p) => Tls::Required(p),
            Err(e) => return failure(format!("TLS setup failed: {e}")),
        },
    };
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(m.smtp_host.clone())
        .port(port)
        .tls(tls)
        .hello_name(lettre::transport::smtp::extension::ClientId::Domain(
            deps.helo_name.clone(),
        ))
        .credentials(Credentials::new(
            m.smtp_username.clone(),
            Secret::expose(&password).to_string(),
        ))
        .timeout(Some(deps.smtp_timeout))
        .build();
    match transport.send(message).await {
        Ok(r) => classify(
            u16::from(r.code()),
            None,
            &r.message().collect::<Vec<_>>().join(" "),
        ),
        Err(e) => reply_of(&e),
    }
}

/// The reply inside a lettre error, classified; errors without a reply (refused connections,
/// TLS failures, timeouts) are transient with code 0.
fn reply_of(e: &lettre::transport::smtp::Error) -> SmtpReply {
    let text = e.to_string();
    match e.status() {
        Some(code) => {
            let rest = text.split_once("): ").map_or(text.as_str(), |(_, t)| t);
            classify_raw(&format!("{} {rest}", u16::from(code)))
                .unwrap_or_else(|| classify(u16::from(code), None, rest))
        }
        None => failure(text),
    }
}

fn build_message(
    m: &mailbox::Model,
    s: &send::Model,
    now: DateTime<Utc>,
) -> Result<Message, String> {
    let from = Mailbox::new(
        (!m.display_name.is_empty()).then(|| m.display_name.clone()),
        m.email
            .parse()
            .map_err(|e| format!("sender {}: {e}", m.email))?,
    );
    let to: Mailbox = s
        .seed_email
        .parse()
        .map_err(|e| format!("recipient {}: {e}", s.seed_email))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(s.subject.clone())
        .message_id(Some(format!("<{}>", s.message_id)))
        .date(now.into())
        .header(ContentType::TEXT_PLAIN)
        .body(s.body.clone())
        .map_err(|e| e.to_string())
}
