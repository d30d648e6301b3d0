//! Sends due messages: each queued as a job, claimed under a lease (so no two workers send it),
//! delivered with the mailbox's own credentials through lettre, the server's answer classified
//! and recorded, transient failures scheduled again with backoff, and the mailbox stopped when
//! retrying cannot help.

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
use crate::send_queue::SendQueue;
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
    /// Checks SPF, DKIM and DMARC of mail found at seeds.
    pub auth: crate::auth_check::AuthVerifier,
    /// Real time after which a message not found at its seed counts as missing.
    pub missing_after: std::time::Duration,
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

impl SendDeps {
    /// Simulated time that lasts `real` on the wall clock.
    pub(crate) fn simulated(&self, real: std::time::Duration) -> Duration {
        Duration::milliseconds((real.as_secs_f64() * self.clock.speedup() * 1000.0) as i64)
    }
}

/// Real time a queued send waits for its job before it is queued again: long enough for a
/// busy queue, short enough that a job lost with its worker is replaced soon.
const QUEUE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(120);

/// Real time after which a send that still had a job waiting when it was queued is looked at
/// again.
const LIVE_JOB_RECHECK: std::time::Duration = std::time::Duration::from_secs(2);

/// Queues what is due: each send moves to `queued` (only one worker wins it) and gets a job.
/// Returns how many sends were queued.
pub async fn queue_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    queue: &mut SendQueue,
) -> Result<usize, String> {
    let mut queued = 0;
    // A bounded batch per round keeps planning and report reading going on busy days.
    for _ in 0..5 {
        let now = deps.clock.now();
        let ids = sends::queue_due(db, now, now + deps.simulated(QUEUE_DEADLINE), 50)
            .await
            .map_err(|e| e.to_string())?;
        // A failed push leaves the send queued without a job; it is queued again after the
        // deadline.
        let waiting = queue.push(db, &ids).await?;
        if !waiting.is_empty() {
            // Its job from a moment ago may still be finishing (apalis records the end
            // lazily): look again soon rather than after the whole deadline.
            let soon = now + deps.simulated(LIVE_JOB_RECHECK);
            sends::requeue_after(db, &waiting, soon)
                .await
                .map_err(|e| e.to_string())?;
        }
        queued += ids.len();
        if ids.len() < 50 {
            break;
        }
    }
    Ok(queued)
}

/// Sends one queued send, the work of one job: claimed under a lease that outlives any SMTP
/// conversation (three timeouts), delivered, and its outcome recorded. Returns false when the
/// send was not queued any more (a job delivered twice, a send cancelled meanwhile).
pub async fn send_queued(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    send_id: uuid::Uuid,
) -> Result<bool, StoreError> {
    let now = deps.clock.now();
    let lease = deps.simulated(deps.smtp_timeout * 3);
    let Some(s) = sends::claim_queued(db, send_id, owner, now, now + lease).await? else {
        return Ok(false);
    };
    let Some(m) = mailbox::Entity::find_by_id(s.mailbox_id).one(db).await? else {
        return Ok(false);
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
    let recorded = sends::record_attempt(db, &s, owner, now, record).await?;
    if let Some(reason) = stop {
        tracing::warn!(mailbox = %m.id, %reason, "stopping the mailbox");
        sends::stop_mailbox(db, m.id, &reason, now).await?;
    }
    Ok(recorded)
}

/// How long after a lease runs out a send is checked at its seed: time for a message that was
/// accepted just before the crash to arrive.
pub const RECOVERY_GRACE_MINUTES: i64 = 15;

/// Real time one lookup at a seed may take.
const SEED_LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

const SEED_GONE: &str = "the seed is gone";
const SEED_BUSY: &str = "another session holds the seed's mailbox";

/// Finds sends whose worker stopped mid-conversation and settles each by asking the seed:
/// a message found there was delivered (recorded as sent, never sent again); one not found
/// once a message counts as missing (`missing_after` since the claim) is sent again. Without
/// a seed to ask by then, the send fails rather than risk a duplicate.
pub async fn recover_expired(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
) -> Result<u32, StoreError> {
    use warmup_domain::retry::{Recovery, SeedAnswer, recover};
    let now = deps.clock.now();
    let expired =
        sends::expired_leases(db, now - Duration::minutes(RECOVERY_GRACE_MINUTES), 20).await?;
    let mut settled = 0;
    for e in expired {
        // Longer than the seed lookup may take, in the clock's time.
        let lease = deps.simulated(SEED_LOOKUP_TIMEOUT * 2);
        let Some(s) = sends::take_over(db, &e, owner, now + lease).await? else {
            continue;
        };
        // Since the send was claimed: a message still travelling (held by the receiver,
        // greylisted) is not called lost before a message counts as missing anywhere else.
        let waited = deps.clock.real(now - s.updated_at);
        let missing = warmup_domain::placement::counts_as_missing(waited, deps.missing_after);
        let answer = match s.seed_id {
            Some(seed_id) => match look_up_at_seed(db, deps, owner, seed_id, &s.message_id).await {
                Ok(Some(folder)) => SeedAnswer::Found(folder),
                Ok(None) => SeedAnswer::NotFound,
                Err(err) if err == SEED_GONE => SeedAnswer::SeedGone,
                Err(err) if err == SEED_BUSY => SeedAnswer::Busy,
                Err(err) => SeedAnswer::Unreachable(err),
            },
            None => SeedAnswer::SeedGone,
        };
        let outcome = recover(&answer, missing);
        let (state, next) = match &outcome {
            Recovery::Delivered { .. } => (SENT, None),
            Recovery::SendAgain => (DEFERRED, Some(now)),
            Recovery::Fail { .. } => (FAILED, None),
            Recovery::AskAgainLater => {
                if let SeedAnswer::Unreachable(err) = &answer {
                    tracing::warn!(send = %s.id, error = %err, "cannot verify an interrupted send yet");
                }
                // Ask again after the grace, not after the long lookup lease.
                sends::set_lease(db, s.id, owner, now).await?;
                continue;
            }
        };
        let record = AttemptRecord {
            code: None,
            enhanced: None,
            text: outcome.note().unwrap_or_default(),
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

/// Asks the seed whether the message is there, in the seed's one session at a time (the lease
/// engagement uses too), so the seed's connection limit holds.
async fn look_up_at_seed(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    seed_id: uuid::Uuid,
    message_id: &str,
) -> Result<Option<String>, String> {
    let seed = sends::seed_by_id(db, seed_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| SEED_GONE.to_string())?;
    // Not the engagement loop's owner name: the same process must not hold the seed twice.
    let owner = format!("{owner}/recovery");
    let owner = owner.as_str();
    let now = deps.clock.now();
    let until = now + deps.simulated(SEED_LOOKUP_TIMEOUT * 2);
    let leased = warmup_entity::store::engagement::lease_seed(db, seed_id, owner, now, until)
        .await
        .map_err(|e| e.to_string())?;
    if !leased {
        return Err(SEED_BUSY.to_string());
    }
    let found = tokio::time::timeout(SEED_LOOKUP_TIMEOUT, search_seed(deps, &seed, message_id))
        .await
        .unwrap_or_else(|_| Err("the seed's server took too long".to_string()));
    warmup_entity::store::engagement::release_seed(db, seed_id, owner)
        .await
        .map_err(|e| e.to_string())?;
    found
}

async fn search_seed(
    deps: &SendDeps,
    seed: &warmup_entity::seed::Model,
    message_id: &str,
) -> Result<Option<String>, String> {
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
    let found = match crate::imap_ops::folders(&mut session).await {
        Ok(folders) => crate::imap_ops::find(&mut session, &folders, message_id).await,
        Err(e) => Err(e),
    };
    let _ = session.logout().await;
    Ok(found?.map(|f| f.folder.name))
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

/// An SMTP submission account: a mailbox's or a seed's.
pub(crate) struct SmtpAccount<'a> {
    pub host: &'a str,
    pub port: i32,
    pub security: &'a str,
    pub username: &'a str,
    pub password: &'a Secret,
}

/// One SMTP conversation submitting `message` (or its signed bytes) through `account`.
pub(crate) async fn submit(
    deps: &SendDeps,
    account: &SmtpAccount<'_>,
    message: Message,
    signed: Option<Vec<u8>>,
) -> SmtpReply {
    let port = u16::try_from(account.port).unwrap_or(587);
    if let Err(e) = resolve_allowed(account.host, port, deps.allow_private_hosts).await {
        return failure(e);
    }
    let tls = match Security::parse(account.security).unwrap_or(Security::Tls) {
        Security::None => Tls::None,
        sec => match deps.tls.lettre_parameters(account.host) {
            Ok(p) if sec == Security::Tls => Tls::Wrapper(p),
            Ok(p) => Tls::Required(p),
            Err(e) => return failure(format!("TLS setup failed: {e}")),
        },
    };
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(account.host)
        .port(port)
        .tls(tls)
        .hello_name(lettre::transport::smtp::extension::ClientId::Domain(
            deps.helo_name.clone(),
        ))
        .credentials(Credentials::new(
            account.username.to_string(),
            account.password.expose().to_string(),
        ))
        .timeout(Some(deps.smtp_timeout))
        .build();
    let sent = match signed {
        Some(bytes) => transport.send_raw(message.envelope(), &bytes).await,
        None => transport.send(message).await,
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

/// One SMTP conversation with the mailbox's submission server.
async fn deliver(m: &mailbox::Model, s: &send::Model, deps: &SendDeps) -> SmtpReply {
    let password = match deps
        .secrets
        .open(&m.smtp_password, &context("mailbox", m.id, "smtp"))
    {
        Ok(p) => p,
        Err(e) => return failure(format!("the stored SMTP password cannot be read: {e}")),
    };
    let message = match build_message(m, s, deps.clock.now()) {
        Ok(msg) => msg,
        Err(e) => return failure(format!("cannot build the message: {e}")),
    };
    let signed = match dkim_signed(m, &message, deps) {
        Ok(signed) => signed,
        Err(e) => return failure(e),
    };
    let account = SmtpAccount {
        host: &m.smtp_host,
        port: m.smtp_port,
        security: &m.smtp_security,
        username: &m.smtp_username,
        password: &password,
    };
    submit(deps, &account, message, signed).await
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
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(s.subject.clone())
        .message_id(Some(format!("<{}>", s.message_id)))
        .date(now.into());
    // A sender continuing a thread answers the seed's reply.
    if let Some(parent) = &s.in_reply_to {
        builder = builder.in_reply_to(format!("<{parent}>"));
    }
    if let Some(refs) = &s.reference_ids {
        builder = builder.references(refs.clone());
    }
    builder
        .header(ContentType::TEXT_PLAIN)
        .body(s.body.clone())
        .map_err(|e| e.to_string())
}
