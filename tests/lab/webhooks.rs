//! Webhooks and the self-adjusting ramp against the lab, on a fast clock: an HTTPS receiver
//! with the lab's certificate fails twice and then takes a test event, signed (checked by the
//! test's own HMAC); then a sender warms up to five gmail.test seeds, the provider is switched
//! to junk everything (`maillab fault junk`), the ramp holds, steps back and says so to the
//! receiver, and once switched back the ramp resumes. The counts per day prove it.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;
use warmup_entity::{placement, plan_day};

use crate::helpers::{Backend, TestApp};
use crate::receiver::{Receiver, verifies};
use crate::support::{Lab, var};
use crate::warmup::{add_mailbox, add_seed, lab_app_at, start_warmup, start_worker};

/// The lab's server certificate (its SANs hold `localhost`) for the test's own HTTPS receiver.
fn lab_tls() -> Arc<rustls::ServerConfig> {
    let dir = var("MAILLAB_DIR");
    let read = |name: &str| {
        std::fs::read(format!("{dir}/tls/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let chain = read("server-chain.pem");
    let key = read("server.key");
    let certs: Vec<_> = rustls_pemfile::certs(&mut chain.as_slice())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    let key = rustls_pemfile::private_key(&mut key.as_slice())
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no key in server.key"));
    Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

/// One planned day as the test reads it.
#[derive(Debug, Clone)]
struct Day {
    date: String,
    count: i32,
    mode: String,
    cap: Option<i32>,
    /// Why the day got its mode: only shown, when an assertion about the days fails.
    #[allow(dead_code)]
    reason: Option<String>,
}

async fn days_of(app: &TestApp, mailbox: Uuid) -> Vec<Day> {
    plan_day::Entity::find()
        .filter(plan_day::Column::MailboxId.eq(mailbox))
        .order_by_asc(plan_day::Column::PlanDate)
        .all(&app.db)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|d| Day {
            date: d.plan_date,
            count: d.count,
            mode: d.adjust_mode,
            cap: d.volume_cap,
            reason: d.adjust_reason,
        })
        .collect()
}

/// Whether every warmup message of the mailbox's days so far has a known place.
async fn all_placed(app: &TestApp, mailbox: Uuid, days: usize) -> bool {
    let rows = placement::Entity::find()
        .filter(placement::Column::MailboxId.eq(mailbox))
        .all(&app.db)
        .await
        .unwrap_or_default();
    let dates: std::collections::BTreeSet<&str> =
        rows.iter().map(|p| p.plan_date.as_str()).collect();
    dates.len() >= days && rows.iter().all(|p| p.class.is_some())
}

/// Waits (real time, with a deadline) until `done` says so; fails with the days so far.
async fn until<F, Fut>(app: &TestApp, mailbox: Uuid, what: &str, secs: u64, done: F) -> Vec<Day>
where
    F: Fn(Vec<Day>) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let days = days_of(app, mailbox).await;
        if done(days.clone()).await {
            return days;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what} did not happen within {secs} s; days so far: {days:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn a_junked_provider_holds_then_steps_back_the_ramp_and_a_signed_webhook_says_so(
    backend: Backend,
) {
    let lab = Lab::get();
    // Two simulated hours per real second: a day in 12 s.
    let app = lab_app_at(backend, 7_200.0).await;
    let key = app.new_org("Adjusting").await;
    // The receiver fails twice, then takes everything.
    let receiver = Receiver::start_tls(vec![503, 503, 200], lab_tls()).await;
    let hook = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": receiver.url_at("localhost"), "events": ["mailbox.warmup_adjusted"]}),
        )
        .await
        .expect(201)
        .json;
    let hook_id = hook["id"].as_str().unwrap_or_default().to_string();
    let secret = hook["secret"].as_str().unwrap_or_default().to_string();
    let test = app
        .post(&format!("/v1/webhooks/{hook_id}/test"), &key, &json!({}))
        .await
        .expect(202)
        .json;

    let sender = lab.unique("adj", "sender.test");
    let mailbox = add_mailbox(&app, &lab, &key, &sender, &lab.password()).await;
    let mut seeds = Vec::new();
    for _ in 0..5 {
        let seed = lab.unique("adjseed", "gmail.test");
        add_seed(&app, &lab, &key, &seed, "gmail").await;
        seeds.push(seed);
    }
    app.patch(
        &format!("/v1/mailboxes/{mailbox}/warmup"),
        &key,
        &json!({"pattern": "b2c", "start_per_day": 2, "daily_increase": 1,
                "daily_variance_percent": 0, "provider_split": {"gmail": 100},
                "hold_below_inbox_percent": 80, "step_back_below_inbox_percent": 40}),
    )
    .await
    .expect(200);
    start_warmup(&app, &key, &mailbox).await;
    let (stop, worker) = start_worker(&app);
    let id: Uuid = mailbox.parse().unwrap_or_default();

    // The test event: two 503s, then delivered, one webhook-id, every try signed.
    let path = format!(
        "/v1/webhooks/{hook_id}/deliveries/{}",
        test["id"].as_str().unwrap_or_default()
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let delivered = loop {
        let d = app.get(&path, &key).await.expect(200).json;
        if d["state"] == "delivered" || d["state"] == "failed" {
            break d;
        }
        assert!(tokio::time::Instant::now() < deadline, "not delivered: {d}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let tries: Vec<(Value, Value)> = delivered["attempts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| (a["outcome"].clone(), a["status"].clone()))
        .collect();
    assert_eq!(
        tries,
        [
            (json!("retry"), json!(503)),
            (json!("retry"), json!(503)),
            (json!("delivered"), json!(200)),
        ],
        "{delivered}"
    );
    let got = receiver.requests();
    assert_eq!(got.len(), 3, "over TLS, once per try");
    assert!(got.iter().all(|r| verifies(&secret, r)));
    assert!(
        got.iter()
            .all(|r| r.header("webhook-id") == delivered["event_id"].as_str().unwrap_or("?"))
    );

    // Three healthy sending days, every message placed.
    let app = &app;
    until(app, id, "three placed days", 120, |days| async move {
        days.len() >= 3 && all_placed(app, id, 3).await
    })
    .await;
    for seed in &seeds {
        lab.fault(&["junk", seed, "on"]);
    }
    // The ramp holds, then steps back.
    let days = until(app, id, "a step back", 180, |days| async move {
        days.iter().any(|d| d.mode == "stepped_back")
    })
    .await;
    for seed in &seeds {
        lab.fault(&["junk", seed, "off"]);
    }
    let held = days
        .iter()
        .position(|d| d.mode == "holding")
        .unwrap_or_else(|| panic!("no day held before the step back: {days:?}"));
    let back = days
        .iter()
        .position(|d| d.mode == "stepped_back")
        .unwrap_or_default();
    assert!(held < back, "held first: {days:?}");
    assert!(days[..held].iter().all(|d| d.mode == "ramping"), "{days:?}");
    for w in days[..held].windows(2) {
        assert_eq!(
            w[1].count,
            w[0].count + 1,
            "ramping adds one a day: {days:?}"
        );
    }
    assert_eq!(
        days[held].count,
        days[held - 1].count,
        "holding: no increase: {days:?}"
    );
    assert!(back >= 4, "{days:?}");
    assert_eq!(
        days[back].cap,
        Some(days[back - 4].count),
        "back to the volume of three sending days before the latest: {days:?}"
    );
    assert_eq!(Some(days[back].count), days[back].cap, "{days:?}");
    let cap = days[back].count;

    // Switched back: two good days in a row and the ramp climbs again.
    let days = until(app, id, "the ramp resuming", 240, |days| async move {
        days.iter().skip(back + 1).any(|d| d.mode == "ramping")
    })
    .await;
    // The counts per day, for the log of a run (shown with --nocapture).
    println!(
        "days (date, planned, mode, cap): {:?}",
        days.iter()
            .map(|d| (&d.date, d.count, &d.mode, d.cap))
            .collect::<Vec<_>>()
    );
    let resumed = back
        + 1
        + days[back + 1..]
            .iter()
            .position(|d| d.mode == "ramping")
            .unwrap_or_default();
    assert!(
        days[back..resumed].iter().all(|d| d.count <= cap),
        "never above the cap while stepped back: {days:?}"
    );
    assert!(days[resumed].count > cap, "resumed above the cap: {days:?}");

    // Each change reached the receiver, signed, in order.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let modes = loop {
        let modes: Vec<String> = receiver
            .requests()
            .iter()
            .filter(|r| verifies(&secret, r))
            .filter_map(|r| serde_json::from_str::<Value>(&r.body).ok())
            .filter(|b| b["type"] == "mailbox.warmup_adjusted")
            .map(|b| b["data"]["mode"].as_str().unwrap_or_default().to_string())
            .collect();
        if modes.iter().any(|m| m == "ramping") || tokio::time::Instant::now() > deadline {
            break modes;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let _ = stop.send(());
    let _ = worker.await;
    let firsts: Vec<&str> = modes
        .iter()
        .map(String::as_str)
        .fold(Vec::new(), |mut v, m| {
            if v.last() != Some(&m) {
                v.push(m);
            }
            v
        });
    assert_eq!(
        firsts,
        ["holding", "stepped_back", "ramping"],
        "the events received: {modes:?}; days: {:?}",
        days.iter()
            .map(|d| (&d.date, d.count, &d.mode))
            .collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_junked_provider_adjusts_the_ramp_sqlite() {
    a_junked_provider_holds_then_steps_back_the_ramp_and_a_signed_webhook_says_so(Backend::Sqlite)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_junked_provider_adjusts_the_ramp_postgres() {
    a_junked_provider_holds_then_steps_back_the_ramp_and_a_signed_webhook_says_so(
        Backend::Postgres,
    )
    .await;
}
