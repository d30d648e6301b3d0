//! A sender mailbox's inbox is read while something may come back to it (a send's delivery
//! reports, a seed's reply) and rests otherwise, so an idle tenant costs no IMAP session each
//! round. Driven against the lab's Dovecot: a reading that succeeds is what lets a mailbox rest.

use sea_orm::{ActiveModelTrait, EntityTrait};
use uuid::Uuid;
use warmup_domain::state::SendState;
use warmup_entity::store::sends::{self, AttemptRecord};
use warmup_entity::store::{engagement, leases};
use warmup_entity::{Clock, lease};
use warmup_worker::SendDeps;
use warmup_worker::sender_scan::scan_all;

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::support::{Lab, add_mailbox, lab_dns, start_warmup};

const OWNER: &str = "worker-rest";

async fn lease_of(app: &TestApp, name: &str) -> Option<lease::Model> {
    lease::Entity::find_by_id(name.to_string())
        .one(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Makes the mailbox's reading due by its rhythm; returns the scan lease as it now stands.
async fn due_by_rhythm(app: &TestApp, clock: &Clock, id: Uuid) -> lease::Model {
    let name = leases::mailbox_scan(id);
    let held = lease_of(app, &name)
        .await
        .unwrap_or_else(|| panic!("no scan lease: the mailbox was never read"));
    leases::hold_until(
        &app.db,
        &name,
        &held.owner,
        clock.now() - chrono::Duration::seconds(1),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    lease_of(app, &name)
        .await
        .unwrap_or_else(|| panic!("the scan lease is gone"))
}

/// Whether one round read the mailbox: a reading takes its scan lease and holds it until the
/// next reading by the rhythm, a round that passes it over leaves the lease as it was.
async fn round_reads(app: &TestApp, deps: &SendDeps, clock: &Clock, id: Uuid) -> bool {
    let before = due_by_rhythm(app, clock, id).await;
    scan_all(&app.db, deps, OWNER, chrono::Duration::minutes(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let after = lease_of(app, &leases::mailbox_scan(id))
        .await
        .unwrap_or_else(|| panic!("the scan lease is gone"));
    after.lease_until > before.lease_until
}

/// Minutes from now until the mark `name` runs out, if it is set.
async fn mark_minutes(app: &TestApp, clock: &Clock, name: &str) -> Option<i64> {
    lease_of(app, name)
        .await
        .map(|l| (l.lease_until - clock.now()).num_minutes())
}

/// A sent send of the mailbox, recorded through the send path.
async fn record_a_send(app: &TestApp, clock: &Clock, org: Uuid, mailbox: Uuid) -> Uuid {
    let now = clock.now();
    let draft = warmup_entity::send::Draft {
        organization_id: org,
        mailbox_id: mailbox,
        seed_id: None,
        seed_email: "seed@corp.test".into(),
        provider: "smtp".into(),
        plan_date: now.date_naive().to_string(),
        message_id: format!("{}@sender.test", Uuid::new_v4().simple()),
        language: "en".into(),
        subject: "Hello".into(),
        body: "Hello there.".into(),
    };
    let mut s = warmup_entity::send::Model::planned(draft, now, now);
    s.state = SendState::Queued.as_str().into();
    sea_orm::IntoActiveModel::into_active_model(s.clone())
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let claimed = sends::claim_queued(&app.db, s.id, OWNER, now, now + chrono::Duration::hours(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the queued send was not claimed"));
    let recorded = sends::record_attempt(
        &app.db,
        &claimed,
        OWNER,
        now,
        AttemptRecord {
            code: Some(250),
            enhanced: Some("2.0.0".into()),
            text: "queued".into(),
            category: "accepted".into(),
            state: SendState::Sent,
            next_attempt_at: None,
            duration_ms: 5,
            sender: None,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(recorded, "the attempt was not recorded");
    s.id
}

/// Read once and found awaiting nothing, a sender mailbox rests for six hours: due again by its
/// five-minute rhythm, it is passed over. A send from it wakes it for an hour, and it is read
/// again; a seed's reply to it that has not arrived yet keeps it from resting at all, even once
/// the hour is over.
async fn an_idle_sender_rests_until_a_send_or_a_reply_wakes_it(backend: Backend) {
    let lab = Lab::get();
    // A real clock, and a reply counted missing only long after the test is over.
    let dns = lab_dns();
    let app = spawn_app_with(backend, move |s| {
        s.clock_speedup = 1.0;
        s.dns_servers = vec![dns];
        s.missing_after_secs = 3600;
    })
    .await;
    let key = app.new_org("Rest").await;
    let email = lab.unique("w", "sender.test");
    let mailbox = add_mailbox(&app, &lab, &key, &email, &lab.password()).await;
    start_warmup(&app, &key, &mailbox).await;
    let (id, org) = app.mailbox_and_org(&mailbox).await;
    let deps = app.warmup_deps().await;
    let clock = deps.clock;
    let rest = leases::mailbox_rest(id);
    let awake = leases::mailbox_awake(id);

    // The first round reads it: nothing is awaited, so it rests.
    scan_all(&app.db, &deps, OWNER, chrono::Duration::minutes(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let resting = mark_minutes(&app, &clock, &rest).await;
    assert!(
        resting.is_some_and(|m| (350..=360).contains(&m)),
        "rests for six hours after reading nothing awaited: {resting:?} minutes"
    );
    assert!(
        !round_reads(&app, &deps, &clock, id).await,
        "a resting mailbox is not read when its rhythm makes it due"
    );

    // A send from it wakes it for an hour: read on its rhythm, though it rests again.
    let send = record_a_send(&app, &clock, org, id).await;
    let woken = mark_minutes(&app, &clock, &awake).await;
    assert!(
        woken.is_some_and(|m| (55..=60).contains(&m)),
        "a send wakes the mailbox for an hour: {woken:?} minutes"
    );
    assert!(
        round_reads(&app, &deps, &clock, id).await,
        "read once woken"
    );
    assert!(
        round_reads(&app, &deps, &clock, id).await,
        "read while awake"
    );
    assert!(mark_minutes(&app, &clock, &rest).await.is_some());
    leases::unmark(&app.db, &awake)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !round_reads(&app, &deps, &clock, id).await,
        "not read once the awake hour is over"
    );

    // A seed's reply to it, reserved and not arrived yet: it wakes the mailbox, and after the
    // reading that does not find it, the mailbox no longer rests.
    let draft = warmup_domain::content::Draft {
        subject: "Re: Hello".into(),
        body: "Hi,\n\nThanks!".into(),
        language: warmup_domain::language::Language::english(),
    };
    let reply_id = format!("{}@corp.test", Uuid::new_v4().simple());
    let reserved = engagement::reserve_reply(&app.db, id, send, &reply_id, &draft, clock.now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(reserved, "the reply was not reserved");
    assert!(mark_minutes(&app, &clock, &awake).await.is_some());
    assert!(
        round_reads(&app, &deps, &clock, id).await,
        "read for the reply"
    );
    assert_eq!(
        mark_minutes(&app, &clock, &rest).await,
        None,
        "a reply still awaited keeps the mailbox from resting"
    );
    leases::unmark(&app.db, &awake)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        round_reads(&app, &deps, &clock, id).await,
        "read on its rhythm while the reply is awaited, awake or not"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_sender_rests_until_woken_sqlite() {
    an_idle_sender_rests_until_a_send_or_a_reply_wakes_it(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_sender_rests_until_woken_postgres() {
    an_idle_sender_rests_until_a_send_or_a_reply_wakes_it(Backend::Postgres).await;
}
