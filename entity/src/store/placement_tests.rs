//! Placement tests: created by the API with their seeds chosen, sent by a worker (internal
//! tests), their seeds' results recorded as they arrive, closed when the window ends, and
//! repeated by schedule. Every result is counted in the rollups in the transaction that
//! records it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use warmup_domain::Provider;
use warmup_domain::email::domain_of;
use warmup_domain::placement::{PlacementClass, PlacementSource};
use warmup_domain::placement_test::{Audience, TestStatus};

use super::page::{Page, PageRequest};
use super::rollups::{self, Dims, Scope};
use super::write_txn;
use super::{OrgId, StoreError, conflict_on_unique};
use crate::{
    mailbox, placement_test as test, placement_test_schedule as schedule,
    placement_test_seed as test_seed, seed, seed_split_member,
};

/// How a test's seeds are chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// One seed of each of these providers.
    Providers(Vec<Provider>),
    /// One seed of each provider of the audience.
    Audience(Audience),
    /// The split's current seeds.
    Split(Uuid),
}

/// What the service sends for an internal test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub mailbox_id: Uuid,
    pub subject: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

/// A test to create; also what a schedule keeps to run it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTest {
    /// `None`: an external test, the user sends the message.
    pub message: Option<Message>,
    pub selection: Selection,
    /// `standard` or `premium`.
    pub group: String,
    pub window_minutes: u32,
    pub engage: bool,
    /// The user's own code (external tests); a new one is made when `None`.
    pub test_code: Option<String>,
}

/// A test with its seeds, in the order they were chosen.
#[derive(Debug, Clone)]
pub struct TestWithSeeds {
    pub test: test::Model,
    pub seeds: Vec<test_seed::Model>,
}

/// The counts of a test seed's result: under the test, its mailbox and split, the sender's
/// domain and the seed's provider, on the day the test was created.
fn dims(row: &test_seed::Model) -> Dims {
    Dims {
        organization_id: row.organization_id,
        day: row.day.clone(),
        source: PlacementSource::Test,
        mailbox_id: row.mailbox_id,
        split_id: row.split_id,
        test_id: Some(row.test_id),
        domain: row.domain.clone(),
        provider: row.provider.clone(),
    }
}

fn class_of(row: &test_seed::Model) -> Result<Option<PlacementClass>, StoreError> {
    row.class
        .as_deref()
        .map(|c| {
            PlacementClass::parse(c).ok_or_else(|| StoreError::Corrupt(format!("test class {c:?}")))
        })
        .transpose()
}

/// The active seeds `org` may use: its own and the shared pool's.
fn usable(group: &str) -> sea_orm::Select<seed::Entity> {
    seed::Entity::find()
        .filter(seed::Column::Active.eq(true))
        .filter(seed::Column::SeedGroup.eq(group))
}

async fn choose<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    new: &NewTest,
    pick: &mut (dyn FnMut(usize) -> usize + Send),
) -> Result<Vec<seed::Model>, StoreError> {
    let providers: Vec<Provider> = match &new.selection {
        Selection::Providers(p) => p.clone(),
        Selection::Audience(a) => a.providers().to_vec(),
        Selection::Split(split) => {
            let members: Vec<Uuid> = seed_split_member::Entity::find()
                .select_only()
                .column(seed_split_member::Column::SeedId)
                .filter(seed_split_member::Column::SplitId.eq(*split))
                .filter(seed_split_member::Column::OrganizationId.eq(org.0))
                .filter(seed_split_member::Column::LeftAt.is_null())
                .into_tuple()
                .all(db)
                .await?;
            return Ok(seed::Entity::find()
                .filter(seed::Column::Active.eq(true))
                .filter(seed::Column::Id.is_in(members))
                .order_by_asc(seed::Column::Id)
                .all(db)
                .await?);
        }
    };
    let mut out = Vec::new();
    for p in providers {
        let candidates = usable(&new.group)
            .filter(seed::Column::Provider.eq(p.as_str()))
            .filter(
                sea_orm::Condition::any()
                    .add(seed::Column::OrganizationId.is_null())
                    .add(seed::Column::OrganizationId.eq(org.0)),
            )
            .order_by_asc(seed::Column::Id)
            .all(db)
            .await?;
        if !candidates.is_empty() {
            let i = pick(candidates.len()).min(candidates.len() - 1);
            out.extend(candidates.into_iter().nth(i));
        }
    }
    Ok(out)
}

/// Which run of which schedule a new test is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// A test on its own.
    Once,
    /// The first run of a new schedule repeating the test every so many days: the schedule
    /// is created with it, in its transaction (a test that cannot start leaves no schedule).
    Repeat { every_days: u32 },
    /// A later run of this schedule.
    Of(Uuid),
}

/// Creates a test as `create_with` does, with a new random code (when the user gave none)
/// and one seed per provider picked at random among those that qualify.
pub async fn create(
    db: &DatabaseConnection,
    org: OrgId,
    new: &NewTest,
    run: Run,
    now: DateTime<Utc>,
) -> Result<TestWithSeeds, StoreError> {
    use rand::Rng;
    let code = warmup_domain::placement_test::new_code(|| rand::rng().random_range(0..36));
    let window = Duration::minutes(i64::from(new.window_minutes));
    let mut pick = |n: usize| rand::rng().random_range(0..n.max(1));
    create_with(db, org, new, run, code, window, now, &mut pick).await
}

/// Creates a test with its seeds (pending, and counted so), or says why not: `Conflict` when
/// none of the chosen seeds is active or the code is taken. `window` is the test's window in
/// the service's time; `code` the code to use when the user gave none; `pick(n)` chooses one
/// of `n` seeds of a provider.
#[allow(clippy::too_many_arguments)]
pub async fn create_with(
    db: &DatabaseConnection,
    org: OrgId,
    new: &NewTest,
    run: Run,
    code: String,
    window: Duration,
    now: DateTime<Utc>,
    pick: &mut (dyn FnMut(usize) -> usize + Send),
) -> Result<TestWithSeeds, StoreError> {
    // Read before the transaction: on SQLite a transaction that reads first cannot always
    // start writing, and nothing read here needs to stay unchanged until the insert.
    let mut seeds = choose(db, org, new, pick).await?;
    // In provider order, as closing the test visits them, so that two transactions counting
    // the same day's rows take them in one order.
    seeds.sort_by(|a, b| (&a.provider, a.id).cmp(&(&b.provider, b.id)));
    if seeds.is_empty() {
        return Err(StoreError::Conflict(
            "none of the chosen seeds is active: add or activate seeds of these providers".into(),
        ));
    }
    let (kind, mailbox_id, domain, subject, text, html, message_id) = match &new.message {
        Some(m) => {
            let mb = mailbox::Entity::find_by_id(m.mailbox_id)
                .filter(mailbox::Column::OrganizationId.eq(org.0))
                .one(db)
                .await?
                .ok_or_else(|| StoreError::Conflict("the mailbox is gone".into()))?;
            if mb.status != warmup_domain::MailboxStatus::Active.as_str() {
                return Err(StoreError::Conflict(format!(
                    "the mailbox is {}: it cannot send a test until it is active",
                    mb.status
                )));
            }
            let domain = domain_of(&mb.email);
            let message_id = format!("{}@{domain}", Uuid::new_v4().simple());
            (
                "internal",
                Some(mb.id),
                domain,
                Some(m.subject.clone()),
                m.text.clone(),
                m.html.clone(),
                Some(message_id),
            )
        }
        None => ("external", None, String::new(), None, None, None, None),
    };
    let split_id = match new.selection {
        Selection::Split(s) => Some(s),
        _ => None,
    };
    let selection =
        serde_json::to_string(&new.selection).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let txn = write_txn::begin(db).await?;
    let schedule_id = match (run, mailbox_id) {
        (Run::Once, _) => None,
        (Run::Of(id), _) => Some(id),
        (Run::Repeat { every_days }, Some(mailbox_id)) => {
            Some(create_schedule(&txn, org, mailbox_id, new, every_days, now).await?)
        }
        // Only a test the service sends can repeat.
        (Run::Repeat { .. }, None) => {
            return Err(StoreError::Conflict(
                "only a test the service sends can repeat".into(),
            ));
        }
    };
    let t = test::Model {
        id: Uuid::now_v7(),
        organization_id: org.0,
        kind: kind.into(),
        mailbox_id,
        schedule_id,
        split_id,
        // Codes are matched without regard to case: stored lower-case, unique as such.
        test_code: new.test_code.clone().unwrap_or(code).to_ascii_lowercase(),
        subject,
        text_body: text,
        html_body: html,
        selection,
        seed_group: new.group.clone(),
        window_minutes: i32::try_from(new.window_minutes).unwrap_or(i32::MAX),
        engage: new.engage,
        status: TestStatus::Waiting.as_str().into(),
        message_id,
        send_owner: None,
        send_until: None,
        created_at: now,
        expires_at: now + window,
        started_at: None,
        finished_at: None,
        updated_at: now,
    };
    t.clone()
        .into_active_model()
        .reset_all()
        .insert(&txn)
        .await
        .map_err(|e| conflict_on_unique(e, "a test with this code exists: choose another"))?;
    let mut rows = Vec::new();
    for s in seeds {
        let row = test_seed::Model {
            id: Uuid::now_v7(),
            test_id: t.id,
            organization_id: org.0,
            seed_id: s.id,
            mailbox_id,
            split_id,
            seed_email: s.email,
            provider: s.provider,
            day: now.date_naive().to_string(),
            domain: domain.clone(),
            sent_at: None,
            class: None,
            folder: None,
            uid: None,
            arrived_at: None,
            arrival_seconds: None,
            spf: None,
            dkim: None,
            dmarc: None,
            from_address: None,
            raw_headers: None,
            engaged_at: None,
            last_error: None,
            updated_at: now,
        };
        row.clone()
            .into_active_model()
            .reset_all()
            .insert(&txn)
            .await?;
        rollups::counted(&txn, &dims(&row), None).await?;
        rows.push(row);
    }
    txn.commit().await?;
    Ok(TestWithSeeds {
        test: t,
        seeds: rows,
    })
}

/// Creates a schedule that repeats `new` (an internal test) every `every_days` service days,
/// the first run being now; returns its id.
async fn create_schedule<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    mailbox_id: Uuid,
    new: &NewTest,
    every_days: u32,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let day = Duration::days(1);
    let template = serde_json::to_string(new).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let every = i32::try_from(every_days).unwrap_or(i32::MAX);
    let s = schedule::Model {
        id: Uuid::now_v7(),
        organization_id: org.0,
        mailbox_id,
        every_days: every,
        next_run_at: now + day * every,
        template,
        runs: 1,
        created_at: now,
    }
    .into_active_model()
    .reset_all()
    .insert(db)
    .await?;
    Ok(s.id)
}

async fn seeds_of<C: ConnectionTrait>(
    db: &C,
    tests: &[Uuid],
) -> Result<Vec<test_seed::Model>, StoreError> {
    Ok(test_seed::Entity::find()
        .filter(test_seed::Column::TestId.is_in(tests.iter().copied()))
        .order_by_asc(test_seed::Column::Id)
        .all(db)
        .await?)
}

/// One of `org`'s tests with its seeds.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<Option<TestWithSeeds>, StoreError> {
    let Some(t) = test::Entity::find_by_id(id)
        .filter(test::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let seeds = seeds_of(db, &[t.id]).await?;
    Ok(Some(TestWithSeeds { test: t, seeds }))
}

/// Filters of the test list.
#[derive(Debug, Clone, Default)]
pub struct TestFilter {
    pub status: Option<TestStatus>,
    pub mailbox_id: Option<Uuid>,
    /// Created at or after.
    pub from: Option<DateTime<Utc>>,
    /// Created before.
    pub to: Option<DateTime<Utc>>,
}

/// A page of `org`'s tests, oldest first, with their seeds.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    filter: &TestFilter,
    page: PageRequest,
) -> Result<Page<TestWithSeeds>, StoreError> {
    let mut q = test::Entity::find().filter(test::Column::OrganizationId.eq(org.0));
    if let Some(s) = filter.status {
        q = q.filter(test::Column::Status.eq(s.as_str()));
    }
    if let Some(m) = filter.mailbox_id {
        q = q.filter(test::Column::MailboxId.eq(m));
    }
    if let Some(from) = filter.from {
        q = q.filter(test::Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(test::Column::CreatedAt.lt(to));
    }
    if let Some(after) = page.after {
        q = q.filter(test::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(test::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    let page = Page::from_overfetch(rows, page.limit, |t| t.id);
    let ids: Vec<Uuid> = page.items.iter().map(|t| t.id).collect();
    let mut seeds = seeds_of(db, &ids).await?;
    Ok(page.map(|t| {
        let mine = seeds
            .iter()
            .filter(|s| s.test_id == t.id)
            .cloned()
            .collect();
        seeds.retain(|s| s.test_id != t.id);
        TestWithSeeds {
            test: t,
            seeds: mine,
        }
    }))
}

/// Deletes one of `org`'s tests with its results (and their counts); false when it had none.
pub async fn delete(db: &DatabaseConnection, org: OrgId, id: Uuid) -> Result<bool, StoreError> {
    let txn = write_txn::begin(db).await?;
    let res = test::Entity::delete_many()
        .filter(test::Column::Id.eq(id))
        .filter(test::Column::OrganizationId.eq(org.0))
        .exec(&txn)
        .await?;
    if res.rows_affected > 0 {
        rollups::remove(&txn, org.0, Scope::Test(id)).await?;
    }
    txn.commit().await?;
    Ok(res.rows_affected > 0)
}

/// `org`'s schedules, oldest first.
pub async fn schedules<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
) -> Result<Vec<schedule::Model>, StoreError> {
    Ok(schedule::Entity::find()
        .filter(schedule::Column::OrganizationId.eq(org.0))
        .order_by_asc(schedule::Column::Id)
        .all(db)
        .await?)
}

/// Stops one of `org`'s schedules (its tests stay); false when it had none.
pub async fn delete_schedule<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<bool, StoreError> {
    let res = schedule::Entity::delete_many()
        .filter(schedule::Column::Id.eq(id))
        .filter(schedule::Column::OrganizationId.eq(org.0))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// Schedules whose next run is due; each is moved on to its following run here, and only the
/// caller that moved it gets it (two workers never run it twice).
pub async fn take_due_schedules<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    day: Duration,
) -> Result<Vec<(schedule::Model, NewTest)>, StoreError> {
    let due = schedule::Entity::find()
        .filter(schedule::Column::NextRunAt.lte(now))
        .order_by_asc(schedule::Column::NextRunAt)
        .limit(20)
        .all(db)
        .await?;
    let mut won = Vec::new();
    for s in due {
        // A schedule behind by many periods runs once, then waits a whole period.
        let mut next = s.next_run_at + day * s.every_days;
        while next <= now {
            next += day * s.every_days;
        }
        let res = schedule::Entity::update_many()
            .col_expr(schedule::Column::NextRunAt, Expr::value(next))
            .col_expr(
                schedule::Column::Runs,
                Expr::col(schedule::Column::Runs).add(1),
            )
            .filter(schedule::Column::Id.eq(s.id))
            .filter(schedule::Column::NextRunAt.eq(s.next_run_at))
            .exec(db)
            .await?;
        if res.rows_affected == 1 {
            let new: NewTest = serde_json::from_str(&s.template)
                .map_err(|e| StoreError::Corrupt(format!("schedule {}: {e}", s.id)))?;
            won.push((s, new));
        }
    }
    Ok(won)
}

/// The statuses of tests still looked for, as stored.
pub(crate) fn open_statuses() -> Vec<&'static str> {
    TestStatus::ALL
        .into_iter()
        .filter(|s| s.open())
        .map(TestStatus::as_str)
        .collect()
}

/// Internal tests with seeds the message was not sent to yet, whose window is open and whose
/// sending nobody holds.
pub async fn to_send<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, StoreError> {
    let unsent = sea_orm::sea_query::Query::select()
        .column(test_seed::Column::TestId)
        .from(test_seed::Entity)
        .and_where(test_seed::Column::SentAt.is_null())
        .and_where(test_seed::Column::Class.is_null())
        .to_owned();
    Ok(test::Entity::find()
        .select_only()
        .column(test::Column::Id)
        .filter(test::Column::Kind.eq("internal"))
        .filter(test::Column::Status.is_in(open_statuses()))
        .filter(test::Column::ExpiresAt.gt(now))
        .filter(
            sea_orm::Condition::any()
                .add(test::Column::SendUntil.is_null())
                .add(test::Column::SendUntil.lt(now)),
        )
        .filter(test::Column::Id.in_subquery(unsent))
        .limit(20)
        .into_tuple()
        .all(db)
        .await?)
}

/// Takes the sending of a test for `owner` until `until`: the test, its mailbox and the seeds
/// not sent to yet; `None` when another worker holds it.
pub async fn claim_send(
    db: &DatabaseConnection,
    id: Uuid,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<(test::Model, mailbox::Model, Vec<test_seed::Model>)>, StoreError> {
    let res = test::Entity::update_many()
        .col_expr(
            test::Column::SendOwner,
            Expr::value(Some(owner.to_string())),
        )
        .col_expr(test::Column::SendUntil, Expr::value(Some(until)))
        .filter(test::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(test::Column::SendUntil.is_null())
                .add(test::Column::SendUntil.lt(now)),
        )
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    let Some(t) = test::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some(m) = (match t.mailbox_id {
        Some(m) => mailbox::Entity::find_by_id(m).one(db).await?,
        None => None,
    }) else {
        return Ok(None);
    };
    let seeds = test_seed::Entity::find()
        .filter(test_seed::Column::TestId.eq(id))
        .filter(test_seed::Column::SentAt.is_null())
        .filter(test_seed::Column::Class.is_null())
        .order_by_asc(test_seed::Column::Id)
        .all(db)
        .await?;
    Ok(Some((t, m, seeds)))
}

/// The message reached the server for this seed.
pub async fn mark_sent<C: ConnectionTrait>(
    db: &C,
    row: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    test_seed::Entity::update_many()
        .col_expr(test_seed::Column::SentAt, Expr::value(Some(now)))
        .col_expr(test_seed::Column::UpdatedAt, Expr::value(now))
        .filter(test_seed::Column::Id.eq(row))
        .exec(db)
        .await?;
    Ok(())
}

/// Something went wrong for this seed (sending, reading): kept for the test's reader.
pub async fn note_error<C: ConnectionTrait>(
    db: &C,
    row: Uuid,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    test_seed::Entity::update_many()
        .col_expr(
            test_seed::Column::LastError,
            Expr::value(Some(error.chars().take(500).collect::<String>())),
        )
        .col_expr(test_seed::Column::UpdatedAt, Expr::value(now))
        .filter(test_seed::Column::Id.eq(row))
        .exec(db)
        .await?;
    Ok(())
}

/// Keeps the sending for `owner` until `until`, before each seed's conversation: false when it
/// was lost (another worker took it after it lapsed), and the sending must stop.
pub async fn renew_send<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    owner: &str,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let res = test::Entity::update_many()
        .col_expr(test::Column::SendUntil, Expr::value(Some(until)))
        .filter(test::Column::Id.eq(id))
        .filter(test::Column::SendOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Gives the sending back; with `retry_at`, nobody sends again before then (a seed whose
/// server refused the message is tried again later, not on every round).
pub async fn release_send<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    owner: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    test::Entity::update_many()
        .col_expr(test::Column::SendOwner, Expr::value(Option::<String>::None))
        .col_expr(test::Column::SendUntil, Expr::value(retry_at))
        .filter(test::Column::Id.eq(id))
        .filter(test::Column::SendOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(())
}

/// Seed rows still looked for at open tests: of external tests, and of internal ones once
/// their message was sent to the seed.
fn looked_for(now: DateTime<Utc>) -> sea_orm::Select<test_seed::Entity> {
    let open = sea_orm::sea_query::Query::select()
        .column(test::Column::Id)
        .from(test::Entity)
        .and_where(test::Column::Status.is_in(open_statuses()))
        .and_where(test::Column::ExpiresAt.gt(now))
        .to_owned();
    let external = sea_orm::sea_query::Query::select()
        .column(test::Column::Id)
        .from(test::Entity)
        .and_where(test::Column::Kind.eq("external"))
        .to_owned();
    test_seed::Entity::find()
        .filter(test_seed::Column::Class.is_null())
        .filter(test_seed::Column::TestId.in_subquery(open))
        .filter(
            sea_orm::Condition::any()
                .add(test_seed::Column::SentAt.is_not_null())
                .add(test_seed::Column::TestId.in_subquery(external)),
        )
}

/// Seeds with a test message to look for.
pub async fn seeds_to_read<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(looked_for(now)
        .select_only()
        .column(test_seed::Column::SeedId)
        .distinct()
        .limit(64)
        .into_tuple()
        .all(db)
        .await?)
}

/// What a seed looks for: each open test's row at this seed, with its test.
pub async fn looked_for_at<C: ConnectionTrait>(
    db: &C,
    seed_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<(test::Model, test_seed::Model)>, StoreError> {
    let rows = looked_for(now)
        .filter(test_seed::Column::SeedId.eq(seed_id))
        .all(db)
        .await?;
    let tests = test::Entity::find()
        .filter(test::Column::Id.is_in(rows.iter().map(|r| r.test_id)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            tests
                .iter()
                .find(|t| t.id == r.test_id)
                .map(|t| (t.clone(), r))
        })
        .collect())
}

/// Where a test message was found at a seed.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub class: PlacementClass,
    pub folder: String,
    pub uid: u32,
    pub arrived_at: DateTime<Utc>,
    pub spf: String,
    pub dkim: String,
    pub dmarc: String,
    pub from: String,
    pub raw_headers: String,
}

/// Records where the message landed at this seed, once: false when it was recorded before
/// (or the test closed meanwhile). The test is `running` from the first arrival and
/// `finished` when every seed has it.
pub async fn record_arrival(
    db: &DatabaseConnection,
    t: &test::Model,
    row: &test_seed::Model,
    a: Arrival,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let txn = write_txn::begin(db).await?;
    // The test's row first: closing takes it too, so the two cannot cross.
    let still_open = test::Entity::update_many()
        .col_expr(test::Column::UpdatedAt, Expr::value(now))
        .filter(test::Column::Id.eq(t.id))
        .filter(test::Column::Status.is_in(open_statuses()))
        .exec(&txn)
        .await?;
    if still_open.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    // An external test learns the sender's domain from the message.
    let domain = if row.domain.is_empty() {
        domain_of(&a.from)
    } else {
        row.domain.clone()
    };
    let arrival = Ord::max((a.arrived_at - t.created_at).num_seconds(), 0);
    let res = test_seed::Entity::update_many()
        .col_expr(
            test_seed::Column::Class,
            Expr::value(Some(a.class.as_str())),
        )
        .col_expr(test_seed::Column::Folder, Expr::value(Some(a.folder)))
        .col_expr(test_seed::Column::Uid, Expr::value(Some(i64::from(a.uid))))
        .col_expr(
            test_seed::Column::ArrivedAt,
            Expr::value(Some(a.arrived_at)),
        )
        .col_expr(
            test_seed::Column::ArrivalSeconds,
            Expr::value(Some(arrival)),
        )
        .col_expr(test_seed::Column::Spf, Expr::value(Some(a.spf)))
        .col_expr(test_seed::Column::Dkim, Expr::value(Some(a.dkim)))
        .col_expr(test_seed::Column::Dmarc, Expr::value(Some(a.dmarc)))
        .col_expr(test_seed::Column::FromAddress, Expr::value(Some(a.from)))
        .col_expr(
            test_seed::Column::RawHeaders,
            Expr::value(Some(a.raw_headers)),
        )
        .col_expr(test_seed::Column::Domain, Expr::value(domain.clone()))
        .col_expr(test_seed::Column::UpdatedAt, Expr::value(now))
        .filter(test_seed::Column::Id.eq(row.id))
        .filter(test_seed::Column::Class.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    let after = test_seed::Model {
        domain,
        ..row.clone()
    };
    rollups::moved_between(&txn, (&dims(row), None), (&dims(&after), Some(a.class))).await?;
    // Every seed's class, in one read: how many there are and how many have the message.
    let classes: Vec<Option<String>> = test_seed::Entity::find()
        .select_only()
        .column(test_seed::Column::Class)
        .filter(test_seed::Column::TestId.eq(t.id))
        .into_tuple()
        .all(&txn)
        .await?;
    let arrived = classes.iter().filter(|c| c.is_some()).count();
    let status = TestStatus::of(classes.len(), arrived, false);
    let mut update = test::Entity::update_many()
        .col_expr(test::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            test::Column::StartedAt,
            Expr::col(test::Column::StartedAt).if_null(now),
        );
    if status == TestStatus::Finished {
        update = update.col_expr(test::Column::FinishedAt, Expr::value(Some(now)));
    }
    update.filter(test::Column::Id.eq(t.id)).exec(&txn).await?;
    if status == TestStatus::Finished {
        raise_finished(&txn, t, status, now).await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// Raises `placement_test.finished` with where the message landed, counted per class.
async fn raise_finished<C: ConnectionTrait>(
    db: &C,
    t: &test::Model,
    status: TestStatus,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let classes: Vec<Option<String>> = test_seed::Entity::find()
        .select_only()
        .column(test_seed::Column::Class)
        .filter(test_seed::Column::TestId.eq(t.id))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = serde_json::Map::new();
    for c in classes.iter().flatten() {
        let n = counts.get(c).and_then(|v| v.as_u64()).unwrap_or(0);
        counts.insert(c.clone(), (n + 1).into());
    }
    super::events::raise(
        db,
        t.organization_id,
        warmup_domain::state::EventType::PlacementTestFinished,
        serde_json::json!({
            "test_id": t.id,
            "status": status.as_str(),
            "mailbox_id": t.mailbox_id,
            "seeds": classes.len(),
            "placements": counts,
        }),
        now,
    )
    .await?;
    Ok(())
}

/// The seed engaged with the test message (tests with `engage`).
pub async fn mark_engaged<C: ConnectionTrait>(
    db: &C,
    row: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    test_seed::Entity::update_many()
        .col_expr(test_seed::Column::EngagedAt, Expr::value(Some(now)))
        .filter(test_seed::Column::Id.eq(row))
        .exec(db)
        .await?;
    Ok(())
}

/// Tests whose window ended: the seeds that never got the message are `missing`, and the
/// test is `finished` (or `expired` when no seed got it). Returns the tests closed.
pub async fn close_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let due: Vec<Uuid> = test::Entity::find()
        .select_only()
        .column(test::Column::Id)
        .filter(test::Column::Status.is_in(open_statuses()))
        .filter(test::Column::ExpiresAt.lte(now))
        .limit(50)
        .into_tuple()
        .all(db)
        .await?;
    let mut closed = 0;
    for id in due {
        let txn = write_txn::begin(db).await?;
        // Taken first, as recording an arrival does; only one closer wins.
        let won = test::Entity::update_many()
            .col_expr(test::Column::UpdatedAt, Expr::value(now))
            .filter(test::Column::Id.eq(id))
            .filter(test::Column::Status.is_in(open_statuses()))
            .exec(&txn)
            .await?;
        if won.rows_affected == 0 {
            txn.rollback().await?;
            continue;
        }
        // In provider order, as creation counted them: the same rows in the same order.
        let rows = test_seed::Entity::find()
            .filter(test_seed::Column::TestId.eq(id))
            .order_by_asc(test_seed::Column::Provider)
            .order_by_asc(test_seed::Column::Id)
            .all(&txn)
            .await?;
        let mut arrived = 0;
        for row in &rows {
            if class_of(row)?.is_some() {
                arrived += 1;
                continue;
            }
            test_seed::Entity::update_many()
                .col_expr(
                    test_seed::Column::Class,
                    Expr::value(Some(PlacementClass::Missing.as_str())),
                )
                .col_expr(test_seed::Column::UpdatedAt, Expr::value(now))
                .filter(test_seed::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
            rollups::moved(&txn, &dims(row), None, Some(PlacementClass::Missing)).await?;
        }
        let status = TestStatus::of(rows.len(), arrived, true);
        test::Entity::update_many()
            .col_expr(test::Column::Status, Expr::value(status.as_str()))
            .col_expr(test::Column::FinishedAt, Expr::value(Some(now)))
            .filter(test::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if let Some(t) = test::Entity::find_by_id(id).one(&txn).await? {
            raise_finished(&txn, &t, status, now).await?;
        }
        txn.commit().await?;
        closed += 1;
    }
    Ok(closed)
}
