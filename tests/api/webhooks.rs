//! Webhooks through the API and a real worker: managed with their secret shown once, events
//! delivered to a local receiver that checks each signature with its own HMAC, retried on 5xx,
//! ended by a 410, sent again on request, never sent to a name that resolves to loopback nor
//! over plain http once that is not allowed, and turned off after five days of failures.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::receiver::{Receiver, verifies};

/// A worker on a fast clock (a simulated minute a real second), stopped when dropped.
struct Worker {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

fn start_worker(app: &TestApp, change: impl FnOnce(&mut warmup_mail::ConnectOptions)) -> Worker {
    let secrets = warmup_entity::secret_box::SecretBox::from_base64(
        app.settings.secret_key.as_deref().unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tls = warmup_mail::TlsTrust::load(None).unwrap_or_else(|e| panic!("{e}"));
    let mut options = warmup::startup::worker_options(
        &app.settings,
        secrets,
        tls,
        warmup_entity::Clock::scaled(60.0),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    if let Some(deps) = options.warmup.as_mut() {
        change(&mut deps.connect);
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(warmup_worker::run_until(
        app.db.clone(),
        options,
        async move {
            let _ = stopped.await;
        },
    ));
    Worker { stop: Some(stop) }
}

/// Polls a delivery until it is `delivered` or `failed` (60 s at most).
async fn finished(app: &TestApp, key: &str, hook: &str, delivery: &str) -> Value {
    let path = format!("/v1/webhooks/{hook}/deliveries/{delivery}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let d = app.get(&path, key).await.expect(200).json;
        if d["state"] == "delivered" || d["state"] == "failed" {
            return d;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "delivery never finished: {d}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn outcomes(d: &Value) -> Vec<(String, Value)> {
    d["attempts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            (
                a["outcome"].as_str().unwrap_or_default().to_string(),
                a["status"].clone(),
            )
        })
        .collect()
}

on_both_databases!(webhooks_are_managed_and_their_secret_is_shown_once);

async fn webhooks_are_managed_and_their_secret_is_shown_once(app: &TestApp) {
    let key = app.new_org("Hooks").await;
    let bad = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": "ftp://hooks.example.com/", "events": ["mailbox.stopped", "nope"]}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(bad.fields(), ["url", "events[1]"]);
    let none = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": "https://hooks.example.com/", "events": []}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(none.fields(), ["events"]);

    let created = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": "https://hooks.example.com/in", "events": ["mailbox.stopped", "mailbox.stopped", "placement.dropped"]}),
        )
        .await
        .expect(201)
        .json;
    let id = created["id"].as_str().unwrap_or_default().to_string();
    let secret = created["secret"].as_str().unwrap_or_default().to_string();
    assert!(secret.starts_with("whsec_"), "{created}");
    assert_eq!(
        created["events"],
        json!(["mailbox.stopped", "placement.dropped"])
    );
    assert_eq!(created["active"], true);

    let got = app
        .get(&format!("/v1/webhooks/{id}"), &key)
        .await
        .expect(200)
        .json;
    assert!(got.get("secret").is_none(), "shown once: {got}");
    let listed = app.get("/v1/webhooks", &key).await.expect(200).json;
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert!(listed["items"][0].get("secret").is_none());

    let changed = app
        .patch(
            &format!("/v1/webhooks/{id}"),
            &key,
            &json!({"events": ["send.errors_spike"], "active": false}),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(changed["events"], json!(["send.errors_spike"]));
    assert_eq!(changed["active"], false);
    let wrong = app
        .patch(
            &format!("/v1/webhooks/{id}"),
            &key,
            &json!({"url": "https://user:pw@hooks.example.com/"}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(wrong.fields(), ["url"]);
    // An inactive webhook takes no test event.
    app.post(&format!("/v1/webhooks/{id}/test"), &key, &json!({}))
        .await
        .expect_problem(409, "conflict");

    let rotated = app
        .post(
            &format!("/v1/webhooks/{id}/rotate-secret"),
            &key,
            &json!({}),
        )
        .await
        .expect(200)
        .json;
    let new_secret = rotated["secret"].as_str().unwrap_or_default();
    assert!(
        new_secret.starts_with("whsec_") && new_secret != secret,
        "{rotated}"
    );
    assert!(rotated["previous_secret_expires_at"].is_string());

    // Another organization sees none of it.
    let other = app.new_org("Other").await;
    app.get(&format!("/v1/webhooks/{id}"), &other)
        .await
        .expect_problem(404, "not_found");
    app.delete(&format!("/v1/webhooks/{id}"), &other)
        .await
        .expect_problem(404, "not_found");
    assert_eq!(
        app.get("/v1/webhooks", &other).await.expect(200).json["items"],
        json!([])
    );

    app.delete(&format!("/v1/webhooks/{id}"), &key)
        .await
        .expect(204);
    app.get(&format!("/v1/webhooks/{id}"), &key)
        .await
        .expect_problem(404, "not_found");
}

on_both_databases!(an_event_is_signed_retried_and_delivered_once_and_a_410_ends_it);

async fn an_event_is_signed_retried_and_delivered_once_and_a_410_ends_it(app: &TestApp) {
    let key = app.new_org("Receiver").await;
    let flaky = Receiver::start(vec![500, 503, 200]).await;
    let gone = Receiver::start(vec![410]).await;
    let hook = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": flaky.url(), "events": ["mailbox.stopped"]}),
        )
        .await
        .expect(201)
        .json;
    let hook_id = hook["id"].as_str().unwrap_or_default().to_string();
    let secret = hook["secret"].as_str().unwrap_or_default().to_string();
    let queued = app
        .post(&format!("/v1/webhooks/{hook_id}/test"), &key, &json!({}))
        .await
        .expect(202)
        .json;
    assert_eq!(queued["state"], "pending");
    assert_eq!(queued["event_type"], "webhook.test");
    let delivery_id = queued["id"].as_str().unwrap_or_default().to_string();

    let _worker = start_worker(app, |_| {});
    let done = finished(app, &key, &hook_id, &delivery_id).await;
    assert_eq!(done["state"], "delivered", "{done}");
    assert_eq!(
        outcomes(&done),
        [
            ("retry".to_string(), json!(500)),
            ("retry".to_string(), json!(503)),
            ("delivered".to_string(), json!(200)),
        ]
    );
    assert!(done["attempts"][0]["duration_ms"].is_i64());
    let got = flaky.requests();
    assert_eq!(got.len(), 3, "one request per try");
    let event_id = done["event_id"].as_str().unwrap_or_default();
    let now = chrono::Utc::now().timestamp();
    for r in &got {
        assert_eq!(r.header("webhook-id"), event_id, "the same id on every try");
        assert!(verifies(&secret, r), "signature of {:?}", r.headers);
        let sent: i64 = r.header("webhook-timestamp").parse().unwrap_or(0);
        assert!((now - sent).abs() < 300, "a wall-clock timestamp: {sent}");
        assert_eq!(r.header("content-type"), "application/json");
    }
    let body: Value = serde_json::from_str(&got[2].body).unwrap_or_default();
    assert_eq!(body["type"], "webhook.test");
    assert_eq!(body["data"]["webhook_id"], hook_id.as_str());
    assert!(body["timestamp"].is_string());
    assert_eq!(body, done["payload"], "the page shows what was sent");

    // Sent again on request: a new delivery of the same event, signed again.
    let again = app
        .post(
            &format!("/v1/webhooks/{hook_id}/deliveries/{delivery_id}/redeliver"),
            &key,
            &json!({}),
        )
        .await
        .expect(202)
        .json;
    assert_eq!(again["redelivery_of"], delivery_id.as_str());
    let again = finished(
        app,
        &key,
        &hook_id,
        again["id"].as_str().unwrap_or_default(),
    )
    .await;
    assert_eq!(again["state"], "delivered");
    let got = flaky.requests();
    assert_eq!(got.len(), 4);
    assert_eq!(got[3].header("webhook-id"), event_id);
    assert!(verifies(&secret, &got[3]));
    let page = app
        .get(&format!("/v1/webhooks/{hook_id}/deliveries"), &key)
        .await
        .expect(200)
        .json;
    let ids: Vec<&str> = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            again["id"].as_str().unwrap_or_default(),
            delivery_id.as_str()
        ],
        "newest first"
    );

    // A receiver that answers 410 Gone gets one try.
    let ended = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": gone.url(), "events": ["mailbox.stopped"]}),
        )
        .await
        .expect(201)
        .json;
    let ended_id = ended["id"].as_str().unwrap_or_default().to_string();
    let d = app
        .post(&format!("/v1/webhooks/{ended_id}/test"), &key, &json!({}))
        .await
        .expect(202)
        .json;
    let d = finished(app, &key, &ended_id, d["id"].as_str().unwrap_or_default()).await;
    assert_eq!(d["state"], "failed", "{d}");
    assert_eq!(outcomes(&d), [("failed".to_string(), json!(410))]);
    assert_eq!(d["last_status"], 410);
    assert_eq!(gone.requests().len(), 1);
    let failing = app
        .get(&format!("/v1/webhooks/{ended_id}"), &key)
        .await
        .expect(200)
        .json;
    assert!(failing["failing_since"].is_string(), "{failing}");

    // The tries are counted in /metrics by result, read from the database.
    let metrics = app.metrics_text().await;
    for line in [
        "warmup_webhook_deliveries_total{result=\"delivered\"} 2",
        "warmup_webhook_deliveries_total{result=\"retry\"} 2",
        "warmup_webhook_deliveries_total{result=\"failed\"} 1",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in\n{metrics}");
    }
    assert_eq!(metrics.matches("# EOF").count(), 1, "one exposition");
}

on_both_databases!(a_name_that_resolves_to_loopback_is_refused_when_delivering);

/// The name passes the API's check; at delivery time it resolves to loopback, and nothing is
/// sent (a DNS rebinding cannot aim the service at its own network).
async fn a_name_that_resolves_to_loopback_is_refused_when_delivering(app: &TestApp) {
    let key = app.new_org("Rebind").await;
    let receiver = Receiver::start(vec![200]).await;
    let url = format!("https://rebind.example:{}/hook", receiver.port);
    let hook = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": url, "events": ["mailbox.stopped"]}),
        )
        .await
        .expect(201)
        .json;
    let hook_id = hook["id"].as_str().unwrap_or_default().to_string();
    let d = app
        .post(&format!("/v1/webhooks/{hook_id}/test"), &key, &json!({}))
        .await
        .expect(202)
        .json;
    let _worker = start_worker(app, |connect| {
        connect.allow_private_hosts = false;
        connect.lookup = Some(warmup_mail::connect::Lookup(Arc::new(|_host, port| {
            Box::pin(
                async move { Ok(vec![SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)]) },
            )
        })));
    });
    let d = finished(app, &key, &hook_id, d["id"].as_str().unwrap_or_default()).await;
    assert_eq!(d["state"], "failed", "{d}");
    let error = d["attempts"][0]["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("rebind.example") && error.contains("loopback, private or link-local"),
        "{error}"
    );
    assert!(
        !error.contains("127.0.0.1"),
        "the address is not shown to the tenant: {error}"
    );
    assert!(d["attempts"][0].get("status").is_none());
    assert!(
        receiver.requests().is_empty(),
        "nothing reached the address"
    );

    // A plain-http webhook stored while the API allowed it is not sent to by a worker that
    // does not.
    let plain = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": receiver.url(), "events": ["mailbox.stopped"]}),
        )
        .await
        .expect(201)
        .json;
    let plain_id = plain["id"].as_str().unwrap_or_default().to_string();
    let d = app
        .post(&format!("/v1/webhooks/{plain_id}/test"), &key, &json!({}))
        .await
        .expect(202)
        .json;
    let d = finished(app, &key, &plain_id, d["id"].as_str().unwrap_or_default()).await;
    assert_eq!(d["state"], "failed", "{d}");
    assert_eq!(
        d["attempts"][0]["error"], "the webhook's URL must use https",
        "{d}"
    );
    assert!(receiver.requests().is_empty());
}

on_both_databases!(five_days_of_failures_turn_a_webhook_off_and_tell_the_others);

/// A webhook failing since six days fails once more: it is turned off with the reason, and the
/// organization's webhook for `webhook.disabled` is told; turned on again, its streak is gone.
async fn five_days_of_failures_turn_a_webhook_off_and_tell_the_others(app: &TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let key = app.new_org("Streak").await;
    let broken = Receiver::start(vec![500]).await;
    let watcher = Receiver::start(vec![200]).await;
    let failing = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": broken.url(), "events": ["mailbox.stopped"]}),
        )
        .await
        .expect(201)
        .json;
    let failing_id = failing["id"].as_str().unwrap_or_default().to_string();
    let told = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": watcher.url(), "events": ["webhook.disabled"]}),
        )
        .await
        .expect(201)
        .json;
    let told_secret = told["secret"].as_str().unwrap_or_default().to_string();
    let six_days_ago = warmup_entity::Clock::system().now() - chrono::Duration::days(6);
    warmup_entity::webhook::Entity::update_many()
        .col_expr(
            warmup_entity::webhook::Column::FailingSince,
            sea_orm::sea_query::Expr::value(six_days_ago),
        )
        .filter(
            warmup_entity::webhook::Column::Id
                .eq(failing_id.parse::<uuid::Uuid>().unwrap_or_default()),
        )
        .exec(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let d = app
        .post(&format!("/v1/webhooks/{failing_id}/test"), &key, &json!({}))
        .await
        .expect(202)
        .json;
    let _worker = start_worker(app, |_| {});
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let off = loop {
        let w = app
            .get(&format!("/v1/webhooks/{failing_id}"), &key)
            .await
            .expect(200)
            .json;
        if w["active"] == false {
            break w;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never turned off: {w}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        off["disabled_reason"]
            .as_str()
            .is_some_and(|r| r.contains("5 days")),
        "{off}"
    );
    // Its pending delivery is not tried again: the webhook is off.
    let d = finished(app, &key, &failing_id, d["id"].as_str().unwrap_or_default()).await;
    assert_eq!(d["state"], "failed", "{d}");
    // The other webhook is told, signed.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let event = loop {
        if let Some(r) = watcher.requests().first() {
            break r.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "webhook.disabled never arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(verifies(&told_secret, &event));
    let body: Value = serde_json::from_str(&event.body).unwrap_or_default();
    assert_eq!(body["type"], "webhook.disabled");
    assert_eq!(body["data"]["webhook_id"], failing_id.as_str());
    let raised = app.events_of("webhook.disabled").await;
    assert_eq!(raised.len(), 1, "raised once: {raised:?}");
    // Turned on again, the streak starts over.
    let on = app
        .patch(
            &format!("/v1/webhooks/{failing_id}"),
            &key,
            &json!({"active": true}),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(on["active"], true);
    assert!(
        on.get("failing_since").is_none() && on.get("disabled_reason").is_none(),
        "{on}"
    );
}
