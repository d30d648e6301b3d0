//! Which of the engagement loop's occasional features have anything to do: a service without
//! seed lists or placement tests reads one row a round for them, not each feature's due lists.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use warmup_domain::state::PlacementStage;

use super::StoreError;
use crate::{
    placement_test, placement_test_schedule, seed_list_campaign, seed_list_message, seed_split,
};

/// Whether rows of a feature exist that a worker may have to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InUse {
    /// Splits, open campaigns or seed-list mail still engaging.
    pub seed_lists: bool,
    /// Schedules, or tests still open.
    pub placement_tests: bool,
}

impl InUse {
    /// What a round does when it cannot tell: everything.
    pub const ALL: Self = Self {
        seed_lists: true,
        placement_tests: true,
    };
}

/// [`InUse`] now, in one statement.
pub async fn in_use<C: ConnectionTrait>(db: &C) -> Result<InUse, StoreError> {
    let any = |q: &mut SelectStatement| Expr::exists(q.expr(Expr::val(1)).limit(1).to_owned());
    let seed_lists = any(Query::select().from(seed_split::Entity))
        .or(any(Query::select()
            .from(seed_list_campaign::Entity)
            .and_where(
                Expr::col(seed_list_campaign::Column::Closed).eq(false),
            )))
        .or(any(Query::select()
            .from(seed_list_message::Entity)
            .and_where(
                Expr::col(seed_list_message::Column::Stage).eq(PlacementStage::Engaging.as_str()),
            )));
    let placement_tests =
        any(Query::select().from(placement_test_schedule::Entity)).or(any(Query::select()
            .from(placement_test::Entity)
            .and_where(
                Expr::col(placement_test::Column::Status)
                    .is_in(super::placement_tests::open_statuses()),
            )));
    // As 0 or 1: SQLite has no boolean type to decode.
    let flag = |e: Expr| Expr::case(e, 1).finally(0);
    let stmt = Query::select()
        .expr_as(flag(seed_lists), Alias::new("seed_lists"))
        .expr_as(flag(placement_tests), Alias::new("placement_tests"))
        .to_owned();
    let row: QueryResult = db
        .query_one(&stmt)
        .await?
        .ok_or_else(|| StoreError::Corrupt("reading the features in use gave no row".into()))?;
    Ok(InUse {
        seed_lists: row.try_get::<i32>("", "seed_lists")? != 0,
        placement_tests: row.try_get::<i32>("", "placement_tests")? != 0,
    })
}
