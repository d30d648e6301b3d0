//! The send queue against the lab: a flush sends a deferred message before its backoff would
//! have, and a deleted send never reaches the lab, even once its server would take it.

use std::time::Duration;

use serde_json::json;

use crate::helpers::Backend;
use crate::warmup::{one_send, start_worker, the_send, until};

const FAULT: &str = "451 4.4.2 Bad connection to remote mail server";

async fn a_flush_sends_a_deferred_message_before_its_backoff_ends(backend: Backend) {
    let (lab, app, key, mailbox, seed) = one_send(backend, FAULT).await;
    let (stop, worker) = start_worker(&app);
    // After four refusals the backoff is 80 simulated minutes: about 8 real seconds here.
    let deferred = until(&app, &mailbox, "four deferrals", |s| {
        s.state == "deferred" && s.attempts >= 4
    })
    .await;
    lab.fault(&["submission", "clear", &seed]);
    let r = app
        .post(
            "/v1/queue/flush",
            &key,
            &json!({"mailbox_id": mailbox, "domain": "corp.test", "enhanced_status": "4.4.2"}),
        )
        .await
        .expect(200);
    // The next try is seconds away: the flush finds the send still deferred.
    assert_eq!(r.json["flushed"], 1, "{}", r.text);
    let sent = until(&app, &mailbox, "delivery", |s| s.state == "sent").await;
    let _ = stop.send(());
    let _ = worker.await;
    let at = sent.sent_at.unwrap_or_default();
    assert!(
        at < deferred.next_attempt_at,
        "sent at {at}, not before the backoff's end {}",
        deferred.next_attempt_at
    );
    lab.wait_for(&sent.message_id, Duration::from_secs(30))
        .await;
    assert_eq!(lab.where_is(&sent.message_id).len(), 1);
}

async fn a_deleted_send_never_reaches_the_lab(backend: Backend) {
    let (lab, app, key, mailbox, seed) = one_send(backend, FAULT).await;
    let (stop, worker) = start_worker(&app);
    let clock = warmup_entity::Clock::anchored(&app.db, app.settings.clock_speedup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Deleted while it waits for its retry; a worker holding it at that moment says 409.
    let mut deleted = None;
    for _ in 0..240 {
        let s = until(&app, &mailbox, "a deferral", |s| s.state == "deferred").await;
        let r = app.delete(&format!("/v1/queue/{}", s.id), &key).await;
        match r.status {
            204 => {
                deleted = Some(s);
                break;
            }
            409 => tokio::time::sleep(Duration::from_millis(100)).await,
            other => panic!("delete answered {other}: {}", r.text),
        }
    }
    let deleted = deleted.unwrap_or_else(|| panic!("the send was never deleted"));
    // Its server would take it now; wait until its retry time has long passed.
    lab.fault(&["submission", "clear", &seed]);
    let after = deleted.next_attempt_at + chrono::Duration::minutes(60);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while clock.now() < after {
        assert!(
            std::time::Instant::now() < deadline,
            "the clock did not pass {after}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = stop.send(());
    let _ = worker.await;
    let s = the_send(&app, &mailbox)
        .await
        .unwrap_or_else(|| panic!("the send"));
    assert_eq!(s.id, deleted.id);
    assert_eq!(s.state, "cancelled");
    assert_eq!(
        s.attempts, deleted.attempts,
        "no attempt after the deletion"
    );
    assert!(lab.where_is(&s.message_id).is_empty(), "it reached the lab");
    let left = app
        .get(&format!("/v1/queue?mailbox_id={mailbox}"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(left["items"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flush_sends_before_the_backoff_sqlite() {
    a_flush_sends_a_deferred_message_before_its_backoff_ends(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flush_sends_before_the_backoff_postgres() {
    a_flush_sends_a_deferred_message_before_its_backoff_ends(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_send_never_sent_sqlite() {
    a_deleted_send_never_reaches_the_lab(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_send_never_sent_postgres() {
    a_deleted_send_never_reaches_the_lab(Backend::Postgres).await;
}
