use serde_json::json;

use crate::helpers::{TestApp, mailbox_body};
use crate::on_both_databases;

on_both_databases!(
    create_read_update_delete_a_mailbox,
    named_providers_fill_in_their_servers,
    invalid_fields_are_all_named_in_one_422,
    duplicate_addresses_conflict,
    addresses_differing_only_in_case_are_one_mailbox,
    lists_page_with_a_cursor,
    connection_test_reports_the_failing_step,
);

async fn create_read_update_delete_a_mailbox(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let created = app
        .create_mailbox(&key, &mailbox_body("Jane@Acme.Example", "pw"))
        .await;
    assert_eq!(created["email"], "Jane@Acme.Example", "kept as given");
    assert_eq!(created["display_name"], "Jane");
    assert_eq!(created["status"], "active");
    assert_eq!(created["timezone"], "Europe/Berlin");
    assert_eq!(created["smtp"]["host"], "smtp.example.net");
    assert_eq!(created["smtp"]["port"], 587);
    assert_eq!(created["smtp"]["security"], "starttls");
    assert_eq!(created["smtp"]["username"], "Jane@Acme.Example");
    assert_eq!(created["imap"]["security"], "tls");
    let id = created["id"].as_str().unwrap_or_default();
    let path = format!("/v1/mailboxes/{id}");

    let got = app.get(&path, &key).await.expect(200);
    assert_eq!(got.json, created);

    // Moving a server needs the password again: the stored one never goes to a new server.
    let moved = app
        .patch(&path, &key, &json!({"imap": {"port": 1993}}))
        .await
        .expect_problem(422, "validation");
    assert_eq!(moved.fields(), ["imap.password"]);
    let patched = app
        .patch(
            &path,
            &key,
            &json!({"display_name": "Jane Doe", "status": "paused",
                    "imap": {"port": 1993, "password": "pw2"}}),
        )
        .await
        .expect(200);
    assert_eq!(patched.json["display_name"], "Jane Doe");
    assert_eq!(patched.json["status"], "paused");
    assert_eq!(patched.json["imap"]["port"], 1993);
    assert_eq!(
        patched.json["imap"]["host"], "imap.example.net",
        "untouched fields stay"
    );
    assert_eq!(patched.json["created_at"], created["created_at"]);

    app.patch(&path, &key, &json!({"status": "error"}))
        .await
        .expect_problem(422, "validation");
    app.delete(&path, &key).await.expect(204);
    app.get(&path, &key).await.expect_problem(404, "not_found");
    app.delete(&path, &key)
        .await
        .expect_problem(404, "not_found");
}

async fn named_providers_fill_in_their_servers(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let gmail = app
        .create_mailbox(
            &key,
            &json!({
                "email": "me@gmail.com", "provider": "gmail",
                "smtp": {"password": "app-password"}, "imap": {"password": "app-password"}
            }),
        )
        .await;
    assert_eq!(gmail["smtp"]["host"], "smtp.gmail.com");
    assert_eq!(gmail["smtp"]["port"], 465);
    assert_eq!(gmail["smtp"]["security"], "tls");
    assert_eq!(gmail["imap"]["host"], "imap.gmail.com");
    assert_eq!(gmail["imap"]["port"], 993);
    assert_eq!(gmail["timezone"], "UTC");
    let outlook = app
        .create_mailbox(
            &key,
            &json!({
                "email": "me@outlook.com", "provider": "outlook",
                "smtp": {"password": "x"}, "imap": {"password": "x"}
            }),
        )
        .await;
    assert_eq!(outlook["smtp"]["port"], 587);
    assert_eq!(outlook["smtp"]["security"], "starttls");
    // A private server has no preset: its names are guessed from the address's domain.
    let r = app
        .post(
            "/v1/mailboxes",
            &key,
            &json!({"email": "me@Corp.Example", "provider": "smtp",
                    "smtp": {"password": "x"}, "imap": {"password": "x"}}),
        )
        .await
        .expect(201);
    assert_eq!(r.json["smtp"]["host"], "smtp.corp.example");
    assert_eq!(r.json["imap"]["host"], "imap.corp.example");
}

async fn invalid_fields_are_all_named_in_one_422(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let r = app
        .post(
            "/v1/mailboxes",
            &key,
            &json!({
                "email": "not-an-address",
                "display_name": "Evil\r\nBcc: victim@example.com",
                "provider": "smtp",
                "smtp": {"host": "bad host", "port": 70000, "password": ""},
                "imap": {"host": "imap.example.net", "username": " "},
                "timezone": "Mars/Olympus"
            }),
        )
        .await
        .expect_problem(422, "validation");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "display_name",
            "email",
            "imap.password",
            "imap.username",
            "smtp.host",
            "smtp.password",
            "smtp.port",
            "timezone"
        ]
    );
    let r = app
        .post(
            "/v1/mailboxes",
            &key,
            &json!({"email": "a@b.example", "provider": "hotmail", "smtp": {}, "imap": {}}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["provider"]);
    let r = app
        .post(
            "/v1/mailboxes",
            &key,
            &json!({"provider": "gmail", "smtp": {}, "imap": {}}),
        )
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["email"]);
    assert_eq!(
        app.get("/v1/mailboxes", &key).await.json["items"],
        json!([])
    );
}

async fn duplicate_addresses_conflict(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let first = app
        .create_mailbox(&key, &mailbox_body("dup@acme.example", "pw"))
        .await;
    app.post(
        "/v1/mailboxes",
        &key,
        &mailbox_body("dup@ACME.example", "pw"),
    )
    .await
    .expect_problem(409, "conflict");
    let other = app
        .create_mailbox(&key, &mailbox_body("other@acme.example", "pw"))
        .await;
    let id = other["id"].as_str().unwrap_or_default();
    app.patch(
        &format!("/v1/mailboxes/{id}"),
        &key,
        &json!({"email": "dup@acme.example"}),
    )
    .await
    .expect_problem(409, "conflict");
    // Another organization may connect the same address.
    let key_b = app.new_org("B").await;
    app.create_mailbox(&key_b, &mailbox_body("dup@acme.example", "pw"))
        .await;
    assert!(first["id"].is_string());
}

async fn addresses_differing_only_in_case_are_one_mailbox(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let gmail = |email: &str| {
        json!({"email": email, "provider": "gmail",
               "smtp": {"password": "pw"}, "imap": {"password": "pw"}})
    };
    let first = app.create_mailbox(&key, &gmail(" SP@GMAIL.COM ")).await;
    assert_eq!(first["email"], "SP@GMAIL.COM", "trimmed, case kept");
    let first_path = format!("/v1/mailboxes/{}", first["id"].as_str().unwrap_or_default());
    app.post("/v1/mailboxes", &key, &gmail("sp@gmail.com"))
        .await
        .expect_problem(409, "conflict");

    // Another mailbox may not take a case variant either.
    let other = app.create_mailbox(&key, &gmail("other@gmail.com")).await;
    let other_path = format!("/v1/mailboxes/{}", other["id"].as_str().unwrap_or_default());
    app.patch(&other_path, &key, &json!({"email": "Sp@Gmail.com"}))
        .await
        .expect_problem(409, "conflict");
    let other_now = app.get(&other_path, &key).await.expect(200);
    assert_eq!(other_now.json["email"], "other@gmail.com");

    // The first is stored and listed as it was given.
    let got = app.get(&first_path, &key).await.expect(200);
    assert_eq!(got.json["email"], "SP@GMAIL.COM");
    let listed = app.get("/v1/mailboxes", &key).await.expect(200);
    let emails: Vec<&str> = listed.json["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["email"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(emails, ["SP@GMAIL.COM", "other@gmail.com"]);

    // A mailbox may change the case of its own address, and other fields keep working.
    let renamed = app
        .patch(&first_path, &key, &json!({"email": "Sp@gmail.com"}))
        .await
        .expect(200);
    assert_eq!(renamed.json["email"], "Sp@gmail.com");
    app.patch(&first_path, &key, &json!({"status": "paused"}))
        .await
        .expect(200);
    app.post("/v1/mailboxes", &key, &gmail("SP@gmail.com"))
        .await
        .expect_problem(409, "conflict");

    // Uniqueness is per organization.
    let key_b = app.new_org("B").await;
    let b = app.create_mailbox(&key_b, &gmail("sp@gmail.com")).await;
    assert_eq!(b["email"], "sp@gmail.com");
}

async fn lists_page_with_a_cursor(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let mut created = Vec::new();
    for i in 0..5 {
        let m = app
            .create_mailbox(&key, &mailbox_body(&format!("m{i}@acme.example"), "pw"))
            .await;
        created.push(m["id"].as_str().unwrap_or_default().to_string());
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &after {
            Some(a) => format!("/v1/mailboxes?limit=2&after={a}"),
            None => "/v1/mailboxes?limit=2".to_string(),
        };
        let page = app.get(&path, &key).await.expect(200);
        pages += 1;
        let items = page.json["items"].as_array().cloned().unwrap_or_default();
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .filter_map(|m| m["id"].as_str().map(str::to_string)),
        );
        match page.json["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created, "every mailbox once, oldest first");
    let bad = app
        .get("/v1/mailboxes?limit=0&after=xyz", &key)
        .await
        .expect_problem(422, "validation");
    assert_eq!(bad.fields(), ["limit", "after"]);
}

async fn connection_test_reports_the_failing_step(app: &TestApp) {
    let key = app.new_org("Acme").await;
    // A port nothing listens on: the connect step fails and says why.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(1);
    let body = json!({
        "email": "probe@acme.example", "provider": "smtp",
        "smtp": {"host": "127.0.0.1", "port": closed, "security": "none", "password": "pw"},
        "imap": {"host": "127.0.0.1", "port": closed, "security": "tls", "password": "pw"}
    });
    let m = app.create_mailbox(&key, &body).await;
    let id = m["id"].as_str().unwrap_or_default();
    let r = app
        .post(
            &format!("/v1/mailboxes/{id}/connection-test"),
            &key,
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(r.json["ok"], false);
    for proto in ["smtp", "imap"] {
        let steps = r.json[proto]["steps"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(steps.len(), 1, "{}", r.text);
        assert_eq!(steps[0]["step"], "connect");
        assert_eq!(steps[0]["ok"], false);
        assert!(
            steps[0]["detail"]
                .as_str()
                .is_some_and(|d| d.contains("refused")),
            "{}",
            r.text
        );
        assert!(steps[0]["duration_ms"].is_u64());
    }
    assert!(!r.text.contains("\"pw\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_tests_refuse_private_addresses_unless_the_operator_allows_them() {
    use crate::helpers::{ADMIN_KEY, Backend, spawn_app_with};
    let app = spawn_app_with(Backend::Sqlite, |s| s.allow_private_mail_hosts = false).await;
    let mut body = mailbox_body("ssrf@acme.example", "pw");
    body["smtp"]["host"] = json!("127.0.0.1");
    body["imap"]["host"] = json!("localhost");
    let m = app.create_mailbox(ADMIN_KEY, &body).await;
    let id = m["id"].as_str().unwrap_or_default();
    let r = app
        .post(
            &format!("/v1/mailboxes/{id}/connection-test"),
            ADMIN_KEY,
            &json!({}),
        )
        .await
        .expect(200);
    for proto in ["smtp", "imap"] {
        let step = &r.json[proto]["steps"][0];
        assert_eq!(step["step"], "connect");
        assert_eq!(step["ok"], false);
        let detail = step["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains("WARMUP_ALLOW_PRIVATE_MAIL_HOSTS"),
            "{detail}"
        );
    }
}

async fn a_warmup_starts_only_on_a_verified_mailbox(backend: crate::helpers::Backend) {
    use warmup_domain::verification::VerificationStatus;
    use warmup_entity::store::verification;

    let app =
        crate::helpers::spawn_app_with(backend, |s| s.require_mailbox_verification = true).await;
    let key = app.new_org("Verified").await;
    let m = app
        .create_mailbox(&key, &mailbox_body("victim@example.net", "pw-123456"))
        .await;
    assert_eq!(m["verification"]["status"], "unverified", "{m}");
    let id = m["id"].as_str().unwrap_or_default().to_string();
    let start = format!("/v1/mailboxes/{id}/warmup/start");

    let refused = app.post(&start, &key, &json!({})).await.expect(409);
    let detail = refused.json["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("unverified") && detail.contains("/verify"),
        "{detail}"
    );

    let asked = app
        .post(&format!("/v1/mailboxes/{id}/verify"), &key, &json!({}))
        .await
        .expect(202);
    assert_eq!(
        asked.json["verification"]["status"], "pending",
        "{}",
        asked.json
    );
    assert!(asked.json["verification"]["requested_at"].is_string());
    assert!(
        asked.json.get("verification_code").is_none() && !asked.text.contains("code\""),
        "the code never shows: {}",
        asked.text
    );
    app.post(&start, &key, &json!({})).await.expect(409);

    // The worker's finding, as it records it: the code was found in the mailbox.
    let (mailbox_id, _) = app.mailbox_and_org(&id).await;
    let row = <warmup_entity::mailbox::Entity as sea_orm::EntityTrait>::find_by_id(mailbox_id)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no mailbox row"));
    let code = row.verification_code.unwrap_or_default();
    let now = warmup_entity::Clock::system().now();
    assert!(
        !verification::finish(
            &app.db,
            mailbox_id,
            "an older code",
            VerificationStatus::Verified,
            None,
            now
        )
        .await
        .unwrap_or(true),
        "an answer to another code changes nothing"
    );
    assert!(
        verification::finish(
            &app.db,
            mailbox_id,
            &code,
            VerificationStatus::Verified,
            None,
            now
        )
        .await
        .unwrap_or(false)
    );
    let w = app.post(&start, &key, &json!({})).await.expect(200);
    assert_eq!(w.json["status"], "running");

    // A new display name or password changes nothing that matters.
    let same = app
        .patch(
            &format!("/v1/mailboxes/{id}"),
            &key,
            &json!({"display_name": "Vic", "smtp": {"password": "new-pw-1234"}}),
        )
        .await
        .expect(200);
    assert_eq!(
        same.json["verification"]["status"], "verified",
        "{}",
        same.json
    );

    // Another address: unverified again, and the warmup paused with the reason.
    let moved = app
        .patch(
            &format!("/v1/mailboxes/{id}"),
            &key,
            &json!({"email": "someone-else@example.net"}),
        )
        .await
        .expect(200);
    assert_eq!(
        moved.json["verification"]["status"], "unverified",
        "{}",
        moved.json
    );
    assert!(
        moved.json["verification"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("address")),
        "{}",
        moved.json
    );
    let w = app
        .get(&format!("/v1/mailboxes/{id}/warmup"), &key)
        .await
        .expect(200);
    assert_eq!(w.json["status"], "paused", "{}", w.json);
    app.post(&start, &key, &json!({})).await.expect(409);

    // So does another server.
    verification::request(
        &app.db,
        warmup_entity::store::OrgId(row.organization_id),
        mailbox_id,
        "c2",
        now,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    verification::finish(
        &app.db,
        mailbox_id,
        "c2",
        VerificationStatus::Verified,
        None,
        now,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let served = app
        .patch(
            &format!("/v1/mailboxes/{id}"),
            &key,
            &json!({"imap": {"host": "imap.elsewhere.example", "password": "pw-123456"}}),
        )
        .await
        .expect(200);
    assert_eq!(
        served.json["verification"]["status"], "unverified",
        "{}",
        served.json
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warmup_starts_only_on_a_verified_mailbox_sqlite() {
    a_warmup_starts_only_on_a_verified_mailbox(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warmup_starts_only_on_a_verified_mailbox_postgres() {
    a_warmup_starts_only_on_a_verified_mailbox(crate::helpers::Backend::Postgres).await;
}
