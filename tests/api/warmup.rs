//! Warmup preferences through the API: per mailbox, defaults, bulk apply, start/pause, preview.

use sea_orm::{ActiveModelTrait, IntoActiveModel};
use serde_json::{Value, json};
use uuid::Uuid;
use warmup_domain::{Provider, WarmupStatus};
use warmup_entity::OrgId;
use warmup_entity::store::{plans, sends, warmup};

use crate::helpers::{TestApp, mailbox_body, seed_body};
use crate::on_both_databases;

on_both_databases!(
    preferences_default_then_patch_put_and_validate,
    organization_defaults_apply_to_mailboxes_without_their_own,
    bulk_apply_changes_all_or_nothing,
    start_and_pause_and_the_schedule_preview,
    a_preferences_write_racing_a_planning_round_never_lowers_sending_day,
    stats_and_events_keep_thread_continuations_apart_from_warmup_sends,
    dates_from_a_request_never_panic_and_stats_span_at_most_366_days,
    a_planning_round_reads_every_warmup_only_when_something_changed,
    planning_reads_warmups_a_page_at_a_time_and_misses_none,
);

async fn mailbox(app: &TestApp, key: &str, email: &str) -> String {
    let m = app.create_mailbox(key, &mailbox_body(email, "pw")).await;
    m["id"].as_str().unwrap_or_default().to_string()
}

async fn preferences_default_then_patch_put_and_validate(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let id = mailbox(app, &key, "w@acme.example").await;
    let path = format!("/v1/mailboxes/{id}/warmup");
    let w = app.get(&path, &key).await.expect(200).json;
    assert_eq!(w["status"], "not_started");
    assert_eq!(w["customized"], false);
    assert_eq!(w["preferences"]["start_per_day"], 3);
    assert_eq!(w["preferences"]["pattern"], "b2b");
    assert_eq!(w["preferences"]["languages"], json!(["en"]));
    let split: u64 = w["preferences"]["provider_split"]
        .as_object()
        .map(|m| m.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0);
    assert_eq!(split, 100);
    // No seeds yet: every provider of the split is unserved, and the API says so.
    assert_eq!(w["warnings"][0]["code"], "provider_without_seeds");

    let patched = app
        .patch(
            &path,
            &key,
            &json!({"max_per_day": 20, "weekdays": ["mon", "wed"], "languages": ["de", "fr"]}),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(patched["customized"], true);
    assert_eq!(patched["preferences"]["max_per_day"], 20);
    assert_eq!(patched["preferences"]["weekdays"], json!(["mon", "wed"]));
    assert_eq!(
        patched["preferences"]["start_per_day"], 3,
        "untouched fields stay"
    );

    let put = app
        .request(
            reqwest::Method::PUT,
            &path,
            Some(&key),
            Some(&json!({"pattern": "b2c"})),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(put["preferences"]["pattern"], "b2c");
    assert_eq!(
        put["preferences"]["max_per_day"], 40,
        "PUT replaces: the rest from the defaults"
    );
    assert_eq!(
        put["preferences"]["reply_rate_percent"], 15,
        "B2C's default reply rate"
    );

    let bad = app
        .patch(
            &path,
            &key,
            &json!({"provider_split": {"gmail": 50, "outlook": 20}, "daily_variance_percent": 75, "languages": ["xx"]}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(
        bad.fields(),
        ["daily_variance_percent", "provider_split", "languages[0]"]
    );
    let unknown = app
        .patch(
            &path,
            &key,
            &json!({"provider_split": {"hotmail": 100}, "weekdays": ["mon", "someday"]}),
        )
        .await
        .expect_problem(422, "validation");
    // One notation for every path: keys after dots, list positions in brackets.
    assert_eq!(unknown.fields(), ["provider_split.hotmail"]);
    let unknown = app
        .patch(&path, &key, &json!({"weekdays": ["mon", "someday"]}))
        .await
        .expect_problem(422, "validation");
    assert_eq!(unknown.fields(), ["weekdays[1]"]);
    let after = app.get(&path, &key).await.json;
    assert_eq!(
        after["preferences"], put["preferences"],
        "a refused change changes nothing"
    );
}

async fn organization_defaults_apply_to_mailboxes_without_their_own(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let id = mailbox(app, &key, "d@acme.example").await;
    let defaults = app
        .request(
            reqwest::Method::PUT,
            "/v1/warmup/preferences",
            Some(&key),
            Some(&json!({"start_per_day": 5, "pattern": "b2c"})),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(defaults["start_per_day"], 5);
    let got = app
        .get("/v1/warmup/preferences", &key)
        .await
        .expect(200)
        .json;
    assert_eq!(got, defaults);
    let w = app
        .get(&format!("/v1/mailboxes/{id}/warmup"), &key)
        .await
        .json;
    assert_eq!(w["preferences"]["start_per_day"], 5);
    assert_eq!(w["preferences"]["pattern"], "b2c");
    // The worker reads the same preferences without the mailbox's row: the defaults first,
    // then the mailbox's own once it has them.
    let (mailbox_id, org) = app.mailbox_and_org(&id).await;
    let worker_reads = || async {
        warmup::preferences_of(&app.db, OrgId(org), mailbox_id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let read = worker_reads().await;
    assert_eq!((read.ramp.start_per_day, read.pattern.as_str()), (5, "b2c"));
    app.patch(
        &format!("/v1/mailboxes/{id}/warmup"),
        &key,
        &json!({"start_per_day": 7}),
    )
    .await
    .expect(200);
    assert_eq!(worker_reads().await.ramp.start_per_day, 7);
    // Another organization keeps the built-in defaults.
    let other = app.new_org("Other").await;
    assert_eq!(
        app.get("/v1/warmup/preferences", &other).await.json["start_per_day"],
        3
    );
}

async fn bulk_apply_changes_all_or_nothing(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let a = mailbox(app, &key, "a@acme.example").await;
    let b = mailbox(app, &key, "b@acme.example").await;
    app.patch(
        &format!("/v1/mailboxes/{b}/warmup"),
        &key,
        &json!({"max_per_day": 15}),
    )
    .await
    .expect(200);
    let r = app
        .post(
            "/v1/warmup/preferences/apply",
            &key,
            &json!({"all": true, "preferences": {"max_per_day": 15}}),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(r["changed"], json!([a]));
    assert_eq!(r["unchanged"], json!([b]));

    // start_per_day 20 is above b's... no: above both caps of 15: refused for all, nothing changes.
    let refused = app
        .post(
            "/v1/warmup/preferences/apply",
            &key,
            &json!({"mailbox_ids": [a, b], "preferences": {"start_per_day": 20}}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(refused.fields(), ["preferences.start_per_day"]);
    assert_eq!(
        app.get(&format!("/v1/mailboxes/{a}/warmup"), &key)
            .await
            .json["preferences"]["start_per_day"],
        3
    );

    let other = app.new_org("Other").await;
    let foreign = mailbox(app, &other, "x@other.example").await;
    let r = app
        .post(
            "/v1/warmup/preferences/apply",
            &key,
            &json!({"mailbox_ids": [a, foreign], "preferences": {"max_per_day": 9}}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["mailbox_ids"]);
    app.post(
        "/v1/warmup/preferences/apply",
        &key,
        &json!({"preferences": {}}),
    )
    .await
    .expect_problem(422, "validation");
}

async fn start_and_pause_and_the_schedule_preview(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let id = mailbox(app, &key, "s@acme.example").await;
    for (i, provider) in ["gmail", "outlook"].iter().enumerate() {
        let mut seed = seed_body(&format!("seed{i}@seeds.example"), "pw");
        seed["provider"] = json!(provider);
        app.post("/v1/seeds", &key, &seed).await.expect(201);
    }
    app.patch(
        &format!("/v1/mailboxes/{id}/warmup"),
        &key,
        &json!({"provider_split": {"gmail": 60, "outlook": 40}, "daily_variance_percent": 0,
                "start_per_day": 2, "daily_increase": 1, "max_per_day": 5}),
    )
    .await
    .expect(200);
    let started = app
        .post(
            &format!("/v1/mailboxes/{id}/warmup/start"),
            &key,
            &json!({}),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(started["status"], "running");
    assert!(started["started_at"].is_string());
    assert_eq!(started["warnings"], json!([]), "both providers have seeds");

    let s = app
        .get(&format!("/v1/mailboxes/{id}/warmup/schedule?days=10"), &key)
        .await
        .expect(200)
        .json;
    let days = s["days"].as_array().cloned().unwrap_or_default();
    assert_eq!(days.len(), 10);
    let counts: Vec<u64> = days.iter().filter_map(|d| d["count"].as_u64()).collect();
    assert_eq!(
        counts,
        [2, 3, 4, 5, 5, 5, 5, 5, 5, 5],
        "every day sends by default"
    );
    let mut gmail = 0;
    for d in &days {
        let per: u64 = d["providers"]
            .as_object()
            .map(|m| m.values().filter_map(Value::as_u64).sum())
            .unwrap_or(0);
        assert_eq!(Some(per), d["count"].as_u64());
        gmail += d["providers"]["gmail"].as_u64().unwrap_or(0);
    }
    assert_eq!(gmail, 26, "60 % of 44, rounded with carried remainders");
    app.get(&format!("/v1/mailboxes/{id}/warmup/schedule?days=0"), &key)
        .await
        .expect_problem(422, "validation");

    let paused = app
        .post(
            &format!("/v1/mailboxes/{id}/warmup/pause"),
            &key,
            &json!({}),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(paused["status"], "paused");
    assert_eq!(paused["started_at"], started["started_at"]);
    // A paused mailbox (the mailbox itself, not its warmup) cannot start.
    app.patch(
        &format!("/v1/mailboxes/{id}"),
        &key,
        &json!({"status": "paused"}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/v1/mailboxes/{id}/warmup/start"),
        &key,
        &json!({}),
    )
    .await
    .expect_problem(409, "conflict");
    let patterns = app.get("/v1/warmup/patterns", &key).await.expect(200).json;
    assert_eq!(patterns[0]["pattern"], "b2b");
    assert!(
        patterns[1]["send_windows"]
            .as_array()
            .is_some_and(|w| !w.is_empty())
    );
}

/// A handler reads the warmup, a planning round stores its day (the ramp moves on, the split
/// carries a remainder), then the handler writes what it read with its change: the ramp stays
/// where the planner put it, whichever write it was (preferences, pause, start).
async fn a_preferences_write_racing_a_planning_round_never_lowers_sending_day(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let id = mailbox(app, &key, "race@acme.example").await;
    app.post(
        &format!("/v1/mailboxes/{id}/warmup/start"),
        &key,
        &json!({}),
    )
    .await
    .expect(200);
    let (mailbox_id, org) = app.mailbox_and_org(&id).await;
    let org = OrgId(org);
    let now = warmup_entity::Clock::system().now();

    // What the handler read before the planning round.
    let read = warmup::get(&app.db, org, mailbox_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no warmup"));
    assert_eq!(read.sending_days, 0);

    // The planning round, through the store function the planner uses.
    let carry =
        warmup_domain::split::Carry::from([(Provider::Gmail, 40), (Provider::Outlook, -40)]);
    let stored = plans::record_plan(
        &app.db,
        plans::NewPlan {
            mailbox_id,
            organization_id: org.0,
            date: warmup_domain::plan_date::PlanDate::new(now.date_naive()),
            email: "race@acme.example".into(),
            sending_day: read.sending_days,
            next_sending_day: read.sending_days + 1,
            count: 0,
            carry: carry.clone(),
            sends: Vec::new(),
            adjustment: warmup_domain::auto_adjust::Adjustment::off(),
            changed_from: None,
        },
        now,
    )
    .await;
    assert!(matches!(stored, Ok(true)), "{stored:?}");

    // Each write the API makes from such a read: PATCH, PUT and bulk apply change the
    // preferences, pause and start the status.
    let mut changed = read.clone();
    changed.preferences.ramp.max_per_day = 20;
    let mut paused = changed.clone();
    paused.status = WarmupStatus::Paused;
    paused.status_reason = Some("paused through the API".into());
    let mut started = changed.clone();
    started.status = WarmupStatus::Running;
    started.status_reason = None;
    for (what, w, part) in [
        ("preferences", changed, warmup::Part::Preferences),
        ("pause", paused, warmup::Part::Status),
        ("start", started, warmup::Part::Status),
    ] {
        let saved = warmup::save(&app.db, org, &w, part, now)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let after = warmup::get(&app.db, org, mailbox_id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no warmup"));
        assert_eq!(after.sending_days, 1, "{what} lowered the sending day");
        assert_eq!(after.carry, carry, "{what} lost the split's carry");
        assert_eq!(after.preferences.ramp.max_per_day, 20, "{what}");
        assert_eq!(after.status, w.status, "{what}");
        assert_eq!(saved, after, "{what}: the answer is what is stored");
    }
    let got = app
        .get(&format!("/v1/mailboxes/{id}/warmup"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(got["sending_day"], 1);
    assert_eq!(got["preferences"]["max_per_day"], 20);

    // The service stops the warmup (a refused login) while a preferences change read it
    // running: the change keeps the stop.
    sends::stop_mailbox(
        &app.db,
        mailbox_id,
        "the SMTP server refused the login",
        now,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let mut late = read.clone();
    late.preferences.ramp.max_per_day = 30;
    warmup::save(&app.db, org, &late, warmup::Part::Preferences, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let after = warmup::get(&app.db, org, mailbox_id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no warmup"));
    assert_eq!(after.preferences.ramp.max_per_day, 30);
    assert_ne!(
        after.status,
        WarmupStatus::Running,
        "a preferences write restarted it"
    );
    assert_eq!(after.sending_days, 1);
}

/// A send of the mailbox to seed number `seed` on `day` in `state`; a continuation (the
/// sender's answer in the thread with that seed) when `depth` is above 0.
fn a_send(
    org: Uuid,
    mailbox_id: Uuid,
    day: &str,
    seed: usize,
    state: &str,
    depth: i32,
) -> warmup_entity::send::Model {
    let now = warmup_entity::Clock::system().now();
    let draft = warmup_entity::send::Draft {
        organization_id: org,
        mailbox_id,
        seed_id: None,
        seed_email: format!("seed{seed}@seeds.example"),
        provider: "gmail".into(),
        plan_date: day.into(),
        message_id: format!("{}@acme.example", Uuid::new_v4().simple()),
        language: "en".into(),
        subject: "Hello".into(),
        body: "Hello there.".into(),
    };
    let mut s = warmup_entity::send::Model::planned(draft, now, now);
    s.state = state.into();
    if depth > 0 {
        s.thread_depth = depth;
        s.in_reply_to = Some(format!("{}@seeds.example", Uuid::new_v4().simple()));
        s.reference_ids = s.in_reply_to.clone();
    }
    if state == "sent" {
        s.sent_at = Some(now);
    }
    s
}

/// A day on which 8 warmup messages were planned and the sender answered in 3 threads: the
/// day shows 8 planned (what the ramp asked for), the answers apart, and each event says which
/// kind of message it was about.
async fn stats_and_events_keep_thread_continuations_apart_from_warmup_sends(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let id = mailbox(app, &key, "threads@acme.example").await;
    let (mailbox_id, org) = app.mailbox_and_org(&id).await;
    let org = OrgId(org);
    let day = "2026-03-02";
    let mut rows = Vec::new();
    for (seed, state) in [
        "sent", "sent", "sent", "sent", "sent", "failed", "planned", "deferred",
    ]
    .into_iter()
    .enumerate()
    {
        rows.push(a_send(org.0, mailbox_id, day, seed, state, 0));
    }
    // Answers in the threads of the first two: two in the first, one in the second.
    for (seed, state, depth) in [(0, "sent", 2), (0, "sent", 4), (1, "failed", 2)] {
        rows.push(a_send(org.0, mailbox_id, day, seed, state, depth));
    }
    for s in &rows {
        s.clone()
            .into_active_model()
            .reset_all()
            .insert(&app.db)
            .await
            .unwrap_or_else(|e| panic!("send: {e}"));
    }
    // One attempt each for the first warmup send and the first continuation.
    let (warmup_send, continuation) = (&rows[0], &rows[8]);
    for s in [warmup_send, continuation] {
        warmup_entity::send_attempt::Model {
            id: Uuid::now_v7(),
            send_id: s.id,
            organization_id: org.0,
            mailbox_id,
            attempt: 1,
            attempted_at: warmup_entity::Clock::system().now(),
            code: Some(250),
            enhanced: Some("2.0.0".into()),
            text: "250 2.0.0 Ok".into(),
            category: "accepted".into(),
            outcome: "sent".into(),
            duration_ms: 80,
        }
        .into_active_model()
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("attempt: {e}"));
    }

    let stats = app
        .get(
            &format!("/v1/mailboxes/{id}/warmup/stats?from={day}&to={day}"),
            &key,
        )
        .await
        .expect(200)
        .json;
    let d = &stats["days"][0];
    assert_eq!(stats["days"].as_array().map(Vec::len), Some(1), "{stats}");
    assert_eq!(d["date"], day);
    assert_eq!(d["planned"], 8, "only the ramp's sends: {d}");
    assert_eq!(d["sent"], 5, "{d}");
    assert_eq!(d["failed"], 1, "{d}");
    assert_eq!(d["pending"], 2, "{d}");
    assert_eq!(d["continuations"], json!({"planned": 3, "sent": 2}), "{d}");

    let events = app
        .get(&format!("/v1/mailboxes/{id}/warmup/events"), &key)
        .await
        .expect(200)
        .json;
    let kinds: std::collections::BTreeMap<String, String> = events["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["send_id"].as_str().unwrap_or_default().to_string(),
                e["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        std::collections::BTreeMap::from([
            (warmup_send.id.to_string(), "warmup".to_string()),
            (continuation.id.to_string(), "continuation".to_string()),
        ]),
        "{events}"
    );
}

/// Dates in a query are the client's: at the edges of what a date type holds, arithmetic on
/// them once panicked and dropped the connection without an answer.
async fn dates_from_a_request_never_panic_and_stats_span_at_most_366_days(app: &TestApp) {
    let key = app.new_org("Dates").await;
    let id = mailbox(app, &key, "dates@acme.example").await;
    let stats = |q: &str| format!("/v1/mailboxes/{id}/warmup/stats?{q}");
    for (query, field) in [
        ("to=-262143-01-01", "to"),
        ("from=-262143-01-01&to=2026-01-01", "from"),
        ("to=+262142-12-31", "to"),
        ("from=2025-01-01&to=2026-12-31", "from"),
    ] {
        let r = app.get(&stats(query), &key).await;
        assert_eq!(r.status, 422, "{query}: {}", r.text);
        assert_eq!(r.fields(), vec![field.to_string()], "{query}: {}", r.text);
    }
    app.get(&stats("from=2026-01-01&to=2026-12-31"), &key)
        .await
        .expect(200);
    for path in [
        format!("/v1/mailboxes/{id}/placements?from=-262143-01-01"),
        format!("/v1/mailboxes/{id}/placement-summary?from=-262143-01-01&to=2026-01-01"),
    ] {
        let r = app.get(&path, &key).await;
        assert_eq!(r.status, 422, "{path}: {}", r.text);
    }
}

/// The worker's planning rounds skip reading every warmup while nothing planning reads has
/// changed, until the mailbox's date changes (or the next quarter of an hour while a due day
/// found no seed); a warmup changed through the API is planned by the next round.
async fn a_planning_round_reads_every_warmup_only_when_something_changed(app: &TestApp) {
    use rand::SeedableRng;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use warmup_domain::timezone::{local_date, next_date_start};
    use warmup_entity::{Clock, plan_day, send};

    let key = app.new_org("Rounds").await;
    let (id, zone) = app
        .warming_mailbox(&key, "rounds@acme.example", &json!({}))
        .await;
    let (mailbox_id, _) = app.mailbox_and_org(&id).await;
    let clock = Clock::system();
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let forget_today = || async {
        // Behind planning's back: neither a count nor a change time it reads moves.
        send::Entity::delete_many()
            .filter(send::Column::MailboxId.eq(mailbox_id))
            .exec(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        plan_day::Entity::delete_many()
            .filter(plan_day::Column::MailboxId.eq(mailbox_id))
            .exec(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    };
    // The mailbox's date may change while it runs, which makes a round a full one: then it
    // is tried again.
    let mut skipped = None;
    for _ in 0..3 {
        let mut rounds = warmup_worker::planner::Rounds::default();
        let began = clock.now();
        let first = rounds.plan_due(&app.db, &clock, &mut rng).await;
        // Its own writes make the next round a full one, which finds everything planned.
        let second = rounds.plan_due(&app.db, &clock, &mut rng).await;
        forget_today().await;
        let third = rounds.plan_due(&app.db, &clock, &mut rng).await;
        if local_date(&zone, began) == local_date(&zone, clock.now()) {
            skipped = Some((first.ok(), second.ok(), third.ok(), rounds, began));
            break;
        }
        forget_today().await;
    }
    let Some((first, second, third, mut rounds, began)) = skipped else {
        panic!("three tries straddled a change of date in {zone}")
    };
    assert_eq!(
        (first, second, third),
        (Some(1), Some(0), Some(0)),
        "planned, then nothing left, then nothing read"
    );
    assert_eq!(
        rounds.next_full_round(clock.now()),
        Some(next_date_start(&zone, began)),
        "with every due day planned, the next full round is when the mailbox's date changes"
    );
    assert_eq!(
        warmup_worker::planner::plan_due(
            &app.db,
            &clock,
            &mut rand::rngs::StdRng::seed_from_u64(6)
        )
        .await
        .ok(),
        Some(1),
        "a full round would have planned the forgotten day"
    );
    forget_today().await;
    // A change through the API is seen by the next round.
    app.patch(
        &format!("/v1/mailboxes/{id}/warmup"),
        &key,
        &json!({"start_per_day": 4}),
    )
    .await
    .expect(200);
    assert_eq!(
        rounds.plan_due(&app.db, &clock, &mut rng).await.ok(),
        Some(1),
        "the changed warmup is planned at once"
    );

    // Without a seed today's day cannot be planned; a seed may come back at any time, so the
    // next full round is at the next quarter of an hour, not at midnight.
    forget_today().await;
    let seeds = app.get("/v1/seeds", &key).await.expect(200).json;
    for seed in seeds["items"].as_array().into_iter().flatten() {
        let seed_id = seed["id"].as_str().unwrap_or_default();
        app.delete(&format!("/v1/seeds/{seed_id}"), &key)
            .await
            .expect(204);
    }
    let before = clock.now();
    assert_eq!(
        rounds.plan_due(&app.db, &clock, &mut rng).await.ok(),
        Some(0),
        "no seed, nothing planned"
    );
    let after = clock.now();
    let next = rounds
        .next_full_round(after)
        .unwrap_or_else(|| panic!("a running warmup has a next round"));
    assert!(
        next > before
            && next <= after + chrono::Duration::minutes(15)
            && next.timestamp() % (15 * 60) == 0,
        "the next quarter of an hour after {before}: {next}"
    );
}

/// Planning reads running warmups of active mailboxes a page at a time, in mailbox order: with
/// pages of two, five running warmups (the middle two of whose mailboxes are in error, so one
/// full page has nothing to plan) and a paused one are read once each, and the three that may
/// send are planned once.
async fn planning_reads_warmups_a_page_at_a_time_and_misses_none(app: &TestApp) {
    use rand::SeedableRng;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use warmup_entity::{Clock, mailbox, plan_day};

    let mut running = Vec::new();
    let mut paused = None;
    for n in 0..6 {
        let key = app.new_org(&format!("Pages {n}")).await;
        let (id, _) = app
            .warming_mailbox(&key, &format!("pages{n}@acme.example"), &json!({}))
            .await;
        let mailbox_id = app.mailbox_and_org(&id).await.0;
        if n == 5 {
            app.post(
                &format!("/v1/mailboxes/{id}/warmup/pause"),
                &key,
                &json!({}),
            )
            .await
            .expect(200);
            paused = Some(mailbox_id);
        } else {
            running.push(mailbox_id);
        }
    }
    // Pages follow the ids' order, whatever order they were made in.
    running.sort();
    for broken in &running[2..4] {
        let mut row = mailbox::Entity::find_by_id(*broken)
            .one(&app.db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("mailbox {broken}"))
            .into_active_model();
        row.status = sea_orm::Set(warmup_domain::MailboxStatus::Error.as_str().to_string());
        row.update(&app.db).await.unwrap_or_else(|e| panic!("{e}"));
    }
    let expected = [running[0], running[1], running[4]];

    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = plans::plan_targets(&app.db, after, 2)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        pages.push(
            page.targets
                .iter()
                .map(|t| t.mailbox.id)
                .collect::<Vec<_>>(),
        );
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
        assert!(pages.len() < 10, "paging never ends: {pages:?}");
    }
    assert_eq!(
        pages,
        vec![vec![running[0], running[1]], vec![], vec![running[4]]],
        "each running warmup of an active mailbox once, in order; a page of mailboxes in \
         error is empty and the next is still read"
    );

    let clock = Clock::system();
    let planned = warmup_worker::planner::plan_due_in_pages(
        &app.db,
        &clock,
        &mut rand::rngs::StdRng::seed_from_u64(7),
        2,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(planned, 3);
    for id in running.iter().chain(paused.iter()) {
        let days = plan_day::Entity::find()
            .filter(plan_day::Column::MailboxId.eq(*id))
            .count(&app.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(days, u64::from(expected.contains(id)), "mailbox {id}");
    }
}
