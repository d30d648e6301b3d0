//! Seed engagement end to end against the lab: the worker finds each message at its seed over
//! IMAP, records where it landed (checked against the lab's own delivery log, not against the
//! service), rescues it, opens it, flags it and answers it in the same thread, and the sender
//! side finds the answer and files it.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use uuid::Uuid;
use warmup_entity::store::engagement as engagement_store;

use crate::helpers::{Backend, TestApp};
use crate::support::Lab;
use crate::warmup::{add_mailbox, add_seed, lab_app_at, start_warmup, start_worker};

/// Engagement rates that make every step happen, so each can be checked.
fn everything() -> Value {
    json!({"open_rate_percent": 100, "important_rate_percent": 100, "reply_rate_percent": 100})
}

/// The address a placement's message came from, as the worker recorded it.
async fn sending_ip(app: &TestApp, message_id: &str) -> Option<String> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    warmup_entity::placement::Entity::find()
        .filter(warmup_entity::placement::Column::MessageId.eq(message_id))
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .and_then(|p| p.sending_ip)
}

/// The mailbox's placements, all pages.
async fn placements(app: &TestApp, key: &str, mailbox: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/mailboxes/{mailbox}/placements?limit=100&after={c}"),
            None => format!("/v1/mailboxes/{mailbox}/placements?limit=100"),
        };
        let page = app.get(&path, key).await.expect(200).json;
        out.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

/// Waits until `done` holds for the placements, failing with them after `timeout`.
async fn until_placements(
    app: &TestApp,
    key: &str,
    mailbox: &str,
    timeout: Duration,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let rows = placements(app, key, mailbox).await;
        if done(&rows) {
            return rows;
        }
        if started.elapsed() > timeout {
            panic!(
                "placements not done in {timeout:?}: {}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn is_done(p: &Value) -> bool {
    p["status"] == "done"
}

fn actions(p: &Value) -> Vec<String> {
    p["actions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["action"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn text<'a>(p: &'a Value, field: &str) -> &'a str {
    p[field].as_str().unwrap_or_default()
}

/// Asserts that the placement recorded for a message is where the lab's delivery agent filed
/// it, for the seed it was sent to.
fn assert_recorded_as_delivered(lab: &Lab, p: &Value) {
    let delivered = lab.delivered_to(text(p, "message_id"));
    assert_eq!(
        delivered,
        vec![(
            text(p, "seed_email").to_string(),
            text(p, "folder").to_string()
        )],
        "the recorded folder is not where the lab filed the message: {p}"
    );
}

/// Asserts the lab now shows the message once, at the seed, in INBOX, read and flagged.
fn assert_rescued_read_and_flagged(lab: &Lab, p: &Value) {
    let copies = lab.where_is(text(p, "message_id"));
    assert_eq!(copies.len(), 1, "exactly one copy is left: {copies:?}");
    let c = &copies[0];
    assert_eq!(c.user, text(p, "seed_email"));
    assert_eq!(c.folder, "INBOX", "{p}");
    assert!(c.flags.contains("\\Seen"), "{c:?}");
    assert!(c.flags.contains("\\Flagged"), "{c:?}");
}

/// Mail from the cold domain lands in the Gmail-like spam folder and unsigned mail in the
/// Outlook-like "Junk Email": both are found there, rescued, read, flagged and answered; the
/// answers reach the sender threaded to the original, and are filed in its warmup folder.
async fn cold_mail_is_found_in_spam_rescued_and_answered(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 1440.0).await;
    let key = app.new_org("Cold").await;
    let sender = lab.unique("w", "cold.test");
    let mailbox = add_mailbox(&app, &lab, &key, &sender, &lab.password()).await;
    let gmail = lab.unique("seed", "gmail.test");
    let outlook = lab.unique("seed", "outlook.test");
    add_seed(&app, &lab, &key, &gmail, "gmail").await;
    add_seed(&app, &lab, &key, &outlook, "outlook").await;
    let mut prefs = everything();
    prefs["pattern"] = json!("b2c");
    prefs["start_per_day"] = json!(2);
    prefs["daily_variance_percent"] = json!(0);
    prefs["provider_split"] = json!({"gmail": 50, "outlook": 50});
    app.patch(&format!("/v1/mailboxes/{mailbox}/warmup"), &key, &prefs)
        .await
        .expect(200);
    start_warmup(&app, &key, &mailbox).await;
    let (stop, worker) = start_worker(&app);
    // Each simulated day adds placements, so "all done" may never hold at one instant on a
    // loaded machine: wait for one answered placement per seed instead.
    let answered = |rows: &[Value], seed: &str| {
        rows.iter()
            .any(|p| p["seed_email"] == seed && is_done(p) && p["reply"]["seen_at"].is_string())
    };
    let rows = until_placements(&app, &key, &mailbox, Duration::from_secs(240), |rows| {
        answered(rows, &gmail) && answered(rows, &outlook)
    })
    .await;
    let _ = stop.send(());
    let _ = worker.await;

    let by_seed = |seed: &str| {
        rows.iter()
            .find(|p| p["seed_email"] == seed && is_done(p) && p["reply"]["seen_at"].is_string())
            .unwrap_or_else(|| panic!("no answered placement for {seed}: {rows:?}"))
            .clone()
    };
    let at_gmail = by_seed(&gmail);
    let at_outlook = by_seed(&outlook);
    // Reports group placements by the sender's domain, taken as the message went out.
    let domains: Vec<String> = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let id = uuid::Uuid::parse_str(&mailbox).unwrap_or_else(|e| panic!("{e}"));
        warmup_entity::placement::Entity::find()
            .filter(warmup_entity::placement::Column::MailboxId.eq(id))
            .all(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|p| p.domain)
            .collect()
    };
    assert!(
        !domains.is_empty() && domains.iter().all(|d| d == "cold.test"),
        "{domains:?}"
    );
    assert_eq!(at_gmail["class"], "spam", "{at_gmail}");
    assert_eq!(at_gmail["folder"], "[Gmail]/Spam");
    assert_eq!(at_outlook["class"], "spam", "{at_outlook}");
    assert_eq!(at_outlook["folder"], "Junk Email");
    for p in rows.iter().filter(|p| p["folder"].is_string()) {
        assert_recorded_as_delivered(&lab, p);
    }
    for p in [&at_gmail, &at_outlook] {
        let done = actions(p);
        for a in ["located", "rescue", "open", "flag", "reply", "reply_seen"] {
            assert!(done.contains(&a.to_string()), "{a} missing from {done:?}");
        }
        for stamp in ["rescued_at", "opened_at", "flagged_at", "replied_at"] {
            assert!(p[stamp].is_string(), "{stamp} not set: {p}");
        }
        // Unsigned mail: no DKIM signature to verify.
        assert_eq!(p["authentication"]["dkim"], "none", "{p}");
        assert_rescued_read_and_flagged(&lab, p);

        // The answer: at the sender, read and filed, threaded to the original.
        let reply_id = p["reply"]["message_id"].as_str().unwrap_or_default();
        assert_eq!(p["reply"]["class"], "inbox", "{p}");
        let copies = lab.where_is(reply_id);
        assert_eq!(copies.len(), 1, "{copies:?}");
        assert_eq!(copies[0].user, sender);
        assert_eq!(copies[0].folder, "Warmup");
        assert!(copies[0].flags.contains("\\Seen"), "{copies:?}");
        let filed = lab.read_folder(&sender, "Warmup").await;
        let raw = filed
            .iter()
            .find(|m| m.contains(reply_id))
            .unwrap_or_else(|| panic!("reply {reply_id} not in Warmup"));
        let original = format!("<{}>", text(p, "message_id"));
        let headers = raw.split("\r\n\r\n").next().unwrap_or_default();
        assert!(
            headers.contains(&format!("In-Reply-To: {original}")),
            "{headers}"
        );
        assert!(
            headers.contains("References: ") && headers.contains(&original),
            "{headers}"
        );
        let original_subject = text(p, "subject");
        let subject = if original_subject.starts_with("Re: ") {
            format!("Subject: {original_subject}")
        } else {
            format!("Subject: Re: {original_subject}")
        };
        assert!(headers.contains(&subject), "{subject} not in {headers}");
    }
}

/// Writes a message the test delivered itself into the send pipeline as sent, so the worker
/// looks for it like any warmup message.
async fn as_sent(app: &TestApp, mailbox: &str, seed: &str, provider: &str, message_id: &str) {
    use sea_orm::EntityTrait;
    let mailbox_id: Uuid = mailbox.parse().unwrap_or_default();
    let m = warmup_entity::mailbox::Entity::find_by_id(mailbox_id)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("mailbox {mailbox}"));
    let seed_row = warmup_entity::seed::Entity::find()
        .all(&app.db)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|s| s.email == seed)
        .unwrap_or_else(|| panic!("seed {seed}"));
    let now = warmup_entity::Clock::system().now();
    let draft = warmup_entity::send::Draft {
        organization_id: m.organization_id,
        mailbox_id,
        seed_id: Some(seed_row.id),
        seed_email: seed.to_string(),
        provider: provider.to_string(),
        plan_date: now.date_naive().to_string(),
        message_id: message_id.to_string(),
        language: "en".into(),
        subject: "Lab placement".into(),
        body: "Hello from the lab tests.".into(),
    };
    let s = warmup_entity::send::Model {
        state: "sent".into(),
        attempts: 1,
        last_code: Some(250),
        sent_at: Some(now),
        ..warmup_entity::send::Model::planned(draft, now, now)
    };
    sea_orm::IntoActiveModel::into_active_model(s.clone())
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("insert send: {e}"));
    engagement_store::start_locating(&app.db, &s, None, now, now)
        .await
        .unwrap_or_else(|e| panic!("start locating: {e}"));
}

use sea_orm::ActiveModelTrait;

/// A message delivered with headers that make a provider file it, and the class expected.
struct Case {
    provider: &'static str,
    domain: &'static str,
    headers: &'static [(&'static str, &'static str)],
    class: &'static str,
}

/// Each provider's filing is recognised: Yahoo's "Bulk", Gmail's category folder, the folder
/// of a server without SPECIAL-USE and without MOVE (named in French, modified UTF-7 on the
/// wire), a business "Junk"; mail that never arrives becomes `missing`. Every recorded folder
/// is the one the lab filed the message in.
async fn every_provider_s_folders_are_recognised(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 1440.0).await;
    let key = app.new_org("Folders").await;
    let sender = lab.unique("w", "sender.test");
    let mailbox = add_mailbox(&app, &lab, &key, &sender, &lab.password()).await;
    app.patch(
        &format!("/v1/mailboxes/{mailbox}/warmup"),
        &key,
        &everything(),
    )
    .await
    .expect(200);
    let cases = [
        Case {
            provider: "yahoo",
            domain: "yahoo.test",
            headers: &[("Precedence", "bulk")],
            class: "spam",
        },
        Case {
            provider: "gmail",
            domain: "gmail.test",
            headers: &[("List-Unsubscribe", "<mailto:unsubscribe@sender.test>")],
            class: "category",
        },
        Case {
            provider: "smtp",
            domain: "oldmail.test",
            headers: &[("X-Spam-Flag", "YES")],
            class: "spam",
        },
        Case {
            provider: "microsoft_365",
            domain: "corp.test",
            headers: &[("X-Spam-Flag", "YES")],
            class: "spam",
        },
        Case {
            provider: "microsoft_365",
            domain: "corp.test",
            headers: &[],
            class: "inbox",
        },
    ];
    let mut expected = Vec::new();
    for Case {
        provider,
        domain,
        headers,
        class,
    } in cases
    {
        let seed = lab.unique("seed", domain);
        add_seed(&app, &lab, &key, &seed, provider).await;
        let (id, raw) = lab.message(&sender, &seed, "Lab placement", headers);
        lab.submit(&sender, &[&seed], &raw)
            .await
            .unwrap_or_else(|r| panic!("submission to {seed}: {r:?}"));
        lab.wait_for(&id, Duration::from_secs(30)).await;
        as_sent(&app, &mailbox, &seed, provider, &id).await;
        expected.push((id, class.to_string()));
    }
    // A message that never arrives: recorded as sent, never delivered.
    let lost_seed = lab.unique("seed", "corp.test");
    add_seed(&app, &lab, &key, &lost_seed, "microsoft_365").await;
    let lost = format!("{}@sender.test", Uuid::new_v4().simple());
    as_sent(&app, &mailbox, &lost_seed, "microsoft_365", &lost).await;

    let (stop, worker) = start_worker(&app);
    let ours: Vec<String> = expected
        .iter()
        .map(|(id, _)| id.clone())
        .chain([lost.clone()])
        .collect();
    until_placements(&app, &key, &mailbox, Duration::from_secs(150), |rows| {
        ours.iter().all(|id| {
            rows.iter()
                .any(|p| p["message_id"] == id.as_str() && is_done(p))
        })
    })
    .await;
    let _ = stop.send(());
    let _ = worker.await;
    // Read once the worker has stopped, so the summary below sees the same rows. The sender
    // may have carried some threads on: their messages are placements too.
    let rows = placements(&app, &key, &mailbox).await;

    for (id, class) in &expected {
        let p = rows
            .iter()
            .find(|p| p["message_id"] == id.as_str())
            .unwrap_or_else(|| panic!("no placement for {id}"));
        assert_eq!(p["class"], class.as_str(), "{p}");
        assert_recorded_as_delivered(&lab, p);
        assert_eq!(
            sending_ip(&app, id).await.as_deref(),
            Some("127.0.0.1"),
            "{p}"
        );
        if class != "inbox" {
            assert!(p["rescued_at"].is_string(), "{p}");
        }
        assert_rescued_read_and_flagged(&lab, p);
    }
    // The test's own message, not a later one of the same thread.
    let oldmail = rows
        .iter()
        .find(|p| {
            text(p, "seed_email").ends_with("@oldmail.test")
                && expected
                    .iter()
                    .any(|(id, _)| p["message_id"] == id.as_str())
        })
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(oldmail["folder"], "Courrier indésirable");
    let missing = rows
        .iter()
        .find(|p| p["message_id"] == lost.as_str())
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(missing["class"], "missing", "{missing}");
    assert!(actions(missing).contains(&"missing".to_string()));

    // The summary counts what was recorded.
    let summary = app
        .get(&format!("/v1/mailboxes/{mailbox}/placement-summary"), &key)
        .await
        .expect(200)
        .json;
    let overall = &summary["overall"];
    assert_eq!(overall["total"], rows.len(), "{summary}");
    for class in ["inbox", "spam", "category", "other", "missing", "unknown"] {
        let n = rows.iter().filter(|p| p["class"] == class).count();
        assert_eq!(overall[class], n, "{class}: {summary}");
    }
    assert!(overall["spam"].as_u64() >= Some(3), "{summary}");
}

/// A seed whose password is wrong: every lookup records the refused login, and the placement
/// is given up once the message could have arrived, instead of waiting for ever.
async fn a_seed_with_a_wrong_password_records_the_error_and_gives_up(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 1440.0).await;
    let key = app.new_org("Refused").await;
    let sender = lab.unique("w", "sender.test");
    let mailbox = add_mailbox(&app, &lab, &key, &sender, &lab.password()).await;
    let seed = lab.unique("seed", "corp.test");
    let mut body = crate::warmup::lab_account(&lab, &seed, "microsoft_365", &lab.password());
    body["imap"]["password"] = json!("not-the-password");
    app.post("/v1/seeds", &key, &body).await.expect(201);
    let (id, raw) = lab.message(&sender, &seed, "Lab placement", &[]);
    lab.submit(&sender, &[&seed], &raw)
        .await
        .unwrap_or_else(|r| panic!("{r:?}"));
    lab.wait_for(&id, Duration::from_secs(30)).await;
    as_sent(&app, &mailbox, &seed, "microsoft_365", &id).await;

    let (stop, worker) = start_worker(&app);
    let rows = until_placements(&app, &key, &mailbox, Duration::from_secs(120), |rows| {
        rows.len() == 1 && rows.iter().all(is_done)
    })
    .await;
    let _ = stop.send(());
    let _ = worker.await;
    let p = &rows[0];
    assert_eq!(
        p["class"], "unknown",
        "never seen, so its place is unknown: {p}"
    );
    let error = text(p, "last_error");
    assert!(error.contains("login"), "{error}");
    assert!(error.contains(&seed), "the error names the seed: {error}");
    let errors = p["actions"]
        .as_array()
        .map(|a| a.iter().filter(|x| x["action"] == "error").count())
        .unwrap_or(0);
    assert!(errors >= 3, "each failed try is recorded: {p}");
    // The message itself is untouched at the seed.
    let copies = lab.where_is(&id);
    assert_eq!(copies.len(), 1);
    assert!(!copies[0].flags.contains("\\Seen"), "{copies:?}");
    // The organization is told once that the seed could not be read.
    let told: Vec<Value> = app
        .events_of("seed.unreachable")
        .await
        .into_iter()
        .filter(|d| d["seed"] == seed.as_str())
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("login")),
        "{told:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cold_mail_is_rescued_and_answered_sqlite() {
    cold_mail_is_found_in_spam_rescued_and_answered(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cold_mail_is_rescued_and_answered_postgres() {
    cold_mail_is_found_in_spam_rescued_and_answered(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn provider_folders_are_recognised_sqlite() {
    every_provider_s_folders_are_recognised(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn provider_folders_are_recognised_postgres() {
    every_provider_s_folders_are_recognised(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_seed_password_is_recorded_sqlite() {
    a_seed_with_a_wrong_password_records_the_error_and_gives_up(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_seed_password_is_recorded_postgres() {
    a_seed_with_a_wrong_password_records_the_error_and_gives_up(Backend::Postgres).await;
}

/// Read mail that is not important is archived when the seed is done with it: the lab shows
/// it read, in the archive folder the seed created, and the placement keeps where it landed.
async fn read_mail_is_archived_when_done(backend: Backend) {
    let lab = Lab::get();
    // Archiving comes one to three simulated days after reading: seconds at this speed.
    let app = lab_app_at(backend, 14400.0).await;
    let key = app.new_org("Archive").await;
    let sender = lab.unique("w", "sender.test");
    let mailbox = add_mailbox(&app, &lab, &key, &sender, &lab.password()).await;
    app.patch(
        &format!("/v1/mailboxes/{mailbox}/warmup"),
        &key,
        &json!({"open_rate_percent": 100, "important_rate_percent": 0,
                "reply_rate_percent": 0, "archive_rate_percent": 100}),
    )
    .await
    .expect(200);
    let seed = lab.unique("seed", "corp.test");
    add_seed(&app, &lab, &key, &seed, "microsoft_365").await;
    let (id, raw) = lab.message(&sender, &seed, "Lab placement", &[]);
    lab.submit(&sender, &[&seed], &raw)
        .await
        .unwrap_or_else(|r| panic!("{r:?}"));
    lab.wait_for(&id, Duration::from_secs(30)).await;
    as_sent(&app, &mailbox, &seed, "microsoft_365", &id).await;

    let (stop, worker) = start_worker(&app);
    let rows = until_placements(&app, &key, &mailbox, Duration::from_secs(90), |rows| {
        rows.iter().all(is_done) && !rows.is_empty()
    })
    .await;
    let _ = stop.send(());
    let _ = worker.await;
    let p = &rows[0];
    assert_eq!(actions(p), vec!["located", "open", "archive"], "{p}");
    assert!(
        p["archived_at"].is_string() && p["flagged_at"].is_null(),
        "{p}"
    );
    assert_eq!(p["class"], "inbox");
    assert_eq!(p["folder"], "INBOX", "where it landed, not where it went");
    let copies = lab.where_is(&id);
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(copies[0].folder, "Archive");
    assert!(copies[0].flags.contains("\\Seen"), "{copies:?}");
    assert!(!copies[0].flags.contains("\\Flagged"), "{copies:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn read_mail_is_archived_sqlite() {
    read_mail_is_archived_when_done(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn read_mail_is_archived_postgres() {
    read_mail_is_archived_when_done(Backend::Postgres).await;
}

/// A relay to the lab's IMAPS port whose first connection is cut after the client's
/// `cut_after`-th write, as a server dropping a session half-way; later connections pass.
/// Returns the relay's port and how many connections it cut.
async fn dropping_relay(cut_after: usize) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("relay: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let cuts = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = cuts.clone();
    let upstream_addr = (
        crate::support::var("MAILLAB_IMAP_HOST"),
        crate::support::var("MAILLAB_IMAPS_PORT")
            .parse::<u16>()
            .unwrap_or_default(),
    );
    tokio::spawn(async move {
        let mut first = true;
        while let Ok((mut client, _)) = listener.accept().await {
            let Ok(mut upstream) = tokio::net::TcpStream::connect(upstream_addr.clone()).await
            else {
                continue;
            };
            if !first {
                tokio::spawn(async move {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                });
                continue;
            }
            first = false;
            let counter = counter.clone();
            tokio::spawn(async move {
                let (mut cr, mut cw) = client.split();
                let (mut ur, mut uw) = upstream.split();
                let mut from_client = [0u8; 16 * 1024];
                let mut from_server = [0u8; 16 * 1024];
                let mut writes = 0;
                loop {
                    tokio::select! {
                        n = cr.read(&mut from_client) => match n {
                            Ok(n) if n > 0 => {
                                writes += 1;
                                if writes >= cut_after {
                                    counter.fetch_add(1, Ordering::SeqCst);
                                    return;
                                }
                                if uw.write_all(&from_client[..n]).await.is_err() { return; }
                            }
                            _ => return,
                        },
                        n = ur.read(&mut from_server) => match n {
                            Ok(n) if n > 0 => {
                                if cw.write_all(&from_server[..n]).await.is_err() { return; }
                            }
                            _ => return,
                        },
                    }
                }
            });
        }
    });
    (port, cuts)
}

/// A seed's server that drops the connection in the middle of a session: the error is
/// recorded on the message, and the next session finds it; nothing is left waiting.
async fn a_dropped_seed_session_is_recorded_and_retried(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 1440.0).await;
    let key = app.new_org("Dropped").await;
    let sender = lab.unique("w", "sender.test");
    let mailbox = add_mailbox(&app, &lab, &key, &sender, &lab.password()).await;
    // Login, capabilities and the folder list go through; the session dies after them.
    let (port, cuts) = dropping_relay(6).await;
    let seed = lab.unique("seed", "corp.test");
    let mut body = crate::warmup::lab_account(&lab, &seed, "microsoft_365", &lab.password());
    body["imap"]["port"] = json!(port);
    app.post("/v1/seeds", &key, &body).await.expect(201);
    let (id, raw) = lab.message(&sender, &seed, "Lab placement", &[]);
    lab.submit(&sender, &[&seed], &raw)
        .await
        .unwrap_or_else(|r| panic!("{r:?}"));
    lab.wait_for(&id, Duration::from_secs(30)).await;
    as_sent(&app, &mailbox, &seed, "microsoft_365", &id).await;

    let (stop, worker) = start_worker(&app);
    let rows = until_placements(&app, &key, &mailbox, Duration::from_secs(120), |rows| {
        rows.iter()
            .any(|p| p["message_id"] == id.as_str() && p["class"].is_string())
    })
    .await;
    let _ = stop.send(());
    let _ = worker.await;
    assert_eq!(cuts.load(std::sync::atomic::Ordering::SeqCst), 1);
    let p = rows
        .iter()
        .find(|p| p["message_id"] == id.as_str())
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(p["class"], "inbox", "{p}");
    let done = actions(p);
    let error_at = done.iter().position(|a| a == "error");
    let located_at = done.iter().position(|a| a == "located");
    assert!(
        matches!((error_at, located_at), (Some(e), Some(l)) if e < l),
        "the drop is recorded, then the message is found: {done:?}"
    );
    let error = p["actions"][error_at.unwrap_or_default()]["detail"]
        .as_str()
        .unwrap_or_default();
    assert!(!error.is_empty(), "{p}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dropped_seed_session_is_retried_sqlite() {
    a_dropped_seed_session_is_recorded_and_retried(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dropped_seed_session_is_retried_postgres() {
    a_dropped_seed_session_is_recorded_and_retried(Backend::Postgres).await;
}
