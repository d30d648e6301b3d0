//! Worker processes' heartbeats. A process that stops beating is dead: whoever notices cuts the
//! sessions and claims it held down to its last sign of life, so that its seeds, sends and
//! webhook deliveries are taken care of within seconds (recovery still gives a send its grace)
//! instead of when their long, worst-case leases run out. Leases kept as schedules ("not again
//! before": a mailbox's next reading) are left alone: cutting them would make every mailbox the
//! dead process read due at once.
//!
//! Every owner a process writes (`worker-…`, `worker-…/recovery`, `sender-worker-…`,
//! `webhooks-worker-…:…`) contains its name, a random UUID, which is how its rows are found.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::StoreError;
use crate::{lease, send, webhook_delivery, worker_process};
use warmup_domain::state::{DeliveryState, SendState};

/// Records that `name` is alive until `alive_until`. False when the process was unknown: its
/// first beat, or one that came too late (others took it for dead and freed what it held).
pub async fn beat<C: ConnectionTrait>(
    db: &C,
    name: &str,
    now: DateTime<Utc>,
    alive_until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let known = worker_process::Entity::update_many()
        .col_expr(worker_process::Column::AliveUntil, Expr::value(alive_until))
        .filter(worker_process::Column::Name.eq(name))
        .exec(db)
        .await?;
    if known.rows_affected == 1 {
        return Ok(true);
    }
    worker_process::Entity::insert(worker_process::ActiveModel {
        name: Set(name.to_string()),
        started_at: Set(now),
        alive_until: Set(alive_until),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(worker_process::Column::Name)
            .update_column(worker_process::Column::AliveUntil)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(false)
}

/// What was freed from dead processes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reaped {
    pub processes: u64,
    pub leases: u64,
    pub sends: u64,
    pub deliveries: u64,
}

/// Ends what the processes silent since before `now` held: each seed session, send and
/// webhook delivery claimed by one of them that would run out later than its last beat now
/// runs out at that beat. A process's row goes first, and only what a process whose row went
/// held is cut: one that beats again in between keeps its row and all it holds, and one that
/// beats after registers anew (and learns so from [`beat`]).
pub async fn reap<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<Reaped, StoreError> {
    let dead = worker_process::Entity::find()
        .filter(worker_process::Column::AliveUntil.lt(now))
        .all(db)
        .await?;
    let mut reaped = Reaped::default();
    for p in dead {
        let gone = worker_process::Entity::delete_many()
            .filter(worker_process::Column::Name.eq(&p.name))
            .filter(worker_process::Column::AliveUntil.eq(p.alive_until))
            .exec(db)
            .await?
            .rows_affected;
        if gone == 0 {
            // It beat meanwhile, or another process reaped it first.
            continue;
        }
        reaped.processes += 1;
        // The name is `worker-` and a UUID's hex digits: nothing LIKE would read as a wildcard.
        let pattern = format!("%{}%", p.name);
        let ended = p.alive_until;
        reaped.leases += lease::Entity::update_many()
            .col_expr(lease::Column::LeaseUntil, Expr::value(ended))
            .filter(lease::Column::Name.starts_with(super::leases::SEED_PREFIX))
            .filter(lease::Column::Owner.like(&pattern))
            .filter(lease::Column::LeaseUntil.gt(ended))
            .exec(db)
            .await?
            .rows_affected;
        reaped.sends += send::Entity::update_many()
            .col_expr(send::Column::LeaseUntil, Expr::value(ended))
            .filter(send::Column::State.eq(SendState::Sending.as_str()))
            .filter(send::Column::LeaseOwner.like(&pattern))
            .filter(send::Column::LeaseUntil.gt(ended))
            .exec(db)
            .await?
            .rows_affected;
        reaped.deliveries += webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::LeaseUntil, Expr::value(ended))
            .filter(webhook_delivery::Column::State.eq(DeliveryState::Delivering.as_str()))
            .filter(webhook_delivery::Column::LeaseOwner.like(&pattern))
            .filter(webhook_delivery::Column::LeaseUntil.gt(ended))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(reaped)
}

/// Marks `name` as gone at `now` (a process stopping cleanly): others free what it may still
/// hold at their next beat.
pub async fn leave<C: ConnectionTrait>(
    db: &C,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    worker_process::Entity::update_many()
        .col_expr(worker_process::Column::AliveUntil, Expr::value(now))
        .filter(worker_process::Column::Name.eq(name))
        .exec(db)
        .await?;
    Ok(())
}

/// How many processes are alive at `now` (they beat and have not left).
pub async fn alive<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(worker_process::Entity::find()
        .filter(worker_process::Column::AliveUntil.gte(now))
        .count(db)
        .await?)
}
