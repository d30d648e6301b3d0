//! Alert thresholds through the API, and the alerts judged from what the database holds: a
//! spike of one code in a mailbox's last hour and a dropped inbox rate, each raised once and
//! queued for the webhooks that asked for it.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;
use warmup_entity::{event, placement_rollup, send_attempt, webhook_delivery};

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(alert_rules_default_replace_and_name_bad_fields);

async fn alert_rules_default_replace_and_name_bad_fields(app: &TestApp) {
    let key = app.new_org("Rules").await;
    let defaults = app.get("/v1/alert-rules", &key).await.expect(200).json;
    assert_eq!(
        defaults,
        json!({
            "errors_spike": {"enabled": true, "percent": 20, "min_attempts": 10},
            "placement_drop": {"enabled": true, "below_inbox_percent": 70, "window_days": 3, "min_placements": 10}
        })
    );
    let set = app
        .request(
            reqwest::Method::PUT,
            "/v1/alert-rules",
            Some(&key),
            Some(&json!({"errors_spike": {"percent": 50}, "placement_drop": {"enabled": false}})),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(set["errors_spike"]["percent"], 50);
    assert_eq!(
        set["errors_spike"]["min_attempts"], 10,
        "absent: the default"
    );
    assert_eq!(set["placement_drop"]["enabled"], false);
    assert_eq!(app.get("/v1/alert-rules", &key).await.expect(200).json, set);
    let bad = app
        .request(
            reqwest::Method::PUT,
            "/v1/alert-rules",
            Some(&key),
            Some(&json!({"errors_spike": {"percent": 0}, "placement_drop": {"window_days": 99}})),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(
        bad.fields(),
        ["errors_spike.percent", "placement_drop.window_days"]
    );
    // Another organization keeps the defaults.
    let other = app.new_org("Other").await;
    assert_eq!(
        app.get("/v1/alert-rules", &other).await.expect(200).json,
        defaults
    );
}

async fn attempt(
    app: &TestApp,
    org: Uuid,
    mailbox_id: Uuid,
    outcome: &str,
    enhanced: Option<&str>,
) {
    let now = warmup_entity::Clock::system().now();
    let draft = warmup_entity::send::Draft {
        organization_id: org,
        mailbox_id,
        seed_id: None,
        // One seed per send: a seed gets one warmup message a day.
        seed_email: format!("seed-{}@example.org", Uuid::new_v4().simple()),
        provider: "gmail".into(),
        plan_date: now.date_naive().to_string(),
        message_id: format!("{}@example.net", Uuid::new_v4().simple()),
        language: "en".into(),
        subject: "Hello".into(),
        body: "Hello there.".into(),
    };
    let s = warmup_entity::send::Model::planned(draft, now, now);
    sea_orm::IntoActiveModel::into_active_model(s.clone())
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    send_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        send_id: Set(s.id),
        organization_id: Set(org),
        mailbox_id: Set(mailbox_id),
        attempt: Set(1),
        attempted_at: Set(now),
        code: Set(enhanced.map(|_| 451)),
        enhanced: Set(enhanced.map(str::to_string)),
        text: Set("try later".into()),
        category: Set(if enhanced.is_some() {
            "greylisted"
        } else {
            "accepted"
        }
        .into()),
        outcome: Set(outcome.into()),
        duration_ms: Set(5),
    }
    .insert(&app.db)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
}

async fn events_of(app: &TestApp, org: Uuid, kind: &str) -> Vec<event::Model> {
    event::Entity::find()
        .filter(event::Column::OrganizationId.eq(org))
        .filter(event::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .unwrap_or_default()
}

on_both_databases!(a_spike_and_a_drop_are_raised_once_by_the_organizations_rules);

async fn a_spike_and_a_drop_are_raised_once_by_the_organizations_rules(app: &TestApp) {
    let key = app.new_org("Alerts").await;
    let mailbox = app
        .create_mailbox(
            &key,
            &crate::helpers::mailbox_body("alerts@acme.example", "pw-123456"),
        )
        .await;
    let (mailbox_id, org) = app
        .mailbox_and_org(mailbox["id"].as_str().unwrap_or_default())
        .await;
    let hook = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": "https://hooks.example.com/in", "events": ["send.errors_spike", "placement.dropped"]}),
        )
        .await
        .expect(201)
        .json;
    // 4 of 10 attempts in the hour deferred with 4.4.2: 40%, over the default 20%.
    for i in 0..10 {
        let deferred = i < 4;
        attempt(
            app,
            org,
            mailbox_id,
            if deferred { "deferred" } else { "sent" },
            deferred.then_some("4.4.2"),
        )
        .await;
    }
    // The last days' warmup placements: 3 of 10 in the inbox, under the default 70%.
    let today = warmup_entity::Clock::system()
        .now()
        .date_naive()
        .to_string();
    for (class, n) in [("inbox", 3), ("spam", 7), ("pending", 5)] {
        placement_rollup::ActiveModel {
            organization_id: Set(org),
            day: Set(today.clone()),
            source: Set("warmup".into()),
            mailbox_id: Set(mailbox_id),
            split_id: Set(Uuid::nil()),
            test_id: Set(Uuid::nil()),
            domain: Set("acme.example".into()),
            provider: Set("gmail".into()),
            class: Set(class.into()),
            n: Set(n),
        }
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let clock = warmup_entity::Clock::system();
    let raised = warmup_worker::alerts::raise_due(&app.db, &clock)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(raised, 2);
    let again = warmup_worker::alerts::raise_due(&app.db, &clock)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, 0, "each raised once");

    let spikes = events_of(app, org, "send.errors_spike").await;
    assert_eq!(spikes.len(), 1);
    let data: serde_json::Value = serde_json::from_str(&spikes[0].data).unwrap_or_default();
    assert_eq!(data["code"], "4.4.2");
    assert_eq!(data["count"], 4);
    assert_eq!(data["attempts"], 10);
    assert_eq!(data["percent"], 40.0);
    assert_eq!(data["email"], "alerts@acme.example");
    let drops = events_of(app, org, "placement.dropped").await;
    assert_eq!(drops.len(), 1);
    let data: serde_json::Value = serde_json::from_str(&drops[0].data).unwrap_or_default();
    assert_eq!(data["inbox_percent"], 30.0);
    assert_eq!(data["placements"], 10, "pending ones are not counted");
    // Both are on their way to the webhook.
    let hook_id: Uuid = hook["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    let queued = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(hook_id))
        .count(&app.db)
        .await
        .unwrap_or(0);
    assert_eq!(queued, 2);

    // Housekeeping keeps an event while a delivery of it is still being tried.
    let later = warmup_entity::Clock::system().now() + chrono::Duration::days(1);
    let kept = warmup_entity::store::events::purge_before(&app.db, later)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept, 0);
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::State,
            sea_orm::sea_query::Expr::value("failed"),
        )
        .filter(webhook_delivery::Column::WebhookId.eq(hook_id))
        .exec(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let purged = warmup_entity::store::events::purge_before(&app.db, later)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(purged, 2);
    let left = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(hook_id))
        .count(&app.db)
        .await
        .unwrap_or(9);
    assert_eq!(left, 0, "their deliveries went with them");

    // Another organization's stricter rules: the same counts raise nothing there.
    let key2 = app.new_org("Strict").await;
    app.request(
        reqwest::Method::PUT,
        "/v1/alert-rules",
        Some(&key2),
        Some(&json!({"errors_spike": {"percent": 50}, "placement_drop": {"below_inbox_percent": 20}})),
    )
    .await
    .expect(200);
    let mailbox2 = app
        .create_mailbox(
            &key2,
            &crate::helpers::mailbox_body("alerts@strict.example", "pw-123456"),
        )
        .await;
    let (mailbox2, org2) = app
        .mailbox_and_org(mailbox2["id"].as_str().unwrap_or_default())
        .await;
    for i in 0..10 {
        let deferred = i < 4;
        attempt(
            app,
            org2,
            mailbox2,
            if deferred { "deferred" } else { "sent" },
            deferred.then_some("4.4.2"),
        )
        .await;
    }
    warmup_worker::alerts::raise_due(&app.db, &clock)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(events_of(app, org2, "send.errors_spike").await.is_empty());
}
