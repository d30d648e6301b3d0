//! Another organization's resources are 404s, never 403s that confirm they exist.

use serde_json::json;

use crate::helpers::{ADMIN_KEY, TestApp, mailbox_body, seed_body};
use crate::on_both_databases;

on_both_databases!(other_organizations_resources_are_invisible);

async fn other_organizations_resources_are_invisible(app: &TestApp) {
    let a = app.new_org("A").await;
    let b = app.new_org("B").await;
    let mailbox = app
        .create_mailbox(&a, &mailbox_body("x@a.example", "pw"))
        .await;
    let mid = mailbox["id"].as_str().unwrap_or_default();
    let seed = app
        .post("/v1/seeds", &a, &seed_body("s@a.example", "pw"))
        .await
        .expect(201)
        .json;
    let sid = seed["id"].as_str().unwrap_or_default();
    let key = app
        .post("/v1/api-keys", &a, &json!({"name": "k"}))
        .await
        .expect(201)
        .json;
    let kid = key["id"].as_str().unwrap_or_default();

    for path in [format!("/v1/mailboxes/{mid}"), format!("/v1/seeds/{sid}")] {
        app.get(&path, &b).await.expect_problem(404, "not_found");
        app.patch(&path, &b, &json!({"email": "hijack@b.example"}))
            .await
            .expect_problem(404, "not_found");
        app.post(&format!("{path}/connection-test"), &b, &json!({}))
            .await
            .expect_problem(404, "not_found");
        app.delete(&path, &b).await.expect_problem(404, "not_found");
        // The platform admin's own organization is another organization too.
        app.get(&path, ADMIN_KEY)
            .await
            .expect_problem(404, "not_found");
    }
    for path in [
        format!("/v1/mailboxes/{mid}/placements"),
        format!("/v1/mailboxes/{mid}/placement-summary"),
    ] {
        app.get(&path, &b).await.expect_problem(404, "not_found");
        app.get(&path, ADMIN_KEY)
            .await
            .expect_problem(404, "not_found");
        app.get(&path, &a).await.expect(200);
    }
    app.delete(&format!("/v1/api-keys/{kid}"), &b)
        .await
        .expect_problem(404, "not_found");

    for path in ["/v1/mailboxes", "/v1/seeds", "/v1/api-keys"] {
        let list = app.get(path, &b).await.expect(200);
        assert!(
            !list.text.contains("a.example"),
            "{path} leaked: {}",
            list.text
        );
        assert!(!list.text.contains(kid), "{path} leaked: {}", list.text);
    }
    // Still there for its owner, unchanged.
    let own = app
        .get(&format!("/v1/mailboxes/{mid}"), &a)
        .await
        .expect(200);
    assert_eq!(own.json["email"], "x@a.example");
    app.get(&format!("/v1/seeds/{sid}"), &a).await.expect(200);
}
