//! Reads the sender's mailbox for what comes back from warmup: delivery reports (each DSN
//! parsed, matched to its send by the quoted Message-ID and recorded) and the seeds' replies
//! (their placement recorded, rescued from spam, marked read, and sometimes answered to carry
//! the thread on). Both are filed into the warmup folder so the user's inbox stays clean;
//! other mail is left alone.

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sea_orm::{DatabaseConnection, EntityTrait};
use warmup_domain::content::compose_reply;
use warmup_domain::email::{first_name, new_message_id};
use warmup_domain::engagement::{Rates, sender_continues};
use warmup_domain::folder::FolderRole;
use warmup_domain::language::Language;
use warmup_domain::log_text::escape_control;
use warmup_domain::placement::PlacementClass;
use warmup_domain::state::EventOutcome;
use warmup_entity::store::engagement::{self as engagement_store, Work};
use warmup_entity::store::mailboxes;
use warmup_entity::store::reports::{self, Report};
use warmup_entity::store::{OrgId, StoreError, leases, warmup};
use warmup_entity::{mailbox, send};

use warmup_mail::MailError;
use warmup_mail::dsn;
use warmup_mail::imap::{self as imap_ops, Caps, Folder, Session};

use crate::Error;
use crate::deps::{SendDeps, mailbox_imap};
use crate::fair;

/// Real time one mailbox's scan may take.
const SCAN_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Where warmup mail and its reports are filed in the sender's mailbox.
pub const WARMUP_FOLDER: &str = "Warmup";

/// Sender mailboxes read at once by one worker.
const SCANS_AT_ONCE: usize = 4;

/// How long a sender mailbox that awaits nothing is left unread (simulated). Only delivery
/// reports of sends older than the awake window can come then: delay notices after hours,
/// bounces after days; a few readings a day find them soon enough to count.
const REST: chrono::Duration = chrono::Duration::hours(6);

/// Seeds' replies looked for in one reading.
const REPLIES_AT_ONCE: u64 = 50;

/// How long a sender mailbox whose server could not be read rests (simulated), unless something
/// wakes it: a server that is down or refuses the login is not asked again every round.
const REST_AFTER_FAILURE: chrono::Duration = chrono::Duration::hours(1);

/// What one reading of a sender mailbox found.
struct Scanned {
    /// Delivery reports recorded.
    reports: u32,
    /// Whether seeds' replies are still to be found there.
    replies_awaited: bool,
}

/// Scans every sender mailbox with a warmup that is due for reading; returns how many reports
/// were recorded. A mailbox is read by one worker at a time, once per `every` (simulated): its
/// lease is held while it is read and then until its next reading is due. A mailbox that awaits
/// nothing rests: it is read again when its rest runs out or something wakes it (a send from it,
/// a seed's reply to it), so an idle tenant costs no IMAP session every round. Mailboxes are read a
/// few at once, organizations in turn, each organization within its share of the slots, so one
/// tenant's silent servers cost only that tenant time.
pub async fn scan_all(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    every: chrono::Duration,
) -> Result<u32, StoreError> {
    // The next reading is due a round after this one started, not after it ended: the
    // caller's rounds are timed from their start too.
    let started = deps.clock.now();
    let resting = leases::held_with_prefix(db, leases::MAILBOX_REST_PREFIX, started).await?;
    let awake = leases::held_with_prefix(db, leases::MAILBOX_AWAKE_PREFIX, started).await?;
    let targets: Vec<_> = mailboxes::scan_targets(db)
        .await?
        .into_iter()
        .filter(|(_, id)| {
            awake.contains(&leases::mailbox_awake(*id))
                || !resting.contains(&leases::mailbox_rest(*id))
        })
        .collect();
    let recorded = std::sync::atomic::AtomicU32::new(0);
    let failure: std::sync::Mutex<Option<StoreError>> = std::sync::Mutex::new(None);
    // Mailboxes not started within one interval wait for the next round.
    let until = std::time::Instant::now() + deps.clock.real(every);
    fair::run(targets, SCANS_AT_ONCE, Some(until), |id| {
        let (recorded, failure) = (&recorded, &failure);
        async move {
            match scan_one(db, deps, owner, id, started, every).await {
                Ok(n) => {
                    recorded.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                }
                Err(e) => {
                    if let Ok(mut f) = failure.lock() {
                        f.get_or_insert(e);
                    }
                }
            }
        }
    })
    .await;
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    Ok(recorded.into_inner())
}

/// Reads one mailbox under its lease, unless another worker holds it or it is not due.
async fn scan_one(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    id: uuid::Uuid,
    started: DateTime<Utc>,
    every: chrono::Duration,
) -> Result<u32, StoreError> {
    let lease = leases::mailbox_scan(id);
    let now = deps.clock.now();
    // Outlives the scan's time limit, so a live scan keeps its mailbox.
    if !leases::take_when_due(db, &lease, owner, now, now + deps.simulated(SCAN_LIMIT * 2)).await? {
        return Ok(0);
    }
    // Read under the lease: deleted since the round began, it is not read.
    let Some(m) = mailbox::Entity::find_by_id(id).one(db).await? else {
        leases::release(db, &lease, owner).await?;
        return Ok(0);
    };
    let m = &m;
    let scanned = tokio::time::timeout(SCAN_LIMIT, scan_mailbox(db, deps, m))
        .await
        .unwrap_or_else(|_| Err(MailError::Command("the IMAP server took too long".into()).into()));
    leases::hold_until(db, &lease, owner, started + every).await?;
    let rest = leases::mailbox_rest(id);
    match scanned {
        Ok(found) => {
            if found.replies_awaited {
                leases::unmark(db, &rest).await?;
            } else {
                leases::mark(db, &rest, started + REST).await?;
            }
            Ok(found.reports)
        }
        Err(Error::Store(e)) => Err(e),
        // One unreachable mailbox must not stop the others.
        Err(e) => {
            tracing::warn!(mailbox = %m.id, error = %escape_control(&e.to_string()), "inbox scan failed");
            leases::mark(db, &rest, started + REST_AFTER_FAILURE).await?;
            Ok(0)
        }
    }
}

async fn scan_mailbox(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &mailbox::Model,
) -> Result<Scanned, Error> {
    let mut session = deps.open_imap(&mailbox_imap(m)).await?;
    let result = async {
        let caps = imap_ops::capabilities(&mut session).await?;
        let reports = scan_inbox(db, deps, m, &mut session, caps).await?;
        let folders = imap_ops::folders(&mut session).await?;
        let replies_awaited = find_replies(db, deps, m, &mut session, caps, &folders).await?;
        Ok(Scanned {
            reports,
            replies_awaited,
        })
    }
    .await;
    let _ = session.logout().await;
    result
}

async fn scan_inbox(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &mailbox::Model,
    session: &mut Session,
    caps: Caps,
) -> Result<u32, Error> {
    let candidates = imap_ops::inbox_report_uids(session).await?;
    let mut ours = Vec::new();
    let mut recorded = 0;
    // One at a time: a long backlog costs one message of memory, and what was read before a
    // timeout is recorded.
    for uid in candidates {
        let Some(raw) = imap_ops::fetch_raw(session, uid).await? else {
            continue;
        };
        let Some(report) = dsn::parse(&raw) else {
            continue;
        };
        let (Some(id), Some(worst)) =
            (report.original_message_id.as_deref(), report.worst_action())
        else {
            continue;
        };
        let Some(send) = reports::by_message_id(db, m.id, id).await? else {
            continue;
        };
        ours.push(uid);
        let outcome = if worst.is_failure() {
            EventOutcome::Bounced
        } else if worst.is_delay() {
            EventOutcome::Delayed
        } else {
            // A report of success (delivered, relayed): nothing went wrong to record.
            continue;
        };
        let r = Report {
            outcome,
            action: worst.action.clone(),
            status: worst.status.clone(),
            diagnostic: worst.diagnostic.clone(),
        };
        if reports::record_report(db, &send, r, deps.clock.now()).await? {
            recorded += 1;
        }
    }
    let inbox = Folder {
        wire: "INBOX".into(),
        name: "INBOX".into(),
        role: FolderRole::Inbox,
    };
    file_away(session, caps, &inbox, &ours).await?;
    Ok(recorded)
}

/// Moves messages of `from` into the warmup folder.
async fn file_away(
    session: &mut Session,
    caps: Caps,
    from: &Folder,
    uids: &[u32],
) -> Result<(), MailError> {
    if uids.is_empty() {
        return Ok(());
    }
    imap_ops::ensure_folder(session, WARMUP_FOLDER).await;
    imap_ops::move_uids(session, caps, from, uids, WARMUP_FOLDER).await
}

/// Finds the seeds' replies in the sender's mailbox: each one's placement is recorded, it is
/// marked read and filed (out of spam too, which is the rescue), and the thread sometimes goes
/// on with the sender's answer, queued as a send like any other. True when replies are still
/// awaited: one was not there yet, or more wait than one reading looks for.
async fn find_replies(
    db: &DatabaseConnection,
    deps: &SendDeps,
    m: &mailbox::Model,
    session: &mut Session,
    caps: Caps,
    folders: &[Folder],
) -> Result<bool, Error> {
    let waiting = engagement_store::replies_to_find(db, m.id, REPLIES_AT_ONCE).await?;
    if waiting.is_empty() {
        return Ok(false);
    }
    let mut awaited = waiting.len() as u64 >= REPLIES_AT_ONCE;
    let prefs = warmup::preferences_of(db, OrgId(m.organization_id), m.id).await?;
    let mut rng = StdRng::from_os_rng();
    // Replies already filed were recorded when they were filed.
    let searched: Vec<Folder> = folders
        .iter()
        .filter(|f| f.wire != WARMUP_FOLDER)
        .cloned()
        .collect();
    for w in waiting {
        let Some(reply_id) = w.placement.reply_message_id.clone() else {
            continue;
        };
        let now = deps.clock.now();
        let found = imap_ops::find(session, &searched, &reply_id).await?;
        let Some(at) = found else {
            let sent = w.placement.replied_at.unwrap_or(now);
            let waited = deps.clock.real(now - sent);
            let missing = warmup_domain::placement::counts_as_missing(waited, deps.missing_after);
            awaited |= !missing;
            if missing {
                engagement_store::record_reply_seen(
                    db,
                    w.placement.send_id,
                    PlacementClass::Missing.as_str(),
                    "",
                    "the seed's reply never arrived in the sender's mailbox",
                    None,
                    now,
                )
                .await?;
            }
            continue;
        };
        imap_ops::add_flags(session, &at, "\\Seen").await?;
        file_away(session, caps, &at.folder, &[at.uid]).await?;
        let class = at.folder.role.placement();
        let rescued = if class.needs_rescue() {
            ", rescued"
        } else {
            ""
        };
        let detail = format!(
            "the reply was in {} ({}){rescued}; marked read and filed in {WARMUP_FOLDER}",
            at.folder.name,
            class.as_str()
        );
        let reply_depth = u32::try_from(w.send.thread_depth).unwrap_or(0) + 1;
        let continuation =
            if sender_continues(&Rates::from_preferences(&prefs), reply_depth, &mut rng) {
                let delay = prefs.pattern.params().reply_delay.draw(&mut rng);
                continuation(m, &w, &reply_id, now, now + delay, &mut rng)
            } else {
                None
            };
        engagement_store::record_reply_seen(
            db,
            w.placement.send_id,
            class.as_str(),
            &at.folder.name,
            &detail,
            continuation,
            now,
        )
        .await?;
    }
    Ok(awaited)
}

/// The sender's answer to a seed's reply: a send to the same seed, in the same thread and
/// language, written `now` and due `at`. It quotes the reply as the service wrote it, kept with
/// the placement; the copy in the sender's mailbox is the tenant's to change, and what the
/// answer quotes the seed quotes again. A reply kept without its text (sent before the text was
/// kept) gets no answer.
fn continuation(
    m: &mailbox::Model,
    w: &Work,
    reply_id: &str,
    now: DateTime<Utc>,
    at: DateTime<Utc>,
    rng: &mut StdRng,
) -> Option<send::Model> {
    let subject = w.placement.reply_subject.as_deref()?;
    let body = w.placement.reply_body.as_deref()?;
    let language = w
        .send
        .language
        .parse::<Language>()
        .unwrap_or_else(|_| Language::english());
    let seed_name = first_name(&w.send.seed_email);
    let draft = compose_reply(
        language,
        subject,
        body,
        &seed_name,
        w.placement.replied_at.unwrap_or(at),
        &m.display_name,
        rng,
    );
    // This answers the seed's reply, whose References were the original's plus its Message-ID.
    let seed_reply =
        warmup_domain::engagement::references(w.send.reference_ids.as_deref(), &w.send.message_id);
    let references = warmup_domain::engagement::references(Some(&seed_reply), reply_id);
    let draft = send::Draft {
        organization_id: m.organization_id,
        mailbox_id: m.id,
        seed_id: w.send.seed_id,
        seed_email: w.send.seed_email.clone(),
        provider: w.send.provider.clone(),
        plan_date: w.send.plan_date.clone(),
        message_id: new_message_id(&m.email, rng),
        language: w.send.language.clone(),
        subject: draft.subject,
        body: draft.body,
    };
    Some(send::Model {
        thread_depth: w.send.thread_depth + 2,
        in_reply_to: Some(reply_id.to_string()),
        reference_ids: Some(references),
        ..send::Model::planned(draft, at, now)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows;

    fn replied(m: &mailbox::Model) -> Work {
        let mut w = test_rows::work(m, "Lunch on Friday?", "Hi Jonas,\n\nLunch?\n\nBest,\nAnna");
        w.placement.reply_message_id = Some("reply@seeds.example".into());
        w.placement.replied_at = Some(test_rows::at());
        w.placement.reply_subject = Some("Re: Lunch on Friday?".into());
        w.placement.reply_body = Some("Hi Anna,\n\nFriday works.\n\nCheers,\nJonas".into());
        w
    }

    /// Whatever the sender's mailbox holds under the reply's Message-ID (the tenant can plant
    /// any message there), the answer quotes the reply the seed was given to send.
    #[test]
    fn the_sender_s_answer_quotes_the_seed_s_reply_as_the_service_wrote_it() {
        let mut rng = StdRng::seed_from_u64(2);
        let m = test_rows::mailbox("Visit https://evil.example now");
        let w = replied(&m);
        let now = test_rows::at();
        let next = continuation(&m, &w, "reply@seeds.example", now, now, &mut rng)
            .unwrap_or_else(|| panic!("no continuation"));
        assert_eq!(next.subject, "Re: Lunch on Friday?");
        assert!(next.body.contains("\n> Friday works.\n"), "{}", next.body);
        assert!(!next.body.contains("evil"), "{}", next.body);
        assert!(next.body.contains("\nVisit\n"), "{}", next.body);
        assert_eq!(next.in_reply_to.as_deref(), Some("reply@seeds.example"));
        assert_eq!(next.thread_depth, 2);
    }

    #[test]
    fn a_reply_kept_without_its_text_gets_no_answer() {
        let mut rng = StdRng::seed_from_u64(3);
        let m = test_rows::mailbox("Anna");
        let now = test_rows::at();
        let mut w = replied(&m);
        w.placement.reply_body = None;
        assert_eq!(
            continuation(&m, &w, "reply@seeds.example", now, now, &mut rng),
            None
        );
        let mut w = replied(&m);
        w.placement.reply_subject = None;
        assert_eq!(
            continuation(&m, &w, "reply@seeds.example", now, now, &mut rng),
            None
        );
    }
}
