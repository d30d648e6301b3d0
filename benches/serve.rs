//! The service as a team runs it on its embedded default: one `warmup serve` on SQLite, on a
//! real clock. Measured for three databases, each with a new organization's running warmups
//! (40 a day, windows of the day still ahead, servers that are never reached):
//! - no mailbox: the baseline, what an empty service costs;
//! - 1,000 mailboxes: CPU over a minute of real time once the day is planned (target: under
//!   1% of a core), and the resident set then;
//! - 10,000 mailboxes: the peak resident set while the service plans the day for all of them
//!   and runs on (target: ≤ 100 MB), and the resident set once it has.
//!
//! The service plans each day itself at start, as after an upgrade or a restart; the minute is
//! counted from when every day is planned.
//!
//!   cargo bench --bench serve
//!   WARMUP_BENCH_IDLE_SECS=120 WARMUP_BENCH_MAILBOXES=1000,20000 cargo bench --bench serve

#[path = "support/process.rs"]
mod process;
mod support;
#[path = "support/warmups.rs"]
mod warmups;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use warmup_entity::plan_day;
use warmup_entity::secret_box::SecretBox;

const PER_DAY: u32 = 40;

struct Outcome {
    mailboxes: usize,
    planning: Duration,
    idle_cpu: f64,
    idle_secs: u64,
    rss_kb: u64,
    peak_rss_kb: u64,
}

fn main() -> anyhow::Result<()> {
    let idle_secs: u64 = support::env_number("WARMUP_BENCH_IDLE_SECS", 60);
    let counts: Vec<usize> = std::env::var("WARMUP_BENCH_MAILBOXES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1000, 10_000]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let dir = tempfile::tempdir()?;
    let mut results = Vec::new();
    for (i, mailboxes) in std::iter::once(0).chain(counts).enumerate() {
        let path = dir.path().join(format!("serve{i}.sqlite"));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let outcome = runtime.block_on(run(&url, mailboxes, idle_secs))?;
        eprintln!(
            "{mailboxes} mailboxes: planned in {:.1?}, {:.2} CPU-s in {idle_secs} s, RSS {} MiB (peak {} MiB)",
            outcome.planning,
            outcome.idle_cpu,
            outcome.rss_kb / 1024,
            outcome.peak_rss_kb / 1024
        );
        results.push(outcome);
    }
    let baseline = results.first().map_or(0.0, |b| b.idle_cpu);
    println!("\none `warmup serve` on SQLite, real clock, {PER_DAY} sends a day per mailbox:");
    println!(
        "| mailboxes | planning the day at start | CPU over {idle_secs} s after it | share of one core | CPU ÷ empty service | RSS then | peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in &results {
        println!(
            "| {} | {:.1} s | {:.2} s | {:.2} % | {} | {} MiB | {} MiB |",
            r.mailboxes,
            r.planning.as_secs_f64(),
            r.idle_cpu,
            100.0 * r.idle_cpu / r.idle_secs as f64,
            if r.mailboxes == 0 {
                "1 (baseline)".to_string()
            } else {
                format!("{:.1}", r.idle_cpu / baseline.max(0.01))
            },
            r.rss_kb / 1024,
            r.peak_rss_kb / 1024,
        );
    }
    Ok(())
}

async fn planned(db: &DatabaseConnection) -> anyhow::Result<usize> {
    Ok(usize::try_from(plan_day::Entity::find().count(db).await?)?)
}

async fn run(url: &str, mailboxes: usize, idle_secs: u64) -> anyhow::Result<Outcome> {
    let key = SecretBox::generate_key();
    let db = support::connect_with_key(url, &key, support::Role::Api).await?;
    warmup::database::migrate(&db).await?;
    if mailboxes > 0 {
        warmups::fill(&db, mailboxes, PER_DAY, None).await?;
    }
    let mut child = process::warmup("serve", url, &key)
        .env("WARMUP_LISTEN", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take();
    let serve = process::Running(child);
    let pid = serve.0.id();
    // Read (and drop) what it prints, so a full pipe never stalls it.
    let (listening_tx, listening) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Some(out) = stdout else { return };
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.starts_with("warmup listening on ") {
                let _ = listening_tx.send(());
            }
        }
    });
    listening.recv_timeout(Duration::from_secs(120))?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(1800);
    while planned(&db).await? < mailboxes {
        anyhow::ensure!(
            Instant::now() < deadline,
            "{} of {mailboxes} days planned",
            planned(&db).await?
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let planning = started.elapsed();
    let before = process::cpu_seconds(pid);
    tokio::time::sleep(Duration::from_secs(idle_secs)).await;
    let idle_cpu = process::cpu_seconds(pid) - before;
    let rss_kb = process::status_kb(pid, "VmRSS");
    let peak_rss_kb = process::status_kb(pid, "VmHWM");
    drop(serve);
    Ok(Outcome {
        mailboxes,
        planning,
        idle_cpu,
        idle_secs,
        rss_kb,
        peak_rss_kb,
    })
}
