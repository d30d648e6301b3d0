//! Placement tests through the API: validation with field paths, the 409s, seeds chosen per
//! provider, audience or split, results recorded as the worker records them (arrivals, the
//! window's end), the score's formula, the list's filters, schedules, deletion and tenancy.
//! Sending and reading real mailboxes is the lab's part (tests/lab/placement_tests.rs).

use chrono::{Duration, Utc};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use uuid::Uuid;
use warmup_domain::placement::PlacementClass;
use warmup_entity::store::placement_tests::{self as store, Arrival};
use warmup_entity::{placement_test, placement_test_seed};

use crate::helpers::{ADMIN_KEY, TestApp};
use crate::on_both_databases;
use crate::reports::mailbox;
use crate::seed_splits::{pool, split};

on_both_databases!(
    test_requests_are_validated_field_by_field,
    a_test_whose_seeds_are_all_inactive_is_a_conflict,
    an_external_test_takes_one_seed_per_provider_and_scores_its_results,
    an_internal_test_is_listed_scheduled_and_deleted,
    tests_of_another_organization_are_not_found,
    sending_is_held_by_one_worker_and_a_refusal_waits,
    the_worker_reads_placement_tests_while_a_test_is_open_or_scheduled,
);

fn id(v: &Value) -> Uuid {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an id: {v}"))
}

async fn create(app: &TestApp, key: &str, body: Value) -> Value {
    app.post("/v1/placement-tests", key, &body)
        .await
        .expect(201)
        .json
}

/// Records an arrival at the seed with this address as the worker does.
async fn arrive(app: &TestApp, test: Uuid, seed_email: &str, class: PlacementClass, from: &str) {
    let t = placement_test::Entity::find_by_id(test)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no test {test}"));
    let rows = placement_test_seed::Entity::find()
        .all(&app.db)
        .await
        .unwrap_or_default();
    let row = rows
        .into_iter()
        .find(|r| r.test_id == test && r.seed_email == seed_email)
        .unwrap_or_else(|| panic!("no seed {seed_email} in {test}"));
    let now = Utc::now();
    let recorded = store::record_arrival(
        &app.db,
        &t,
        &row,
        Arrival {
            class,
            folder: "INBOX".into(),
            uid: 7,
            arrived_at: t.created_at + Duration::seconds(42),
            spf: "pass".into(),
            dkim: "pass".into(),
            dmarc: "pass".into(),
            from: from.into(),
            raw_headers: "Received: from mx.example\r\nSubject: hi".into(),
        },
        now,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(recorded, "the first arrival is recorded");
}

async fn test_requests_are_validated_field_by_field(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let cases = [
        (json!({}), vec!["providers"]),
        (
            json!({"providers": ["gmail"], "audience": "b2c"}),
            vec!["providers"],
        ),
        (
            json!({"providers": ["gmail", "hotmail"]}),
            vec!["providers[1]"],
        ),
        (json!({"audience": ""}), vec!["audience"]),
        (json!({"providers": []}), vec!["providers"]),
        (
            json!({"providers": ["gmail"], "test_code": "wt-1"}),
            vec!["test_code"],
        ),
        (
            json!({"providers": ["gmail"], "test_code": "has space"}),
            vec!["test_code"],
        ),
        (
            json!({"providers": ["gmail"], "window_minutes": 0}),
            vec!["window_minutes"],
        ),
        (
            json!({"providers": ["gmail"], "subject": "Hi", "schedule": {"every_days": 7}}),
            vec!["schedule", "subject"],
        ),
    ];
    for (body, want) in cases {
        let r = app
            .post("/v1/placement-tests", &key, &body)
            .await
            .expect_problem(422, "validation");
        let mut fields = r.fields();
        fields.sort();
        fields.dedup();
        assert_eq!(fields, want, "{body}: {}", r.text);
    }
    // A mailbox or split that is not the organization's is not found.
    app.post(
        "/v1/placement-tests",
        &key,
        &json!({"split_id": Uuid::now_v7()}),
    )
    .await
    .expect_problem(404, "not_found");
    app.post(
        "/v1/placement-tests",
        &key,
        &json!({"mailbox_id": Uuid::now_v7(), "providers": ["gmail"], "subject": "Hi"}),
    )
    .await
    .expect_problem(404, "not_found");
    // A mailbox the service stopped cannot send a test.
    let (m, _) = mailbox(app, &key, "stopped@acme.example").await;
    warmup_entity::store::sends::stop_mailbox(
        &app.db,
        m,
        "535 5.7.8 authentication failed",
        Utc::now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let r = app
        .post(
            "/v1/placement-tests",
            &key,
            &json!({"mailbox_id": m, "subject": "Hi", "providers": ["gmail"]}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["mailbox_id"], "{}", r.text);
    assert!(
        r.text.contains("535 5.7.8"),
        "the reason is given: {}",
        r.text
    );
    // And with a valid schedule, the every_days range.
    let (ok, _) = mailbox(app, &key, "ok@acme.example").await;
    let r = app
        .post(
            "/v1/placement-tests",
            &key,
            &json!({"mailbox_id": ok, "subject": "Hi", "providers": ["gmail"], "schedule": {"every_days": 0}}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["schedule.every_days"], "{}", r.text);
}

async fn a_test_whose_seeds_are_all_inactive_is_a_conflict(app: &TestApp) {
    let key = app.new_org("Acme").await;
    // No seed of these providers at all.
    app.post("/v1/placement-tests", &key, &json!({"audience": "b2b"}))
        .await
        .expect_problem(409, "conflict");
    // A schedule whose first run cannot start is not left behind.
    let (m, _) = mailbox(app, &key, "weekly@acme.example").await;
    app.post(
        "/v1/placement-tests",
        &key,
        &json!({"mailbox_id": m, "subject": "Hi", "audience": "b2b", "schedule": {"every_days": 7}}),
    )
    .await
    .expect_problem(409, "conflict");
    let schedules = app
        .get("/v1/placement-test-schedules", &key)
        .await
        .expect(200)
        .json;
    assert_eq!(schedules["items"], json!([]), "{schedules}");
    // Seeds there, but inactive.
    pool(app, "off", "yahoo", 2).await;
    let seeds = app
        .get("/v1/seeds?limit=200", ADMIN_KEY)
        .await
        .expect(200)
        .json;
    for s in seeds["items"].as_array().cloned().unwrap_or_default() {
        if s["provider"] == "yahoo" {
            app.patch(
                &format!("/v1/seeds/{}", s["id"].as_str().unwrap_or_default()),
                ADMIN_KEY,
                &json!({"active": false}),
            )
            .await
            .expect(200);
        }
    }
    let r = app
        .post(
            "/v1/placement-tests",
            &key,
            &json!({"providers": ["yahoo"]}),
        )
        .await
        .expect_problem(409, "conflict");
    assert!(r.text.contains("active"), "{}", r.text);
    // A code already taken is a conflict too.
    pool(app, "on", "gmail", 1).await;
    create(
        app,
        &key,
        json!({"providers": ["gmail"], "test_code": "acme-launch-1"}),
    )
    .await;
    app.post(
        "/v1/placement-tests",
        &key,
        &json!({"providers": ["gmail"], "test_code": "acme-launch-1"}),
    )
    .await
    .expect_problem(409, "conflict");
}

async fn an_external_test_takes_one_seed_per_provider_and_scores_its_results(app: &TestApp) {
    let key = app.new_org("Acme").await;
    pool(app, "g", "gmail", 3).await;
    pool(app, "o", "outlook", 2).await;
    pool(app, "y", "yahoo", 1).await;
    let t = create(
        app,
        &key,
        json!({"providers": ["gmail", "outlook", "yahoo", "zoho"], "window_minutes": 30}),
    )
    .await;
    assert_eq!(t["kind"], "external");
    assert_eq!(t["status"], "waiting");
    let code = t["test_code"].as_str().unwrap_or_default();
    assert!(code.starts_with("wt-") && code.len() == 9, "{t}");
    let seeds = t["seeds"].as_array().cloned().unwrap_or_default();
    let mut providers: Vec<&str> = seeds
        .iter()
        .filter_map(|s| s["provider"].as_str())
        .collect();
    providers.sort();
    // No zoho seed exists: the others still make a test.
    assert_eq!(providers, ["gmail", "outlook", "yahoo"], "{t}");
    assert!(seeds.iter().all(|s| s["class"].is_null()));
    assert!(t["overall"]["score"].is_null(), "nothing known yet: {t}");
    let test = id(&t["id"]);
    let email = |p: &str| {
        seeds
            .iter()
            .find(|s| s["provider"] == p)
            .and_then(|s| s["email"].as_str())
            .unwrap_or_default()
            .to_string()
    };

    arrive(
        app,
        test,
        &email("gmail"),
        PlacementClass::Category,
        "news@Acme.example",
    )
    .await;
    let r = app
        .get(&format!("/v1/placement-tests/{test}"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(r["status"], "running");
    assert!(r["started_at"].is_string());
    assert_eq!(
        r["providers"]["gmail"]["score"], 5.0,
        "category counts half: {r}"
    );
    let g = r["seeds"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["provider"] == "gmail").cloned())
        .unwrap_or_default();
    assert_eq!(g["class"], "category");
    assert_eq!(g["arrival_seconds"], 42);
    assert_eq!(
        g["authentication"],
        json!({"spf": "pass", "dkim": "pass", "dmarc": "pass"})
    );
    assert_eq!(g["from"], "news@Acme.example");
    assert!(
        g["raw_headers"]
            .as_str()
            .is_some_and(|h| h.contains("Received:"))
    );

    arrive(
        app,
        test,
        &email("outlook"),
        PlacementClass::Inbox,
        "news@acme.example",
    )
    .await;
    // The window ends: yahoo never got it.
    let closed = store::close_due(&app.db, Utc::now() + Duration::minutes(31))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(closed, 1);
    let r = app
        .get(&format!("/v1/placement-tests/{test}"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(r["status"], "finished", "{r}");
    assert!(r["finished_at"].is_string());
    assert_eq!(r["providers"]["yahoo"]["rates"]["missing"], 1);
    assert_eq!(r["providers"]["yahoo"]["score"], 0.0);
    assert_eq!(r["providers"]["outlook"]["score"], 10.0);
    // (1 + 0.5 + 0) / 3 seeds, times 10.
    assert_eq!(r["overall"]["score"], 5.0, "{r}");
    assert_eq!(r["overall"]["rates"]["total"], 3);
    assert_eq!(r["overall"]["rates"]["inbox_rate"], 33.3);

    // In the organization's report, under the test and the sender's domain.
    let to = (Utc::now() + Duration::days(1)).date_naive();
    let report = app
        .get(
            &format!("/v1/reports/placement?group_by=test&source=test&to={to}"),
            &key,
        )
        .await
        .expect(200)
        .json;
    assert_eq!(report["groups"][0]["key"], test.to_string(), "{report}");
    assert_eq!(report["groups"][0]["rates"]["total"], 3);
    let by_domain = app
        .get(
            &format!("/v1/reports/placement?group_by=domain&to={to}"),
            &key,
        )
        .await
        .expect(200)
        .json;
    let domains: Vec<&str> = by_domain["groups"]
        .as_array()
        .map(|g| g.iter().filter_map(|x| x["key"].as_str()).collect())
        .unwrap_or_default();
    // The seed that never got it has no sender; the others learnt it from the message.
    assert_eq!(domains, ["", "acme.example"], "{by_domain}");
    let org = org_of(app, test).await;
    crate::reports::assert_agree(app, org, &[], "an external test").await;

    // Once closed, a late arrival changes nothing.
    let t_row = placement_test::Entity::find_by_id(test)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("gone"));
    let yahoo = placement_test_seed::Entity::find()
        .all(&app.db)
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|s| s.test_id == test && s.provider == "yahoo")
        .unwrap_or_else(|| panic!("no yahoo seed"));
    let late = store::record_arrival(
        &app.db,
        &t_row,
        &yahoo,
        Arrival {
            class: PlacementClass::Inbox,
            folder: "INBOX".into(),
            uid: 9,
            arrived_at: Utc::now(),
            spf: "pass".into(),
            dkim: "pass".into(),
            dmarc: "pass".into(),
            from: "news@acme.example".into(),
            raw_headers: String::new(),
        },
        Utc::now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!late);
}

async fn org_of(app: &TestApp, test: Uuid) -> Uuid {
    placement_test::Entity::find_by_id(test)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .map(|t| t.organization_id)
        .unwrap_or_else(|| panic!("no test {test}"))
}

async fn an_internal_test_is_listed_scheduled_and_deleted(app: &TestApp) {
    let key = app.new_org("Acme").await;
    pool(app, "w", "google_workspace", 1).await;
    pool(app, "m", "microsoft_365", 1).await;
    let (m, _) = mailbox(app, &key, "sender@acme.example").await;
    let t = create(
        app,
        &key,
        json!({
            "mailbox_id": m, "subject": "December news", "text": "Hello", "html": "<p>Hello</p>",
            "audience": "b2b", "schedule": {"every_days": 7}, "group": "standard"
        }),
    )
    .await;
    assert_eq!(t["kind"], "internal");
    assert_eq!(t["mailbox_id"], m.to_string());
    assert_eq!(t["subject"], "December news");
    assert_eq!(t["window_minutes"], 60);
    assert_eq!(t["engage"], false);
    assert!(t["schedule_id"].is_string(), "{t}");
    assert_eq!(t["seeds"].as_array().map(Vec::len), Some(2), "{t}");
    let schedules = app
        .get("/v1/placement-test-schedules", &key)
        .await
        .expect(200)
        .json;
    assert_eq!(schedules["items"][0]["id"], t["schedule_id"]);
    assert_eq!(schedules["items"][0]["every_days"], 7);
    assert_eq!(schedules["items"][0]["runs"], 1);

    // An external test beside it, then the filters.
    pool(app, "g", "gmail", 1).await;
    let ext = create(app, &key, json!({"providers": ["gmail"]})).await;
    let list = |q: &'static str| {
        let key = key.clone();
        async move {
            let r = app
                .get(&format!("/v1/placement-tests?{q}"), &key)
                .await
                .expect(200)
                .json;
            r["items"]
                .as_array()
                .map(|a| a.iter().map(|t| t["id"].clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        }
    };
    assert_eq!(list("").await, [t["id"].clone(), ext["id"].clone()]);
    assert_eq!(list("limit=1").await, [t["id"].clone()]);
    let by_mailbox = app
        .get(&format!("/v1/placement-tests?mailbox_id={m}"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(by_mailbox["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(list("status=finished").await, Vec::<Value>::new());
    assert_eq!(list("status=waiting").await.len(), 2);
    let today = Utc::now().date_naive();
    let r = app
        .get(
            &format!(
                "/v1/placement-tests?from={}&to={}",
                today - Duration::days(1),
                today + Duration::days(1)
            ),
            &key,
        )
        .await
        .expect(200)
        .json;
    assert_eq!(r["items"].as_array().map(Vec::len), Some(2));
    let r = app
        .get(
            &format!("/v1/placement-tests?to={}", today - Duration::days(1)),
            &key,
        )
        .await
        .expect(200)
        .json;
    assert_eq!(r["items"], json!([]));
    app.get("/v1/placement-tests?status=done", &key)
        .await
        .expect_problem(422, "validation");

    // The schedule's next run: due once, taken by one caller only.
    let later = Utc::now() + Duration::days(7) + Duration::minutes(1);
    let due = store::take_due_schedules(&app.db, later, Duration::days(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(due.len(), 1);
    let again = store::take_due_schedules(&app.db, later, Duration::days(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(again.is_empty(), "a run is taken once");
    assert_eq!(
        due[0].1.message.as_ref().map(|m| m.subject.as_str()),
        Some("December news")
    );

    // Deleted: gone from the list and the report.
    let tid = t["id"].as_str().unwrap_or_default();
    app.delete(&format!("/v1/placement-tests/{tid}"), &key)
        .await
        .expect(204);
    app.get(&format!("/v1/placement-tests/{tid}"), &key)
        .await
        .expect_problem(404, "not_found");
    let report = app
        .get("/v1/reports/placement?source=test", &key)
        .await
        .expect(200)
        .json;
    assert_eq!(
        report["overall"]["total"], 1,
        "only the external test's seed: {report}"
    );
    let sid = t["schedule_id"].as_str().unwrap_or_default();
    app.delete(&format!("/v1/placement-test-schedules/{sid}"), &key)
        .await
        .expect(204);
    let schedules = app
        .get("/v1/placement-test-schedules", &key)
        .await
        .expect(200)
        .json;
    assert_eq!(schedules["items"], json!([]));
}

async fn tests_of_another_organization_are_not_found(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let other = app.new_org("Other").await;
    pool(app, "g", "gmail", 1).await;
    let t = create(app, &key, json!({"providers": ["gmail"]})).await;
    let tid = t["id"].as_str().unwrap_or_default();
    app.get(&format!("/v1/placement-tests/{tid}"), &other)
        .await
        .expect_problem(404, "not_found");
    app.delete(&format!("/v1/placement-tests/{tid}"), &other)
        .await
        .expect_problem(404, "not_found");
    let r = app
        .get("/v1/placement-tests", &other)
        .await
        .expect(200)
        .json;
    assert_eq!(r["items"], json!([]));
    // Another organization's split cannot pick seeds.
    pool(app, "s", "outlook", 2).await;
    let s = split(app, &key, json!({"provider": "outlook", "seeds_amount": 2})).await;
    app.post("/v1/placement-tests", &other, &json!({"split_id": s["id"]}))
        .await
        .expect_problem(404, "not_found");
    // Its own organization can.
    let t = create(app, &key, json!({"split_id": s["id"]})).await;
    assert_eq!(t["split_id"], s["id"]);
    assert_eq!(t["seeds"].as_array().map(Vec::len), Some(2));
}

/// The store's side of sending an internal test, as workers race for it: one claim at a time,
/// a lost claim cannot be renewed, a refusal waits before the test is due again, and a seed
/// sent to is not due any more.
async fn sending_is_held_by_one_worker_and_a_refusal_waits(app: &TestApp) {
    let key = app.new_org("Acme").await;
    pool(app, "g", "gmail", 1).await;
    let (m, _) = mailbox(app, &key, "sender@acme.example").await;
    let t = create(
        app,
        &key,
        json!({"mailbox_id": m, "subject": "Hi", "providers": ["gmail"]}),
    )
    .await;
    let test = id(&t["id"]);
    let now = Utc::now();
    let due = |at| async move {
        store::to_send(&app.db, at)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .contains(&test)
    };
    assert!(due(now).await);
    let until = now + Duration::minutes(5);
    let (_, _, rows) = store::claim_send(&app.db, test, "w1", now, until)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the first claim wins"));
    assert_eq!(rows.len(), 1);
    let second = store::claim_send(&app.db, test, "w2", now, until)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(second.is_none(), "held by w1");
    assert!(!due(now).await, "held: not due");
    let renew = |owner: &'static str| async move {
        store::renew_send(&app.db, test, owner, until)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(!renew("w2").await);
    assert!(renew("w1").await);
    // Refused: not due again for a while.
    store::release_send(&app.db, test, "w1", Some(now + Duration::minutes(1)))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!due(now).await);
    assert!(due(now + Duration::minutes(2)).await);
    store::mark_sent(&app.db, rows[0].id, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !due(now + Duration::minutes(2)).await,
        "nothing left to send"
    );
}

/// The engagement loop reads placement tests' due lists only while one is open or scheduled.
async fn the_worker_reads_placement_tests_while_a_test_is_open_or_scheduled(app: &TestApp) {
    let in_use = || async { app.in_use().await.placement_tests };
    assert!(!in_use().await, "no test yet");
    let key = app.new_org("Acme").await;
    pool(app, "g", "gmail", 1).await;
    let t = create(app, &key, json!({"providers": ["gmail"]})).await;
    assert!(in_use().await, "an open test");
    let path = format!("/v1/placement-tests/{}", id(&t["id"]));
    app.delete(&path, &key).await.expect(204);
    assert!(!in_use().await, "deleted");

    pool(app, "w", "google_workspace", 1).await;
    let (m, _) = mailbox(app, &key, "sender@acme.example").await;
    let t = create(
        app,
        &key,
        json!({"mailbox_id": m, "subject": "News", "text": "Hello", "audience": "b2b", "schedule": {"every_days": 7}}),
    )
    .await;
    let schedule = t["schedule_id"].as_str().unwrap_or_default().to_string();
    app.delete(&format!("/v1/placement-tests/{}", id(&t["id"])), &key)
        .await
        .expect(204);
    assert!(in_use().await, "its schedule is left");
    app.delete(&format!("/v1/placement-test-schedules/{schedule}"), &key)
        .await
        .expect(204);
    assert!(!in_use().await, "schedule deleted");
}
