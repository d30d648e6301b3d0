use serde_json::json;

use crate::helpers::{Backend, TestApp, mailbox_body, spawn_app};

async fn restart_keeps_data_and_decryptable_credentials(backend: Backend) {
    let mut app: TestApp = spawn_app(backend).await;
    let key = app.new_org("Acme").await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(1);
    let mut body = mailbox_body("kept@acme.example", "pw");
    for proto in ["smtp", "imap"] {
        body[proto]["host"] = json!("127.0.0.1");
        body[proto]["port"] = json!(closed);
    }
    let m = app.create_mailbox(&key, &body).await;
    let id = m["id"].as_str().unwrap_or_default().to_string();
    app.restart().await;
    let again = app
        .get(&format!("/v1/mailboxes/{id}"), &key)
        .await
        .expect(200);
    assert_eq!(again.json, m);
    // The stored password still decrypts after the restart: the connection test gets past
    // reading it (a 409 otherwise) and fails only at connecting to the closed port.
    let probe = app
        .post(
            &format!("/v1/mailboxes/{id}/connection-test"),
            &key,
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(
        probe.json["smtp"]["steps"][0]["step"], "connect",
        "{}",
        probe.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_data_sqlite() {
    restart_keeps_data_and_decryptable_credentials(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_data_postgres() {
    restart_keeps_data_and_decryptable_credentials(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_processes_refuse_an_unmigrated_database_and_serve_migrates_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("fresh.sqlite").display()
    );
    let key = warmup_entity::secret_box::SecretBox::generate_key();
    let settings = warmup::config::Settings::load_from(None, &|k: &str| match k {
        "DATABASE_URL" => Some(url.clone()),
        "WARMUP_LISTEN" => Some("127.0.0.1:0".into()),
        "WARMUP_SECRET_KEY" => Some(key.clone()),
        _ => None,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let refused = warmup::startup::Application::build_with(&settings, false).await;
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("warmup migrate"), "{message}");
    let served = warmup::startup::Application::build_with(&settings, true).await;
    assert!(served.is_ok());
    assert!(
        warmup::startup::Application::build_with(&settings, false)
            .await
            .is_ok()
    );
}
