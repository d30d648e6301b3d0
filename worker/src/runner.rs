//! The background worker process: apalis workers (housekeeping, sends) registered on one
//! monitor beside the loop that plans and queues, stopped together when the process is told to
//! stop.

use std::future::Future;
use std::str::FromStr;
use std::sync::atomic::Ordering;
use std::time::Duration;

use apalis::prelude::*;
use apalis_cron::CronScheduler;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use warmup_domain::log_text::escape_control;
use warmup_entity::store::StoreError;
use warmup_entity::store::in_use::InUse;

use crate::job_fetch::{Gated, PostgresJobs, SqliteJobs};
use crate::poll_timer::Every;
use crate::send_queue::{SendJob, SendQueue, WebhookJob, WebhookQueue};
use warmup_entity::Clock;

use crate::Error;
use crate::deps::SendDeps;
use crate::housekeeping::JobState;
use crate::{housekeeping, planner, recovery, sender, sender_scan, verification};

/// How the worker runs.
#[derive(Clone)]
pub struct WorkerOptions {
    /// Cron schedule (with seconds) of the housekeeping job.
    pub housekeeping_schedule: String,
    /// Planning and sending warmup mail; `None` runs housekeeping only.
    pub warmup: Option<SendDeps>,
    /// Simulated time between two rounds of planning and sending.
    pub tick: chrono::Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            housekeeping_schedule: "0 */10 * * * *".to_string(),
            warmup: None,
            tick: chrono::Duration::seconds(30),
        }
    }
}

/// What a send job needs.
#[derive(Clone)]
struct SendContext {
    db: DatabaseConnection,
    deps: SendDeps,
    wakeups: Wakeups,
}

/// What the process's parts tell each other, so that a backlog of due sends moves as fast as
/// the send slots free up rather than once a round.
#[derive(Clone, Default)]
struct Wakeups {
    /// Send jobs were pushed: the send job worker looks now.
    pushed: std::sync::Arc<tokio::sync::Notify>,
    /// Webhook jobs were pushed: the webhook job worker looks now.
    hooks_pushed: std::sync::Arc<tokio::sync::Notify>,
    /// A send job ended: its slot is free for the next due send.
    freed: std::sync::Arc<tokio::sync::Notify>,
    /// A job (send or webhook) ended since the warmup loop last unlocked ended jobs.
    ended: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// How many sends one worker process has in flight at once. A send waits on a remote server
/// (seconds with real providers) far more than it works, so a process runs many.
pub const SEND_CONCURRENCY: usize = 16;

/// The send job: one queued send, delivered and recorded.
async fn send_job(
    job: SendJob,
    ctx: Data<SendContext>,
    worker: WorkerContext,
) -> Result<(), BoxDynError> {
    let sent = sender::send_queued(&ctx.db, &ctx.deps, worker.name(), job.send_id).await;
    ctx.wakeups.freed.notify_one();
    ctx.wakeups.ended.store(true, Ordering::Relaxed);
    sent?;
    Ok(())
}

/// How often the warmup loop unlocks ended jobs when none ended here (see `unlock_ended`).
const UNLOCK_AT_LEAST_EVERY: Duration = Duration::from_secs(30);

/// How many webhook deliveries one worker process sends at once.
const WEBHOOK_CONCURRENCY: usize = 8;

/// The webhook job: one queued delivery, sent and recorded.
async fn webhook_job(
    job: WebhookJob,
    ctx: Data<SendContext>,
    worker: WorkerContext,
) -> Result<(), BoxDynError> {
    let delivered =
        crate::webhooks::deliver(&ctx.db, &ctx.deps, worker.name(), job.delivery_id).await;
    ctx.wakeups.ended.store(true, Ordering::Relaxed);
    delivered?;
    Ok(())
}

/// Plans, queues due sends and settles interrupted ones until told to stop; a failed round is
/// logged and the next one tries again.
async fn warmup_loop(
    db: DatabaseConnection,
    deps: SendDeps,
    tick: chrono::Duration,
    owner: String,
    wakeups: Wakeups,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    use rand::SeedableRng;
    let mut queue = SendQueue::new(&db, SEND_CONCURRENCY);
    let mut hooks = WebhookQueue::new(&db, WEBHOOK_CONCURRENCY);
    let mut rng = rand::rngs::StdRng::from_os_rng();
    let mut rounds = planner::Rounds::default();
    let mut live = sender::LiveWorkers::default();
    // At least 50 ms of real time between rounds, however fast the clock runs, and at most
    // two seconds; sends that free a slot meanwhile queue the next ones themselves.
    let pause = deps
        .clock
        .real(tick)
        .clamp(Duration::from_millis(50), Duration::from_secs(2));
    let longest = Duration::from_secs(2);
    // The first round unlocks what an earlier run of the process left.
    let mut unlocked: Option<std::time::Instant> = None;
    while !*stop.borrow() {
        if let Err(e) = rounds.plan_due(&db, &deps.clock, &mut rng).await {
            tracing::error!(error = %escape_control(&e.to_string()), "planning failed");
        }
        if let Err(e) = recovery::recover_expired(&db, &deps, &owner).await {
            tracing::error!(error = %escape_control(&e.to_string()), "recovering interrupted sends failed");
        }
        // Only after jobs ended here, and every half minute for those whose end apalis
        // recorded after the look (it acknowledges once the job's function has returned).
        if wakeups.ended.swap(false, Ordering::Relaxed)
            || unlocked.is_none_or(|at| at.elapsed() >= UNLOCK_AT_LEAST_EVERY)
        {
            unlocked = Some(std::time::Instant::now());
            if let Err(e) = crate::send_queue::unlock_ended(&db).await {
                tracing::error!(error = %escape_control(&e.to_string()), "unlocking ended jobs failed");
            }
        }
        let share = match sender::start_round(&db, &deps, SEND_CONCURRENCY, &mut live).await {
            Ok(share) => Some(share),
            Err(e) => {
                tracing::error!(error = %escape_control(&e.to_string()), "queueing due sends failed");
                None
            }
        };
        let mut backlog = match share {
            Some(share) => queue_due(&db, &deps, &mut queue, share, true, &wakeups).await,
            None => false,
        };
        match crate::webhooks::dispatch_due(&db, &deps, &mut hooks).await {
            Ok(0) => {}
            Ok(_) => wakeups.hooks_pushed.notify_one(),
            Err(e) => {
                tracing::error!(error = %escape_control(&e.to_string()), "queueing webhook deliveries failed")
            }
        }
        let wait = idle(&deps, pause, longest, |now| {
            next_send_or_planning(&db, now, rounds.next_full_round(now))
        })
        .await;
        let next_round = tokio::time::Instant::now() + wait;
        // Until the next round, each freed send slot queues the next due send while there are
        // any; without a backlog a freed slot changes nothing and is not looked at.
        loop {
            tokio::select! {
                changed = stop.changed() => {
                    // Whoever could say "stop" has gone: nothing will, so stop now.
                    if changed.is_err() {
                        return;
                    }
                    break;
                }
                () = tokio::time::sleep_until(next_round) => break,
                () = wakeups.freed.notified(), if backlog => {
                    if let Some(share) = share {
                        // Runs at every freed slot: it looks past organizations at their
                        // share only when the oldest due sends queued nothing.
                        backlog = queue_due(&db, &deps, &mut queue, share, false, &wakeups).await;
                    }
                }
            }
        }
    }
}

/// How long a loop may wait before its next round: until what `next` says is due next
/// (simulated, from the time it is given), within `shortest` and `longest`; `longest` when
/// nothing is. On a fast clock this spares rounds that would find nothing due; where `shortest`
/// is already `longest` (a real clock) nothing is read and every round is `longest` apart.
async fn idle<F, Next>(deps: &SendDeps, shortest: Duration, longest: Duration, next: F) -> Duration
where
    F: FnOnce(DateTime<Utc>) -> Next,
    Next: Future<Output = Result<Option<DateTime<Utc>>, StoreError>>,
{
    if shortest >= longest {
        return longest;
    }
    let now = deps.clock.now();
    match next(now).await {
        Ok(Some(at)) => deps.clock.real(at - now).clamp(shortest, longest),
        Ok(None) => longest,
        Err(e) => {
            tracing::error!(error = %escape_control(&e.to_string()), "reading when the next round is due failed");
            shortest
        }
    }
}

/// When the warmup loop's next round is due: the next send's time or the next full planning
/// round, whichever is first; `None` when neither is coming.
async fn next_send_or_planning(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    planning: Option<DateTime<Utc>>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let send = warmup_entity::store::sends::next_due_after(db, now).await?;
    Ok(send.into_iter().chain(planning).min())
}

/// Queues due sends and wakes the job workers when it did; true when sends are still due
/// (passed over for a share or a slot, or more than one look takes).
async fn queue_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    queue: &mut SendQueue,
    share: warmup_entity::store::sends::Share,
    look_behind: bool,
    wakeups: &Wakeups,
) -> bool {
    match sender::queue_due(db, deps, queue, share, look_behind).await {
        Ok(queued) => {
            if queued.pushed > 0 {
                wakeups.pushed.notify_one();
            }
            queued.more_due
        }
        Err(e) => {
            tracing::error!(error = %escape_control(&e.to_string()), "queueing due sends failed");
            false
        }
    }
}

/// Reads sender mailboxes for delivery reports and seeds' replies until told to stop. Apart
/// from planning and sending, so a tenant's slow IMAP server never delays a send.
async fn scan_loop(
    db: DatabaseConnection,
    deps: SendDeps,
    owner: String,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    // Inboxes are read every five simulated minutes, and never more than every two seconds.
    let scan_every = deps
        .clock
        .real(chrono::Duration::minutes(5))
        .max(Duration::from_secs(2));
    while !*stop.borrow() {
        let started = std::time::Instant::now();
        let every = deps.simulated(scan_every);
        if let Err(e) = verification::verify_due(&db, &deps).await {
            tracing::error!(error = %escape_control(&e.to_string()), "verifying mailboxes failed");
        }
        if let Err(e) = sender_scan::scan_all(&db, &deps, &owner, every).await {
            tracing::error!(error = %escape_control(&e.to_string()), "reading delivery reports failed");
        }
        tokio::select! {
            _ = stop.changed() => {}
            _ = tokio::time::sleep(scan_every.saturating_sub(started.elapsed())) => {}
        }
    }
}

/// Seeds look for and engage with delivered mail until told to stop. Apart from planning and
/// sending, so a slow seed server never delays a send.
async fn engagement_loop(
    db: DatabaseConnection,
    deps: SendDeps,
    tick: chrono::Duration,
    owner: String,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let pause = deps.clock.real(tick).max(Duration::from_millis(200));
    // On a fast clock a round comes when a placement's next check is due, and at least every
    // second for seed lists and placement tests; on slower clocks every `pause`, as before.
    let longest = pause.max(Duration::from_secs(1));
    // Seeds are read for seed-list mail every five simulated minutes, and never more than
    // every two seconds.
    let read_every = deps
        .clock
        .real(chrono::Duration::minutes(5))
        .max(Duration::from_secs(2));
    while !*stop.borrow() {
        if let Err(e) = crate::engagement::engage_due(&db, &deps, &owner).await {
            tracing::error!(error = %escape_control(&e.to_string()), "engagement failed");
        }
        // Most services use neither often: one read says whether their due lists are worth
        // reading this round.
        let in_use = warmup_entity::store::in_use::in_use(&db)
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %escape_control(&e.to_string()), "reading the features in use failed");
                InUse::ALL
            });
        let every = deps.simulated(read_every);
        if in_use.seed_lists
            && let Err(e) = crate::seed_list::engage_due(&db, &deps, &owner, every).await
        {
            tracing::error!(error = %escape_control(&e.to_string()), "seed-list engagement failed");
        }
        if in_use.placement_tests
            && let Err(e) = crate::placement_tests::run_due(&db, &deps, &owner).await
        {
            tracing::error!(error = %escape_control(&e.to_string()), "placement tests failed");
        }
        let wait = idle(&deps, pause, longest, |now| {
            warmup_entity::store::engagement::next_check_after(&db, now)
        })
        .await;
        tokio::select! {
            _ = stop.changed() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Checks domains whose health check is due (daily, new ones, changed DKIM keys) until told to
/// stop. Apart from the rest, so slow blocklists and MX hosts delay nothing else.
async fn health_loop(
    db: DatabaseConnection,
    deps: SendDeps,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    // A changed key is checked within seconds; a simulated minute apart on a fast clock.
    let pause = deps
        .clock
        .real(chrono::Duration::minutes(1))
        .clamp(Duration::from_secs(1), Duration::from_secs(5));
    // Alerts are judged every five simulated minutes, and never more than every two seconds.
    let alert_every = deps
        .clock
        .real(chrono::Duration::minutes(5))
        .max(Duration::from_secs(2));
    let mut alerts_at = std::time::Instant::now();
    while !*stop.borrow() {
        if alerts_at.elapsed() >= alert_every {
            alerts_at = std::time::Instant::now();
            if let Err(e) = crate::alerts::raise_due(&db, &deps.clock).await {
                tracing::error!(error = %escape_control(&e.to_string()), "judging alerts failed");
            }
        }
        // On a task of its own: a check that panics (other parties' records are read) ends
        // this round, never the loops beside it.
        let round = tokio::spawn({
            let db = db.clone();
            let deps = deps.clone();
            async move { crate::domain_health::check_due(&db, &deps).await }
        });
        match round.await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tracing::error!(error = %escape_control(&e.to_string()), "checking domains failed")
            }
            Err(e) => tracing::error!(error = %e, "a domain health round stopped"),
        }
        tokio::select! {
            _ = stop.changed() => {}
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// Runs every background job until `shutdown` resolves.
pub async fn run_until(
    db: DatabaseConnection,
    options: WorkerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let schedule = cron::Schedule::from_str(&options.housekeeping_schedule).map_err(|e| {
        Error::Run(format!(
            "invalid schedule {:?}: {e}",
            options.housekeeping_schedule
        ))
    })?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    // Each process has its own name: job rows locked by a worker that died are handed to a
    // live one by name, and a restarted process must not take a dead one's name.
    let name = format!("worker-{}", uuid::Uuid::new_v4().simple());
    let clock = options
        .warmup
        .as_ref()
        .map_or_else(Clock::system, |d| d.clock);
    // Only a process that plans, sends and engages holds leases and claims: it beats, on the
    // database's clock, until all its work has ended.
    let (beat_stop, beat_stopped) = tokio::sync::oneshot::channel::<()>();
    let heartbeat = options.warmup.as_ref().map(|_| {
        AbortOnDrop(tokio::spawn(crate::heartbeat::run(
            db.clone(),
            clock,
            name.clone(),
            async move {
                let _ = beat_stopped.await;
            },
        )))
    });
    let wakeups = Wakeups::default();
    // Polled in this task, not spawned: whoever stops or aborts the worker stops it all.
    let warmup = {
        let wakeups = wakeups.clone();
        let db = db.clone();
        let deps = options.warmup.clone();
        let tick = options.tick;
        let owner = name.clone();
        async move {
            if let Some(deps) = deps {
                let engage = engagement_loop(
                    db.clone(),
                    deps.clone(),
                    tick,
                    owner.clone(),
                    stop_rx.clone(),
                );
                let scan = scan_loop(db.clone(), deps.clone(), owner.clone(), stop_rx.clone());
                let health = health_loop(db.clone(), deps.clone(), stop_rx.clone());
                tokio::join!(
                    warmup_loop(db, deps, tick, owner, wakeups, stop_rx),
                    engage,
                    scan,
                    health
                );
            }
        }
    };
    let state = JobState {
        db: db.clone(),
        clock,
    };
    let mut monitor = Monitor::new()
        .shutdown_timeout(Duration::from_secs(30))
        .should_restart(|_ctx, _err| true)
        .register(move |_restarts| {
            WorkerBuilder::new("housekeeping")
                .backend(CronScheduler::new(schedule.clone()))
                .data(state.clone())
                .build(housekeeping::run)
        });
    if let Some(deps) = options.warmup.clone() {
        // Jobs this process pushes wake its job workers at once; the tick finds the others'
        // (another process's, a dead worker's given back): once a round, at most once a second
        // however fast the clock runs, and at least every five seconds. Each look is a
        // statement: on a real clock, looking every second was a fifth of an idle service's
        // statements; on a fast clock (3600×) five looks a second were an eighth of an idle
        // service's statements.
        let poll = deps
            .clock
            .real(options.tick)
            .clamp(Duration::from_secs(1), Duration::from_secs(5));
        let ctx = SendContext { db, deps, wakeups };
        let queue = SendQueue::new(&ctx.db, SEND_CONCURRENCY);
        let hooks = WebhookQueue::new(&ctx.db, WEBHOOK_CONCURRENCY);
        let hook_ctx = ctx.clone();
        let pushed = ctx.wakeups.pushed.clone();
        let hooks_pushed = ctx.wakeups.hooks_pushed.clone();
        let hook_name = format!("webhooks-{name}");
        let name = format!("sender-{name}");
        monitor = match hooks {
            WebhookQueue::Sqlite(storage) => monitor.register(move |_restarts| {
                WorkerBuilder::new(hook_name.as_str())
                    .backend(Gated::new(
                        storage.clone(),
                        SqliteJobs::of(&storage),
                        Every::new(poll).or_when(hooks_pushed.clone()),
                    ))
                    .data(hook_ctx.clone())
                    .concurrency(WEBHOOK_CONCURRENCY)
                    .build(webhook_job)
            }),
            WebhookQueue::Postgres(storage) => monitor.register(move |_restarts| {
                WorkerBuilder::new(hook_name.as_str())
                    .backend(Gated::new(
                        storage.clone(),
                        PostgresJobs::of(&storage),
                        Every::new(poll).or_when(hooks_pushed.clone()),
                    ))
                    .data(hook_ctx.clone())
                    .concurrency(WEBHOOK_CONCURRENCY)
                    .build(webhook_job)
            }),
        };
        monitor = match queue {
            SendQueue::Sqlite(storage) => monitor.register(move |_restarts| {
                WorkerBuilder::new(name.as_str())
                    .backend(Gated::new(
                        storage.clone(),
                        SqliteJobs::of(&storage),
                        Every::new(poll).or_when(pushed.clone()),
                    ))
                    .data(ctx.clone())
                    .concurrency(SEND_CONCURRENCY)
                    .build(send_job)
            }),
            SendQueue::Postgres(storage) => monitor.register(move |_restarts| {
                WorkerBuilder::new(name.as_str())
                    .backend(Gated::new(
                        storage.clone(),
                        PostgresJobs::of(&storage),
                        Every::new(poll).or_when(pushed.clone()),
                    ))
                    .data(ctx.clone())
                    .concurrency(SEND_CONCURRENCY)
                    .build(send_job)
            }),
        };
    }
    let monitor = monitor.run_with_signal(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
        Ok(())
    });
    // Each on its own task, so neither waits for the other's work; the guards abort both when
    // whoever runs the worker drops or aborts it.
    let monitor = AbortOnDrop(tokio::spawn(monitor));
    let warmup = AbortOnDrop(tokio::spawn(warmup));
    // The round in progress finishes its sends before the worker returns.
    let (result, _) = tokio::join!(monitor.join(), warmup.join());
    // Then, and only then, the process says it has gone.
    let _ = beat_stop.send(());
    if let Some(h) = heartbeat {
        h.join().await;
    }
    match result {
        Some(r) => r.map_err(|e| Error::Run(format!("worker failed: {e}"))),
        None => Err(Error::Run(
            "worker failed: the job monitor stopped unexpectedly".into(),
        )),
    }
}

/// A spawned task that is aborted when its handle is dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> AbortOnDrop<T> {
    /// The task's output; `None` when it panicked or was cancelled.
    async fn join(mut self) -> Option<T> {
        (&mut self.0).await.ok()
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
