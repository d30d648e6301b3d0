//! The first time still to come in a table's schedule column: how long a loop with nothing due
//! may wait.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::StoreError;

/// The earliest `at` after `now` among rows of `E` whose `state` is one of `states`. One look
/// per state, each stopping at its first row of an index on (`state`, `at`), instead of one
/// `IN` that would have to merge them.
pub(crate) async fn earliest_after<E, C>(
    db: &C,
    state: E::Column,
    states: &[&str],
    at: E::Column,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut firsts = Vec::new();
    for s in states {
        let first: Option<DateTime<Utc>> = E::find()
            .select_only()
            .column(at)
            .filter(state.eq(*s))
            .filter(at.gt(now))
            .order_by_asc(at)
            .into_tuple()
            .one(db)
            .await?;
        firsts.extend(first);
    }
    Ok(firsts.into_iter().min())
}
