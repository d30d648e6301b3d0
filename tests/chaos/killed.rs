//! Chaos: the service's own processes, killed with SIGKILL again and again while they plan,
//! send and engage, lose no message and send none twice.
//!
//! Postgres: `warmup migrate`, one `warmup api` and three `warmup worker`s of the built binary;
//! every few seconds a worker is killed and started again, every other time one that holds a
//! seed's engagement session. SQLite: one `warmup serve`, killed and started again the same way.
//! Afterwards the lab's delivery log is the judge, by Message-ID: each planned send was
//! delivered exactly once or is recorded as failed with its reason, nothing delivered is
//! reported failed, each message found at a seed was found where the lab stored it, nothing
//! reached a sender but the replies the service recorded (none twice), the placement report
//! counts each placement once, and the API's numbers are the lab's. `scripts/chaos` runs it
//! longer.
//!
//! One run at a time: each starts several processes of its own and loads the machine.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use rand::Rng;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use tokio::process::Child;
use warmup::config::Settings;
use warmup_entity::store::leases;
use warmup_entity::{lease, mailbox, placement, send, worker_process};

use crate::helpers::{
    Backend, Fresh, TestApp, start_api_process, start_until_line, warmup_command,
};
use crate::support::{Lab, lab_dns, shared_seeds, start_warmup, warmup_senders};

/// Warmup messages that must have gone out (or failed) before the kills stop; `CHAOS_SENDS`
/// asks for more.
fn wanted_sends() -> usize {
    std::env::var("CHAOS_SENDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// How long they may take, far beyond what a loaded machine needs; `CHAOS_DEADLINE_SECS`
/// allows more for longer runs.
fn deadline() -> Duration {
    Duration::from_secs(
        std::env::var("CHAOS_DEADLINE_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(600),
    )
}

/// Processes the test kills: three workers on Postgres, the one `serve` on SQLite.
struct Fleet {
    settings: Settings,
    backend: Backend,
    /// The `serve` process's fixed address (it must not move when it is started again).
    listen: String,
    victims: Vec<Child>,
    /// Each victim's worker name (as in its leases), in `victims`' order.
    names: Vec<String>,
    /// Every worker name seen so far, so a restarted victim's new one can be told apart.
    seen: HashSet<String>,
    kills: usize,
    /// Kills of a victim that held a seed's engagement session at that moment.
    kills_in_session: usize,
}

impl Fleet {
    async fn start_victim(&self) -> Child {
        match self.backend {
            Backend::Postgres => {
                let cmd = warmup_command(&self.settings, &["worker"]);
                start_until_line(cmd, "warmup worker running").await.0
            }
            Backend::Sqlite => {
                let mut cmd = warmup_command(&self.settings, &["serve"]);
                cmd.env("WARMUP_LISTEN", &self.listen);
                start_until_line(cmd, "warmup listening on ").await.0
            }
        }
    }

    /// Starts a victim and learns its worker name.
    async fn add_victim(&mut self, db: &DatabaseConnection) -> (Child, String) {
        let child = self.start_victim().await;
        (child, self.new_name(db).await)
    }

    /// The worker name of the victim just started: the one worker row not seen before.
    async fn new_name(&mut self, db: &DatabaseConnection) -> String {
        let started = Instant::now();
        loop {
            let names: Vec<String> = worker_process::Entity::find()
                .all(db)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .map(|p| p.name)
                .filter(|n| !self.seen.contains(n))
                .collect();
            if let [name] = names.as_slice() {
                self.seen.insert(name.clone());
                return name.clone();
            }
            assert!(
                names.len() < 2,
                "cannot tell the started worker among {names:?}"
            );
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the started worker did not beat within 60 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Which victims hold a seed's engagement session now (lookup leases aside): a session's
    /// lease is deleted when it ends, and a killed process's stays until its heartbeat lapses.
    async fn in_session(&self, db: &DatabaseConnection) -> Vec<usize> {
        let owners = session_owners(db).await;
        (0..self.names.len())
            .filter(|i| owners.contains(&self.names[*i]))
            .collect()
    }

    /// Kills one victim with SIGKILL and starts it again: with `in_session`, one that holds a
    /// seed's engagement session when one does within a few seconds, otherwise any.
    async fn kill_one(&mut self, db: &DatabaseConnection, in_session: bool) {
        let mut chosen = None;
        if in_session {
            let looking = Instant::now();
            while chosen.is_none() && looking.elapsed() < Duration::from_secs(5) {
                let holders = self.in_session(db).await;
                if holders.is_empty() {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                } else {
                    chosen = Some(holders[rand::rng().random_range(0..holders.len())]);
                }
            }
        }
        let i = chosen.unwrap_or_else(|| rand::rng().random_range(0..self.victims.len()));
        let victim = &mut self.victims[i];
        let _ = victim.start_kill();
        let _ = victim.wait().await;
        self.kills += 1;
        // Counted by what the kill left: a session may have ended since it was chosen.
        if session_owners(db).await.contains(&self.names[i]) {
            self.kills_in_session += 1;
        }
        let (child, name) = self.add_victim(db).await;
        self.victims[i] = child;
        self.names[i] = name;
    }

    async fn stop_all(&mut self) {
        for v in &mut self.victims {
            let _ = v.start_kill();
            let _ = v.wait().await;
        }
    }
}

/// The owners of seeds' engagement sessions (lookup leases aside).
async fn session_owners(db: &DatabaseConnection) -> HashSet<String> {
    lease::Entity::find()
        .filter(lease::Column::Name.starts_with(leases::SEED_PREFIX))
        .filter(lease::Column::Name.not_like("%:lookup"))
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|l| l.owner)
        .collect()
}

/// A free port on loopback for a server that is started more than once.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// States a send ends in once it went out or was given up.
const FINAL: [&str; 3] = ["sent", "failed", "bounced"];

/// Time to the next kill: every 3 to 6 s; a `serve` that must start again whole (and whose
/// sends wait for its heartbeat to lapse, there being no other process to notice sooner) every
/// 6 to 12 s.
fn backend_kill_interval(backend: Backend) -> Duration {
    let (lo, hi) = match backend {
        Backend::Postgres => (3000, 6000),
        Backend::Sqlite => (6000, 12000),
    };
    Duration::from_millis(rand::rng().random_range(lo..hi))
}

async fn all_sends(app: &TestApp) -> Vec<send::Model> {
    send::Entity::find()
        .all(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Each placement's class by mailbox (`pending` while none), as the report names them.
async fn classes(app: &TestApp) -> HashMap<(String, String), u64> {
    let mut n = HashMap::new();
    for p in placement::Entity::find()
        .all(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    {
        let class = p.class.unwrap_or_else(|| "pending".to_string());
        *n.entry((p.mailbox_id.to_string(), class)).or_insert(0) += 1;
    }
    n
}

/// Problems found comparing each mailbox's placement report with its placements: a report
/// read while the placements held still (equal before and after it), within a minute.
async fn report_matches_placements(
    app: &TestApp,
    mailboxes: &[(String, String)],
    sends: &[send::Model],
) -> Vec<String> {
    const CLASSES: [&str; 7] = [
        "inbox", "spam", "category", "other", "missing", "pending", "unknown",
    ];
    let (from, to) = (
        sends
            .iter()
            .map(|s| s.plan_date.as_str())
            .min()
            .unwrap_or_default(),
        sends
            .iter()
            .map(|s| s.plan_date.as_str())
            .max()
            .unwrap_or_default(),
    );
    let started = Instant::now();
    loop {
        let before = classes(app).await;
        let mut reported = HashMap::new();
        for (key, id) in mailboxes {
            let report = app
                .get(
                    &format!(
                        "/v1/reports/placement?from={from}&to={to}&group_by=mailbox&source=warmup&mailbox_id={id}"
                    ),
                    key,
                )
                .await
                .expect(200);
            for class in CLASSES {
                let n = report.json["overall"][class].as_u64().unwrap_or(0);
                if n > 0 {
                    reported.insert((id.clone(), class.to_string()), n);
                }
            }
        }
        if classes(app).await != before {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the placements never held still for a report"
            );
            continue;
        }
        let mut keys: Vec<&(String, String)> = before.keys().chain(reported.keys()).collect();
        keys.sort();
        keys.dedup();
        return keys
            .into_iter()
            .filter(|k| before.get(*k) != reported.get(*k))
            .map(|(id, class)| {
                format!(
                    "mailbox {id}: the report counts {:?} {class}, the placements are {:?}",
                    reported.get(&(id.clone(), class.clone())),
                    before.get(&(id.clone(), class.clone()))
                )
            })
            .collect();
    }
}

/// The runs take turns (each test has its own runtime; this lock is runtime-agnostic).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn chaos(backend: Backend) {
    let _turn = ONE_AT_A_TIME.lock().await;
    let lab = Lab::get();
    let dns = lab_dns();
    // A simulated hour per real second: a day in 24 s. A message not at its seed 60 s after
    // its send was claimed counts as missing: a send is claimed for 25 s (5 s SMTP steps), and
    // yahoo.test greylists, so an accepted message may take its retries to arrive.
    let fresh = Fresh::new(backend, move |s| {
        s.clock_speedup = 3600.0;
        s.dns_servers = vec![dns];
        s.missing_after_secs = 60;
        s.smtp_timeout_secs = 5;
    })
    .await;
    let settings = fresh.settings.clone();
    let listen = format!("127.0.0.1:{}", free_port());
    let mut fleet = Fleet {
        settings: settings.clone(),
        backend,
        listen: listen.clone(),
        victims: Vec::new(),
        names: Vec::new(),
        seen: HashSet::new(),
        kills: 0,
        kills_in_session: 0,
    };
    // The API of the Postgres deployment is a process of its own that lives throughout.
    let mut _api = None;
    let address = match backend {
        Backend::Postgres => {
            let out = warmup_command(&settings, &["migrate"])
                .output()
                .await
                .unwrap_or_else(|e| panic!("warmup migrate: {e}"));
            assert!(
                out.status.success(),
                "warmup migrate: {}",
                String::from_utf8_lossy(&out.stdout)
            );
            let api = start_api_process(&settings).await;
            let address = api.address.clone();
            _api = Some(api);
            address
        }
        Backend::Sqlite => {
            let serve = fleet.start_victim().await;
            fleet.victims.push(serve);
            format!("http://{listen}")
        }
    };
    let app = fresh.app_at(address).await;
    // Seeds of the shared pool, and ten organizations of one sender each: each organization
    // gets an even part of the live workers' send slots (a send its killed worker left counts
    // until it is settled), so ten keep the workers' slots busy and share them.
    let seeds = shared_seeds(
        &app,
        &lab,
        "chaos",
        &[("gmail", 10), ("outlook", 10), ("yahoo", 10)],
    )
    .await;
    let preferences = json!({"pattern": "b2c", "start_per_day": 25, "daily_increase": 5,
            "max_per_day": seeds, "daily_variance_percent": 0,
            "reply_rate_percent": 30,
            "provider_split": {"gmail": 40, "outlook": 30, "yahoo": 30},
            "auto_adjust": false});
    let mailboxes = warmup_senders(&app, &lab, "Chaos", 10, &preferences).await;
    for (key, id) in &mailboxes {
        start_warmup(&app, key, id).await;
    }
    match backend {
        Backend::Postgres => {
            for _ in 0..3 {
                let (worker, name) = fleet.add_victim(&app.db).await;
                fleet.victims.push(worker);
                fleet.names.push(name);
            }
        }
        Backend::Sqlite => {
            let name = fleet.new_name(&app.db).await;
            fleet.names.push(name);
        }
    }

    // Kill a random victim every few seconds until the wanted warmup messages have gone out
    // (or failed).
    let wanted = wanted_sends();
    let started = Instant::now();
    let deadline = deadline();
    let mut next_kill = Instant::now() + Duration::from_secs(3);
    loop {
        let sends = all_sends(&app).await;
        let done = sends
            .iter()
            .filter(|s| s.thread_depth == 0 && FINAL.contains(&s.state.as_str()))
            .count();
        if done >= wanted {
            break;
        }
        assert!(
            started.elapsed() < deadline,
            "{done} of {wanted} sends done in {deadline:?} ({} kills)",
            fleet.kills
        );
        if Instant::now() >= next_kill {
            // Every other kill stops a process in a seed's engagement session.
            let in_session = fleet.kills % 2 == 1;
            fleet.kill_one(&app.db, in_session).await;
            next_kill = Instant::now() + backend_kill_interval(backend);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // No more kills. Every warmup is paused, so nothing new goes out, and what was in flight
    // (claimed by a live worker, or left by a killed one) settles.
    for (key, id) in &mailboxes {
        app.post(&format!("/v1/mailboxes/{id}/warmup/pause"), key, &json!({}))
            .await
            .expect(200);
    }
    let quiet = Instant::now();
    loop {
        let busy: Vec<String> = all_sends(&app)
            .await
            .into_iter()
            .filter(|s| s.state == "queued" || s.state == "sending")
            .map(|s| format!("{} {} {:?}", s.message_id, s.state, s.lease_until))
            .collect();
        if busy.is_empty() {
            break;
        }
        assert!(
            quiet.elapsed() < Duration::from_secs(180),
            "still in flight 180 s after the last kill:\n{}",
            busy.join("\n")
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let (kills, in_session) = (fleet.kills, fleet.kills_in_session);
    // Paused with nothing in flight, the sends hold still from here on (seeds may still read
    // and reply: their replies are judged too).
    let sends = all_sends(&app).await;

    // Sent mail may still be in the lab's queue (yahoo.test greylists): wait for it.
    let sent: Vec<&send::Model> = sends.iter().filter(|s| s.state == "sent").collect();
    let arrived = Instant::now();
    let mut delivered = lab.stored_counts();
    while sent.iter().any(|s| !delivered.contains_key(&s.message_id))
        && arrived.elapsed() < Duration::from_secs(90)
    {
        tokio::time::sleep(Duration::from_millis(500)).await;
        delivered = lab.stored_counts();
    }
    let at_lab = |id: &str| delivered.get(id).copied().unwrap_or(0);

    let mut problems = Vec::new();
    for s in &sends {
        let n = at_lab(&s.message_id);
        let text = s.last_text.clone().unwrap_or_default();
        match s.state.as_str() {
            _ if n > 1 => problems.push(format!(
                "delivered {n} times: {} ({})",
                s.message_id, s.state
            )),
            "sent" if n == 0 => {
                problems.push(format!("sent but never delivered: {}", s.message_id))
            }
            "failed" if n > 0 => problems.push(format!(
                "delivered but reported failed: {} ({text})",
                s.message_id
            )),
            "failed" if text.trim().is_empty() => {
                problems.push(format!("failed without a reason: {}", s.message_id))
            }
            "queued" | "sending" => {
                problems.push(format!("still in flight: {} {}", s.message_id, s.state))
            }
            // Planned or deferred while paused, or cancelled: never handed to a server.
            state if !FINAL.contains(&state) && n > 0 => {
                problems.push(format!("delivered but {state}: {}", s.message_id))
            }
            _ => {}
        }
    }
    // The lab's own record of each message: where it was stored, and for whom.
    let stored = lab.stored_messages();
    let placements = placement::Entity::find()
        .all(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // A message found at its seed was found where the lab stored it.
    let found = placements.iter().filter(|p| p.folder.is_some()).count();
    for p in placements.iter().filter(|p| p.folder.is_some()) {
        let at: Vec<&str> = stored
            .iter()
            .filter(|m| m.message_id == p.message_id && m.user == p.seed_email)
            .map(|m| m.folder.as_str())
            .collect();
        if at != [p.folder.as_deref().unwrap_or_default()] {
            problems.push(format!(
                "placement of {} says {:?} ({:?}), the lab stored it in {at:?}",
                p.message_id, p.folder, p.class
            ));
        }
    }
    // No reply went out twice, under its recorded Message-ID or another: whatever the lab
    // stored for a sender is a reply the service recorded.
    let replies: HashSet<&str> = placements
        .iter()
        .filter_map(|p| p.reply_message_id.as_deref())
        .collect();
    let ids: Vec<uuid::Uuid> = mailboxes
        .iter()
        .map(|(_, id)| id.parse().unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let senders: HashSet<String> = mailbox::Entity::find()
        .filter(mailbox::Column::Id.is_in(ids))
        .all(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|m| m.email)
        .collect();
    assert_eq!(senders.len(), mailboxes.len(), "every sender's address");
    problems.extend(
        replies
            .iter()
            .filter(|id| at_lab(id) > 1)
            .map(|id| format!("reply delivered {} times: {id}", at_lab(id))),
    );
    let at_senders = stored.iter().filter(|m| senders.contains(&m.user)).count();
    problems.extend(
        stored
            .iter()
            .filter(|m| senders.contains(&m.user) && !replies.contains(m.message_id.as_str()))
            .map(|m| {
                format!(
                    "{} got {} ({}), which no placement records as its reply",
                    m.user, m.message_id, m.folder
                )
            }),
    );
    // No placement counted twice: per mailbox and class, the placement report (read from the
    // daily counts each placement's transaction keeps) equals the placements themselves.
    // Seeds still engage, so a report read between two equal reads of the placements counts.
    problems.extend(report_matches_placements(&app, &mailboxes, &sends).await);

    // The API's numbers are the lab's: per mailbox, warmup messages and the sender's answers.
    for (key, id) in &mailboxes {
        // The last 30 days (the default range) hold every day of the test.
        let stats = app
            .get(&format!("/v1/mailboxes/{id}/warmup/stats"), key)
            .await
            .expect(200);
        let (mut api_sent, mut api_answers) = (0, 0);
        for d in stats.json["days"].as_array().cloned().unwrap_or_default() {
            api_sent += d["sent"].as_u64().unwrap_or(0) as usize;
            api_answers += d["continuations"]["sent"].as_u64().unwrap_or(0) as usize;
        }
        let mine = sends.iter().filter(|s| s.mailbox_id.to_string() == *id);
        let (first, answers): (Vec<&send::Model>, Vec<&send::Model>) =
            mine.partition(|s| s.thread_depth == 0);
        let lab_sent = first.iter().filter(|s| at_lab(&s.message_id) == 1).count();
        let lab_answers = answers
            .iter()
            .filter(|s| at_lab(&s.message_id) == 1)
            .count();
        if (api_sent, api_answers) != (lab_sent, lab_answers) {
            problems.push(format!(
                "mailbox {id}: the API says {api_sent} sent and {api_answers} answers, the lab has {lab_sent} and {lab_answers}"
            ));
        }
    }

    fleet.stop_all().await;
    if backend == Backend::Sqlite {
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "PRAGMA integrity_check",
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .and_then(|r| r.try_get_by_index::<String>(0).ok());
        assert_eq!(row.as_deref(), Some("ok"), "PRAGMA integrity_check");
    }

    let counted_sends: Vec<&send::Model> = sends
        .iter()
        .filter(|s| s.thread_depth == 0 && FINAL.contains(&s.state.as_str()))
        .collect();
    let failed = counted_sends.iter().filter(|s| s.state == "failed").count();
    // Why they failed, most common first: a failing run says which path gave up.
    let mut reasons: HashMap<String, usize> = HashMap::new();
    for s in counted_sends.iter().filter(|s| s.state == "failed") {
        let text = s.last_text.as_deref().unwrap_or_default();
        let key: String = text.chars().take(100).collect();
        *reasons.entry(key).or_insert(0) += 1;
    }
    let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    let reasons: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} × {r}")).collect();
    let recovered = sea_orm::PaginatorTrait::count(
        warmup_entity::send_attempt::Entity::find()
            .filter(warmup_entity::send_attempt::Column::Category.eq("recovered")),
        &app.db,
    )
    .await
    .unwrap_or(0);
    println!(
        "chaos ({backend:?}): {} sends done ({} sent, {failed} failed), {} answers, {} replies ({at_senders} messages stored for the senders), {found} placements found where the lab stored them, {kills} kills ({in_session} in a seed's session), {recovered} interrupted sends settled, {:?}",
        counted_sends.len(),
        counted_sends.iter().filter(|s| s.state == "sent").count(),
        sends.iter().filter(|s| s.thread_depth > 0).count(),
        replies.len(),
        started.elapsed()
    );
    if !reasons.is_empty() {
        println!("failed because:\n{}", reasons.join("\n"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        counted_sends.len() >= wanted,
        "{} sends",
        counted_sends.len()
    );
    assert!(
        kills >= 5,
        "only {kills} kills: the chaos was too short to judge"
    );
    assert!(
        in_session >= 2,
        "only {in_session} kills in a seed's engagement session"
    );
    // Not vacuous: seeds replied, and most sends went through despite the kills.
    assert!(!replies.is_empty(), "no seed replied");
    assert!(
        failed * 10 <= counted_sends.len(),
        "{failed} failed:\n{}",
        reasons.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_workers_on_postgres_lose_and_duplicate_nothing() {
    chaos(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_sqlite_serve_loses_and_duplicates_nothing() {
    chaos(Backend::Sqlite).await;
}
