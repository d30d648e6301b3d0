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
//! Then, when Postfix's `smtp-sink` is installed, the largest count again sending: each
//! mailbox's whole day planned (by the benchmark) and due at once, as after a day's outage,
//! sent into `smtp-sink` on loopback by a `warmup serve` started on it; over the window: the
//! messages sent, CPU, the resident set then and its peak (target: ≤ 100 MB).
//!
//!   cargo bench --bench serve
//!   WARMUP_BENCH_IDLE_SECS=120 WARMUP_BENCH_MAILBOXES=1000,20000 cargo bench --bench serve
//!   WARMUP_BENCH_SENDING=only cargo bench --bench serve     # the sending row alone (`no`: none)

#[path = "support/process.rs"]
mod process;
#[path = "support/sink.rs"]
mod sink;
mod support;
#[path = "support/warmups.rs"]
mod warmups;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use warmup_domain::state::SendState;
use warmup_entity::secret_box::SecretBox;
use warmup_entity::{Clock, plan_day, send};

const PER_DAY: u32 = 40;

struct Outcome {
    mailboxes: usize,
    planning: Duration,
    idle_secs: u64,
    idle: Window,
}

/// What a process did over a window of real time: CPU seconds, and its resident set at the end
/// and at its peak since it started.
struct Window {
    cpu: f64,
    rss_kb: u64,
    peak_rss_kb: u64,
}

/// Watches `serve` for `secs` seconds of real time, then stops it.
async fn watch(serve: process::Running, secs: u64) -> Window {
    let pid = serve.0.id();
    let before = process::cpu_seconds(pid);
    tokio::time::sleep(Duration::from_secs(secs)).await;
    let window = Window {
        cpu: process::cpu_seconds(pid) - before,
        rss_kb: process::status_kb(pid, "VmRSS"),
        peak_rss_kb: process::status_kb(pid, "VmHWM"),
    };
    drop(serve);
    window
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
    // The sending row takes minutes of planning beforehand: `only` to measure it alone.
    let sending_mode = std::env::var("WARMUP_BENCH_SENDING").unwrap_or_default();
    let largest = counts.iter().copied().max().unwrap_or(0);
    let idle_counts: Vec<usize> = if sending_mode == "only" {
        Vec::new()
    } else {
        std::iter::once(0).chain(counts).collect()
    };
    let mut results = Vec::new();
    for (i, mailboxes) in idle_counts.into_iter().enumerate() {
        let path = dir.path().join(format!("serve{i}.sqlite"));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let outcome = runtime.block_on(run(&url, mailboxes, idle_secs))?;
        eprintln!(
            "{mailboxes} mailboxes: planned in {:.1?}, {:.2} CPU-s in {idle_secs} s, RSS {} MiB (peak {} MiB)",
            outcome.planning,
            outcome.idle.cpu,
            outcome.idle.rss_kb / 1024,
            outcome.idle.peak_rss_kb / 1024
        );
        results.push(outcome);
    }
    let sending = match sink::postfix_tool("smtp-sink") {
        _ if sending_mode == "no" => None,
        Some(tool) if largest > 0 => {
            let (_sink, port) = sink::start(&tool, &[])?;
            let path = dir.path().join("sending.sqlite");
            let url = format!("sqlite://{}?mode=rwc", path.display());
            let s = runtime.block_on(run_sending(&url, largest, idle_secs, port))?;
            eprintln!(
                "{largest} mailboxes sending: {} of {} due sent in {idle_secs} s, {:.2} CPU-s, RSS {} MiB (peak {} MiB)",
                s.sent,
                s.due,
                s.window.cpu,
                s.window.rss_kb / 1024,
                s.window.peak_rss_kb / 1024
            );
            Some(s)
        }
        _ => {
            eprintln!("smtp-sink not found (Debian's postfix): the sending row is left out");
            None
        }
    };
    let baseline = results.first().map_or(0.0, |b| b.idle.cpu);
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
            r.idle.cpu,
            100.0 * r.idle.cpu / r.idle_secs as f64,
            if r.mailboxes == 0 {
                "1 (baseline)".to_string()
            } else {
                format!("{:.1}", r.idle.cpu / baseline.max(0.01))
            },
            r.idle.rss_kb / 1024,
            r.idle.peak_rss_kb / 1024,
        );
    }
    if let Some(s) = sending {
        println!(
            "\nthe same service sending into smtp-sink, every mailbox's day due at once, over {idle_secs} s:"
        );
        println!(
            "| mailboxes | sends due at start | sent in {idle_secs} s | messages a second | CPU | share of one core | RSS then | peak RSS |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        println!(
            "| {} | {} | {} | {:.0} | {:.2} s | {:.0} % | {} MiB | {} MiB |",
            s.mailboxes,
            s.due,
            s.sent,
            s.sent as f64 / idle_secs as f64,
            s.window.cpu,
            100.0 * s.window.cpu / idle_secs as f64,
            s.window.rss_kb / 1024,
            s.window.peak_rss_kb / 1024,
        );
    }
    Ok(())
}

struct Sending {
    mailboxes: usize,
    due: usize,
    sent: usize,
    window: Window,
}

async fn count_sent(db: &DatabaseConnection) -> anyhow::Result<usize> {
    Ok(usize::try_from(
        send::Entity::find()
            .filter(send::Column::State.eq(SendState::Sent.as_str()))
            .count(db)
            .await?,
    )?)
}

/// `mailboxes` sending into the sink at `port`: their day planned here and all of it made due,
/// then one `warmup serve` started on the database and watched for `secs` seconds.
async fn run_sending(url: &str, mailboxes: usize, secs: u64, port: u16) -> anyhow::Result<Sending> {
    let key = SecretBox::generate_key();
    let db = support::connect_with_key(url, &key, support::Role::Worker).await?;
    warmup::database::migrate(&db).await?;
    let secrets = SecretBox::from_base64(&key)?;
    let server = warmups::Server {
        host: "127.0.0.1",
        port,
        key: &secrets,
    };
    warmups::fill(&db, mailboxes, PER_DAY, Some(&server)).await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    warmup_worker::planner::plan_due(&db, &Clock::system(), &mut rng).await?;
    let now = chrono::Utc::now() - chrono::Duration::seconds(1);
    let due = send::Entity::update_many()
        .col_expr(send::Column::NextAttemptAt, Expr::value(now))
        .col_expr(send::Column::ScheduledAt, Expr::value(now))
        .exec(&db)
        .await?
        .rows_affected;
    let mut cmd = process::warmup("serve", url, &key);
    cmd.env("WARMUP_ALLOW_PRIVATE_MAIL_HOSTS", "true");
    let window = watch(start_serve(cmd)?, secs).await;
    Ok(Sending {
        mailboxes,
        due: usize::try_from(due)?,
        sent: count_sent(&db).await?,
        window,
    })
}

/// Starts `warmup serve` from `cmd` on a free port and waits until it listens.
fn start_serve(mut cmd: std::process::Command) -> anyhow::Result<process::Running> {
    let mut child = cmd
        .env("WARMUP_LISTEN", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take();
    let serve = process::Running(child);
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
    Ok(serve)
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
    let serve = start_serve(process::warmup("serve", url, &key))?;
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
    Ok(Outcome {
        mailboxes,
        planning,
        idle_secs,
        idle: watch(serve, idle_secs).await,
    })
}
