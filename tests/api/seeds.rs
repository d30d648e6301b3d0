use serde_json::json;

use crate::helpers::{ADMIN_KEY, TestApp, seed_body};
use crate::on_both_databases;

on_both_databases!(
    shared_pool_is_visible_to_all_and_writable_by_admins_only,
    private_seeds_are_crud_for_their_organization,
    seed_addresses_differing_only_in_case_conflict,
);

async fn shared_pool_is_visible_to_all_and_writable_by_admins_only(app: &TestApp) {
    let org = app.new_org("Acme").await;
    let mut body = seed_body("pool@seeds.example", "pw");
    body["shared"] = json!(true);
    body["group"] = json!("premium");
    app.post("/v1/seeds", &org, &body)
        .await
        .expect_problem(403, "forbidden");
    let shared = app
        .post("/v1/seeds", ADMIN_KEY, &body)
        .await
        .expect(201)
        .json;
    assert_eq!(shared["shared"], true);
    assert_eq!(shared["group"], "premium");
    assert_eq!(shared["active"], true);
    let id = shared["id"].as_str().unwrap_or_default();

    let listed = app.get("/v1/seeds", &org).await.expect(200);
    assert_eq!(listed.json["items"][0]["id"], id);
    let path = format!("/v1/seeds/{id}");
    // A tenant sees a shared seed's address and provider, never its servers and logins.
    let seen = app.get(&path, &org).await.expect(200).json;
    assert_eq!(seen["email"], "pool@seeds.example");
    for servers in [&seen, &listed.json["items"][0]] {
        assert!(servers.get("imap").is_none(), "{servers}");
        assert!(servers.get("smtp").is_none(), "{servers}");
    }
    let as_admin = app.get(&path, ADMIN_KEY).await.expect(200).json;
    assert!(as_admin["imap"]["host"].is_string(), "{as_admin}");
    assert!(as_admin["smtp"]["username"].is_string(), "{as_admin}");
    app.patch(&path, &org, &json!({"active": false}))
        .await
        .expect_problem(403, "forbidden");
    app.delete(&path, &org)
        .await
        .expect_problem(403, "forbidden");
    let patched = app
        .patch(&path, ADMIN_KEY, &json!({"active": false}))
        .await
        .expect(200);
    assert_eq!(patched.json["active"], false);
    app.post("/v1/seeds", ADMIN_KEY, &body)
        .await
        .expect_problem(409, "conflict");
    app.delete(&path, ADMIN_KEY).await.expect(204);
    app.get(&path, &org).await.expect_problem(404, "not_found");
}

async fn private_seeds_are_crud_for_their_organization(app: &TestApp) {
    let org = app.new_org("Acme").await;
    let seed = app
        .post("/v1/seeds", &org, &seed_body("mine@seeds.example", "pw"))
        .await
        .expect(201)
        .json;
    assert_eq!(seed["shared"], false);
    assert_eq!(seed["group"], "standard");
    assert_eq!(
        seed["smtp"]["security"], "tls",
        "port 465 means implicit TLS"
    );
    let path = format!("/v1/seeds/{}", seed["id"].as_str().unwrap_or_default());
    let r = app
        .patch(
            &path,
            &org,
            &json!({"group": "premium", "imap": {"security": "starttls", "port": 143, "password": "pw2"}}),
        )
        .await
        .expect(200);
    assert_eq!(r.json["group"], "premium");
    assert_eq!(r.json["imap"]["port"], 143);
    assert_eq!(r.json["imap"]["security"], "starttls");
    let bad = app
        .patch(&path, &org, &json!({"group": "gold", "email": "nope"}))
        .await
        .expect_problem(422, "validation");
    assert_eq!(
        bad.fields(),
        ["group"],
        "serde reports the first type error"
    );
    app.delete(&path, &org).await.expect(204);
    assert_eq!(app.get("/v1/seeds", &org).await.json["items"], json!([]));
}

async fn seed_addresses_differing_only_in_case_conflict(app: &TestApp) {
    let org = app.new_org("Acme").await;
    let first = app
        .post("/v1/seeds", &org, &seed_body("SP@GMAIL.COM", "pw"))
        .await
        .expect(201)
        .json;
    assert_eq!(first["email"], "SP@GMAIL.COM", "kept as given");
    app.post("/v1/seeds", &org, &seed_body("sp@gmail.com", "pw"))
        .await
        .expect_problem(409, "conflict");
    let other = app
        .post("/v1/seeds", &org, &seed_body("other@gmail.com", "pw"))
        .await
        .expect(201)
        .json;
    let other_path = format!("/v1/seeds/{}", other["id"].as_str().unwrap_or_default());
    app.patch(&other_path, &org, &json!({"email": "Sp@Gmail.Com"}))
        .await
        .expect_problem(409, "conflict");
    let first_path = format!("/v1/seeds/{}", first["id"].as_str().unwrap_or_default());
    let got = app.get(&first_path, &org).await.expect(200);
    assert_eq!(got.json["email"], "SP@GMAIL.COM");
    let renamed = app
        .patch(&first_path, &org, &json!({"email": "sp@gmail.com"}))
        .await
        .expect(200);
    assert_eq!(renamed.json["email"], "sp@gmail.com");

    // The shared pool is a scope of its own, and so is each organization.
    let mut shared = seed_body("Sp@Gmail.com", "pw");
    shared["shared"] = json!(true);
    app.post("/v1/seeds", ADMIN_KEY, &shared).await.expect(201);
    shared["email"] = json!("sp@GMAIL.COM");
    app.post("/v1/seeds", ADMIN_KEY, &shared)
        .await
        .expect_problem(409, "conflict");
    let org_b = app.new_org("B").await;
    app.post("/v1/seeds", &org_b, &seed_body("SP@gmail.com", "pw"))
        .await
        .expect(201);
}
