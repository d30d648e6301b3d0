//! Seed-list mail as the worker records it: which seeds to read and for which approved
//! senders, each campaign message once per seed (whichever worker reads it), what the seed did
//! with it, and the seeds a campaign never reached once its missing window has passed.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set, TryIntoModel,
};
use uuid::Uuid;
use warmup_domain::email::domain_of;
use warmup_domain::pattern::Pattern;
use warmup_domain::placement::PlacementClass;
use warmup_domain::seed_split::{SenderPattern, SplitEngagement};
use warmup_domain::state::PlacementStage;

use super::StoreError;
use super::page::{Page, PageRequest};
use super::rollups::{self, Dims};
use super::seed_splits::{lock_split, still_read};
use super::write_txn;
use crate::{
    seed, seed_list_campaign, seed_list_message, seed_split, seed_split_member, seed_split_sender,
};

/// Seeds to read for seed-list mail at `now`: members (current, or rotated out within their
/// window) of splits that have not expired, whose seed is active, and that have approved
/// senders.
pub async fn seeds_to_read<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, StoreError> {
    let with_senders = sea_orm::sea_query::Query::select()
        .column(seed_split_sender::Column::SplitId)
        .from(seed_split_sender::Entity)
        .to_owned();
    let live = sea_orm::sea_query::Query::select()
        .column(seed_split::Column::Id)
        .from(seed_split::Entity)
        .and_where(seed_split::Column::ExpiresAt.gt(now))
        .to_owned();
    let active = sea_orm::sea_query::Query::select()
        .column(seed::Column::Id)
        .from(seed::Entity)
        .and_where(seed::Column::Active.eq(true))
        .to_owned();
    let ids: Vec<Uuid> = seed_split_member::Entity::find()
        .select_only()
        .column(seed_split_member::Column::SeedId)
        .distinct()
        .filter(still_read(now))
        .filter(seed_split_member::Column::SplitId.in_subquery(live))
        .filter(seed_split_member::Column::SplitId.in_subquery(with_senders))
        .filter(seed_split_member::Column::SeedId.in_subquery(active))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids)
}

/// Seeds with seed-list mail whose next step is due.
pub async fn seeds_with_steps_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(seed_list_message::Entity::find()
        .select_only()
        .column(seed_list_message::Column::SeedId)
        .distinct()
        .filter(seed_list_message::Column::Stage.eq(PlacementStage::Engaging.as_str()))
        .filter(seed_list_message::Column::NextCheckAt.lte(now))
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?)
}

/// A split that reads one seed: whose it is, what it approved and how its seeds engage.
#[derive(Debug, Clone)]
pub struct Reader {
    pub split_id: Uuid,
    pub organization_id: Uuid,
    pub senders: Vec<SenderPattern>,
    pub engagement: SplitEngagement,
    /// Mail that arrived before the seed joined the split is not the split's.
    pub joined_at: DateTime<Utc>,
}

impl Reader {
    /// Whether mail from `from` is this split's.
    pub fn approves(&self, from: &str) -> bool {
        self.senders.iter().any(|p| p.matches(from))
    }
}

/// The engagement settings a split row holds.
pub fn engagement_of(s: &seed_split::Model) -> SplitEngagement {
    SplitEngagement {
        rescue: s.rescue,
        open: s.open,
        mark_important: s.mark_important,
        reply_percent: u32::try_from(s.reply_percent).unwrap_or(0),
        pattern: Pattern::parse(&s.pattern).unwrap_or(Pattern::B2b),
    }
}

/// The splits that read `seed_id` at `now`, oldest first.
pub async fn readers<C: ConnectionTrait>(
    db: &C,
    seed_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Reader>, StoreError> {
    let members = seed_split_member::Entity::find()
        .filter(seed_split_member::Column::SeedId.eq(seed_id))
        .filter(still_read(now))
        .all(db)
        .await?;
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let splits = seed_split::Entity::find()
        .filter(seed_split::Column::Id.is_in(members.iter().map(|m| m.split_id)))
        .filter(seed_split::Column::ExpiresAt.gt(now))
        .order_by_asc(seed_split::Column::Id)
        .all(db)
        .await?;
    let mut senders: HashMap<Uuid, Vec<SenderPattern>> = HashMap::new();
    for s in seed_split_sender::Entity::find()
        .filter(seed_split_sender::Column::SplitId.is_in(splits.iter().map(|s| s.id)))
        .all(db)
        .await?
    {
        if let Ok(p) = SenderPattern::parse(&s.pattern) {
            senders.entry(s.split_id).or_default().push(p);
        }
    }
    Ok(splits
        .into_iter()
        .filter_map(|s| {
            let joined_at = members
                .iter()
                .filter(|m| m.split_id == s.id)
                .map(|m| m.joined_at)
                .min()?;
            Some(Reader {
                split_id: s.id,
                organization_id: s.organization_id,
                senders: senders.remove(&s.id).unwrap_or_default(),
                engagement: engagement_of(&s),
                joined_at,
            })
        })
        .filter(|r| !r.senders.is_empty())
        .collect())
}

/// Message-IDs among `ids` that `seed_id` has recorded already.
pub async fn known<C: ConnectionTrait>(
    db: &C,
    seed_id: Uuid,
    ids: &[String],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(200) {
        let keys: Vec<String> = chunk.iter().map(|id| dedupe_found(id)).collect();
        let rows: Vec<Option<String>> = seed_list_message::Entity::find()
            .select_only()
            .column(seed_list_message::Column::MessageId)
            .filter(seed_list_message::Column::SeedId.eq(seed_id))
            .filter(seed_list_message::Column::DedupeKey.is_in(keys))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().flatten());
    }
    Ok(out)
}

fn dedupe_found(message_id: &str) -> String {
    format!("m:{message_id}")
}

fn dedupe_missing(campaign_id: Uuid) -> String {
    format!("missing:{campaign_id}")
}

/// A campaign message found at a seed.
#[derive(Debug, Clone)]
pub struct Found {
    pub split_id: Uuid,
    pub organization_id: Uuid,
    pub seed_id: Uuid,
    pub seed_email: String,
    pub provider: String,
    pub message_id: String,
    pub sender: String,
    pub reply_to: String,
    pub subject: String,
    pub campaign: String,
    pub class: PlacementClass,
    pub folder: String,
    pub uid: u32,
    pub arrived_at: DateTime<Utc>,
    /// The latest it may have arrived (the server's arrival time has whole seconds): what the
    /// split's seeds at the time are counted from.
    pub arrival_bound: DateTime<Utc>,
    pub spf: String,
    pub dkim: String,
    pub dmarc: String,
    /// The address the message came from, as the seed's server recorded it.
    pub sending_ip: Option<String>,
    /// The engagement plan (worker JSON); `None` when nothing is planned.
    pub plan: Option<String>,
    pub next_check_at: DateTime<Utc>,
    /// Why nothing is planned, when that is not the split's choice.
    pub note: Option<String>,
}

/// The campaign a message belongs to: the split's latest with its key whose first arrival is
/// within two missing windows of the message's (a copy of the same send, maybe late), else a
/// new one. A `List-ID` or a subject such as "Weekly news" names
/// many sends over time; each is a campaign of its own.
async fn campaign_of<C: ConnectionTrait>(
    db: &C,
    f: &Found,
    window: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<seed_list_campaign::Model, StoreError> {
    let latest = seed_list_campaign::Entity::find()
        .filter(seed_list_campaign::Column::SplitId.eq(f.split_id))
        .filter(seed_list_campaign::Column::Campaign.eq(f.campaign.as_str()))
        .filter(seed_list_campaign::Column::FirstArrivalAt.gte(f.arrival_bound - window * 2))
        .filter(seed_list_campaign::Column::FirstArrivalAt.lte(f.arrival_bound + window * 2))
        .order_by_desc(seed_list_campaign::Column::FirstArrivalAt)
        .one(db)
        .await?;
    // Never before the window is over at the seeds read last: one reading interval late
    // must not make the others missing before they were read.
    let due = |first: DateTime<Utc>| (first + window).max(now + window / 4);
    // The query kept only campaigns within two windows of this arrival.
    if let Some(c) = latest {
        if !c.closed && f.arrival_bound < c.first_arrival_at {
            let mut row = c.into_active_model();
            row.first_arrival_at = Set(f.arrival_bound);
            row.missing_due_at = Set(due(f.arrival_bound));
            return Ok(row.update(db).await?);
        }
        return Ok(c);
    }
    Ok(seed_list_campaign::ActiveModel {
        id: Set(Uuid::now_v7()),
        split_id: Set(f.split_id),
        organization_id: Set(f.organization_id),
        campaign: Set(f.campaign.clone()),
        sender: Set(f.sender.clone()),
        subject: Set(f.subject.clone()),
        first_arrival_at: Set(f.arrival_bound),
        seen_at: Set(now),
        missing_due_at: Set(due(f.arrival_bound)),
        closed: Set(false),
    }
    .insert(db)
    .await?)
}

/// Records a message found at a seed, once: false when this seed recorded it before (another
/// worker, or an earlier round). Its campaign's missing window starts at the first arrival at
/// any of the split's seeds; a seed recorded `missing` for that campaign which now has it (it
/// came late) loses that record.
pub async fn record_found(
    db: &sea_orm::DatabaseConnection,
    f: Found,
    missing_after: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let txn = write_txn::begin(db).await?;
    lock_split(&txn, f.split_id).await?;
    let seen = seed_list_message::Entity::find()
        .filter(seed_list_message::Column::SeedId.eq(f.seed_id))
        .filter(seed_list_message::Column::DedupeKey.eq(dedupe_found(&f.message_id)))
        .one(&txn)
        .await?;
    if seen.is_some() {
        txn.commit().await?;
        return Ok(false);
    }
    let campaign = campaign_of(&txn, &f, missing_after, now).await?;
    let stage = if f.plan.is_some() {
        PlacementStage::Engaging
    } else {
        PlacementStage::Done
    };
    let domain = domain_of(&f.sender);
    let row = seed_list_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(f.organization_id),
        split_id: Set(f.split_id),
        campaign_id: Set(campaign.id),
        seed_id: Set(f.seed_id),
        seed_email: Set(f.seed_email),
        provider: Set(f.provider),
        dedupe_key: Set(dedupe_found(&f.message_id)),
        message_id: Set(Some(f.message_id)),
        sender: Set(f.sender),
        domain: Set(domain),
        subject: Set(f.subject),
        campaign: Set(f.campaign),
        class: Set(f.class.as_str().to_string()),
        folder: Set(Some(f.folder)),
        uid: Set(Some(i64::from(f.uid))),
        arrived_at: Set(Some(f.arrived_at)),
        spf: Set(Some(f.spf)),
        dkim: Set(Some(f.dkim)),
        dmarc: Set(Some(f.dmarc)),
        sending_ip: Set(f.sending_ip),
        stage: Set(stage.as_str().to_string()),
        plan: Set(f.plan),
        next_check_at: Set(f.next_check_at),
        reply_to: Set(Some(f.reply_to)),
        opened_at: Set(None),
        flagged_at: Set(None),
        rescued_at: Set(None),
        replied_at: Set(None),
        last_error: Set(f.note),
        errors: Set(0),
        created_at: Set(f.arrived_at),
        updated_at: Set(now),
    };
    let inserted = seed_list_message::Entity::insert(row.clone())
        .on_conflict(
            OnConflict::columns([
                seed_list_message::Column::SeedId,
                seed_list_message::Column::DedupeKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    if inserted > 0 {
        let row = row.try_into_model()?;
        rollups::counted(&txn, &Dims::of_seed_list(&row), Some(f.class)).await?;
        // It came after all: not missing at this seed.
        let missing = seed_list_message::Entity::find()
            .filter(seed_list_message::Column::SeedId.eq(f.seed_id))
            .filter(seed_list_message::Column::DedupeKey.eq(dedupe_missing(campaign.id)))
            .one(&txn)
            .await?;
        if let Some(m) = missing {
            seed_list_message::Entity::delete_by_id(m.id)
                .exec(&txn)
                .await?;
            rollups::uncounted(&txn, &Dims::of_seed_list(&m), Some(PlacementClass::Missing))
                .await?;
        }
    }
    txn.commit().await?;
    Ok(inserted > 0)
}

/// Campaigns whose missing window has passed: every seed that was in the split when the
/// campaign first arrived and has no message of it is recorded `missing`. Running it twice
/// records nothing twice. Returns the missing records written.
pub async fn close_campaigns(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let due = seed_list_campaign::Entity::find()
        .filter(seed_list_campaign::Column::Closed.eq(false))
        .filter(seed_list_campaign::Column::MissingDueAt.lte(now))
        .limit(100)
        .all(db)
        .await?;
    let mut written = 0;
    for c in due {
        let txn = write_txn::begin(db).await?;
        lock_split(&txn, c.split_id).await?;
        // Read again under the lock: another worker may have closed it, or an earlier arrival
        // moved its window.
        let Some(c) = seed_list_campaign::Entity::find_by_id(c.id)
            .one(&txn)
            .await?
        else {
            continue;
        };
        if c.closed || c.missing_due_at > now {
            continue;
        }
        let members = seed_split_member::Entity::find()
            .filter(seed_split_member::Column::SplitId.eq(c.split_id))
            .filter(seed_split_member::Column::JoinedAt.lte(c.first_arrival_at))
            .filter(
                sea_orm::Condition::any()
                    .add(seed_split_member::Column::LeftAt.is_null())
                    .add(seed_split_member::Column::LeftAt.gt(c.first_arrival_at)),
            )
            .all(&txn)
            .await?;
        let have: std::collections::HashSet<Uuid> = seed_list_message::Entity::find()
            .select_only()
            .column(seed_list_message::Column::SeedId)
            .filter(seed_list_message::Column::CampaignId.eq(c.id))
            .into_tuple()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let seeds: HashMap<Uuid, seed::Model> = seed::Entity::find()
            .filter(seed::Column::Id.is_in(members.iter().map(|m| m.seed_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        for m in members.iter().filter(|m| !have.contains(&m.seed_id)) {
            let Some(s) = seeds.get(&m.seed_id) else {
                continue;
            };
            let row = seed_list_message::ActiveModel {
                id: Set(Uuid::now_v7()),
                organization_id: Set(c.organization_id),
                split_id: Set(c.split_id),
                campaign_id: Set(c.id),
                seed_id: Set(s.id),
                seed_email: Set(s.email.clone()),
                provider: Set(s.provider.clone()),
                dedupe_key: Set(dedupe_missing(c.id)),
                message_id: Set(None),
                sender: Set(c.sender.clone()),
                domain: Set(domain_of(&c.sender)),
                subject: Set(c.subject.clone()),
                campaign: Set(c.campaign.clone()),
                class: Set(PlacementClass::Missing.as_str().to_string()),
                folder: Set(None),
                uid: Set(None),
                arrived_at: Set(None),
                spf: Set(None),
                dkim: Set(None),
                dmarc: Set(None),
                sending_ip: Set(None),
                stage: Set(PlacementStage::Done.as_str().to_string()),
                plan: Set(None),
                next_check_at: Set(now),
                reply_to: Set(None),
                opened_at: Set(None),
                flagged_at: Set(None),
                rescued_at: Set(None),
                replied_at: Set(None),
                last_error: Set(None),
                errors: Set(0),
                // Dated like the campaign's arrival, so that it falls on the same day.
                created_at: Set(c.first_arrival_at),
                updated_at: Set(now),
            };
            let inserted = seed_list_message::Entity::insert(row.clone())
                .on_conflict(
                    OnConflict::columns([
                        seed_list_message::Column::SeedId,
                        seed_list_message::Column::DedupeKey,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            if inserted > 0 {
                let row = row.try_into_model()?;
                let class = Some(PlacementClass::Missing);
                rollups::counted(&txn, &Dims::of_seed_list(&row), class).await?;
            }
            written += inserted;
        }
        let mut row = c.into_active_model();
        row.closed = Set(true);
        row.update(&txn).await?;
        txn.commit().await?;
    }
    Ok(written)
}

/// Seed-list messages of `seed_id` whose next step is due, oldest first.
pub async fn steps_due<C: ConnectionTrait>(
    db: &C,
    seed_id: Uuid,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<seed_list_message::Model>, StoreError> {
    Ok(seed_list_message::Entity::find()
        .filter(seed_list_message::Column::SeedId.eq(seed_id))
        .filter(seed_list_message::Column::Stage.eq(PlacementStage::Engaging.as_str()))
        .filter(seed_list_message::Column::NextCheckAt.lte(now))
        .order_by_asc(seed_list_message::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// What a step changed: the stamp to set (`opened`, `flagged`, `rescued`, `replied`) when it
/// succeeded, and what is left.
#[derive(Debug, Clone)]
pub struct Step {
    pub stamp: Option<&'static str>,
    pub plan: Option<String>,
    pub next_check_at: DateTime<Utc>,
}

/// Records a step and what is left to do; with nothing left the message is done.
pub async fn record_step<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    step: Step,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(row) = seed_list_message::Entity::find_by_id(id).one(db).await? else {
        return Ok(());
    };
    let mut row = row.into_active_model();
    match step.stamp {
        Some("opened") => row.opened_at = Set(Some(now)),
        Some("flagged") => row.flagged_at = Set(Some(now)),
        Some("rescued") => row.rescued_at = Set(Some(now)),
        Some("replied") => row.replied_at = Set(Some(now)),
        _ => {}
    }
    let stage = if step.plan.is_some() {
        PlacementStage::Engaging
    } else {
        PlacementStage::Done
    };
    row.stage = Set(stage.as_str().to_string());
    row.plan = Set(step.plan);
    row.next_check_at = Set(step.next_check_at);
    row.updated_at = Set(now);
    row.update(db).await?;
    Ok(())
}

/// Records an error; after `give_up` the remaining steps are dropped.
pub async fn record_error<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    error: &str,
    retry_at: DateTime<Utc>,
    give_up: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(row) = seed_list_message::Entity::find_by_id(id).one(db).await? else {
        return Ok(());
    };
    let errors = row.errors;
    let mut row = row.into_active_model();
    row.errors = Set(errors + 1);
    row.last_error = Set(Some(error.chars().take(500).collect()));
    row.next_check_at = Set(retry_at);
    if give_up {
        row.stage = Set(PlacementStage::Done.as_str().to_string());
        row.plan = Set(None);
    }
    row.updated_at = Set(now);
    row.update(db).await?;
    Ok(())
}

/// Filters of a split's placements.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub provider: Option<String>,
    pub class: Option<PlacementClass>,
    pub sender: Option<String>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
}

fn filtered(split_id: Uuid, f: &MessageFilter) -> sea_orm::Select<seed_list_message::Entity> {
    let mut q =
        seed_list_message::Entity::find().filter(seed_list_message::Column::SplitId.eq(split_id));
    if let Some(p) = &f.provider {
        q = q.filter(seed_list_message::Column::Provider.eq(p.as_str()));
    }
    if let Some(c) = f.class {
        q = q.filter(seed_list_message::Column::Class.eq(c.as_str()));
    }
    if let Some(s) = &f.sender {
        q = q.filter(seed_list_message::Column::Sender.eq(s.to_lowercase()));
    }
    if let Some(from) = f.from {
        q = q.filter(seed_list_message::Column::CreatedAt.gte(from));
    }
    if let Some(to) = f.to {
        q = q.filter(seed_list_message::Column::CreatedAt.lt(to));
    }
    q
}

/// A page of a split's placements, oldest first. The caller has checked the split is its own.
pub async fn messages<C: ConnectionTrait>(
    db: &C,
    split_id: Uuid,
    filter: &MessageFilter,
    page: PageRequest,
) -> Result<Page<seed_list_message::Model>, StoreError> {
    let mut q = filtered(split_id, filter);
    if let Some(after) = page.after {
        q = q.filter(seed_list_message::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(seed_list_message::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_overfetch(rows, page.limit, |m| m.id))
}

/// Counts of a split's placements per day, provider, sender, campaign and class.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    split_id: Uuid,
    filter: &MessageFilter,
) -> Result<Vec<warmup_domain::seed_split::SeedListRow>, StoreError> {
    type Key = (String, String, String, String, String);
    let rows: Vec<(String, String, String, String, DateTime<Utc>)> = filtered(split_id, filter)
        .select_only()
        .column(seed_list_message::Column::Provider)
        .column(seed_list_message::Column::Sender)
        .column(seed_list_message::Column::Campaign)
        .column(seed_list_message::Column::Class)
        .column(seed_list_message::Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    let mut grouped: BTreeMap<Key, u64> = BTreeMap::new();
    for (provider, sender, campaign, class, at) in rows {
        let day = at.date_naive().to_string();
        *grouped
            .entry((day, provider, sender, campaign, class))
            .or_default() += 1;
    }
    grouped
        .into_iter()
        .map(|((date, provider, sender, campaign, class), count)| {
            let class = PlacementClass::parse(&class)
                .ok_or_else(|| StoreError::Corrupt(format!("seed-list class {class:?}")))?;
            Ok(warmup_domain::seed_split::SeedListRow {
                date,
                provider,
                sender,
                campaign,
                class,
                count,
            })
        })
        .collect()
}

/// Message-IDs among `ids` that are warmup messages or placement tests of ours: never
/// seed-list mail, even from an approved sender. Two queries per 200 ids, not one per message.
pub async fn warmup_messages<C: ConnectionTrait>(
    db: &C,
    ids: &[String],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(200) {
        let found: Vec<String> = crate::send::Entity::find()
            .select_only()
            .column(crate::send::Column::MessageId)
            .filter(crate::send::Column::MessageId.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(found);
        // A placement test's message, sent by the service.
        let tests: Vec<Option<String>> = crate::placement_test::Entity::find()
            .select_only()
            .column(crate::placement_test::Column::MessageId)
            .filter(crate::placement_test::Column::MessageId.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(tests.into_iter().flatten());
    }
    Ok(out)
}
