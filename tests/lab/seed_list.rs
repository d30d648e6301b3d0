//! Seed lists end to end against the lab: a "campaign" sent by plain SMTP through the lab (as
//! a customer's own ESP would, not through the warmup sender) to the addresses of splits at
//! three provider personalities. Each placement is checked against where the lab's delivery
//! agent filed the message; spam is rescued; mail from a sender nobody approved is left exactly
//! as it was; organizations sharing a seed see only their own mail; a seed that never got the
//! campaign is recorded missing; rotation keeps mail already on its way.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{ADMIN_KEY, Backend, TestApp};
use crate::support::Lab;
use crate::warmup::{add_seed, lab_account, lab_app_at, start_worker};

async fn new_split(app: &TestApp, key: &str, body: Value) -> String {
    let s = app
        .post("/v1/seed-splits", key, &body)
        .await
        .expect(201)
        .json;
    s["id"].as_str().unwrap_or_default().to_string()
}

async fn addresses(app: &TestApp, key: &str, split: &str) -> Vec<String> {
    let r = app
        .get(&format!("/v1/seed-splits/{split}/addresses"), key)
        .await
        .expect(200)
        .json;
    r["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["email"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn placements(app: &TestApp, key: &str, split: &str) -> Vec<Value> {
    let r = app
        .get(
            &format!("/v1/seed-splits/{split}/placements?limit=200"),
            key,
        )
        .await
        .expect(200)
        .json;
    r["items"].as_array().cloned().unwrap_or_default()
}

/// Waits until `done` holds for the split's placements; fails with them after `timeout`.
async fn until(
    app: &TestApp,
    key: &str,
    split: &str,
    timeout: Duration,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let rows = placements(app, key, split).await;
        if done(&rows) {
            return rows;
        }
        assert!(
            started.elapsed() < timeout,
            "split {split} not done in {timeout:?}: {}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn finished(p: &Value) -> bool {
    p["status"] == "done"
}

fn actions(p: &Value) -> Vec<String> {
    p["actions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["action"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Sends one message of a campaign to `to` through the lab's submission server, as `from`.
async fn campaign_mail(
    lab: &Lab,
    from: &str,
    to: &str,
    subject: &str,
    headers: &[(&str, &str)],
) -> String {
    let (id, raw) = lab.message(from, to, subject, headers);
    lab.submit(from, &[to], &raw)
        .await
        .unwrap_or_else(|r| panic!("submission of {id} refused: {r:?}"));
    lab.wait_for(&id, Duration::from_secs(60)).await;
    id
}

/// The class a lab folder stands for.
fn class_of_folder(folder: &str) -> &'static str {
    match folder {
        "INBOX" => "inbox",
        "Promotions" => "category",
        "[Gmail]/Spam" | "Junk Email" | "Bulk" | "Junk" => "spam",
        _ => "other",
    }
}

async fn a_campaign_is_placed_as_the_lab_filed_it(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 600.0).await;
    let key = app.new_org("Campaigns").await;
    for (provider, domain, n) in [
        ("gmail", "gmail.test", 2),
        ("outlook", "outlook.test", 1),
        ("yahoo", "yahoo.test", 1),
    ] {
        for _ in 0..n {
            add_seed(&app, &lab, &key, &lab.unique("list", domain), provider).await;
        }
    }
    let sender = lab.unique("news", "sender.test");
    let stranger = lab.unique("other", "sender.test");
    let mut splits = Vec::new();
    for (provider, n) in [("gmail", 2), ("outlook", 1), ("yahoo", 1)] {
        splits.push(
            new_split(
                &app,
                &key,
                json!({"provider": provider, "seeds_amount": n, "senders": [sender]}),
            )
            .await,
        );
    }
    // Two workers on one database: each message is still recorded once per seed.
    let (stop, worker) = start_worker(&app);
    let (stop_too, worker_too) = start_worker(&app);
    // One message per seed, as ESPs send them; List-Unsubscribe files it under Promotions at
    // the Gmail-like seeds, and unsigned it is junk at the Outlook-like one.
    let list = format!("Winter news <{}.lists.sender.test>", &sender[5..17]);
    let mut sent = Vec::new();
    for split in &splits {
        for seed in addresses(&app, &key, split).await {
            let id = campaign_mail(
                &lab,
                &sender,
                &seed,
                "Winter offers",
                &[
                    ("List-ID", &list),
                    ("List-Unsubscribe", "<mailto:unsubscribe@sender.test>"),
                ],
            )
            .await;
            sent.push((split.clone(), seed, id));
        }
    }
    // Mail from a sender nobody approved, at a seed of the first split.
    let first_seed = sent[0].1.clone();
    let untouched = campaign_mail(&lab, &stranger, &first_seed, "Not yours", &[]).await;
    let before = lab.where_is(&untouched);

    for (split, seed, id) in &sent {
        let rows = until(&app, &key, split, Duration::from_secs(180), |rows| {
            rows.iter()
                .any(|p| p["message_id"] == id.as_str() && finished(p))
        })
        .await;
        let p = rows
            .iter()
            .find(|p| p["message_id"] == id.as_str())
            .cloned()
            .unwrap_or_default();
        let filed = lab.delivered_to(id);
        assert_eq!(filed.len(), 1, "{filed:?}");
        assert_eq!(&filed[0].0, seed);
        assert_eq!(p["seed_email"], seed.as_str());
        assert_eq!(p["folder"], filed[0].1.as_str(), "{p}");
        assert_eq!(p["class"], class_of_folder(&filed[0].1), "{p}");
        assert_eq!(p["sender"], sender.as_str());
        assert_eq!(p["campaign"], list.as_str());
        assert_eq!(p["authentication"]["dkim"], "none", "{p}");
        let done = actions(&p);
        let rescued = p["class"] != "inbox";
        assert_eq!(done.contains(&"rescue".to_string()), rescued, "{p}");
        assert!(done.contains(&"open".to_string()), "{p}");
        assert!(done.contains(&"flag".to_string()), "{p}");
        // Where it is now, by the lab's own account: in the inbox, read and flagged.
        let copies = lab.where_is(id);
        assert_eq!(copies.len(), 1, "{copies:?}");
        assert_eq!(copies[0].folder, "INBOX", "{copies:?}");
        assert!(copies[0].flags.contains("\\Seen"), "{copies:?}");
        assert!(copies[0].flags.contains("\\Flagged"), "{copies:?}");
    }
    let classes: Vec<String> = {
        let mut c: Vec<String> = Vec::new();
        for split in &splits {
            for p in placements(&app, &key, split).await {
                c.push(p["class"].as_str().unwrap_or_default().to_string());
            }
        }
        c.sort();
        c.dedup();
        c
    };
    assert_eq!(classes, ["category", "inbox", "spam"], "three placements");
    // Read many times over, still recorded once per seed.
    for (split, _, _) in &sent {
        let rows = placements(&app, &key, split).await;
        let mut ids: Vec<&str> = rows
            .iter()
            .filter_map(|p| p["message_id"].as_str())
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{rows:?}");
        assert!(
            rows.iter().all(|p| p["sender"] == sender.as_str()),
            "{rows:?}"
        );
    }
    let _ = stop.send(());
    let _ = stop_too.send(());
    let _ = worker.await;
    let _ = worker_too.await;
    // The stranger's message: same folder, same flags (unread), as before the seeds read.
    assert_eq!(lab.where_is(&untouched), before);
    assert!(!before[0].flags.contains("\\Seen"), "{before:?}");

    let summary = app
        .get(
            &format!("/v1/seed-splits/{}/placement-summary", splits[0]),
            &key,
        )
        .await
        .expect(200)
        .json;
    assert_eq!(summary["overall"]["total"], 2, "{summary}");
    assert_eq!(summary["campaigns"][list.as_str()]["total"], 2, "{summary}");
    assert_eq!(
        summary["senders"][sender.as_str()]["category"],
        2,
        "{summary}"
    );
}

/// Two organizations split one shared seed: each sees only its own sender's mail. A split of
/// two seeds that got the campaign at one records the other missing once the window passed.
async fn shared_seeds_keep_organizations_apart_and_missing_is_recorded(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 600.0).await;
    let shared = lab.unique("pool", "gmail.test");
    let mut body = lab_account(&lab, &shared, "gmail", &lab.password());
    body["shared"] = json!(true);
    app.post("/v1/seeds", ADMIN_KEY, &body).await.expect(201);
    let a = app.new_org("A").await;
    let b = app.new_org("B").await;
    // A's second seed is its own, so A's split has two seeds.
    let private = lab.unique("own", "gmail.test");
    add_seed(&app, &lab, &a, &private, "gmail").await;
    let sender_a = lab.unique("a", "sender.test");
    let sender_b = lab.unique("b", "sender.test");
    let split_a = new_split(
        &app,
        &a,
        json!({"provider": "gmail", "seeds_amount": 2, "senders": [sender_a]}),
    )
    .await;
    let split_b = new_split(
        &app,
        &b,
        json!({"provider": "gmail", "seeds_amount": 1, "senders": [sender_b]}),
    )
    .await;
    assert_eq!(
        addresses(&app, &b, &split_b).await,
        std::slice::from_ref(&shared)
    );
    let (stop, worker) = start_worker(&app);
    let for_a = campaign_mail(
        &lab,
        &sender_a,
        &shared,
        "For A",
        &[("X-Lab-Verdict", "inbox")],
    )
    .await;
    let for_b = campaign_mail(
        &lab,
        &sender_b,
        &shared,
        "For B",
        &[("X-Lab-Verdict", "inbox")],
    )
    .await;
    let rows_b = until(&app, &b, &split_b, Duration::from_secs(120), |rows| {
        rows.iter().any(|p| p["message_id"] == for_b.as_str())
    })
    .await;
    // A's campaign went to the shared seed only: the private one records it missing.
    let rows_a = until(&app, &a, &split_a, Duration::from_secs(180), |rows| {
        rows.iter().any(|p| p["class"] == "missing")
    })
    .await;
    let _ = stop.send(());
    let _ = worker.await;
    assert!(
        rows_b.iter().all(|p| p["sender"] == sender_b.as_str()),
        "{rows_b:?}"
    );
    assert!(
        rows_b.iter().all(|p| p["message_id"] != for_a.as_str()),
        "{rows_b:?}"
    );
    let found: Vec<&Value> = rows_a.iter().filter(|p| p["class"] != "missing").collect();
    assert_eq!(found.len(), 1, "{rows_a:?}");
    assert_eq!(found[0]["message_id"], for_a.as_str());
    let missing: Vec<&Value> = rows_a.iter().filter(|p| p["class"] == "missing").collect();
    assert_eq!(missing.len(), 1, "{rows_a:?}");
    assert_eq!(missing[0]["seed_email"], private.as_str());
    assert_eq!(missing[0]["campaign"], "For A");
    assert!(
        rows_a.iter().all(|p| p["sender"] == sender_a.as_str()),
        "{rows_a:?}"
    );
}

/// A seed rotated out of a split is still read for mail already on its way to it.
async fn rotation_keeps_mail_on_its_way(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 600.0).await;
    let key = app.new_org("Rotating").await;
    for _ in 0..3 {
        add_seed(&app, &lab, &key, &lab.unique("rot", "yahoo.test"), "yahoo").await;
    }
    let sender = lab.unique("r", "sender.test");
    let split = new_split(
        &app,
        &key,
        json!({"provider": "yahoo", "seeds_amount": 2, "senders": [sender]}),
    )
    .await;
    let before = addresses(&app, &key, &split).await;
    app.post(&format!("/v1/seed-splits/{split}/rotate"), &key, &json!({}))
        .await
        .expect(200);
    let after = addresses(&app, &key, &split).await;
    let gone: Vec<&String> = before.iter().filter(|s| !after.contains(s)).collect();
    assert_eq!(gone.len(), 1, "{before:?} -> {after:?}");
    let (stop, worker) = start_worker(&app);
    let id = campaign_mail(&lab, &sender, gone[0], "In flight", &[]).await;
    let rows = until(&app, &key, &split, Duration::from_secs(120), |rows| {
        rows.iter().any(|p| p["message_id"] == id.as_str())
    })
    .await;
    let _ = stop.send(());
    let _ = worker.await;
    let p = rows
        .iter()
        .find(|p| p["message_id"] == id.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(p["seed_email"], gone[0].as_str());
    assert_eq!(p["class"], "inbox", "{p}");
}

/// A split rotates on its own once `next_rotation` has come: on a clock where a day lasts
/// about four seconds, a split rotating every day gets new seeds within seconds, and its next
/// rotation moves on.
async fn splits_rotate_on_their_own_when_due(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 20_000.0).await;
    let key = app.new_org("Rotating on its own").await;
    for _ in 0..5 {
        add_seed(
            &app,
            &lab,
            &key,
            &lab.unique("auto", "corp.test"),
            "google_workspace",
        )
        .await;
    }
    let sender = lab.unique("auto", "sender.test");
    let split = new_split(
        &app,
        &key,
        json!({"provider": "google_workspace", "seeds_amount": 4, "senders": [sender],
               "rotation_days": 1}),
    )
    .await;
    let created = app
        .get(&format!("/v1/seed-splits/{split}"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(created["refreshed_at"], Value::Null);
    let before = addresses(&app, &key, &split).await;
    let (stop, worker) = start_worker(&app);
    let started = Instant::now();
    let rotated = loop {
        let s = app
            .get(&format!("/v1/seed-splits/{split}"), &key)
            .await
            .expect(200)
            .json;
        if s["refreshed_at"].is_string() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no rotation in 60 s: {s}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let after = addresses(&app, &key, &split).await;
    let again = app
        .get(&format!("/v1/seed-splits/{split}"), &key)
        .await
        .expect(200)
        .json;
    let _ = stop.send(());
    let _ = worker.await;
    let at = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{v}: {e}"))
    };
    assert!(
        at(&rotated["next_rotation"]) > at(&created["next_rotation"]),
        "{rotated}"
    );
    assert_eq!(after.len(), 4);
    // Unless the next rotation came in between (the cycle can bring the first set back), one
    // seed of the first set has left.
    if again["refreshed_at"] == rotated["refreshed_at"] {
        let kept = after.iter().filter(|a| before.contains(a)).count();
        assert_eq!(kept, 3, "{before:?} -> {after:?}");
    }
}

/// A sender withdrawn after its message was found: the seed does nothing more with it, even
/// when its planned steps come due; the message stays where it landed, unread.
async fn a_withdrawn_sender_is_left_alone(backend: Backend) {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let lab = Lab::get();
    // Slow enough that the first step (5 simulated minutes at least) comes 5 s after the
    // message is found, time to withdraw the sender.
    let app = lab_app_at(backend, 60.0).await;
    let key = app.new_org("Withdrawn").await;
    let seed = lab.unique("wd", "outlook.test");
    add_seed(&app, &lab, &key, &seed, "outlook").await;
    let sender = lab.unique("wd", "sender.test");
    let split = new_split(
        &app,
        &key,
        // Another sender stays approved: the split still reads the seed.
        json!({"provider": "outlook", "seeds_amount": 1,
               "senders": [sender, lab.unique("stays", "sender.test")]}),
    )
    .await;
    let (stop, worker) = start_worker(&app);
    // Unsigned: junk at the Outlook-like seed, so a rescue is planned.
    let id = campaign_mail(&lab, &sender, &seed, "Withdrawn", &[]).await;
    let rows = until(&app, &key, &split, Duration::from_secs(60), |rows| {
        rows.iter().any(|p| p["message_id"] == id.as_str())
    })
    .await;
    app.patch(
        &format!("/v1/seed-splits/{split}"),
        &key,
        &json!({"remove": [sender]}),
    )
    .await
    .expect(200);
    let p = &rows[0];
    assert_eq!(p["status"], "engaging", "{p}");
    assert!(
        actions(p).is_empty(),
        "acted before the sender was withdrawn: {p}"
    );
    // Every planned step due now.
    let row_id: uuid::Uuid = p["id"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_default();
    let row = warmup_entity::seed_list_message::Entity::find_by_id(row_id)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no row {row_id}"));
    let mut plan: Value =
        serde_json::from_str(row.plan.as_deref().unwrap_or("{}")).unwrap_or_default();
    let long_ago = "2000-01-01T00:00:00Z";
    if let Some(steps) = plan["steps"].as_array_mut() {
        for step in steps {
            step["at"] = json!(long_ago);
        }
    }
    let mut row = row.into_active_model();
    row.plan = Set(Some(plan.to_string()));
    row.next_check_at = Set(long_ago.parse().unwrap_or_default());
    row.update(&app.db).await.unwrap_or_else(|e| panic!("{e}"));
    let rows = until(&app, &key, &split, Duration::from_secs(60), |rows| {
        rows.iter().all(finished)
    })
    .await;
    let _ = stop.send(());
    let _ = worker.await;
    assert!(actions(&rows[0]).is_empty(), "{}", rows[0]);
    let copies = lab.where_is(&id);
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(copies[0].folder, "Junk Email", "{copies:?}");
    assert!(!copies[0].flags.contains("\\Seen"), "{copies:?}");
}

/// Mail whose From is an approved sender but fails DMARC (sent through another domain's server,
/// unsigned, while the sender's domain publishes DMARC) is recorded where it landed and not
/// engaged: its From may be forged.
async fn mail_failing_dmarc_is_recorded_not_engaged(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 600.0).await;
    let key = app.new_org("Forged").await;
    let seed = lab.unique("fg", "yahoo.test");
    add_seed(&app, &lab, &key, &seed, "yahoo").await;
    let approved = lab.unique("brand", "sender.test");
    let split = new_split(
        &app,
        &key,
        json!({"provider": "yahoo", "seeds_amount": 1, "senders": [approved]}),
    )
    .await;
    let (stop, worker) = start_worker(&app);
    // The envelope and the server are cold.test's; the From says sender.test.
    let forger = lab.unique("forger", "cold.test");
    let (id, raw) = lab.message(&approved, &seed, "Forged", &[("Precedence", "bulk")]);
    lab.submit(&forger, &[&seed], &raw)
        .await
        .unwrap_or_else(|r| panic!("submission refused: {r:?}"));
    lab.wait_for(&id, Duration::from_secs(60)).await;
    let rows = until(&app, &key, &split, Duration::from_secs(60), |rows| {
        rows.iter().any(|p| p["message_id"] == id.as_str())
    })
    .await;
    let _ = stop.send(());
    let _ = worker.await;
    let p = &rows[0];
    assert_eq!(p["authentication"]["dmarc"], "fail", "{p}");
    assert_eq!(p["class"], "spam", "{p}");
    assert_eq!(p["status"], "done", "{p}");
    assert!(
        p["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("DMARC"),
        "{p}"
    );
    // Done from the start: no step is planned, so none will ever be taken.
    assert!(actions(p).is_empty(), "{p}");
    let copies = lab.where_is(&id);
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(copies[0].folder, "Bulk", "{copies:?}");
    assert!(!copies[0].flags.contains("\\Seen"), "{copies:?}");
}

/// A split that asks for replies answers campaign mail in its thread, to its `Reply-To`.
async fn replies_go_to_the_reply_address_in_the_thread(backend: Backend) {
    let lab = Lab::get();
    let app = lab_app_at(backend, 600.0).await;
    let key = app.new_org("Replying").await;
    let seed = lab.unique("rp", "corp.test");
    add_seed(&app, &lab, &key, &seed, "google_workspace").await;
    let sender = lab.unique("offers", "sender.test");
    let replies = lab.unique("replies", "sender.test");
    let split = new_split(
        &app,
        &key,
        json!({"provider": "google_workspace", "seeds_amount": 1, "senders": [sender],
               "engagement": {"reply_percent": 100}}),
    )
    .await;
    let (stop, worker) = start_worker(&app);
    let id = campaign_mail(
        &lab,
        &sender,
        &seed,
        "Questions welcome",
        &[("Reply-To", &replies)],
    )
    .await;
    let rows = until(&app, &key, &split, Duration::from_secs(120), |rows| {
        rows.iter()
            .any(|p| p["message_id"] == id.as_str() && finished(p))
    })
    .await;
    let answer = lab
        .wait_for_text(
            &replies,
            &[&format!("In-Reply-To: <{id}>")],
            Duration::from_secs(60),
        )
        .await;
    let _ = stop.send(());
    let _ = worker.await;
    let p = &rows[0];
    assert!(actions(p).contains(&"reply".to_string()), "{p}");
    let headers = answer.split("\r\n\r\n").next().unwrap_or_default();
    assert!(
        headers
            .lines()
            .any(|l| l.starts_with("From:") && l.contains(seed.as_str())),
        "{headers}"
    );
    assert!(
        headers.contains("Subject: Re: Questions welcome"),
        "{headers}"
    );
    // Nothing went to the From address.
    assert!(lab.read_folder(&sender, "INBOX").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replies_sqlite() {
    replies_go_to_the_reply_address_in_the_thread(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replies_postgres() {
    replies_go_to_the_reply_address_in_the_thread(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forged_from_sqlite() {
    mail_failing_dmarc_is_recorded_not_engaged(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forged_from_postgres() {
    mail_failing_dmarc_is_recorded_not_engaged(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn withdrawn_sender_sqlite() {
    a_withdrawn_sender_is_left_alone(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn withdrawn_sender_postgres() {
    a_withdrawn_sender_is_left_alone(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn automatic_rotation_sqlite() {
    splits_rotate_on_their_own_when_due(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn automatic_rotation_postgres() {
    splits_rotate_on_their_own_when_due(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn campaign_placements_sqlite() {
    a_campaign_is_placed_as_the_lab_filed_it(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn campaign_placements_postgres() {
    a_campaign_is_placed_as_the_lab_filed_it(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shared_seeds_and_missing_sqlite() {
    shared_seeds_keep_organizations_apart_and_missing_is_recorded(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shared_seeds_and_missing_postgres() {
    shared_seeds_keep_organizations_apart_and_missing_is_recorded(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rotation_keeps_mail_on_its_way_sqlite() {
    rotation_keeps_mail_on_its_way(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rotation_keeps_mail_on_its_way_postgres() {
    rotation_keeps_mail_on_its_way(Backend::Postgres).await;
}
