//! What the organization's placement report costs over a year of data: read from the daily
//! rollups (`store::rollups::report`, what `GET /v1/reports/placement` runs) against the
//! baseline of counting the placement rows themselves (`store::rollups::report_from_rows`), in
//! the same run, on SQLite and (when one answers at `WARMUP_TEST_POSTGRES`) on Postgres.
//!
//!   cargo bench --bench placement_report                 # 1 000 000 placements
//!   WARMUP_BENCH_PLACEMENTS=200000 cargo bench --bench placement_report
//!
//! One organization: 70 mailboxes on 3 domains, 6 seed providers, 365 days, classes in rough
//! real-world shares. The rows are written in bulk and counted once with `rollups::rebuild`
//! (the workers' path counts each placement as it is decided; the API tests prove both agree).

#[path = "support/postgres.rs"]
mod postgres;
mod support;

use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
};
use uuid::Uuid;
use warmup_domain::placement::{ReportGroup, summarize_groups};
use warmup_entity::store::OrgId;
use warmup_entity::store::rollups::{self, ReportQuery};
use warmup_entity::{mailbox, organization, placement, send};

const PROVIDERS: [&str; 6] = [
    "gmail",
    "google_workspace",
    "outlook",
    "microsoft_365",
    "yahoo",
    "smtp",
];
const DOMAINS: [&str; 3] = ["acme.example", "acme-mail.example", "acme.example.net"];
const MAILBOXES: usize = 70;
const DAYS: i64 = 365;
/// Timed runs of a rollup report, after warm-ups; p99 is the 99th of 100.
const RUNS: usize = 100;
/// Timed runs of the baseline, which takes seconds.
const BASELINE_RUNS: usize = 3;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 1).unwrap_or_default()
}

fn last_day() -> NaiveDate {
    first_day() + chrono::Duration::days(DAYS - 1)
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let n: usize = support::env_number("WARMUP_BENCH_PLACEMENTS", 1_000_000);
    let dir = tempfile::tempdir()?;
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.sqlite").display()
    );
    let mut results = runtime.block_on(bench("SQLite", &sqlite, n))?;
    if let Some(mut pg) = runtime.block_on(postgres::Scratch::connect()) {
        let url = runtime.block_on(pg.database())?;
        let run = runtime.block_on(bench("Postgres", &url, n));
        runtime.block_on(pg.finish(false))?;
        results.extend(run?);
    }
    println!("\nplacement report over {DAYS} days, {n} placements, {MAILBOXES} mailboxes:");
    println!(
        "| database | report | groups | rollups p50 | rollups p99 | baseline: count the rows (median) | baseline ÷ rollups p50 |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in &results {
        println!(
            "| {} | {} | {} | {:.1} ms | {:.1} ms | {:.0} ms | {:.0}× |",
            r.database,
            r.report,
            r.groups,
            ms(r.p50),
            ms(r.p99),
            ms(r.baseline),
            r.baseline.as_secs_f64() / r.p50.as_secs_f64().max(1e-9),
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Outcome {
    database: &'static str,
    report: String,
    groups: usize,
    p50: Duration,
    p99: Duration,
    baseline: Duration,
}

/// The reports a caller would ask for over the year.
fn queries(mailbox: Uuid) -> Vec<(String, ReportQuery)> {
    let q = |group_by| ReportQuery {
        from: first_day(),
        to: last_day(),
        group_by,
        mailbox_id: None,
        domain: None,
        provider: None,
        source: None,
    };
    vec![
        ("group_by=provider".into(), q(ReportGroup::Provider)),
        ("group_by=day".into(), q(ReportGroup::Day)),
        ("group_by=domain".into(), q(ReportGroup::Domain)),
        ("group_by=mailbox".into(), q(ReportGroup::Mailbox)),
        (
            "one mailbox, group_by=day".into(),
            ReportQuery {
                mailbox_id: Some(mailbox),
                ..q(ReportGroup::Day)
            },
        ),
    ]
}

async fn bench(database: &'static str, url: &str, n: usize) -> anyhow::Result<Vec<Outcome>> {
    let db = support::connect(url, support::Role::Api).await?;
    warmup::database::migrate(&db).await?;
    let started = Instant::now();
    let (org, mailbox) = fill(&db, n).await?;
    rollups::rebuild(&db, org).await?;
    if database == "Postgres" {
        // As autovacuum would after a load this size.
        db.execute_unprepared("ANALYZE").await?;
    }
    eprintln!(
        "{database}: filled in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let mut out = Vec::new();
    for (name, q) in queries(mailbox) {
        let fast = summarize_groups(rollups::report(&db, org, &q).await?);
        let slow = summarize_groups(rollups::report_from_rows(&db, org, &q).await?);
        // Both ways give the same report, or the comparison means nothing.
        anyhow::ensure!(fast == slow, "{name}: the two ways disagree");
        if q.mailbox_id.is_none() {
            anyhow::ensure!(
                fast.overall.total == n as u64,
                "{name}: {}",
                fast.overall.total
            );
        }
        let mut times = Vec::new();
        for run in 0..RUNS + 3 {
            let t = Instant::now();
            std::hint::black_box(rollups::report(&db, org, &q).await?);
            if run >= 3 {
                times.push(t.elapsed());
            }
        }
        times.sort();
        let mut base = Vec::new();
        for _ in 0..BASELINE_RUNS {
            let t = Instant::now();
            std::hint::black_box(rollups::report_from_rows(&db, org, &q).await?);
            base.push(t.elapsed());
        }
        base.sort();
        eprintln!("{database}: {name} done");
        out.push(Outcome {
            database,
            report: name,
            groups: fast.groups.len(),
            p50: times[times.len() / 2],
            p99: times[times.len() * 99 / 100 - 1],
            baseline: base[base.len() / 2],
        });
    }
    db.close().await?;
    Ok(out)
}

/// One organization with `n` sent messages and their placements, written in chunks so that
/// the load never holds them all.
async fn fill(db: &DatabaseConnection, n: usize) -> anyhow::Result<(OrgId, Uuid)> {
    let now = Utc::now();
    let org = organization::Model {
        id: Uuid::now_v7(),
        name: "Bench".into(),
        created_at: now,
    }
    .into_active_model()
    .reset_all()
    .insert(db)
    .await?;
    let mut mailboxes = Vec::new();
    for i in 0..MAILBOXES {
        let domain = DOMAINS[i % DOMAINS.len()];
        // Through the store, which writes the address's key beside it.
        let m = warmup_entity::store::mailboxes::insert(
            db,
            OrgId(org.id),
            mailbox::Model {
                email: format!("sender{i}@{domain}"),
                display_name: "Bench".into(),
                provider: "smtp".into(),
                smtp_host: "smtp.example.net".into(),
                smtp_port: 587,
                smtp_security: "starttls".into(),
                smtp_username: "bench".into(),
                smtp_password: "never opened".into(),
                imap_host: "imap.example.net".into(),
                imap_port: 993,
                imap_security: "tls".into(),
                imap_username: "bench".into(),
                imap_password: "never opened".into(),
                ..mailbox::Model::blank(org.id, now)
            },
        )
        .await?;
        mailboxes.push((m.id, domain));
    }
    let base = Utc
        .with_ymd_and_hms(2025, 12, 1, 8, 0, 0)
        .single()
        .unwrap_or(now);
    // Shares in percent: inbox 85, spam 5, category 5, missing 3, other 1, pending 1.
    let class = |i: usize| -> Option<&'static str> {
        match (i * 37) % 100 {
            0..=84 => Some("inbox"),
            85..=89 => Some("spam"),
            90..=94 => Some("category"),
            95..=97 => Some("missing"),
            98 => Some("other"),
            _ => None,
        }
    };
    const CHUNK: usize = 300;
    let mut i = 0;
    while i < n {
        let end = (i + CHUNK).min(n);
        let mut sends = Vec::with_capacity(CHUNK);
        let mut placements = Vec::with_capacity(CHUNK);
        for i in i..end {
            let (mailbox, domain) = mailboxes[i % MAILBOXES];
            let day = ((i / MAILBOXES) as i64) % DAYS;
            let provider = PROVIDERS[(i / MAILBOXES / DAYS as usize) % PROVIDERS.len()];
            let sent_at =
                base + chrono::Duration::days(day) + chrono::Duration::seconds(i as i64 % 80_000);
            let plan_date = (first_day() + chrono::Duration::days(day)).to_string();
            let message_id = format!("{}@{domain}", Uuid::new_v4().simple());
            let s = send::Model {
                state: "sent".into(),
                attempts: 1,
                sent_at: Some(sent_at),
                ..send::Model::planned(
                    send::Draft {
                        organization_id: org.id,
                        mailbox_id: mailbox,
                        seed_id: None,
                        seed_email: format!("seed{i}@{provider}.example"),
                        provider: provider.into(),
                        plan_date: plan_date.clone(),
                        message_id: message_id.clone(),
                        language: "en".into(),
                        subject: "Hello".into(),
                        body: "Hello there.".into(),
                    },
                    sent_at,
                    sent_at,
                )
            };
            let class = class(i).map(str::to_string);
            placements.push(
                placement::Model {
                    send_id: s.id,
                    organization_id: org.id,
                    mailbox_id: mailbox,
                    seed_id: None,
                    seed_email: s.seed_email.clone(),
                    provider: provider.into(),
                    domain: domain.into(),
                    plan_date,
                    message_id,
                    sent_at,
                    stage: if class.is_some() { "done" } else { "locating" }.into(),
                    class,
                    folder: Some("INBOX".into()),
                    uid: Some(i as i64),
                    arrived_at: Some(sent_at),
                    arrival_seconds: Some(30),
                    spf: Some("pass".into()),
                    dkim: Some("pass".into()),
                    dmarc: Some("pass".into()),
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
                .reset_all(),
            );
            sends.push(s.into_active_model().reset_all());
        }
        send::Entity::insert_many(sends)
            .exec_without_returning(db)
            .await?;
        placement::Entity::insert_many(placements)
            .exec_without_returning(db)
            .await?;
        i = end;
    }
    Ok((OrgId(org.id), mailboxes[0].0))
}
