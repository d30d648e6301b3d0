//! Verifying sender mailboxes: a seed sends a code to the mailbox's address through its own
//! server, then the mailbox's IMAP is searched for it in every folder. Found: verified. Not
//! found within the missing window, or refused for good by the seed's server: failed, with the
//! reason. Mailboxes are handled a few at once, organizations in turn (`fair`), each under the
//! scan's time limit, so a tenant's silent servers hold up only their own verifications.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use warmup_domain::placement::counts_as_missing;
use warmup_domain::verification::{VerificationStatus, body, subject};
use warmup_entity::mailbox;
use warmup_entity::store::{OrgId, StoreError, seeds, verification};
use warmup_mail::MailError;
use warmup_mail::imap as imap_ops;
use warmup_mail::message::{self, Address, Outgoing};

use crate::Error;
use crate::deps::{SendDeps, mailbox_imap, seed_smtp};
use crate::fair;

/// Verifications handled at once by one worker.
const AT_ONCE: usize = 4;

/// Real time one verification step (sending the code, or one search for it) may take.
const STEP_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Moves every pending verification one step on: sends codes not sent yet, looks for codes
/// sent. Returns how many mailboxes were looked at.
pub async fn verify_due(db: &DatabaseConnection, deps: &SendDeps) -> Result<usize, StoreError> {
    let pending: Vec<_> = verification::pending(db, 64)
        .await?
        .into_iter()
        .map(|m| (m.organization_id, m))
        .collect();
    let count = pending.len();
    let failure: std::sync::Mutex<Option<StoreError>> = std::sync::Mutex::new(None);
    let until = std::time::Instant::now() + STEP_LIMIT / 2;
    fair::run(pending, AT_ONCE, Some(until), |m| {
        let failure = &failure;
        async move {
            let step = tokio::time::timeout(STEP_LIMIT, verify_one(db, deps, &m)).await;
            let result = match step {
                Ok(r) => r,
                Err(_) => Err(Error::Mail(MailError::Connect(
                    "the mail server took too long".into(),
                ))),
            };
            let noted = match result {
                Ok(()) => Ok(()),
                Err(Error::Store(e)) => Err(e),
                Err(e) => give_up_or_wait(db, deps, &m, &e.to_string()).await,
            };
            if let Err(e) = noted
                && let Ok(mut f) = failure.lock()
            {
                f.get_or_insert(e);
            }
        }
    })
    .await;
    match failure.into_inner().ok().flatten() {
        Some(e) => Err(e),
        None => Ok(count),
    }
}

/// The code's Message-ID: found again from the mailbox's row alone, whichever seed sent it.
fn message_id(m: &mailbox::Model, code: &str) -> String {
    let domain = m.email.rsplit_once('@').map_or("invalid", |(_, d)| d);
    format!("verify-{code}@{domain}")
}

async fn verify_one(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &mailbox::Model,
) -> Result<(), Error> {
    let Some(code) = m.verification_code.as_deref() else {
        return Ok(());
    };
    match m.verification_sent_at {
        None => send_code(db, deps, m, code).await,
        Some(sent) => look_for_code(db, deps, m, code, sent).await,
    }
}

async fn send_code(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &mailbox::Model,
    code: &str,
) -> Result<(), Error> {
    let now = deps.clock.now();
    let Some(seed) = seeds::code_sender(db, OrgId(m.organization_id)).await? else {
        return Err(Error::Run(
            "no active seed can send the code yet: add a seed, or ask the platform's \
             administrators for shared seeds"
                .into(),
        ));
    };
    // Claimed first: only one worker sends this code.
    if !verification::mark_sent(db, m.id, code, Some(now)).await? {
        return Ok(());
    }
    let id = message_id(m, code);
    let built = message::build(&Outgoing {
        from: Address {
            name: None,
            email: &seed.email,
        },
        to: Address {
            name: None,
            email: &m.email,
        },
        subject: &subject(code),
        message_id: &id,
        in_reply_to: None,
        references: None,
        date: now,
        body: &body(code, &m.email),
    })?;
    let login = deps.login(&seed_smtp(&seed))?;
    let answer = warmup_mail::smtp::submit(&login, &deps.tls, &deps.connect, &built, None).await;
    if answer.accepted() {
        return Ok(());
    }
    let said = format!("{} {}", answer.code, answer.text);
    if answer.permanent {
        let reason = format!(
            "the seed {} could not deliver the code to {}: {said}",
            seed.email, m.email
        );
        verification::finish(
            db,
            m.id,
            code,
            VerificationStatus::Failed,
            Some(&reason),
            deps.clock.now(),
        )
        .await?;
        return Ok(());
    }
    // Handed back to be sent again next round.
    verification::mark_sent(db, m.id, code, None).await?;
    Err(Error::Run(format!(
        "the seed {} could not send the code yet: {said}",
        seed.email
    )))
}

async fn look_for_code(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &mailbox::Model,
    code: &str,
    sent: DateTime<Utc>,
) -> Result<(), Error> {
    let mut session = deps.open_imap(&mailbox_imap(m)).await?;
    let found = async {
        let folders = imap_ops::folders(&mut session).await?;
        imap_ops::find(&mut session, &folders, &message_id(m, code)).await
    }
    .await;
    let _ = session.logout().await;
    let now = deps.clock.now();
    if found?.is_some() {
        verification::finish(db, m.id, code, VerificationStatus::Verified, None, now).await?;
        return Ok(());
    }
    if counts_as_missing(deps.clock.real(now - sent), deps.missing_after) {
        let reason = format!(
            "the code a seed sent to {} was not found in any folder of this mailbox's IMAP \
             account: check that the address belongs to the account the IMAP login opens",
            m.email
        );
        verification::finish(
            db,
            m.id,
            code,
            VerificationStatus::Failed,
            Some(&reason),
            now,
        )
        .await?;
    }
    Ok(())
}

/// A step that could not be done: failed once the window since the request is over, else the
/// reason is noted and the next round tries again.
async fn give_up_or_wait(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &mailbox::Model,
    why: &str,
) -> Result<(), StoreError> {
    let Some(code) = m.verification_code.as_deref() else {
        return Ok(());
    };
    let now = deps.clock.now();
    let since = m.verification_requested_at.unwrap_or(now);
    let why = warmup_mail::shown_server_text(why);
    if counts_as_missing(deps.clock.real(now - since), deps.missing_after) {
        verification::finish(db, m.id, code, VerificationStatus::Failed, Some(&why), now).await?;
    } else {
        verification::note(db, m.id, code, &why).await?;
    }
    Ok(())
}
