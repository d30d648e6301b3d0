//! Cost per message against the mail servers themselves: the service warms mailboxes up
//! through the lab's Postfix and Dovecot (fast clock, seeds engaging: placement, opens, rescue,
//! replies), and the CPU seconds it spends are set against those Postfix and Dovecot spend on
//! the same messages in the same run (target: service ÷ lab ≤ 0.25).
//!
//! The service is one `warmup serve` on SQLite, and `warmup api` with one `warmup worker` on
//! Postgres (when one answers at `WARMUP_TEST_POSTGRES`; otherwise SQLite only). The lab's CPU is that of each daemon's
//! whole process tree: every live process's own and reaped children's time, so the short-lived
//! `smtpd`, `cleanup`, `imap` and `lmtp` processes count too. postgrey (the greylisting policy
//! server of yahoo.test) and dnsmasq are shown beside them, not counted. Messages are every
//! warmup message, sender's answer and seed's reply of the run that the lab stored.
//!
//! On Postgres the service's CPU includes that of the database's backends serving it. A fast
//! clock runs the service's rounds at their fastest pace whatever the mail, so each run is
//! followed by the same service with nothing to do on the same clock, and the ratio is shown
//! both whole and beyond that empty service's CPU.
//!
//! It needs the mail lab running, otherwise idle, and its environment loaded; without it, it
//! says so and measures nothing:
//!
//!   scripts/maillab up && set -a && . <(scripts/maillab env) && set +a
//!   cargo bench --bench lab_cost
//!   WARMUP_BENCH_MESSAGES=600 WARMUP_BENCH_SPEEDUPS=600,3600 WARMUP_BENCH_BACKENDS=sqlite \
//!     cargo bench --bench lab_cost
//!
//! `WARMUP_BENCH_LOG` sets the service's log filter (`sqlx::query=info` logs each statement).
//! `WARMUP_BENCH_BINARY` runs another build's `warmup` (the service; the benchmark is this build's).

#[path = "../tests/api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "../tests/lab/support.rs"]
#[allow(dead_code)]
mod lab;
#[path = "support/process.rs"]
mod process;
mod support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use warmup_entity::{placement, send};

use helpers::{Backend, Fresh, TestApp, start_api_process, start_until_line};
use lab::{Lab, lab_dns, shared_seeds, start_warmup, var, warmup_senders};

/// Seeds of the shared pool per provider.
const SEEDS: [(&str, usize); 3] = [("gmail", 8), ("outlook", 6), ("yahoo", 6)];
/// Sender mailboxes, one organization each.
const SENDERS: usize = 5;

/// The pid the lab recorded for one of its daemons.
fn lab_pid(daemon: &str) -> anyhow::Result<u32> {
    let path = format!("{}/run/{daemon}.pid", var("MAILLAB_DIR"));
    let text = std::fs::read_to_string(&path)?;
    text.split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no pid in {path}"))
}

/// CPU seconds of the lab's daemons, by name.
fn lab_cpu() -> anyhow::Result<Vec<(&'static str, f64)>> {
    ["postfix", "dovecot", "postgrey", "dnsmasq"]
        .into_iter()
        .map(|d| Ok((d, process::tree_cpu_seconds(lab_pid(d)?))))
        .collect()
}

struct Outcome {
    backend: Backend,
    speedup: f64,
    messages: usize,
    wall: Duration,
    /// CPU seconds of the service's processes and, on Postgres, of the database's backends.
    service: f64,
    /// Of which the Postgres backends'.
    database: f64,
    /// What the same service with nothing to do spends on the same clock in as long.
    empty: f64,
    lab: Vec<(&'static str, f64)>,
}

impl Outcome {
    fn lab_of(&self, daemon: &str) -> f64 {
        self.lab
            .iter()
            .find(|(d, _)| *d == daemon)
            .map_or(0.0, |(_, s)| *s)
    }
}

fn main() -> anyhow::Result<()> {
    if std::env::var_os("MAILLAB_DIR").is_none() {
        eprintln!(
            "lab_cost: the mail lab's environment is not loaded, nothing measured \
             (scripts/maillab up && set -a && . <(scripts/maillab env) && set +a)"
        );
        return Ok(());
    }
    let wanted: usize = support::env_number("WARMUP_BENCH_MESSAGES", 300);
    let speedups: Vec<f64> = std::env::var("WARMUP_BENCH_SPEEDUPS")
        .unwrap_or_else(|_| "3600".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let backends: Vec<Backend> = std::env::var("WARMUP_BENCH_BACKENDS")
        .unwrap_or_else(|_| "sqlite,postgres".to_string())
        .split(',')
        .filter_map(|b| match b.trim() {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" => Some(Backend::Postgres),
            _ => None,
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    // Each row as soon as its run ends: a later run that fails keeps the earlier ones.
    println!(
        "| database | clock | messages | wall | service CPU (of it Postgres) | empty service as long | Postfix CPU | Dovecot CPU | service ÷ lab | beyond the empty service ÷ lab | service per 1,000 | lab per 1,000 | postgrey, dnsmasq CPU |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for backend in backends {
        if backend == Backend::Postgres && !runtime.block_on(postgres_answers()) {
            eprintln!(
                "lab_cost: no Postgres answers at WARMUP_TEST_POSTGRES, measured on SQLite only"
            );
            continue;
        }
        for &speedup in &speedups {
            let r = runtime.block_on(run(backend, speedup, wanted))?;
            let lab = r.lab_of("postfix") + r.lab_of("dovecot");
            let per_k = |s: f64| 1000.0 * s / r.messages.max(1) as f64;
            println!(
                "| {:?} | {}× | {} | {:.0} s | {:.1} s ({:.1} s) | {:.1} s | {:.1} s | {:.1} s | {:.2} | {:.2} | {:.1} s | {:.1} s | {:.1} s, {:.1} s |",
                r.backend,
                r.speedup,
                r.messages,
                r.wall.as_secs_f64(),
                r.service,
                r.database,
                r.empty,
                r.lab_of("postfix"),
                r.lab_of("dovecot"),
                r.service / lab.max(0.01),
                (r.service - r.empty).max(0.0) / lab.max(0.01),
                per_k(r.service),
                per_k(lab),
                r.lab_of("postgrey"),
                r.lab_of("dnsmasq"),
            );
        }
    }
    Ok(())
}

/// Whether the Postgres server the tests use answers.
async fn postgres_answers() -> bool {
    let url = std::env::var("WARMUP_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    sea_orm::Database::connect(url).await.is_ok()
}

/// `WARMUP_BENCH_LOG` as the service's log filter (`sqlx::query=info` shows each statement),
/// instead of warnings only.
fn log_as_asked(cmd: &mut tokio::process::Command) {
    if let Ok(filter) = std::env::var("WARMUP_BENCH_LOG") {
        cmd.env("WARMUP_LOG", filter);
    }
}

/// CPU seconds of the service's processes.
fn service_cpu(pids: &[u32]) -> f64 {
    pids.iter().map(|p| process::cpu_seconds(*p)).sum()
}

/// Starts the service as a deployment on `backend` runs it; returns its processes and the
/// API's address.
async fn start_service(
    backend: Backend,
    settings: &warmup::config::Settings,
) -> anyhow::Result<(Vec<Service>, String)> {
    let mut processes = Vec::new();
    let address = match backend {
        Backend::Postgres => {
            let out = helpers::warmup_command(settings, &["migrate"])
                .output()
                .await?;
            anyhow::ensure!(out.status.success(), "warmup migrate failed");
            let api = start_api_process(settings).await;
            let address = api.address.clone();
            let mut worker = helpers::warmup_command(settings, &["worker"]);
            log_as_asked(&mut worker);
            let (worker, _) = start_until_line(worker, "warmup worker running").await;
            processes.push(Service::Api(api));
            processes.push(Service::Child(worker));
            address
        }
        Backend::Sqlite => {
            let mut serve = helpers::warmup_command(settings, &["serve"]);
            serve.env("WARMUP_LISTEN", "127.0.0.1:0");
            log_as_asked(&mut serve);
            let (child, rest) = start_until_line(serve, "warmup listening on ").await;
            let address = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            processes.push(Service::Child(child));
            address
        }
    };
    Ok((processes, address))
}

/// Settings of a run: the lab's DNS, `speedup` times real time.
async fn fresh(backend: Backend, speedup: f64) -> Fresh {
    let dns = lab_dns();
    Fresh::new(backend, move |s| {
        s.clock_speedup = speedup;
        s.dns_servers = vec![dns];
        s.missing_after_secs = 60;
    })
    .await
}

/// CPU seconds a second of the service with nothing to do spends on this clock (its rounds
/// run at the fast clock's pace): what a run's CPU would hold without any mail.
async fn empty_rate(backend: Backend, speedup: f64, secs: u64) -> anyhow::Result<f64> {
    let fresh = fresh(backend, speedup).await;
    let (processes, address) = start_service(backend, &fresh.settings).await?;
    let app = app_at(fresh, address).await?;
    let pids: Vec<u32> = processes.iter().filter_map(Service::pid).collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = service_cpu(&pids) + database_cpu(&app).await?;
    tokio::time::sleep(Duration::from_secs(secs)).await;
    let spent = service_cpu(&pids) + database_cpu(&app).await? - before;
    drop(processes);
    Ok(spent / secs as f64)
}

/// What the benchmark's own connections call themselves, so that their backends are not
/// counted as the service's.
const OWN_NAME: &str = "warmup-lab-cost";

/// A test app on the service at `address` whose own Postgres connections are named
/// [`OWN_NAME`].
async fn app_at(fresh: Fresh, address: String) -> anyhow::Result<TestApp> {
    let backend = fresh.backend;
    let mut app = fresh.app_at(address).await;
    if backend == Backend::Postgres {
        let url = &app.settings.database_url;
        let named = format!(
            "{url}{}application_name={OWN_NAME}",
            if url.contains('?') { '&' } else { '?' }
        );
        app.db = sea_orm::Database::connect(named).await?;
    }
    Ok(app)
}

/// CPU seconds of the Postgres backends serving the run's database, all but the benchmark's
/// own: the database's share of the service. 0 on SQLite, which runs inside the service. The
/// backends must be processes of this machine (a server elsewhere is refused, not counted as
/// nothing); one that ended between two readings is not counted (the service pools its
/// connections).
async fn database_cpu(app: &TestApp) -> anyhow::Result<f64> {
    use sea_orm::ConnectionTrait;
    if app.backend != Backend::Postgres {
        return Ok(0.0);
    }
    let rows = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!(
                "SELECT pid FROM pg_stat_activity \
                 WHERE datname = current_database() AND application_name <> '{OWN_NAME}'"
            ),
        ))
        .await?;
    let mut total = 0.0;
    for pid in rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<i32>(0).ok())
        .filter_map(|p| u32::try_from(p).ok())
    {
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() != "postgres" {
            // Gone since, or not this machine's: only the first is fine.
            anyhow::ensure!(
                !std::path::Path::new(&format!("/proc/{pid}")).exists(),
                "backend {pid} is not a Postgres process of this machine ({comm:?}): \
                 the benchmark needs the server on this machine"
            );
            continue;
        }
        total += process::cpu_seconds(pid);
    }
    Ok(total)
}

async fn run(backend: Backend, speedup: f64, wanted: usize) -> anyhow::Result<Outcome> {
    let lab = Lab::get();
    let fresh = fresh(backend, speedup).await;
    let (processes, address) = start_service(backend, &fresh.settings).await?;
    let pids: Vec<u32> = processes.iter().filter_map(Service::pid).collect();
    anyhow::ensure!(
        pids.len() == processes.len(),
        "a service process has no pid"
    );
    let app = app_at(fresh, address).await?;
    let seeds = shared_seeds(&app, &lab, "cost", &SEEDS).await;
    let preferences = json!({"pattern": "b2b", "start_per_day": seeds, "daily_increase": 0,
            "max_per_day": seeds, "daily_variance_percent": 0,
            "reply_rate_percent": 30,
            "provider_split": {"gmail": 40, "outlook": 30, "yahoo": 30},
            "auto_adjust": false});
    let mailboxes = warmup_senders(&app, &lab, "Cost", SENDERS, &preferences).await;

    let service_before = service_cpu(&pids);
    let database_before = database_cpu(&app).await?;
    let lab_before = lab_cpu()?;
    let started = Instant::now();
    for (key, id) in &mailboxes {
        start_warmup(&app, key, id).await;
    }
    let deadline = Duration::from_secs(900);
    // Until the wanted warmup messages have gone out; then nothing new is planned. Counted in
    // the database, so the asking costs the service little.
    loop {
        let done = count(
            &app,
            send::Entity::find()
                .filter(send::Column::ThreadDepth.eq(0))
                .filter(send::Column::State.is_in(["sent", "failed", "bounced"])),
        )
        .await;
        if done >= wanted {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < deadline,
            "{done} of {wanted} sends in {deadline:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for (key, id) in &mailboxes {
        app.post(&format!("/v1/mailboxes/{id}/warmup/pause"), key, &json!({}))
            .await
            .expect(200);
    }
    // Until what went out has been found and engaged with: nothing in flight, and as many
    // placements done as warmup messages sent (each has one).
    loop {
        let busy = count(
            &app,
            send::Entity::find().filter(send::Column::State.is_in(["queued", "sending"])),
        )
        .await;
        let sent = count(
            &app,
            send::Entity::find()
                .filter(send::Column::ThreadDepth.eq(0))
                .filter(send::Column::State.eq("sent")),
        )
        .await;
        let done = count(
            &app,
            placement::Entity::find().filter(placement::Column::Stage.eq("done")),
        )
        .await;
        let open = count(
            &app,
            placement::Entity::find().filter(placement::Column::Stage.ne("done")),
        )
        .await;
        if busy == 0 && open == 0 && done >= sent {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < deadline,
            "{busy} sends in flight, {open} placements not done and {done} of {sent} done after {deadline:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let wall = started.elapsed();
    let service = service_cpu(&pids) - service_before;
    let database = database_cpu(&app).await? - database_before;
    let lab_after = lab_cpu()?;
    let lab_spent = lab_after
        .iter()
        .zip(&lab_before)
        .map(|((d, after), (_, before))| (*d, after - before))
        .collect();

    let sends = send::Entity::find().all(&app.db).await?;
    let placements = placement::Entity::find().all(&app.db).await?;
    let ours: HashSet<&str> = sends
        .iter()
        .map(|s| s.message_id.as_str())
        .chain(
            placements
                .iter()
                .filter_map(|p| p.reply_message_id.as_deref()),
        )
        .collect();
    let stored = lab.stored_counts();
    let messages = ours.iter().filter(|id| stored.contains_key(**id)).count();
    drop(processes);
    // The same service with nothing to do, on the same clock, for a minute or the run's
    // length if shorter.
    let empty = empty_rate(backend, speedup, wall.as_secs().clamp(10, 60)).await?;
    Ok(Outcome {
        backend,
        speedup,
        messages,
        wall,
        service: service + database,
        database,
        empty: empty * wall.as_secs_f64(),
        lab: lab_spent,
    })
}

async fn count<E: EntityTrait>(app: &TestApp, select: sea_orm::Select<E>) -> usize
where
    E::Model: Sync,
{
    use sea_orm::PaginatorTrait;
    usize::try_from(select.count(&app.db).await.unwrap_or(0)).unwrap_or(0)
}

/// A process of the service the benchmark started, stopped when dropped.
enum Service {
    Api(helpers::ApiProcess),
    Child(tokio::process::Child),
}

impl Service {
    fn pid(&self) -> Option<u32> {
        match self {
            Service::Api(a) => a.pid(),
            Service::Child(c) => c.id(),
        }
    }
}
