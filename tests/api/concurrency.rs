use serde_json::json;

use crate::helpers::{TestApp, mailbox_body};
use crate::on_both_databases;

on_both_databases!(concurrent_writes_wait_for_each_other_instead_of_failing,);

/// Requests whose transactions read before they write, beside other writers: on SQLite a
/// deferred transaction failed with "database is locked" (517) when another connection
/// committed between its read and its write, and the API answered 500.
async fn concurrent_writes_wait_for_each_other_instead_of_failing(app: &TestApp) {
    let key = app.new_org("Acme").await;
    for i in 0..10 {
        app.create_mailbox(&key, &mailbox_body(&format!("m{i}@example.net"), "pw"))
            .await;
    }
    // Each writer posts its bodies in turn and keeps what did not answer `want`.
    let writer = |path: &'static str, bodies: Vec<serde_json::Value>, want: u16| {
        let key = key.clone();
        async move {
            let mut failed = Vec::new();
            for body in bodies {
                let r = app.post(path, &key, &body).await;
                if r.status != want {
                    failed.push(format!("{path}: {} {}", r.status, r.text));
                }
            }
            failed
        }
    };
    let apply = |n: u32| {
        let bodies = (0..15u32)
            .map(|j| {
                json!({
                    "all": true,
                    "preferences": {"max_per_day": 20 + (n * 15 + j) % 20, "pattern": if j % 2 == 0 { "b2b" } else { "b2c" }},
                })
            })
            .collect();
        writer("/v1/warmup/preferences/apply", bodies, 200)
    };
    let add = |n: u32| {
        let bodies = (0..30u32)
            .map(|j| json!({"name": format!("d{n}-{j}.example.com")}))
            .collect();
        writer("/v1/domains", bodies, 201)
    };
    let (a, b, c, d) = tokio::join!(apply(0), apply(1), add(0), add(1));
    let failed: Vec<String> = [a, b, c, d].concat();
    assert!(failed.is_empty(), "{} failed: {failed:#?}", failed.len());
}

/// A write that waited out SQLite's busy timeout (another connection held the write lock all
/// along) is a 503 with Retry-After, which a client retries, not a 500; once the lock is free
/// the same request succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_busy_past_its_timeout_answers_503_with_retry_after() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    let key = app.new_org("Acme").await;
    let body = json!({"name": "example.com"});
    let held = warmup_entity::store::write_txn::begin(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let busy = app.post("/v1/domains", &key, &body).await;
    sea_orm::TransactionSession::rollback(held)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let busy = busy.expect_problem(503, "unavailable");
    assert_eq!(busy.header("retry-after"), Some("1"), "{:?}", busy.headers);
    app.post("/v1/domains", &key, &body).await.expect(201);
}
