//! Interrupted sends: a worker that stopped mid-conversation leaves its send claimed. Once
//! the lease has run out, the seed is asked whether the message arrived, so a send is never
//! lost and never sent twice.

use chrono::Duration;
use sea_orm::DatabaseConnection;
use warmup_domain::log_text::escape_control;
use warmup_domain::retry::{Recovery, SeedAnswer, Waited, recover};
use warmup_domain::state::{EventSource, SendState};
use warmup_entity::seed;
use warmup_entity::store::sends::{self, AttemptRecord};
use warmup_entity::store::{leases, seeds};
use warmup_mail::{MailError, imap};

use crate::Error;
use crate::deps::{SendDeps, seed_imap};

/// How long after a lease runs out a send is checked at its seed: time for a message that was
/// accepted just before the crash to arrive.
pub const RECOVERY_GRACE_MINUTES: i64 = 15;

/// Real time one lookup at a seed may take.
const SEED_LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// What the seed said about an interrupted send's message.
enum Lookup {
    /// In this folder: it was delivered.
    Found(String),
    NotFound,
    /// Another lookup at this seed is under way (its connection limit is ours to keep).
    Busy,
}

/// Finds sends whose worker stopped mid-conversation and settles each by asking the seed:
/// a message found there was delivered (recorded as sent, never sent again); one not found
/// once a message counts as missing (`missing_after` since the claim) is sent again. Without
/// a seed to ask for as long again, the send fails rather than risk a duplicate.
pub async fn recover_expired(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
) -> Result<u32, Error> {
    let now = deps.clock.now();
    let expired =
        sends::expired_leases(db, now - Duration::minutes(RECOVERY_GRACE_MINUTES), 20).await?;
    let mut settled = 0;
    for e in expired {
        // Each send's own time: the lookups before it may have taken long.
        let now = deps.clock.now();
        // Longer than the seed lookup may take, in the clock's time.
        let lease = deps.simulated(SEED_LOOKUP_TIMEOUT * 2);
        let Some(s) = sends::take_over(db, &e, owner, now + lease).await? else {
            continue;
        };
        // Since the send was claimed: a message still travelling (held by the receiver,
        // greylisted) is not called lost before a message counts as missing anywhere else.
        let waited = Waited::since_claim(deps.clock.real(now - s.updated_at), deps.missing_after);
        let answer = match s.seed_id {
            Some(seed_id) => match look_up_at_seed(db, deps, owner, seed_id, &s.message_id).await {
                Ok(Lookup::Found(folder)) => SeedAnswer::Found(folder),
                Ok(Lookup::NotFound) => SeedAnswer::NotFound,
                Ok(Lookup::Busy) => SeedAnswer::Busy,
                Err(Error::Gone(_)) => SeedAnswer::SeedGone,
                Err(Error::Store(e)) => {
                    // Not held for the whole lookup lease: the next round asks again.
                    let _ = sends::set_lease(db, s.id, owner, now).await;
                    return Err(e.into());
                }
                Err(err) => SeedAnswer::Unreachable(err.to_string()),
            },
            None => SeedAnswer::SeedGone,
        };
        let outcome = recover(&answer, waited);
        let (state, next) = match &outcome {
            Recovery::Delivered { .. } => (SendState::Sent, None),
            Recovery::SendAgain => (SendState::Deferred, Some(now)),
            Recovery::Fail { .. } => (SendState::Failed, None),
            Recovery::AskAgainLater => {
                match &answer {
                    SeedAnswer::Unreachable(err) => {
                        tracing::warn!(send = %s.id, error = %escape_control(err), "cannot verify an interrupted send yet");
                    }
                    // Our own lookups keep the seed: worth knowing once it lasts.
                    SeedAnswer::Busy if waited != Waited::Briefly => {
                        tracing::info!(send = %s.id, "an interrupted send waits for another lookup at its seed");
                    }
                    _ => {}
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
            category: EventSource::Recovered.as_str().to_string(),
            state,
            next_attempt_at: next,
            duration_ms: 0,
            sender: None,
        };
        if sends::record_attempt(db, &s, owner, now, record).await? {
            settled += 1;
        }
    }
    Ok(settled)
}

/// Asks the seed whether the message is there, one lookup at a time per seed (beside its
/// engagement session, whose lease is its own), so the seed's connection limit holds.
async fn look_up_at_seed(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    seed_id: uuid::Uuid,
    message_id: &str,
) -> Result<Lookup, Error> {
    let seed = seeds::by_id(db, seed_id)
        .await?
        .ok_or(Error::Gone("the seed"))?;
    let owner = format!("{owner}/recovery");
    let owner = owner.as_str();
    let now = deps.clock.now();
    let until = now + deps.simulated(SEED_LOOKUP_TIMEOUT * 2);
    let lease = leases::seed_lookup(seed_id);
    if !leases::take(db, &lease, owner, now, until).await? {
        return Ok(Lookup::Busy);
    }
    let found = tokio::time::timeout(SEED_LOOKUP_TIMEOUT, search_seed(deps, &seed, message_id))
        .await
        .unwrap_or_else(|_| {
            Err(MailError::Command("the seed's server took too long".to_string()).into())
        });
    leases::release(db, &lease, owner).await?;
    Ok(match found? {
        Some(folder) => Lookup::Found(folder),
        None => Lookup::NotFound,
    })
}

async fn search_seed(
    deps: &SendDeps,
    seed: &seed::Model,
    message_id: &str,
) -> Result<Option<String>, Error> {
    let mut session = deps.open_imap(&seed_imap(seed)).await?;
    let found = match imap::folders(&mut session).await {
        Ok(folders) => imap::find(&mut session, &folders, message_id).await,
        Err(e) => Err(e),
    };
    let _ = session.logout().await;
    Ok(found?.map(|f| f.folder.name))
}
