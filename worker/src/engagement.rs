//! Seeds engaging with warmup mail over IMAP: each sent message is looked for in every folder
//! of its seed, its placement and authentication results recorded, and then the seed acts like
//! a person, by the mailbox's pattern and at human-like times: rescue from spam or a category
//! folder, open, mark important, reply in the same thread, archive. One IMAP session per seed
//! serves all its due messages, and a lease keeps it to one session per seed across workers.
//! One bad message never stops the others: its error is recorded and it is tried again.

use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sea_orm::DatabaseConnection;
use warmup_domain::content::{Draft, compose_reply};
use warmup_domain::email::{first_name, new_message_id, plain_first_name};
use warmup_domain::engagement::{self as rules, Action, Rates, Step};
use warmup_domain::folder::FolderRole;
use warmup_domain::language::Language;
use warmup_domain::log_text::escape_control;
use warmup_domain::placement::counts_as_missing;
use warmup_domain::preferences::WarmupPreferences;
use warmup_domain::state::{PlacementEvent, PlacementStage};
use warmup_entity::OrgId;
use warmup_entity::store::StoreError;
use warmup_entity::store::engagement::{self as store, Located, Stamp, StepDone, Work};
use warmup_entity::store::{seeds, warmup};
use warmup_entity::{mailbox, seed};

use warmup_mail::MailError;
use warmup_mail::imap::{self as imap_ops, Caps, Folder, Session};
use warmup_mail::message::{self, Address, Outgoing};

use crate::Error;
use crate::deps::{SendDeps, seed_imap, seed_smtp};
use crate::fair;

/// Seeds engaged at once by one worker.
const SEEDS_AT_ONCE: usize = 4;

/// Messages handled per seed session; the rest wait for the next round.
const MESSAGES_PER_SESSION: u64 = 50;

/// Real time one seed session may take, and how long its lease lasts.
const SESSION_LIMIT: std::time::Duration = std::time::Duration::from_secs(240);

/// Engages every seed with something due; returns how many seeds were visited. Seeds are
/// visited a few at once, their organizations in turn (the shared pool as one more), each
/// within its share of the slots: a tenant's private seeds on a silent server delay only it.
pub async fn engage_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
) -> Result<usize, StoreError> {
    let now = deps.clock.now();
    store::close_orphans(db, now).await?;
    let due = store::seeds_due(db, now, 64).await?;
    // The rows are read once for the round, not once a session: a seed changed meanwhile is
    // read with its old settings for at most this round (a failed login is tried again).
    let mut rows = seeds::by_ids(db, &due).await?;
    let seeds: Vec<_> = due
        .into_iter()
        .map(|id| {
            let row = rows.remove(&id);
            (row.as_ref().and_then(|s| s.organization_id), (id, row))
        })
        .collect();
    let visited = seeds.len();
    // Seeds not started within a quarter of a session's limit wait for the next round.
    let until = std::time::Instant::now() + SESSION_LIMIT / 4;
    fair::run(
        seeds,
        SEEDS_AT_ONCE,
        Some(until),
        |(seed_id, row)| async move {
            if let Err(e) = engage_seed(db, deps, owner, seed_id, row).await {
                tracing::error!(seed = %seed_id, error = %escape_control(&e.to_string()), "engagement failed");
            }
        },
    )
    .await;
    Ok(visited)
}

async fn engage_seed(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    seed_id: uuid::Uuid,
    row: Option<seed::Model>,
) -> Result<(), StoreError> {
    let now = deps.clock.now();
    let until = now + deps.simulated(SESSION_LIMIT);
    if !store::lease_seed(db, seed_id, owner, now, until).await? {
        return Ok(());
    }
    let outcome =
        tokio::time::timeout(SESSION_LIMIT, session_for_seed(db, deps, seed_id, row)).await;
    store::release_seed(db, seed_id, owner).await?;
    match outcome {
        Ok(result) => result,
        Err(_) => {
            tracing::warn!(seed = %seed_id, "a seed session ran out of time; the rest waits for the next round");
            // What it did not get to waits with backoff like any failed lookup, so a seed whose
            // server stalls is not first in line (and in every round) again at once.
            let now = deps.clock.now();
            for w in store::due_for_seed(db, seed_id, now, MESSAGES_PER_SESSION).await? {
                failed(db, deps, &w, "the seed's IMAP session ran out of time").await?;
            }
            Ok(())
        }
    }
}

async fn session_for_seed(
    db: &DatabaseConnection,
    deps: &SendDeps,
    seed_id: uuid::Uuid,
    row: Option<seed::Model>,
) -> Result<(), StoreError> {
    let now = deps.clock.now();
    let work = store::due_for_seed(db, seed_id, now, MESSAGES_PER_SESSION).await?;
    if work.is_empty() {
        return Ok(());
    }
    let Some(seed) = row else {
        for w in &work {
            store::finish_with_error(db, w.placement.send_id, "the seed was deleted", now).await?;
        }
        return Ok(());
    };
    let opened = deps.open_imap(&seed_imap(&seed)).await;
    let mut session = match opened {
        Ok(s) => s,
        Err(e) => {
            let e = format!("seed {}: {e}", seed.email);
            for w in &work {
                failed(db, deps, w, &e).await?;
            }
            return Ok(());
        }
    };
    let mut rng = StdRng::from_os_rng();
    let mut view = match SeedView::read(&mut session).await {
        Ok(v) => v,
        Err(e) => {
            for w in &work {
                failed(db, deps, w, &e.to_string()).await?;
            }
            return Ok(());
        }
    };
    for w in &work {
        let result = match PlacementStage::parse(&w.placement.stage) {
            Some(PlacementStage::Locating) => {
                locate(db, deps, &mut session, &view, w, &mut rng).await
            }
            _ => engage(db, deps, &mut session, &mut view, &seed, w, &mut rng).await,
        };
        match result {
            Ok(()) => {}
            Err(Error::Store(e)) => return Err(e),
            Err(e) => {
                failed(db, deps, w, &e.to_string()).await?;
                // A dropped connection fails every later command: the rest waits for the next
                // session instead of collecting the same error.
                if session.noop().await.is_err() {
                    return Ok(());
                }
            }
        }
    }
    let _ = session.logout().await;
    Ok(())
}

/// A seed's mailbox as this session sees it.
pub(crate) struct SeedView {
    pub(crate) caps: Caps,
    pub(crate) folders: Vec<Folder>,
}

impl SeedView {
    pub(crate) async fn read(session: &mut Session) -> Result<Self, MailError> {
        Ok(Self {
            // Asked after login: servers add MOVE and UIDPLUS only then.
            caps: imap_ops::capabilities(session).await?,
            folders: imap_ops::folders(session).await?,
        })
    }

    pub(crate) fn inbox(&self) -> Folder {
        imap_ops::with_role(&self.folders, FolderRole::Inbox)
            .cloned()
            .unwrap_or_else(|| Folder {
                wire: "INBOX".into(),
                name: "INBOX".into(),
                role: FolderRole::Inbox,
            })
    }

    pub(crate) fn by_name(&self, name: &str) -> Option<&Folder> {
        self.folders.iter().find(|f| f.name == name)
    }
}

/// Records an error and when to try again; a message that could not be looked for or acted on
/// for longer than a message may take to arrive is given up, so nothing waits for ever.
async fn failed(
    db: &DatabaseConnection,
    deps: &SendDeps,
    w: &Work,
    error: &str,
) -> Result<(), StoreError> {
    let now = deps.clock.now();
    let errors = u32::try_from(w.placement.errors).unwrap_or(0);
    if rules::gives_up(errors, is_missing(deps, w, now)) {
        return store::finish_with_error(db, w.placement.send_id, error, now).await;
    }
    let retry = backoff(deps, errors);
    store::record_error(db, w.placement.send_id, error, now + retry, now).await
}

/// Counted from the send, not from the last lookup or error: `missing_after` bounds the whole
/// time a message may take to show up at its seed.
fn is_missing(deps: &SendDeps, w: &Work, now: DateTime<Utc>) -> bool {
    counts_as_missing(
        deps.clock.real(now - w.placement.sent_at),
        deps.missing_after,
    )
}

/// The domain's real-time backoff, in the clock's time.
fn backoff(deps: &SendDeps, tries: u32) -> Duration {
    deps.simulated(rules::backoff(tries))
}

async fn rates_of(
    db: &DatabaseConnection,
    w: &Work,
) -> Result<(WarmupPreferences, Rates), StoreError> {
    let prefs = warmup::preferences_of(
        db,
        OrgId(w.placement.organization_id),
        w.placement.mailbox_id,
    )
    .await?;
    let rates = Rates::from_preferences(&prefs);
    Ok((prefs, rates))
}

async fn locate(
    db: &DatabaseConnection,
    deps: &SendDeps,
    session: &mut Session,
    view: &SeedView,
    w: &Work,
    rng: &mut StdRng,
) -> Result<(), Error> {
    let now = deps.clock.now();
    let Some(at) = imap_ops::find(session, &view.folders, &w.send.message_id).await? else {
        if is_missing(deps, w, now) {
            let detail = format!(
                "not in any folder of {} {} after sending",
                w.placement.seed_email,
                humanize(deps.missing_after)
            );
            store::record_missing(db, w.placement.send_id, &detail, now).await?;
        } else {
            let lookups = u32::try_from(w.placement.lookups).unwrap_or(0);
            store::look_again(db, w.placement.send_id, now + backoff(deps, lookups), now).await?;
        }
        return Ok(());
    };
    let fetched = imap_ops::fetch(session, &at).await?;
    let (auth, arrived_at) = match &fetched {
        Some(f) => (
            deps.auth.verify(&f.raw).await,
            f.internal_date.map(|d| deps.clock.simulated_at(d)),
        ),
        None => {
            return Err(MailError::Command("the message vanished while being read".into()).into());
        }
    };
    let class = at.folder.role.placement();
    let (prefs, rates) = rates_of(db, w).await?;
    let depth = u32::try_from(w.send.thread_depth).unwrap_or(0);
    let progress = Progress {
        steps: rules::plan(&prefs.pattern.params(), &rates, class, depth, now, rng),
        folder: at.folder.name.clone(),
        uid: at.uid,
    };
    let next_check_at = progress.steps.first().map_or(now, |s| s.at);
    let located = Located {
        class,
        folder: at.folder.name.clone(),
        uid: at.uid,
        arrived_at,
        spf: auth.spf,
        dkim: auth.dkim,
        dmarc: auth.dmarc,
        auth_detail: auth.detail,
        sending_ip: auth.client_ip.map(|ip| ip.to_string()),
        plan: progress.to_json(),
        next_check_at,
    };
    store::record_located(db, w, located, now).await?;
    Ok(())
}

/// What is left to do with a message, and where it is now (a rescue or an archive moves it;
/// the placement keeps where it landed).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Progress {
    pub(crate) steps: Vec<Step>,
    pub(crate) folder: String,
    pub(crate) uid: u32,
}

impl Progress {
    /// `None` when nothing is left to do.
    pub(crate) fn to_json(&self) -> Option<String> {
        if self.steps.is_empty() {
            None
        } else {
            serde_json::to_string(self).ok()
        }
    }
}

fn humanize(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 && s.is_multiple_of(3600) {
        format!("{} h", s / 3600)
    } else if s >= 60 && s.is_multiple_of(60) {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}

/// Performs the steps that are due, in order, recording each.
async fn engage(
    db: &DatabaseConnection,
    deps: &SendDeps,
    session: &mut Session,
    view: &mut SeedView,
    seed: &seed::Model,
    w: &Work,
    rng: &mut StdRng,
) -> Result<(), Error> {
    let Some(mut progress) = w
        .placement
        .plan
        .as_deref()
        .and_then(|p| serde_json::from_str::<Progress>(p).ok())
    else {
        let now = deps.clock.now();
        store::finish_with_error(
            db,
            w.placement.send_id,
            "the engagement plan is unreadable",
            now,
        )
        .await?;
        return Ok(());
    };
    loop {
        let now = deps.clock.now();
        let Some(step) = progress.steps.first().copied().filter(|s| s.at <= now) else {
            break;
        };
        let current = imap_ops::Located {
            folder: view.by_name(&progress.folder).cloned().ok_or_else(|| {
                Error::Mail(MailError::Command(format!(
                    "the folder {} is no longer on the server",
                    progress.folder
                )))
            })?,
            uid: progress.uid,
        };
        let (done, moved) =
            act(db, deps, session, view, seed, w, step.action, &current, rng).await?;
        progress.steps.remove(0);
        if let Some((folder, uid)) = moved {
            progress.folder = folder;
            progress.uid = uid;
        }
        let record = StepDone {
            plan: progress.to_json(),
            next_check_at: progress.steps.first().map_or(now, |s| s.at),
            ..done
        };
        store::record_step(db, w.placement.send_id, record, deps.clock.now()).await?;
    }
    Ok(())
}

fn step_done(action: Action, detail: String, stamp: Stamp) -> StepDone {
    StepDone {
        action: PlacementEvent::from(action).as_str().to_string(),
        ok: true,
        detail,
        stamp: Some(stamp),
        plan: None,
        next_check_at: DateTime::<Utc>::MIN_UTC,
    }
}

#[allow(clippy::too_many_arguments)]
async fn act(
    db: &DatabaseConnection,
    deps: &SendDeps,
    session: &mut Session,
    view: &mut SeedView,
    seed: &seed::Model,
    w: &Work,
    action: Action,
    at: &imap_ops::Located,
    rng: &mut StdRng,
) -> Result<(StepDone, Option<(String, u32)>), Error> {
    match action {
        Action::Open => {
            imap_ops::add_flags(session, at, "\\Seen").await?;
            Ok((
                step_done(
                    action,
                    format!("opened in {}", at.folder.name),
                    Stamp::Opened,
                ),
                None,
            ))
        }
        Action::Flag => {
            imap_ops::add_flags(session, at, "\\Flagged").await?;
            if view.caps.gmail {
                imap_ops::label_important(session, at).await?;
            }
            Ok((
                step_done(action, "marked important".into(), Stamp::Flagged),
                None,
            ))
        }
        Action::Rescue => {
            let inbox = view.inbox();
            let moved = move_message(session, view, at, &inbox, &w.send.message_id).await?;
            let done = step_done(
                action,
                format!("moved from {} to {}", at.folder.name, inbox.name),
                Stamp::Rescued,
            );
            Ok((done, Some(moved)))
        }
        Action::Archive => {
            let target = match imap_ops::with_role(&view.folders, FolderRole::Archive) {
                Some(f) => f.clone(),
                None => {
                    imap_ops::ensure_folder(session, "Archive").await;
                    view.folders = imap_ops::folders(session).await?;
                    view.by_name("Archive").cloned().ok_or_else(|| {
                        MailError::Command("no archive folder, and creating one failed".into())
                    })?
                }
            };
            let moved = move_message(session, view, at, &target, &w.send.message_id).await?;
            let done = step_done(
                action,
                format!("archived to {}", target.name),
                Stamp::Archived,
            );
            Ok((done, Some(moved)))
        }
        Action::Reply => Ok((reply(db, deps, seed, w, rng).await?, None)),
    }
}

/// Moves a message and finds it again at its destination (its UID changes).
async fn move_message(
    session: &mut Session,
    view: &SeedView,
    at: &imap_ops::Located,
    to: &Folder,
    message_id: &str,
) -> Result<(String, u32), MailError> {
    if at.folder.wire != to.wire {
        imap_ops::move_uids(session, view.caps, &at.folder, &[at.uid], &to.wire).await?;
    }
    let found = imap_ops::find(session, std::slice::from_ref(to), message_id)
        .await?
        .ok_or_else(|| {
            MailError::Command(format!(
                "the message is not in {} after moving it there",
                to.name
            ))
        })?;
    Ok((to.name.clone(), found.uid))
}

/// Answers the message from the seed, in the same thread and language, through the seed's own
/// SMTP server.
async fn reply(
    db: &DatabaseConnection,
    deps: &SendDeps,
    seed: &seed::Model,
    w: &Work,
    rng: &mut StdRng,
) -> Result<StepDone, Error> {
    let now = deps.clock.now();
    let Some(sender) = mailbox_of(db, w).await? else {
        return Err(Error::Gone("the sender mailbox"));
    };
    let reply_id = new_message_id(&seed.email, rng);
    let answer = seed_reply(w, &sender, &seed.email, rng);
    if !store::reserve_reply(
        db,
        sender.id,
        w.placement.send_id,
        &reply_id,
        &answer.draft,
        now,
    )
    .await?
    {
        // Reserved before: the reply was sent, or its sending was interrupted. Never twice.
        let mut done = step_done(
            Action::Reply,
            "a reply was already sent for this message".into(),
            Stamp::Replied,
        );
        done.stamp = None;
        return Ok(done);
    }
    let references = rules::references(w.send.reference_ids.as_deref(), &w.send.message_id);
    let built = message::build(&Outgoing {
        from: Address {
            name: None,
            email: &seed.email,
        },
        to: Address {
            name: Some(&answer.to_name),
            email: &sender.email,
        },
        subject: &answer.draft.subject,
        message_id: &reply_id,
        in_reply_to: Some(&w.send.message_id),
        references: Some(&references),
        date: now,
        body: &answer.draft.body,
    })
    .map_err(|e| MailError::Message(format!("cannot build the reply: {e}")))?;
    let login = deps.login(&seed_smtp(seed))?;
    let answer = warmup_mail::smtp::submit(&login, &deps.tls, &deps.connect, &built, None).await;
    if answer.accepted() {
        Ok(step_done(
            Action::Reply,
            format!("replied to {} as <{reply_id}>", sender.email),
            Stamp::Replied,
        ))
    } else {
        // Not retried: a second try could be a second reply if the first got through.
        let mut done = step_done(
            Action::Reply,
            format!(
                "the seed's SMTP server refused the reply: {} {}",
                answer.code, answer.text
            ),
            Stamp::Replied,
        );
        done.ok = false;
        done.stamp = None;
        Ok(done)
    }
}

/// What a seed answers to `w`'s message from `sender`.
struct SeedReply {
    draft: Draft,
    /// The name the reply's To header shows: like every name a seed writes, the sender's plain
    /// first name or none, never the tenant's display name as it was given.
    to_name: String,
}

/// The seed's answer, in the message's language, signed with the name in the seed's address.
fn seed_reply(
    w: &Work,
    sender: &mailbox::Model,
    seed_email: &str,
    rng: &mut impl rand::Rng,
) -> SeedReply {
    let language = w
        .send
        .language
        .parse::<Language>()
        .unwrap_or_else(|_| Language::english());
    let draft = compose_reply(
        language,
        &w.send.subject,
        &w.send.body,
        &sender.display_name,
        w.placement.sent_at,
        &first_name(seed_email),
        rng,
    );
    SeedReply {
        draft,
        to_name: plain_first_name(&sender.display_name),
    }
}

async fn mailbox_of(
    db: &DatabaseConnection,
    w: &Work,
) -> Result<Option<mailbox::Model>, StoreError> {
    use sea_orm::EntityTrait;
    Ok(mailbox::Entity::find_by_id(w.placement.mailbox_id)
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows;

    #[test]
    fn a_seed_names_its_sender_by_a_plain_first_name_only() {
        let mut rng = StdRng::seed_from_u64(1);
        let m = test_rows::mailbox("Visit https://evil.example now");
        let w = test_rows::work(
            &m,
            "Lunch on Friday?",
            "Hi Jonas,\n\nLunch?\n\nBest,\nVisit",
        );
        let answer = seed_reply(&w, &m, "jonas.berg@seeds.example", &mut rng);
        assert_eq!(answer.to_name, "Visit");
        assert!(!answer.draft.body.contains("evil"), "{}", answer.draft.body);
        assert!(answer.draft.body.contains("Visit"), "{}", answer.draft.body);
        assert!(
            answer.draft.body.contains("\nJonas\n"),
            "{}",
            answer.draft.body
        );
        assert_eq!(answer.draft.subject, "Re: Lunch on Friday?");

        let unnamed = test_rows::mailbox("https://evil.example/x");
        let answer = seed_reply(&w, &unnamed, "jonas.berg@seeds.example", &mut rng);
        assert_eq!(answer.to_name, "");
        assert!(!answer.draft.body.contains("evil"), "{}", answer.draft.body);
    }
}
