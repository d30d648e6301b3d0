use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(a_domain_just_added_has_a_pending_health,);

async fn a_domain_just_added_has_a_pending_health(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let added = app
        .post("/v1/domains", &key, &json!({"name": "example.com"}))
        .await
        .expect(201)
        .json;
    let id = added["id"].as_str().unwrap_or_default();
    let health = app
        .get(&format!("/v1/domains/{id}/health"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(health["state"], "pending", "{health}");
    assert_eq!(health["domain"], "example.com");
    assert!(health["checked_at"].is_null(), "{health}");
    assert!(health["score"].is_null(), "{health}");
    assert_eq!(health["checks"], json!([]));
    assert_eq!(health["next_check_at"], added["next_check_at"]);
    // Another organization does not see it; an unknown domain is a 404.
    let other = app.new_org("Other").await;
    app.get(&format!("/v1/domains/{id}/health"), &other)
        .await
        .expect_problem(404, "not_found");
    app.get(
        "/v1/domains/00000000-0000-0000-0000-000000000000/health",
        &key,
    )
    .await
    .expect_problem(404, "not_found");
}
