//! What a mailbox's placement report costs on a large mailbox: counted in the database, as the
//! API does (`store::placements::summary`), against the baseline of loading every placement and
//! counting in Rust. Time and peak memory, each as a ratio to the baseline of the same run, on
//! SQLite and (when one answers at `WARMUP_TEST_POSTGRES`) on Postgres.
//!
//!   cargo bench --bench placement_summary              # 50 000 placements
//!   WARMUP_BENCH_PLACEMENTS=200000 cargo bench --bench placement_summary
//!
//! Memory is the peak resident set of a child process that only opens the database and runs
//! one of the two (`VmHWM`), less that of a child that only opens it: what the work added.

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use uuid::Uuid;
use warmup::config::Settings;
use warmup_domain::placement::{CountRow, PlacementClass, summarize};
use warmup_entity::store::OrgId;
use warmup_entity::{mailbox, organization, placement, send};

const PROVIDERS: [&str; 6] = [
    "gmail",
    "google_workspace",
    "outlook",
    "microsoft_365",
    "yahoo",
    "smtp",
];
const DAYS: i64 = 30;
const RUNS: usize = 7;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default()
}

fn last_day() -> NaiveDate {
    first_day() + chrono::Duration::days(DAYS - 1)
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let args: Vec<String> = std::env::args().collect();
    // A child: `--child <what> <database url> <org> <mailbox>`.
    if let Some(at) = args.iter().position(|a| a == "--child") {
        let what = args.get(at + 1).cloned().unwrap_or_default();
        let url = args.get(at + 2).cloned().unwrap_or_default();
        let org = args
            .get(at + 3)
            .and_then(|s| s.parse().ok())
            .unwrap_or_default();
        let mailbox = args
            .get(at + 4)
            .and_then(|s| s.parse().ok())
            .unwrap_or_default();
        return runtime.block_on(child(&what, &url, OrgId(org), mailbox));
    }
    let n: usize = std::env::var("WARMUP_BENCH_PLACEMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let dir = tempfile::tempdir()?;
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.sqlite").display()
    );
    let mut results = vec![runtime.block_on(bench("SQLite", &sqlite, n))?];
    let admin = std::env::var("WARMUP_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    match runtime.block_on(Database::connect(&admin)) {
        Ok(pg) => {
            let name = format!("warmup_bench_{}", Uuid::new_v4().simple());
            runtime.block_on(pg.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")))?;
            let url = match admin.rsplit_once('/') {
                Some((base, _)) => format!("{base}/{name}"),
                None => admin.clone(),
            };
            let run = runtime.block_on(bench("Postgres", &url, n));
            runtime.block_on(
                pg.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")),
            )?;
            results.push(run?);
        }
        Err(e) => eprintln!("no Postgres at {admin} ({e}): SQLite only"),
    }
    println!("\nplacement summary of one mailbox, {n} placements over {DAYS} days:");
    println!(
        "| database | summary in the database (median) | baseline: load all and count (median) | time, baseline ÷ summary | memory added, summary | memory added, baseline | memory, baseline ÷ summary |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in &results {
        println!(
            "| {} | {:.1} ms | {:.1} ms | {:.1}× | {:.1} MiB | {:.1} MiB | {:.1}× |",
            r.database,
            ms(r.summary),
            ms(r.baseline),
            r.baseline.as_secs_f64() / r.summary.as_secs_f64().max(1e-9),
            mib(r.summary_kib),
            mib(r.baseline_kib),
            r.baseline_kib as f64 / (r.summary_kib.max(1)) as f64,
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

struct Outcome {
    database: &'static str,
    summary: Duration,
    baseline: Duration,
    summary_kib: u64,
    baseline_kib: u64,
}

async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let url = url.to_string();
    let key = warmup_entity::secret_box::SecretBox::generate_key();
    let env = move |k: &str| -> Option<String> {
        match k {
            "DATABASE_URL" => Some(url.clone()),
            "WARMUP_SECRET_KEY" => Some(key.clone()),
            _ => None,
        }
    };
    let settings = Settings::load_from(None, &env)?;
    warmup::database::connect(&settings).await
}

async fn bench(database: &'static str, url: &str, n: usize) -> anyhow::Result<Outcome> {
    let db = connect(url).await?;
    warmup::database::migrate(&db).await?;
    let (org, mailbox) = fill(&db, n).await?;
    // Both ways give the same report, or the comparison means nothing.
    let (a, b) = (
        summary(&db, org, mailbox).await?,
        baseline(&db, org, mailbox).await?,
    );
    anyhow::ensure!(a == b, "the two ways disagree:\n{a:?}\n{b:?}");
    anyhow::ensure!(a.overall.total == n as u64, "{} of {n}", a.overall.total);
    db.close().await?;
    let mut times = Vec::new();
    let mut kib = Vec::new();
    for what in ["idle", "summary", "baseline"] {
        let out = Command::new(std::env::current_exe()?)
            .args([
                "--child",
                what,
                url,
                &org.0.to_string(),
                &mailbox.to_string(),
            ])
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let mut words = text.split_whitespace();
        let micros: u64 = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
        let peak: u64 = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
        times.push(Duration::from_micros(micros));
        kib.push(peak);
    }
    Ok(Outcome {
        database,
        summary: times[1],
        baseline: times[2],
        summary_kib: kib[1].saturating_sub(kib[0]),
        baseline_kib: kib[2].saturating_sub(kib[0]),
    })
}

/// Runs one way `RUNS` times after a warm-up; prints the median in microseconds and the
/// process's peak resident set in KiB.
async fn child(what: &str, url: &str, org: OrgId, mailbox: Uuid) -> anyhow::Result<()> {
    let db = connect(url).await?;
    let mut times = Vec::new();
    if what != "idle" {
        for run in 0..=RUNS {
            let started = Instant::now();
            let report = match what {
                "summary" => summary(&db, org, mailbox).await?,
                _ => baseline(&db, org, mailbox).await?,
            };
            std::hint::black_box(report);
            if run > 0 {
                times.push(started.elapsed());
            }
        }
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    println!("{} {peak}", median.as_micros());
    Ok(())
}

async fn summary(
    db: &DatabaseConnection,
    org: OrgId,
    mailbox: Uuid,
) -> anyhow::Result<warmup_domain::placement::Summary> {
    Ok(
        warmup_entity::store::placements::summary(db, org, mailbox, first_day(), last_day())
            .await?,
    )
}

/// What the report would cost without counting in the database: every row loaded, counted
/// here.
async fn baseline(
    db: &DatabaseConnection,
    org: OrgId,
    mailbox: Uuid,
) -> anyhow::Result<warmup_domain::placement::Summary> {
    let rows = placement::Entity::find()
        .filter(placement::Column::OrganizationId.eq(org.0))
        .filter(placement::Column::MailboxId.eq(mailbox))
        .filter(placement::Column::PlanDate.gte(first_day().to_string()))
        .filter(placement::Column::PlanDate.lte(last_day().to_string()))
        .all(db)
        .await?;
    Ok(summarize(rows.into_iter().map(|p| CountRow {
        date: p.plan_date,
        provider: p.provider,
        class: p.class.as_deref().and_then(PlacementClass::parse),
        count: 1,
    })))
}

/// One organization and mailbox with `n` sent messages and their placements, spread over
/// the days, providers and classes.
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
    // Through the store, which writes the address's key beside it.
    let m = warmup_entity::store::mailboxes::insert(
        db,
        OrgId(org.id),
        mailbox::Model {
            email: "bench@example.net".into(),
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
    let base = Utc
        .with_ymd_and_hms(2026, 3, 1, 8, 0, 0)
        .single()
        .unwrap_or(now);
    // Classes in rough real-world shares; every 40th still looked for.
    let classes = [
        "inbox", "inbox", "inbox", "inbox", "inbox", "inbox", "spam", "category", "other",
        "missing",
    ];
    let mut sends = Vec::new();
    let mut placements = Vec::new();
    for i in 0..n {
        let day = (i as i64) % DAYS;
        let provider = PROVIDERS[i % PROVIDERS.len()];
        let sent_at = base + chrono::Duration::days(day) + chrono::Duration::seconds(i as i64);
        let plan_date = (first_day() + chrono::Duration::days(day)).to_string();
        let message_id = format!("{}@example.net", Uuid::new_v4().simple());
        let s = send::Model {
            state: "sent".into(),
            attempts: 1,
            sent_at: Some(sent_at),
            ..send::Model::planned(
                send::Draft {
                    organization_id: org.id,
                    mailbox_id: m.id,
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
        let class = (i % 40 != 0).then(|| classes[i % classes.len()].to_string());
        placements.push(placement::Model {
            send_id: s.id,
            organization_id: org.id,
            mailbox_id: m.id,
            seed_id: None,
            seed_email: s.seed_email.clone(),
            provider: provider.into(),
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
        });
        sends.push(s);
    }
    // Batches small enough for SQLite's bound-parameter limit.
    for chunk in sends.chunks(500) {
        send::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(|s| s.into_active_model().reset_all()),
        )
        .exec_without_returning(db)
        .await?;
    }
    for chunk in placements.chunks(300) {
        placement::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(|p| p.into_active_model().reset_all()),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok((OrgId(org.id), m.id))
}
