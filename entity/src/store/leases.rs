//! Named leases shared by every worker process: whoever holds one may use the resource until
//! the lease runs out, so a process that dies mid-session blocks nobody for long.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use super::StoreError;
use crate::lease;

/// What every seed session lease's name starts with.
pub const SEED_PREFIX: &str = "seed:";

/// The lease on a seed's mailbox for its engagement session: one at a time.
pub fn seed(id: Uuid) -> String {
    format!("{SEED_PREFIX}{id}")
}

/// The lease on a seed's mailbox for looking up an interrupted send: one lookup at a time,
/// beside the engagement session. Sharing that session's lease starved the lookups (a seed
/// with work is in session most of the time), and two sessions stay far within any provider's
/// limit of connections per account.
pub fn seed_lookup(id: Uuid) -> String {
    format!("{SEED_PREFIX}{id}:lookup")
}

/// The lease on reading a sender mailbox: held while it is read and until its next reading
/// is due, so one process reads it, not each of them.
pub fn mailbox_scan(id: Uuid) -> String {
    format!("mailbox-scan:{id}")
}

/// What every sender mailbox's rest mark's name starts with.
pub const MAILBOX_REST_PREFIX: &str = "mailbox-rest:";

/// What every sender mailbox's awake mark's name starts with.
pub const MAILBOX_AWAKE_PREFIX: &str = "mailbox-awake:";

/// Held while a sender mailbox awaits nothing (no send of the last while, no seed's reply to
/// find): its inbox is not read again before the mark runs out, unless it is awake.
pub fn mailbox_rest(id: Uuid) -> String {
    format!("{MAILBOX_REST_PREFIX}{id}")
}

/// Held for a while after something was done that brings mail back to a sender mailbox (a
/// send's delivery reports, a seed's reply): its inbox is read on its usual rhythm meanwhile.
pub fn mailbox_awake(id: Uuid) -> String {
    format!("{MAILBOX_AWAKE_PREFIX}{id}")
}

/// How long a sender mailbox stays awake after a send or a seed's reply to it: reports of
/// mail refused on the way come back within minutes; later ones (delay notices after hours,
/// bounces after days) are read when its rest runs out.
pub const MAILBOX_AWAKE_FOR: chrono::Duration = chrono::Duration::hours(1);

/// Who holds a mark: nobody in particular, any process may set or clear it.
const MARK_OWNER: &str = "";

/// Sets the mark `name` until `until`, whatever it was: a lease that locks nothing, read as
/// "not before" or "until" by whoever looks.
pub async fn mark<C: ConnectionTrait>(
    db: &C,
    name: &str,
    until: DateTime<Utc>,
) -> Result<(), StoreError> {
    lease::Entity::insert(lease::ActiveModel {
        name: Set(name.to_string()),
        owner: Set(MARK_OWNER.to_string()),
        lease_until: Set(until),
    })
    .on_conflict(
        OnConflict::column(lease::Column::Name)
            .update_columns([lease::Column::Owner, lease::Column::LeaseUntil])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Clears the mark `name`.
pub async fn unmark<C: ConnectionTrait>(db: &C, name: &str) -> Result<(), StoreError> {
    release(db, name, MARK_OWNER).await
}

/// Keeps a sender mailbox awake from `now` for [`MAILBOX_AWAKE_FOR`].
pub async fn wake_mailbox<C: ConnectionTrait>(
    db: &C,
    mailbox_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    mark(db, &mailbox_awake(mailbox_id), now + MAILBOX_AWAKE_FOR).await
}

/// Takes the lease `name` for `owner` until `until`: when nobody holds it, when it ran out
/// before `now`, or when `owner` holds it already. False when another owner holds it.
pub async fn take<C: ConnectionTrait>(
    db: &C,
    name: &str,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    acquire(db, name, owner, now, until, true).await
}

/// Takes the lease `name` for `owner` until `until` only when nobody holds it or it ran out
/// before `now`, its holder included: for a lease kept as a schedule ("not again before").
pub async fn take_when_due<C: ConnectionTrait>(
    db: &C,
    name: &str,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    acquire(db, name, owner, now, until, false).await
}

async fn acquire<C: ConnectionTrait>(
    db: &C,
    name: &str,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    reentrant: bool,
) -> Result<bool, StoreError> {
    // One statement: the row is written when there is none, or when the one there ran out
    // (or is the owner's own); of two processes taking an expired lease, one wins.
    let held_until = Expr::col((lease::Entity, lease::Column::LeaseUntil));
    let mut free = held_until.lt(now);
    if reentrant {
        free = free.or(Expr::col((lease::Entity, lease::Column::Owner)).eq(owner));
    }
    let written = lease::Entity::insert(lease::ActiveModel {
        name: Set(name.to_string()),
        owner: Set(owner.to_string()),
        lease_until: Set(until),
    })
    .on_conflict(
        OnConflict::column(lease::Column::Name)
            .update_columns([lease::Column::Owner, lease::Column::LeaseUntil])
            .action_and_where(free)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(written == 1)
}

/// Keeps the lease `owner` holds until `until` (later or earlier than now): how a finished
/// reading says when the next one is due.
pub async fn hold_until<C: ConnectionTrait>(
    db: &C,
    name: &str,
    owner: &str,
    until: DateTime<Utc>,
) -> Result<(), StoreError> {
    lease::Entity::update_many()
        .col_expr(lease::Column::LeaseUntil, Expr::value(until))
        .filter(lease::Column::Name.eq(name))
        .filter(lease::Column::Owner.eq(owner))
        .exec(db)
        .await?;
    Ok(())
}

/// Names of the leases starting with `prefix` that are held at `now`: what a schedule kept as
/// leases has not yet made due, read in one query rather than tried one by one.
pub async fn held_with_prefix<C: ConnectionTrait>(
    db: &C,
    prefix: &str,
    now: DateTime<Utc>,
) -> Result<std::collections::HashSet<String>, StoreError> {
    let names: Vec<String> = lease::Entity::find()
        .select_only()
        .column(lease::Column::Name)
        .filter(lease::Column::Name.starts_with(prefix))
        .filter(lease::Column::LeaseUntil.gte(now))
        .into_tuple()
        .all(db)
        .await?;
    Ok(names.into_iter().collect())
}

/// Gives the lease back, if `owner` still holds it.
pub async fn release<C: ConnectionTrait>(
    db: &C,
    name: &str,
    owner: &str,
) -> Result<(), StoreError> {
    lease::Entity::delete_many()
        .filter(lease::Column::Name.eq(name))
        .filter(lease::Column::Owner.eq(owner))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets leases that ran out before `before` (those of deleted accounts, of dead
/// processes); returns how many.
pub async fn purge_expired<C: ConnectionTrait>(
    db: &C,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let gone = lease::Entity::delete_many()
        .filter(lease::Column::LeaseUntil.lt(before))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}
