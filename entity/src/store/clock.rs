//! The clock's anchor, shared by every process on one database: with a simulated clock
//! (`WARMUP_CLOCK_SPEEDUP`) each process would otherwise start its own simulated time at its
//! own start, and processes would disagree about leases and due times, and a restart would
//! turn time back.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::StoreError;
use crate::clock_anchor;

const ROW: i32 = 1;

/// Where the clock stands and how fast it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    pub real_origin: DateTime<Utc>,
    pub simulated_origin: DateTime<Utc>,
    pub speedup: f64,
}

impl Anchor {
    /// The simulated time at which the wall clock shows `real`.
    pub fn simulated_at(&self, real: DateTime<Utc>) -> DateTime<Utc> {
        let since = (real - self.real_origin).num_microseconds().unwrap_or(0) as f64;
        self.simulated_origin + Duration::microseconds((since * self.speedup) as i64)
    }
}

/// What to do when the stored clock runs at another speed than asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnOtherSpeed {
    /// Refuse: a process that joins running ones must agree with them.
    Refuse,
    /// Go on at the new speed from the simulated time the clock shows now.
    Change,
}

/// The database's clock at `speedup`, as of the wall-clock time `now`: the stored anchor when
/// it runs at that speed; a new anchor at `now` when there is none; and when the stored one
/// runs at another speed, by `other`: a conflict, or a new anchor that continues its
/// simulated time from `now` at the new speed (so time never turns back). Returns the anchor
/// and whether the speed was changed.
pub async fn anchor<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    speedup: f64,
    other: OnOtherSpeed,
) -> Result<(Anchor, bool), StoreError> {
    // Three rounds at most: insert, lose a race to another process, read the winner's row.
    for _ in 0..3 {
        let Some(row) = clock_anchor::Entity::find_by_id(ROW).one(db).await? else {
            clock_anchor::Entity::insert(clock_anchor::ActiveModel {
                id: Set(ROW),
                real_origin: Set(now),
                simulated_origin: Set(now),
                speedup: Set(speedup),
            })
            .on_conflict(
                OnConflict::column(clock_anchor::Column::Id)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
            continue;
        };
        let stored = Anchor {
            real_origin: row.real_origin,
            simulated_origin: row.simulated_origin,
            speedup: row.speedup,
        };
        if stored.speedup == speedup {
            return Ok((stored, false));
        }
        if other == OnOtherSpeed::Refuse {
            return Err(StoreError::Conflict(format!(
                "this database's clock runs {}× faster than real time, this process was \
                 started with {speedup}× (WARMUP_CLOCK_SPEEDUP): start it with the same speed, \
                 or change the speed with `warmup migrate` while no other process runs",
                stored.speedup
            )));
        }
        let moved = Anchor {
            real_origin: now,
            simulated_origin: stored.simulated_at(now),
            speedup,
        };
        // Only if nobody moved it meanwhile.
        let changed = clock_anchor::Entity::update_many()
            .set(clock_anchor::ActiveModel {
                real_origin: Set(moved.real_origin),
                simulated_origin: Set(moved.simulated_origin),
                speedup: Set(moved.speedup),
                ..Default::default()
            })
            .filter(clock_anchor::Column::Id.eq(ROW))
            .filter(clock_anchor::Column::RealOrigin.eq(stored.real_origin))
            .filter(clock_anchor::Column::Speedup.eq(stored.speedup))
            .exec(db)
            .await?;
        if changed.rows_affected == 1 {
            return Ok((moved, true));
        }
    }
    Err(StoreError::Conflict(
        "the clock's anchor keeps changing: several processes start with different clock speeds"
            .into(),
    ))
}
