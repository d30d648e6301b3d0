//! Domain health against the lab's DNS: a domain whose records are right, and one broken way
//! each (no SPF, SPF with 11 lookups, DKIM selector missing, a DKIM key that is not the stored
//! one, no DMARC), the lab's sending address listed on its DNSBL, and a list that answers
//! 127.255.255.254. What the seeds saw (the sending address, authentication, placement) is put
//! in the database as the worker records it; every DNS answer is the lab's.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, IntoActiveModel};
use serde_json::{Value, json};
use uuid::Uuid;
use warmup_domain::diagnosis::Ports;
use warmup_entity::store::OrgId;
use warmup_entity::{placement, send};

use crate::helpers::{Backend, TestApp, mailbox_body, spawn_app_with};
use crate::on_both_databases;
use crate::support::{lab_dns, var};
use crate::warmup::start_worker;

on_both_databases!(each_check_answers_what_the_lab_publishes_and_the_score_follows_the_weights,);

fn main_dns() -> SocketAddr {
    lab_dns()
}

/// An app on the lab's DNS whose lists are `ip_lists` and `domain_lists` (zones of the lab).
async fn health_app(backend: Backend, ip_lists: &[&str], domain_lists: &[&str]) -> TestApp {
    let ip_lists: Vec<String> = ip_lists.iter().map(|s| s.to_string()).collect();
    let domain_lists: Vec<String> = domain_lists.iter().map(|s| s.to_string()).collect();
    spawn_app_with(backend, move |s| {
        s.dns_servers = vec![main_dns()];
        s.diagnose_ports = Ports::parse(&var("MAILLAB_DIAGNOSE_PORTS")).unwrap_or_default();
        s.probe_timeout_secs = 3;
        s.dnsbl_ip = ip_lists;
        s.dnsbl_domain = domain_lists;
        s.mta_sts_port = var("MAILLAB_MTA_STS_PORT").parse().unwrap_or(443);
    })
    .await
}

fn lab_key() -> String {
    std::fs::read_to_string(var("MAILLAB_DKIM_KEY_FILE")).unwrap_or_else(|e| panic!("lab key: {e}"))
}

/// A mailbox at `domain` signing with the lab's key under the lab's selector.
async fn signing_mailbox(app: &TestApp, key: &str, domain: &str) -> (Uuid, OrgId) {
    let mut body = mailbox_body(
        &format!("w-{}@{domain}", &Uuid::new_v4().simple().to_string()[..8]),
        "pw",
    );
    body["dkim"] = json!({"selector": var("MAILLAB_DKIM_SELECTOR"), "private_key": lab_key()});
    let m = app.create_mailbox(key, &body).await;
    let (id, org) = app
        .mailbox_and_org(m["id"].as_str().unwrap_or_default())
        .await;
    (id, OrgId(org))
}

/// What the seeds saw of one message of the mailbox per address an hour ago: from that
/// address, SPF/DKIM/DMARC passing, in the inbox; counted in the rollups as the worker would.
async fn seen_at_seeds(app: &TestApp, org: OrgId, mailbox: Uuid, domain: &str, ips: &[String]) {
    let clock = warmup_entity::Clock::anchored(&app.db, app.settings.clock_speedup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let at = clock.now() - chrono::Duration::hours(1);
    for (i, ip) in ips.iter().enumerate() {
        let s = send::Model {
            state: "sent".into(),
            sent_at: Some(at),
            ..send::Model::planned(
                send::Draft {
                    organization_id: org.0,
                    mailbox_id: mailbox,
                    seed_id: None,
                    seed_email: format!("seed{i}@gmail.test"),
                    provider: "gmail".into(),
                    plan_date: at.format("%Y-%m-%d").to_string(),
                    message_id: format!("{}@{domain}", Uuid::new_v4().simple()),
                    language: "en".into(),
                    subject: "Hello".into(),
                    body: "Hello there.".into(),
                },
                at,
                at,
            )
        };
        s.clone()
            .into_active_model()
            .reset_all()
            .insert(&app.db)
            .await
            .unwrap_or_else(|e| panic!("send: {e}"));
        placement::Model {
            send_id: s.id,
            organization_id: org.0,
            mailbox_id: mailbox,
            seed_id: None,
            seed_email: s.seed_email.clone(),
            provider: "gmail".into(),
            domain: domain.into(),
            plan_date: s.plan_date.clone(),
            message_id: s.message_id.clone(),
            sent_at: at,
            stage: "done".into(),
            class: Some("inbox".into()),
            folder: Some("INBOX".into()),
            uid: Some(1),
            arrived_at: Some(at),
            arrival_seconds: Some(5),
            spf: Some("pass".into()),
            dkim: Some("pass".into()),
            dmarc: Some("pass".into()),
            sending_ip: Some(ip.clone()),
            lookups: 1,
            next_check_at: at,
            plan: None,
            opened_at: None,
            flagged_at: None,
            rescued_at: None,
            replied_at: None,
            archived_at: None,
            reply_message_id: None,
            reply_subject: None,
            reply_body: None,
            reply_class: None,
            reply_folder: None,
            reply_seen_at: None,
            last_error: None,
            errors: 0,
            lease_owner: None,
            lease_until: None,
            created_at: at,
            updated_at: at,
        }
        .into_active_model()
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("placement: {e}"));
    }
    warmup_entity::store::rollups::rebuild(&app.db, org)
        .await
        .unwrap_or_else(|e| panic!("rollups: {e}"));
}

async fn domain_id(app: &TestApp, key: &str, name: &str) -> String {
    let list = app.get("/v1/domains?limit=200", key).await.expect(200).json;
    list["items"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["name"] == name))
        .and_then(|d| d["id"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("{name} not among {list}"))
}

fn statuses(report: &Value) -> BTreeMap<String, String> {
    report["checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c["check"].as_str().unwrap_or_default().to_string(),
                        c["status"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["check"] == name))
        .unwrap_or_else(|| panic!("no {name} check in {report}"))
}

/// The score the documented weights give these statuses.
fn weighted(st: &BTreeMap<String, String>) -> u64 {
    let weight = |c: &str| match c {
        "mx" | "reverse_dns" | "placement" => 10,
        "spf" | "dmarc" | "blocklists" => 15,
        "dkim" => 20,
        "mta_sts" => 5,
        other => panic!("unknown check {other}"),
    };
    let (mut earned, mut possible) = (0u64, 0u64);
    for (c, s) in st {
        let w = weight(c);
        match s.as_str() {
            "pass" => (earned, possible) = (earned + w, possible + w),
            "warn" => (earned, possible) = (earned + w / 2, possible + w),
            "fail" => possible += w,
            _ => {}
        }
    }
    ((earned as f64) * 100.0 / (possible as f64)).round() as u64
}

async fn checked(app: &TestApp, key: &str, domain: &str) -> Value {
    let id = domain_id(app, key, domain).await;
    let r = app
        .post(&format!("/v1/domains/{id}/checks"), key, &json!({}))
        .await
        .expect(201);
    r.json
}

async fn each_check_answers_what_the_lab_publishes_and_the_score_follows_the_weights(
    app: &TestApp,
) {
    let app = health_app(app.backend, &["clean-bl.test"], &["dbl-clean.test"]).await;
    let key = app.new_org("Health").await;
    // (domain, the check that fails, the words its explanation or an item holds)
    let cases = [
        ("good.test", None, ""),
        ("nospf.test", Some("spf"), "publishes no SPF record"),
        ("spf11.test", Some("spf"), "11 DNS lookups"),
        ("nodkim.test", Some("dkim"), "not published"),
        ("wrongdkim.test", Some("dkim"), "not the one stored"),
        ("nodmarc.test", Some("dmarc"), "publishes no DMARC record"),
    ];
    for (domain, failing, words) in cases {
        let (mailbox, org) = signing_mailbox(&app, &key, domain).await;
        let relay = var("MAILLAB_HEALTH_RELAY_IP");
        seen_at_seeds(
            &app,
            org,
            mailbox,
            domain,
            &[relay.clone(), relay.clone(), relay],
        )
        .await;
        let report = checked(&app, &key, domain).await;
        let st = statuses(&report);
        for (c, s) in &st {
            let want = if Some(c.as_str()) == failing {
                "fail"
            } else {
                "pass"
            };
            assert_eq!(s, want, "{domain} {c}: {:#}", check(&report, c));
        }
        assert_eq!(st.len(), 8, "{report:#}");
        assert_eq!(report["score"], weighted(&st), "{domain}: {report:#}");
        if let Some(c) = failing {
            let text = check(&report, c).to_string();
            assert!(text.contains(words), "{domain}: {text}");
            assert!(check(&report, c)["fix"].is_string());
            assert_eq!(check(&report, c)["points"], 0);
        }
        // The latest report is the one just made.
        let id = domain_id(&app, &key, domain).await;
        let latest = app
            .get(&format!("/v1/domains/{id}/health"), &key)
            .await
            .expect(200)
            .json;
        assert_eq!(latest["state"], "checked", "{latest:#}");
        for field in [
            "domain",
            "checked_at",
            "score",
            "grade",
            "checks",
            "contributions",
        ] {
            assert_eq!(latest[field], report[field], "{domain} {field}: {latest:#}");
        }
    }
    // The good domain: every part seen, the score 100, A.
    let good = app
        .get(
            &format!(
                "/v1/domains/{}/health",
                domain_id(&app, &key, "good.test").await
            ),
            &key,
        )
        .await
        .expect(200)
        .json;
    assert_eq!(
        (good["score"].clone(), good["grade"].clone()),
        (json!(100), json!("A"))
    );
    let rdns = check(&good, "reverse_dns").to_string();
    assert!(rdns.contains("relay.good.test"), "{rdns}");
    assert!(check(&good, "dkim").to_string().contains("2048 bits"));
    assert!(
        check(&good, "spf")
            .to_string()
            .contains(&var("MAILLAB_HEALTH_RELAY_IP"))
    );
    let sts = check(&good, "mta_sts").to_string();
    assert!(
        sts.contains("mode enforce") && sts.contains("in the policy"),
        "the policy fetched and the MX in it: {sts}"
    );
    let shares: f64 = good["contributions"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["share"].as_f64()).sum())
        .unwrap_or(0.0);
    assert!((shares - 100.0).abs() < 0.5, "{good:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listed_sending_address_fails_and_a_refusing_list_is_an_error_not_a_listing() {
    let zone = var("MAILLAB_DNSBL_ZONE");
    let refusing = var("MAILLAB_REFUSING_DNSBL_ZONE");
    let app = health_app(Backend::Sqlite, &[&zone, &refusing], &[&refusing]).await;
    let key = app.new_org("Health").await;
    let (mailbox, org) = signing_mailbox(&app, &key, "good.test").await;
    // The lab's own sending address, which its DNSBL lists.
    seen_at_seeds(&app, org, mailbox, "good.test", &["127.0.0.1".to_string()]).await;
    let report = checked(&app, &key, "good.test").await;
    let lists = check(&report, "blocklists");
    assert_eq!(lists["status"], "fail", "{lists:#}");
    let items = lists["items"].as_array().cloned().unwrap_or_default();
    let item = |subject: &str| {
        items
            .iter()
            .find(|i| i["subject"] == subject)
            .unwrap_or_else(|| panic!("no item {subject}: {lists:#}"))
            .clone()
    };
    let listed = item(&format!("127.0.0.1 on {zone}"));
    assert_eq!(listed["status"], "fail");
    assert!(
        listed["detail"].as_str().is_some_and(
            |d| d.contains("127.0.0.2") && d.contains("Listed by the maillab test DNSBL")
        ),
        "{listed}"
    );
    for subject in [
        format!("127.0.0.1 on {refusing}"),
        format!("good.test on {refusing}"),
    ] {
        let e = item(&subject);
        assert_eq!(e["status"], "error", "{e}");
        assert!(
            e["detail"]
                .as_str()
                .is_some_and(|d| d.contains("127.255.255.254") && d.contains("not a listing")),
            "{e}"
        );
    }
    assert_eq!(report["score"], 85, "blocklists give 0 of 15: {report:#}");
    // Told: the new listing, and the domain's first grade.
    let listings = app.events_of("domain.blocklisted").await;
    assert_eq!(listings.len(), 1, "{listings:?}");
    assert_eq!(listings[0]["domain"], "good.test");
    let subjects: Vec<&str> = listings[0]["listings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["subject"].as_str())
        .collect();
    assert_eq!(subjects, [format!("127.0.0.1 on {zone}").as_str()]);
    let grades = app.events_of("domain.health_changed").await;
    assert_eq!(grades.len(), 1, "{grades:?}");
    assert_eq!(grades[0]["grade"], report["grade"]);

    // A list that only refuses decides nothing: the check is left out of the score.
    let app = health_app(Backend::Sqlite, &[&refusing], &[]).await;
    let key = app.new_org("Health").await;
    let (mailbox, org) = signing_mailbox(&app, &key, "good.test").await;
    seen_at_seeds(&app, org, mailbox, "good.test", &["127.0.0.1".to_string()]).await;
    let report = checked(&app, &key, "good.test").await;
    assert_eq!(
        check(&report, "blocklists")["status"],
        "error",
        "{report:#}"
    );
    assert!(check(&report, "blocklists").get("points").is_none());
    assert_eq!(report["score"], 100);
}

/// A policy that does not list the domain's MX only warns, and says which host.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_mta_sts_policy_without_the_mx_host_warns() {
    let app = health_app(Backend::Sqlite, &["clean-bl.test"], &[]).await;
    let key = app.new_org("Health").await;
    let domain = var("MAILLAB_STS_MISMATCH_DOMAIN");
    app.post("/v1/domains", &key, &json!({"name": domain}))
        .await
        .expect(201);
    let report = checked(&app, &key, &domain).await;
    let sts = check(&report, "mta_sts");
    assert_eq!(sts["status"], "warn", "{sts:#}");
    assert_eq!(sts["points"], 2, "half of 5, rounded down");
    let items = sts["items"].as_array().cloned().unwrap_or_default();
    let mx = items
        .iter()
        .find(|i| i["subject"] == "mx.sender.test")
        .unwrap_or_else(|| panic!("no item for the MX: {sts:#}"));
    assert_eq!(mx["status"], "warn");
    assert!(
        mx["detail"]
            .as_str()
            .is_some_and(|d| d.contains("does not list")),
        "{mx}"
    );
}

/// An address the SPF record does not name, whose PTR name does not resolve back to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stray_sending_address_fails_spf_and_reverse_dns() {
    let app = health_app(Backend::Sqlite, &["clean-bl.test"], &[]).await;
    let key = app.new_org("Health").await;
    let (mailbox, org) = signing_mailbox(&app, &key, "good.test").await;
    let stray = var("MAILLAB_HEALTH_UNCONFIRMED_IP");
    let ips = [var("MAILLAB_HEALTH_RELAY_IP"), stray.clone()];
    seen_at_seeds(&app, org, mailbox, "good.test", &ips).await;
    let report = checked(&app, &key, "good.test").await;
    let st = statuses(&report);
    assert_eq!(st["spf"], "fail", "{report:#}");
    assert_eq!(st["reverse_dns"], "fail", "{report:#}");
    let spf = check(&report, "spf").to_string();
    assert!(
        spf.contains(&stray) && spf.contains("SPF says fail"),
        "{spf}"
    );
    let rdns = check(&report, "reverse_dns").to_string();
    assert!(
        rdns.contains("unconfirmed.good.test") && rdns.contains("not forward-confirmed"),
        "{rdns}"
    );
    assert_eq!(report["score"], weighted(&st));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domains_come_with_mailboxes_are_checked_on_schedule_and_again_when_a_dkim_key_changes() {
    let app = health_app(Backend::Sqlite, &["clean-bl.test"], &[]).await;
    let key = app.new_org("Health").await;
    let m = app
        .create_mailbox(
            &key,
            &mailbox_body(
                &format!("w-{}@good.test", &Uuid::new_v4().simple().to_string()[..8]),
                "pw",
            ),
        )
        .await;
    let mailbox_id = m["id"].as_str().unwrap_or_default().to_string();
    let list = app.get("/v1/domains", &key).await.expect(200).json;
    assert_eq!(list["items"][0]["name"], "good.test");
    assert_eq!(list["items"][0]["source"], "mailbox");
    assert_eq!(list["items"][0]["mailboxes"], 1);
    let id = domain_id(&app, &key, "good.test").await;
    let pending = app
        .get(&format!("/v1/domains/{id}/health"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(pending["state"], "pending", "{pending}");

    // Added by name; not twice; a name that is not a domain is refused.
    let added = app
        .post("/v1/domains", &key, &json!({"name": "Example.COM."}))
        .await
        .expect(201)
        .json;
    assert_eq!(
        (added["name"].clone(), added["source"].clone()),
        (json!("example.com"), json!("manual"))
    );
    app.post("/v1/domains", &key, &json!({"name": "example.com"}))
        .await
        .expect(409);
    app.post("/v1/domains", &key, &json!({"name": "localhost"}))
        .await
        .expect(422);
    app.post("/v1/domains", &key, &json!({"name": "127.0.0.1"}))
        .await
        .expect(422);
    // A domain its mailboxes use cannot go; one added by name can.
    app.delete(&format!("/v1/domains/{id}"), &key)
        .await
        .expect(409);
    app.delete(
        &format!("/v1/domains/{}", added["id"].as_str().unwrap_or_default()),
        &key,
    )
    .await
    .expect(204);
    // Another organization sees none of it.
    let other = app.new_org("Other").await;
    app.get(&format!("/v1/domains/{id}"), &other)
        .await
        .expect(404);

    // The worker checks the new domain on its own...
    let (stop, worker) = start_worker(&app);
    let history_path = format!("/v1/domains/{id}/health/history");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let first = loop {
        let h = app.get(&history_path, &key).await.expect(200).json;
        if let Some(item) = h["items"].as_array().and_then(|a| a.first()).cloned() {
            break item;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no scheduled check: {h}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(first["trigger"], "scheduled", "{first}");
    // ...and again at once when the mailbox gets a DKIM key.
    app.patch(
        &format!("/v1/mailboxes/{mailbox_id}"),
        &key,
        &json!({"dkim": {"selector": var("MAILLAB_DKIM_SELECTOR"), "private_key": lab_key()}}),
    )
    .await
    .expect(200);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let after_key = loop {
        let h = app.get(&history_path, &key).await.expect(200).json;
        if let Some(item) = h["items"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["trigger"] == "dkim_changed"))
            .cloned()
        {
            break item;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no check after the key changed: {h}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let _ = stop.send(());
    let _ = worker.await;
    let dkim = after_key["checks"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["check"] == "dkim"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(dkim["status"], "pass", "{after_key}");

    // By hand: once a minute at most.
    app.post(&format!("/v1/domains/{id}/checks"), &key, &json!({}))
        .await
        .expect(201);
    let r = app
        .post(&format!("/v1/domains/{id}/checks"), &key, &json!({}))
        .await
        .expect(429);
    assert!(r.headers.get("retry-after").is_some(), "{}", r.text);
    // Around today, whichever side of midnight the checks fell on.
    let today = Utc::now().date_naive();
    let (from, to) = (
        today.pred_opt().unwrap_or(today),
        today.succ_opt().unwrap_or(today),
    );
    let h = app
        .get(
            &format!("/v1/domains/{id}/health/history?from={from}&to={to}"),
            &key,
        )
        .await
        .expect(200)
        .json;
    assert!(h["items"].as_array().is_some_and(|a| a.len() >= 3), "{h}");
}
