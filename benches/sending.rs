//! Sending: the warmup send path (planned → queued → sent: the queue, the lease, lettre, the
//! recorded attempt) of one `warmup worker` process into Postfix's `smtp-sink` on loopback,
//! against Postfix's `smtp-source` sending as many messages of the same size into the same sink
//! with as many sessions as the worker runs for one organization at once (its send slots less
//! those kept free for other organizations).
//!
//! The sends are planned by the planner (40 a day for each mailbox, one organization) and then
//! all made due at once, so the worker sends as fast as it can. Its rate is counted from the
//! recorded attempts (from the start of the first conversation to the end of the last), its CPU
//! from `/proc` from its first send to its last; the sink's CPU is read around each run. `smtp-source` opens one session per message as the service does
//! (no `-d`), but does not authenticate. Both are run twice, alternating, on SQLite and (when one
//! answers at `WARMUP_TEST_POSTGRES`) Postgres.
//!
//! Needs `smtp-sink` and `smtp-source` (Debian's `postfix`; `scripts/maillab up` installs it);
//! without them it says so and measures nothing.
//!
//!   cargo bench --bench sending
//!   WARMUP_BENCH_SENDS=1000 cargo bench --bench sending
//!   WARMUP_BENCH_BINARY=/path/to/an/older/warmup cargo bench --bench sending

#[path = "support/postgres.rs"]
mod postgres;
#[path = "support/process.rs"]
mod process;
#[path = "support/sink.rs"]
mod sink;
mod support;
#[path = "support/warmups.rs"]
mod warmups;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use rand::SeedableRng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;
use warmup_domain::state::SendState;
use warmup_entity::secret_box::SecretBox;
use warmup_entity::store::sends::Share;
use warmup_entity::{Clock, send, send_attempt};
use warmup_worker::runner::SEND_CONCURRENCY;
use warmup_worker::sender::SENDS_IN_FLIGHT_PER_ORG;

const PER_DAY: u32 = 40;

/// Sends one organization has in flight at once with one worker process.
fn sessions() -> u64 {
    Share {
        slots: SEND_CONCURRENCY as u64,
        floor: SENDS_IN_FLIGHT_PER_ORG,
    }
    .per_org(1)
}
/// A run that has not finished by then is reported as stuck.
const DEADLINE: Duration = Duration::from_secs(1800);

/// A sink: how it answers, and how many messages each run sends into it.
struct Sink {
    name: &'static str,
    args: &'static [&'static str],
    messages: usize,
}

fn main() -> anyhow::Result<()> {
    let (Some(sink), Some(source)) = (
        sink::postfix_tool("smtp-sink"),
        sink::postfix_tool("smtp-source"),
    ) else {
        eprintln!(
            "smtp-sink or smtp-source not found (Debian's postfix; `scripts/maillab up` installs it): nothing measured"
        );
        return Ok(());
    };
    let sends: usize = support::env_number("WARMUP_BENCH_SENDS", 4000);
    let sinks = [
        Sink {
            name: "at once",
            args: &[],
            messages: sends,
        },
        // As a real provider answers: its verdict on a message takes a while (a content scan).
        // Twenty rounds of the sessions are enough to see whether the slots stay full.
        Sink {
            name: "after 1 s",
            args: &["-w", "1"],
            messages: 20 * usize::try_from(sessions())?,
        },
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let dir = tempfile::tempdir()?;
    let mut rows = Vec::new();
    let mut n = 0;
    let mut sqlite = || {
        n += 1;
        Ok(format!(
            "sqlite://{}?mode=rwc",
            dir.path().join(format!("send{n}.sqlite")).display()
        ))
    };
    rows.extend(bench(
        "SQLite",
        &mut sqlite,
        &sinks,
        &sink,
        &source,
        &runtime,
    )?);
    if let Some(mut pg) = runtime.block_on(postgres::Scratch::connect()) {
        let run = bench(
            "Postgres",
            &mut || runtime.block_on(pg.database()),
            &sinks,
            &sink,
            &source,
            &runtime,
        );
        runtime.block_on(pg.finish(false))?;
        rows.extend(run?);
    }
    println!(
        "\nsending into smtp-sink on loopback, {} sessions at once (one organization, {PER_DAY} sends a mailbox):",
        sessions()
    );
    println!(
        "| database | sink answers | run | messages | warmup worker | smtp-source | worker ÷ smtp-source | worker CPU per 1,000 | smtp-source CPU per 1,000 | sink CPU per 1,000 (worker / smtp-source) | worker peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {:.1}/s | {:.1}/s | {:.3} | {:.2} s | {:.2} s | {:.2} / {:.2} s | {} MiB |",
            r.database,
            r.sink,
            r.run,
            r.messages,
            r.worker.rate,
            r.source.rate,
            r.worker.rate / r.source.rate.max(1e-9),
            r.worker.cpu_per_1000,
            r.source.cpu_per_1000,
            r.worker.sink_cpu_per_1000,
            r.source.sink_cpu_per_1000,
            r.worker_peak_rss_kb / 1024,
        );
    }
    Ok(())
}

/// One side's figures.
struct Side {
    /// Messages a second.
    rate: f64,
    /// CPU seconds of the sender per 1,000 messages.
    cpu_per_1000: f64,
    /// CPU seconds of the sink per 1,000 messages.
    sink_cpu_per_1000: f64,
}

struct Row {
    database: &'static str,
    sink: &'static str,
    run: usize,
    messages: usize,
    worker: Side,
    source: Side,
    worker_peak_rss_kb: u64,
}

/// Two runs into each sink, each on a new database (`new_db`), alternating with `smtp-source`.
fn bench(
    database: &'static str,
    new_db: &mut dyn FnMut() -> anyhow::Result<String>,
    sinks: &[Sink],
    sink: &Path,
    source: &Path,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for s in sinks {
        let (sink_process, port) = sink::start(sink, s.args)?;
        let sink_pid = sink_process.0.id();
        let mailboxes = s.messages.div_ceil(PER_DAY as usize);
        for run in 1..=2 {
            let url = new_db()?;
            let worker = runtime.block_on(worker_run(&url, mailboxes, port, sink_pid, run))?;
            let size = worker.message_bytes;
            let messages = worker.messages;
            let source = source_run(source, port, sink_pid, messages, size)?;
            eprintln!(
                "{database}, sink answering {}, run {run}: worker {:.1}/s, smtp-source {:.1}/s ({messages} messages of {size} bytes)",
                s.name, worker.side.rate, source.rate
            );
            rows.push(Row {
                database,
                sink: s.name,
                run,
                messages,
                worker: worker.side,
                source,
                worker_peak_rss_kb: worker.peak_rss_kb,
            });
        }
    }
    Ok(rows)
}

struct WorkerRun {
    side: Side,
    messages: usize,
    message_bytes: usize,
    peak_rss_kb: u64,
}

/// An organization's sends, all due now, sent by one `warmup worker` (on a new database).
async fn worker_run(
    url: &str,
    mailboxes: usize,
    port: u16,
    sink_pid: u32,
    run: usize,
) -> anyhow::Result<WorkerRun> {
    let key = SecretBox::generate_key();
    let db = support::connect_with_key(url, &key, support::Role::Worker).await?;
    warmup::database::migrate(&db).await?;
    let secrets = SecretBox::from_base64(&key)?;
    let server = warmups::Server {
        host: "127.0.0.1",
        port,
        key: &secrets,
    };
    let org = warmups::fill(&db, mailboxes, PER_DAY, Some(&server)).await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(run as u64);
    warmup_worker::planner::plan_due(&db, &Clock::system(), &mut rng).await?;
    let due = Utc::now() - chrono::Duration::seconds(1);
    send::Entity::update_many()
        .col_expr(send::Column::NextAttemptAt, Expr::value(due))
        .col_expr(send::Column::ScheduledAt, Expr::value(due))
        .filter(send::Column::OrganizationId.eq(org))
        .exec(&db)
        .await?;
    let messages = usize::try_from(
        send::Entity::find()
            .filter(send::Column::OrganizationId.eq(org))
            .count(&db)
            .await?,
    )?;
    let message_bytes = average_size(&db, org).await?;

    let child = process::warmup("worker", url, &key)
        .env("WARMUP_ALLOW_PRIVATE_MAIL_HOSTS", "true")
        .spawn()?;
    let worker = process::Running(child);
    let pid = worker.0.id();
    let until = Instant::now() + DEADLINE;
    let mut cpu_at_first = None;
    let mut sink_cpu_at_first = 0.0;
    loop {
        let sent = count(&db, org, SendState::Sent).await?;
        if sent > 0 && cpu_at_first.is_none() {
            cpu_at_first = Some(process::cpu_seconds(pid));
            sink_cpu_at_first = process::cpu_seconds(sink_pid);
        }
        if sent >= messages {
            break;
        }
        let failed = count(&db, org, SendState::Failed).await?
            + count(&db, org, SendState::Deferred).await?;
        anyhow::ensure!(
            failed == 0,
            "{failed} sends failed or deferred: {:?}",
            send::Entity::find()
                .filter(send::Column::OrganizationId.eq(org))
                .filter(send::Column::LastText.is_not_null())
                .one(&db)
                .await?
                .and_then(|s| s.last_text)
        );
        anyhow::ensure!(
            Instant::now() < until,
            "{sent} of {messages} sent in {DEADLINE:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let cpu = process::cpu_seconds(pid) - cpu_at_first.unwrap_or(0.0);
    let sink_cpu = process::cpu_seconds(sink_pid) - sink_cpu_at_first;
    let peak_rss_kb = process::status_kb(pid, "VmHWM");
    drop(worker);
    // From the start of the first conversation to the end of the last, as for smtp-source:
    // the worker's start-up is not the send path.
    let attempts = send_attempt::Entity::find()
        .filter(send_attempt::Column::OrganizationId.eq(org))
        .all(&db)
        .await?;
    anyhow::ensure!(
        attempts.len() == messages,
        "{} attempts for {messages} messages",
        attempts.len()
    );
    let first = attempts
        .iter()
        .map(|a| a.attempted_at - chrono::Duration::milliseconds(a.duration_ms))
        .min();
    let last = attempts.iter().map(|a| a.attempted_at).max();
    let span = match (first, last) {
        (Some(f), Some(l)) => (l - f).to_std().unwrap_or_default(),
        _ => Duration::ZERO,
    };
    let per_1000 = 1000.0 / messages as f64;
    Ok(WorkerRun {
        side: Side {
            rate: messages as f64 / span.as_secs_f64().max(1e-9),
            cpu_per_1000: cpu * per_1000,
            sink_cpu_per_1000: sink_cpu * per_1000,
        },
        messages,
        message_bytes,
        peak_rss_kb,
    })
}

async fn count(db: &DatabaseConnection, org: Uuid, state: SendState) -> anyhow::Result<usize> {
    Ok(usize::try_from(
        send::Entity::find()
            .filter(send::Column::OrganizationId.eq(org))
            .filter(send::Column::State.eq(state.as_str()))
            .count(db)
            .await?,
    )?)
}

/// The average size of the organization's messages as the worker builds them (a sample).
async fn average_size(db: &DatabaseConnection, org: Uuid) -> anyhow::Result<usize> {
    use warmup_mail::message::{Address, Outgoing, build};
    let sample = send::Entity::find()
        .filter(send::Column::OrganizationId.eq(org))
        .limit(200)
        .all(db)
        .await?;
    let mut total = 0;
    for s in &sample {
        let built = build(&Outgoing {
            from: Address {
                name: Some("Bench"),
                email: "sender0@bench.example",
            },
            to: Address {
                name: None,
                email: &s.seed_email,
            },
            subject: &s.subject,
            message_id: &s.message_id,
            in_reply_to: None,
            references: None,
            date: Utc::now(),
            body: &s.body,
        })?;
        total += built.bytes().len();
    }
    Ok(total / sample.len().max(1))
}

/// `smtp-source` sending `messages` of `size` bytes into the sink, as many sessions at once as
/// the worker has for one organization, one message per session.
fn source_run(
    source: &Path,
    port: u16,
    sink_pid: u32,
    messages: usize,
    size: usize,
) -> anyhow::Result<Side> {
    let sink_before = process::cpu_seconds(sink_pid);
    let started = Instant::now();
    // The shell's `times` reports what its child spent.
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} -s {} -m {messages} -l {size} -f sender0@bench.example -t seed0@gmail.example 127.0.0.1:{port} && times",
            source.display(),
            sessions()
        ))
        .stderr(Stdio::inherit())
        .output()?;
    let elapsed = started.elapsed();
    anyhow::ensure!(out.status.success(), "smtp-source failed");
    let sink_cpu = process::cpu_seconds(sink_pid) - sink_before;
    let text = String::from_utf8_lossy(&out.stdout);
    // `times` prints the shell's own user and system time, then its children's.
    let children = text.lines().last().unwrap_or("");
    let cpu: f64 = children.split_whitespace().map(shell_time).sum();
    let per_1000 = 1000.0 / messages as f64;
    Ok(Side {
        rate: messages as f64 / elapsed.as_secs_f64().max(1e-9),
        cpu_per_1000: cpu * per_1000,
        sink_cpu_per_1000: sink_cpu * per_1000,
    })
}

/// Seconds of a `times` field such as `0m0.012s`.
fn shell_time(field: &str) -> f64 {
    let field = field.trim_end_matches('s');
    match field.split_once('m') {
        Some((m, s)) => m.parse::<f64>().unwrap_or(0.0) * 60.0 + s.parse::<f64>().unwrap_or(0.0),
        None => 0.0,
    }
}
