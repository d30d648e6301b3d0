//! The API's promises as a contract: problem documents, body limits, idempotency, rate limits,
//! health endpoints and the committed OpenAPI document.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    ADMIN_KEY, Backend, METRICS_TOKEN, Reply, TestApp, mailbox_body, spawn_app_with,
};
use crate::on_both_databases;

on_both_databases!(
    abandoned_idempotency_claims_are_taken_over_and_live_ones_refused,
    bad_bodies_get_precise_problems_and_nothing_is_stored,
    retried_posts_with_an_idempotency_key_create_once,
    health_readiness_and_metrics_answer,
    json_is_read_by_its_meaning_and_errors_speak_json,
);

async fn raw_post(app: &TestApp, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let res = app
        .client
        .post(format!("{}{path}", app.address))
        .bearer_auth(ADMIN_KEY)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Reply::from(res).await
}

/// `data` as a gzip stream of one stored (uncompressed) deflate block: a valid gzip body
/// without a compression library.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let crc = data.iter().fold(0xffff_ffff_u32, |mut c, &b| {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xedb8_8320
            } else {
                c >> 1
            };
        }
        c
    }) ^ 0xffff_ffff;
    let len = u16::try_from(data.len()).unwrap_or_else(|_| panic!("one block holds 64 KiB"));
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1];
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_le_bytes());
    out
}

async fn bad_bodies_get_precise_problems_and_nothing_is_stored(app: &TestApp) {
    // A compressed body is refused before it is read, valid or a bomb: nothing is decompressed.
    let json = serde_json::to_vec(&mailbox_body("gz@acme.example", "pw")).unwrap_or_default();
    let res = app
        .client
        .post(format!("{}/v1/mailboxes", app.address))
        .bearer_auth(ADMIN_KEY)
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip")
        .body(gzip_stored(&json))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Reply::from(res)
        .await
        .expect_problem(415, "unsupported_media_type");
    raw_post(
        app,
        "/v1/mailboxes",
        "application/json",
        b"{\"email\": ".to_vec(),
    )
    .await
    .expect_problem(400, "malformed_json");
    raw_post(app, "/v1/mailboxes", "application/json", b"{} {}".to_vec())
        .await
        .expect_problem(400, "malformed_json");
    raw_post(app, "/v1/mailboxes", "text/plain", b"{}".to_vec())
        .await
        .expect_problem(415, "unsupported_media_type");
    let huge = format!("{{\"email\": \"{}\"}}", "a".repeat(200 * 1024));
    raw_post(app, "/v1/mailboxes", "application/json", huge.into_bytes())
        .await
        .expect_problem(413, "payload_too_large");
    let mut body = mailbox_body("a@acme.example", "pw");
    body["smtp"]["colour"] = json!("blue");
    let r = app
        .post("/v1/mailboxes", ADMIN_KEY, &body)
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["smtp.colour"]);
    let r = app
        .post(
            "/v1/mailboxes",
            ADMIN_KEY,
            &json!({"email": 5, "provider": "smtp"}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["email"]);
    app.get("/v1/mailboxes/not-a-uuid", ADMIN_KEY)
        .await
        .expect_problem(404, "not_found");
    app.get("/v1/no-such-thing", ADMIN_KEY)
        .await
        .expect_problem(404, "not_found");
    assert_eq!(
        app.get("/v1/mailboxes", ADMIN_KEY).await.json["items"],
        json!([])
    );
}

async fn retried_posts_with_an_idempotency_key_create_once(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let send = |body: serde_json::Value, idem: &'static str| {
        let req = app
            .client
            .post(format!("{}/v1/mailboxes", app.address))
            .bearer_auth(&key)
            .header("Idempotency-Key", idem)
            .json(&body);
        async move { Reply::from(req.send().await.unwrap_or_else(|e| panic!("{e}"))).await }
    };
    let body = mailbox_body("once@acme.example", "pw");
    let first = send(body.clone(), "create-once-1").await.expect(201);
    let again = send(body.clone(), "create-once-1").await.expect(201);
    assert_eq!(again.json["id"], first.json["id"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let list = app.get("/v1/mailboxes", &key).await.expect(200);
    assert_eq!(list.json["items"].as_array().map(Vec::len), Some(1));

    // The same key for another request is refused, not silently replayed.
    send(mailbox_body("other@acme.example", "pw"), "create-once-1")
        .await
        .expect_problem(422, "idempotency_key_reused");
    // A failed first attempt does not burn the key.
    let mut invalid = body.clone();
    invalid["timezone"] = json!("Nowhere/Land");
    send(invalid, "create-once-2")
        .await
        .expect_problem(422, "validation");
    let fixed = send(mailbox_body("second@acme.example", "pw"), "create-once-2")
        .await
        .expect(201);
    assert_ne!(fixed.json["id"], first.json["id"]);
}

async fn health_readiness_and_metrics_answer(app: &TestApp) {
    let h = app
        .request(Method::GET, "/healthz", None, None)
        .await
        .expect(200);
    assert_eq!(h.json["status"], "ok");
    app.request(Method::GET, "/readyz", None, None)
        .await
        .expect(200);
    app.get("/v1/mailboxes", ADMIN_KEY).await.expect(200);
    let m = app
        .request(Method::GET, "/metrics", Some(METRICS_TOKEN), None)
        .await
        .expect(200);
    assert!(
        m.text.contains(
            "warmup_http_requests_total{method=\"GET\",route=\"/v1/mailboxes\",status=\"200\"} 1"
        ),
        "{}",
        m.text
    );
    assert!(m.text.contains("warmup_http_request_duration_seconds"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_rate_limit_is_429_with_retry_after() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.rate_limit_per_minute = 3).await;
    let other = app
        .post("/v1/api-keys", ADMIN_KEY, &json!({"name": "x"}))
        .await
        .expect(201);
    let other = other.json["key"].as_str().unwrap_or_default().to_string();
    for remaining in ["1", "0"] {
        let r = app.get("/v1/mailboxes", ADMIN_KEY).await.expect(200);
        assert_eq!(r.header("ratelimit-limit"), Some("3"));
        assert_eq!(r.header("ratelimit-remaining"), Some(remaining));
    }
    let r = app
        .get("/v1/mailboxes", ADMIN_KEY)
        .await
        .expect_problem(429, "rate_limited");
    let retry: u64 = r
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_eq!(r.header("ratelimit-remaining"), Some("0"));
    // Limits are per key: another key still gets through.
    let r = app.get("/v1/mailboxes", &other).await.expect(200);
    assert_eq!(r.header("ratelimit-remaining"), Some("2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_and_committed_openapi_match_the_code() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    let produced = warmup_api::docs::openapi_json();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap_or_default();
    assert!(
        committed == produced,
        "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json`"
    );
    let served = app
        .request(Method::GET, "/openapi.json", None, None)
        .await
        .expect(200);
    let produced: serde_json::Value = serde_json::from_str(&produced).unwrap_or_default();
    assert_eq!(served.json, produced);
    assert_eq!(served.json["openapi"], "3.1.0");
    for path in [
        "/v1/mailboxes",
        "/v1/mailboxes/{id}",
        "/v1/mailboxes/{id}/connection-test",
        "/v1/seeds/{id}",
        "/v1/api-keys/{id}",
        "/v1/organizations",
    ] {
        assert!(
            served.json["paths"][path].is_object(),
            "{path} is not documented"
        );
    }
    assert!(served.json["components"]["schemas"]["Problem"].is_object());
    let docs = app
        .request(Method::GET, "/docs/", None, None)
        .await
        .expect(200);
    assert!(
        docs.text.contains("swagger-ui"),
        "docs UI is served locally"
    );
    let asset = app
        .request(Method::GET, "/docs/swagger-ui-bundle.js", None, None)
        .await;
    assert_eq!(
        asset.status, 200,
        "the docs UI's script is bundled, not fetched from a CDN"
    );
}

async fn abandoned_idempotency_claims_are_taken_over_and_live_ones_refused(app: &TestApp) {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    use warmup_entity::{api_key, idempotency_key};
    let admin = api_key::Entity::find().one(&app.db).await.ok().flatten();
    let admin = admin.unwrap_or_else(|| panic!("no admin key"));
    let body = json!({"name": "claimed"});
    // The fingerprint the API computes: method, path and the body's SHA-256.
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let digest: String = <sha2::Sha256 as sha2::Digest>::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    for (key, age) in [("abandoned", 600), ("running", 5)] {
        idempotency_key::ActiveModel {
            api_key_id: Set(admin.id),
            idempotency_key: Set(key.into()),
            request_fingerprint: Set(format!("POST /v1/api-keys {digest}")),
            status_code: Set(None),
            response_body: Set(None),
            created_at: Set(chrono::Utc::now() - chrono::Duration::seconds(age)),
        }
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let send = |key: &'static str| {
        let req = app
            .client
            .post(format!("{}/v1/api-keys", app.address))
            .bearer_auth(ADMIN_KEY)
            .header("Idempotency-Key", key)
            .header("Content-Type", "application/json")
            .body(bytes.clone());
        async move { Reply::from(req.send().await.unwrap_or_else(|e| panic!("{e}"))).await }
    };
    send("abandoned").await.expect(201);
    send("running")
        .await
        .expect_problem(409, "idempotency_in_progress");
}

async fn json_is_read_by_its_meaning_and_errors_speak_json(app: &TestApp) {
    let key = app.new_org("Acme").await;
    // JSON Schema counts 587.0 as an integer; a fraction is not one.
    let mut body = mailbox_body("float@acme.example", "pw");
    body["smtp"]["port"] = json!(587.0);
    let created = app.post("/v1/mailboxes", &key, &body).await.expect(201);
    assert_eq!(created.json["smtp"]["port"], 587);
    let mut body = mailbox_body("fraction@acme.example", "pw");
    body["smtp"]["port"] = json!(587.5);
    let r = app
        .post("/v1/mailboxes", &key, &body)
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["smtp.port"]);
    assert_eq!(r.json["errors"][0]["message"], "must be a whole number");

    // Messages in JSON's words, not Rust's.
    let r = app
        .post("/v1/mailboxes", &key, &json!(["not", "an", "object"]))
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.json["errors"][0]["message"], "must be a JSON object");
    let mut body = mailbox_body("types@acme.example", "pw");
    body["smtp"]["port"] = json!("587");
    let r = app.post("/v1/mailboxes", &key, &body).await;
    let message = r.json["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(message, "must be a whole number", "{}", r.text);

    // Secrets have a ceiling, and a refused one is not echoed.
    let long = "p".repeat(10_000);
    let r = app
        .post(
            "/v1/mailboxes",
            &key,
            &mailbox_body("long@acme.example", &long),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["smtp.password", "imap.password"]);
    assert!(
        !r.text.contains(&long[..100]),
        "{}",
        &r.text[..200.min(r.text.len())]
    );

    let mut body = mailbox_body("dkim@acme.example", "pw");
    body["dkim"] = json!({"selector": "s1", "private_key": "k".repeat(20_000)});
    let r = app
        .post("/v1/mailboxes", &key, &body)
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["dkim.private_key"]);
    assert!(r.text.len() < 600, "{}", &r.text[..300]);

    // A value echoed in an error is cut short.
    let mut body = mailbox_body("zone@acme.example", "pw");
    body["timezone"] = json!(format!("Mars/{}", "x".repeat(5_000)));
    let r = app
        .post("/v1/mailboxes", &key, &body)
        .await
        .expect_problem(422, "validation");
    assert!(
        r.text.len() < 600,
        "{} bytes: {}",
        r.text.len(),
        &r.text[..300]
    );
    assert!(r.text.contains('…'), "{}", r.text);

    // A repeated query parameter is a validation problem naming it.
    let r = app
        .get("/v1/mailboxes?limit=1&limit=2", &key)
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["limit"]);
    assert!(!r.text.contains("deserialize"), "{}", r.text);

    // An idempotent retry is the same request when it means the same JSON.
    let send = |raw: &'static str| {
        let req = app
            .client
            .post(format!("{}/v1/api-keys", app.address))
            .bearer_auth(&key)
            .header("Idempotency-Key", "meaning-1")
            .header("Content-Type", "application/json")
            .body(raw);
        async move { Reply::from(req.send().await.unwrap_or_else(|e| panic!("{e}"))).await }
    };
    let first = send(r#"{"name":"ci","platform_admin":false}"#)
        .await
        .expect(201);
    let again = send("{ \"platform_admin\": false,\n  \"name\": \"ci\" }")
        .await
        .expect(201);
    assert_eq!(again.json["api_key"]["id"], first.json["api_key"]["id"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    send(r#"{"name":"cd","platform_admin":false}"#)
        .await
        .expect_problem(422, "idempotency_key_reused");
    // A key outside the documented pattern is refused before anything is done.
    let r = app
        .client
        .post(format!("{}/v1/api-keys", app.address))
        .bearer_auth(&key)
        .header("Idempotency-Key", "has spaces in it")
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = Reply::from(r).await.expect_problem(422, "validation");
    assert_eq!(r.fields(), ["Idempotency-Key"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_method_is_405_with_allow_and_docs_redirect() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    let r = app
        .request(Method::PUT, "/v1/mailboxes", Some(ADMIN_KEY), None)
        .await
        .expect_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET, POST"));
    let r = app
        .request(
            Method::POST,
            "/v1/mailboxes/0190f1d2-0000-7000-8000-000000000000/warmup",
            Some(ADMIN_KEY),
            None,
        )
        .await
        .expect_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET, PUT, PATCH"));
    let r = app
        .request(Method::DELETE, "/healthz", None, None)
        .await
        .expect_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET"));
    app.request(Method::PUT, "/v1/nothing-here", Some(ADMIN_KEY), None)
        .await
        .expect_problem(404, "not_found");

    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let r = no_redirects
        .get(format!("{}/docs", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 308);
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/docs/")
    );
}
