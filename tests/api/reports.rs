//! The organization's placement report and the rollups behind it: numbers against a fixture
//! counted by hand, every grouping and filter, CSV read back with a CSV library, validation,
//! and a random walk of decisions, re-decisions and deletions after which the rollups must
//! still equal a count over the rows. Rows are written through the store functions the
//! workers use, so the rollups are kept as in production.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;
use warmup_domain::placement::{PlacementClass, ReportGroup, summarize_groups};
use warmup_entity::store::engagement::{self, Located, Work};
use warmup_entity::store::rollups::{self, ReportQuery};
use warmup_entity::store::seed_list::{self, Found};
use warmup_entity::{OrgId, placement, seed, send};

use crate::helpers::{TestApp, mailbox_body};
use crate::on_both_databases;
use crate::seed_splits::{pool, split};

on_both_databases!(
    the_report_equals_a_count_by_hand_in_every_grouping,
    report_csv_parses_with_the_same_rows,
    the_mailbox_audit_trail_comes_as_csv,
    report_parameters_are_validated_field_by_field,
    rollups_equal_a_count_over_the_rows_after_random_changes,
    the_migration_counts_what_was_there_before,
);

fn uuid(v: &Value) -> Uuid {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a uuid: {v}"))
}

/// A mailbox of the caller's organization: its id and the organization's.
pub(crate) async fn mailbox(app: &TestApp, key: &str, email: &str) -> (Uuid, Uuid) {
    let m = app.create_mailbox(key, &mailbox_body(email, "pw")).await;
    app.mailbox_and_org(m["id"].as_str().unwrap_or_default())
        .await
}

/// A warmup message sent from `mailbox` on plan day `day`, now looked for at its seed.
pub(crate) async fn sent(
    app: &TestApp,
    org: Uuid,
    mailbox: Uuid,
    day: &str,
    provider: &str,
) -> send::Model {
    let now = Utc::now();
    let id = Uuid::now_v7();
    let s = send::Model {
        id,
        state: "sent".into(),
        attempts: 1,
        sent_at: Some(now),
        ..send::Model::planned(
            send::Draft {
                organization_id: org,
                mailbox_id: mailbox,
                seed_id: None,
                seed_email: format!("seed-{}@{provider}.example", id.simple()),
                provider: provider.into(),
                plan_date: day.into(),
                message_id: format!("{}@sender.example", id.simple()),
                language: "en".into(),
                subject: "Hello".into(),
                body: "Hi".into(),
            },
            now,
            now,
        )
    };
    s.clone()
        .into_active_model()
        .reset_all()
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("send: {e}"));
    engagement::start_locating(&app.db, &s, None, now, now)
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
    s
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome {
    Found(PlacementClass),
    Missing,
    GivenUp,
}

/// Decides a warmup placement as the engagement worker does.
pub(crate) async fn decide(app: &TestApp, s: &send::Model, outcome: Outcome) {
    let now = Utc::now();
    let p = placement::Entity::find_by_id(s.id)
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no placement {}", s.id));
    let w = Work {
        placement: p,
        send: s.clone(),
    };
    let done = match outcome {
        Outcome::Found(class) => {
            let l = Located {
                class,
                folder: "INBOX".into(),
                uid: 1,
                arrived_at: Some(now),
                spf: "pass".into(),
                dkim: "pass".into(),
                dmarc: "pass".into(),
                sending_ip: None,
                auth_detail: String::new(),
                plan: None,
                next_check_at: now,
            };
            engagement::record_located(&app.db, &w, l, now).await
        }
        Outcome::Missing => engagement::record_missing(&app.db, s.id, "not found", now).await,
        Outcome::GivenUp => {
            engagement::finish_with_error(&app.db, s.id, "the seed refused the login", now).await
        }
    };
    done.unwrap_or_else(|e| panic!("decide: {e}"));
}

/// A gmail split of two pool seeds for `key`'s organization: its id and the seeds' ids.
pub(crate) async fn seed_split(
    app: &TestApp,
    key: &str,
    prefix: &str,
    sender: &str,
) -> (Uuid, Vec<Uuid>) {
    let emails = pool(app, prefix, "gmail", 2).await;
    let s = split(
        app,
        key,
        json!({"provider": "gmail", "seeds_amount": 2, "senders": [sender]}),
    )
    .await;
    let mut seeds = Vec::new();
    for email in &emails {
        let row = seed::Entity::find()
            .filter(seed::Column::Email.eq(email.as_str()))
            .one(&app.db)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no seed {email}"));
        seeds.push(row.id);
    }
    (uuid(&s["id"]), seeds)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn campaign_message(
    split_id: Uuid,
    org: Uuid,
    seed_id: Uuid,
    sender: &str,
    message_id: &str,
    subject: &str,
    class: PlacementClass,
    at: DateTime<Utc>,
) -> Found {
    Found {
        split_id,
        organization_id: org,
        seed_id,
        seed_email: format!("{seed_id}@seeds.example"),
        provider: "gmail".into(),
        message_id: message_id.into(),
        sender: sender.into(),
        reply_to: sender.into(),
        subject: subject.into(),
        campaign: subject.into(),
        class,
        folder: "INBOX".into(),
        uid: 1,
        arrived_at: at,
        arrival_bound: at,
        spf: "pass".into(),
        dkim: "pass".into(),
        dmarc: "pass".into(),
        sending_ip: None,
        plan: None,
        next_check_at: at,
        note: None,
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `(total, inbox, spam, category, other, missing, pending, unknown)` of a `Rates` object.
fn counts(r: &Value) -> [u64; 8] {
    [
        "total", "inbox", "spam", "category", "other", "missing", "pending", "unknown",
    ]
    .map(|k| r[k].as_u64().unwrap_or(u64::MAX))
}

/// The report's groups as key → counts.
fn groups(r: &Value) -> Vec<(String, [u64; 8])> {
    r["groups"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|g| {
                    (
                        g["key"].as_str().unwrap_or_default().to_string(),
                        counts(&g["rates"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Everything the fixture holds, for the tests that read it.
struct Fixture {
    key: String,
    a: Uuid,
    b: Uuid,
    split: Uuid,
    d0: NaiveDate,
    d1: NaiveDate,
    campaign_day: NaiveDate,
}

/// Two mailboxes of Acme with warmup placements in every state, a seed-list campaign that
/// reached one seed of two, and another organization's placement that must never show.
async fn fixture(app: &TestApp) -> Fixture {
    let today = Utc::now().date_naive();
    let (d0, d1) = (today - Duration::days(2), today - Duration::days(1));
    let key = app.new_org("Acme").await;
    let (a, org) = mailbox(app, &key, "a@acme.example").await;
    let (b, _) = mailbox(app, &key, "b@Beta.Example").await;
    use Outcome::{Found, GivenUp, Missing};
    use PlacementClass::{Category, Inbox, Spam};
    let plan = [
        (a, d0, "gmail", Some(Found(Inbox))),
        (a, d0, "gmail", Some(Found(Spam))),
        (a, d0, "outlook", Some(Found(Category))),
        (a, d1, "gmail", Some(Found(Inbox))),
        (a, d1, "yahoo", Some(Missing)),
        (a, d1, "yahoo", None),
        (b, d0, "gmail", Some(Found(Inbox))),
        (b, d1, "outlook", Some(GivenUp)),
    ];
    for (m, d, provider, outcome) in plan {
        let s = sent(app, org, m, &day(d), provider).await;
        if let Some(o) = outcome {
            decide(app, &s, o).await;
        }
    }
    // Another organization's message on the same day.
    let other = app.new_org("Other").await;
    let (x, other_org) = mailbox(app, &other, "x@acme.example").await;
    let s = sent(app, other_org, x, &day(d0), "gmail").await;
    decide(app, &s, Found(Inbox)).await;

    let (split_id, seeds) = seed_split(app, &key, "fx", "news@news.example").await;
    let window = Duration::hours(4);
    let t = Utc::now() + Duration::minutes(1);
    let f = campaign_message(
        split_id,
        org,
        seeds[0],
        "news@news.example",
        "n1@esp",
        "Launch",
        Inbox,
        t,
    );
    assert!(
        seed_list::record_found(&app.db, f, window, t)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    seed_list::close_campaigns(&app.db, t + window + Duration::minutes(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Fixture {
        key,
        a,
        b,
        split: split_id,
        d0,
        d1,
        campaign_day: t.date_naive(),
    }
}

async fn report(app: &TestApp, f: &Fixture, query: &str) -> Value {
    let to = day(Utc::now().date_naive() + Duration::days(1));
    let path = format!("/v1/reports/placement?from={}&to={to}&{query}", day(f.d0));
    app.get(&path, &f.key).await.expect(200).json
}

async fn the_report_equals_a_count_by_hand_in_every_grouping(app: &TestApp) {
    let f = fixture(app).await;
    //                                   total inbox spam cat other miss pend unkn
    let r = report(app, &f, "group_by=provider").await;
    assert_eq!(
        groups(&r),
        [
            ("gmail".to_string(), [6, 4, 1, 0, 0, 1, 0, 0]),
            ("outlook".to_string(), [2, 0, 0, 1, 0, 0, 0, 1]),
            ("yahoo".to_string(), [2, 0, 0, 0, 0, 1, 1, 0]),
        ],
        "{r}"
    );
    assert_eq!(counts(&r["overall"]), [10, 4, 1, 1, 0, 2, 1, 1]);
    // Rates of the decided: 8 of 10.
    assert_eq!(r["overall"]["inbox_rate"], 50.0);
    assert_eq!(r["overall"]["missing_rate"], 25.0);
    assert_eq!(r["groups"][0]["rates"]["inbox_rate"], 66.7);
    assert_eq!(r["groups"][1]["rates"]["category_rate"], 100.0);
    assert_eq!(r["group_by"], "provider");

    // The default grouping is by provider.
    let default = report(app, &f, "").await;
    assert_eq!(groups(&default), groups(&r));

    // Seed-list messages have no mailbox: left out of a report per mailbox.
    let r = report(app, &f, "group_by=mailbox").await;
    let mut want = vec![
        (f.a.to_string(), [6, 2, 1, 1, 0, 1, 1, 0]),
        (f.b.to_string(), [2, 1, 0, 0, 0, 0, 0, 1]),
    ];
    want.sort();
    assert_eq!(groups(&r), want, "{r}");
    assert_eq!(counts(&r["overall"])[0], 8);

    let r = report(app, &f, "group_by=domain").await;
    assert_eq!(
        groups(&r),
        [
            ("acme.example".to_string(), [6, 2, 1, 1, 0, 1, 1, 0]),
            ("beta.example".to_string(), [2, 1, 0, 0, 0, 0, 0, 1]),
            ("news.example".to_string(), [2, 1, 0, 0, 0, 1, 0, 0]),
        ],
        "{r}"
    );

    let r = report(app, &f, "group_by=day&source=warmup").await;
    assert_eq!(
        groups(&r),
        [
            (day(f.d0), [4, 2, 1, 1, 0, 0, 0, 0]),
            (day(f.d1), [4, 1, 0, 0, 0, 1, 1, 1]),
        ],
        "{r}"
    );
    let r = report(app, &f, "group_by=day&source=seed_list").await;
    assert_eq!(
        groups(&r),
        [(day(f.campaign_day), [2, 1, 0, 0, 0, 1, 0, 0])],
        "{r}"
    );

    let r = report(app, &f, "group_by=split").await;
    assert_eq!(
        groups(&r),
        [(f.split.to_string(), [2, 1, 0, 0, 0, 1, 0, 0])],
        "{r}"
    );
    let r = report(app, &f, "group_by=test").await;
    assert_eq!(groups(&r), [], "no placement test yet: {r}");

    // Filters narrow before grouping.
    let r = report(
        app,
        &f,
        &format!("group_by=day&mailbox_id={}&provider=gmail", f.a),
    )
    .await;
    assert_eq!(
        groups(&r),
        [
            (day(f.d0), [2, 1, 1, 0, 0, 0, 0, 0]),
            (day(f.d1), [1, 1, 0, 0, 0, 0, 0, 0]),
        ],
        "{r}"
    );
    let r = report(app, &f, "domain=BETA.example&group_by=provider").await;
    assert_eq!(
        groups(&r),
        [
            ("gmail".to_string(), [1, 1, 0, 0, 0, 0, 0, 0]),
            ("outlook".to_string(), [1, 0, 0, 0, 0, 0, 0, 1]),
        ],
        "{r}"
    );
    let r = report(app, &f, "source=seed_list").await;
    assert_eq!(
        groups(&r),
        [("gmail".to_string(), [2, 1, 0, 0, 0, 1, 0, 0])]
    );
    // A day range that holds only the first day.
    let path = format!(
        "/v1/reports/placement?from={}&to={}&source=warmup",
        day(f.d0),
        day(f.d0)
    );
    let r = app.get(&path, &f.key).await.expect(200).json;
    assert_eq!(counts(&r["overall"])[0], 4, "{r}");

    // The mailbox's own summary reads the same rollups.
    let summary = app
        .get(
            &format!(
                "/v1/mailboxes/{}/placement-summary?from={}&to={}",
                f.a,
                day(f.d0),
                day(f.d1)
            ),
            &f.key,
        )
        .await
        .expect(200)
        .json;
    assert_eq!(counts(&summary["overall"]), [6, 2, 1, 1, 0, 1, 1, 0]);

    // Deleting a mailbox and a split takes their placements out of the report.
    app.delete(&format!("/v1/mailboxes/{}", f.b), &f.key)
        .await
        .expect(204);
    app.delete(&format!("/v1/seed-splits/{}", f.split), &f.key)
        .await
        .expect(204);
    let r = report(app, &f, "group_by=provider").await;
    assert_eq!(
        groups(&r),
        [
            ("gmail".to_string(), [3, 2, 1, 0, 0, 0, 0, 0]),
            ("outlook".to_string(), [1, 0, 0, 1, 0, 0, 0, 0]),
            ("yahoo".to_string(), [2, 0, 0, 0, 0, 1, 1, 0]),
        ],
        "{r}"
    );
}

async fn report_csv_parses_with_the_same_rows(app: &TestApp) {
    let f = fixture(app).await;
    for group in ["provider", "mailbox", "day"] {
        let json = report(app, &f, &format!("group_by={group}")).await;
        let to = day(Utc::now().date_naive() + Duration::days(1));
        let r = app
            .get(
                &format!(
                    "/v1/reports/placement?from={}&to={to}&group_by={group}&format=csv",
                    day(f.d0)
                ),
                &f.key,
            )
            .await
            .expect(200);
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("text/csv")),
            "{:?}",
            r.headers
        );
        let mut reader = csv::Reader::from_reader(r.text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header[0], group);
        assert_eq!(header.len(), 14, "{header:?}");
        let rows: Vec<csv::StringRecord> = reader
            .records()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}"));
        let want = groups(&json);
        assert_eq!(rows.len(), want.len(), "{}", r.text);
        for (row, (key, n)) in rows.iter().zip(&want) {
            assert_eq!(&row[0], key.as_str());
            let got: Vec<u64> = (1..9).map(|i| row[i].parse().unwrap_or(u64::MAX)).collect();
            assert_eq!(got, n.to_vec(), "{}", r.text);
        }
        // Rates as in the JSON; empty where the JSON has null.
        let first = &json["groups"][0]["rates"];
        let inbox_rate = first["inbox_rate"]
            .as_f64()
            .map(|x| x.to_string())
            .unwrap_or_default();
        assert_eq!(&rows[0][9], inbox_rate.as_str());
    }
}

async fn the_mailbox_audit_trail_comes_as_csv(app: &TestApp) {
    let f = fixture(app).await;
    let json = app
        .get(
            &format!("/v1/mailboxes/{}/placements?limit=200", f.a),
            &f.key,
        )
        .await
        .expect(200)
        .json;
    let items = json["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 6);
    // `limit` does not apply to the CSV: the whole trail comes, in the list's order.
    let r = app
        .get(
            &format!("/v1/mailboxes/{}/placements?format=csv&limit=1", f.a),
            &f.key,
        )
        .await
        .expect(200);
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("text/csv"))
    );
    let mut reader = csv::Reader::from_reader(r.text.as_bytes());
    let header = reader.headers().cloned().unwrap_or_default();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), items.len(), "{}", r.text);
    for (row, item) in rows.iter().zip(&items) {
        assert_eq!(
            &row[col("send_id")],
            item["send_id"].as_str().unwrap_or("?")
        );
        assert_eq!(&row[col("class")], item["class"].as_str().unwrap_or(""));
        assert_eq!(
            &row[col("provider")],
            item["provider"].as_str().unwrap_or("?")
        );
        assert_eq!(&row[col("status")], item["status"].as_str().unwrap_or("?"));
        assert_eq!(
            &row[col("spf")],
            item["authentication"]["spf"].as_str().unwrap_or("")
        );
        let actions = item["actions"].as_array().map(Vec::len).unwrap_or(0);
        let listed = row[col("actions")]
            .split("; ")
            .filter(|a| !a.is_empty())
            .count();
        assert_eq!(listed, actions, "{row:?}");
    }
    // Filters apply as to the JSON list.
    let r = app
        .get(
            &format!("/v1/mailboxes/{}/placements?format=csv&provider=yahoo", f.a),
            &f.key,
        )
        .await
        .expect(200);
    assert_eq!(
        r.text.lines().count(),
        3,
        "a header and two rows: {}",
        r.text
    );
    // More than one page of the stream: 1 100 messages of another mailbox.
    let (c, org) = mailbox(app, &f.key, "c@acme.example").await;
    let mut sends = Vec::new();
    for i in 0..1100 {
        let id = Uuid::now_v7();
        let now = Utc::now();
        sends.push(send::Model {
            id,
            state: "sent".into(),
            sent_at: Some(now),
            ..send::Model::planned(
                send::Draft {
                    organization_id: org,
                    mailbox_id: c,
                    seed_id: None,
                    seed_email: format!("s{i}@seeds.example"),
                    provider: "gmail".into(),
                    plan_date: day(f.d0),
                    message_id: format!("{}@c.example", id.simple()),
                    language: "en".into(),
                    subject: format!("S{i}"),
                    body: "Hi".into(),
                },
                now,
                now,
            )
        });
    }
    for chunk in sends.chunks(200) {
        send::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(|s| s.into_active_model().reset_all()),
        )
        .exec_without_returning(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }
    for s in &sends {
        engagement::start_locating(&app.db, s, None, Utc::now(), Utc::now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let r = app
        .get(&format!("/v1/mailboxes/{c}/placements?format=csv"), &f.key)
        .await
        .expect(200);
    let mut reader = csv::Reader::from_reader(r.text.as_bytes());
    let ids: std::collections::HashSet<String> = reader
        .records()
        .map(|r| {
            r.map(|r| r[0].to_string())
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    assert_eq!(ids.len(), 1100, "every message once");
}

async fn report_parameters_are_validated_field_by_field(app: &TestApp) {
    let key = app.new_org("Acme").await;
    let r = app
        .get(
            "/v1/reports/placement?group_by=week&source=all&provider=aol2&mailbox_id=x&domain=a%40b&from=2026-13-01",
            &key,
        )
        .await
        .expect_problem(422, "validation");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "domain",
            "from",
            "group_by",
            "mailbox_id",
            "provider",
            "source"
        ],
        "{}",
        r.text
    );
    app.get("/v1/reports/placement?from=2026-03-02&to=2026-03-01", &key)
        .await
        .expect_problem(422, "validation");
    app.get("/v1/reports/placement?from=2025-01-01&to=2026-03-01", &key)
        .await
        .expect_problem(422, "validation");
    app.get("/v1/reports/placement?format=xml", &key)
        .await
        .expect_problem(422, "validation");
    // Another organization's mailbox is not there.
    let other = app.new_org("Other").await;
    let (x, _) = mailbox(app, &other, "x@other.example").await;
    app.get(&format!("/v1/reports/placement?mailbox_id={x}"), &key)
        .await
        .expect_problem(404, "not_found");
    app.get("/v1/reports/placement", "wu_not_a_key")
        .await
        .expect(401);
    // An empty organization has an empty report, not an error.
    let r = app
        .get("/v1/reports/placement", &key)
        .await
        .expect(200)
        .json;
    assert_eq!(r["groups"], json!([]));
    assert_eq!(r["overall"]["total"], 0);
    assert!(r["overall"]["inbox_rate"].is_null());
}

/// Every report the API can ask for, from the rollups and over the rows, must be the same.
pub(crate) async fn assert_agree(app: &TestApp, org: Uuid, mailboxes: &[Uuid], step: &str) {
    let today = Utc::now().date_naive();
    let mut queries = Vec::new();
    for group_by in ReportGroup::ALL {
        let base = ReportQuery {
            from: today - Duration::days(5),
            to: today + Duration::days(10),
            group_by,
            mailbox_id: None,
            domain: None,
            provider: None,
            source: None,
        };
        queries.push(base.clone());
        queries.push(ReportQuery {
            provider: Some("gmail".into()),
            ..base.clone()
        });
        queries.push(ReportQuery {
            domain: Some("news.example".into()),
            ..base.clone()
        });
        if let Some(m) = mailboxes.first() {
            queries.push(ReportQuery {
                mailbox_id: Some(*m),
                ..base.clone()
            });
        }
        queries.push(ReportQuery {
            from: today - Duration::days(1),
            to: today - Duration::days(1),
            ..base.clone()
        });
        // Long enough to hold whole months: read from the month rollups.
        queries.push(ReportQuery {
            from: today - Duration::days(70),
            to: today + Duration::days(70),
            ..base
        });
    }
    for q in queries {
        let fast = rollups::report(&app.db, OrgId(org), &q)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let slow = rollups::report_from_rows(&app.db, OrgId(org), &q)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            summarize_groups(fast),
            summarize_groups(slow),
            "after {step}, for {q:?}"
        );
    }
}

async fn rollups_equal_a_count_over_the_rows_after_random_changes(app: &TestApp) {
    let key = app.new_org("Walk").await;
    let today = Utc::now().date_naive();
    let days = [today - Duration::days(2), today - Duration::days(1), today];
    let providers = ["gmail", "outlook", "yahoo"];
    let classes = [
        PlacementClass::Inbox,
        PlacementClass::Spam,
        PlacementClass::Category,
        PlacementClass::Other,
    ];
    let (first, org) = mailbox(app, &key, "m0@acme.example").await;
    let mut mailboxes = vec![first];
    let (mut split_id, mut seeds) = seed_split(app, &key, "walk0-", "news@news.example").await;
    let mut splits_made = 1;
    let mut pending: Vec<send::Model> = Vec::new();
    let mut decided: Vec<(send::Model, Outcome)> = Vec::new();
    let window = Duration::hours(4);
    // Seed-list time runs ahead of the wall clock, so that campaigns close and copies come
    // late; it starts after the split's seeds joined.
    let mut t = Utc::now() + Duration::minutes(1);
    let mut campaigns: Vec<(String, DateTime<Utc>)> = Vec::new();
    let mut rng = StdRng::seed_from_u64(0x5eed_2026);
    for step in 0..120 {
        let what = rng.random_range(0..100);
        let label = match what {
            // A warmup message sent.
            0..=29 => {
                let m = mailboxes[rng.random_range(0..mailboxes.len())];
                let d = days[rng.random_range(0..days.len())];
                let p = providers[rng.random_range(0..providers.len())];
                pending.push(sent(app, org, m, &day(d), p).await);
                "send"
            }
            // A pending one decided.
            30..=54 if !pending.is_empty() => {
                let s = pending.swap_remove(rng.random_range(0..pending.len()));
                let outcome = match rng.random_range(0..6) {
                    0 => Outcome::Missing,
                    1 => Outcome::GivenUp,
                    _ => Outcome::Found(classes[rng.random_range(0..classes.len())]),
                };
                decide(app, &s, outcome).await;
                decided.push((s, outcome));
                "decide"
            }
            // A decided one decided again (a late worker): nothing may change.
            55..=59 if !decided.is_empty() => {
                let (s, _) = decided[rng.random_range(0..decided.len())].clone();
                decide(app, &s, Outcome::Found(PlacementClass::Inbox)).await;
                decide(app, &s, Outcome::Missing).await;
                "decide again"
            }
            // A campaign message arrives at a seed: a new send, or a copy of an old one,
            // maybe after its campaign counted that seed missing.
            60..=84 => {
                t += Duration::minutes(rng.random_range(1..240));
                let (subject, at) = if campaigns.is_empty() || rng.random_bool(0.5) {
                    let c = (format!("Campaign {step}"), t);
                    campaigns.push(c.clone());
                    c
                } else {
                    campaigns[rng.random_range(0..campaigns.len())].clone()
                };
                let seed = rng.random_range(0..seeds.len());
                let class = classes[rng.random_range(0..classes.len())];
                // Within its campaign's episode: at most a window after the first copy.
                let arrived = at + Duration::minutes(rng.random_range(0..window.num_minutes()));
                let f = campaign_message(
                    split_id,
                    org,
                    seeds[seed],
                    "news@news.example",
                    &format!("{subject}-{seed}@esp"),
                    &subject,
                    class,
                    arrived,
                );
                seed_list::record_found(&app.db, f, window, t)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                "campaign copy"
            }
            // Windows end: the seeds that never got a campaign count it missing.
            85..=91 => {
                t += window;
                seed_list::close_campaigns(&app.db, t + window)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                "close campaigns"
            }
            // A mailbox deleted with its placements, another one added.
            92..=95 => {
                let gone = mailboxes.swap_remove(rng.random_range(0..mailboxes.len()));
                app.delete(&format!("/v1/mailboxes/{gone}"), &key)
                    .await
                    .expect(204);
                pending.retain(|s| s.mailbox_id != gone);
                decided.retain(|(s, _)| s.mailbox_id != gone);
                let n = step;
                let (m, _) = mailbox(app, &key, &format!("m{n}@acme.example")).await;
                mailboxes.push(m);
                "delete a mailbox"
            }
            // The split deleted with its messages; a new one.
            96..=99 => {
                app.delete(&format!("/v1/seed-splits/{split_id}"), &key)
                    .await
                    .expect(204);
                let prefix = format!("walk{splits_made}-");
                splits_made += 1;
                (split_id, seeds) = seed_split(app, &key, &prefix, "news@news.example").await;
                campaigns.clear();
                t = t.max(Utc::now() + Duration::minutes(1));
                "delete the split"
            }
            _ => continue,
        };
        // Checked after every change: a disagreement names the step that made it.
        assert_agree(app, org, &mailboxes, &format!("step {step} ({label})")).await;
    }
    // The walk did reach every kind of change.
    assert!(!decided.is_empty() && splits_made > 1, "a walk too short");
}

/// Placements and seed-list messages written before the rollups existed are counted by the
/// migration that adds them: the reports read from the rollups equal a count over the rows,
/// and the sender domain comes from the mailbox's address (lower-cased) or the sender's.
async fn the_migration_counts_what_was_there_before(app: &TestApp) {
    use warmup_migration::{Migrator, MigratorTrait};

    let key = app.new_org("Old").await;
    let (a, org) = mailbox(app, &key, "old@Acme.Example").await;
    let today = Utc::now().date_naive();
    for (provider, outcome) in [
        ("gmail", Some(Outcome::Found(PlacementClass::Inbox))),
        ("gmail", Some(Outcome::Found(PlacementClass::Spam))),
        ("outlook", Some(Outcome::Missing)),
        ("yahoo", None),
    ] {
        let s = sent(app, org, a, &day(today), provider).await;
        if let Some(o) = outcome {
            decide(app, &s, o).await;
        }
    }
    let (split_id, seeds) = seed_split(app, &key, "old", "news@News.example").await;
    let t = Utc::now() + Duration::minutes(1);
    let f = campaign_message(
        split_id,
        org,
        seeds[0],
        "news@News.example",
        "old1@esp",
        "Old news",
        PlacementClass::Category,
        t,
    );
    seed_list::record_found(&app.db, f, Duration::hours(4), t)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    seed_list::close_campaigns(&app.db, t + Duration::hours(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Back to before m0014 (rollups and domains gone), then up again.
    Migrator::down(&app.db, Some(1))
        .await
        .unwrap_or_else(|e| panic!("down: {e}"));
    Migrator::up(&app.db, None)
        .await
        .unwrap_or_else(|e| panic!("up: {e}"));

    assert_agree(app, org, &[a], "the migration").await;
    let r = app
        .get(
            &format!(
                "/v1/reports/placement?group_by=domain&to={}",
                day(today + Duration::days(1))
            ),
            &key,
        )
        .await
        .expect(200)
        .json;
    assert_eq!(
        groups(&r),
        [
            ("acme.example".to_string(), [4, 1, 1, 0, 0, 1, 1, 0]),
            ("news.example".to_string(), [2, 0, 0, 1, 0, 1, 0, 0]),
        ],
        "{r}"
    );
}
