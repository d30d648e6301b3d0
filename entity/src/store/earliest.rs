//! The first time still to come in a table's schedule column: how long a loop with nothing due
//! may wait.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, Query, QueryStatementBuilder};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use super::StoreError;

/// The earliest `at` after `now` among rows of `E` whose `state` is one of `states`. One
/// statement of one look per state, each stopping at its first row of an index on (`state`,
/// `at`), instead of one `IN` that would have to merge them.
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
    if states.is_empty() {
        return Ok(None);
    }
    let mut select = Query::select();
    for (i, s) in states.iter().enumerate() {
        let first = E::find()
            .select_only()
            .column(at)
            .filter(state.eq(*s))
            .filter(at.gt(now))
            .order_by_asc(at)
            .limit(1)
            .into_query();
        select.expr_as(
            Expr::SubQuery(None, Box::new(first.into_sub_query_statement())),
            Alias::new(format!("first{i}")),
        );
    }
    let row = db
        .query_one(&select)
        .await?
        .ok_or_else(|| StoreError::Corrupt("a schedule's first time read no row".into()))?;
    let mut firsts = Vec::with_capacity(states.len());
    for i in 0..states.len() {
        firsts.extend(row.try_get::<Option<DateTime<Utc>>>("", &format!("first{i}"))?);
    }
    Ok(firsts.into_iter().min())
}
