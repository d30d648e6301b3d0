//! Warmup sending end to end: the API starts a warmup, the worker plans the day on a fast
//! clock and sends through the lab's submission server, and the lab shows each message once,
//! at the seed the plan chose.

use std::time::Duration;

use serde_json::{Value, json};
use warmup_entity::store::OrgId;
use warmup_entity::store::send_reads;

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::support::{Lab, lab_dns, var};

pub(crate) use crate::helpers::evening_zone;
pub(crate) use crate::support::{add_mailbox, lab_account, start_warmup};

/// A private seed of the organization.
pub(crate) async fn add_seed(app: &TestApp, lab: &Lab, key: &str, email: &str, provider: &str) {
    app.post(
        "/v1/seeds",
        key,
        &lab_account(lab, email, provider, &lab.password()),
    )
    .await
    .expect(201);
}

/// A mailbox warming up one message a day to one new seed at corp.test (`seed_prefix-…`),
/// not started yet; returns the mailbox id, its address and the seed's address.
async fn one_seed_warmup(
    app: &TestApp,
    lab: &Lab,
    key: &str,
    seed_prefix: &str,
) -> (String, String, String) {
    let email = lab.unique("w", "sender.test");
    let mailbox = add_mailbox(app, lab, key, &email, &lab.password()).await;
    let seed = lab.unique(seed_prefix, "corp.test");
    add_seed(app, lab, key, &seed, "google_workspace").await;
    app.patch(
        &format!("/v1/mailboxes/{mailbox}/warmup"),
        key,
        &json!({"pattern": "b2c", "start_per_day": 1, "daily_variance_percent": 0,
                "provider_split": {"google_workspace": 100}}),
    )
    .await
    .expect(200);
    (mailbox, email, seed)
}

pub(crate) async fn lab_app(backend: Backend) -> TestApp {
    lab_app_at(backend, 600.0).await
}

/// An app on a clock `speedup` times faster than real time, checking mail authentication
/// against the lab's DNS and giving up on mail that has not arrived after 25 real seconds.
pub(crate) async fn lab_app_at(backend: Backend, speedup: f64) -> TestApp {
    let dns = lab_dns();
    spawn_app_with(backend, move |s| {
        s.clock_speedup = speedup;
        s.dns_servers = vec![dns];
        s.missing_after_secs = 25;
    })
    .await
}

/// Starts the worker of `app`; returns the handle that stops it.
pub(crate) fn start_worker(
    app: &TestApp,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let secrets = warmup_entity::secret_box::SecretBox::from_base64(
        app.settings.secret_key.as_deref().unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tls = warmup_mail::TlsTrust::load(app.settings.extra_ca_file.as_deref())
        .unwrap_or_else(|e| panic!("{e}"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let db = app.db.clone();
    let settings = app.settings.clone();
    let handle = tokio::spawn(async move {
        // The database's clock, as a worker process of its own would read it.
        let clock = warmup_entity::Clock::anchored(&db, settings.clock_speedup)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let options = warmup::startup::worker_options(&settings, secrets, tls, clock)
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = warmup_worker::run_until(db, options, async move {
            let _ = stopped.await;
        })
        .await;
    });
    (stop, handle)
}

async fn setup(app: &TestApp, lab: &Lab, password: &str) -> (String, String, Vec<String>) {
    let key = app.new_org("Lab").await;
    let email = lab.unique("w", "sender.test");
    let id = add_mailbox(app, lab, &key, &email, password).await;
    let mut seeds = Vec::new();
    for provider in ["gmail", "gmail", "outlook", "outlook"] {
        let seed = lab.unique("seed", &format!("{provider}.test"));
        add_seed(app, lab, &key, &seed, provider).await;
        seeds.push(seed);
    }
    app.patch(
        &format!("/v1/mailboxes/{id}/warmup"),
        &key,
        &json!({"pattern": "b2c", "start_per_day": 3, "daily_increase": 1, "daily_variance_percent": 0,
                "provider_split": {"gmail": 50, "outlook": 50}, "languages": ["en", "de"]}),
    )
    .await
    .expect(200);
    start_warmup(app, &key, &id).await;
    (key, id, seeds)
}

/// Waits until the mailbox has sends and none of them is still waiting to be sent.
async fn settled(app: &TestApp, mailbox: &str) -> Vec<warmup_entity::send::Model> {
    let mailbox_id: uuid::Uuid = mailbox.parse().unwrap_or_default();
    let org = OrgId(org_of(app, mailbox_id).await);
    for _ in 0..240 {
        // The planned warmup only: answers that carry a thread on come later, on their own.
        let rows: Vec<_> = send_reads::of_mailbox(&app.db, org, mailbox_id)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.thread_depth == 0)
            .collect();
        if !rows.is_empty()
            && rows.iter().all(|s| {
                !matches!(
                    s.state.as_str(),
                    "planned" | "queued" | "sending" | "deferred"
                )
            })
        {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!(
        "sends did not settle in 120 s: {:?}",
        send_reads::of_mailbox(&app.db, org, mailbox_id).await
    );
}

pub(crate) async fn org_of(app: &TestApp, mailbox: uuid::Uuid) -> uuid::Uuid {
    use sea_orm::EntityTrait;
    warmup_entity::mailbox::Entity::find_by_id(mailbox)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .map(|m| m.organization_id)
        .unwrap_or_default()
}

async fn a_running_warmup_sends_the_day_s_plan_once_to_the_split_s_seeds(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app(backend).await;
    let (key, mailbox, seeds) = setup(&app, &lab, &lab.password()).await;
    let (stop, worker) = start_worker(&app);
    let rows = settled(&app, &mailbox).await;
    let _ = stop.send(());
    let _ = worker.await;

    assert_eq!(rows.len(), 3, "day 0 of a ramp starting at 3: {rows:?}");
    let gmail = rows.iter().filter(|s| s.provider == "gmail").count();
    assert_eq!(
        gmail, 2,
        "3 at 50/50: the tie goes to gmail, the remainder is carried"
    );
    let mut targets: Vec<&str> = rows.iter().map(|s| s.seed_email.as_str()).collect();
    targets.sort_unstable();
    targets.dedup();
    assert_eq!(targets.len(), 3, "no seed twice a day");
    for s in &rows {
        assert_eq!(s.state, "sent", "{s:?}");
        assert!(seeds.contains(&s.seed_email));
        let attempts = send_reads::attempts_of(&app.db, s.id)
            .await
            .unwrap_or_default();
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].code, Some(250));
        // The lab's own view: exactly one copy, at the planned seed.
        let copy = lab.wait_for(&s.message_id, Duration::from_secs(30)).await;
        assert_eq!(copy.user, s.seed_email);
        assert_eq!(
            lab.where_is(&s.message_id).len(),
            1,
            "duplicated: {}",
            s.message_id
        );
    }
    let w = app
        .get(&format!("/v1/mailboxes/{mailbox}/warmup"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(w["sending_day"], 1, "one sending day planned: {w}");
}

async fn a_refused_login_stops_the_mailbox_with_the_reason(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app(backend).await;
    let (key, mailbox, _) = setup(&app, &lab, "not-the-password").await;
    let (stop, worker) = start_worker(&app);
    let rows = settled(&app, &mailbox).await;
    let _ = stop.send(());
    let _ = worker.await;

    let failed: Vec<_> = rows.iter().filter(|s| s.state == "failed").collect();
    assert_eq!(
        failed.len(),
        1,
        "the first refusal stops the rest: {rows:?}"
    );
    assert_eq!(failed[0].last_code, Some(535));
    assert!(
        rows.iter()
            .filter(|s| s.state != "failed")
            .all(|s| s.state == "cancelled")
    );
    let m: Value = app
        .get(&format!("/v1/mailboxes/{mailbox}"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(m["status"], "error");
    assert!(
        m["status_reason"]
            .as_str()
            .is_some_and(|r| r.contains("535")),
        "{m}"
    );
    let w = app
        .get(&format!("/v1/mailboxes/{mailbox}/warmup"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(w["status"], "paused");
    // Told once, with the reason.
    let told: Vec<Value> = app
        .events_of("mailbox.stopped")
        .await
        .into_iter()
        .filter(|d| d["mailbox_id"] == mailbox.as_str())
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("535")),
        "{told:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warmup_sends_once_per_plan_sqlite() {
    a_running_warmup_sends_the_day_s_plan_once_to_the_split_s_seeds(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warmup_sends_once_per_plan_postgres() {
    a_running_warmup_sends_the_day_s_plan_once_to_the_split_s_seeds(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_login_stops_the_mailbox_sqlite() {
    a_refused_login_stops_the_mailbox_with_the_reason(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_login_stops_the_mailbox_postgres() {
    a_refused_login_stops_the_mailbox_with_the_reason(Backend::Postgres).await;
}

/// A send row as a worker leaves it when it dies mid-conversation: `sending`, lease run out.
async fn interrupted_send(
    app: &TestApp,
    mailbox: uuid::Uuid,
    seed: &warmup_entity::seed::Model,
    message_id: &str,
) -> uuid::Uuid {
    use sea_orm::ActiveModelTrait;
    let now = chrono::Utc::now();
    let id = uuid::Uuid::now_v7();
    let draft = warmup_entity::send::Draft {
        organization_id: org_of(app, mailbox).await,
        mailbox_id: mailbox,
        seed_id: Some(seed.id),
        seed_email: seed.email.clone(),
        provider: seed.provider.clone(),
        plan_date: now.format("%Y-%m-%d").to_string(),
        message_id: message_id.to_string(),
        language: "en".into(),
        subject: "Coffee on Friday?".into(),
        body: "Hi,\nare you free for a coffee on Friday?\nBest,\nWendy".into(),
    };
    let row = warmup_entity::send::Model {
        id,
        state: "sending".into(),
        attempts: 1,
        lease_owner: Some("worker-that-died".into()),
        lease_until: Some(now - chrono::Duration::hours(1)),
        ..warmup_entity::send::Model::planned(draft, now - chrono::Duration::hours(2), now)
    };
    sea_orm::IntoActiveModel::into_active_model(row)
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    id
}

async fn interrupted_sends_are_checked_at_the_seed_and_never_duplicated(backend: Backend) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let lab = Lab::get();
    let app = lab_app(backend).await;
    let key = app.new_org("Lab").await;
    let email = lab.unique("w", "sender.test");
    let mailbox: uuid::Uuid = add_mailbox(&app, &lab, &key, &email, &lab.password())
        .await
        .parse()
        .unwrap_or_default();
    let mut seeds = Vec::new();
    for _ in 0..2 {
        let seed = lab.unique("seed", "corp.test");
        add_seed(&app, &lab, &key, &seed, "google_workspace").await;
        let row = warmup_entity::seed::Entity::find()
            .filter(warmup_entity::seed::Column::Email.eq(seed.as_str()))
            .one(&app.db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("seed row"));
        seeds.push(row);
    }
    // Delivered just before the worker died: the seed has it already.
    let (delivered_id, msg) = lab.message(&email, &seeds[0].email, "Coffee on Friday?", &[]);
    lab.submit(&email, &[&seeds[0].email], &msg)
        .await
        .unwrap_or_else(|r| panic!("{r:?}"));
    lab.wait_for(&delivered_id, Duration::from_secs(30)).await;
    let delivered = interrupted_send(&app, mailbox, &seeds[0], &delivered_id).await;
    // Never got out: the seed has nothing.
    let lost_id = format!("{}@sender.test", uuid::Uuid::new_v4().simple());
    let lost = interrupted_send(&app, mailbox, &seeds[1], &lost_id).await;
    // A live worker's engagement session holds the first seed throughout (a year of the fast
    // clock): the lookup does not wait for it (a seed with work is in session most of the time).
    let now = chrono::Utc::now();
    let held = warmup_entity::store::leases::take(
        &app.db,
        &warmup_entity::store::leases::seed(seeds[0].id),
        "worker-engaging",
        now,
        now + chrono::Duration::days(365),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(held);

    let (stop, worker) = start_worker(&app);
    let rows = settled(&app, &mailbox.to_string()).await;
    let _ = stop.send(());
    let _ = worker.await;

    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|s| s.state == "sent"), "{rows:?}");
    let first = send_reads::attempts_of(&app.db, delivered)
        .await
        .unwrap_or_default();
    assert_eq!(first.len(), 1, "found at the seed: not sent again");
    assert!(first[0].text.contains("found at the seed"), "{first:?}");
    let second = send_reads::attempts_of(&app.db, lost)
        .await
        .unwrap_or_default();
    assert_eq!(second.len(), 2, "{second:?}");
    assert_eq!(second[0].outcome, "deferred");
    assert_eq!(second[1].code, Some(250));
    lab.wait_for(&lost_id, Duration::from_secs(30)).await;
    assert_eq!(
        lab.where_is(&delivered_id).len(),
        1,
        "the delivered message was duplicated"
    );
    assert_eq!(lab.where_is(&lost_id).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_sends_recover_without_duplicates_sqlite() {
    interrupted_sends_are_checked_at_the_seed_and_never_duplicated(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_sends_recover_without_duplicates_postgres() {
    interrupted_sends_are_checked_at_the_seed_and_never_duplicated(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_workers_on_one_postgres_send_each_message_once() {
    let lab = Lab::get();
    let app = lab_app(Backend::Postgres).await;
    let (_key, mailbox, _) = setup(&app, &lab, &lab.password()).await;
    let workers: Vec<_> = (0..3).map(|_| start_worker(&app)).collect();
    let rows = settled(&app, &mailbox).await;
    for (stop, handle) in workers {
        let _ = stop.send(());
        let _ = handle.await;
    }
    assert_eq!(
        rows.len(),
        3,
        "the day is planned once, not once per worker: {rows:?}"
    );
    for s in &rows {
        assert_eq!(s.state, "sent");
        assert_eq!(
            send_reads::attempts_of(&app.db, s.id)
                .await
                .unwrap_or_default()
                .len(),
            1
        );
        lab.wait_for(&s.message_id, Duration::from_secs(30)).await;
        assert_eq!(
            lab.where_is(&s.message_id).len(),
            1,
            "sent twice: {}",
            s.message_id
        );
    }
}

async fn a_real_bounce_is_recorded_against_its_send_and_filed_away(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app(backend).await;
    let key = app.new_org("Lab").await;
    // A seed whose address does not exist: the relay accepts, the MX answers 550 5.1.1, and
    // Postfix returns a real bounce to the sender.
    let (mailbox, email, _gone) = one_seed_warmup(&app, &lab, &key, "nouser").await;
    start_warmup(&app, &key, &mailbox).await;

    let (stop, worker) = start_worker(&app);
    let mut bounced = None;
    for _ in 0..120 {
        let rows = send_reads::of_mailbox(
            &app.db,
            OrgId(org_of(&app, mailbox.parse().unwrap_or_default()).await),
            mailbox.parse().unwrap_or_default(),
        )
        .await
        .unwrap_or_default();
        if let Some(b) = rows.into_iter().find(|s| s.state == "bounced") {
            bounced = Some(b);
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let _ = stop.send(());
    let _ = worker.await;
    let b = bounced.unwrap_or_else(|| panic!("no bounce recorded in 60 s\n{}", lab.log_tail()));
    assert_eq!(b.last_enhanced.as_deref(), Some("5.1.1"));
    assert!(
        b.last_text
            .as_deref()
            .unwrap_or_default()
            .contains("User unknown"),
        "{b:?}"
    );
    let stats = app
        .get(&format!("/v1/mailboxes/{mailbox}/warmup/stats"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(stats["days"][0]["bounced"], 1, "{stats}");
    let events = app
        .get(
            &format!("/v1/mailboxes/{mailbox}/warmup/events?outcome=bounced"),
            &key,
        )
        .await
        .expect(200)
        .json;
    assert_eq!(events["items"][0]["enhanced_status"], "5.1.1", "{events}");
    // Filed out of the inbox into the warmup folder.
    let inbox = lab.read_folder(&email, "INBOX").await;
    assert!(
        inbox.iter().all(|msg| !msg.contains(&b.message_id)),
        "the bounce is still in INBOX"
    );
    let filed = lab.read_folder(&email, "Warmup").await;
    assert!(
        filed
            .iter()
            .any(|msg| msg.contains(&b.message_id) && msg.contains("5.1.1"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bounces_are_recorded_and_filed_sqlite() {
    a_real_bounce_is_recorded_against_its_send_and_filed_away(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bounces_are_recorded_and_filed_postgres() {
    a_real_bounce_is_recorded_against_its_send_and_filed_away(Backend::Postgres).await;
}

/// A mailbox warming up to one seed at corp.test whose submission server answers `fault`
/// for that seed; returns the app, the key, the mailbox id and the seed.
pub(crate) async fn one_send(
    backend: Backend,
    fault: &str,
) -> (Lab, TestApp, String, String, String) {
    let lab = Lab::get();
    let app = lab_app(backend).await;
    let key = app.new_org("Lab").await;
    let (mailbox, _email, seed) = one_seed_warmup(&app, &lab, &key, "seed").await;
    lab.fault(&["submission", "set", &seed, fault]);
    start_warmup(&app, &key, &mailbox).await;
    (lab, app, key, mailbox, seed)
}

pub(crate) async fn the_send(app: &TestApp, mailbox: &str) -> Option<warmup_entity::send::Model> {
    let id: uuid::Uuid = mailbox.parse().unwrap_or_default();
    send_reads::of_mailbox(&app.db, OrgId(org_of(app, id).await), id)
        .await
        .unwrap_or_default()
        .into_iter()
        .next()
}

/// Polls until the mailbox's send satisfies `done`.
pub(crate) async fn until(
    app: &TestApp,
    mailbox: &str,
    what: &str,
    done: impl Fn(&warmup_entity::send::Model) -> bool,
) -> warmup_entity::send::Model {
    // Generous: the whole suite runs two lab tests at a time on two cores.
    for _ in 0..240 {
        if let Some(s) = the_send(app, mailbox).await.filter(|s| done(s)) {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let last = the_send(app, mailbox).await;
    let attempts = match &last {
        Some(s) => send_reads::attempts_of(&app.db, s.id)
            .await
            .unwrap_or_default(),
        None => Vec::new(),
    };
    panic!("{what} did not happen in 60 s: {last:?}\nattempts: {attempts:?}");
}

async fn a_451_4_4_2_is_retried_and_delivered_once_the_fault_clears(backend: Backend) {
    let (lab, app, _key, mailbox, seed) =
        one_send(backend, "451 4.4.2 Bad connection to remote mail server").await;
    let (stop, worker) = start_worker(&app);
    let deferred = until(&app, &mailbox, "a deferral", |s| s.state == "deferred").await;
    assert_eq!(deferred.last_code, Some(451));
    assert_eq!(deferred.last_enhanced.as_deref(), Some("4.4.2"));
    assert_eq!(deferred.last_category.as_deref(), Some("bad_connection"));
    lab.fault(&["submission", "clear", &seed]);
    let sent = until(&app, &mailbox, "delivery", |s| s.state == "sent").await;
    let _ = stop.send(());
    let _ = worker.await;
    let attempts = send_reads::attempts_of(&app.db, sent.id)
        .await
        .unwrap_or_default();
    assert!(attempts.len() >= 2, "{attempts:?}");
    assert!(
        attempts[..attempts.len() - 1]
            .iter()
            .all(|a| a.outcome == "deferred" && a.code == Some(451))
    );
    assert_eq!(attempts.last().and_then(|a| a.code), Some(250));
    lab.wait_for(&sent.message_id, Duration::from_secs(30))
        .await;
    assert_eq!(lab.where_is(&sent.message_id).len(), 1);
}

async fn greylisting_at_the_client_is_retried_until_accepted(backend: Backend) {
    let (lab, app, _key, mailbox, _seed) = one_send(backend, "greylist").await;
    let (stop, worker) = start_worker(&app);
    let sent = until(&app, &mailbox, "delivery", |s| s.state == "sent").await;
    let _ = stop.send(());
    let _ = worker.await;
    let attempts = send_reads::attempts_of(&app.db, sent.id)
        .await
        .unwrap_or_default();
    assert_eq!(attempts[0].code, Some(450), "{attempts:?}");
    assert_eq!(attempts[0].category, "greylisted");
    assert_eq!(attempts.last().and_then(|a| a.code), Some(250));
    lab.wait_for(&sent.message_id, Duration::from_secs(30))
        .await;
    assert_eq!(lab.where_is(&sent.message_id).len(), 1);
}

async fn a_550_5_1_1_fails_without_retry(backend: Backend) {
    let (lab, app, _key, mailbox, seed) = one_send(backend, "550 5.1.1 User unknown").await;
    let (stop, worker) = start_worker(&app);
    let failed = until(&app, &mailbox, "the failure", |s| s.state == "failed").await;
    // Give the worker time to (wrongly) retry.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _ = stop.send(());
    let _ = worker.await;
    lab.fault(&["submission", "clear", &seed]);
    let attempts = send_reads::attempts_of(&app.db, failed.id)
        .await
        .unwrap_or_default();
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert_eq!(attempts[0].enhanced.as_deref(), Some("5.1.1"));
    assert_eq!(attempts[0].category, "unknown_recipient");
    assert!(lab.where_is(&failed.message_id).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retried_451_4_4_2_sqlite() {
    a_451_4_4_2_is_retried_and_delivered_once_the_fault_clears(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retried_451_4_4_2_postgres() {
    a_451_4_4_2_is_retried_and_delivered_once_the_fault_clears(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn greylisting_retried_sqlite() {
    greylisting_at_the_client_is_retried_until_accepted(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn greylisting_retried_postgres() {
    greylisting_at_the_client_is_retried_until_accepted(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permanent_550_not_retried_sqlite() {
    a_550_5_1_1_fails_without_retry(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permanent_550_not_retried_postgres() {
    a_550_5_1_1_fails_without_retry(Backend::Postgres).await;
}

async fn three_senders_over_three_days_survive_a_crash(backend: Backend) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let lab = Lab::get();
    // Four simulated hours per real second; a message not at its seed after 25 real seconds
    // is missing, so a send the crash interrupted before its message left is sent again then.
    let app = spawn_app_with(backend, |s| {
        s.clock_speedup = 14_400.0;
        s.missing_after_secs = 25;
    })
    .await;
    let key = app.new_org("Lab").await;
    for provider in ["gmail", "gmail", "gmail", "outlook", "outlook", "outlook"] {
        let seed = lab.unique("seed", &format!("{provider}.test"));
        add_seed(&app, &lab, &key, &seed, provider).await;
    }
    let mut mailboxes = Vec::new();
    for _ in 0..3 {
        let email = lab.unique("w", "sender.test");
        let id = add_mailbox(&app, &lab, &key, &email, &lab.password()).await;
        app.patch(
            &format!("/v1/mailboxes/{id}/warmup"),
            &key,
            // The ramp itself is under test: unsigned mail is junked at outlook.test, which
            // would make a self-adjusting ramp hold.
            &json!({"pattern": "b2c", "start_per_day": 2, "daily_increase": 1, "daily_variance_percent": 0,
                    "provider_split": {"gmail": 50, "outlook": 50}, "auto_adjust": false}),
        )
        .await
        .expect(200);
        start_warmup(&app, &key, &id).await;
        mailboxes.push(id.parse::<uuid::Uuid>().unwrap_or_default());
    }

    // The first worker dies abruptly (no shutdown, possibly mid-conversation) ...
    let (_stop, crashed) = start_worker(&app);
    tokio::time::sleep(Duration::from_secs(6)).await;
    crashed.abort();
    let _ = crashed.await;
    // ... and another takes over.
    let (stop, worker) = start_worker(&app);
    let org = OrgId(org_of(&app, mailboxes[0]).await);
    let mut done = false;
    // Sends interrupted by the crash are resent only once a message counts as missing (25 s
    // in these tests), so allow for that on a busy machine.
    for _ in 0..360 {
        let mut all = true;
        for m in &mailboxes {
            let days = warmup_entity::plan_day::Entity::find()
                .filter(warmup_entity::plan_day::Column::MailboxId.eq(*m))
                .all(&app.db)
                .await
                .unwrap_or_default();
            let rows = send_reads::of_mailbox(&app.db, org, *m)
                .await
                .unwrap_or_default();
            let first_three: Vec<&str> = {
                let mut d: Vec<&str> = days.iter().map(|d| d.plan_date.as_str()).collect();
                d.sort_unstable();
                d.into_iter().take(3).collect()
            };
            all &= first_three.len() == 3
                && rows
                    .iter()
                    .filter(|s| first_three.contains(&s.plan_date.as_str()))
                    .all(|s| s.state == "sent");
        }
        if all {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let _ = stop.send(());
    let _ = worker.await;
    if !done {
        let mut unsent = Vec::new();
        for m in &mailboxes {
            for s in send_reads::of_mailbox(&app.db, org, *m)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|s| s.state != "sent")
            {
                unsent.push(format!(
                    "{} {} {} {:?} {:?}",
                    s.plan_date, s.state, s.seed_email, s.lease_until, s.last_text
                ));
            }
        }
        panic!(
            "three days were not planned and sent in 180 s; not sent:\n{}\n{}",
            unsent.join("\n"),
            lab.log_tail()
        );
    }

    for m in &mailboxes {
        let mut days = warmup_entity::plan_day::Entity::find()
            .filter(warmup_entity::plan_day::Column::MailboxId.eq(*m))
            .all(&app.db)
            .await
            .unwrap_or_default();
        days.sort_by(|a, b| a.plan_date.cmp(&b.plan_date));
        let counts: Vec<i32> = days.iter().take(3).map(|d| d.count).collect();
        assert_eq!(counts, [2, 3, 4], "the ramp by sending day");
        let dates: Vec<String> = days.iter().take(3).map(|d| d.plan_date.clone()).collect();
        let rows: Vec<_> = send_reads::of_mailbox(&app.db, org, *m)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|s| dates.contains(&s.plan_date) && s.thread_depth == 0)
            .collect();
        // A day planned late on a loaded machine (hours of simulated time go by in a real
        // second) fits fewer sends into what is left of its windows: every planned one counts.
        let planned: i32 = days.iter().take(3).map(|d| d.planned).sum();
        assert_eq!(rows.len(), planned as usize, "every planned send: {days:?}");
        assert!(planned >= 6, "most of the 9 fit: {days:?}");
        let gmail = rows.iter().filter(|s| s.provider == "gmail").count() as i32;
        assert!(
            (gmail - (planned - gmail)).abs() <= 2,
            "50/50 within a message a day: {gmail} of {planned}"
        );
        for s in &rows {
            assert_eq!(s.state, "sent");
            lab.wait_for(&s.message_id, Duration::from_secs(30)).await;
            assert_eq!(
                lab.where_is(&s.message_id).len(),
                1,
                "lost or duplicated: {}",
                s.message_id
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_senders_three_days_and_a_crash_sqlite() {
    three_senders_over_three_days_survive_a_crash(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_senders_three_days_and_a_crash_postgres() {
    three_senders_over_three_days_survive_a_crash(Backend::Postgres).await;
}

async fn dkim_signed_mail_passes_the_outlook_rule_and_unsigned_mail_is_junked(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app(backend).await;
    let key = app.new_org("Lab").await;
    let pem = std::fs::read_to_string(var("MAILLAB_DKIM_KEY_FILE")).unwrap_or_default();
    assert!(pem.contains("PRIVATE KEY"));
    let signed_email = lab.unique("w", "sender.test");
    let mut body = lab_account(&lab, &signed_email, "smtp", &lab.password());
    body["timezone"] = json!(evening_zone());
    body["dkim"] = json!({"selector": "lab", "private_key": "not a key"});
    let bad = app
        .post("/v1/mailboxes", &key, &body)
        .await
        .expect_problem(422, "validation");
    assert_eq!(bad.fields(), ["dkim.private_key"]);
    body["dkim"] = json!({"selector": "lab", "private_key": pem});
    let signed = app.post("/v1/mailboxes", &key, &body).await.expect(201);
    assert_eq!(
        signed.json["dkim"],
        json!({"selector": "lab", "domain": "sender.test", "private_key_set": true})
    );
    assert!(
        !signed.text.contains("PRIVATE KEY"),
        "the key is write-only"
    );
    let signed_id = signed.json["id"].as_str().unwrap_or_default().to_string();
    let unsigned_email = lab.unique("w", "sender.test");
    let unsigned_id = add_mailbox(&app, &lab, &key, &unsigned_email, &lab.password()).await;
    for _ in 0..2 {
        let seed = lab.unique("seed", "outlook.test");
        add_seed(&app, &lab, &key, &seed, "outlook").await;
    }
    for id in [&signed_id, &unsigned_id] {
        app.patch(
            &format!("/v1/mailboxes/{id}/warmup"),
            &key,
            &json!({"pattern": "b2c", "start_per_day": 1, "daily_variance_percent": 0,
                    "provider_split": {"outlook": 100}}),
        )
        .await
        .expect(200);
        start_warmup(&app, &key, id).await;
    }
    let (stop, worker) = start_worker(&app);
    let signed_rows = settled(&app, &signed_id).await;
    let unsigned_rows = settled(&app, &unsigned_id).await;
    let _ = stop.send(());
    let _ = worker.await;
    let s = &signed_rows[0];
    assert_eq!(s.state, "sent");
    let copy = lab.wait_for(&s.message_id, Duration::from_secs(30)).await;
    assert_eq!(
        copy.folder, "INBOX",
        "signed mail passes the Outlook-like rule"
    );
    let raw = lab.read_folder(&s.seed_email, "INBOX").await;
    let msg = raw
        .iter()
        .find(|m| m.contains(&s.message_id))
        .cloned()
        .unwrap_or_default();
    assert!(msg.contains("DKIM-Signature:"), "{msg}");
    assert!(
        msg.contains("d=sender.test") && msg.contains("s=lab"),
        "{msg}"
    );
    let u = &unsigned_rows[0];
    lab.wait_for(&u.message_id, Duration::from_secs(30)).await;
    // Where it was delivered (a seed may have rescued it since).
    assert_eq!(
        lab.delivered_to(&u.message_id),
        vec![(u.seed_email.clone(), "Junk Email".to_string())],
        "unsigned mail is junked by the Outlook-like rule"
    );
    // Removing the key stops signing.
    let removed = app
        .patch(
            &format!("/v1/mailboxes/{signed_id}"),
            &key,
            &json!({"dkim": null}),
        )
        .await
        .expect(200);
    assert!(removed.json.get("dkim").is_none(), "{}", removed.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dkim_signing_sqlite() {
    dkim_signed_mail_passes_the_outlook_rule_and_unsigned_mail_is_junked(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dkim_signing_postgres() {
    dkim_signed_mail_passes_the_outlook_rule_and_unsigned_mail_is_junked(Backend::Postgres).await;
}
