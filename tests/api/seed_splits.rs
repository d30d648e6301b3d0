//! Seed-list splits over the API: allocation from the pool, approved senders, addresses,
//! rotation and tenancy.

use serde_json::{Value, json};

use crate::helpers::{ADMIN_KEY, Backend, TestApp, seed_body, spawn_app_with};
use crate::on_both_databases;

on_both_databases!(
    a_split_takes_the_least_shared_seeds_and_says_how_many_are_left,
    bad_split_requests_name_each_field_and_write_nothing,
    senders_are_approved_and_withdrawn_idempotently_within_the_limit,
    a_sender_of_another_organization_on_a_shared_seed_is_a_conflict,
    addresses_come_as_json_or_csv_and_the_download_is_recorded,
    rotation_replaces_part_of_the_seeds_and_delete_releases_them,
    another_organizations_split_is_not_found,
    the_worker_reads_seed_lists_while_a_split_exists,
);

/// Adds `n` shared gmail seeds to the pool; returns their addresses.
pub(crate) async fn pool(app: &TestApp, prefix: &str, provider: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("{prefix}{i}@seeds.example");
        let mut body = seed_body(&email, "pw");
        body["provider"] = json!(provider);
        body["shared"] = json!(true);
        app.post("/v1/seeds", ADMIN_KEY, &body).await.expect(201);
        out.push(email);
    }
    out
}

pub(crate) async fn split(app: &TestApp, key: &str, body: Value) -> Value {
    app.post("/v1/seed-splits", key, &body)
        .await
        .expect(201)
        .json
}

async fn addresses(app: &TestApp, key: &str, id: &str) -> Vec<String> {
    let r = app
        .get(&format!("/v1/seed-splits/{id}/addresses"), key)
        .await
        .expect(200)
        .json;
    r["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["email"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn a_split_takes_the_least_shared_seeds_and_says_how_many_are_left(app: &TestApp) {
    let seeds = pool(app, "g", "gmail", 4).await;
    pool(app, "o", "outlook", 1).await;
    let a = app.new_org("A").await;
    let b = app.new_org("B").await;
    let first = split(
        app,
        &a,
        json!({"provider": "gmail", "seeds_amount": 2, "senders": ["news@acme.example"]}),
    )
    .await;
    assert_eq!(first["seeds_amount"], 2);
    assert_eq!(first["group"], "standard");
    assert_eq!(first["senders"], json!(["news@acme.example"]));
    assert_eq!(first["added_senders_amount"], 1);
    assert_eq!(first["engagement"]["rescue"], true);
    assert_eq!(first["engagement"]["reply_percent"], 0);
    let taken = addresses(app, &a, first["id"].as_str().unwrap_or_default()).await;
    // The pool's order decides among equals: the first two.
    assert_eq!(taken, seeds[..2].to_vec());
    // B's split gets the two nobody has yet.
    let second = split(app, &b, json!({"provider": "gmail", "seeds_amount": 2})).await;
    let mut given = addresses(app, &b, second["id"].as_str().unwrap_or_default()).await;
    given.sort();
    assert_eq!(given, seeds[2..].to_vec());
    // A has all four but its own two left; asking for three is refused with the count.
    let refused = app
        .post(
            "/v1/seed-splits",
            &a,
            &json!({"provider": "gmail", "seeds_amount": 3}),
        )
        .await
        .expect_problem(409, "not_enough_seeds");
    assert_eq!(refused.json["available"], 2, "{}", refused.json);
    // The load shows on the seed, for administrators.
    let listed = app
        .get("/v1/seeds?limit=200", ADMIN_KEY)
        .await
        .expect(200)
        .json;
    let id = listed["items"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["email"] == seeds[0].as_str()))
        .map(|s| s["id"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    let seen = app
        .get(&format!("/v1/seeds/{id}"), ADMIN_KEY)
        .await
        .expect(200)
        .json;
    assert_eq!(seen["splits_count"], 1, "{seen}");
    // Filters.
    let outlook = app
        .get("/v1/seed-splits?provider=outlook", &a)
        .await
        .expect(200)
        .json;
    assert_eq!(outlook["items"], json!([]));
    let mine = app
        .get("/v1/seed-splits?provider=gmail", &a)
        .await
        .expect(200)
        .json;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1));
    app.get("/v1/seed-splits?all=true", &a)
        .await
        .expect_problem(403, "forbidden");
    let all = app
        .get("/v1/seed-splits?all=true", ADMIN_KEY)
        .await
        .expect(200)
        .json;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
    // A retried create with the same Idempotency-Key is the same split.
    let retried = |app: &TestApp| {
        let key = a.clone();
        let app_address = app.address.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{app_address}/v1/seed-splits"))
                .bearer_auth(key)
                .header("Idempotency-Key", "split-once")
                .json(&json!({"provider": "outlook", "seeds_amount": 1}))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .json::<Value>()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let once = retried(app).await;
    let twice = retried(app).await;
    assert_eq!(once["id"], twice["id"]);
    assert!(once["id"].is_string(), "{once}");
}

async fn bad_split_requests_name_each_field_and_write_nothing(app: &TestApp) {
    let seeds = pool(app, "bad", "gmail", 2).await;
    let a = app.new_org("A").await;
    let r = app
        .post(
            "/v1/seed-splits",
            &a,
            &json!({"provider": "gmail", "seeds_amount": 0,
                    "senders": ["not an address", "@gmail.com", seeds[0], "ok@acme.example"],
                    "engagement": {"reply_percent": 101}}),
        )
        .await
        .expect_problem(422, "validation");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "engagement.reply_percent",
            "seeds_amount",
            "senders[0]",
            "senders[1]",
            "senders[2]"
        ],
        "{}",
        r.json
    );
    app.post(
        "/v1/seed-splits",
        &a,
        &json!({"provider": "gmail", "seeds_amount": 501}),
    )
    .await
    .expect_problem(422, "validation");
    let unknown = app
        .post(
            "/v1/seed-splits",
            &a,
            &json!({"provider": "hotmail2", "group": "gold", "seeds_amount": 1}),
        )
        .await
        .expect_problem(422, "validation");
    assert!(!unknown.fields().is_empty(), "{}", unknown.json);
    // A seed's domain is refused as a whole too.
    let r = app
        .post(
            "/v1/seed-splits",
            &a,
            &json!({"provider": "gmail", "seeds_amount": 1, "senders": ["@seeds.example"]}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["senders[0]"]);
    let listed = app.get("/v1/seed-splits", &a).await.expect(200).json;
    assert_eq!(listed["items"], json!([]));
}

async fn senders_are_approved_and_withdrawn_idempotently_within_the_limit(app: &TestApp) {
    pool(app, "snd", "gmail", 1).await;
    let a = app.new_org("A").await;
    let s = split(app, &a, json!({"provider": "gmail", "seeds_amount": 1})).await;
    let path = format!("/v1/seed-splits/{}", s["id"].as_str().unwrap_or_default());
    let add = json!({"add": ["News@Acme.example", "@mail.acme.example"]});
    let once = app.patch(&path, &a, &add).await.expect(200).json;
    let twice = app.patch(&path, &a, &add).await.expect(200).json;
    assert_eq!(
        once["senders"],
        json!(["@mail.acme.example", "news@acme.example"])
    );
    assert_eq!(twice["senders"], once["senders"]);
    let removed = app
        .patch(
            &path,
            &a,
            &json!({"remove": ["@mail.acme.example", "never@acme.example"],
                    "engagement": {"open": false, "pattern": "b2c"}}),
        )
        .await
        .expect(200)
        .json;
    assert_eq!(removed["senders"], json!(["news@acme.example"]));
    assert_eq!(removed["engagement"]["open"], false);
    assert_eq!(removed["engagement"]["pattern"], "b2c");
    assert_eq!(removed["engagement"]["rescue"], true);
    let limit = removed["possible_senders_amount"].as_u64().unwrap_or(0);
    let many: Vec<String> = (0..limit).map(|i| format!("s{i}@acme.example")).collect();
    let r = app
        .patch(&path, &a, &json!({"add": many}))
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["add"]);
    let bad = app
        .patch(&path, &a, &json!({"add": ["@yahoo.com"]}))
        .await
        .expect_problem(422, "validation");
    assert_eq!(bad.fields(), ["add[0]"]);
    let after = app.get(&path, &a).await.expect(200).json;
    assert_eq!(after["senders"], json!(["news@acme.example"]));
}

async fn a_sender_of_another_organization_on_a_shared_seed_is_a_conflict(app: &TestApp) {
    pool(app, "shared", "gmail", 1).await;
    let a = app.new_org("A").await;
    let b = app.new_org("B").await;
    split(
        app,
        &a,
        json!({"provider": "gmail", "seeds_amount": 1, "senders": ["@acme.example"]}),
    )
    .await;
    // The same seed for B: an address at A's domain would be A's mail too.
    let r = app
        .post(
            "/v1/seed-splits",
            &b,
            &json!({"provider": "gmail", "seeds_amount": 1, "senders": ["ceo@acme.example"]}),
        )
        .await
        .expect_problem(409, "conflict");
    assert!(
        r.json["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("another organization"),
        "{}",
        r.json
    );
    let s = split(
        app,
        &b,
        json!({"provider": "gmail", "seeds_amount": 1, "senders": ["news@other.example"]}),
    )
    .await;
    let path = format!("/v1/seed-splits/{}", s["id"].as_str().unwrap_or_default());
    app.patch(&path, &b, &json!({"add": ["@acme.example"]}))
        .await
        .expect_problem(409, "conflict");
    // Free-mail addresses of different people are no conflict.
    app.patch(&path, &b, &json!({"add": ["someone@gmail.com"]}))
        .await
        .expect(200);
    let after = app.get(&path, &b).await.expect(200).json;
    assert_eq!(
        after["senders"],
        json!(["news@other.example", "someone@gmail.com"])
    );
}

async fn addresses_come_as_json_or_csv_and_the_download_is_recorded(app: &TestApp) {
    let seeds = pool(app, "dl", "yahoo", 3).await;
    let a = app.new_org("A").await;
    let s = split(app, &a, json!({"provider": "yahoo", "seeds_amount": 3})).await;
    let id = s["id"].as_str().unwrap_or_default();
    assert_eq!(s["last_download"], Value::Null);
    let res = reqwest::Client::new()
        .get(format!(
            "{}/v1/seed-splits/{id}/addresses?format=csv",
            app.address
        ))
        .bearer_auth(&a)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(res.status(), 200);
    let ctype = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(ctype.starts_with("text/csv"), "{ctype}");
    let body = res.bytes().await.unwrap_or_default();
    let mut reader = csv::Reader::from_reader(body.as_ref());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    assert_eq!(header, ["email", "provider"]);
    let mut rows: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{e}"));
            (r[0].to_string(), r[1].to_string())
        })
        .collect();
    rows.sort();
    let want: Vec<(String, String)> = seeds.iter().map(|e| (e.clone(), "yahoo".into())).collect();
    assert_eq!(rows, want);
    let after = app
        .get(&format!("/v1/seed-splits/{id}"), &a)
        .await
        .expect(200)
        .json;
    assert!(after["last_download"].is_string(), "{after}");
    app.get(&format!("/v1/seed-splits/{id}/addresses?format=xml"), &a)
        .await
        .expect_problem(422, "validation");
}

async fn rotation_replaces_part_of_the_seeds_and_delete_releases_them(app: &TestApp) {
    pool(app, "rot", "outlook", 6).await;
    let a = app.new_org("A").await;
    let s = split(app, &a, json!({"provider": "outlook", "seeds_amount": 4})).await;
    let id = s["id"].as_str().unwrap_or_default();
    let before = addresses(app, &a, id).await;
    let rotated = app
        .post(&format!("/v1/seed-splits/{id}/rotate"), &a, &json!({}))
        .await
        .expect(200)
        .json;
    assert!(rotated["refreshed_at"].is_string(), "{rotated}");
    let at = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{v}: {e}"))
    };
    assert!(
        at(&rotated["next_rotation"]) > at(&s["next_rotation"]),
        "{rotated}"
    );
    let after = addresses(app, &a, id).await;
    assert_eq!(after.len(), 4);
    let kept = after.iter().filter(|e| before.contains(e)).count();
    // A quarter of four: one seed replaced.
    assert_eq!(kept, 3, "before {before:?}, after {after:?}");
    app.delete(&format!("/v1/seed-splits/{id}"), &a)
        .await
        .expect(204);
    // All six free again.
    let all = split(app, &a, json!({"provider": "outlook", "seeds_amount": 6})).await;
    assert_eq!(all["seeds_amount"], 6);
}

async fn another_organizations_split_is_not_found(app: &TestApp) {
    pool(app, "ten", "gmail", 1).await;
    let a = app.new_org("A").await;
    let b = app.new_org("B").await;
    let s = split(app, &a, json!({"provider": "gmail", "seeds_amount": 1})).await;
    let path = format!("/v1/seed-splits/{}", s["id"].as_str().unwrap_or_default());
    for sub in ["", "/addresses", "/placements", "/placement-summary"] {
        app.get(&format!("{path}{sub}"), &b)
            .await
            .expect_problem(404, "not_found");
    }
    app.patch(&path, &b, &json!({"add": ["x@y.example"]}))
        .await
        .expect_problem(404, "not_found");
    app.post(&format!("{path}/rotate"), &b, &json!({}))
        .await
        .expect_problem(404, "not_found");
    app.delete(&path, &b).await.expect_problem(404, "not_found");
    app.get(&path, &a).await.expect(200);
}

/// `WARMUP_SEED_MAX_SPLITS` caps the splits of one seed.
async fn a_seed_takes_no_more_splits_than_the_limit(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.seed_max_splits = 2).await;
    pool(&app, "cap", "gmail", 1).await;
    for name in ["A", "B"] {
        let key = app.new_org(name).await;
        split(&app, &key, json!({"provider": "gmail", "seeds_amount": 1})).await;
    }
    let c = app.new_org("C").await;
    let r = app
        .post(
            "/v1/seed-splits",
            &c,
            &json!({"provider": "gmail", "seeds_amount": 1}),
        )
        .await
        .expect_problem(409, "not_enough_seeds");
    assert_eq!(r.json["available"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_split_limit_on_sqlite() {
    a_seed_takes_no_more_splits_than_the_limit(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_split_limit_on_postgres() {
    a_seed_takes_no_more_splits_than_the_limit(Backend::Postgres).await;
}

on_both_databases!(each_send_of_a_recurring_campaign_counts_on_its_own);

/// A `List-ID` or a subject like "Weekly news" names a new send every week: each is its own
/// campaign, with its own missing records, and a copy that comes late clears its own seed's
/// missing record only. A message is recorded once however often it is found.
async fn each_send_of_a_recurring_campaign_counts_on_its_own(app: &TestApp) {
    use chrono::{Duration, Utc};
    use warmup_domain::placement::PlacementClass;
    use warmup_entity::store::page::PageRequest;
    use warmup_entity::store::seed_list::{self, Found, MessageFilter};

    let seeds = pool(app, "weekly", "gmail", 2).await;
    let key = app.new_org("Weekly").await;
    let s = split(
        app,
        &key,
        json!({"provider": "gmail", "seeds_amount": 2, "senders": ["news@acme.example"]}),
    )
    .await;
    let split_id: uuid::Uuid = s["id"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_default();
    let org: uuid::Uuid = s["organization_id"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_default();
    let window = Duration::hours(4);
    let t0 = Utc::now() + Duration::minutes(1);
    let found = |seed: usize, id: &str, at: chrono::DateTime<Utc>| Found {
        split_id,
        organization_id: org,
        seed_id: uuid::Uuid::nil(),
        seed_email: seeds[seed].clone(),
        provider: "gmail".into(),
        message_id: id.into(),
        sender: "news@acme.example".into(),
        reply_to: "news@acme.example".into(),
        subject: "Weekly news".into(),
        campaign: "Weekly news".into(),
        class: PlacementClass::Inbox,
        folder: "INBOX".into(),
        uid: 1,
        arrived_at: at,
        arrival_bound: at,
        spf: "pass".into(),
        dkim: "pass".into(),
        dmarc: "pass".into(),
        sending_ip: None,
        plan: None,
        next_check_at: at,
        note: None,
    };
    // The seeds' ids, as the split has them.
    let members: Vec<uuid::Uuid> = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let mut out = Vec::new();
        for email in &seeds {
            let row = warmup_entity::seed::Entity::find()
                .filter(warmup_entity::seed::Column::Email.eq(email.as_str()))
                .order_by_asc(warmup_entity::seed::Column::Id)
                .one(&app.db)
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| panic!("no seed {email}"));
            out.push(row.id);
        }
        out
    };
    let at_seed = |seed: usize, id: &str, at| Found {
        seed_id: members[seed],
        ..found(seed, id, at)
    };
    let record = |f: Found, now| async move {
        seed_list::record_found(&app.db, f, window, now)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // Week 1 reaches seed 0 only; recorded once however often it is found.
    assert!(record(at_seed(0, "w1@esp", t0), t0).await);
    assert!(!record(at_seed(0, "w1@esp", t0), t0 + Duration::minutes(5)).await);
    seed_list::close_campaigns(&app.db, t0 + window + Duration::minutes(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Week 2 reaches both.
    let t1 = t0 + Duration::days(7);
    assert!(record(at_seed(0, "w2@esp", t1), t1).await);
    assert!(record(at_seed(1, "w2b@esp", t1 + Duration::minutes(1)), t1).await);
    seed_list::close_campaigns(&app.db, t1 + window + Duration::hours(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let page = seed_list::messages(
        &app.db,
        split_id,
        &MessageFilter::default(),
        PageRequest {
            after: None,
            limit: 100,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let mut rows: Vec<(String, String)> = page
        .items
        .iter()
        .map(|m| (m.seed_email.clone(), m.class.clone()))
        .collect();
    rows.sort();
    let mut want = vec![
        (seeds[0].clone(), "inbox".to_string()),
        (seeds[0].clone(), "inbox".to_string()),
        (seeds[1].clone(), "inbox".to_string()),
        (seeds[1].clone(), "missing".to_string()),
    ];
    want.sort();
    assert_eq!(rows, want);
    // Week 1's copy at seed 1 comes late, within the window of its own send: it replaces
    // that send's missing record, and week 2's records stay.
    assert!(
        record(
            at_seed(1, "w1b@esp", t0 + window + Duration::minutes(30)),
            t1 + window + Duration::hours(2)
        )
        .await
    );
    let page = seed_list::messages(
        &app.db,
        split_id,
        &MessageFilter::default(),
        PageRequest {
            after: None,
            limit: 100,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.items.len(), 4);
    assert!(
        page.items.iter().all(|m| m.class == "inbox"),
        "{:?}",
        page.items
    );
}

/// The engagement loop reads seed lists' due lists only while a split (or its mail) is there.
async fn the_worker_reads_seed_lists_while_a_split_exists(app: &TestApp) {
    let in_use = || async { app.in_use().await.seed_lists };
    assert!(!in_use().await, "no split yet");
    pool(app, "s", "outlook", 2).await;
    let a = app.new_org("A").await;
    let s = split(app, &a, json!({"provider": "outlook", "seeds_amount": 2})).await;
    assert!(in_use().await, "a split");
    let id = s["id"].as_str().unwrap_or_default();
    app.delete(&format!("/v1/seed-splits/{id}"), &a)
        .await
        .expect(204);
    assert!(!in_use().await, "deleted");
}
