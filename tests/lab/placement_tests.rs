//! Placement tests against the lab: the service sends a test from a DKIM-signed and from an
//! unsigned mailbox to Gmail-, Outlook- and Yahoo-like seeds, and each seed's result must be
//! where the lab's delivery agent filed the message, left there unread; a message the user
//! sends by plain SMTP is found by its code in the subject or only in `X-Warmup-Test`, a
//! message without the code is ignored, and a seed that never gets it is `missing` when the
//! window ends; a scheduled test runs again on a fast clock.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp};
use crate::support::{Lab, var};
use crate::warmup::{add_mailbox, add_seed, evening_zone, lab_account, lab_app_at, start_worker};

async fn test_of(app: &TestApp, key: &str, id: &str) -> Value {
    app.get(&format!("/v1/placement-tests/{id}"), key)
        .await
        .expect(200)
        .json
}

/// Waits until the test is finished or expired; fails with it after `timeout`.
async fn until_closed(app: &TestApp, key: &str, id: &str, timeout: Duration) -> Value {
    let started = Instant::now();
    loop {
        let t = test_of(app, key, id).await;
        if t["status"] == "finished" || t["status"] == "expired" {
            return t;
        }
        assert!(
            started.elapsed() < timeout,
            "test {id} not closed in {timeout:?}: {}",
            serde_json::to_string_pretty(&t).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The class a lab folder stands for.
fn class_of_folder(folder: &str) -> &'static str {
    match folder {
        "INBOX" => "inbox",
        "Promotions" => "category",
        "[Gmail]/Spam" | "Junk Email" | "Bulk" | "Junk" => "spam",
        _ => "other",
    }
}

fn seed_of<'a>(t: &'a Value, email: &str) -> &'a Value {
    t["seeds"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["email"] == email))
        .unwrap_or_else(|| panic!("no seed {email} in {t}"))
}

/// The score the documented formula gives for these classes.
fn formula(classes: &[&str]) -> f64 {
    let points: f64 = classes
        .iter()
        .map(|c| match *c {
            "inbox" => 1.0,
            "category" => 0.5,
            _ => 0.0,
        })
        .sum();
    (points * 100.0 / classes.len() as f64).round() / 10.0
}

async fn internal_tests_land_as_the_lab_filed_them_and_stay_unread(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 60.0).await;
    let key = app.new_org("Tests").await;
    let mut seeds = Vec::new();
    for (provider, domain) in [
        ("gmail", "gmail.test"),
        ("outlook", "outlook.test"),
        ("yahoo", "yahoo.test"),
    ] {
        let seed = lab.unique("pt", domain);
        add_seed(&app, &lab, &key, &seed, provider).await;
        seeds.push(seed);
    }
    let pem = std::fs::read_to_string(var("MAILLAB_DKIM_KEY_FILE")).unwrap_or_default();
    let signed_email = lab.unique("signed", "sender.test");
    let mut body = lab_account(&lab, &signed_email, "smtp", &lab.password());
    body["timezone"] = json!(evening_zone());
    body["dkim"] = json!({"selector": "lab", "private_key": pem});
    let signed = app.create_mailbox(&key, &body).await;
    let signed = signed["id"].as_str().unwrap_or_default().to_string();
    let unsigned_email = lab.unique("plain", "sender.test");
    let unsigned = add_mailbox(&app, &lab, &key, &unsigned_email, &lab.password()).await;

    let (stop, worker) = start_worker(&app);
    let mut tests = Vec::new();
    for mailbox in [&signed, &unsigned] {
        let t = app
            .post(
                "/v1/placement-tests",
                &key,
                &json!({
                    "mailbox_id": mailbox, "subject": "Our winter offers",
                    "text": "Hello, our winter offers are here.",
                    "html": "<p>Hello, our <b>winter offers</b> are here.</p>",
                    "providers": ["gmail", "outlook", "yahoo"], "window_minutes": 30
                }),
            )
            .await
            .expect(201)
            .json;
        tests.push(t["id"].as_str().unwrap_or_default().to_string());
    }
    let mut results = Vec::new();
    for id in &tests {
        results.push(until_closed(&app, &key, id, Duration::from_secs(120)).await);
    }
    let _ = stop.send(());
    let _ = worker.await;

    let finished = app.events_of("placement_test.finished").await;
    for (t, signed) in results.iter().zip([true, false]) {
        assert_eq!(t["status"], "finished", "{t}");
        // Told once, with where the message landed.
        let told: Vec<&Value> = finished
            .iter()
            .filter(|d| d["test_id"] == t["id"])
            .collect();
        assert_eq!(told.len(), 1, "{finished:?}");
        assert_eq!(told[0]["status"], "finished");
        assert_eq!(told[0]["seeds"], 3, "{told:?}");
        let message_id = t["message_id"].as_str().unwrap_or_default();
        let filed = lab.delivered_to(message_id);
        assert_eq!(filed.len(), 3, "one copy per seed: {filed:?}");
        let mut classes = Vec::new();
        for (seed, folder) in &filed {
            let s = seed_of(t, seed);
            assert_eq!(s["folder"], folder.as_str(), "{s}");
            assert_eq!(s["class"], class_of_folder(folder), "{s}");
            assert!(s["arrival_seconds"].as_i64().is_some(), "{s}");
            assert!(
                s["raw_headers"]
                    .as_str()
                    .is_some_and(|h| h.contains(message_id) && h.contains("Received:")),
                "{s}"
            );
            assert_eq!(
                s["authentication"]["dkim"],
                if signed { "pass" } else { "none" },
                "{s}"
            );
            classes.push(class_of_folder(folder));
        }
        // The Outlook-like seed junks what is not signed.
        let outlook = filed
            .iter()
            .find(|(s, _)| s.ends_with("@outlook.test"))
            .map(|(_, f)| f.as_str());
        if signed {
            assert_eq!(outlook, Some("INBOX"), "{filed:?}");
        } else {
            assert_eq!(outlook, Some("Junk Email"), "{filed:?}");
        }
        assert_eq!(t["overall"]["score"], formula(&classes), "{t}");
        // Measured, not engaged: each copy is where it was delivered, unread.
        let copies = lab.where_is(message_id);
        assert_eq!(copies.len(), 3, "{copies:?}");
        for c in &copies {
            let delivered = filed
                .iter()
                .find(|(s, _)| *s == c.user)
                .map(|(_, f)| f.clone());
            assert_eq!(Some(c.folder.clone()), delivered, "{copies:?}");
            assert!(!c.flags.contains("\\Seen"), "left unread: {copies:?}");
        }
    }
    assert!(
        results[0]["overall"]["score"].as_f64() > results[1]["overall"]["score"].as_f64(),
        "signing scores better at the Outlook-like seed"
    );
}

async fn an_external_test_finds_its_code_and_ignores_other_mail(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 10.0).await;
    let key = app.new_org("External").await;
    let gmail = lab.unique("ext", "gmail.test");
    let outlook = lab.unique("ext", "outlook.test");
    let yahoo = lab.unique("ext", "yahoo.test");
    for (seed, provider) in [(&gmail, "gmail"), (&outlook, "outlook"), (&yahoo, "yahoo")] {
        add_seed(&app, &lab, &key, seed, provider).await;
    }
    let (stop, worker) = start_worker(&app);
    // Six simulated minutes: 36 real seconds for two messages to arrive and be read.
    let t = app
        .post(
            "/v1/placement-tests",
            &key,
            &json!({"providers": ["gmail", "outlook", "yahoo"], "window_minutes": 6}),
        )
        .await
        .expect(201)
        .json;
    let id = t["id"].as_str().unwrap_or_default().to_string();
    let code = t["test_code"].as_str().unwrap_or_default().to_string();
    assert_eq!(t["status"], "waiting");
    let sender = lab.unique("esp", "sender.test");
    // Without the code, first: never the test's, never touched.
    let (stray, raw) = lab.message(
        &sender,
        &gmail,
        "Our winter offers",
        &[("X-Lab-Verdict", "inbox")],
    );
    lab.submit(&sender, &[&gmail], &raw)
        .await
        .unwrap_or_else(|r| panic!("{r:?}"));
    lab.wait_for(&stray, Duration::from_secs(60)).await;
    let (in_subject, raw) = lab.message(
        &sender,
        &gmail,
        &format!("Our winter offers [{code}]"),
        &[("X-Lab-Verdict", "inbox")],
    );
    lab.submit(&sender, &[&gmail], &raw)
        .await
        .unwrap_or_else(|r| panic!("{r:?}"));
    let (in_header, raw) = lab.message(
        &sender,
        &outlook,
        "Our winter offers",
        &[("X-Warmup-Test", &code), ("X-Lab-Verdict", "inbox")],
    );
    lab.submit(&sender, &[&outlook], &raw)
        .await
        .unwrap_or_else(|r| panic!("{r:?}"));
    let t = until_closed(&app, &key, &id, Duration::from_secs(120)).await;
    let _ = stop.send(());
    let _ = worker.await;

    assert_eq!(t["status"], "finished", "{t}");
    for (seed, message_id) in [(&gmail, &in_subject), (&outlook, &in_header)] {
        let s = seed_of(&t, seed);
        let filed = lab.delivered_to(message_id);
        assert_eq!(filed.len(), 1, "{filed:?}");
        assert_eq!(s["folder"], filed[0].1.as_str(), "{s}");
        assert!(
            s["raw_headers"]
                .as_str()
                .is_some_and(|h| h.contains(message_id.as_str())),
            "the coded message, not another: {s}"
        );
        assert_eq!(s["from"], sender.as_str(), "{s}");
    }
    // The seed that never got it.
    let y = seed_of(&t, &yahoo);
    assert_eq!(y["class"], "missing", "{t}");
    assert!(y["arrived_at"].is_null());
    assert_eq!(t["providers"]["yahoo"]["score"], 0.0);
    // The stray message is where it was, unread.
    let copies = lab.where_is(&stray);
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert!(!copies[0].flags.contains("\\Seen"), "{copies:?}");
}

/// With `engage`, a seed does what a person who wants the mail would: the Outlook-like seed
/// takes the unsigned message out of junk into the inbox, read and flagged. The result still
/// says where it landed.
async fn an_engaging_test_rescues_opens_and_flags(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 60.0).await;
    let key = app.new_org("Engage").await;
    let seed = lab.unique("eng", "outlook.test");
    add_seed(&app, &lab, &key, &seed, "outlook").await;
    let email = lab.unique("eng", "sender.test");
    let mailbox = add_mailbox(&app, &lab, &key, &email, &lab.password()).await;
    let (stop, worker) = start_worker(&app);
    let t = app
        .post(
            "/v1/placement-tests",
            &key,
            &json!({"mailbox_id": mailbox, "subject": "Please read", "text": "Hello",
                    "providers": ["outlook"], "engage": true}),
        )
        .await
        .expect(201)
        .json;
    let id = t["id"].as_str().unwrap_or_default().to_string();
    let message_id = t["message_id"].as_str().unwrap_or_default().to_string();
    let t = until_closed(&app, &key, &id, Duration::from_secs(120)).await;
    let s = seed_of(&t, &seed).clone();
    let started = Instant::now();
    // Engaging follows the record of where it landed: wait for the lab to show it.
    let copies = loop {
        let copies = lab.where_is(&message_id);
        if copies
            .iter()
            .any(|c| c.folder == "INBOX" && c.flags.contains("\\Flagged"))
        {
            break copies;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "not rescued: {copies:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let _ = stop.send(());
    let _ = worker.await;
    assert_eq!(
        lab.delivered_to(&message_id),
        vec![(seed.clone(), "Junk Email".to_string())]
    );
    assert_eq!(s["class"], "spam", "the result is where it landed: {s}");
    assert_eq!(s["folder"], "Junk Email");
    let inbox = copies
        .iter()
        .find(|c| c.folder == "INBOX")
        .unwrap_or_else(|| panic!("{copies:?}"));
    assert!(inbox.flags.contains("\\Seen"), "{copies:?}");
    assert!(
        !copies
            .iter()
            .any(|c| c.folder == "Junk Email" && !c.flags.contains("\\Deleted")),
        "{copies:?}"
    );
    let t = test_of(&app, &key, &id).await;
    assert!(seed_of(&t, &seed)["engaged_at"].is_string(), "{t}");
}

async fn a_scheduled_test_runs_again(backend: Backend) {
    let lab = Lab::get();
    // A simulated day is 24 real seconds; a window of 1440 minutes as long.
    let app = lab_app_at(backend, 3600.0).await;
    let key = app.new_org("Weekly").await;
    let seed = lab.unique("sch", "gmail.test");
    add_seed(&app, &lab, &key, &seed, "gmail").await;
    let email = lab.unique("sch", "sender.test");
    let mailbox = add_mailbox(&app, &lab, &key, &email, &lab.password()).await;
    let (stop, worker) = start_worker(&app);
    let first = app
        .post(
            "/v1/placement-tests",
            &key,
            &json!({
                "mailbox_id": mailbox, "subject": "Weekly check", "text": "Hello",
                "providers": ["gmail"], "window_minutes": 1440, "schedule": {"every_days": 1}
            }),
        )
        .await
        .expect(201)
        .json;
    let schedule = first["schedule_id"].clone();
    assert!(schedule.is_string(), "{first}");
    let started = Instant::now();
    let runs = loop {
        let r = app
            .get(&format!("/v1/placement-tests?mailbox_id={mailbox}"), &key)
            .await
            .expect(200)
            .json;
        let runs = r["items"].as_array().cloned().unwrap_or_default();
        if runs.len() >= 2 && runs.iter().all(|t| t["status"] == "finished") {
            break runs;
        }
        assert!(
            started.elapsed() < Duration::from_secs(150),
            "two finished runs expected: {r}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let _ = stop.send(());
    let _ = worker.await;
    assert!(
        runs.iter().all(|t| t["schedule_id"] == schedule),
        "{runs:?}"
    );
    let ids: Vec<&str> = runs
        .iter()
        .filter_map(|t| t["message_id"].as_str())
        .collect();
    assert_ne!(ids[0], ids[1], "each run is its own message");
    for id in ids {
        assert_eq!(lab.delivered_to(id).len(), 1, "sent once");
    }
    let created = |t: &Value| {
        chrono::DateTime::parse_from_rfc3339(t["created_at"].as_str().unwrap_or_default())
            .map(|d| d.timestamp())
            .unwrap_or_default()
    };
    let gap = created(&runs[1]) - created(&runs[0]);
    assert!(
        (86_400..86_400 * 2).contains(&gap),
        "the second run a day after the first: {gap} s"
    );
    let report = app
        .get("/v1/reports/placement?source=test&group_by=test", &key)
        .await
        .expect(200)
        .json;
    assert_eq!(
        report["groups"].as_array().map(Vec::len),
        Some(2),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_tests_sqlite() {
    internal_tests_land_as_the_lab_filed_them_and_stay_unread(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_tests_postgres() {
    internal_tests_land_as_the_lab_filed_them_and_stay_unread(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_test_sqlite() {
    an_external_test_finds_its_code_and_ignores_other_mail(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_test_postgres() {
    an_external_test_finds_its_code_and_ignores_other_mail(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_test_sqlite() {
    a_scheduled_test_runs_again(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_test_postgres() {
    a_scheduled_test_runs_again(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engaging_test_sqlite() {
    an_engaging_test_rescues_opens_and_flags(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engaging_test_postgres() {
    an_engaging_test_rescues_opens_and_flags(Backend::Postgres).await;
}
