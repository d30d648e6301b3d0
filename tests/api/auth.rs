use reqwest::Method;
use serde_json::json;

use crate::helpers::{ADMIN_KEY, TestApp, mailbox_body};
use crate::on_both_databases;

on_both_databases!(
    the_platform_admin_key_can_be_rotated_but_never_lost,
    requests_without_a_valid_key_are_401_problems,
    revoked_keys_stop_working_at_once,
    only_platform_admins_create_organizations,
    new_organization_keys_work_and_list_without_secrets,
);

async fn requests_without_a_valid_key_are_401_problems(app: &TestApp) {
    let none = app.request(Method::GET, "/v1/mailboxes", None, None).await;
    let none = none.expect_problem(401, "unauthorized");
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    app.get("/v1/mailboxes", "wu_not_a_real_key")
        .await
        .expect_problem(401, "unauthorized");
    let basic = app
        .client
        .get(format!("{}/v1/mailboxes", app.address))
        .header("Authorization", format!("Basic {ADMIN_KEY}"))
        .send()
        .await
        .map(|r| r.status().as_u16());
    assert_eq!(basic.ok(), Some(401));
    app.get("/v1/mailboxes", ADMIN_KEY).await.expect(200);
}

async fn revoked_keys_stop_working_at_once(app: &TestApp) {
    let created = app
        .post("/v1/api-keys", ADMIN_KEY, &json!({"name": "ci"}))
        .await
        .expect(201);
    let key = created.json["key"].as_str().unwrap_or_default().to_string();
    let id = created.json["id"].as_str().unwrap_or_default().to_string();
    app.get("/v1/mailboxes", &key).await.expect(200);
    app.delete(&format!("/v1/api-keys/{id}"), ADMIN_KEY)
        .await
        .expect(204);
    app.get("/v1/mailboxes", &key)
        .await
        .expect_problem(401, "unauthorized");
    let list = app.get("/v1/api-keys", ADMIN_KEY).await.expect(200);
    let revoked = list.json["items"]
        .as_array()
        .and_then(|a| a.iter().find(|k| k["id"] == id.as_str()).cloned())
        .unwrap_or_default();
    assert!(revoked["revoked_at"].is_string(), "{}", list.text);
}

async fn only_platform_admins_create_organizations(app: &TestApp) {
    let key = app.new_org("Acme").await;
    app.post("/v1/organizations", &key, &json!({"name": "Evil"}))
        .await
        .expect_problem(403, "forbidden");
}

async fn new_organization_keys_work_and_list_without_secrets(app: &TestApp) {
    let r = app
        .post("/v1/organizations", ADMIN_KEY, &json!({"name": "Acme"}))
        .await
        .expect(201);
    assert_eq!(r.json["organization"]["name"], "Acme");
    let key = r.json["api_key"].as_str().unwrap_or_default().to_string();
    assert!(key.starts_with("wu_"));
    app.create_mailbox(&key, &mailbox_body("a@acme.example", "pw-1"))
        .await;
    let keys = app.get("/v1/api-keys", &key).await.expect(200);
    assert_eq!(keys.json["items"].as_array().map(Vec::len), Some(1));
    assert!(
        !keys.text.contains(&key),
        "a key must never be listed in full"
    );
    assert_eq!(keys.json["items"][0]["platform_admin"], false);
    assert!(
        keys.json["items"][0]["last_used_at"].is_string(),
        "{}",
        keys.text
    );
}

async fn the_platform_admin_key_can_be_rotated_but_never_lost(app: &TestApp) {
    let admin_id = app.get("/v1/api-keys", ADMIN_KEY).await.json["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // A plain key of the admin's organization may neither revoke nor mint admin keys.
    let plain = app
        .post("/v1/api-keys", ADMIN_KEY, &json!({"name": "ops"}))
        .await
        .expect(201);
    let plain = plain.json["key"].as_str().unwrap_or_default().to_string();
    app.delete(&format!("/v1/api-keys/{admin_id}"), &plain)
        .await
        .expect_problem(403, "forbidden");
    app.post(
        "/v1/api-keys",
        &plain,
        &json!({"name": "x", "platform_admin": true}),
    )
    .await
    .expect_problem(403, "forbidden");
    // The last admin key cannot be revoked ...
    app.delete(&format!("/v1/api-keys/{admin_id}"), ADMIN_KEY)
        .await
        .expect_problem(409, "conflict");
    // ... until another exists.
    let next = app
        .post(
            "/v1/api-keys",
            ADMIN_KEY,
            &json!({"name": "rotated", "platform_admin": true}),
        )
        .await
        .expect(201);
    assert_eq!(next.json["platform_admin"], true);
    let next = next.json["key"].as_str().unwrap_or_default().to_string();
    app.delete(&format!("/v1/api-keys/{admin_id}"), &next)
        .await
        .expect(204);
    app.get("/v1/mailboxes", ADMIN_KEY)
        .await
        .expect_problem(401, "unauthorized");
    app.post(
        "/v1/organizations",
        &next,
        &json!({"name": "Still possible"}),
    )
    .await
    .expect(201);
    // The listing never shows more of a key than its short prefix.
    let listed = app.get("/v1/api-keys", &next).await.expect(200);
    assert!(!listed.text.contains(&next[..20]), "{}", listed.text);
}
