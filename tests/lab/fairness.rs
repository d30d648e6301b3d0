//! One organization's servers that never answer must not hold up another's warmup: twenty
//! mailboxes of one organization point at a server that accepts connections and says nothing
//! (SMTP and IMAP alike), while another organization warms up one mailbox on the lab. The other
//! organization's sends go out on time and the API keeps answering.

use std::time::{Duration, Instant};

use serde_json::json;
use warmup_entity::store::OrgId;
use warmup_entity::store::send_reads;

use crate::helpers::{Backend, TestApp};
use crate::support::Lab;
use crate::warmup::{add_mailbox, add_seed, evening_zone, lab_app, start_warmup, start_worker};

/// A listener that accepts every connection and never writes a byte; returns its port.
async fn silent_server() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    port
}

/// Twenty warming mailboxes of a new organization whose servers never answer, with a seed of
/// the lab to send to.
async fn silent_tenant(app: &TestApp, lab: &Lab, port: u16) {
    let key = app.new_org("Silent").await;
    add_seed(
        app,
        lab,
        &key,
        &lab.unique("quiet", "corp.test"),
        "google_workspace",
    )
    .await;
    for i in 0..20 {
        let server =
            json!({"host": "127.0.0.1", "port": port, "security": "none", "password": "x"});
        let m = app
            .create_mailbox(
                &key,
                &json!({
                    "email": format!("silent{i}@silent.test"), "provider": "smtp",
                    "display_name": "Sam", "timezone": evening_zone(),
                    "smtp": server, "imap": server,
                }),
            )
            .await;
        let id = m["id"].as_str().unwrap_or_default().to_string();
        app.patch(
            &format!("/v1/mailboxes/{id}/warmup"),
            &key,
            &json!({"pattern": "b2c", "start_per_day": 10, "daily_variance_percent": 0,
                    "provider_split": {"google_workspace": 100}}),
        )
        .await
        .expect(200);
        start_warmup(app, &key, &id).await;
    }
}

async fn a_silent_tenant_never_delays_another_s_sends(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app(backend).await;
    let port = silent_server().await;
    silent_tenant(&app, &lab, port).await;

    let key = app.new_org("Prompt").await;
    let email = lab.unique("w", "sender.test");
    let mailbox = add_mailbox(&app, &lab, &key, &email, &lab.password()).await;
    for _ in 0..3 {
        add_seed(
            &app,
            &lab,
            &key,
            &lab.unique("seed", "corp.test"),
            "google_workspace",
        )
        .await;
    }
    app.patch(
        &format!("/v1/mailboxes/{mailbox}/warmup"),
        &key,
        &json!({"pattern": "b2c", "start_per_day": 3, "daily_variance_percent": 0,
                "provider_split": {"google_workspace": 100}}),
    )
    .await
    .expect(200);
    start_warmup(&app, &key, &mailbox).await;

    let (stop, worker) = start_worker(&app);
    let mailbox_id: uuid::Uuid = mailbox.parse().unwrap_or_default();
    let org = OrgId(crate::warmup::org_of(&app, mailbox_id).await);
    let deadline = Instant::now() + Duration::from_secs(150);
    let mut slowest_api = Duration::ZERO;
    let rows = loop {
        let asked = Instant::now();
        app.get(&format!("/v1/mailboxes/{mailbox}/warmup"), &key)
            .await
            .expect(200);
        slowest_api = slowest_api.max(asked.elapsed());
        let rows: Vec<_> = send_reads::of_mailbox(&app.db, org, mailbox_id)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.thread_depth == 0)
            .collect();
        if rows.len() == 3 && rows.iter().all(|s| s.state == "sent") {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "the prompt tenant's sends did not go out: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let _ = stop.send(());
    let _ = worker.await;

    // On time: each first attempt within 20 real seconds of its planned time (the clock runs
    // 600 times faster; a queue behind the silent tenant's 200 sends would take minutes).
    let allowed = chrono::Duration::seconds(20 * 600);
    for s in &rows {
        let attempts = send_reads::attempts_of(&app.db, s.id)
            .await
            .unwrap_or_default();
        let first = attempts
            .first()
            .unwrap_or_else(|| panic!("no attempt: {s:?}"));
        let late = first.attempted_at - s.scheduled_at;
        assert!(
            late <= allowed,
            "sent {} min after its planned time: {s:?}",
            late.num_minutes()
        );
    }
    assert!(
        slowest_api < Duration::from_secs(3),
        "the API took {slowest_api:?} to answer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_tenant_never_delays_another_s_sends_sqlite() {
    a_silent_tenant_never_delays_another_s_sends(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_tenant_never_delays_another_s_sends_postgres() {
    a_silent_tenant_never_delays_another_s_sends(Backend::Postgres).await;
}
