//! Hostile tenants and strangers: rate limits by client address before any key is looked up,
//! by key and by organization; a cap on an organization's API keys; the metrics token.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{ADMIN_KEY, Backend, METRICS_TOKEN, Reply, TestApp, spawn_app_with};

/// Both databases, each with its own settings.
async fn on_both(change: fn(&mut warmup::config::Settings), test: impl AsyncFn(&TestApp)) {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_with(backend, change).await;
        test(&app).await;
    }
}

/// New API keys of the organization of `key`, one per name.
async fn more_keys(app: &TestApp, key: &str, names: &[&str]) -> Vec<String> {
    let mut keys = Vec::new();
    for name in names {
        let r = app
            .post("/v1/api-keys", key, &json!({ "name": name }))
            .await
            .expect(201);
        keys.push(r.json["key"].as_str().unwrap_or_default().to_string());
    }
    keys
}

fn random_token() -> String {
    format!("wu_{}", uuid::Uuid::new_v4().simple())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn made_up_keys_from_one_address_are_refused_with_429_after_the_unauthenticated_limit() {
    on_both(
        |s| s.rate_limit_unauthenticated_per_minute = 5,
        async |app| {
            // A key used before the flood is known to this process: the flood does not lock
            // it out. Its first use counts against the address (it was not known yet).
            app.get("/v1/mailboxes", ADMIN_KEY).await.expect(200);
            for _ in 0..3 {
                let r = app
                    .get("/v1/mailboxes", &random_token())
                    .await
                    .expect_problem(401, "unauthorized");
                assert_eq!(r.header("ratelimit-limit"), Some("5"));
            }
            // No key at all counts the same.
            app.request(Method::GET, "/v1/mailboxes", None, None)
                .await
                .expect_problem(401, "unauthorized");
            for _ in 0..3 {
                let r = app
                    .get("/v1/mailboxes", &random_token())
                    .await
                    .expect_problem(429, "rate_limited");
                let retry: u64 = r
                    .header("retry-after")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                assert!((1..=60).contains(&retry), "Retry-After {retry}");
                assert_eq!(r.header("ratelimit-remaining"), Some("0"));
            }
            app.request(Method::GET, "/v1/mailboxes", None, None)
                .await
                .expect_problem(429, "rate_limited");
            app.get("/v1/mailboxes", ADMIN_KEY).await.expect(200);
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organization_s_keys_share_the_organization_s_limit() {
    on_both(
        |s| {
            s.rate_limit_per_minute = 3;
            s.rate_limit_org_multiple = 2;
        },
        async |app| {
            let a = app.new_org("Acme").await;
            let other_org = app.new_org("Other").await;
            let keys = more_keys(app, &a, &["b", "c"]).await;
            let (b, c) = (&keys[0], &keys[1]);
            // Key a: 3 of 3, the organization: 3 of 6.
            app.get("/v1/mailboxes", &a).await.expect(200);
            app.get("/v1/mailboxes", &a)
                .await
                .expect_problem(429, "rate_limited");
            for remaining in ["2", "1", "0"] {
                let r = app.get("/v1/mailboxes", b).await.expect(200);
                assert_eq!(r.header("ratelimit-remaining"), Some(remaining));
            }
            // Key c was never used, yet its organization has spent its 6.
            let r = app
                .get("/v1/mailboxes", c)
                .await
                .expect_problem(429, "rate_limited");
            assert_eq!(r.header("ratelimit-limit"), Some("6"));
            assert!(
                r.json["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains("organization"))
            );
            // Another organization is not affected.
            app.get("/v1/mailboxes", &other_org).await.expect(200);
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organization_has_at_most_the_configured_number_of_live_keys() {
    on_both(
        |s| s.max_api_keys_per_org = 3,
        async |app| {
            let key = app.new_org("Acme").await;
            let mut ids = Vec::new();
            for name in ["two", "three"] {
                let r = app
                    .post("/v1/api-keys", &key, &json!({ "name": name }))
                    .await
                    .expect(201);
                ids.push(r.json["id"].as_str().unwrap_or_default().to_string());
            }
            let r = app
                .post("/v1/api-keys", &key, &json!({ "name": "four" }))
                .await
                .expect_problem(409, "limit_reached");
            let detail = r.json["detail"].as_str().unwrap_or_default();
            assert!(
                detail.contains('3') && detail.contains("revoke"),
                "{detail}"
            );
            // A revoked key no longer counts.
            app.delete(&format!("/v1/api-keys/{}", ids[0]), &key)
                .await
                .expect(204);
            app.post("/v1/api-keys", &key, &json!({ "name": "four" }))
                .await
                .expect(201);
            // The cap is per organization.
            let other = app.new_org("Other").await;
            app.post("/v1/api-keys", &other, &json!({ "name": "two" }))
                .await
                .expect(201);
        },
    )
    .await;
}

async fn metrics(app: &TestApp, token: Option<&str>) -> Reply {
    app.request(Method::GET, "/metrics", token, None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_their_own_token_and_are_off_without_one() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.metrics_token = None).await;
    let r = metrics(&app, None).await.expect_problem(404, "not_found");
    assert!(
        r.json["detail"]
            .as_str()
            .is_some_and(|d| d.contains("WARMUP_METRICS_TOKEN")),
        "{}",
        r.text
    );
    metrics(&app, Some(ADMIN_KEY))
        .await
        .expect_problem(404, "not_found");

    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    for token in [None, Some(ADMIN_KEY), Some(&METRICS_TOKEN[..20]), Some("x")] {
        let r = metrics(&app, token)
            .await
            .expect_problem(401, "unauthorized");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{token:?}");
    }
    let r = metrics(&app, Some(METRICS_TOKEN)).await.expect(200);
    assert!(r.text.contains("warmup_http_requests_total"), "{}", r.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_api_processes_on_one_database_enforce_one_limit() {
    on_both(
        |s| {
            s.rate_limit_per_minute = 3;
            s.rate_limit_org_multiple = 2;
        },
        async |app| {
            let limits = [
                ("WARMUP_RATE_LIMIT_PER_MINUTE", "3".to_string()),
                ("WARMUP_RATE_LIMIT_ORG_MULTIPLE", "2".to_string()),
            ];
            let p = [
                app.api_process(&limits).await,
                app.api_process(&limits).await,
            ];
            let a = app.new_org("Acme").await;
            let keys = more_keys(app, &a, &["b", "c"]).await;
            let (b, c) = (&keys[0], &keys[1]);
            let get = async |at: usize, key: &str| {
                Reply::from(
                    app.client
                        .get(format!("{}/v1/mailboxes", p[at].address))
                        .bearer_auth(key)
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("{e}")),
                )
                .await
            };
            let refused = async |at: usize, key: &str, limit: &str, scope: &str| {
                let r = get(at, key).await.expect_problem(429, "rate_limited");
                assert_eq!(r.header("ratelimit-limit"), Some(limit), "{}", r.text);
                assert!(
                    r.json["detail"].as_str().is_some_and(|d| d.contains(scope)),
                    "{}",
                    r.text
                );
            };
            // Each key has 3 a minute, the organization 6; key a spent 2 creating the others.
            // Key b: 3 in all, whichever process counts them; the fourth is refused.
            for (at, remaining) in [(0, "2"), (1, "1"), (0, "0")] {
                let r = get(at, b).await.expect(200);
                assert_eq!(r.header("ratelimit-remaining"), Some(remaining), "{at}");
            }
            refused(1, b, "3", "API key").await;
            // Key a's third, through the process that never saw it, is its last.
            let r = get(1, &a).await.expect(200);
            assert_eq!(r.header("ratelimit-remaining"), Some("0"));
            refused(0, &a, "3", "API key").await;
            // Key c was never used, yet its organization has spent its 6.
            refused(1, c, "6", "organization").await;
            refused(0, c, "6", "organization").await;
        },
    )
    .await;
}

crate::on_both_databases!(a_shared_window_restarts_a_minute_after_it_started);

/// The database's windows: counted per subject in one statement, a new window from the first
/// request a minute or more after the last one started, and a refused request taken back only
/// from the window it was counted in.
async fn a_shared_window_restarts_a_minute_after_it_started(app: &TestApp) {
    use warmup_entity::store::rate_windows::{WINDOW_MS, count, uncount};
    let t0 = 1_800_000_000_000_i64;
    let counted = |subjects: &'static [&'static str], at: i64| async move {
        count(&app.db, subjects, at)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(counted(&["key:a", "org:x"], t0).await, [(t0, 1), (t0, 1)]);
    assert_eq!(
        counted(&["key:b", "org:x"], t0 + 10).await,
        [(t0 + 10, 1), (t0, 2)]
    );
    assert_eq!(
        counted(&["key:a", "org:x"], t0 + WINDOW_MS - 1).await,
        [(t0, 2), (t0, 3)]
    );
    // Taken back from the window it was counted in, not from a later one.
    uncount(&app.db, "org:x", t0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    uncount(&app.db, "org:x", t0 + 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let later = t0 + WINDOW_MS;
    assert_eq!(
        counted(&["key:a", "org:x"], later).await,
        [(later, 1), (later, 1)],
        "a minute after it started, a window starts anew"
    );
    // key:b's window started 10 ms after the others: it runs 10 ms longer.
    assert_eq!(counted(&["key:b"], later + 9).await, [(t0 + 10, 2)]);
    assert_eq!(counted(&["key:b"], later + 10).await, [(later + 10, 1)]);
}
