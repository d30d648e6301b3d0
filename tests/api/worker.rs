//! The background worker: housekeeping forgets expired idempotency keys and keeps fresh ones.

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::json;
use warmup_entity::{api_key, idempotency_key};

use crate::helpers::{ADMIN_KEY, TestApp};
use crate::on_both_databases;

on_both_databases!(housekeeping_forgets_expired_idempotency_keys_only);

async fn housekeeping_forgets_expired_idempotency_keys_only(app: &TestApp) {
    // A fresh key, written through the API.
    let fresh = app
        .client
        .post(format!("{}/v1/api-keys", app.address))
        .bearer_auth(ADMIN_KEY)
        .header("Idempotency-Key", "fresh")
        .json(&json!({"name": "n"}))
        .send()
        .await
        .map(|r| r.status().as_u16());
    assert_eq!(fresh.ok(), Some(201));
    // An expired one, backdated in the database.
    let key = api_key::Entity::find()
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no API key"));
    idempotency_key::ActiveModel {
        api_key_id: Set(key.id),
        idempotency_key: Set("expired".into()),
        request_fingerprint: Set("POST /v1/api-keys x".into()),
        status_code: Set(Some(201)),
        response_body: Set(Some("{}".into())),
        created_at: Set(Utc::now() - chrono::Duration::hours(25)),
    }
    .insert(&app.db)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        idempotency_key::Entity::find().count(&app.db).await.ok(),
        Some(2)
    );

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let options = warmup_worker::WorkerOptions {
        housekeeping_schedule: "* * * * * *".into(),
        ..warmup_worker::WorkerOptions::default()
    };
    let worker = tokio::spawn(warmup_worker::run_until(
        app.db.clone(),
        options,
        async move {
            let _ = stopped.await;
        },
    ));
    let mut left = 2;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        left = idempotency_key::Entity::find()
            .count(&app.db)
            .await
            .unwrap_or(0);
        if left == 1 {
            break;
        }
    }
    let _ = stop.send(());
    let finished = tokio::time::timeout(Duration::from_secs(35), worker).await;
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "worker did not stop cleanly: {finished:?}"
    );
    assert_eq!(left, 1);
    let remaining = idempotency_key::Entity::find()
        .all(&app.db)
        .await
        .unwrap_or_default();
    assert_eq!(remaining[0].idempotency_key, "fresh");
}

/// A mailbox created through the API from `body`: its id and its organization.
async fn mailbox_of(app: &TestApp, body: &serde_json::Value) -> (uuid::Uuid, uuid::Uuid) {
    let mailbox = app.create_mailbox(ADMIN_KEY, body).await;
    app.mailbox_and_org(mailbox["id"].as_str().unwrap_or_default())
        .await
}

/// A mailbox's body whose SMTP server is on loopback at `port`, without TLS.
fn smtp_at(email: &str, port: u16) -> serde_json::Value {
    let mut body = crate::helpers::mailbox_body(email, "pw-123456");
    body["smtp"] =
        json!({"host": "127.0.0.1", "port": port, "security": "none", "password": "pw-123456"});
    body
}

/// A port nothing listens on: a connection to it is refused, a transient failure.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

on_both_databases!(a_due_send_goes_through_one_job_and_a_second_job_does_nothing);

/// A due send is queued as a job in the service's own database and sent by it: the attempt is
/// recorded once. A second job for the same send (a duplicate delivery) claims nothing. While
/// the warmup is paused, the send waits.
async fn a_due_send_goes_through_one_job_and_a_second_job_does_nothing(app: &TestApp) {
    use warmup_entity::send;
    use warmup_worker::send_queue::SendQueue;

    // An SMTP server that refuses connections: the attempt is a transient failure, recorded.
    let (mailbox_id, org) = mailbox_of(app, &smtp_at("jobs@example.net", closed_port())).await;
    let warmup_path = format!("/v1/mailboxes/{mailbox_id}/warmup");
    let s = planned_send(org, mailbox_id);
    let secrets = warmup_entity::secret_box::SecretBox::from_base64(
        app.settings.secret_key.as_deref().unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tls = warmup_mail::TlsTrust::load(None).unwrap_or_else(|e| panic!("{e}"));
    // Rounds every half second (30 simulated seconds at 60×).
    let clock = warmup_entity::Clock::scaled(60.0);
    let options = warmup::startup::worker_options(&app.settings, secrets, tls, clock)
        .unwrap_or_else(|e| panic!("{e}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(warmup_worker::run_until(
        app.db.clone(),
        options,
        async move {
            let _ = stopped.await;
        },
    ));
    // The send becomes due while the worker idles, and while the warmup is paused: it waits.
    tokio::time::sleep(Duration::from_secs(2)).await;
    app.post(&format!("{warmup_path}/pause"), ADMIN_KEY, &json!({}))
        .await
        .expect(200);
    sea_orm::IntoActiveModel::into_active_model(s.clone())
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    tokio::time::sleep(Duration::from_secs(3)).await;
    let held = send::Entity::find_by_id(s.id)
        .one(&app.db)
        .await
        .ok()
        .flatten();
    assert_eq!(
        held.map(|h| h.state),
        Some("planned".to_string()),
        "a paused warmup sends nothing"
    );
    // Started again: its job is picked up promptly.
    app.post(&format!("{warmup_path}/start"), ADMIN_KEY, &json!({}))
        .await
        .expect(200);
    let attempts = || async {
        warmup_entity::store::send_reads::attempts_of(&app.db, s.id)
            .await
            .unwrap_or_default()
    };
    let mut first = Vec::new();
    // Well under apalis' 30 s heartbeat, which once was the only thing waking a worker.
    for _ in 0..100 {
        first = attempts().await;
        if !first.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let row = send::Entity::find_by_id(s.id)
        .one(&app.db)
        .await
        .ok()
        .flatten();
    assert_eq!(
        first.len(),
        1,
        "one attempt through the job: {first:?} {row:?}"
    );
    assert_eq!(first[0].outcome, "deferred", "{first:?}");
    // /metrics counts it by outcome and category, and shows the send waiting.
    let metrics = app.metrics_text().await;
    let counted = format!(
        "warmup_sends_total{{outcome=\"deferred\",category=\"{}\"}} 1",
        first[0].category
    );
    assert!(
        metrics.lines().any(|l| l == counted),
        "{counted} in\n{metrics}"
    );
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("warmup_send_queue{state=") && l.ends_with(" 1")),
        "{metrics}"
    );

    // Its retry is put off far beyond the test: from here on only a pushed job comes to the
    // send, whenever the worker's tick (a second at this clock) finds it, and the send being
    // due again meanwhile would be queued with a job of its own.
    {
        use sea_orm::{ColumnTrait, QueryFilter};
        send::Entity::update_many()
            .col_expr(
                send::Column::NextAttemptAt,
                sea_orm::sea_query::Expr::value(Utc::now() + chrono::Duration::days(30)),
            )
            .filter(send::Column::Id.eq(s.id))
            .exec(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // Its job ended; a second one for the same send (as after the queue deadline) runs and
    // sends nothing.
    let mut ended = Vec::new();
    for _ in 0..50 {
        ended = jobs_of(app, s.id).await;
        if ended.iter().all(|(_, st)| st == "Done") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        ended.len() == 1 && ended[0].1 == "Done",
        "one job, done: {ended:?}"
    );
    let live = SendQueue::new(&app.db, 4)
        .push(&app.db, &[s.id])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(live.is_empty(), "the ended job does not count: {live:?}");
    let mut jobs = Vec::new();
    for _ in 0..100 {
        jobs = jobs_of(app, s.id).await;
        if jobs
            .iter()
            .any(|(id, st)| *id != ended[0].0 && st == "Done")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(35), worker).await;
    assert!(
        jobs.len() == 1 && jobs[0].0 != ended[0].0 && jobs[0].1 == "Done",
        "the ended job was replaced by one that ran: {jobs:?}"
    );
    assert_eq!(attempts().await.len(), 1, "the second job sent nothing");
}

on_both_databases!(a_send_gets_no_second_job_while_its_first_is_waiting);

/// A send queued again while its job still waits (a busy queue past the deadline) gets no
/// second job; once that job ended, or is marked running (perhaps by a worker that died with
/// it), the next push stores a new one.
async fn a_send_gets_no_second_job_while_its_first_is_waiting(app: &TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    use warmup_worker::send_queue::SendQueue;

    let id = uuid::Uuid::now_v7();
    let mut queue = SendQueue::new(&app.db, 4);
    let mut waiting = Vec::new();
    for _ in 0..3 {
        waiting.push(
            queue
                .push(&app.db, &[id])
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        );
    }
    assert_eq!(
        waiting,
        [vec![], vec![id], vec![id]],
        "new, then waiting twice"
    );
    let jobs = jobs_of(app, id).await;
    assert!(
        jobs.len() == 1 && jobs[0].1 == "Pending",
        "one waiting job: {jobs:?}"
    );
    let backend = app.db.get_database_backend();
    let table = warmup_worker::send_queue::jobs_table(backend);
    // (status, attempts of 3, a new job is pushed, the old row is kept)
    let cases = [
        ("Failed", 1, false, true),
        ("Failed", 3, true, false),
        ("Done", 1, true, false),
        ("Running", 1, true, true),
    ];
    for (status, attempts, pushed, kept) in cases {
        let before = jobs_of(app, id).await;
        let sql = format!(
            "UPDATE {table} SET status = '{status}', attempts = {attempts}, max_attempts = 3 \
             WHERE idempotency_key LIKE '{id}:%'"
        );
        app.db
            .execute_raw(Statement::from_string(backend, sql))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let waiting = queue
            .push(&app.db, &[id])
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            waiting.is_empty(),
            pushed,
            "{status} {attempts}: {waiting:?}"
        );
        let after = jobs_of(app, id).await;
        let old_kept = after
            .iter()
            .any(|(j, _)| before.iter().any(|(b, _)| b == j));
        let new_rows = after
            .iter()
            .filter(|(j, _)| !before.iter().any(|(b, _)| b == j))
            .count();
        assert_eq!(
            (new_rows, old_kept),
            (usize::from(pushed), kept),
            "{status} after {attempts} of 3 attempts: {before:?} -> {after:?}"
        );
        // One waiting job from here on, for the next case.
        if kept && pushed {
            let sql = format!(
                "DELETE FROM {table} WHERE idempotency_key LIKE '{id}:%' AND status = 'Running'"
            );
            app.db
                .execute_raw(Statement::from_string(backend, sql))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// The send's job rows: (id, status).
async fn jobs_of(app: &TestApp, send_id: uuid::Uuid) -> Vec<(String, String)> {
    use sea_orm::{ConnectionTrait, Statement};
    use warmup_worker::send_queue::{QUEUE, job_keys, jobs_table};

    let backend = app.db.get_database_backend();
    let sql = format!(
        "SELECT id, status FROM {} WHERE job_type = '{QUEUE}' AND idempotency_key LIKE '{}'",
        jobs_table(backend),
        job_keys(send_id)
    );
    app.db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|r| {
            (
                r.try_get_by_index::<String>(0).unwrap_or_default(),
                r.try_get_by_index::<String>(1).unwrap_or_default(),
            )
        })
        .collect()
}

/// A warmup send due now, not stored.
fn planned_send(org: uuid::Uuid, mailbox_id: uuid::Uuid) -> warmup_entity::send::Model {
    let now = warmup_entity::Clock::system().now();
    let draft = warmup_entity::send::Draft {
        organization_id: org,
        mailbox_id,
        seed_id: None,
        seed_email: "seed@example.org".into(),
        provider: "smtp".into(),
        plan_date: now.date_naive().to_string(),
        message_id: format!("{}@example.net", uuid::Uuid::new_v4().simple()),
        language: "en".into(),
        subject: "Hello".into(),
        body: "Hello there.".into(),
    };
    warmup_entity::send::Model::planned(draft, now, now)
}

on_both_databases!(a_bounce_read_by_two_workers_at_once_is_recorded_once);

/// Two worker processes read the same DSN at the same moment: one records it, the other sees
/// it recorded.
async fn a_bounce_read_by_two_workers_at_once_is_recorded_once(app: &TestApp) {
    use warmup_entity::store::reports::{self, Report};
    use warmup_entity::store::send_reads;
    let mailbox = app
        .create_mailbox(
            ADMIN_KEY,
            &crate::helpers::mailbox_body("bounce@example.net", "pw-123456"),
        )
        .await;
    let mailbox_id: uuid::Uuid = mailbox["id"]
        .as_str()
        .and_then(|m| m.parse().ok())
        .unwrap_or_default();
    let org = warmup_entity::mailbox::Entity::find_by_id(mailbox_id)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .map(|m| m.organization_id)
        .unwrap_or_else(|| panic!("mailbox {mailbox_id}"));
    let mut s = planned_send(org, mailbox_id);
    s.state = "sent".into();
    sea_orm::IntoActiveModel::into_active_model(s.clone())
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let report = || Report {
        outcome: warmup_domain::state::EventOutcome::Bounced,
        action: "failed".into(),
        status: Some("5.1.1".into()),
        diagnostic: Some("550 5.1.1 User unknown".into()),
    };
    let now = warmup_entity::Clock::system().now();
    let (a, b) = tokio::join!(
        reports::record_report(&app.db, &s, report(), now),
        reports::record_report(&app.db, &s, report(), now),
    );
    // SQLite may refuse the loser's write outright (busy snapshot) instead of letting it see
    // the winner's row: either way it records nothing.
    let won = [&a, &b].iter().filter(|r| matches!(r, Ok(true))).count();
    assert_eq!(won, 1, "{a:?} {b:?}");
    let bounced = send_reads::attempts_of(&app.db, s.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|x| x.outcome == "bounced")
        .count();
    assert_eq!(bounced, 1);
}

on_both_databases!(a_sender_mailbox_is_read_by_one_worker_per_round);

/// Several workers read one sender mailbox once per round between them, not once each: the
/// mailbox's scan lease lets one in and keeps the others out until the next reading is due. A
/// mailbox whose server cannot be read rests an hour unless something wakes it.
async fn a_sender_mailbox_is_read_by_one_worker_per_round(app: &TestApp) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use warmup_entity::store::leases;
    use warmup_worker::sender_scan::scan_all;

    // An "IMAP server" that counts connections and closes each one: a reading fails fast,
    // and each attempt shows.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let server = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    let mut body = crate::helpers::mailbox_body("scan@example.net", "pw-123456");
    body["imap"] =
        json!({"host": "127.0.0.1", "port": port, "security": "none", "password": "pw-123456"});
    let mailbox = app.create_mailbox(ADMIN_KEY, &body).await;
    let id = mailbox["id"].as_str().unwrap_or_default();
    app.post(
        &format!("/v1/mailboxes/{id}/warmup/start"),
        ADMIN_KEY,
        &json!({}),
    )
    .await
    .expect(200);

    let deps = app.warmup_deps().await;
    let clock = deps.clock;
    let every = chrono::Duration::minutes(5);
    let scan = |owner: &'static str| {
        let deps = deps.clone();
        async move {
            scan_all(&app.db, &deps, owner, every)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };

    // Three workers at once: one reads.
    tokio::join!(scan("worker-a"), scan("worker-b"), scan("worker-c"));
    assert_eq!(connections.load(Ordering::SeqCst), 1, "one reading");
    // Right after: not due yet, for anyone.
    tokio::join!(scan("worker-a"), scan("worker-b"));
    assert_eq!(connections.load(Ordering::SeqCst), 1, "not due again yet");
    // Once its next reading is due, one worker reads it again.
    let uuid: uuid::Uuid = id.parse().unwrap_or_default();
    let lease = warmup_entity::lease::Entity::find_by_id(leases::mailbox_scan(uuid))
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no scan lease for {id}"));
    let due = (lease.lease_until - clock.now()).num_seconds();
    assert!((200..=300).contains(&due), "next reading in {due} s");
    leases::hold_until(&app.db, &lease.name, &lease.owner, clock.now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(Duration::from_millis(20)).await;
    // Due by its rhythm, but its server could not be read: it rests for an hour.
    let rest = warmup_entity::lease::Entity::find_by_id(leases::mailbox_rest(uuid))
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .map(|r| (r.lease_until - clock.now()).num_minutes());
    assert!(
        rest.is_some_and(|m| (55..=60).contains(&m)),
        "a mailbox that could not be read rests an hour: {rest:?} minutes"
    );
    tokio::join!(scan("worker-b"), scan("worker-c"));
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "resting after a failure"
    );
    // Woken (a send from it), one worker reads it again.
    leases::wake_mailbox(&app.db, uuid, clock.now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::join!(scan("worker-b"), scan("worker-c"));
    assert_eq!(
        connections.load(Ordering::SeqCst),
        2,
        "read again once due and awake"
    );
    server.abort();
}

on_both_databases!(a_seed_s_reply_is_kept_as_written_with_its_reservation);

/// The seed's reply is kept with its Message-ID when it is reserved, and handed to the sender
/// scan with the reply to find: the sender's answer quotes this copy. A second reservation
/// neither sends again nor changes the kept text.
async fn a_seed_s_reply_is_kept_as_written_with_its_reservation(app: &TestApp) {
    use warmup_entity::store::engagement;
    let (mailbox_id, org) = mailbox_of(
        app,
        &crate::helpers::mailbox_body("kept@example.net", "pw-123456"),
    )
    .await;
    let mut s = planned_send(org, mailbox_id);
    s.state = "sent".into();
    sea_orm::IntoActiveModel::into_active_model(s.clone())
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let now = warmup_entity::Clock::system().now();
    engagement::start_locating(&app.db, &s, None, now, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let reply = |body: &str| warmup_domain::content::Draft {
        subject: "Re: Hello".into(),
        body: body.into(),
        language: warmup_domain::language::Language::english(),
    };
    let first = reply("Hi,\n\nThanks!\n\nJonas\n\n> Hello there.");
    let reserve = |id: &'static str, r: warmup_domain::content::Draft| {
        let db = &app.db;
        async move {
            engagement::reserve_reply(db, s.mailbox_id, s.id, id, &r, now)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    assert!(reserve("reply-1@seed.example", first.clone()).await);
    assert!(!reserve("reply-2@seed.example", reply("another")).await);

    let waiting = engagement::replies_to_find(&app.db, mailbox_id, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(waiting.len(), 1);
    let p = &waiting[0].placement;
    assert_eq!(p.reply_message_id.as_deref(), Some("reply-1@seed.example"));
    assert_eq!(p.reply_subject.as_deref(), Some(first.subject.as_str()));
    assert_eq!(p.reply_body.as_deref(), Some(first.body.as_str()));
}

on_both_databases!(a_server_s_line_break_reaches_the_log_escaped);

/// A log of formatted lines, kept for a test to read.
#[derive(Clone, Default)]
struct CapturedLog(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut log) = self.0.lock() {
            log.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|log| String::from_utf8_lossy(&log).into_owned())
            .unwrap_or_default()
    }
}

/// An SMTP server for one conversation that refuses the login with a reply holding a line
/// break and a terminal control.
async fn refuse_login(listener: tokio::net::TcpListener) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let Ok((stream, _)) = listener.accept().await else {
        return;
    };
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 fake.example ESMTP\r\n").await;
    while let Ok(Some(line)) = lines.next_line().await {
        let command = line.to_ascii_uppercase();
        let answer: &[u8] = if command.starts_with("EHLO") {
            b"250-fake.example\r\n250 AUTH PLAIN LOGIN\r\n"
        } else if command.starts_with("AUTH") {
            b"535 5.7.8 Authentication failed\nERROR forged by the server\x1b[2K\r\n"
        } else if command.starts_with("QUIT") {
            b"221 bye\r\n"
        } else {
            b"502 not here\r\n"
        };
        if write.write_all(answer).await.is_err() || command.starts_with("QUIT") {
            return;
        }
    }
}

/// The send job stops a mailbox whose server refuses the login, and logs why: the server's
/// reply, line break and all, stays on the job's one log line.
async fn a_server_s_line_break_reaches_the_log_escaped(app: &TestApp) {
    use tracing::instrument::WithSubscriber;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let server = tokio::spawn(refuse_login(listener));
    let (mailbox_id, org) = mailbox_of(app, &smtp_at("refused@example.net", port)).await;
    let mut s = planned_send(org, mailbox_id);
    s.state = "queued".into();
    sea_orm::IntoActiveModel::into_active_model(s.clone())
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let secrets = warmup_entity::secret_box::SecretBox::from_base64(
        app.settings.secret_key.as_deref().unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tls = warmup_mail::TlsTrust::load(None).unwrap_or_else(|e| panic!("{e}"));
    let clock = warmup_entity::Clock::system();
    let deps = warmup::startup::worker_options(&app.settings, secrets, tls, clock)
        .unwrap_or_else(|e| panic!("{e}"))
        .warmup
        .unwrap_or_else(|| panic!("no send dependencies"));

    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let recorded = warmup_worker::sender::send_queued(&app.db, &deps, "test-worker", s.id)
        .with_subscriber(subscriber)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(recorded);
    let _ = tokio::time::timeout(Duration::from_secs(5), server).await;

    let text = log.text();
    let line = text
        .lines()
        .find(|l| l.contains("stopping the mailbox"))
        .unwrap_or_else(|| panic!("no stop logged:\n{text}"));
    // The server's text stays on the job's line: its line break was escaped or flattened
    // (stored replies are kept on one line before they are ever logged).
    assert!(
        line.contains("Authentication failed\\nERROR forged by the server")
            || line.contains("Authentication failed ERROR forged by the server"),
        "{line}"
    );
    assert!(
        !text.lines().any(|l| l.starts_with("ERROR forged")),
        "the server wrote a log line:\n{text}"
    );
    assert!(!text.contains('\u{1b}'), "{text:?}");
}

on_both_databases!(a_late_send_keeps_its_retries_from_its_first_try);

/// A send tried two days after its planned time (a backlog, a stopped service) whose server
/// cannot be reached is retried like any other: its retries count from its first try, not from
/// when it was planned. One first tried more than a day ago is given up.
async fn a_late_send_keeps_its_retries_from_its_first_try(app: &TestApp) {
    use crate::queue::row;
    use warmup_entity::send_attempt;
    let (mailbox_id, org) = mailbox_of(app, &smtp_at("late@example.net", closed_port())).await;
    let deps = app.warmup_deps().await;
    let now = Utc::now();
    let queued_late = |seed: &str, first_tried: Option<chrono::DateTime<Utc>>| {
        let mut s = planned_send(org, mailbox_id);
        s.seed_email = seed.into();
        s.state = "queued".into();
        s.scheduled_at = now - chrono::Duration::hours(48);
        s.attempts = i32::from(first_tried.is_some());
        (s, first_tried)
    };
    let fresh = queued_late("a@example.org", None);
    let old = queued_late("b@example.org", Some(now - chrono::Duration::hours(25)));
    for (s, first_tried) in [&fresh, &old] {
        sea_orm::IntoActiveModel::into_active_model(s.clone())
            .reset_all()
            .insert(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(at) = first_tried {
            send_attempt::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                send_id: Set(s.id),
                organization_id: Set(org),
                mailbox_id: Set(mailbox_id),
                attempt: Set(1),
                attempted_at: Set(*at),
                code: Set(Some(451)),
                enhanced: Set(Some("4.4.2".into())),
                text: Set("Bad connection".into()),
                category: Set("transient".into()),
                outcome: Set("deferred".into()),
                duration_ms: Set(10),
            }
            .insert(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let recorded = warmup_worker::sender::send_queued(&app.db, &deps, "test-worker", s.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(recorded);
    }
    let first = row(app, fresh.0.id).await;
    assert_eq!(first.state, "deferred", "{:?}", first.last_text);
    assert!(first.next_attempt_at > now, "{}", first.next_attempt_at);
    let second = row(app, old.0.id).await;
    assert_eq!(second.state, "failed", "{:?}", second.last_text);
}

on_both_databases!(a_dead_worker_s_leases_end_at_its_last_beat);

/// A worker killed mid-work leaves a seed session and a send claimed for minutes. At the next
/// beat of a live process, both end at the dead one's last sign of life: the seed can be taken
/// and the send is recovered, while what the live process holds stays its own.
async fn a_dead_worker_s_leases_end_at_its_last_beat(app: &TestApp) {
    use warmup_entity::store::{leases, processes, sends};
    let (mailbox_id, org) = mailbox_of(
        app,
        &crate::helpers::mailbox_body("killed@example.net", "pw-123456"),
    )
    .await;
    let clock = warmup_entity::Clock::system();
    let now = clock.now();
    let dead = format!("worker-{}", uuid::Uuid::new_v4().simple());
    let live = format!("worker-{}", uuid::Uuid::new_v4().simple());
    let last_beat = now - chrono::Duration::minutes(20);
    let hour = now + chrono::Duration::hours(1);
    processes::beat(
        &app.db,
        &dead,
        last_beat - chrono::Duration::minutes(1),
        last_beat,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    // Held by each: a seed session (the dead one's a lookup by its recovery, the live one's an
    // engagement session) and a send mid-conversation.
    let (dead_seed, live_seed) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let (dead_lookup, live_session) = (leases::seed_lookup(dead_seed), leases::seed(live_seed));
    for (lease, owner) in [
        (&dead_lookup, format!("{dead}/recovery")),
        (&live_session, live.clone()),
    ] {
        assert!(
            leases::take(&app.db, lease, &owner, now, hour)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        );
    }
    // A schedule kept as a lease (the next reading of a mailbox) is no session: it stays.
    let scan = leases::mailbox_scan(mailbox_id);
    assert!(
        leases::take(&app.db, &scan, &dead, now, hour)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let mut claimed = Vec::new();
    for (owner, seed) in [
        (format!("sender-{dead}"), "a"),
        (format!("sender-{live}"), "b"),
    ] {
        let mut s = planned_send(org, mailbox_id);
        s.seed_email = format!("{seed}@example.org");
        s.state = "sending".into();
        s.lease_owner = Some(owner);
        s.lease_until = Some(hour);
        sea_orm::IntoActiveModel::into_active_model(s.clone())
            .reset_all()
            .insert(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        claimed.push(s.id);
    }

    let known = warmup_worker::heartbeat::beat_once(&app.db, &clock, &live)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!known, "a first beat registers the process");

    let until = |name: String| async move {
        warmup_entity::lease::Entity::find_by_id(name)
            .one(&app.db)
            .await
            .ok()
            .flatten()
            .map(|l| l.lease_until)
    };
    assert_eq!(until(dead_lookup.clone()).await, Some(last_beat));
    assert_eq!(until(live_session.clone()).await, Some(hour));
    assert_eq!(until(scan.clone()).await, Some(hour));
    // Another process may take the dead one's seed now, never the live one's.
    for (lease, free) in [(&dead_lookup, true), (&live_session, false)] {
        let taken = leases::take(&app.db, lease, "worker-other", now, hour)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(taken, free, "{lease}");
    }
    // The dead one's send is recovered once the grace after its (cut) lease has passed.
    let grace = chrono::Duration::minutes(warmup_worker::recovery::RECOVERY_GRACE_MINUTES);
    let expired: Vec<_> = sends::expired_leases(&app.db, now - grace, 20)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(expired, vec![claimed[0]]);
    let rows: Vec<String> = warmup_entity::worker_process::Entity::find()
        .all(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(rows, vec![live.clone()], "the dead process is forgotten");
    let again = warmup_worker::heartbeat::beat_once(&app.db, &clock, &live)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(again, "a live process's next beat finds it known");
    // The dead one, beating after all, learns that it was taken for dead.
    let late = processes::beat(&app.db, &dead, now, hour)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!late, "a late beat registers anew");
}

on_both_databases!(ended_jobs_let_go_of_their_worker_on_sqlite);

/// Ended jobs lose their worker's lock on SQLite (apalis-sqlite's acknowledgement reads every
/// job its worker locked); jobs still to run or running keep theirs. Postgres is left as is.
async fn ended_jobs_let_go_of_their_worker_on_sqlite(app: &TestApp) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    use warmup_worker::send_queue::{SendQueue, job_keys, jobs_table, unlock_ended};

    let backend = app.db.get_database_backend();
    let table = jobs_table(backend);
    let ids: Vec<uuid::Uuid> = (0..5).map(|_| uuid::Uuid::now_v7()).collect();
    let mut queue = SendQueue::new(&app.db, 4);
    queue.push_new(&ids).await.unwrap_or_else(|e| panic!("{e}"));
    // (status, attempts of 3, the lock is kept)
    let cases = [
        ("Done", 1, false),
        ("Killed", 1, false),
        ("Failed", 3, false),
        ("Failed", 1, true),
        ("Running", 1, true),
    ];
    let run = |sql: String| {
        let db = app.db.clone();
        async move {
            db.execute_raw(Statement::from_string(backend, sql))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    };
    // The lock names a registered job worker.
    let workers = if backend == DbBackend::Sqlite {
        "Workers"
    } else {
        "apalis.workers"
    };
    run(format!(
        "INSERT INTO {workers} (id, worker_type, storage_name) \
         VALUES ('sender-worker-x', 'warmup-sends', 'test')"
    ))
    .await;
    for (id, (status, attempts, _)) in ids.iter().zip(cases) {
        run(format!(
            "UPDATE {table} SET status = '{status}', attempts = {attempts}, max_attempts = 3, \
             lock_by = 'sender-worker-x' WHERE idempotency_key LIKE '{}'",
            job_keys(*id)
        ))
        .await;
    }
    let unlocked = unlock_ended(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let sqlite = backend == DbBackend::Sqlite;
    assert_eq!(unlocked, if sqlite { 3 } else { 0 });
    for (id, (status, attempts, kept)) in ids.iter().zip(cases) {
        let row = app
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT lock_by FROM {table} WHERE idempotency_key LIKE '{}'",
                    job_keys(*id)
                ),
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("the job of {id} is gone"));
        let lock: Option<String> = row.try_get_by_index(0).unwrap_or_default();
        assert_eq!(
            lock.is_some(),
            kept || !sqlite,
            "{status} with {attempts} of 3 attempts: {lock:?}"
        );
    }
}

on_both_databases!(organizations_share_the_send_slots_however_late_they_are_found);

/// One organization's backlog fills the first look; two more, found only in a later one, get
/// their floor at once and no more than the slots allow, and the first gets no more than all
/// but the floor. A slot freed by a late one is found behind the backlog at once. Once the
/// first organization's sends are done, the others move up to their share.
async fn organizations_share_the_send_slots_however_late_they_are_found(app: &TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use warmup_entity::send;
    use warmup_entity::store::sends::{Share, queue_due};

    let mut orgs = Vec::new();
    for (name, due, minutes_ago) in [("Big", 70, 30), ("Late", 6, 5), ("Later", 5, 4)] {
        let key = app.new_org(name).await;
        let id = app
            .create_mailbox(
                &key,
                &crate::helpers::mailbox_body(
                    &format!("{}@acme.example", name.to_lowercase()),
                    "pw",
                ),
            )
            .await["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (mailbox_id, org) = app.mailbox_and_org(&id).await;
        for i in 0..due {
            let mut s = planned_send(org, mailbox_id);
            s.seed_email = format!("seed{i}@example.org");
            s.next_attempt_at -= chrono::Duration::minutes(minutes_ago);
            sea_orm::IntoActiveModel::into_active_model(s)
                .reset_all()
                .insert(&app.db)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        orgs.push(org);
    }
    let share = Share {
        slots: 16,
        floor: 2,
    };
    // Sends queued for each organization, in the order of `orgs`.
    let queued = || async {
        let mut counts = Vec::new();
        for org in &orgs {
            counts.push(
                send::Entity::find()
                    .filter(send::Column::OrganizationId.eq(*org))
                    .filter(send::Column::State.eq("queued"))
                    .count(&app.db)
                    .await
                    .unwrap_or_else(|e| panic!("{e}")),
            );
        }
        counts
    };
    let now = warmup_entity::Clock::system().now();
    let until = now + chrono::Duration::minutes(5);
    let first = queue_due(&app.db, now, until, 50, share, true)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        queued().await,
        [14, 2, 2],
        "all but the floor for the first; the floor for each late one"
    );
    assert_eq!(first.len(), 18);
    assert!(first.more_due, "sends were passed over");

    // A send of the second organization ends and frees a slot: the window of a freed slot
    // (without looking behind as a round does) holds only the first organization's sends, at
    // its share; it still looks past them, and the second gets its floor back at once.
    let late_one = send::Entity::find()
        .filter(send::Column::OrganizationId.eq(orgs[1]))
        .filter(send::Column::State.eq("queued"))
        .one(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("a queued send of the second organization"));
    send::Entity::update_many()
        .col_expr(send::Column::State, sea_orm::sea_query::Expr::value("sent"))
        .filter(send::Column::Id.eq(late_one.id))
        .exec(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let freed = queue_due(&app.db, now, until, 50, share, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (queued().await, freed.len()),
        (vec![14, 2, 2], 1),
        "the freed slot goes to the organization behind the full one"
    );

    // The first organization's sends are done: the three share the slots evenly (five each,
    // sixteen among three, less the floor kept free).
    send::Entity::update_many()
        .col_expr(send::Column::State, sea_orm::sea_query::Expr::value("sent"))
        .filter(send::Column::OrganizationId.eq(orgs[0]))
        .filter(send::Column::State.eq("queued"))
        .exec(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    queue_due(&app.db, now, until, 50, share, true)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        queued().await,
        [5, 5, 5],
        "an even share of sixteen among three"
    );
}

on_both_databases!(a_worker_waits_for_the_first_send_and_check_still_to_come);

/// A worker on a fast clock with nothing due waits until the first send or placement check
/// still to come: planned and deferred sends count, whatever order they were written in; sends
/// already due or in another state do not, nor do checks already due or of finished placements.
async fn a_worker_waits_for_the_first_send_and_check_still_to_come(app: &TestApp) {
    use chrono::SubsecRound;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter};
    use warmup_entity::placement;
    use warmup_entity::store::{engagement, sends};

    let (mailbox_id, org) = mailbox_of(
        app,
        &crate::helpers::mailbox_body("next@example.net", "pw-123456"),
    )
    .await;
    // Whole seconds: both databases give back exactly what was written.
    let now = warmup_entity::Clock::system().now().trunc_subsecs(0);
    let at = |secs: i64| now + chrono::Duration::seconds(secs);
    let next_send = || async {
        sends::next_due_after(&app.db, now)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let next_check = || async {
        engagement::next_check_after(&app.db, now)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(next_send().await, None, "nothing planned");
    assert_eq!(next_check().await, None, "nothing to look for");

    let mut rows = Vec::new();
    for (i, (state, secs)) in [
        ("planned", 300),
        ("deferred", 120),
        ("planned", -60),
        ("sent", 30),
        ("queued", 10),
    ]
    .into_iter()
    .enumerate()
    {
        let mut s = planned_send(org, mailbox_id);
        s.seed_email = format!("seed-{i}@example.org");
        s.state = state.into();
        s.next_attempt_at = at(secs);
        sea_orm::IntoActiveModel::into_active_model(s.clone())
            .reset_all()
            .insert(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        rows.push(s);
    }
    assert_eq!(
        next_send().await,
        Some(at(120)),
        "the deferred send's retry"
    );

    for (s, secs) in [(&rows[3], 200), (&rows[4], 90), (&rows[0], -30)] {
        engagement::start_locating(&app.db, s, None, now, at(secs))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(next_check().await, Some(at(90)));
    let set = |send_id: uuid::Uuid, stage: &'static str, secs: i64| {
        let db = &app.db;
        async move {
            placement::Entity::update_many()
                .col_expr(placement::Column::Stage, Expr::value(stage))
                .col_expr(placement::Column::NextCheckAt, Expr::value(at(secs)))
                .filter(placement::Column::SendId.eq(send_id))
                .exec(db)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    };
    set(rows[4].id, "done", 90).await;
    assert_eq!(
        next_check().await,
        Some(at(200)),
        "a finished placement waits for nothing"
    );
    set(rows[0].id, "engaging", 150).await;
    assert_eq!(
        next_check().await,
        Some(at(150)),
        "an engaging placement's next step"
    );
}

on_both_databases!(a_lease_is_taken_when_free_run_out_or_the_owners_own);

async fn a_lease_is_taken_when_free_run_out_or_the_owners_own(app: &TestApp) {
    use chrono::SubsecRound;
    use warmup_entity::store::leases;
    // Whole seconds: both databases keep them as they are.
    let now = Utc::now().trunc_subsecs(0);
    let (soon, later) = (
        now + chrono::Duration::minutes(1),
        now + chrono::Duration::hours(1),
    );
    let name = format!("test-lease:{}", uuid::Uuid::new_v4());
    let take = |owner: &'static str, at, until, reentrant: bool| {
        let name = name.clone();
        async move {
            let taken = if reentrant {
                leases::take(&app.db, &name, owner, at, until).await
            } else {
                leases::take_when_due(&app.db, &name, owner, at, until).await
            };
            taken.unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let held = || async {
        warmup_entity::lease::Entity::find_by_id(name.clone())
            .one(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|l| (l.owner, l.lease_until))
    };
    assert!(take("a", now, soon, true).await, "nobody holds it");
    assert_eq!(held().await, Some(("a".to_string(), soon)));
    assert!(!take("b", now, later, true).await, "a holds it");
    assert!(!take("b", now, later, false).await, "a holds it");
    assert_eq!(held().await, Some(("a".to_string(), soon)));
    assert!(
        take("a", now, later, true).await,
        "a's own lease is taken again"
    );
    assert_eq!(held().await, Some(("a".to_string(), later)));
    assert!(
        !take("a", now, later, false).await,
        "a schedule is not due before it runs out, not even for its holder"
    );
    let after = later + chrono::Duration::seconds(1);
    assert!(
        take("b", after, after + chrono::Duration::hours(1), false).await,
        "a's ran out"
    );
    assert_eq!(
        held().await,
        Some(("b".to_string(), after + chrono::Duration::hours(1)))
    );
    leases::release(&app.db, &name, "a")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(held().await.is_some(), "only the holder gives it back");
    leases::release(&app.db, &name, "b")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(held().await, None);
}

on_both_databases!(the_send_loop_counts_live_workers_again_only_once_its_count_is_old);

async fn the_send_loop_counts_live_workers_again_only_once_its_count_is_old(app: &TestApp) {
    use warmup_entity::store::processes;
    use warmup_worker::sender::LiveWorkers;
    let now = Utc::now();
    let hour = now + chrono::Duration::hours(1);
    let beat = |name: &'static str| async move {
        processes::beat(&app.db, name, now, hour)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    };
    async fn count(app: &TestApp, live: &mut LiveWorkers, now: chrono::DateTime<Utc>) -> u64 {
        live.count(&app.db, now)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }
    beat("worker-one").await;
    let mut kept = LiveWorkers::kept_for(Duration::from_secs(3600));
    let mut fresh = LiveWorkers::kept_for(Duration::ZERO);
    assert_eq!(count(app, &mut kept, now).await, 1);
    assert_eq!(count(app, &mut fresh, now).await, 1);
    beat("worker-two").await;
    assert_eq!(
        count(app, &mut kept, now).await,
        1,
        "a count not yet old is used again"
    );
    assert_eq!(
        count(app, &mut fresh, now).await,
        2,
        "an old count is read again"
    );
}
