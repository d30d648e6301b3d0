//! Allocating seed-list splits from a large pool: 1,000 splits of 1 to 50 seeds each over a
//! shared pool of 10,000 seeds, through `store::seed_splits::create` (what `POST
//! /v1/seed-splits` runs), on SQLite (a temporary file) and, when one answers at
//! `WARMUP_TEST_POSTGRES`, on Postgres (a temporary database, dropped afterwards).
//!
//!   cargo bench --bench split_allocation
//!   WARMUP_BENCH_SEEDS=2000 WARMUP_BENCH_SPLITS=200 cargo bench --bench split_allocation
//!
//! Reported: the time per split (median and total) against a baseline measured in the same
//! run and database, and the spread of the pool's load afterwards (most shared seed − least
//! shared seed, which should be at most 1). The baseline is the work no allocation can avoid:
//! per split, one transaction that reads the pool's ids and inserts as many rows as the split
//! has seeds into a table shaped like the members table.

#[path = "support/postgres.rs"]
mod postgres;
#[path = "support/seeds.rs"]
mod seeds;
mod support;

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use uuid::Uuid;
use warmup_domain::seed_split::SplitEngagement;
use warmup_entity::store::seed_splits::{self, NewSplit};
use warmup_entity::store::{self, OrgId};

/// Organizations the splits are spread over (a split never takes a seed its organization has).
const ORGS: usize = 100;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let seeds: usize = support::env_number("WARMUP_BENCH_SEEDS", 10_000);
    let splits: usize = support::env_number("WARMUP_BENCH_SPLITS", 1_000);
    let dir = tempfile::tempdir()?;
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.sqlite").display()
    );
    let mut results = vec![runtime.block_on(bench("SQLite", &sqlite, seeds, splits))?];
    if let Some(mut pg) = runtime.block_on(postgres::Scratch::connect()) {
        let url = runtime.block_on(pg.database())?;
        let run = runtime.block_on(bench("Postgres", &url, seeds, splits));
        runtime.block_on(pg.finish(false))?;
        results.push(run?);
    }
    println!("\n{splits} splits of 1 to 50 seeds over a pool of {seeds} seeds:");
    println!(
        "| database | allocation per split (median) | baseline per split (median) | allocation ÷ baseline | all splits | seats taken | load spread (max − min) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in &results {
        println!(
            "| {} | {:.2} ms | {:.2} ms | {:.1} | {:.1} s | {} | {} |",
            r.database,
            ms(r.allocation),
            ms(r.baseline),
            r.allocation.as_secs_f64() / r.baseline.as_secs_f64().max(1e-9),
            r.total.as_secs_f64(),
            r.seats,
            r.spread,
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Outcome {
    database: &'static str,
    allocation: Duration,
    baseline: Duration,
    total: Duration,
    seats: u64,
    spread: u32,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

async fn bench(
    database: &'static str,
    url: &str,
    seeds: usize,
    splits: usize,
) -> anyhow::Result<Outcome> {
    let db = support::connect(url, support::Role::Api).await?;
    warmup::database::migrate(&db).await?;
    let now = chrono::Utc::now();
    let started = Instant::now();
    let txn = db.begin().await?;
    for n in 0..seeds {
        store::seeds::insert(
            &txn,
            seeds::row(format!("pool{n}@seeds.example"), "gmail", None, now),
        )
        .await?;
    }
    txn.commit().await?;
    let mut orgs = Vec::new();
    for i in 0..ORGS {
        let (org, _) =
            store::organizations::create_with_key(&db, &format!("Bench {i}"), now).await?;
        orgs.push(OrgId(org.id));
    }
    db.execute_unprepared(
        "CREATE TABLE bench_members (id uuid PRIMARY KEY, split_id uuid NOT NULL, \
         seed_id uuid NOT NULL, organization_id uuid NOT NULL)",
    )
    .await?;
    eprintln!(
        "{database}: pool of {seeds} filled in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(13);
    let amounts: Vec<u32> = (0..splits).map(|_| rng.random_range(1..=50)).collect();
    let (mut allocation, mut baseline) = (Vec::new(), Vec::new());
    let all = Instant::now();
    for (i, amount) in amounts.iter().enumerate() {
        let org = orgs[i % ORGS];
        let t = Instant::now();
        seed_splits::create(
            &db,
            org,
            NewSplit {
                provider: "gmail".into(),
                group: "standard".into(),
                amount: *amount,
                senders: Vec::new(),
                engagement: SplitEngagement::default(),
                rotation_days: 30,
                expires_at: now + chrono::Duration::days(365),
            },
            u32::MAX,
            now,
        )
        .await?;
        allocation.push(t.elapsed());
        let t = Instant::now();
        plain_inserts(&db, org, *amount).await?;
        baseline.push(t.elapsed());
    }
    let total = all.elapsed();
    let loads: Vec<(i64,)> = {
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(m.id) FROM seeds s LEFT JOIN seed_split_members m \
                 ON m.seed_id = s.id GROUP BY s.id",
            ))
            .await?;
        rows.iter()
            .map(|r| r.try_get_by_index::<i64>(0).map(|n| (n,)))
            .collect::<Result<_, _>>()?
    };
    let most = loads.iter().map(|l| l.0).max().unwrap_or(0);
    let least = loads.iter().map(|l| l.0).min().unwrap_or(0);
    Ok(Outcome {
        database,
        allocation: median(allocation),
        baseline: median(baseline),
        total,
        seats: amounts.iter().map(|a| u64::from(*a)).sum(),
        spread: u32::try_from(most - least).unwrap_or(u32::MAX),
    })
}

/// What no allocation avoids: read the pool's ids and write the split's rows, in one
/// transaction.
async fn plain_inserts(db: &DatabaseConnection, org: OrgId, amount: u32) -> anyhow::Result<()> {
    let txn = db.begin().await?;
    let backend = txn.get_database_backend();
    let ids = txn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id FROM seeds WHERE provider = 'gmail' AND seed_group = 'standard' \
             AND active = true ORDER BY id",
        ))
        .await?;
    let split = Uuid::now_v7();
    for row in ids.iter().take(amount as usize) {
        let seed: Uuid = row.try_get_by_index(0)?;
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => {
                    "INSERT INTO bench_members (id, split_id, seed_id, organization_id) \
                     VALUES ($1, $2, $3, $4)"
                }
                _ => {
                    "INSERT INTO bench_members (id, split_id, seed_id, organization_id) \
                     VALUES (?, ?, ?, ?)"
                }
            },
            [
                Uuid::now_v7().into(),
                split.into(),
                seed.into(),
                org.0.into(),
            ],
        ))
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
