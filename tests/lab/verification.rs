//! Mailbox verification against the lab: a seed sends a code to the mailbox's address, and the
//! worker finds it over the mailbox's IMAP. Someone who registers an address they do not read
//! (its IMAP login opens another account) never gets it verified.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::support::{Lab, lab_dns};
use crate::warmup::{add_seed, evening_zone, lab_account, start_worker};

async fn verifying_app(backend: Backend) -> TestApp {
    let dns = lab_dns();
    spawn_app_with(backend, move |s| {
        s.clock_speedup = 600.0;
        s.dns_servers = vec![dns];
        s.missing_after_secs = 25;
        s.require_mailbox_verification = true;
    })
    .await
}

async fn verification_of(app: &TestApp, key: &str, id: &str) -> Value {
    app.get(&format!("/v1/mailboxes/{id}"), key)
        .await
        .expect(200)
        .json["verification"]
        .clone()
}

/// Waits until the mailbox's verification leaves `pending`.
async fn settled(app: &TestApp, key: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let v = verification_of(app, key, id).await;
        if v["status"] != "pending" {
            return v;
        }
        assert!(Instant::now() < deadline, "still pending: {v}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn a_code_found_over_imap_verifies_and_one_never_seen_fails(backend: Backend) {
    let lab = Lab::get();
    let app = verifying_app(backend).await;
    let key = app.new_org("Verify").await;
    add_seed(
        &app,
        &lab,
        &key,
        &lab.unique("seed", "corp.test"),
        "google_workspace",
    )
    .await;

    // The owner: address and IMAP account are the same.
    let owner = lab.unique("owner", "sender.test");
    let mut body = lab_account(&lab, &owner, "smtp", &lab.password());
    body["timezone"] = json!(evening_zone());
    let own = app.create_mailbox(&key, &body).await;
    let own = own["id"].as_str().unwrap_or_default().to_string();

    // Someone else's address, with the IMAP login of an account the registrant reads.
    let victim = lab.unique("victim", "sender.test");
    let theirs = lab.unique("intruder", "sender.test");
    let mut body = lab_account(&lab, &victim, "smtp", &lab.password());
    body["imap"]["username"] = json!(theirs);
    body["timezone"] = json!(evening_zone());
    let claimed = app.create_mailbox(&key, &body).await;
    let claimed = claimed["id"].as_str().unwrap_or_default().to_string();

    for id in [&own, &claimed] {
        app.post(
            &format!("/v1/mailboxes/{id}/warmup/start"),
            &key,
            &json!({}),
        )
        .await
        .expect(409);
        app.post(&format!("/v1/mailboxes/{id}/verify"), &key, &json!({}))
            .await
            .expect(202);
    }
    let (stop, worker) = start_worker(&app);
    let verified = settled(&app, &key, &own).await;
    let refused = settled(&app, &key, &claimed).await;
    let _ = stop.send(());
    let _ = worker.await;

    assert_eq!(verified["status"], "verified", "{verified}");
    assert!(verified["verified_at"].is_string(), "{verified}");
    assert_eq!(refused["status"], "failed", "{refused}");
    assert!(
        refused["reason"]
            .as_str()
            .is_some_and(|r| r.contains("was not found")),
        "{refused}"
    );
    // The code did reach the address it was sent to: the victim, not the registrant.
    let at_victim = lab.read_folder(&victim, "INBOX").await;
    assert!(
        at_victim.iter().any(|m| m.contains("Mailbox verification")),
        "{at_victim:?}"
    );

    app.post(
        &format!("/v1/mailboxes/{own}/warmup/start"),
        &key,
        &json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/v1/mailboxes/{claimed}/warmup/start"),
        &key,
        &json!({}),
    )
    .await
    .expect(409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mailbox_verification_sqlite() {
    a_code_found_over_imap_verifies_and_one_never_seen_fails(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mailbox_verification_postgres() {
    a_code_found_over_imap_verifies_and_one_never_seen_fails(Backend::Postgres).await;
}
