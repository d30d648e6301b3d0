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

impl SendDeps {
    /// Logs in to a stored account's IMAP server (a mailbox's or a seed's), unsealing its
    /// password with `context`, under the same timeout and private-host rule as sending.
    pub(crate) async fn open_imap(
        &self,
        context: &str,
        host: &str,
        port: i32,
        security: &str,
        username: &str,
        sealed: &str,
    ) -> Result<crate::imap_probe::Session, String> {
        let password = self
            .secrets
            .open(sealed, context)
            .map_err(|e| format!("stored IMAP password ({context}): {e}"))?;
        let login = crate::ServerLogin {
            host: host.to_string(),
            port: u16::try_from(port).unwrap_or(993),
            security: Security::parse(security).unwrap_or(Security::Tls),
            username: username.to_string(),
            password,
        };
        let options = crate::ProbeOptions {
            timeout: self.smtp_timeout,
            helo_name: self.helo_name.clone(),
            allow_private_hosts: self.allow_private_hosts,
        };
        crate::imap_probe::open(&login, &self.tls, &options).await
    }
}

/// Claims and sends what is due, one send at a time so that each lease starts when its
/// conversation does; returns how many sends were attempted.
pub async fn send_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
) -> Result<u32, StoreError> {
    let mut attempted = 0;
    // A bounded batch per round keeps planning and report reading going on busy days.
    for _ in 0..20 {
        let now = deps.clock.now();
        // The lease outlives any SMTP conversation (three timeouts), in simulated time too.
        let lease = Duration::milliseconds(
            (deps.smtp_timeout.as_secs_f64() * 3.0 * deps.clock.speedup() * 1000.0) as i64,
        );
        let Some(s) = sends::claim_due(db, owner, now, now + lease, 1)
            .await?
            .into_iter()
            .next()
        else {
            break;
        };
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

/// How long after a lease runs out a send is checked at its seed: time for a message that was
/// accepted just before the crash to arrive.
pub const RECOVERY_GRACE_MINUTES: i64 = 15;

/// Finds sends whose worker stopped mid-conversation and settles each by asking the seed:
/// a message found there was delivered (recorded as sent, never sent again); one not found
/// is sent again. Without a seed to ask, the send fails rather than risk a duplicate.
pub async fn recover_expired(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
) -> Result<u32, StoreError> {
    let now = deps.clock.now();
    let expired =
        sends::expired_leases(db, now - Duration::minutes(RECOVERY_GRACE_MINUTES), 20).await?;
    let mut settled = 0;
    for e in expired {
        let Some(s) = sends::take_over(db, &e, owner, now + Duration::minutes(30)).await? else {
            continue;
        };
        let verdict = match s.seed_id {
            Some(seed_id) => look_up_at_seed(db, deps, seed_id, &s.message_id).await,
            None => Err("the seed is gone".to_string()),
        };
        let (state, next, text) = match verdict {
            Ok(Some(folder)) => (SENT, None, format!("found at the seed in {folder} after the sending worker stopped")),
            Ok(None) => (DEFERRED, Some(now), "not at the seed after the sending worker stopped: sending again".to_string()),
            Err(err) if err == "the seed is gone" => (FAILED, None, "the sending worker stopped and the seed is gone: not sent again, to avoid a duplicate".to_string()),
            Err(err) => {
                // The seed cannot be asked right now: keep the lease and try again later.
                tracing::warn!(send = %s.id, error = %err, "cannot verify an interrupted send yet");
                continue;
            }
        };
        let record = AttemptRecord {
            code: None,
            enhanced: None,
            text,
            category: "recovered".to_string(),
            state,
            next_attempt_at: next,
            duration_ms: 0,
        };
        if sends::record_attempt(db, &s, owner, now, record).await? {
            settled += 1;
        }
    }
    Ok(settled)
}

async fn look_up_at_seed(
    db: &DatabaseConnection,
    deps: &SendDeps,
    seed_id: uuid::Uuid,
    message_id: &str,
) -> Result<Option<String>, String> {
    let seed = sends::seed_by_id(db, seed_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "the seed is gone".to_string())?;
    let mut session = deps
        .open_imap(
            &context("seed", seed.id, "imap"),
            &seed.imap_host,
            seed.imap_port,
            &seed.imap_security,
            &seed.imap_username,
            &seed.imap_password,
        )
        .await?;
    let found = crate::message_lookup::find_message(&mut session, message_id).await;
    let _ = session.logout().await;
    Ok(found?.map(|f| f.folder))
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
    let sent = match dkim_signed(m, &message, deps) {
        Ok(Some(signed)) => transport.send_raw(message.envelope(), &signed).await,
        Ok(None) => transport.send(message).await,
        Err(e) => return failure(e),
    };
    match sent {
        Ok(r) => classify(
            u16::from(r.code()),
            None,
            &r.message().collect::<Vec<_>>().join(" "),
        ),
        Err(e) => reply_of(&e),
    }
}

/// The message signed with the mailbox's DKIM key, or `None` when it has none.
fn dkim_signed(
    m: &mailbox::Model,
    message: &Message,
    deps: &SendDeps,
) -> Result<Option<Vec<u8>>, String> {
    let (Some(selector), Some(domain), Some(sealed)) =
        (&m.dkim_selector, &m.dkim_domain, &m.dkim_private_key)
    else {
        return Ok(None);
    };
    let pem = deps
        .secrets
        .open(sealed, &context("mailbox", m.id, "dkim"))
        .map_err(|e| format!("the stored DKIM key cannot be read: {e}"))?;
    crate::dkim::sign(&message.formatted(), pem.expose(), domain, selector).map(Some)
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
