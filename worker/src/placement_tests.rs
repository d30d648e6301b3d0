//! Placement tests at work: schedules that are due become tests, an internal test's message is
//! sent from its mailbox once to each of its seeds, each seed looks for the message of every
//! open test (by Message-ID, or by the test code for a message the user sent), records where
//! it landed and leaves it there, unread, unless the test asked to engage; and tests whose
//! window ended are closed, the seeds that never got the message counted `missing`.

use chrono::{Duration, Utc};
use sea_orm::DatabaseConnection;
use warmup_domain::log_text::escape_control;
use warmup_entity::store::engagement::{lease_seed, release_seed};
use warmup_entity::store::placement_tests::{self as store, Arrival};
use warmup_entity::store::{OrgId, StoreError, leases, seeds};
use warmup_entity::{mailbox, placement_test, placement_test_seed};
use warmup_mail::MailError;
use warmup_mail::imap::{self as imap_ops, Located, Session};
use warmup_mail::message::{self, Address, Outgoing};
use warmup_mail::received::{carries_test_code, header_block};

use crate::Error;
use crate::deps::{SendDeps, mailbox_smtp, seed_imap};
use crate::engagement::SeedView;

/// Real time one seed session may take, and how long its lease lasts.
const SESSION_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// The lease that spaces one seed's readings for tests.
const SCAN_LEASE_PREFIX: &str = "placement-test-scan:";

/// Real time before a seed whose server refused the test's message is tried again.
const SEND_RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// The shortest real time between two readings of a seed for tests.
const READ_AT_MOST_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// The header block kept per seed, at most: enough for every Received and
/// Authentication-Results line of a real message.
const MAX_HEADERS: usize = 64 * 1024;

/// One round: due schedules become tests, messages are sent, seeds are read, windows close.
pub async fn run_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
) -> Result<(), StoreError> {
    if let Err(e) = run_schedules(db, deps).await {
        tracing::error!(error = %escape_control(&e.to_string()), "running scheduled placement tests failed");
    }
    let now = deps.clock.now();
    for id in store::to_send(db, now).await? {
        send_test(db, deps, owner, id).await?;
    }
    let now = deps.clock.now();
    // A seed is read for tests once a simulated minute, never more than every two seconds.
    let every = deps.simulated(
        deps.clock
            .real(Duration::minutes(1))
            .max(READ_AT_MOST_EVERY),
    );
    // One read of the readings not yet due, so that a round writes only for seeds it reads.
    let waiting = leases::held_with_prefix(db, SCAN_LEASE_PREFIX, now).await?;
    for seed_id in store::seeds_to_read(db, now).await? {
        let lease = format!("{SCAN_LEASE_PREFIX}{seed_id}");
        if waiting.contains(&lease)
            || !leases::take_when_due(db, &lease, owner, now, now + every).await?
        {
            continue;
        }
        if let Err(e) = read_seed(db, deps, owner, seed_id).await {
            tracing::warn!(seed = %seed_id, error = %escape_control(&e.to_string()), "reading a seed for placement tests failed");
        }
    }
    store::close_due(db, deps.clock.now()).await?;
    Ok(())
}

async fn run_schedules(db: &DatabaseConnection, deps: &SendDeps) -> Result<(), StoreError> {
    let now = deps.clock.now();
    for (s, new) in store::take_due_schedules(db, now, Duration::days(1)).await? {
        match store::create(
            db,
            OrgId(s.organization_id),
            &new,
            store::Run::Of(s.id),
            now,
        )
        .await
        {
            Ok(t) => {
                tracing::info!(schedule = %s.id, test = %t.test.id, "ran a scheduled placement test")
            }
            // A mailbox whose seeds all went inactive: this run is skipped, the next one tries.
            Err(e) => {
                tracing::warn!(schedule = %s.id, error = %escape_control(&e.to_string()), "a scheduled placement test could not start")
            }
        }
    }
    Ok(())
}

/// Sends an internal test's message to each seed it was not sent to yet, under the test's
/// sending lease.
async fn send_test(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    id: uuid::Uuid,
) -> Result<(), StoreError> {
    let now = deps.clock.now();
    // One conversation at a time; the lease is renewed before each.
    let lease = deps.simulated(deps.connect.conversation_limit * 2 + deps.connect.timeout * 2);
    let Some((t, m, rows)) = store::claim_send(db, id, owner, now, now + lease).await? else {
        return Ok(());
    };
    let mut failed = false;
    for row in &rows {
        let now = deps.clock.now();
        if !store::renew_send(db, id, owner, now + lease).await? {
            return Ok(());
        }
        match deliver(deps, &t, &m, row).await {
            Ok(()) => store::mark_sent(db, row.id, deps.clock.now()).await?,
            Err(e) => {
                failed = true;
                let e = e.to_string();
                tracing::warn!(test = %t.id, seed = %row.seed_email, error = %escape_control(&e), "a placement test's message was not accepted");
                store::note_error(db, row.id, &e, deps.clock.now()).await?;
            }
        }
    }
    // Refused somewhere: tried again after a while, within the window, not every round.
    let retry_at = failed.then(|| deps.clock.now() + deps.simulated(SEND_RETRY_AFTER));
    store::release_send(db, id, owner, retry_at).await
}

async fn deliver(
    deps: &SendDeps,
    t: &placement_test::Model,
    m: &mailbox::Model,
    row: &placement_test_seed::Model,
) -> Result<(), Error> {
    let login = deps.login(&mailbox_smtp(m))?;
    let message_id = t.message_id.clone().unwrap_or_default();
    let text = t.text_body.clone().unwrap_or_default();
    // Neither text nor HTML: the subject is the text, rather than an empty message.
    let text = if text.is_empty() && t.html_body.is_none() {
        t.subject.clone().unwrap_or_default()
    } else {
        text
    };
    let built = message::build_test(
        &Outgoing {
            from: Address {
                name: Some(&m.display_name),
                email: &m.email,
            },
            to: Address {
                name: None,
                email: &row.seed_email,
            },
            subject: t.subject.as_deref().unwrap_or_default(),
            message_id: &message_id,
            in_reply_to: None,
            references: None,
            date: deps.clock.now(),
            body: &text,
        },
        t.html_body.as_deref(),
        &t.test_code,
    )?;
    let signed = crate::sender::dkim_signed(m, &built, deps)?;
    let reply =
        warmup_mail::smtp::submit(&login, &deps.tls, &deps.connect, &built, signed.as_deref())
            .await;
    if reply.accepted() {
        Ok(())
    } else {
        Err(MailError::Command(format!("{} {}", reply.code, reply.text)).into())
    }
}

async fn read_seed(
    db: &DatabaseConnection,
    deps: &SendDeps,
    owner: &str,
    seed_id: uuid::Uuid,
) -> Result<(), Error> {
    let now = deps.clock.now();
    // One session per seed, shared with warmup and seed-list reading.
    if !lease_seed(db, seed_id, owner, now, now + deps.simulated(SESSION_LIMIT)).await? {
        return Ok(());
    }
    let outcome = tokio::time::timeout(SESSION_LIMIT, read_session(db, deps, seed_id)).await;
    release_seed(db, seed_id, owner).await?;
    match outcome {
        Ok(r) => r,
        Err(_) => Err(MailError::Command("the seed's session ran out of time".into()).into()),
    }
}

async fn read_session(
    db: &DatabaseConnection,
    deps: &SendDeps,
    seed_id: uuid::Uuid,
) -> Result<(), Error> {
    let now = deps.clock.now();
    let wanted = store::looked_for_at(db, seed_id, now).await?;
    if wanted.is_empty() {
        return Ok(());
    }
    let Some(seed) = seeds::by_id(db, seed_id).await? else {
        return Ok(());
    };
    let mut session = match deps.open_imap(&seed_imap(&seed)).await {
        Ok(s) => s,
        Err(e) => {
            let e = format!("seed {}: {e}", seed.email);
            for (_, row) in &wanted {
                store::note_error(db, row.id, &e, now).await?;
            }
            return Ok(());
        }
    };
    let view = SeedView::read(&mut session).await?;
    for (t, row) in &wanted {
        match look(db, deps, &mut session, &view, t, row).await {
            Ok(()) => {}
            Err(Error::Store(e)) => return Err(e.into()),
            Err(e) => {
                store::note_error(db, row.id, &e.to_string(), deps.clock.now()).await?;
                if session.noop().await.is_err() {
                    return Ok(());
                }
            }
        }
    }
    let _ = session.logout().await;
    Ok(())
}

/// The test's message at this seed, if it is there: by Message-ID for a message the service
/// sent, else the first message since the test began that carries the code.
async fn locate(
    deps: &SendDeps,
    session: &mut Session,
    view: &SeedView,
    t: &placement_test::Model,
) -> Result<Option<(Located, imap_ops::Fetched)>, Error> {
    if let Some(id) = &t.message_id {
        let Some(at) = imap_ops::find(session, &view.folders, id).await? else {
            return Ok(None);
        };
        return Ok(imap_ops::fetch(session, &at).await?.map(|f| (at, f)));
    }
    // The server's dates are real ones; a day earlier covers time zones.
    let since = (Utc::now() - Duration::days(1)).date_naive();
    for at in imap_ops::find_text(session, &view.folders, &t.test_code, since).await? {
        let Some(f) = imap_ops::fetch(session, &at).await? else {
            continue;
        };
        // Only what arrived once the test existed (the server's whole seconds given a second).
        let arrived = f
            .internal_date
            .map(|d| deps.clock.simulated_at(d + Duration::seconds(1)));
        if arrived.is_some_and(|a| a < t.created_at) {
            continue;
        }
        if carries_test_code(&f.raw, &t.test_code) {
            return Ok(Some((at, f)));
        }
    }
    Ok(None)
}

async fn look(
    db: &DatabaseConnection,
    deps: &SendDeps,
    session: &mut Session,
    view: &SeedView,
    t: &placement_test::Model,
    row: &placement_test_seed::Model,
) -> Result<(), Error> {
    let Some((at, fetched)) = locate(deps, session, view, t).await? else {
        return Ok(());
    };
    let now = deps.clock.now();
    let auth = deps.auth.verify(&fetched.raw).await;
    let from = warmup_mail::received::read_header(&fetched.raw)
        .map(|h| h.from)
        .unwrap_or_default();
    let class = at.folder.role.placement();
    let arrival = Arrival {
        class,
        folder: at.folder.name.clone(),
        uid: at.uid,
        arrived_at: fetched
            .internal_date
            .map_or(now, |d| deps.clock.simulated_at(d).min(now)),
        spf: auth.spf,
        dkim: auth.dkim,
        dmarc: auth.dmarc,
        from,
        raw_headers: header_block(&fetched.raw, MAX_HEADERS),
    };
    if !store::record_arrival(db, t, row, arrival, now).await? {
        return Ok(());
    }
    if t.engage {
        engage(session, view, &at).await?;
        store::mark_engaged(db, row.id, deps.clock.now()).await?;
    }
    Ok(())
}

/// What a person would do with a test message they want: open it, mark it important, and
/// take it out of spam or a category.
async fn engage(session: &mut Session, view: &SeedView, at: &Located) -> Result<(), Error> {
    imap_ops::add_flags(session, at, "\\Seen \\Flagged").await?;
    let inbox = view.inbox();
    if at.folder.role.placement().needs_rescue() && at.folder.wire != inbox.wire {
        imap_ops::move_uids(session, view.caps, &at.folder, &[at.uid], &inbox.wire).await?;
    }
    Ok(())
}
