//! Seeds reading the campaigns of the splits they are in: every folder of a seed is searched
//! for mail from the splits' approved senders, each message found is recorded once (where it
//! landed, how it authenticated) and engaged with as its split says: rescued from spam,
//! opened, marked important, answered when asked. Mail from anyone else is never touched: the
//! folders are examined, not selected, and headers are read with `BODY.PEEK`, so flags stay as
//! they were. A split's seeds that a campaign did not reach within the missing window are
//! recorded `missing`, and splits rotate when due.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sea_orm::DatabaseConnection;
use warmup_domain::content::compose_reply;
use warmup_domain::email::{first_name, new_message_id};
use warmup_domain::engagement::{self as rules, Action};
use warmup_domain::language::Language;
use warmup_domain::log_text::escape_control;
use warmup_domain::seed_split::{SplitEngagement, campaign_key};
use warmup_entity::store::engagement::{lease_seed, release_seed};
use warmup_entity::store::seed_list::{self as store, Found, Reader};
use warmup_entity::store::{StoreError, leases, seed_splits, seeds};
use warmup_entity::{seed, seed_list_message};
use warmup_mail::MailError;
use warmup_mail::imap::{self as imap_ops, Folder, Located, Session};
use warmup_mail::message::{self, Address, Outgoing};
use warmup_mail::received::read_header;

use crate::Error;
use crate::deps::{SendDeps, seed_imap, seed_smtp};
use crate::engagement::{Progress, SeedView};
use crate::fair;

/// Seeds read at once by one worker.
const SEEDS_AT_ONCE: usize = 4;

/// Messages acted on per seed session; the rest wait for the next round.
const STEPS_PER_SESSION: u64 = 50;

/// Real time one seed session may take, and how long its lease lasts.
const SESSION_LIMIT: std::time::Duration = std::time::Duration::from_secs(240);

/// How far back a seed's folders are searched: campaign mail is looked for within days of its
/// arrival, and a seed that joined a split reads nothing older than that.
const LOOK_BACK_DAYS: i64 = 3;

/// Seeds one round reads at most; the rest are due in the next round.
const SEEDS_PER_ROUND: usize = 64;

const SCAN_LEASE_PREFIX: &str = "seed-list-scan:";

/// The lease that spaces the readings of one seed for seed-list mail.
fn scan_lease(seed: uuid::Uuid) -> String {
    format!("{SCAN_LEASE_PREFIX}{seed}")
}

/// One round: closes campaigns whose missing window passed, rotates the splits that are due,
/// and reads every seed that is due (its reading interval `every` passed, or a step of its
/// mail is due). Returns the seeds visited.
pub async fn engage_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    every: Duration,
) -> Result<usize, StoreError> {
    let now = deps.clock.now();
    // Neither stops the round: reading seeds does not depend on them.
    if let Err(e) = store::close_campaigns(db, now).await {
        tracing::error!(error = %escape_control(&e.to_string()), "closing seed-list campaigns failed");
    }
    if let Err(e) = rotate_due(db, deps, now).await {
        tracing::error!(error = %escape_control(&e.to_string()), "rotating seed-list splits failed");
    }
    let stepping: HashSet<uuid::Uuid> = store::seeds_with_steps_due(db, now, 64)
        .await?
        .into_iter()
        .collect();
    let mut due: Vec<(uuid::Uuid, bool)> = Vec::new();
    let waiting = leases::held_with_prefix(db, SCAN_LEASE_PREFIX, now).await?;
    for id in store::seeds_to_read(db, now).await? {
        if due.len() >= SEEDS_PER_ROUND {
            break;
        }
        let name = scan_lease(id);
        if !waiting.contains(&name)
            && leases::take_when_due(db, &name, owner, now, now + every).await?
        {
            due.push((id, true));
        } else if stepping.contains(&id) {
            due.push((id, false));
        }
    }
    for id in &stepping {
        if !due.iter().any(|(d, _)| d == id) {
            due.push((*id, false));
        }
    }
    let ids: Vec<uuid::Uuid> = due.iter().map(|d| d.0).collect();
    // The rows are read once for the round, not once a session: a seed changed meanwhile is
    // read with its old settings for at most this round.
    let mut rows = seeds::by_ids(db, &ids).await?;
    let scanned: Vec<uuid::Uuid> = due.iter().filter(|d| d.1).map(|d| d.0).collect();
    // A seed deleted since it was found due has nothing left to read; its schedule lease is
    // given back below with those of the seeds not started.
    let items: Vec<(Option<uuid::Uuid>, (seed::Model, bool))> = due
        .into_iter()
        .filter_map(|(id, scan)| {
            rows.remove(&id)
                .map(|row| (row.organization_id, (row, scan)))
        })
        .collect();
    let visited = items.len();
    let started = std::sync::Mutex::new(HashSet::new());
    let until = std::time::Instant::now() + SESSION_LIMIT / 4;
    fair::run(items, SEEDS_AT_ONCE, Some(until), |(seed, scan)| {
        let seed_id = seed.id;
        if let Ok(mut s) = started.lock() {
            s.insert(seed_id);
        }
        async move {
            if let Err(e) = visit(db, deps, owner, seed, scan).await {
                tracing::error!(seed = %seed_id, error = %escape_control(&e.to_string()), "seed-list reading failed");
            }
        }
    })
    .await;
    // Seeds left for the next round keep no schedule lease: they are due at once.
    let started = started.into_inner().unwrap_or_default();
    for id in scanned.into_iter().filter(|id| !started.contains(id)) {
        leases::release(db, &scan_lease(id), owner).await?;
    }
    Ok(visited)
}

async fn rotate_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let window = deps.simulated(deps.missing_after);
    for (org, id) in seed_splits::rotations_due(db, now, 10).await? {
        seed_splits::rotate_due(db, org, id, deps.seed_max_splits, window, now).await?;
        tracing::info!(split = %id, "rotated a seed-list split");
    }
    Ok(())
}

async fn visit(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    seed: seed::Model,
    scan: bool,
) -> Result<(), StoreError> {
    let seed_id = seed.id;
    let now = deps.clock.now();
    if !lease_seed(db, seed_id, owner, now, now + deps.simulated(SESSION_LIMIT)).await? {
        // Another session has the seed's mailbox: read it next round.
        if scan {
            leases::release(db, &scan_lease(seed_id), owner).await?;
        }
        return Ok(());
    }
    let outcome = tokio::time::timeout(SESSION_LIMIT, session(db, deps, &seed, scan)).await;
    release_seed(db, seed_id, owner).await?;
    match outcome {
        Ok(r) => r,
        Err(_) => {
            tracing::warn!(seed = %seed_id, "a seed-list session ran out of time");
            Ok(())
        }
    }
}

async fn session(
    db: &DatabaseConnection,
    deps: &SendDeps,
    seed: &seed::Model,
    scan: bool,
) -> Result<(), StoreError> {
    let seed_id = seed.id;
    let now = deps.clock.now();
    // Also read when only steps are due: a step is taken only while a split still approves
    // the message's sender, with the split's engagement as it is now.
    let readers = store::readers(db, seed_id, now).await?;
    let due = store::steps_due(db, seed_id, now, STEPS_PER_SESSION).await?;
    if (!scan || readers.is_empty()) && due.is_empty() {
        return Ok(());
    }
    let mut session = match deps.open_imap(&seed_imap(seed)).await {
        Ok(s) => s,
        Err(e) => {
            let e = format!("seed {}: {e}", seed.email);
            tracing::warn!(seed = %seed_id, error = %escape_control(&e), "cannot read a seed for seed-list mail");
            for m in &due {
                failed(db, deps, m, &e).await?;
            }
            return Ok(());
        }
    };
    let mut rng = StdRng::from_os_rng();
    let view = match SeedView::read(&mut session).await {
        Ok(v) => v,
        Err(e) => {
            for m in &due {
                failed(db, deps, m, &e.to_string()).await?;
            }
            return Ok(());
        }
    };
    if scan
        && !readers.is_empty()
        && let Err(e) = find_new(db, deps, &mut session, &view, seed, &readers, &mut rng).await
    {
        match e {
            Error::Store(e) => return Err(e),
            other => {
                tracing::warn!(seed = %seed_id, error = %escape_control(&other.to_string()), "searching a seed for seed-list mail failed");
            }
        }
    }
    for m in &due {
        let reader = readers
            .iter()
            .find(|r| r.split_id == m.split_id && r.approves(&m.sender));
        match engage(db, deps, &mut session, &view, seed, reader, m, &mut rng).await {
            Ok(()) => {}
            Err(Error::Store(e)) => return Err(e),
            Err(e) => {
                failed(db, deps, m, &e.to_string()).await?;
                if session.noop().await.is_err() {
                    return Ok(());
                }
            }
        }
    }
    let _ = session.logout().await;
    Ok(())
}

/// A message of an approved sender seen in a folder, before it is recorded.
struct Seen {
    folder: Folder,
    uid: u32,
    header: warmup_mail::received::ReceivedHeader,
    internal_date: Option<DateTime<Utc>>,
}

/// Searches every folder for the readers' senders and records what is new.
async fn find_new(
    db: &DatabaseConnection,
    deps: &SendDeps,
    session: &mut Session,
    view: &SeedView,
    seed: &seed::Model,
    readers: &[Reader],
    rng: &mut StdRng,
) -> Result<(), Error> {
    let now = deps.clock.now();
    let mut texts: Vec<String> = readers
        .iter()
        .flat_map(|r| r.senders.iter().map(|p| p.search_text()))
        .collect();
    texts.sort();
    texts.dedup();
    // The server's dates are real ones; a day more covers time zones.
    let since = (chrono::Utc::now() - Duration::days(LOOK_BACK_DAYS + 1)).date_naive();
    let mut seen: Vec<Seen> = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    for folder in view.folders.iter().filter(|f| f.role.searched()) {
        let uids = imap_ops::search_from(session, folder, &texts, since).await?;
        if uids.is_empty() {
            continue;
        }
        for h in imap_ops::fetch_headers(session, folder, &uids).await? {
            let Some(header) = read_header(&h.header) else {
                continue;
            };
            // The first folder in lookup order is where it is ("all mail" comes last).
            if ids.insert(header.message_id.clone()) {
                seen.push(Seen {
                    folder: folder.clone(),
                    uid: h.uid,
                    header,
                    internal_date: h.internal_date,
                });
            }
        }
    }
    let all: Vec<String> = ids.into_iter().collect();
    let known = store::known(db, seed.id, &all).await?;
    let warmup = store::warmup_messages(db, &all).await?;
    for s in seen {
        if known.contains(&s.header.message_id) {
            continue;
        }
        // SEARCH FROM matched a substring; the sender itself must be approved.
        let Some(reader) = readers.iter().find(|r| r.approves(&s.header.from)) else {
            continue;
        };
        let arrived_at = s
            .internal_date
            .map_or(now, |d| deps.clock.simulated_at(d).min(now));
        // INTERNALDATE has whole seconds: a message may seem up to one (real) second older
        // than it is, which must not put it before the seed joined.
        let latest = s.internal_date.map_or(now, |d| {
            deps.clock.simulated_at(d + Duration::seconds(1)).min(now)
        });
        if latest < reader.joined_at || now - arrived_at > Duration::days(LOOK_BACK_DAYS) {
            // Mail from before the seed was the split's, or too old to be a new campaign.
            continue;
        }
        // Warmup mail and placement tests' messages are never campaign mail.
        if warmup.contains(&s.header.message_id) || s.header.warmup_test.is_some() {
            continue;
        }
        record(
            db,
            deps,
            session,
            seed,
            reader,
            s,
            (arrived_at, latest),
            rng,
        )
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn record(
    db: &DatabaseConnection,
    deps: &SendDeps,
    session: &mut Session,
    seed: &seed::Model,
    reader: &Reader,
    s: Seen,
    (arrived_at, arrival_bound): (DateTime<Utc>, DateTime<Utc>),
    rng: &mut StdRng,
) -> Result<(), Error> {
    let now = deps.clock.now();
    let at = Located {
        folder: s.folder.clone(),
        uid: s.uid,
    };
    let Some(fetched) = imap_ops::fetch(session, &at).await? else {
        return Ok(());
    };
    let auth = deps.auth.verify(&fetched.raw).await;
    let class = s.folder.role.placement();
    // Mail that fails DMARC may carry a forged From: it is recorded where it landed, and the
    // seed does nothing that would tell its provider it was wanted.
    let forged = auth.dmarc == "fail";
    let steps = if forged {
        Vec::new()
    } else {
        reader.engagement.steps(class, now, rng)
    };
    let progress = Progress {
        steps,
        folder: s.folder.name.clone(),
        uid: s.uid,
    };
    let h = s.header;
    let found = Found {
        split_id: reader.split_id,
        organization_id: reader.organization_id,
        seed_id: seed.id,
        seed_email: seed.email.clone(),
        provider: seed.provider.clone(),
        campaign: campaign_key(h.list_id.as_deref(), h.campaign_id.as_deref(), &h.subject),
        message_id: h.message_id,
        sender: h.from,
        reply_to: h.reply_to,
        subject: h.subject,
        class,
        folder: s.folder.name,
        uid: s.uid,
        arrived_at,
        arrival_bound,
        spf: auth.spf,
        dkim: auth.dkim,
        dmarc: auth.dmarc,
        sending_ip: auth.client_ip.map(|ip| ip.to_string()),
        next_check_at: progress.steps.first().map_or(now, |s| s.at),
        plan: progress.to_json(),
        note: forged.then(|| {
            "not engaged: the message failed DMARC, so its From may be forged".to_string()
        }),
    };
    store::record_found(db, found, deps.simulated(deps.missing_after), now).await?;
    Ok(())
}

/// Records an error and when to try again; after a few the remaining steps are dropped.
async fn failed(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &seed_list_message::Model,
    error: &str,
) -> Result<(), StoreError> {
    let now = deps.clock.now();
    let errors = u32::try_from(m.errors).unwrap_or(0);
    let give_up = rules::gives_up(errors, true);
    let retry = deps.simulated(rules::backoff(errors));
    store::record_error(db, m.id, error, now + retry, give_up, now).await
}

/// Performs the due steps of one message, in order, recording each. `reader` is the split
/// that approves its sender now: without one (the sender was withdrawn, the split expired or
/// was deleted) nothing more is done, and a step the split's engagement no longer asks for is
/// dropped.
#[allow(clippy::too_many_arguments)]
async fn engage(
    db: &DatabaseConnection,
    deps: &SendDeps,
    session: &mut Session,
    view: &SeedView,
    seed: &seed::Model,
    reader: Option<&Reader>,
    m: &seed_list_message::Model,
    rng: &mut StdRng,
) -> Result<(), Error> {
    let progress = m
        .plan
        .as_deref()
        .and_then(|p| serde_json::from_str::<Progress>(p).ok());
    let (Some(mut progress), Some(reader)) = (progress, reader) else {
        let now = deps.clock.now();
        let step = store::Step {
            stamp: None,
            plan: None,
            next_check_at: now,
        };
        store::record_step(db, m.id, step, now).await?;
        return Ok(());
    };
    loop {
        let now = deps.clock.now();
        let Some(step) = progress.steps.first().copied().filter(|s| s.at <= now) else {
            break;
        };
        let message_id = m.message_id.clone().unwrap_or_default();
        let at = Located {
            folder: view.by_name(&progress.folder).cloned().ok_or_else(|| {
                MailError::Command(format!(
                    "the folder {} is no longer on the server",
                    progress.folder
                ))
            })?,
            uid: progress.uid,
        };
        let wanted = wanted(&reader.engagement, step.action, m);
        if wanted
            && step.action != Action::Reply
            && !imap_ops::confirm(session, &at.folder, at.uid, &message_id).await?
        {
            return Err(MailError::Command(format!(
                "the message is no longer UID {} of {}",
                at.uid, at.folder.name
            ))
            .into());
        }
        let stamp = if !wanted {
            None
        } else {
            match step.action {
                Action::Open => {
                    imap_ops::add_flags(session, &at, "\\Seen").await?;
                    Some("opened")
                }
                Action::Flag => {
                    imap_ops::add_flags(session, &at, "\\Flagged").await?;
                    if view.caps.gmail {
                        imap_ops::label_important(session, &at).await?;
                    }
                    Some("flagged")
                }
                Action::Rescue => {
                    let inbox = view.inbox();
                    if at.folder.wire != inbox.wire {
                        imap_ops::move_uids(session, view.caps, &at.folder, &[at.uid], &inbox.wire)
                            .await?;
                    }
                    let found = imap_ops::find_from(session, &inbox, &message_id, &m.sender)
                        .await?
                        .ok_or_else(|| {
                            MailError::Command(format!(
                                "the message is not in {} after moving it there",
                                inbox.name
                            ))
                        })?;
                    progress.folder = inbox.name.clone();
                    progress.uid = found;
                    Some("rescued")
                }
                Action::Reply => reply(deps, seed, m, rng).await?.then_some("replied"),
                // A campaign is never archived: its placement should stay readable where the
                // seed left it.
                Action::Archive => None,
            }
        };
        progress.steps.remove(0);
        let record = store::Step {
            stamp,
            plan: progress.to_json(),
            next_check_at: progress.steps.first().map_or(now, |s| s.at),
        };
        store::record_step(db, m.id, record, deps.clock.now()).await?;
    }
    Ok(())
}

/// Whether the split's engagement, as it is now, still asks for `action`. A reply also needs
/// the message to pass DMARC: its `From` is then the domain's own, and the reply does not go to
/// whoever forged it.
fn wanted(e: &SplitEngagement, action: Action, m: &seed_list_message::Model) -> bool {
    match action {
        Action::Rescue => e.rescue,
        Action::Open => e.open,
        Action::Flag => e.mark_important,
        Action::Reply => e.reply_percent > 0 && m.dmarc.as_deref() == Some("pass"),
        Action::Archive => false,
    }
}

/// Answers a campaign message from the seed, in its thread, to its `Reply-To` (else `From`):
/// only splits that ask for replies get here, since replies reach real people. True when the
/// seed's server accepted it; a refusal is not retried (it may have gone through).
async fn reply(
    deps: &SendDeps,
    seed: &seed::Model,
    m: &seed_list_message::Model,
    rng: &mut StdRng,
) -> Result<bool, Error> {
    let Some(message_id) = m.message_id.as_deref() else {
        return Ok(false);
    };
    let to = m.reply_to.clone().unwrap_or_else(|| m.sender.clone());
    let now = deps.clock.now();
    let draft = compose_reply(
        Language::english(),
        &m.subject,
        "",
        "",
        m.arrived_at.unwrap_or(now),
        &first_name(&seed.email),
        rng,
    );
    let reply_id = new_message_id(&seed.email, rng);
    let built = message::build(&Outgoing {
        from: Address {
            name: None,
            email: &seed.email,
        },
        to: Address {
            name: None,
            email: &to,
        },
        subject: &draft.subject,
        message_id: &reply_id,
        in_reply_to: Some(message_id),
        references: Some(&rules::references(None, message_id)),
        date: now,
        body: &draft.body,
    })
    .map_err(|e| MailError::Message(format!("cannot build the reply: {e}")))?;
    let login = deps.login(&seed_smtp(seed))?;
    let answer = warmup_mail::smtp::submit(&login, &deps.tls, &deps.connect, &built, None).await;
    Ok(answer.accepted())
}
