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
