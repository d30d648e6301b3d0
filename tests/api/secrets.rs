//! Passwords are write-only: no response carries them and the database holds ciphertext.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{Backend, TestApp, mailbox_body, seed_body};
use crate::on_both_databases;

on_both_databases!(
    passwords_never_come_back_and_are_encrypted_at_rest,
    issued_keys_replayed_for_an_idempotency_key_are_not_stored_in_clear,
);

async fn issued_keys_replayed_for_an_idempotency_key_are_not_stored_in_clear(app: &TestApp) {
    let send = || {
        app.client
            .post(format!("{}/v1/api-keys", app.address))
            .bearer_auth(crate::helpers::ADMIN_KEY)
            .header("Idempotency-Key", "new-key-1")
            .json(&json!({"name": "ci"}))
            .send()
    };
    let first = crate::helpers::Reply::from(send().await.unwrap_or_else(|e| panic!("{e}")))
        .await
        .expect(201);
    let again = crate::helpers::Reply::from(send().await.unwrap_or_else(|e| panic!("{e}")))
        .await
        .expect(201);
    let key = first.json["key"].as_str().unwrap_or_default().to_string();
    assert!(key.len() > 20);
    assert_eq!(
        again.json["key"], first.json["key"],
        "the retry gets the first answer"
    );
    let backend = app.db.get_database_backend();
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT * FROM idempotency_keys",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 1);
    for row in rows {
        for col in row.column_names() {
            let value: Option<String> = row.try_get("", &col).ok().flatten();
            assert!(
                !value.as_deref().unwrap_or_default().contains(&key),
                "idempotency_keys.{col} holds the issued key in clear"
            );
        }
    }
}

const SMTP_PW: &str = "Sm7p-Pa55-unique-4711";
const IMAP_PW: &str = "1map-Pa55-unique-0815";
const NEW_PW: &str = "Ch4nged-Pa55-unique-2323";
const SEED_PW: &str = "5eed-Pa55-unique-9999";

async fn passwords_never_come_back_and_are_encrypted_at_rest(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let mut body = mailbox_body("sender@acme.example", SMTP_PW);
    body["imap"]["password"] = json!(IMAP_PW);
    let mut bodies = Vec::new();
    let created = app.post("/v1/mailboxes", &key, &body).await.expect(201);
    assert_eq!(created.json["smtp"]["password_set"], true);
    assert!(created.json["smtp"].get("password").is_none());
    let id = created.json["id"].as_str().unwrap_or_default().to_string();
    bodies.push(created.text);
    bodies.push(
        app.get(&format!("/v1/mailboxes/{id}"), &key)
            .await
            .expect(200)
            .text,
    );
    bodies.push(app.get("/v1/mailboxes", &key).await.expect(200).text);
    bodies.push(
        app.patch(
            &format!("/v1/mailboxes/{id}"),
            &key,
            &json!({"smtp": {"password": NEW_PW}}),
        )
        .await
        .expect(200)
        .text,
    );
    // A validation error next to a password must not echo it either.
    bodies.push(
        app.patch(
            &format!("/v1/mailboxes/{id}"),
            &key,
            &json!({"smtp": {"password": NEW_PW, "port": 0}}),
        )
        .await
        .expect(422)
        .text,
    );
    bodies.push(
        app.post("/v1/seeds", &key, &seed_body("seed@acme.example", SEED_PW))
            .await
            .expect(201)
            .text,
    );
    bodies.push(app.get("/v1/seeds", &key).await.expect(200).text);
    for b in &bodies {
        for pw in [SMTP_PW, IMAP_PW, NEW_PW, SEED_PW] {
            assert!(!b.contains(pw), "a response carried a password: {b}");
        }
    }

    // Every stored column, read raw, holds no password in clear.
    let backend = app.db.get_database_backend();
    for table in ["mailboxes", "seeds"] {
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT * FROM {table}"),
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!rows.is_empty());
        for row in rows {
            for col in row.column_names() {
                let value: Option<String> = row.try_get("", &col).ok().flatten();
                for pw in [SMTP_PW, IMAP_PW, NEW_PW, SEED_PW] {
                    assert!(
                        !value.as_deref().unwrap_or_default().contains(pw),
                        "{table}.{col} holds a password in clear"
                    );
                }
            }
        }
    }
    if app.backend == Backend::Sqlite {
        // The file and its write-ahead log, byte for byte.
        let path = app.settings.sqlite_path().unwrap_or_default();
        for p in [path.clone(), path.with_extension("sqlite-wal")] {
            let bytes = std::fs::read(&p).unwrap_or_default();
            assert!(!bytes.is_empty(), "{} is missing or empty", p.display());
            let text = String::from_utf8_lossy(&bytes);
            for pw in [SMTP_PW, IMAP_PW, NEW_PW, SEED_PW] {
                assert!(
                    !text.contains(pw),
                    "{} holds a password in clear",
                    p.display()
                );
            }
        }
    }
}
