//! Planning a day for many mailboxes at once: what a worker does at the start of every day.
//! 10,000 running warmups (40 a day, no variance, B2C) of one organization with 200 seeds of the
//! shared pool on three providers, in a time zone where the day's windows are all ahead, are
//! planned by `planner::plan_due`, as the worker's loop calls it: about 400,000 sends.
//!
//! Baseline in the same run: the same rows (the planned days and sends, read back) inserted into
//! a second, freshly migrated database with one plain multi-row `INSERT` per 1,000 rows, in one
//! transaction: what the database itself needs to store them. Reported: the time of each, their
//! ratio, and the peak RSS of the process while planning (`VmHWM`, reset just before).
//! On SQLite (temporary files) and, when one answers at `WARMUP_TEST_POSTGRES`, on Postgres
//! (temporary databases, dropped afterwards).
//!
//!   cargo bench --bench planning
//!   WARMUP_BENCH_MAILBOXES=2000 cargo bench --bench planning

#[path = "support/postgres.rs"]
mod postgres;
#[path = "support/process.rs"]
mod process;
mod support;
#[path = "support/warmups.rs"]
mod warmups;

use std::time::{Duration, Instant};

use rand::SeedableRng;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;
use warmup_entity::{Clock, mailbox, organization, plan_day, seed, send, warmup_settings};

const PER_DAY: u32 = 40;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mailboxes: usize = support::env_number("WARMUP_BENCH_MAILBOXES", 10_000);
    let dir = tempfile::tempdir()?;
    let sqlite = |name: &str| format!("sqlite://{}?mode=rwc", dir.path().join(name).display());
    let mut results = vec![runtime.block_on(bench(
        "SQLite",
        &sqlite("plan.sqlite"),
        &sqlite("baseline.sqlite"),
        mailboxes,
    ))?];
    if let Some(mut pg) = runtime.block_on(postgres::Scratch::connect()) {
        let planned = runtime.block_on(pg.database())?;
        let baseline = runtime.block_on(pg.database())?;
        let run = runtime.block_on(bench("Postgres", &planned, &baseline, mailboxes));
        runtime.block_on(pg.finish(false))?;
        results.push(run?);
    }
    println!(
        "\nplanning one day for {mailboxes} mailboxes ({PER_DAY} a day, {} seeds):",
        warmups::SEEDS.iter().map(|(_, n)| n).sum::<usize>()
    );
    println!(
        "| database | days planned | sends | planning | baseline: plain INSERTs of the same rows | planning ÷ baseline | peak RSS while planning |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in &results {
        println!(
            "| {} | {} | {} | {:.2} s | {:.2} s | {:.1} | {} MiB |",
            r.database,
            r.days,
            r.sends,
            r.planning.as_secs_f64(),
            r.baseline.as_secs_f64(),
            r.planning.as_secs_f64() / r.baseline.as_secs_f64().max(1e-9),
            r.peak_rss_kb / 1024,
        );
    }
    Ok(())
}

struct Outcome {
    database: &'static str,
    days: u64,
    sends: u64,
    planning: Duration,
    baseline: Duration,
    peak_rss_kb: u64,
}

async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let db = support::connect(url, support::Role::Worker).await?;
    warmup::database::migrate(&db).await?;
    Ok(db)
}

async fn bench(
    database: &'static str,
    url: &str,
    baseline_url: &str,
    mailboxes: usize,
) -> anyhow::Result<Outcome> {
    let db = connect(url).await?;
    warmups::fill(&db, mailboxes, PER_DAY, None).await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let clock = Clock::system();
    // Only the planning's own peak: forget the fill's.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let started = Instant::now();
    let days = warmup_worker::planner::plan_due(&db, &clock, &mut rng).await?;
    let planning = started.elapsed();
    let peak_rss_kb = process::status_kb(std::process::id(), "VmHWM");
    let sends = send::Entity::find().count(&db).await?;
    anyhow::ensure!(
        days as usize == mailboxes,
        "{database}: {days} of {mailboxes} days planned"
    );
    eprintln!("{database}: planned {days} days, {sends} sends in {planning:?}");

    // The same rows into a fresh database, 1,000 per INSERT; reading them is not timed, nor
    // is copying the rows they refer to (the organization, its mailboxes and seeds).
    let other = connect(baseline_url).await?;
    copy_all::<organization::Entity>(&db, &other, 500).await?;
    for s in seed::Entity::find().all(&db).await? {
        warmup_entity::store::seeds::insert(&other, s).await?;
    }
    for m in mailbox::Entity::find().all(&db).await? {
        let org = warmup_entity::store::OrgId(m.organization_id);
        warmup_entity::store::mailboxes::insert(&other, org, m).await?;
    }
    copy_all::<warmup_settings::Entity>(&db, &other, 500).await?;
    let mut baseline = Duration::ZERO;
    let txn_started = Instant::now();
    let txn = other.begin().await?;
    let mut spent_reading = Duration::ZERO;
    let read = Instant::now();
    let plan_rows = plan_day::Entity::find().all(&db).await?;
    spent_reading += read.elapsed();
    for chunk in plan_rows.chunks(1000) {
        plan_day::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(|d| d.into_active_model().reset_all()),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    // Placeholders are already few enough per statement on both databases (SQLite's limit
    // is 32,766).
    let mut after: Option<Uuid> = None;
    loop {
        let read = Instant::now();
        let mut q = send::Entity::find()
            .order_by_asc(send::Column::Id)
            .limit(1000);
        if let Some(a) = after {
            q = q.filter(sea_orm::ColumnTrait::gt(&send::Column::Id, a));
        }
        let chunk = q.all(&db).await?;
        spent_reading += read.elapsed();
        let Some(last) = chunk.last() else {
            break;
        };
        after = Some(last.id);
        send::Entity::insert_many(chunk.into_iter().map(|s| s.into_active_model().reset_all()))
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    baseline += txn_started.elapsed().saturating_sub(spent_reading);
    let copied = send::Entity::find().count(&other).await?;
    anyhow::ensure!(copied == sends, "{database}: {copied} of {sends} copied");
    Ok(Outcome {
        database,
        days: u64::from(days),
        sends,
        planning,
        baseline,
        peak_rss_kb,
    })
}

/// Copies every row of `E` from `from` to `to`, `per` rows to an `INSERT`.
async fn copy_all<E>(
    from: &DatabaseConnection,
    to: &DatabaseConnection,
    per: usize,
) -> anyhow::Result<()>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let rows = E::find().all(from).await?;
    for chunk in rows.chunks(per) {
        E::insert_many(
            chunk
                .iter()
                .cloned()
                .map(|r| r.into_active_model().reset_all()),
        )
        .exec_without_returning(to)
        .await?;
    }
    Ok(())
}
