//! The send queue over the API (list, flush, delete) and a mailbox's grouped send errors, on
//! rows put in place; the lab suite drives the same endpoints against real servers.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use serde_json::{Value, json};
use uuid::Uuid;
use warmup_entity::{send, send_attempt};

use crate::helpers::{TestApp, mailbox_body};
use crate::on_both_databases;

on_both_databases!(
    the_queue_lists_flushes_and_deletes_only_what_may_be,
    send_errors_are_grouped_with_their_pattern_and_diagnosis,
);

struct Fixture {
    key: String,
    mailbox: Uuid,
    org: Uuid,
}

async fn fixture(app: &TestApp, name: &str) -> Fixture {
    let key = app.new_org(name).await;
    let m = app
        .create_mailbox(
            &key,
            &mailbox_body(&format!("q@{}.example", name.to_lowercase()), "pw"),
        )
        .await;
    let (mailbox, org) = app
        .mailbox_and_org(m["id"].as_str().unwrap_or_default())
        .await;
    Fixture { key, mailbox, org }
}

fn now(app: &TestApp) -> DateTime<Utc> {
    let _ = app;
    warmup_entity::Clock::system().now()
}

/// A send to `recipient` in `state`; deferred ones carry their last answer and wait an hour.
async fn put_send(
    app: &TestApp,
    f: &Fixture,
    recipient: &str,
    state: &str,
    last: Option<(i32, &str, &str)>,
) -> send::Model {
    let at = now(app);
    let mut s = send::Model::planned(
        send::Draft {
            organization_id: f.org,
            mailbox_id: f.mailbox,
            seed_id: None,
            seed_email: recipient.into(),
            provider: "gmail".into(),
            plan_date: at.format("%Y-%m-%d").to_string(),
            message_id: format!("{}@q.example", Uuid::new_v4().simple()),
            language: "en".into(),
            subject: "Hello".into(),
            body: "Hello there.".into(),
        },
        at,
        at,
    );
    s.state = state.into();
    s.next_attempt_at = at + Duration::hours(1);
    if let Some((code, enhanced, category)) = last {
        s.last_code = Some(code);
        s.last_enhanced = Some(enhanced.into());
        s.last_category = Some(category.into());
        s.last_text = Some(format!("{code} {enhanced} refused"));
        s.attempts = 1;
    }
    if state == "sending" {
        s.lease_owner = Some("worker-1".into());
        s.lease_until = Some(at + Duration::minutes(5));
    }
    s.clone()
        .into_active_model()
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("send: {e}"))
}

pub(crate) async fn row(app: &TestApp, id: Uuid) -> send::Model {
    send::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("send {id}"))
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn the_queue_lists_flushes_and_deletes_only_what_may_be(app: &TestApp) {
    let f = fixture(app, "Acme").await;
    let other = fixture(app, "Other").await;
    let planned = put_send(app, &f, "s1@gmail.test", "planned", None).await;
    let queued = put_send(app, &f, "s2@gmail.test", "queued", None).await;
    let sending = put_send(app, &f, "s3@gmail.test", "sending", None).await;
    let flaky = put_send(
        app,
        &f,
        "s4@flaky.test",
        "deferred",
        Some((451, "4.4.2", "bad_connection")),
    )
    .await;
    let grey = put_send(
        app,
        &f,
        "s5@yahoo.test",
        "deferred",
        Some((450, "4.2.0", "greylisted")),
    )
    .await;
    let sent = put_send(app, &f, "s6@gmail.test", "sent", None).await;
    let foreign = put_send(
        app,
        &other,
        "s7@flaky.test",
        "deferred",
        Some((451, "4.4.2", "bad_connection")),
    )
    .await;

    // Listing: oldest first, sent mail is not in the queue, another organization's never.
    let all = app.get("/v1/queue", &f.key).await.expect(200).json;
    let want: Vec<String> = [&planned, &queued, &sending, &flaky, &grey]
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    assert_eq!(ids(&all), want);
    assert!(!ids(&all).contains(&sent.id.to_string()));
    assert_eq!(all["items"][3]["domain"], "flaky.test");
    assert_eq!(all["items"][3]["last_enhanced_status"], "4.4.2");
    assert_eq!(all["items"][3]["recipient"], "s4@flaky.test");
    let deferred = app
        .get("/v1/queue?state=deferred", &f.key)
        .await
        .expect(200)
        .json;
    assert_eq!(ids(&deferred), [flaky.id.to_string(), grey.id.to_string()]);
    let by_domain = app
        .get("/v1/queue?domain=yahoo.test", &f.key)
        .await
        .expect(200)
        .json;
    assert_eq!(ids(&by_domain), [grey.id.to_string()]);
    let paged = app.get("/v1/queue?limit=2", &f.key).await.expect(200).json;
    assert_eq!(ids(&paged).len(), 2);
    let next = paged["next"].as_str().unwrap_or_default();
    let rest = app
        .get(&format!("/v1/queue?limit=10&after={next}"), &f.key)
        .await
        .expect(200)
        .json;
    assert_eq!(ids(&rest).len(), 3);
    for bad in [
        "state=sent",
        "domain=a_b.example",
        "mailbox_id=nope",
        "limit=0",
    ] {
        app.get(&format!("/v1/queue?{bad}"), &f.key)
            .await
            .expect(422);
    }

    // Flush: only the deferred 4.4.x send becomes due now; a second flush finds nothing due.
    let r = app
        .post(
            "/v1/queue/flush",
            &f.key,
            &json!({"enhanced_status": "4.4"}),
        )
        .await
        .expect(200);
    assert_eq!(r.json["flushed"], 1, "{}", r.text);
    assert!(row(app, flaky.id).await.next_attempt_at <= now(app));
    assert_eq!(
        row(app, grey.id).await.next_attempt_at,
        grey.next_attempt_at
    );
    assert_eq!(
        row(app, foreign.id).await.next_attempt_at,
        foreign.next_attempt_at
    );
    let r = app
        .post(
            "/v1/queue/flush",
            &f.key,
            &json!({"enhanced_status": "4.4"}),
        )
        .await
        .expect(200);
    assert_eq!(r.json["flushed"], 0);
    app.post(
        "/v1/queue/flush",
        &f.key,
        &json!({"enhanced_status": "4.x"}),
    )
    .await
    .expect(422);
    app.post("/v1/queue/flush", &f.key, &json!({"category": "nonsense"}))
        .await
        .expect(422);

    // Delete one: cancelled and recorded; not twice, not while sending, not another's.
    app.delete(&format!("/v1/queue/{}", planned.id), &f.key)
        .await
        .expect(204);
    let gone = row(app, planned.id).await;
    assert_eq!(gone.state, "cancelled");
    assert!(gone.cancelled_at.is_some());
    assert!(
        gone.cancel_reason
            .as_deref()
            .is_some_and(|r| r.contains("deleted from the queue"))
    );
    let again = app
        .delete(&format!("/v1/queue/{}", planned.id), &f.key)
        .await
        .expect(409);
    assert!(again.text.contains("cancelled"), "{}", again.text);
    let busy = app
        .delete(&format!("/v1/queue/{}", sending.id), &f.key)
        .await
        .expect(409);
    assert!(busy.text.contains("being sent"), "{}", busy.text);
    app.delete(&format!("/v1/queue/{}", sent.id), &f.key)
        .await
        .expect(409);
    app.delete(&format!("/v1/queue/{}", foreign.id), &f.key)
        .await
        .expect(404);
    app.delete(&format!("/v1/queue/{}", Uuid::now_v7()), &f.key)
        .await
        .expect(404);
    assert_eq!(row(app, foreign.id).await.state, "deferred");

    // Delete by filter: something must narrow it; `sending` is left and counted.
    let r = app
        .post("/v1/queue/delete", &f.key, &json!({}))
        .await
        .expect(422);
    assert_eq!(r.json["errors"][0]["field"], "all", "{}", r.text);
    app.post("/v1/queue/delete", &f.key, &json!({"state": "sending"}))
        .await
        .expect(422);
    let r = app
        .post("/v1/queue/delete", &f.key, &json!({"domain": "yahoo.test"}))
        .await
        .expect(200);
    assert_eq!(r.json, json!({"deleted": 1, "sending_skipped": 0}));
    assert_eq!(row(app, grey.id).await.state, "cancelled");
    let r = app
        .post("/v1/queue/delete", &f.key, &json!({"all": true}))
        .await
        .expect(200);
    assert_eq!(r.json, json!({"deleted": 2, "sending_skipped": 1}));
    for s in [&queued, &flaky] {
        assert_eq!(row(app, s.id).await.state, "cancelled");
    }
    assert_eq!(row(app, sending.id).await.state, "sending");
    assert_eq!(row(app, sent.id).await.state, "sent");
    assert_eq!(row(app, foreign.id).await.state, "deferred");
    // The literal paths beside `{send_id}` take only POST.
    for path in ["/v1/queue/flush", "/v1/queue/delete"] {
        let r = app.delete(path, &f.key).await.expect(405);
        assert_eq!(
            r.headers.get("allow").and_then(|v| v.to_str().ok()),
            Some("POST")
        );
    }
    let left = app.get("/v1/queue", &f.key).await.expect(200).json;
    assert_eq!(ids(&left), [sending.id.to_string()]);
}

async fn attempt(
    app: &TestApp,
    f: &Fixture,
    s: &send::Model,
    n: i32,
    at: DateTime<Utc>,
    outcome: &str,
    reply: Option<(i32, &str, &str)>,
) {
    let (code, enhanced, category) = match reply {
        Some((c, e, cat)) => (Some(c), Some(e.to_string()), cat),
        None => (None, None, "bad_connection"),
    };
    send_attempt::Model {
        id: Uuid::now_v7(),
        send_id: s.id,
        organization_id: f.org,
        mailbox_id: f.mailbox,
        attempt: n,
        attempted_at: at,
        code,
        enhanced,
        text: format!("{outcome} attempt {n}"),
        category: category.into(),
        outcome: outcome.into(),
        duration_ms: 30,
    }
    .into_active_model()
    .reset_all()
    .insert(&app.db)
    .await
    .unwrap_or_else(|e| panic!("attempt: {e}"));
}

async fn send_errors_are_grouped_with_their_pattern_and_diagnosis(app: &TestApp) {
    let f = fixture(app, "Acme").await;
    let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|d| d.and_utc())
        .unwrap_or_default();
    let flaky = put_send(app, &f, "a@flaky.test", "deferred", None).await;
    let flaky2 = put_send(app, &f, "b@flaky.test", "failed", None).await;
    let grey = put_send(app, &f, "c@yahoo.test", "sent", None).await;
    let unreachable = put_send(app, &f, "d@gmail.test", "deferred", None).await;
    attempt(
        app,
        &f,
        &flaky,
        1,
        t - Duration::minutes(30),
        "deferred",
        Some((451, "4.4.2", "bad_connection")),
    )
    .await;
    attempt(
        app,
        &f,
        &flaky2,
        1,
        t - Duration::minutes(20),
        "failed",
        Some((451, "4.4.2", "bad_connection")),
    )
    .await;
    attempt(
        app,
        &f,
        &grey,
        1,
        t - Duration::minutes(20),
        "deferred",
        Some((450, "4.2.0", "greylisted")),
    )
    .await;
    attempt(
        app,
        &f,
        &grey,
        2,
        t - Duration::minutes(10),
        "sent",
        Some((250, "2.0.0", "accepted")),
    )
    .await;
    // No server answered: the service could not reach the mailbox's own SMTP server.
    attempt(
        app,
        &f,
        &unreachable,
        1,
        t - Duration::minutes(5),
        "deferred",
        None,
    )
    .await;

    let path = format!("/v1/mailboxes/{}/errors", f.mailbox);
    let r = app
        .get(&format!("{path}?from=2026-03-02&to=2026-03-02"), &f.key)
        .await
        .expect(200)
        .json;
    let groups = r["groups"].as_array().cloned().unwrap_or_default();
    let shown: Vec<(String, String, u64, String)> = groups
        .iter()
        .map(|g| {
            (
                g["domain"].as_str().unwrap_or_default().to_string(),
                g["category"].as_str().unwrap_or_default().to_string(),
                g["attempts"].as_u64().unwrap_or(0),
                g["pattern"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(groups.iter().all(|g| g["date"] == "2026-03-02"), "{r:#}");
    {
        assert_eq!(
            shown,
            vec![
                (
                    "flaky.test".into(),
                    "bad_connection".into(),
                    2,
                    "persistent".into()
                ),
                (
                    "gmail.test".into(),
                    "bad_connection".into(),
                    1,
                    "persistent".into()
                ),
                (
                    "yahoo.test".into(),
                    "greylisted".into(),
                    1,
                    "intermittent".into()
                ),
            ],
            "{r:#}"
        );
        let flaky_group = &groups[0];
        assert_eq!(flaky_group["enhanced_status"], "4.4.2");
        assert_eq!(flaky_group["sends"], 2);
        assert_eq!(
            flaky_group["diagnose"],
            json!({"method": "POST", "href": "/v1/diagnostics/smtp", "body": {"domain": "flaky.test"}})
        );
        let mailbox = app
            .get(&format!("/v1/mailboxes/{}", f.mailbox), &f.key)
            .await
            .expect(200)
            .json;
        assert_eq!(
            groups[1]["diagnose"]["body"],
            json!({"host": mailbox["smtp"]["host"], "port": mailbox["smtp"]["port"]})
        );
        assert!(
            groups[2].get("diagnose").is_none(),
            "greylisting needs no diagnosis"
        );
        assert_eq!(groups[2]["sends_sent_later"], 1);
    }
    // The default range (the last 30 days) and a range without errors.
    app.get(&path, &f.key).await.expect(200);
    let empty = app
        .get(&format!("{path}?from=2026-03-03&to=2026-03-31"), &f.key)
        .await
        .expect(200)
        .json;
    assert_eq!(empty["groups"], json!([]));
    app.get(&format!("{path}?from=2026-02-01&to=2026-01-01"), &f.key)
        .await
        .expect(422);
    app.get(&format!("{path}?from=yesterday"), &f.key)
        .await
        .expect(422);
    app.get(&format!("/v1/mailboxes/{}/errors", Uuid::now_v7()), &f.key)
        .await
        .expect(404);
}
