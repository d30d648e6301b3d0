//! The inbox placement report through the API: the list with its filters and pages, the
//! summary's arithmetic, validation and tenancy. Rows are written as the workers would.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use serde_json::{Value, json};
use uuid::Uuid;
use warmup_entity::store::rollups;
use warmup_entity::{OrgId, engagement_action, mailbox, placement, send};

use crate::helpers::{ADMIN_KEY, Reply, TestApp, mailbox_body};
use crate::on_both_databases;

on_both_databases!(
    placements_list_with_subject_authentication_reply_and_actions,
    placements_filter_by_provider_class_and_days,
    placements_page_newest_first_without_repeats_or_gaps,
    placement_queries_are_validated_field_by_field,
    placement_summary_counts_and_rates_per_provider_and_day,
    placements_of_another_organization_are_404,
);

/// One message as the workers leave it: where it was sent, and its class (`None`: still
/// looked for).
pub(crate) struct Landed<'a> {
    date: &'a str,
    provider: &'a str,
    class: Option<&'a str>,
    /// Minutes after 2026-03-01 08:00 UTC that it was sent.
    minute: i64,
}

pub(crate) const fn landed<'a>(
    date: &'a str,
    provider: &'a str,
    class: Option<&'a str>,
    minute: i64,
) -> Landed<'a> {
    Landed {
        date,
        provider,
        class,
        minute,
    }
}

/// Twelve messages over three days and three providers; two were sent at the same moment.
const MESSAGES: [Landed<'static>; 12] = [
    landed("2026-03-01", "gmail", Some("inbox"), 0),
    landed("2026-03-01", "gmail", Some("spam"), 10),
    landed("2026-03-01", "outlook", Some("category"), 20),
    landed("2026-03-01", "outlook", None, 30),
    landed("2026-03-02", "gmail", Some("inbox"), 1440),
    landed("2026-03-02", "yahoo", Some("missing"), 1450),
    landed("2026-03-02", "yahoo", Some("other"), 1450),
    landed("2026-03-02", "gmail", None, 1460),
    landed("2026-03-03", "outlook", Some("inbox"), 2880),
    landed("2026-03-03", "outlook", Some("spam"), 2890),
    landed("2026-03-03", "gmail", Some("inbox"), 2900),
    landed("2026-03-03", "yahoo", Some("unknown"), 2910),
];

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0)
        .single()
        .unwrap_or_default()
}

async fn mailbox_id(app: &TestApp, key: &str, email: &str) -> Uuid {
    let m = app.create_mailbox(key, &mailbox_body(email, "pw")).await;
    m["id"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("no mailbox id in {m}"))
}

async fn org_of(app: &TestApp, mailbox: Uuid) -> Uuid {
    mailbox::Entity::find_by_id(mailbox)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .map(|m| m.organization_id)
        .unwrap_or_else(|| panic!("mailbox {mailbox} not stored"))
}

/// Stores a sent message and its placement; returns the send id.
pub(crate) async fn store(app: &TestApp, mailbox: Uuid, n: usize, m: &Landed<'_>) -> Uuid {
    let org = org_of(app, mailbox).await;
    let id = Uuid::now_v7();
    let sent_at = base() + Duration::minutes(m.minute);
    let message_id = format!("{}@sender.example", id.simple());
    let draft = send::Draft {
        organization_id: org,
        mailbox_id: mailbox,
        seed_id: None,
        seed_email: format!("seed{n}@{}.example", m.provider),
        provider: m.provider.into(),
        plan_date: m.date.into(),
        message_id: message_id.clone(),
        language: "en".into(),
        subject: format!("Subject {n}"),
        body: "Hi".into(),
    };
    send::Model {
        id,
        state: "sent".into(),
        attempts: 1,
        last_code: Some(250),
        sent_at: Some(sent_at),
        ..send::Model::planned(draft, sent_at, sent_at)
    }
    .into_active_model()
    .reset_all()
    .insert(&app.db)
    .await
    .unwrap_or_else(|e| panic!("send: {e}"));
    let found = matches!(m.class, Some("inbox" | "spam" | "category" | "other"));
    placement::Model {
        send_id: id,
        organization_id: org,
        mailbox_id: mailbox,
        seed_id: None,
        seed_email: format!("seed{n}@{}.example", m.provider),
        provider: m.provider.into(),
        domain: "acme.example".into(),
        plan_date: m.date.into(),
        message_id,
        sent_at,
        stage: if m.class.is_some() {
            "done"
        } else {
            "locating"
        }
        .into(),
        class: m.class.map(str::to_string),
        folder: found.then(|| "INBOX".to_string()),
        uid: found.then_some(7),
        arrived_at: found.then(|| sent_at + Duration::seconds(42)),
        arrival_seconds: found.then_some(42),
        spf: found.then(|| "pass".to_string()),
        dkim: found.then(|| "pass".to_string()),
        dmarc: found.then(|| "pass".to_string()),
        sending_ip: None,
        lookups: 1,
        next_check_at: sent_at,
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
        created_at: sent_at,
        updated_at: sent_at,
    }
    .into_active_model()
    .reset_all()
    .insert(&app.db)
    .await
    .unwrap_or_else(|e| panic!("placement: {e}"));
    // Written directly, not through the workers' store functions: counted as a repair would.
    rollups::rebuild(&app.db, OrgId(org))
        .await
        .unwrap_or_else(|e| panic!("rebuild: {e}"));
    id
}

/// A mailbox of a new organization with the twelve messages; returns the key, the mailbox and
/// the send ids in `MESSAGES` order.
async fn report(app: &TestApp) -> (String, Uuid, Vec<Uuid>) {
    let key = app.new_org("Acme").await;
    let mailbox = mailbox_id(app, &key, "p@acme.example").await;
    let mut ids = Vec::new();
    for (n, m) in MESSAGES.iter().enumerate() {
        ids.push(store(app, mailbox, n, m).await);
    }
    (key, mailbox, ids)
}

async fn action(app: &TestApp, send_id: Uuid, name: &str, at: DateTime<Utc>, ok: bool) {
    engagement_action::Model {
        id: Uuid::now_v7(),
        send_id,
        action: name.into(),
        at,
        ok,
        detail: format!("{name} detail"),
    }
    .into_active_model()
    .reset_all()
    .insert(&app.db)
    .await
    .unwrap_or_else(|e| panic!("action: {e}"));
}

fn items(r: &Reply) -> Vec<Value> {
    r.json["items"].as_array().cloned().unwrap_or_default()
}

fn ids(r: &Reply) -> Vec<String> {
    items(r)
        .iter()
        .filter_map(|i| i["send_id"].as_str().map(str::to_string))
        .collect()
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

async fn placements_list_with_subject_authentication_reply_and_actions(app: &TestApp) {
    let (key, mailbox, ids) = report(app).await;
    let first = ids[0];
    // Engagement of the first message, as the worker records it.
    let sent = base();
    let mut row = placement::Entity::find_by_id(first)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no placement"))
        .into_active_model();
    row.stage = sea_orm::Set("engaging".into());
    row.opened_at = sea_orm::Set(Some(sent + Duration::minutes(5)));
    row.replied_at = sea_orm::Set(Some(sent + Duration::minutes(9)));
    row.reply_message_id = sea_orm::Set(Some("reply-1@seed.example".into()));
    row.reply_class = sea_orm::Set(Some("spam".into()));
    row.reply_folder = sea_orm::Set(Some("Junk".into()));
    row.reply_seen_at = sea_orm::Set(Some(sent + Duration::minutes(20)));
    row.last_error = sea_orm::Set(Some("flag refused".into()));
    row.update(&app.db)
        .await
        .unwrap_or_else(|e| panic!("update: {e}"));
    // Written out of order: the list sorts them by time.
    action(app, first, "reply", sent + Duration::minutes(9), true).await;
    action(app, first, "located", sent + Duration::minutes(1), true).await;
    action(app, first, "flag", sent + Duration::minutes(7), false).await;
    action(app, first, "open", sent + Duration::minutes(5), true).await;
    action(app, ids[1], "located", sent + Duration::minutes(12), true).await;

    let r = app
        .get(&format!("/v1/mailboxes/{mailbox}/placements"), &key)
        .await
        .expect(200);
    let list = items(&r);
    assert_eq!(list.len(), 12, "{}", r.text);
    assert!(r.json.get("next").is_none(), "one page: {}", r.text);
    let item = list
        .iter()
        .find(|i| i["send_id"] == first.to_string())
        .cloned()
        .unwrap_or_default();
    assert_eq!(item["subject"], "Subject 0");
    assert_eq!(item["seed_email"], "seed0@gmail.example");
    assert_eq!(item["provider"], "gmail");
    assert_eq!(item["plan_date"], "2026-03-01");
    assert!(
        item["message_id"]
            .as_str()
            .is_some_and(|m| m.ends_with("@sender.example"))
    );
    assert_eq!(time(&item["sent_at"]), Some(sent));
    assert_eq!(item["status"], "engaging");
    assert_eq!(item["class"], "inbox");
    assert_eq!(item["folder"], "INBOX");
    assert_eq!(
        time(&item["arrived_at"]),
        Some(sent + Duration::seconds(42))
    );
    assert_eq!(item["arrival_seconds"], 42);
    assert_eq!(
        item["authentication"],
        json!({"spf": "pass", "dkim": "pass", "dmarc": "pass"})
    );
    assert_eq!(time(&item["opened_at"]), Some(sent + Duration::minutes(5)));
    assert!(item["flagged_at"].is_null() && item["rescued_at"].is_null());
    assert_eq!(time(&item["replied_at"]), Some(sent + Duration::minutes(9)));
    assert!(item["archived_at"].is_null());
    assert_eq!(item["reply"]["message_id"], "reply-1@seed.example");
    assert_eq!(item["reply"]["class"], "spam");
    assert_eq!(item["reply"]["folder"], "Junk");
    assert_eq!(
        time(&item["reply"]["seen_at"]),
        Some(sent + Duration::minutes(20))
    );
    assert_eq!(item["last_error"], "flag refused");
    let actions = item["actions"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = actions
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert_eq!(names, ["located", "open", "flag", "reply"], "oldest first");
    assert_eq!(
        actions[2],
        json!({"action": "flag", "at": actions[2]["at"], "ok": false, "detail": "flag detail"})
    );
    assert_eq!(time(&actions[0]["at"]), Some(sent + Duration::minutes(1)));

    let second = list
        .iter()
        .find(|i| i["send_id"] == ids[1].to_string())
        .cloned()
        .unwrap_or_default();
    assert_eq!(second["actions"].as_array().map(Vec::len), Some(1));
    assert!(second["reply"].is_null());

    // Still looked for: no class, nothing found yet.
    let pending = list
        .iter()
        .find(|i| i["send_id"] == ids[3].to_string())
        .cloned()
        .unwrap_or_default();
    assert_eq!(pending["status"], "locating");
    for field in ["class", "folder", "arrived_at", "arrival_seconds", "reply"] {
        assert!(pending[field].is_null(), "{field}: {pending}");
    }
    assert_eq!(
        pending["authentication"],
        json!({"spf": null, "dkim": null, "dmarc": null})
    );
    assert_eq!(pending["actions"], json!([]));
    assert_eq!(pending["subject"], "Subject 3");
}

async fn placements_filter_by_provider_class_and_days(app: &TestApp) {
    let (key, mailbox, ids) = report(app).await;
    let path = format!("/v1/mailboxes/{mailbox}/placements");
    let select = |keep: &dyn Fn(&Landed<'_>) -> bool| -> HashSet<String> {
        MESSAGES
            .iter()
            .zip(&ids)
            .filter(|(m, _)| keep(m))
            .map(|(_, id)| id.to_string())
            .collect()
    };
    let cases: [(&str, HashSet<String>); 8] = [
        ("provider=gmail", select(&|m| m.provider == "gmail")),
        ("class=inbox", select(&|m| m.class == Some("inbox"))),
        ("class=pending", select(&|m| m.class.is_none())),
        ("class=missing", select(&|m| m.class == Some("missing"))),
        ("class=unknown", select(&|m| m.class == Some("unknown"))),
        (
            "from=2026-03-02&to=2026-03-02",
            select(&|m| m.date == "2026-03-02"),
        ),
        ("from=2026-03-03", select(&|m| m.date == "2026-03-03")),
        (
            "provider=outlook&class=spam&to=2026-03-03",
            select(&|m| m.provider == "outlook" && m.class == Some("spam")),
        ),
    ];
    for (query, expected) in cases {
        let r = app.get(&format!("{path}?{query}"), &key).await.expect(200);
        let got: HashSet<String> = ids_of(&r);
        assert!(!expected.is_empty(), "{query}");
        assert_eq!(got, expected, "{query}: {}", r.text);
    }
    let r = app
        .get(&format!("{path}?provider=zoho"), &key)
        .await
        .expect(200);
    assert_eq!(r.json["items"], json!([]));
    let r = app
        .get(&format!("{path}?class=pending&provider=outlook"), &key)
        .await
        .expect(200);
    assert!(items(&r).iter().all(|i| i["class"].is_null()));
    assert_eq!(items(&r).len(), 1);
    let r = app
        .get(&format!("{path}?class=unknown&provider=yahoo"), &key)
        .await
        .expect(200);
    assert!(items(&r).iter().all(|i| i["class"] == "unknown"));
    assert_eq!(items(&r).len(), 1);
}

fn ids_of(r: &Reply) -> HashSet<String> {
    ids(r).into_iter().collect()
}

async fn placements_page_newest_first_without_repeats_or_gaps(app: &TestApp) {
    let (key, mailbox, ids) = report(app).await;
    let path = format!("/v1/mailboxes/{mailbox}/placements");
    let all = app.get(&path, &key).await.expect(200);
    let order = self::ids(&all);
    let sent: Vec<DateTime<Utc>> = items(&all)
        .iter()
        .filter_map(|i| time(&i["sent_at"]))
        .collect();
    assert_eq!(sent.len(), 12);
    assert!(sent.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert_eq!(order[0], ids[11].to_string());
    assert_eq!(order[11], ids[0].to_string());

    for (query, expected_pages) in [("limit=5", vec![5, 5, 2]), ("limit=1", vec![1; 12])] {
        let mut seen = Vec::new();
        let mut pages = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let url = match &after {
                Some(a) => format!("{path}?{query}&after={a}"),
                None => format!("{path}?{query}"),
            };
            let r = app.get(&url, &key).await.expect(200);
            pages.push(items(&r).len());
            seen.extend(self::ids(&r));
            match r.json["next"].as_str() {
                Some(n) => after = Some(n.to_string()),
                None => break,
            }
            assert!(pages.len() <= 12, "paging does not end");
        }
        assert_eq!(pages, expected_pages, "{query}");
        assert_eq!(seen, order, "{query}: every item once, in order");
    }

    // Pages of a filtered list stay within the filter.
    let mut seen = Vec::new();
    let mut url = format!("{path}?provider=gmail&limit=2");
    loop {
        let r = app.get(&url, &key).await.expect(200);
        assert!(items(&r).iter().all(|i| i["provider"] == "gmail"));
        seen.extend(self::ids(&r));
        match r.json["next"].as_str() {
            Some(n) => url = format!("{path}?provider=gmail&limit=2&after={n}"),
            None => break,
        }
    }
    let gmail: Vec<String> = order
        .iter()
        .filter(|id| {
            MESSAGES
                .iter()
                .zip(&ids)
                .any(|(m, i)| i.to_string() == **id && m.provider == "gmail")
        })
        .cloned()
        .collect();
    assert_eq!(seen, gmail);
}

async fn placement_queries_are_validated_field_by_field(app: &TestApp) {
    let (key, mailbox, _) = report(app).await;
    let list = format!("/v1/mailboxes/{mailbox}/placements");
    let summary = format!("/v1/mailboxes/{mailbox}/placement-summary");
    let cases: [(&str, &str, &[&str]); 13] = [
        (&list, "class=junk", &["class"]),
        (&list, "provider=hotmail", &["provider"]),
        (&list, "from=2026-02-30", &["from"]),
        (&list, "to=yesterday", &["to"]),
        (&list, "from=2026-03-05&to=2026-03-01", &["from"]),
        (&list, "limit=0", &["limit"]),
        (&list, "after=not-a-cursor", &["after"]),
        (
            &list,
            "provider=hotmail&class=junk&from=x&limit=500",
            &["provider", "class", "from", "limit"],
        ),
        (&summary, "from=03/01/2026", &["from"]),
        (&summary, "to=2026-03-32", &["to"]),
        (&summary, "from=2026-03-05&to=2026-03-01", &["from"]),
        (&summary, "from=2025-02-28&to=2026-03-01", &["from"]),
        (&summary, "from=2000-01-01", &["from"]),
    ];
    for (path, query, fields) in cases {
        let r = app
            .get(&format!("{path}?{query}"), &key)
            .await
            .expect_problem(422, "validation");
        assert_eq!(r.fields(), fields, "{path}?{query}: {}", r.text);
    }
    // A cursor that is no placement of this mailbox.
    let r = app
        .get(&format!("{list}?after={}", Uuid::now_v7()), &key)
        .await
        .expect_problem(422, "validation");
    assert_eq!(r.fields(), ["after"]);
    // 366 days is the longest range.
    let r = app
        .get(&format!("{summary}?from=2025-03-01&to=2026-03-01"), &key)
        .await
        .expect(200);
    assert_eq!(r.json["from"], "2025-03-01");
}

/// The rates and counts of one `Rates` object, as `[total, inbox, spam, category, other,
/// missing, pending, unknown]` and the five rates.
fn numbers(r: &Value) -> (Vec<u64>, Vec<Option<f64>>) {
    let counts = [
        "total", "inbox", "spam", "category", "other", "missing", "pending", "unknown",
    ]
    .iter()
    .map(|k| r[*k].as_u64().unwrap_or(u64::MAX))
    .collect();
    let rates = [
        "inbox_rate",
        "spam_rate",
        "category_rate",
        "other_rate",
        "missing_rate",
    ]
    .iter()
    .map(|k| r[*k].as_f64())
    .collect();
    (counts, rates)
}

fn rates(v: [f64; 5]) -> Vec<Option<f64>> {
    v.into_iter().map(Some).collect()
}

async fn placement_summary_counts_and_rates_per_provider_and_day(app: &TestApp) {
    let (key, mailbox, _) = report(app).await;
    // Another organization's messages on the same days count only for it.
    let other = app.new_org("Other").await;
    let foreign = mailbox_id(app, &other, "o@other.example").await;
    store(
        app,
        foreign,
        0,
        &landed("2026-03-01", "gmail", Some("spam"), 5),
    )
    .await;

    let path = format!("/v1/mailboxes/{mailbox}/placement-summary");
    let r = app
        .get(&format!("{path}?from=2026-03-01&to=2026-03-03"), &key)
        .await
        .expect(200);
    let s = &r.json;
    assert_eq!(s["from"], "2026-03-01");
    assert_eq!(s["to"], "2026-03-03");
    // 12 messages, 2 pending and 1 unknown: rates are over the 9 decided.
    assert_eq!(
        numbers(&s["overall"]),
        (
            vec![12, 4, 2, 1, 1, 1, 2, 1],
            rates([44.4, 22.2, 11.1, 11.1, 11.1])
        ),
        "{}",
        r.text
    );
    let providers = s["providers"].as_object().cloned().unwrap_or_default();
    assert_eq!(
        providers.keys().collect::<Vec<_>>(),
        ["gmail", "outlook", "yahoo"]
    );
    assert_eq!(
        numbers(&s["providers"]["gmail"]),
        (
            vec![5, 3, 1, 0, 0, 0, 1, 0],
            rates([75.0, 25.0, 0.0, 0.0, 0.0])
        )
    );
    assert_eq!(
        numbers(&s["providers"]["outlook"]),
        (
            vec![4, 1, 1, 1, 0, 0, 1, 0],
            rates([33.3, 33.3, 33.3, 0.0, 0.0])
        )
    );
    assert_eq!(
        numbers(&s["providers"]["yahoo"]),
        (
            vec![3, 0, 0, 0, 1, 1, 0, 1],
            rates([0.0, 0.0, 0.0, 50.0, 50.0])
        )
    );
    let days = s["days"].as_array().cloned().unwrap_or_default();
    let dates: Vec<&str> = days.iter().filter_map(|d| d["date"].as_str()).collect();
    assert_eq!(dates, ["2026-03-01", "2026-03-02", "2026-03-03"]);
    assert_eq!(
        numbers(&days[0]["overall"]),
        (
            vec![4, 1, 1, 1, 0, 0, 1, 0],
            rates([33.3, 33.3, 33.3, 0.0, 0.0])
        )
    );
    assert_eq!(
        numbers(&days[0]["providers"]["gmail"]),
        (
            vec![2, 1, 1, 0, 0, 0, 0, 0],
            rates([50.0, 50.0, 0.0, 0.0, 0.0])
        )
    );
    assert_eq!(
        numbers(&days[1]["overall"]),
        (
            vec![4, 1, 0, 0, 1, 1, 1, 0],
            rates([33.3, 0.0, 0.0, 33.3, 33.3])
        )
    );
    assert_eq!(
        numbers(&days[2]["overall"]),
        (
            vec![4, 2, 1, 0, 0, 0, 0, 1],
            rates([66.7, 33.3, 0.0, 0.0, 0.0])
        )
    );
    // Only a message given up on: nothing decided, so no rates.
    assert_eq!(
        numbers(&days[2]["providers"]["yahoo"]),
        (vec![1, 0, 0, 0, 0, 0, 0, 1], vec![None; 5])
    );

    // A narrower range counts only its days.
    let r = app
        .get(&format!("{path}?from=2026-03-02&to=2026-03-02"), &key)
        .await
        .expect(200);
    assert_eq!(
        numbers(&r.json["overall"]).0,
        vec![4, 1, 0, 0, 1, 1, 1, 0],
        "{}",
        r.text
    );
    assert_eq!(r.json["days"].as_array().map(Vec::len), Some(1));
    // Nothing in the range: zeros, no rates, no days.
    let r = app
        .get(&format!("{path}?from=2026-04-01&to=2026-04-30"), &key)
        .await
        .expect(200);
    assert_eq!(
        numbers(&r.json["overall"]),
        (vec![0; 8], vec![None; 5]),
        "{}",
        r.text
    );
    assert_eq!(r.json["providers"], json!({}));
    assert_eq!(r.json["days"], json!([]));

    // By default the last 30 days up to the mailbox's today.
    let r = app.get(&path, &key).await.expect(200);
    let day = |v: &Value| {
        v.as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let (Some(from), Some(to)) = (day(&r.json["from"]), day(&r.json["to"])) else {
        panic!("no range in {}", r.text);
    };
    assert_eq!(to - from, Duration::days(29));
    let utc_today = Utc::now().date_naive();
    assert!(
        (to - utc_today).num_days().abs() <= 1,
        "to {to} is not today ({utc_today} in UTC)"
    );
    let before = numbers(&r.json["overall"]).0;
    let in_range = MESSAGES
        .iter()
        .filter(|m| day(&json!(m.date)).is_some_and(|d| (from..=to).contains(&d)))
        .count() as u64;
    assert_eq!(before[0], in_range, "{}", r.text);
    for (n, date) in [(20, to), (21, from), (22, from - Duration::days(1))] {
        let date = date.format("%Y-%m-%d").to_string();
        store(app, mailbox, n, &landed(&date, "zoho", Some("inbox"), 5000)).await;
    }
    let r = app.get(&path, &key).await.expect(200);
    assert_eq!(
        r.json["providers"]["zoho"]["total"], 2,
        "the first and the last day count, the day before does not: {}",
        r.text
    );
}

async fn placements_of_another_organization_are_404(app: &TestApp) {
    let (key, mailbox, _) = report(app).await;
    let other = app.new_org("Other").await;
    for path in [
        format!("/v1/mailboxes/{mailbox}/placements"),
        format!("/v1/mailboxes/{mailbox}/placement-summary"),
        format!("/v1/mailboxes/{}/placements", Uuid::now_v7()),
        format!("/v1/mailboxes/{}/placement-summary", Uuid::now_v7()),
    ] {
        for caller in [other.as_str(), ADMIN_KEY] {
            let r = app
                .get(&path, caller)
                .await
                .expect_problem(404, "not_found");
            assert!(!r.text.contains("acme"), "{}", r.text);
        }
        // Bad parameters do not tell a foreign mailbox from a missing one either.
        app.get(&format!("{path}?class=junk"), &other)
            .await
            .expect_problem(404, "not_found");
    }
    app.get(&format!("/v1/mailboxes/{mailbox}/placements"), &key)
        .await
        .expect(200);
}
