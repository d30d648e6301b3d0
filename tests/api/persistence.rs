use serde_json::json;

use crate::helpers::{Backend, TestApp, mailbox_body, seed_body, spawn_app};

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

crate::on_both_databases!(rows_from_before_email_keys_and_list_indexes_migrate);

/// A database written before `m0008` (list indexes, attempts knowing their mailbox) and
/// `m0009` (addresses unique without regard to case), with addresses that differ only in case,
/// migrates, keeps every row, and then serves them.
async fn rows_from_before_email_keys_and_list_indexes_migrate(app: &TestApp) {
    use sea_orm::sea_query::Query;
    use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Statement};
    use uuid::Uuid;
    use warmup_entity::{mailbox, seed, send, send_attempt};
    use warmup_migration::{Migrator, MigratorTrait};

    let key = app.new_org("Acme").await;
    let first = app
        .create_mailbox(&key, &mailbox_body("Dup@acme.example", "pw"))
        .await;
    let first_id: Uuid = first["id"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_default();
    let seed = app
        .post("/v1/seeds", &key, &seed_body("Seed@seeds.example", "pw"))
        .await
        .expect(201)
        .json;
    let seed_id: Uuid = seed["id"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_default();

    let db = &app.db;
    // Read while the schema is new: the entity knows columns the old schema lacks.
    let mut m = mailbox::Entity::find_by_id(first_id)
        .one(db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("the mailbox is gone"));
    // Back to before m0008: every migration from it on is undone, later ones too.
    let since_m0008 = u32::try_from(Migrator::migrations().len() - 7).unwrap_or(2);
    Migrator::down(db, Some(since_m0008))
        .await
        .unwrap_or_else(|e| panic!("down: {e}"));
    // What the old unique indexes allowed: the same address in another case.
    m.id = Uuid::now_v7();
    m.email = "dup@acme.example".into();
    let variant = m.clone();
    let mut row = m.into_active_model().reset_all();
    // Columns of later migrations (m0011: verification) do not exist yet.
    row.verification = sea_orm::ActiveValue::NotSet;
    row.verification_reason = sea_orm::ActiveValue::NotSet;
    row.verification_code = sea_orm::ActiveValue::NotSet;
    row.verification_requested_at = sea_orm::ActiveValue::NotSet;
    row.verification_sent_at = sea_orm::ActiveValue::NotSet;
    row.verified_at = sea_orm::ActiveValue::NotSet;
    mailbox::Entity::insert(row)
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| panic!("old schema: {e}"));
    let mut s = seed::Entity::find_by_id(seed_id)
        .one(db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("the seed is gone"));
    s.id = Uuid::now_v7();
    s.email = "seed@seeds.example".into();
    s.into_active_model()
        .reset_all()
        .insert(db)
        .await
        .unwrap_or_else(|e| panic!("old schema: {e}"));
    // A send of the first mailbox with one attempt, which knew only its send.
    let now = warmup_entity::Clock::system().now();
    let sent = send::Model::planned(
        send::Draft {
            organization_id: variant.organization_id,
            mailbox_id: first_id,
            seed_id: None,
            seed_email: "seed@seeds.example".into(),
            provider: "smtp".into(),
            plan_date: now.date_naive().to_string(),
            message_id: format!("{}@acme.example", Uuid::new_v4().simple()),
            language: "en".into(),
            subject: "Hello".into(),
            body: "Hello there.".into(),
        },
        now,
        now,
    );
    // Columns of later migrations (m0016: the queue's cancellation) do not exist yet.
    let old_send = |s: &send::Model| {
        let mut row = s.clone().into_active_model().reset_all();
        row.cancelled_at = sea_orm::ActiveValue::NotSet;
        row.cancel_reason = sea_orm::ActiveValue::NotSet;
        row
    };
    send::Entity::insert(old_send(&sent))
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| panic!("send: {e}"));
    // A continuation planned by the old code (it quoted the sender's inbox copy of a reply).
    let mut continuation = sent.clone();
    continuation.id = Uuid::now_v7();
    continuation.message_id = format!("{}@acme.example", Uuid::new_v4().simple());
    continuation.thread_depth = 1;
    send::Entity::insert(old_send(&continuation))
        .exec_without_returning(db)
        .await
        .unwrap_or_else(|e| panic!("continuation: {e}"));
    let attempt_id = Uuid::now_v7();
    use send_attempt::Column as A;
    let insert = Query::insert()
        .into_table(send_attempt::Entity)
        .columns([
            A::Id,
            A::SendId,
            A::Attempt,
            A::AttemptedAt,
            A::Text,
            A::Category,
            A::Outcome,
            A::DurationMs,
        ])
        .values([
            attempt_id.into(),
            sent.id.into(),
            1.into(),
            now.into(),
            "250 2.0.0 Ok".into(),
            "accepted".into(),
            "sent".into(),
            120i64.into(),
        ])
        .unwrap_or_else(|e| panic!("{e}"))
        .to_owned();
    db.execute(&insert)
        .await
        .unwrap_or_else(|e| panic!("attempt: {e}"));

    Migrator::up(db, None)
        .await
        .unwrap_or_else(|e| panic!("up: {e}"));

    // m0012: the old continuation is cancelled, the planned first message is not.
    for (id, want) in [(continuation.id, "cancelled"), (sent.id, "planned")] {
        let row = send::Entity::find_by_id(id)
            .one(db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("send {id} is gone"));
        assert_eq!(row.state, want, "{row:?}");
    }

    // The oldest keeps the plain key; the later variant's key is set apart.
    for (table, want) in [
        (
            "mailboxes",
            [
                ("Dup@acme.example", "dup@acme.example"),
                ("dup@acme.example", "dup@acme.example#dup@acme.example"),
            ],
        ),
        (
            "seeds",
            [
                ("Seed@seeds.example", "seed@seeds.example"),
                (
                    "seed@seeds.example",
                    "seed@seeds.example#seed@seeds.example",
                ),
            ],
        ),
    ] {
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT email, email_key FROM {table} ORDER BY id"),
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(String, String)> = rows
            .iter()
            .map(|r| {
                (
                    r.try_get("", "email").unwrap_or_default(),
                    r.try_get("", "email_key").unwrap_or_default(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want, "{table}");
    }

    // Both mailboxes are served as they were written, and the variant stays editable.
    let variant_path = format!("/v1/mailboxes/{}", variant.id);
    let got = app.get(&variant_path, &key).await.expect(200);
    assert_eq!(got.json["email"], "dup@acme.example");
    app.patch(&variant_path, &key, &json!({"display_name": "Legacy"}))
        .await
        .expect(200);
    // No new address and no renamed one can take the key any more.
    app.post(
        "/v1/mailboxes",
        &key,
        &mailbox_body("DUP@acme.example", "pw"),
    )
    .await
    .expect_problem(409, "conflict");
    app.patch(&variant_path, &key, &json!({"email": "DUP@ACME.EXAMPLE"}))
        .await
        .expect_problem(409, "conflict");

    // The attempt now knows its mailbox and is among the mailbox's events.
    let events = app
        .get(&format!("/v1/mailboxes/{first_id}/warmup/events"), &key)
        .await
        .expect(200);
    assert_eq!(events.json["items"][0]["id"], attempt_id.to_string());
    let attempt = send_attempt::Entity::find_by_id(attempt_id)
        .one(db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("the attempt is gone"));
    assert_eq!(
        (attempt.organization_id, attempt.mailbox_id),
        (variant.organization_id, first_id)
    );
}

/// How Postgres plans a pool's statements: `SHOW plan_cache_mode` on one of its connections.
async fn plan_cache_mode(db: &sea_orm::DatabaseConnection) -> String {
    use sea_orm::ConnectionTrait;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SHOW plan_cache_mode",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("SHOW returned no row"));
    row.try_get_by_index::<String>(0)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_the_api_plans_each_statement_and_the_worker_may_keep_plans() {
    use warmup::database::{Role, Share, connect};
    let app = spawn_app(Backend::Postgres).await;
    // The API's pool plans every statement for its values; the worker's (its own process,
    // or a pool of its own beside the API in `serve`) leaves that to Postgres.
    assert_eq!(plan_cache_mode(&app.db).await, "force_custom_plan");
    let api = connect(&app.settings, Role::Api, Share::Whole)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan_cache_mode(&api).await, "force_custom_plan");
    let worker = connect(&app.settings, Role::Worker, Share::Whole)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan_cache_mode(&worker).await, "auto");
    let mut settings = app.settings.clone();
    settings.listen = "127.0.0.1:0".into();
    let serve = warmup::startup::Application::build_with(&settings, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan_cache_mode(serve.db()).await, "force_custom_plan");
    let beside = serve.worker_db().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan_cache_mode(&beside).await, "auto");
}

/// The most connections a Postgres pool opens.
fn pool_cap(db: &sea_orm::DatabaseConnection) -> u32 {
    db.get_postgres_connection_pool()
        .options()
        .get_max_connections()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_process_holds_at_most_its_connection_budget_and_serve_splits_it() {
    use warmup::database::{Role, Share, connect};
    let app = spawn_app(Backend::Postgres).await;
    let mut settings = app.settings.clone();
    settings.listen = "127.0.0.1:0".into();
    settings.database_max_connections = 7;
    // `serve`: its API holds three, its worker the other four.
    let serve = warmup::startup::Application::build_with(&settings, true)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pool_cap(serve.db()), 3);
    let beside = serve.worker_db().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pool_cap(&beside), 4);
    // `api` and `worker` processes: all seven.
    let api = warmup::startup::Application::build_with(&settings, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pool_cap(api.db()), 7);
    let worker = connect(&settings, Role::Worker, Share::Whole)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pool_cap(&worker), 7);
    // Unset, a process holds 20.
    let default = connect(&app.settings, Role::Worker, Share::Whole)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pool_cap(&default), 20);
}
