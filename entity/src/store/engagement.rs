//! The engagement pipeline's rows, for the workers: a placement per sent message, found at its
//! seed, engaged with step by step, each step recorded; one engagement session per seed at a
//! time. These functions act for every organization; each row carries its organization.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Select, Set, TryIntoModel,
};
use uuid::Uuid;
use warmup_domain::content::Draft;
use warmup_domain::email::domain_of;
use warmup_domain::placement::PlacementClass;
use warmup_domain::state::{PlacementEvent, PlacementStage};

use super::rollups::{self, Dims};
use super::write_txn;
use super::{StoreError, leases};
use crate::{engagement_action, mailbox, placement, send};

/// Starts looking for a message that was just sent; a second call for the same send (a send
/// settled twice) changes nothing. `sender` is the sender mailbox's address when the caller
/// has just read it; it is read otherwise.
pub async fn start_locating<C: ConnectionTrait>(
    db: &C,
    s: &send::Model,
    sender: Option<&str>,
    sent_at: DateTime<Utc>,
    first_check_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    // Reports group by the sender's domain: the address the send went out from.
    let email: Option<String> = match sender {
        Some(e) => Some(e.to_string()),
        None => {
            mailbox::Entity::find_by_id(s.mailbox_id)
                .select_only()
                .column(mailbox::Column::Email)
                .into_tuple()
                .one(db)
                .await?
        }
    };
    let domain = email.as_deref().map(domain_of).unwrap_or_default();
    let row = placement::ActiveModel {
        send_id: Set(s.id),
        organization_id: Set(s.organization_id),
        mailbox_id: Set(s.mailbox_id),
        seed_id: Set(s.seed_id),
        seed_email: Set(s.seed_email.clone()),
        provider: Set(s.provider.clone()),
        domain: Set(domain),
        plan_date: Set(s.plan_date.clone()),
        message_id: Set(s.message_id.clone()),
        sent_at: Set(sent_at),
        stage: Set(PlacementStage::Locating.as_str().to_string()),
        class: Set(None),
        folder: Set(None),
        uid: Set(None),
        arrived_at: Set(None),
        arrival_seconds: Set(None),
        spf: Set(None),
        dkim: Set(None),
        dmarc: Set(None),
        sending_ip: Set(None),
        lookups: Set(0),
        next_check_at: Set(first_check_at),
        plan: Set(None),
        opened_at: Set(None),
        flagged_at: Set(None),
        rescued_at: Set(None),
        replied_at: Set(None),
        archived_at: Set(None),
        reply_message_id: Set(None),
        reply_subject: Set(None),
        reply_body: Set(None),
        reply_class: Set(None),
        reply_folder: Set(None),
        reply_seen_at: Set(None),
        last_error: Set(None),
        errors: Set(0),
        lease_owner: Set(None),
        lease_until: Set(None),
        created_at: Set(sent_at),
        updated_at: Set(sent_at),
    };
    let inserted = placement::Entity::insert(row.clone())
        .on_conflict(
            OnConflict::column(placement::Column::SendId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted > 0 {
        let row: placement::Model = row.try_into_model()?;
        rollups::counted(db, &Dims::of_placement(&row), None).await?;
    }
    Ok(())
}

/// Seeds with placements to look for or steps due, oldest first.
pub async fn seeds_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<(Option<Uuid>, Option<DateTime<Utc>>)> = placement::Entity::find()
        .select_only()
        .column(placement::Column::SeedId)
        .column_as(placement::Column::NextCheckAt.min(), "first")
        .filter(placement::Column::Stage.is_in([
            PlacementStage::Locating.as_str(),
            PlacementStage::Engaging.as_str(),
        ]))
        .filter(placement::Column::NextCheckAt.lte(now))
        .filter(placement::Column::SeedId.is_not_null())
        .group_by(placement::Column::SeedId)
        .order_by_asc(Expr::col("first"))
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(id, _)| id).collect())
}

/// When the next placement's check comes due after `now`, if any: how long the engagement
/// loop may wait.
pub async fn next_check_after<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    super::earliest::earliest_after::<placement::Entity, _>(
        db,
        placement::Column::Stage,
        &[
            PlacementStage::Locating.as_str(),
            PlacementStage::Engaging.as_str(),
        ],
        placement::Column::NextCheckAt,
        now,
    )
    .await
}

/// Placements whose seed is gone: nothing can look for them any more.
pub async fn close_orphans(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let orphans: Vec<Uuid> = placement::Entity::find()
        .select_only()
        .column(placement::Column::SendId)
        .filter(placement::Column::Stage.is_in([
            PlacementStage::Locating.as_str(),
            PlacementStage::Engaging.as_str(),
        ]))
        .filter(placement::Column::SeedId.is_null())
        .limit(100)
        .into_tuple()
        .all(db)
        .await?;
    for id in &orphans {
        finish_with_error(db, *id, "the seed was deleted", now).await?;
    }
    Ok(orphans.len() as u64)
}

/// Takes the seed's mailbox for `owner` until `until`; false when another worker holds it.
pub async fn lease_seed(
    db: &DatabaseConnection,
    seed_id: Uuid,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    leases::take(db, &leases::seed(seed_id), owner, now, until).await
}

/// Gives the seed's mailbox back.
pub async fn release_seed<C: ConnectionTrait>(
    db: &C,
    seed_id: Uuid,
    owner: &str,
) -> Result<(), StoreError> {
    leases::release(db, &leases::seed(seed_id), owner).await
}

/// A placement with its send.
#[derive(Debug, Clone)]
pub struct Work {
    pub placement: placement::Model,
    pub send: send::Model,
}

/// The placements `query` selects, each with its send, in one statement.
async fn with_sends<C: ConnectionTrait>(
    db: &C,
    query: Select<placement::Entity>,
) -> Result<Vec<Work>, StoreError> {
    let send_of: RelationDef = placement::Entity::belongs_to(send::Entity)
        .from(placement::Column::SendId)
        .to(send::Column::Id)
        .into();
    Ok(query
        .join(JoinType::InnerJoin, send_of)
        .select_also(send::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(placement, send)| send.map(|send| Work { placement, send }))
        .collect())
}

/// The seed's placements with something due, oldest first.
pub async fn due_for_seed<C: ConnectionTrait>(
    db: &C,
    seed_id: Uuid,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Work>, StoreError> {
    let due = placement::Entity::find()
        .filter(placement::Column::SeedId.eq(seed_id))
        .filter(placement::Column::Stage.is_in([
            PlacementStage::Locating.as_str(),
            PlacementStage::Engaging.as_str(),
        ]))
        .filter(placement::Column::NextCheckAt.lte(now))
        .order_by_asc(placement::Column::NextCheckAt)
        .limit(limit);
    with_sends(db, due).await
}

async fn action<C: ConnectionTrait>(
    db: &C,
    send_id: Uuid,
    name: &str,
    ok: bool,
    detail: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    engagement_action::ActiveModel {
        id: Set(Uuid::now_v7()),
        send_id: Set(send_id),
        action: Set(name.to_string()),
        at: Set(at),
        ok: Set(ok),
        detail: Set(detail.to_string()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Where a message was found and what will be done with it.
pub struct Located {
    pub class: PlacementClass,
    pub folder: String,
    pub uid: u32,
    pub arrived_at: Option<DateTime<Utc>>,
    pub spf: String,
    pub dkim: String,
    pub dmarc: String,
    pub auth_detail: String,
    /// The address the message came from, as the seed's server recorded it.
    pub sending_ip: Option<String>,
    /// The engagement plan (worker JSON); `None` when nothing is planned. The `folder` and
    /// `uid` stay where the message landed; where it is now belongs to the plan.
    pub plan: Option<String>,
    pub next_check_at: DateTime<Utc>,
}

/// Records where a message landed, with the plan of what the seed does next.
pub async fn record_located(
    db: &DatabaseConnection,
    w: &Work,
    l: Located,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let arrival = l
        .arrived_at
        .map(|a| Ord::max((a - w.placement.sent_at).num_seconds(), 0));
    let stage = if l.plan.is_some() {
        PlacementStage::Engaging
    } else {
        PlacementStage::Done
    }
    .as_str();
    let txn = write_txn::begin(db).await?;
    let res = placement::Entity::update_many()
        .col_expr(placement::Column::Stage, Expr::value(stage))
        .col_expr(
            placement::Column::Class,
            Expr::value(Some(l.class.as_str())),
        )
        .col_expr(
            placement::Column::Folder,
            Expr::value(Some(l.folder.clone())),
        )
        .col_expr(placement::Column::Uid, Expr::value(Some(i64::from(l.uid))))
        .col_expr(placement::Column::ArrivedAt, Expr::value(l.arrived_at))
        .col_expr(placement::Column::ArrivalSeconds, Expr::value(arrival))
        .col_expr(placement::Column::Spf, Expr::value(Some(l.spf)))
        .col_expr(placement::Column::Dkim, Expr::value(Some(l.dkim)))
        .col_expr(placement::Column::Dmarc, Expr::value(Some(l.dmarc)))
        .col_expr(placement::Column::SendingIp, Expr::value(l.sending_ip))
        .col_expr(
            placement::Column::Lookups,
            Expr::col(placement::Column::Lookups).add(1),
        )
        .col_expr(placement::Column::Plan, Expr::value(l.plan))
        .col_expr(placement::Column::NextCheckAt, Expr::value(l.next_check_at))
        .col_expr(placement::Column::UpdatedAt, Expr::value(now))
        .filter(placement::Column::SendId.eq(w.placement.send_id))
        // Only a message still looked for is located: a placement is decided once.
        .filter(placement::Column::Class.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(());
    }
    rollups::moved(&txn, &Dims::of_placement(&w.placement), None, Some(l.class)).await?;
    let detail = format!("{} in {} ({})", l.class.as_str(), l.folder, l.auth_detail);
    action(
        &txn,
        w.placement.send_id,
        PlacementEvent::Located.as_str(),
        true,
        &detail,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Counts a placement that was pending, and was just given `class` in this transaction.
async fn decided<C: ConnectionTrait>(
    db: &C,
    send_id: Uuid,
    class: PlacementClass,
) -> Result<(), StoreError> {
    // Read after the write: the transaction holds the row, and the dimensions never change.
    let p = placement::Entity::find_by_id(send_id)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("placement {send_id} vanished")))?;
    rollups::moved(db, &Dims::of_placement(&p), None, Some(class)).await
}

/// Records that a message never arrived.
pub async fn record_missing(
    db: &DatabaseConnection,
    send_id: Uuid,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = write_txn::begin(db).await?;
    let res = placement::Entity::update_many()
        .col_expr(
            placement::Column::Stage,
            Expr::value(PlacementStage::Done.as_str()),
        )
        .col_expr(
            placement::Column::Class,
            Expr::value(Some(PlacementClass::Missing.as_str())),
        )
        .col_expr(
            placement::Column::Lookups,
            Expr::col(placement::Column::Lookups).add(1),
        )
        .col_expr(placement::Column::UpdatedAt, Expr::value(now))
        .filter(placement::Column::SendId.eq(send_id))
        .filter(placement::Column::Class.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(());
    }
    decided(&txn, send_id, PlacementClass::Missing).await?;
    action(
        &txn,
        send_id,
        PlacementEvent::Missing.as_str(),
        true,
        detail,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The message is not there yet: look again at `next_check_at`.
pub async fn look_again<C: ConnectionTrait>(
    db: &C,
    send_id: Uuid,
    next_check_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    placement::Entity::update_many()
        .col_expr(
            placement::Column::Lookups,
            Expr::col(placement::Column::Lookups).add(1),
        )
        .col_expr(placement::Column::NextCheckAt, Expr::value(next_check_at))
        .col_expr(placement::Column::UpdatedAt, Expr::value(now))
        .filter(placement::Column::SendId.eq(send_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Something went wrong for this placement (a refused login, a dropped connection, a message
/// that cannot be read): recorded, and tried again at `retry_at`.
pub async fn record_error(
    db: &DatabaseConnection,
    send_id: Uuid,
    error: &str,
    retry_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    note_error(db, send_id, error, Some(retry_at), now).await
}

/// Gives up on a placement after an error that keeps coming back; its class stays unknown.
pub async fn finish_with_error(
    db: &DatabaseConnection,
    send_id: Uuid,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    note_error(db, send_id, error, None, now).await
}

/// Records an error on the placement and as an action; tried again at `retry_at`, or done.
async fn note_error(
    db: &DatabaseConnection,
    send_id: Uuid,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = write_txn::begin(db).await?;
    let mut update = placement::Entity::update_many()
        .col_expr(
            placement::Column::LastError,
            Expr::value(Some(error.to_string())),
        )
        .col_expr(
            placement::Column::Errors,
            Expr::col(placement::Column::Errors).add(1),
        )
        .col_expr(placement::Column::UpdatedAt, Expr::value(now));
    update = match retry_at {
        Some(at) => update.col_expr(placement::Column::NextCheckAt, Expr::value(at)),
        None => update.col_expr(
            placement::Column::Stage,
            Expr::value(PlacementStage::Done.as_str()),
        ),
    };
    update
        .filter(placement::Column::SendId.eq(send_id))
        .exec(&txn)
        .await?;
    if retry_at.is_none() {
        // Given up: a message never found has no place, and says so rather than look
        // pending for ever; one found keeps the class it was found in.
        let res = placement::Entity::update_many()
            .col_expr(
                placement::Column::Class,
                Expr::value(Some(PlacementClass::Unknown.as_str())),
            )
            .filter(placement::Column::SendId.eq(send_id))
            .filter(placement::Column::Class.is_null())
            .exec(&txn)
            .await?;
        if res.rows_affected > 0 {
            decided(&txn, send_id, PlacementClass::Unknown).await?;
            seed_unreachable(&txn, send_id, error, now).await?;
        }
    }
    action(
        &txn,
        send_id,
        PlacementEvent::Error.as_str(),
        false,
        error,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Tells the organization, once a day per seed, that a seed could not be read and its
/// message's place will never be known.
async fn seed_unreachable<C: ConnectionTrait>(
    db: &C,
    send_id: Uuid,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(p) = placement::Entity::find_by_id(send_id).one(db).await? else {
        return Ok(());
    };
    let seed = p
        .seed_id
        .map_or_else(|| p.seed_email.to_lowercase(), |id| id.to_string());
    super::events::raise_once(
        db,
        p.organization_id,
        warmup_domain::state::EventType::SeedUnreachable,
        &format!("seed.unreachable:{seed}:{}", now.date_naive()),
        serde_json::json!({
            "seed_id": p.seed_id,
            "seed": p.seed_email,
            "provider": p.provider,
            "mailbox_id": p.mailbox_id,
            "send_id": p.send_id,
            "error": error,
        }),
        now,
    )
    .await?;
    Ok(())
}

/// Which moment a step stamps on its placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    Opened,
    Flagged,
    Rescued,
    Replied,
    Archived,
}

impl Stamp {
    fn column(self) -> placement::Column {
        match self {
            Stamp::Opened => placement::Column::OpenedAt,
            Stamp::Flagged => placement::Column::FlaggedAt,
            Stamp::Rescued => placement::Column::RescuedAt,
            Stamp::Replied => placement::Column::RepliedAt,
            Stamp::Archived => placement::Column::ArchivedAt,
        }
    }
}

/// The outcome of one engagement step.
pub struct StepDone {
    pub action: String,
    pub ok: bool,
    pub detail: String,
    /// Set when the step succeeded.
    pub stamp: Option<Stamp>,
    /// The steps still to do (worker JSON); `None` when the engagement is over.
    pub plan: Option<String>,
    pub next_check_at: DateTime<Utc>,
}

/// Records a step and what is left to do.
pub async fn record_step(
    db: &DatabaseConnection,
    send_id: Uuid,
    step: StepDone,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let txn = write_txn::begin(db).await?;
    let stage = if step.plan.is_some() {
        PlacementStage::Engaging
    } else {
        PlacementStage::Done
    }
    .as_str();
    let mut update = placement::Entity::update_many()
        .col_expr(placement::Column::Stage, Expr::value(stage))
        .col_expr(placement::Column::Plan, Expr::value(step.plan))
        .col_expr(
            placement::Column::NextCheckAt,
            Expr::value(step.next_check_at),
        )
        .col_expr(placement::Column::UpdatedAt, Expr::value(now));
    if let Some(stamp) = step.stamp {
        update = update.col_expr(stamp.column(), Expr::value(Some(now)));
    }
    if !step.ok {
        update = update
            .col_expr(
                placement::Column::LastError,
                Expr::value(Some(step.detail.clone())),
            )
            .col_expr(
                placement::Column::Errors,
                Expr::col(placement::Column::Errors).add(1),
            );
    }
    update
        .filter(placement::Column::SendId.eq(send_id))
        .exec(&txn)
        .await?;
    action(&txn, send_id, &step.action, step.ok, &step.detail, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Reserves the Message-ID of the seed's reply before it is sent, so a crash between the two
/// can never send a second reply; false when a reply was reserved before. The reply's subject
/// and body are kept with it: the sender's answer quotes them, as the service wrote them.
pub async fn reserve_reply<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    send_id: Uuid,
    reply_message_id: &str,
    reply: &Draft,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    // The reply is looked for in the sender's mailbox, which is read while awake. Woken first:
    // a crash between the two leaves at worst a mailbox read for nothing, never a reply that
    // waits for the mailbox's rest to run out.
    super::leases::wake_mailbox(db, mailbox_id, now).await?;
    let res = placement::Entity::update_many()
        .col_expr(
            placement::Column::ReplyMessageId,
            Expr::value(Some(reply_message_id.to_string())),
        )
        .col_expr(
            placement::Column::ReplySubject,
            Expr::value(Some(reply.subject.clone())),
        )
        .col_expr(
            placement::Column::ReplyBody,
            Expr::value(Some(reply.body.clone())),
        )
        // Stamped now: should the step's record be lost after the reply went out, the reply
        // is still looked for in the sender's mailbox.
        .col_expr(placement::Column::RepliedAt, Expr::value(Some(now)))
        .col_expr(placement::Column::UpdatedAt, Expr::value(now))
        .filter(placement::Column::SendId.eq(send_id))
        .filter(placement::Column::ReplyMessageId.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Replies the seeds sent to this mailbox that it has not found yet.
pub async fn replies_to_find<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    limit: u64,
) -> Result<Vec<Work>, StoreError> {
    let unseen = placement::Entity::find()
        .filter(placement::Column::MailboxId.eq(mailbox_id))
        .filter(placement::Column::RepliedAt.is_not_null())
        .filter(placement::Column::ReplyMessageId.is_not_null())
        .filter(placement::Column::ReplySeenAt.is_null())
        .order_by_asc(placement::Column::RepliedAt)
        .limit(limit);
    with_sends(db, unseen).await
}

/// Records where the seed's reply landed in the sender's mailbox, and the sender's answer
/// continuing the thread when there is one (a send like any other, to the same seed).
pub async fn record_reply_seen(
    db: &DatabaseConnection,
    send_id: Uuid,
    class: &str,
    folder: &str,
    detail: &str,
    continuation: Option<send::Model>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let txn = write_txn::begin(db).await?;
    let res = placement::Entity::update_many()
        .col_expr(
            placement::Column::ReplyClass,
            Expr::value(Some(class.to_string())),
        )
        .col_expr(
            placement::Column::ReplyFolder,
            Expr::value(Some(folder.to_string())),
        )
        .col_expr(placement::Column::ReplySeenAt, Expr::value(Some(now)))
        .col_expr(placement::Column::UpdatedAt, Expr::value(now))
        .filter(placement::Column::SendId.eq(send_id))
        .filter(placement::Column::ReplySeenAt.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    action(
        &txn,
        send_id,
        PlacementEvent::ReplySeen.as_str(),
        true,
        detail,
        now,
    )
    .await?;
    if let Some(next) = continuation {
        sea_orm::IntoActiveModel::into_active_model(next)
            .reset_all()
            .insert(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(true)
}
