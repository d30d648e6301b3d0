//! The background worker: housekeeping forgets expired idempotency keys and keeps fresh ones.

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::json;
use warmup_entity::{api_key, idempotency_key};

use crate::helpers::{ADMIN_KEY, TestApp};
use crate::on_both_databases;

on_both_databases!(housekeeping_forgets_expired_idempotency_keys_only);

async fn housekeeping_forgets_expired_idempotency_keys_only(app: &TestApp) {
    // A fresh key, written through the API.
    let fresh = app
        .client
        .post(format!("{}/v1/api-keys", app.address))
        .bearer_auth(ADMIN_KEY)
        .header("Idempotency-Key", "fresh")
        .json(&json!({"name": "n"}))
        .send()
        .await
        .map(|r| r.status().as_u16());
    assert_eq!(fresh.ok(), Some(201));
    // An expired one, backdated in the database.
    let key = api_key::Entity::find()
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no API key"));
    idempotency_key::ActiveModel {
        api_key_id: Set(key.id),
        idempotency_key: Set("expired".into()),
        request_fingerprint: Set("POST /v1/api-keys x".into()),
        status_code: Set(Some(201)),
        response_body: Set(Some("{}".into())),
        created_at: Set(Utc::now() - chrono::Duration::hours(25)),
    }
    .insert(&app.db)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        idempotency_key::Entity::find().count(&app.db).await.ok(),
        Some(2)
    );

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let options = warmup_worker::WorkerOptions {
        housekeeping_schedule: "* * * * * *".into(),
        ..warmup_worker::WorkerOptions::default()
    };
    let worker = tokio::spawn(warmup_worker::run_until(
        app.db.clone(),
        options,
        async move {
            let _ = stopped.await;
        },
    ));
    let mut left = 2;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        left = idempotency_key::Entity::find()
            .count(&app.db)
            .await
            .unwrap_or(0);
        if left == 1 {
            break;
        }
    }
    let _ = stop.send(());
    let finished = tokio::time::timeout(Duration::from_secs(35), worker).await;
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "worker did not stop cleanly: {finished:?}"
    );
    assert_eq!(left, 1);
    let remaining = idempotency_key::Entity::find()
        .all(&app.db)
        .await
        .unwrap_or_default();
    assert_eq!(remaining[0].idempotency_key, "fresh");
}

on_both_databases!(a_due_send_goes_through_one_job_and_a_second_job_does_nothing);

/// A due send is queued as a job in the service's own database and sent by it: the attempt is
/// recorded once. A second job for the same send (a duplicate delivery) claims nothing. While
/// the warmup is paused, the send waits.
async fn a_due_send_goes_through_one_job_and_a_second_job_does_nothing(app: &TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    use warmup_entity::send;
    use warmup_worker::send_queue::{QUEUE, SendQueue};

    // An SMTP server that refuses connections: the attempt is a transient failure, recorded.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut body = crate::helpers::mailbox_body("jobs@example.net", "pw-123456");
    body["smtp"] =
        json!({"host": "127.0.0.1", "port": closed, "security": "none", "password": "pw-123456"});
    let mailbox = app.create_mailbox(ADMIN_KEY, &body).await;
    let warmup_path = format!(
        "/v1/mailboxes/{}/warmup",
        mailbox["id"].as_str().unwrap_or_default()
    );
    let mailbox_id: uuid::Uuid = mailbox["id"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_default();
    let org = warmup_entity::mailbox::Entity::find_by_id(mailbox_id)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .map(|m| m.organization_id)
        .unwrap_or_else(|| panic!("mailbox {mailbox_id}"));
    let s = planned_send(org, mailbox_id);
    let secrets = warmup_entity::secret_box::SecretBox::from_base64(
        app.settings.secret_key.as_deref().unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tls = warmup_worker::TlsTrust::load(None).unwrap_or_else(|e| panic!("{e}"));
    // Rounds every half second (30 simulated seconds at 60×).
    let clock = warmup_worker::clock::Clock::scaled(60.0);
    let options = warmup::startup::worker_options(&app.settings, secrets, tls, clock)
        .unwrap_or_else(|e| panic!("{e}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(warmup_worker::run_until(
        app.db.clone(),
        options,
        async move {
            let _ = stopped.await;
        },
    ));
    // The send becomes due while the worker idles, and while the warmup is paused: it waits.
    tokio::time::sleep(Duration::from_secs(2)).await;
    app.post(&format!("{warmup_path}/pause"), ADMIN_KEY, &json!({}))
        .await
        .expect(200);
    sea_orm::IntoActiveModel::into_active_model(s.clone())
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    tokio::time::sleep(Duration::from_secs(3)).await;
    let held = send::Entity::find_by_id(s.id)
        .one(&app.db)
        .await
        .ok()
        .flatten();
    assert_eq!(
        held.map(|h| h.state),
        Some("planned".to_string()),
        "a paused warmup sends nothing"
    );
    // Started again: its job is picked up promptly.
    app.post(&format!("{warmup_path}/start"), ADMIN_KEY, &json!({}))
        .await
        .expect(200);
    let attempts = || async {
        warmup_entity::store::sends::attempts_of(&app.db, s.id)
            .await
            .unwrap_or_default()
    };
    let mut first = Vec::new();
    for _ in 0..100 {
        first = attempts().await;
        if !first.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let row = send::Entity::find_by_id(s.id)
        .one(&app.db)
        .await
        .ok()
        .flatten();
    assert_eq!(
        first.len(),
        1,
        "one attempt through the job: {first:?} {row:?}"
    );
    assert_eq!(first[0].outcome, "deferred", "{first:?}");

    // A duplicate job for the same send.
    SendQueue::new(&app.db)
        .push(&[s.id])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let backend = app.db.get_database_backend();
    let table = match backend {
        sea_orm::DbBackend::Postgres => "apalis.jobs",
        _ => "Jobs",
    };
    let done_jobs = || async {
        let sql =
            format!("SELECT COUNT(*) FROM {table} WHERE job_type = '{QUEUE}' AND status = 'Done'");
        app.db
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .ok()
            .flatten()
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or(0)
    };
    let mut done = 0;
    for _ in 0..100 {
        done = done_jobs().await;
        if done >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(35), worker).await;
    assert_eq!(done, 2, "both jobs ran");
    assert_eq!(attempts().await.len(), 1, "the duplicate job sent nothing");
}

/// A warmup send due now, not stored.
fn planned_send(org: uuid::Uuid, mailbox_id: uuid::Uuid) -> warmup_entity::send::Model {
    let now = warmup_entity::store::now();
    warmup_entity::send::Model {
        id: uuid::Uuid::now_v7(),
        organization_id: org,
        mailbox_id,
        seed_id: None,
        seed_email: "seed@example.org".into(),
        provider: "smtp".into(),
        plan_date: now.date_naive().to_string(),
        scheduled_at: now,
        state: "planned".into(),
        message_id: format!("{}@example.net", uuid::Uuid::new_v4().simple()),
        language: "en".into(),
        subject: "Hello".into(),
        body: "Hello there.".into(),
        attempts: 0,
        next_attempt_at: now,
        lease_owner: None,
        lease_until: None,
        last_code: None,
        last_enhanced: None,
        last_text: None,
        last_category: None,
        sent_at: None,
        thread_depth: 0,
        in_reply_to: None,
        reference_ids: None,
        created_at: now,
        updated_at: now,
    }
}

on_both_databases!(a_bounce_read_by_two_workers_at_once_is_recorded_once);

/// Two worker processes read the same DSN at the same moment: one records it, the other sees
/// it recorded.
async fn a_bounce_read_by_two_workers_at_once_is_recorded_once(app: &TestApp) {
    use warmup_entity::store::sends::{self, Report};
    let mailbox = app
        .create_mailbox(
            ADMIN_KEY,
            &crate::helpers::mailbox_body("bounce@example.net", "pw-123456"),
        )
        .await;
    let mailbox_id: uuid::Uuid = mailbox["id"]
        .as_str()
        .and_then(|m| m.parse().ok())
        .unwrap_or_default();
    let org = warmup_entity::mailbox::Entity::find_by_id(mailbox_id)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .map(|m| m.organization_id)
        .unwrap_or_else(|| panic!("mailbox {mailbox_id}"));
    let mut s = planned_send(org, mailbox_id);
    s.state = "sent".into();
    sea_orm::IntoActiveModel::into_active_model(s.clone())
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let report = || Report {
        action: "failed".into(),
        status: Some("5.1.1".into()),
        diagnostic: Some("550 5.1.1 User unknown".into()),
    };
    let now = warmup_entity::store::now();
    let (a, b) = tokio::join!(
        sends::record_report(&app.db, &s, report(), now),
        sends::record_report(&app.db, &s, report(), now),
    );
    // SQLite may refuse the loser's write outright (busy snapshot) instead of letting it see
    // the winner's row: either way it records nothing.
    let won = [&a, &b].iter().filter(|r| matches!(r, Ok(true))).count();
    assert_eq!(won, 1, "{a:?} {b:?}");
    let bounced = sends::attempts_of(&app.db, s.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|x| x.outcome == "bounced")
        .count();
    assert_eq!(bounced, 1);
}
