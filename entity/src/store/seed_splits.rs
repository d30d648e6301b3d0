//! Seed-list splits as an organization manages them: allocation from the pool (least shared
//! seeds first, all or nothing), approved senders (never overlapping another organization's on
//! a shared seed), rotation, and the seed addresses to paste into a campaign tool.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;
use warmup_domain::seed_split::{self as rules, PoolSeed, SenderPattern, SplitEngagement};

use super::page::{Page, PageRequest};
use super::write_txn;
use super::{OrgId, StoreError, email_key};
use crate::{seed, seed_split, seed_split_member, seed_split_sender};

/// What a new split asks for.
#[derive(Debug, Clone)]
pub struct NewSplit {
    pub provider: String,
    pub group: String,
    pub amount: u32,
    pub senders: Vec<SenderPattern>,
    pub engagement: SplitEngagement,
    pub rotation_days: u32,
    pub expires_at: DateTime<Utc>,
}

/// A split with its approved senders and how many seeds it has now.
#[derive(Debug, Clone)]
pub struct SplitView {
    pub split: seed_split::Model,
    /// Sorted.
    pub senders: Vec<String>,
    /// Seeds it has now (fewer than asked when a rotation found too few to replace them).
    pub seeds: u32,
}

/// Filters of the split list.
#[derive(Debug, Clone, Default)]
pub struct SplitFilter {
    pub provider: Option<String>,
    pub group: Option<String>,
}

/// Members that count now: not rotated out.
fn current() -> sea_orm::sea_query::SimpleExpr {
    seed_split_member::Column::LeftAt.is_null()
}

/// Members still read for the split's mail at `now`: current ones, and rotated-out ones
/// within their missing window.
pub(crate) fn still_read(now: DateTime<Utc>) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(seed_split_member::Column::LeftAt.is_null())
        .add(seed_split_member::Column::ReadUntil.gt(now))
}

/// Takes the split's row for this transaction: on Postgres a row lock, on SQLite the write lock
/// from the first statement on, so that what the transaction read is still true when it
/// writes. Whatever records or closes a split's campaigns takes it first.
pub(crate) async fn lock_split<C: ConnectionTrait>(db: &C, split: Uuid) -> Result<(), StoreError> {
    seed_split::Entity::update_many()
        .col_expr(seed_split::Column::Id, Expr::col(seed_split::Column::Id))
        .filter(seed_split::Column::Id.eq(split))
        .exec(db)
        .await?;
    Ok(())
}

/// Ids of splits that have not expired at `now`.
fn live_splits(now: DateTime<Utc>) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(seed_split::Column::Id)
        .from(seed_split::Entity)
        .and_where(seed_split::Column::ExpiresAt.gt(now))
        .to_owned()
}

/// How many live splits each seed is in now.
async fn loads<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<HashMap<Uuid, u32>, StoreError> {
    let rows: Vec<(Uuid, i64)> = seed_split_member::Entity::find()
        .select_only()
        .column(seed_split_member::Column::SeedId)
        .column_as(Expr::col(seed_split_member::Column::Id).count(), "n")
        .filter(current())
        .filter(seed_split_member::Column::SplitId.in_subquery(live_splits(now)))
        .group_by(seed_split_member::Column::SeedId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}

/// Splits one seed is in now (live splits, current members): its load in the pool.
pub async fn splits_count<C: ConnectionTrait>(
    db: &C,
    seed_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let n = seed_split_member::Entity::find()
        .filter(seed_split_member::Column::SeedId.eq(seed_id))
        .filter(current())
        .filter(seed_split_member::Column::SplitId.in_subquery(live_splits(now)))
        .count(db)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The active seeds of `provider` and `group` that `org` may get, in id order, with their
/// load; seeds already in one of `org`'s live splits are left out (a campaign would reach the
/// same seed twice). On Postgres the rows stay locked until the transaction ends, so two
/// allocations at once cannot both take a seed's last free place.
async fn pool<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    provider: &str,
    group: &str,
    now: DateTime<Utc>,
) -> Result<Vec<PoolSeed<Uuid>>, StoreError> {
    let mut q = seed::Entity::find()
        .select_only()
        .column(seed::Column::Id)
        .filter(seed::Column::Active.eq(true))
        .filter(seed::Column::Provider.eq(provider))
        .filter(seed::Column::SeedGroup.eq(group))
        .filter(
            sea_orm::Condition::any()
                .add(seed::Column::OrganizationId.is_null())
                .add(seed::Column::OrganizationId.eq(org.0)),
        )
        .order_by_asc(seed::Column::Id);
    if db.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    let ids: Vec<Uuid> = q.into_tuple().all(db).await?;
    let own: HashSet<Uuid> = seed_split_member::Entity::find()
        .select_only()
        .column(seed_split_member::Column::SeedId)
        .filter(seed_split_member::Column::OrganizationId.eq(org.0))
        .filter(current())
        .filter(seed_split_member::Column::SplitId.in_subquery(live_splits(now)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let loads = loads(db, now).await?;
    Ok(ids
        .into_iter()
        .filter(|id| !own.contains(id))
        .map(|id| PoolSeed {
            id,
            splits: loads.get(&id).copied().unwrap_or(0),
        })
        .collect())
}

/// Seeds among `seeds` on which another organization approved a sender overlapping one of
/// `patterns`: mail from it could belong to either.
async fn contested<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    seeds: &[Uuid],
    patterns: &[SenderPattern],
    now: DateTime<Utc>,
) -> Result<HashMap<Uuid, String>, StoreError> {
    if seeds.is_empty() || patterns.is_empty() {
        return Ok(HashMap::new());
    }
    let mut found = HashMap::new();
    for chunk in seeds.chunks(500) {
        let members: Vec<(Uuid, Uuid)> = seed_split_member::Entity::find()
            .select_only()
            .column(seed_split_member::Column::SeedId)
            .column(seed_split_member::Column::SplitId)
            .filter(seed_split_member::Column::SeedId.is_in(chunk.iter().copied()))
            .filter(seed_split_member::Column::OrganizationId.ne(org.0))
            .filter(still_read(now))
            .filter(seed_split_member::Column::SplitId.in_subquery(live_splits(now)))
            .into_tuple()
            .all(db)
            .await?;
        if members.is_empty() {
            continue;
        }
        let splits: HashSet<Uuid> = members.iter().map(|m| m.1).collect();
        let mut theirs: HashMap<Uuid, Vec<SenderPattern>> = HashMap::new();
        for s in seed_split_sender::Entity::find()
            .filter(seed_split_sender::Column::SplitId.is_in(splits))
            .all(db)
            .await?
        {
            if let Ok(p) = SenderPattern::parse(&s.pattern) {
                theirs.entry(s.split_id).or_default().push(p);
            }
        }
        for (seed_id, split_id) in members {
            let Some(approved) = theirs.get(&split_id) else {
                continue;
            };
            if let Some(p) = patterns
                .iter()
                .find(|p| approved.iter().any(|a| a.overlaps(p)))
            {
                found.insert(seed_id, p.to_string());
            }
        }
    }
    Ok(found)
}

fn contested_error(pattern: &str) -> StoreError {
    StoreError::Conflict(format!(
        "{pattern} overlaps a sender another organization approved on a seed of this split: \
         a message must belong to one organization"
    ))
}

/// Indexes of `patterns` that are a seed's own address, or a domain of seeds, among the seeds
/// `org` can see: a seed's mail to another seed is warmup, not a campaign.
pub async fn seed_senders<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    patterns: &[SenderPattern],
) -> Result<Vec<usize>, StoreError> {
    let mut out = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        let matches = match p {
            SenderPattern::Address(a) => email_key::column().eq(a.as_str()),
            SenderPattern::Domain(d) => email_key::column().like(format!("%@{d}")),
        };
        let n = seed::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(seed::Column::OrganizationId.is_null())
                    .add(seed::Column::OrganizationId.eq(org.0)),
            )
            .filter(matches)
            .count(db)
            .await?;
        if n > 0 {
            out.push(i);
        }
    }
    Ok(out)
}

async fn insert_senders<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    split_id: Uuid,
    patterns: &[SenderPattern],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for p in patterns {
        let row = seed_split_sender::ActiveModel {
            id: sea_orm::Set(Uuid::now_v7()),
            split_id: sea_orm::Set(split_id),
            organization_id: sea_orm::Set(org.0),
            pattern: sea_orm::Set(p.to_string()),
            created_at: sea_orm::Set(now),
        };
        // Approving a sender twice changes nothing.
        seed_split_sender::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    seed_split_sender::Column::SplitId,
                    seed_split_sender::Column::Pattern,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

async fn add_members<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    split_id: Uuid,
    seeds: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for seed_id in seeds {
        seed_split_member::ActiveModel {
            id: sea_orm::Set(Uuid::now_v7()),
            split_id: sea_orm::Set(split_id),
            seed_id: sea_orm::Set(*seed_id),
            organization_id: sea_orm::Set(org.0),
            joined_at: sea_orm::Set(now),
            left_at: sea_orm::Set(None),
            read_until: sea_orm::Set(None),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Makes the transaction a writer from its first statement on SQLite (a no-op update of the
/// organization), so that what it reads cannot change before it writes; on Postgres the pool's
/// rows are locked instead (see `pool`).
async fn write_first<C: ConnectionTrait>(db: &C, org: OrgId) -> Result<(), StoreError> {
    use crate::organization;
    organization::Entity::update_many()
        .col_expr(
            organization::Column::Id,
            Expr::col(organization::Column::Id),
        )
        .filter(organization::Column::Id.eq(org.0))
        .exec(db)
        .await?;
    Ok(())
}

/// Locks the rows of `seeds` in id order on Postgres, as `pool` does: approving senders on
/// them and allocating them are then one at a time.
async fn lock_seeds<C: ConnectionTrait>(db: &C, seeds: &[Uuid]) -> Result<(), StoreError> {
    if db.get_database_backend() != DbBackend::Postgres || seeds.is_empty() {
        return Ok(());
    }
    seed::Entity::find()
        .select_only()
        .column(seed::Column::Id)
        .filter(seed::Column::Id.is_in(seeds.iter().copied()))
        .order_by_asc(seed::Column::Id)
        .lock_exclusive()
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    Ok(())
}

/// Creates a split: its seeds from the pool (least shared first, none already at
/// `max_splits`), its senders and settings, in one transaction.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    org: OrgId,
    new: NewSplit,
    max_splits: u32,
    now: DateTime<Utc>,
) -> Result<SplitView, StoreError> {
    let txn = write_txn::begin(db).await?;
    write_first(&txn, org).await?;
    let pool = pool(&txn, org, &new.provider, &new.group, now).await?;
    // Seeds where another organization approved an overlapping sender cannot be given: the
    // rest of the pool can.
    let ids: Vec<Uuid> = pool.iter().map(|p| p.id).collect();
    let contested = contested(&txn, org, &ids, &new.senders, now).await?;
    let open: Vec<PoolSeed<Uuid>> = pool
        .into_iter()
        .filter(|p| !contested.contains_key(&p.id))
        .collect();
    let seeds = match rules::allocate(&open, new.amount, max_splits) {
        Ok(seeds) => seeds,
        Err(e) if e.available == 0 && !contested.is_empty() => {
            let p = contested.into_values().next().unwrap_or_default();
            return Err(contested_error(&p));
        }
        Err(e) => {
            return Err(StoreError::NotEnoughSeeds {
                available: e.available,
            });
        }
    };
    let e = new.engagement;
    let split = seed_split::Model {
        id: Uuid::now_v7(),
        organization_id: org.0,
        provider: new.provider,
        seed_group: new.group,
        seeds_amount: i32::try_from(new.amount).unwrap_or(i32::MAX),
        rotation_days: i32::try_from(new.rotation_days).unwrap_or(i32::MAX),
        rescue: e.rescue,
        open: e.open,
        mark_important: e.mark_important,
        reply_percent: i32::try_from(e.reply_percent).unwrap_or(0),
        pattern: e.pattern.as_str().to_string(),
        last_download: None,
        expires_at: new.expires_at,
        next_rotation: now + Duration::days(i64::from(new.rotation_days)),
        refreshed_at: None,
        created_at: now,
        updated_at: now,
    }
    .into_active_model()
    .reset_all()
    .insert(&txn)
    .await?;
    add_members(&txn, org, split.id, &seeds, now).await?;
    insert_senders(&txn, org, split.id, &new.senders, now).await?;
    txn.commit().await?;
    let mut senders: Vec<String> = new.senders.iter().map(ToString::to_string).collect();
    senders.sort();
    senders.dedup();
    let seeds = u32::try_from(seeds.len()).unwrap_or(u32::MAX);
    Ok(SplitView {
        split,
        senders,
        seeds,
    })
}

async fn senders_of<C: ConnectionTrait>(
    db: &C,
    splits: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<String>>, StoreError> {
    let mut out: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    if splits.is_empty() {
        return Ok(out);
    }
    for s in seed_split_sender::Entity::find()
        .filter(seed_split_sender::Column::SplitId.is_in(splits.iter().copied()))
        .order_by_asc(seed_split_sender::Column::Pattern)
        .all(db)
        .await?
    {
        out.entry(s.split_id).or_default().push(s.pattern);
    }
    Ok(out)
}

async fn view<C: ConnectionTrait>(
    db: &C,
    split: seed_split::Model,
) -> Result<SplitView, StoreError> {
    let senders = senders_of(db, &[split.id])
        .await?
        .remove(&split.id)
        .unwrap_or_default();
    let seeds = seed_counts(db, &[split.id])
        .await?
        .get(&split.id)
        .copied()
        .unwrap_or(0);
    Ok(SplitView {
        split,
        senders,
        seeds,
    })
}

async fn own<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<Option<seed_split::Model>, StoreError> {
    Ok(seed_split::Entity::find_by_id(id)
        .filter(seed_split::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?)
}

/// One split of `org`; `None` for another organization's (or none).
pub async fn get<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<Option<SplitView>, StoreError> {
    match own(db, org, id).await? {
        Some(s) => Ok(Some(view(db, s).await?)),
        None => Ok(None),
    }
}

/// A page of splits, oldest first: `org`'s, or every organization's for `None` (platform
/// administrators).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    org: Option<OrgId>,
    filter: &SplitFilter,
    page: PageRequest,
) -> Result<Page<SplitView>, StoreError> {
    let mut q = seed_split::Entity::find();
    if let Some(org) = org {
        q = q.filter(seed_split::Column::OrganizationId.eq(org.0));
    }
    if let Some(p) = &filter.provider {
        q = q.filter(seed_split::Column::Provider.eq(p.as_str()));
    }
    if let Some(g) = &filter.group {
        q = q.filter(seed_split::Column::SeedGroup.eq(g.as_str()));
    }
    if let Some(after) = page.after {
        q = q.filter(seed_split::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(seed_split::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    let page = Page::from_overfetch(rows, page.limit, |s| s.id);
    let ids: Vec<Uuid> = page.items.iter().map(|s| s.id).collect();
    let mut senders = senders_of(db, &ids).await?;
    let counts = seed_counts(db, &ids).await?;
    Ok(page.map(|split| SplitView {
        senders: senders.remove(&split.id).unwrap_or_default(),
        seeds: counts.get(&split.id).copied().unwrap_or(0),
        split,
    }))
}

/// Senders to approve and to withdraw, and engagement to change.
#[derive(Debug, Clone, Default)]
pub struct SplitChange {
    pub add: Vec<SenderPattern>,
    pub remove: Vec<SenderPattern>,
    pub engagement: Option<SplitEngagement>,
}

/// Applies a change to one of `org`'s splits in one transaction; `None` when it is not
/// `org`'s. Approving a sender already approved, or withdrawing one that is not, changes
/// nothing. The caller has checked the count against the split's limit.
pub async fn change(
    db: &sea_orm::DatabaseConnection,
    org: OrgId,
    id: Uuid,
    change: SplitChange,
    now: DateTime<Utc>,
) -> Result<Option<SplitView>, StoreError> {
    let txn = write_txn::begin(db).await?;
    lock_split(&txn, id).await?;
    let Some(split) = own(&txn, org, id).await? else {
        return Ok(None);
    };
    if !change.remove.is_empty() {
        seed_split_sender::Entity::delete_many()
            .filter(seed_split_sender::Column::SplitId.eq(id))
            .filter(
                seed_split_sender::Column::Pattern
                    .is_in(change.remove.iter().map(ToString::to_string)),
            )
            .exec(&txn)
            .await?;
    }
    if !change.add.is_empty() {
        let mut seeds = member_seeds(&txn, id, now).await?;
        seeds.sort();
        lock_seeds(&txn, &seeds).await?;
        if let Some(p) = contested(&txn, org, &seeds, &change.add, now)
            .await?
            .into_values()
            .next()
        {
            return Err(contested_error(&p));
        }
        insert_senders(&txn, org, id, &change.add, now).await?;
    }
    let mut row = split.into_active_model();
    if let Some(e) = change.engagement {
        row.rescue = sea_orm::Set(e.rescue);
        row.open = sea_orm::Set(e.open);
        row.mark_important = sea_orm::Set(e.mark_important);
        row.reply_percent = sea_orm::Set(i32::try_from(e.reply_percent).unwrap_or(0));
        row.pattern = sea_orm::Set(e.pattern.as_str().to_string());
    }
    row.updated_at = sea_orm::Set(now);
    let split = row.update(&txn).await?;
    let view = view(&txn, split).await?;
    txn.commit().await?;
    Ok(Some(view))
}

/// Seeds still read for the split at `now` (current ones and those rotated out whose window
/// is open).
async fn member_seeds<C: ConnectionTrait>(
    db: &C,
    split: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(seed_split_member::Entity::find()
        .select_only()
        .column(seed_split_member::Column::SeedId)
        .filter(seed_split_member::Column::SplitId.eq(split))
        .filter(still_read(now))
        .into_tuple()
        .all(db)
        .await?)
}

/// Deletes one of `org`'s splits, its seeds back in the pool; false when it is not `org`'s.
pub async fn delete(
    db: &sea_orm::DatabaseConnection,
    org: OrgId,
    id: Uuid,
) -> Result<bool, StoreError> {
    let txn = write_txn::begin(db).await?;
    let res = seed_split::Entity::delete_many()
        .filter(seed_split::Column::Id.eq(id))
        .filter(seed_split::Column::OrganizationId.eq(org.0))
        .exec(&txn)
        .await?;
    if res.rows_affected > 0 {
        // Its messages went with it (cascade); so do their counts.
        super::rollups::remove(&txn, org.0, super::rollups::Scope::Split(id)).await?;
    }
    txn.commit().await?;
    Ok(res.rows_affected > 0)
}

/// A seed address of a split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitAddress {
    pub email: String,
    pub provider: String,
    pub joined_at: DateTime<Utc>,
}

/// The current seeds' addresses of one of `org`'s splits, oldest member first, and the time
/// of this download recorded; `None` when it is not `org`'s.
pub async fn download<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Vec<SplitAddress>>, StoreError> {
    let Some(split) = own(db, org, id).await? else {
        return Ok(None);
    };
    let members = seed_split_member::Entity::find()
        .filter(seed_split_member::Column::SplitId.eq(id))
        .filter(current())
        .order_by_asc(seed_split_member::Column::Id)
        .all(db)
        .await?;
    let seeds: HashMap<Uuid, seed::Model> = seed::Entity::find()
        .filter(seed::Column::Id.is_in(members.iter().map(|m| m.seed_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let out = members
        .iter()
        .filter_map(|m| {
            let s = seeds.get(&m.seed_id)?;
            Some(SplitAddress {
                email: s.email.clone(),
                provider: s.provider.clone(),
                joined_at: m.joined_at,
            })
        })
        .collect();
    let mut row = split.into_active_model();
    row.last_download = sea_orm::Set(Some(now));
    row.update(db).await?;
    Ok(Some(out))
}

/// Replaces part of a split's seeds (see `rotation_size`): the most shared go first, the
/// least shared of the pool come in. A seed that leaves is still read for the split's mail
/// until `missing_after` has passed, so mail already on its way counts. Returns the split, or
/// `None` when it is not `org`'s.
pub async fn rotate(
    db: &sea_orm::DatabaseConnection,
    org: OrgId,
    id: Uuid,
    max_splits: u32,
    missing_after: Duration,
    now: DateTime<Utc>,
) -> Result<Option<SplitView>, StoreError> {
    rotate_split(db, org, id, max_splits, missing_after, now, false).await
}

/// Rotates a split whose rotation is due, unless another worker did it first.
pub async fn rotate_due(
    db: &sea_orm::DatabaseConnection,
    org: OrgId,
    id: Uuid,
    max_splits: u32,
    missing_after: Duration,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    rotate_split(db, org, id, max_splits, missing_after, now, true)
        .await
        .map(|_| ())
}

async fn rotate_split(
    db: &sea_orm::DatabaseConnection,
    org: OrgId,
    id: Uuid,
    max_splits: u32,
    missing_after: Duration,
    now: DateTime<Utc>,
    due_only: bool,
) -> Result<Option<SplitView>, StoreError> {
    let txn = write_txn::begin(db).await?;
    lock_split(&txn, id).await?;
    let Some(split) = own(&txn, org, id).await? else {
        return Ok(None);
    };
    if due_only && split.next_rotation > now {
        // Another worker rotated it meanwhile.
        return Ok(Some(view(&txn, split).await?));
    }
    let members = seed_split_member::Entity::find()
        .filter(seed_split_member::Column::SplitId.eq(id))
        .filter(current())
        .all(&txn)
        .await?;
    let pool = pool(&txn, org, &split.provider, &split.seed_group, now).await?;
    let senders: Vec<SenderPattern> = senders_of(&txn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| SenderPattern::parse(p).ok())
        .collect();
    let candidates: Vec<Uuid> = pool.iter().map(|p| p.id).collect();
    let contested = contested(&txn, org, &candidates, &senders, now).await?;
    let open: Vec<PoolSeed<Uuid>> = pool
        .into_iter()
        .filter(|p| !contested.contains_key(&p.id))
        .collect();
    let loads = loads(&txn, now).await?;
    let mut leaving: Vec<&seed_split_member::Model> = members.iter().collect();
    // The most shared leave first; among equals, the longest in the split.
    leaving.sort_by_key(|m| {
        (
            std::cmp::Reverse(loads.get(&m.seed_id).copied().unwrap_or(0)),
            m.joined_at,
        )
    });
    let want = rules::rotation_size(members.len());
    let usable = open.iter().filter(|p| p.splits < max_splits).count();
    let count = want.min(usable);
    let coming =
        rules::allocate(&open, u32::try_from(count).unwrap_or(0), max_splits).unwrap_or_default();
    for m in leaving.into_iter().take(coming.len()) {
        let mut row = m.clone().into_active_model();
        row.left_at = sea_orm::Set(Some(now));
        row.read_until = sea_orm::Set(Some(now + missing_after));
        row.update(&txn).await?;
    }
    add_members(&txn, org, id, &coming, now).await?;
    let mut row = split.into_active_model();
    let days = i64::from(*row.rotation_days.as_ref());
    row.next_rotation = sea_orm::Set(now + Duration::days(days));
    row.refreshed_at = sea_orm::Set(Some(now));
    row.updated_at = sea_orm::Set(now);
    let split = row.update(&txn).await?;
    let view = view(&txn, split).await?;
    txn.commit().await?;
    Ok(Some(view))
}

/// Splits whose rotation is due at `now` (and that have not expired), with their organization.
pub async fn rotations_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(OrgId, Uuid)>, StoreError> {
    let rows: Vec<(Uuid, Uuid)> = seed_split::Entity::find()
        .select_only()
        .column(seed_split::Column::OrganizationId)
        .column(seed_split::Column::Id)
        .filter(seed_split::Column::NextRotation.lte(now))
        .filter(seed_split::Column::ExpiresAt.gt(now))
        .order_by_asc(seed_split::Column::NextRotation)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(o, id)| (OrgId(o), id)).collect())
}

/// Current seeds of each split in `ids`.
pub async fn seed_counts<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, u32>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, i64)> = seed_split_member::Entity::find()
        .select_only()
        .column(seed_split_member::Column::SplitId)
        .column_as(Expr::col(seed_split_member::Column::Id).count(), "n")
        .filter(seed_split_member::Column::SplitId.is_in(ids.iter().copied()))
        .filter(current())
        .group_by(seed_split_member::Column::SplitId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u32::try_from(n).unwrap_or(0)))
        .collect())
}
