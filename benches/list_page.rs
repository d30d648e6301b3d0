//! What one page of a list costs as an organization grows. For every list the API pages by
//! cursor (mailboxes, seeds, API keys, a mailbox's placements, a mailbox's delivery events) it
//! times the store query behind the endpoint for the first page and for a page from the middle
//! (by `after`), limit 50, for an organization with 50 rows and one with 10 000, in the same run
//! and database, with as many rows of other organizations beside them. A page should cost what
//! its rows cost, not what the organization holds: time(50) ÷ time(10 000) should be near 1.
//! On SQLite (a temporary file) and, when one answers at `WARMUP_TEST_POSTGRES`, on Postgres (a
//! temporary database, dropped afterwards).
//!
//!   cargo bench --bench list_page                      # 50 and 10 000 rows
//!   WARMUP_BENCH_ROWS=50000 cargo bench --bench list_page
//!
//! Each time is the median of `RUNS` runs after a warm-up; the small and the large
//! organization's runs alternate, so that a busy moment of the machine falls on both.
//! `WARMUP_BENCH_KEEP=1` keeps both databases and prints where they are (to read query plans);
//! `WARMUP_BENCH_NO_PAGE_INDEXES=1` drops the indexes of migration `m0008` before measuring,
//! to see what they are worth.

#[path = "support/postgres.rs"]
mod postgres;
#[path = "support/seeds.rs"]
mod seeds;
mod support;

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    TransactionTrait,
};
use uuid::Uuid;
use warmup_entity::store::page::PageRequest;
use warmup_entity::store::placements::PlacementFilter;
use warmup_entity::store::{self, OrgId};
use warmup_entity::{mailbox, organization, placement, send, send_attempt};

/// The small organization's rows in every list.
const SMALL: usize = 50;
/// Organizations beside the two measured, sharing as many rows as the large one has.
const OTHERS: usize = 20;
/// Seeds of the shared pool, which every organization sees beside its own.
const SHARED_SEEDS: usize = 25;
const LIMIT: u64 = 50;
const RUNS: usize = 31;
const WARMUP_RUNS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Mailboxes,
    Seeds,
    ApiKeys,
    Placements,
    Events,
}

impl List {
    const ALL: [List; 5] = [
        List::Mailboxes,
        List::Seeds,
        List::ApiKeys,
        List::Placements,
        List::Events,
    ];

    fn name(self) -> &'static str {
        match self {
            List::Mailboxes => "mailboxes",
            List::Seeds => "seeds (shared pool + own)",
            List::ApiKeys => "API keys",
            List::Placements => "placements of a mailbox",
            List::Events => "delivery events of a mailbox",
        }
    }
}

/// One organization as filled: its mailbox with the placements and events, and every list's
/// ids in the order the list gives them.
#[derive(Debug, Default)]
struct Org {
    id: Uuid,
    rows: usize,
    mailbox: Uuid,
    mailboxes: Vec<Uuid>,
    seeds: Vec<Uuid>,
    api_keys: Vec<Uuid>,
    /// (sent at, send id), newest first once sorted.
    placements: Vec<(DateTime<Utc>, Uuid)>,
    events: Vec<Uuid>,
}

impl Org {
    /// The ids of `list` in the list's order.
    fn expected(&self, list: List) -> Vec<Uuid> {
        match list {
            List::Mailboxes => self.mailboxes.clone(),
            List::Seeds => self.seeds.clone(),
            List::ApiKeys => self.api_keys.clone(),
            List::Placements => self.placements.iter().map(|p| p.1).collect(),
            List::Events => self.events.clone(),
        }
    }

    fn sort(&mut self) {
        self.mailboxes.sort();
        self.seeds.sort();
        self.api_keys.sort();
        self.placements.sort_by(|a, b| b.cmp(a));
        self.events.sort_by(|a, b| b.cmp(a));
    }
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let large: usize = support::env_number("WARMUP_BENCH_ROWS", 10_000);
    let keep = std::env::var_os("WARMUP_BENCH_KEEP").is_some();
    let mut dir = tempfile::tempdir()?;
    if keep {
        dir.disable_cleanup(true);
    }
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.sqlite").display()
    );
    let mut results = runtime.block_on(bench("SQLite", &sqlite, large))?;
    if keep {
        eprintln!("kept: {sqlite}");
    }
    if let Some(mut pg) = runtime.block_on(postgres::Scratch::connect()) {
        let url = runtime.block_on(pg.database())?;
        let run = runtime.block_on(bench("Postgres", &url, large));
        runtime.block_on(pg.finish(keep))?;
        results.extend(run?);
    }
    println!(
        "\none page (limit {LIMIT}) of each list, organization with {SMALL} rows against one with {large} (plus {large} rows of {OTHERS} other organizations):"
    );
    println!(
        "| database | list | page | rows on the page | {SMALL} rows (median) | {large} rows (median) | time({SMALL}) ÷ time({large}) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in &results {
        println!(
            "| {} | {} | {} | {} / {} | {:.3} ms | {:.3} ms | {:.2} |",
            r.database,
            r.list.name(),
            r.page,
            r.rows[0],
            r.rows[1],
            ms(r.small),
            ms(r.large),
            r.small.as_secs_f64() / r.large.as_secs_f64().max(1e-9),
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Outcome {
    database: &'static str,
    list: List,
    page: &'static str,
    small: Duration,
    large: Duration,
    /// Rows on the page of each.
    rows: [usize; 2],
}

async fn bench(database: &'static str, url: &str, large: usize) -> anyhow::Result<Vec<Outcome>> {
    let db = support::connect(url, support::Role::Api).await?;
    warmup::database::migrate(&db).await?;
    let started = Instant::now();
    let orgs = fill(&db, large).await?;
    eprintln!(
        "{database}: filled in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if std::env::var_os("WARMUP_BENCH_NO_PAGE_INDEXES").is_some() {
        for index in [
            "idx_mailboxes_page",
            "idx_seeds_page",
            "idx_placements_page",
            "idx_send_attempts_page",
        ] {
            db.execute_unprepared(&format!("DROP INDEX {index}"))
                .await?;
        }
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // What autovacuum does soon after a bulk load; without it the planner guesses.
        db.execute_unprepared("ANALYZE").await?;
    }
    let (small, big) = (&orgs[0], &orgs[1]);
    let mut out = Vec::new();
    for list in List::ALL {
        for page in ["first", "middle"] {
            // The pages are right before they are timed, or the times mean nothing.
            let mut cursors = Vec::new();
            let mut rows = [0; 2];
            for org in [small, big] {
                let expected = org.expected(list);
                anyhow::ensure!(expected.len() == org.rows, "{list:?}: {}", expected.len());
                let (after, from) = match page {
                    "first" => (None, 0),
                    _ => (Some(expected[org.rows / 2 - 1]), org.rows / 2),
                };
                let got = page_ids(&db, list, org, after).await?;
                let want: Vec<Uuid> = expected
                    .iter()
                    .skip(from)
                    .take(LIMIT as usize)
                    .copied()
                    .collect();
                anyhow::ensure!(
                    got == want,
                    "{database} {list:?} {page} page of {} rows differs",
                    org.rows
                );
                rows[cursors.len()] = got.len();
                cursors.push(after);
            }
            let mut times = [Vec::new(), Vec::new()];
            for run in 0..WARMUP_RUNS + RUNS {
                for (i, org) in [small, big].into_iter().enumerate() {
                    let t = Instant::now();
                    std::hint::black_box(page_ids(&db, list, org, cursors[i]).await?);
                    if run >= WARMUP_RUNS {
                        times[i].push(t.elapsed());
                    }
                }
            }
            let [a, b] = times.map(|mut t| {
                t.sort();
                t[t.len() / 2]
            });
            out.push(Outcome {
                database,
                list,
                page,
                small: a,
                large: b,
                rows,
            });
        }
    }
    db.close().await?;
    Ok(out)
}

/// One page of `list` for `org` through the store function its endpoint calls; the ids.
async fn page_ids(
    db: &DatabaseConnection,
    list: List,
    org: &Org,
    after: Option<Uuid>,
) -> anyhow::Result<Vec<Uuid>> {
    let page = PageRequest {
        after,
        limit: LIMIT,
    };
    let id = OrgId(org.id);
    Ok(match list {
        List::Mailboxes => store::mailboxes::list(db, id, page)
            .await?
            .items
            .iter()
            .map(|m| m.id)
            .collect(),
        List::Seeds => store::seeds::list_visible(db, id, page)
            .await?
            .items
            .iter()
            .map(|s| s.id)
            .collect(),
        List::ApiKeys => store::api_keys::list(db, id, page)
            .await?
            .items
            .iter()
            .map(|k| k.id)
            .collect(),
        List::Placements => {
            store::placements::list(db, id, org.mailbox, &PlacementFilter::default(), page)
                .await?
                .map(|p| p.items.iter().map(|i| i.placement.send_id).collect())
                .unwrap_or_default()
        }
        List::Events => store::send_reads::events(db, id, org.mailbox, None, page)
            .await?
            .items
            .iter()
            .map(|e| e.attempt.id)
            .collect(),
    })
}

/// The small organization, the large one and `OTHERS` more, whose rows were created
/// interleaved (as organizations working at the same time create them), so every
/// organization's ids are spread over the whole table.
async fn fill(db: &DatabaseConnection, large: usize) -> anyhow::Result<Vec<Org>> {
    let now = warmup_entity::Clock::system().now();
    let mut rng = rand::rngs::StdRng::seed_from_u64(10);
    let other_rows = (large / OTHERS).max(1);
    let mut orgs: Vec<Org> = Vec::new();
    for (i, rows) in [SMALL, large]
        .into_iter()
        .chain(std::iter::repeat_n(other_rows, OTHERS))
        .enumerate()
    {
        let org = organization::Model {
            id: Uuid::now_v7(),
            name: format!("Bench {i}"),
            created_at: now,
        }
        .into_active_model()
        .reset_all()
        .insert(db)
        .await?;
        orgs.push(Org {
            id: org.id,
            rows,
            ..Org::default()
        });
    }
    // Which organization creates each row, in creation order.
    let mut turns: Vec<usize> = orgs
        .iter()
        .enumerate()
        .flat_map(|(i, o)| std::iter::repeat_n(i, o.rows))
        .collect();

    turns.shuffle(&mut rng);
    let txn = db.begin().await?;
    for (n, &o) in turns.iter().enumerate() {
        let m = store::mailboxes::insert(&txn, OrgId(orgs[o].id), mailbox_row(n, now)).await?;
        orgs[o].mailboxes.push(m.id);
    }
    txn.commit().await?;
    for o in &mut orgs {
        o.mailbox = o.mailboxes.iter().min().copied().unwrap_or_default();
    }

    // Every organization sees the shared pool beside its own seeds: its own are its rows less
    // the pool.
    let mut seed_turns: Vec<Option<usize>> =
        std::iter::repeat_n(None, SHARED_SEEDS)
            .chain(orgs.iter().enumerate().flat_map(|(i, o)| {
                std::iter::repeat_n(Some(i), o.rows.saturating_sub(SHARED_SEEDS))
            }))
            .collect();
    seed_turns.shuffle(&mut rng);
    let txn = db.begin().await?;
    let mut shared = Vec::new();
    for (n, &o) in seed_turns.iter().enumerate() {
        let s = store::seeds::insert(
            &txn,
            seeds::row(
                format!("seed{n}@gmail.com"),
                "gmail",
                o.map(|o| orgs[o].id),
                now,
            ),
        )
        .await?;
        match o {
            Some(o) => orgs[o].seeds.push(s.id),
            None => shared.push(s.id),
        }
    }
    txn.commit().await?;
    for o in &mut orgs {
        o.seeds.extend(shared.iter().copied());
    }

    turns.shuffle(&mut rng);
    let txn = db.begin().await?;
    for &o in &turns {
        let k =
            store::api_keys::create(&txn, OrgId(orgs[o].id), "bench", false, u64::MAX, now).await?;
        orgs[o].api_keys.push(k.model.id);
    }
    txn.commit().await?;

    // Each organization's first mailbox gets one sent message, placement and attempt per row.
    turns.shuffle(&mut rng);
    let base = Utc
        .with_ymd_and_hms(2026, 3, 1, 8, 0, 0)
        .single()
        .unwrap_or(now);
    let mut sends = Vec::new();
    let mut placements = Vec::new();
    let mut attempts = Vec::new();
    for (n, &o) in turns.iter().enumerate() {
        // Three messages a second: sent times repeat, as they do, and the send id breaks ties.
        let sent_at = base + chrono::Duration::seconds((n / 3) as i64);
        let (s, p, a) = sent(&orgs[o], n, sent_at);
        orgs[o].placements.push((sent_at, s.id));
        orgs[o].events.push(a.id);
        sends.push(s);
        placements.push(p);
        attempts.push(a);
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
    for chunk in attempts.chunks(500) {
        send_attempt::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(|a| a.into_active_model().reset_all()),
        )
        .exec_without_returning(db)
        .await?;
    }
    for o in &mut orgs {
        o.sort();
    }
    Ok(orgs)
}

fn mailbox_row(n: usize, now: DateTime<Utc>) -> mailbox::Model {
    mailbox::Model {
        email: format!("sender{n}@bench.example"),
        display_name: "Bench".into(),
        provider: "smtp".into(),
        smtp_host: "smtp.bench.example".into(),
        smtp_port: 587,
        smtp_security: "starttls".into(),
        smtp_username: "bench".into(),
        smtp_password: "never opened".into(),
        imap_host: "imap.bench.example".into(),
        imap_port: 993,
        imap_security: "tls".into(),
        imap_username: "bench".into(),
        imap_password: "never opened".into(),
        ..mailbox::Model::blank(Uuid::nil(), now)
    }
}

/// A message of `org`'s mailbox sent at `sent_at`: the send, where it landed, its attempt.
fn sent(
    org: &Org,
    n: usize,
    sent_at: DateTime<Utc>,
) -> (send::Model, placement::Model, send_attempt::Model) {
    let plan_date = sent_at.date_naive().to_string();
    let message_id = format!("{}@bench.example", Uuid::new_v4().simple());
    let s = send::Model {
        state: "sent".into(),
        attempts: 1,
        sent_at: Some(sent_at),
        ..send::Model::planned(
            send::Draft {
                organization_id: org.id,
                mailbox_id: org.mailbox,
                seed_id: None,
                seed_email: format!("seed{n}@gmail.com"),
                provider: "gmail".into(),
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
    let p = placement::Model {
        send_id: s.id,
        organization_id: org.id,
        mailbox_id: org.mailbox,
        seed_id: None,
        seed_email: s.seed_email.clone(),
        provider: "gmail".into(),
        domain: "example.com".into(),
        plan_date,
        message_id,
        sent_at,
        stage: "done".into(),
        class: Some("inbox".into()),
        folder: Some("INBOX".into()),
        uid: Some(n as i64),
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
    };
    let a = send_attempt::Model {
        id: Uuid::now_v7(),
        send_id: s.id,
        organization_id: org.id,
        mailbox_id: org.mailbox,
        attempt: 1,
        attempted_at: sent_at,
        code: Some(250),
        enhanced: Some("2.0.0".into()),
        text: "250 2.0.0 Ok: queued".into(),
        category: "accepted".into(),
        outcome: "sent".into(),
        duration_ms: 120,
    };
    (s, p, a)
}
