//! The key an email address is unique under: the whole address lower-cased, as providers
//! compare it, while the address itself is kept as the user gave it. `mailboxes` and `seeds`
//! hold it in an `email_key` column under their unique index. No entity field maps that column:
//! only the functions here write it, always from the row's own address, so the two cannot
//! disagree.

use sea_orm::sea_query::{Alias, Expr, IntoIden, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, DbErr, EntityName, EntityTrait,
    FromQueryResult, Iterable, PrimaryKeyToColumn, QueryFilter,
};
use warmup_domain::EmailAddress;

const COLUMN: &str = "email_key";

/// The key of a stored address (the store holds only addresses that parsed; any other text
/// is keyed the same way).
pub fn of(email: &str) -> String {
    EmailAddress::parse(email)
        .map(|e| e.key())
        .unwrap_or_else(|_| email.trim().to_lowercase())
}

/// The key column, to compare in a query.
pub(crate) fn column() -> Expr {
    Expr::col(Alias::new(COLUMN))
}

type ModelOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// Inserts a row whose every field is set, with the key of `email`; the row as stored.
pub(crate) async fn insert<C, A>(db: &C, row: A, email: &str) -> Result<ModelOf<A>, DbErr>
where
    C: ConnectionTrait,
    A: ActiveModelTrait,
{
    let mut columns = Vec::new();
    let mut values = Vec::new();
    for col in <A::Entity as EntityTrait>::Column::iter() {
        if let ActiveValue::Set(v) = row.get(col) {
            columns.push(col.into_iden());
            values.push(col.save_as(Expr::val(v)));
        }
    }
    columns.push(Alias::new(COLUMN).into_iden());
    values.push(Expr::val(of(email)));
    let backend = db.get_database_backend();
    let stmt = Query::insert()
        .into_table(A::Entity::default().table_ref())
        .columns(columns)
        .values(values)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .returning(
            Query::returning().exprs(
                <A::Entity as EntityTrait>::Column::iter()
                    .map(|c| c.select_as(c.into_returning_expr(backend))),
            ),
        )
        .to_owned();
    let row = db
        .query_one(&stmt)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the inserted row".into()))?;
    ModelOf::<A>::from_query_result(&row, "")
}

/// Writes every set field of a row, found by its primary key, and the key of `email` when the
/// stored address differs from `email`; `None` when no row has that primary key. A key is
/// rewritten only with its address, so a row whose key `m0009` set apart (a case variant of an
/// older row's address) stays editable.
pub(crate) async fn update<C, A>(
    db: &C,
    mut row: A,
    email: &str,
    email_column: <A::Entity as EntityTrait>::Column,
) -> Result<Option<ModelOf<A>>, DbErr>
where
    C: ConnectionTrait,
    A: ActiveModelTrait,
{
    let mut q = <A::Entity as EntityTrait>::update_many();
    for pk in <A::Entity as EntityTrait>::PrimaryKey::iter() {
        let col = pk.into_column();
        let value = row
            .get(col)
            .into_value()
            .ok_or_else(|| DbErr::Custom("an update without its primary key".into()))?;
        q = q.filter(col.eq(value));
        // The primary key finds the row; it is not a field to write.
        row.not_set(col);
    }
    let key = Expr::case(email_column.eq(email), column()).finally(Expr::val(of(email)));
    // Both sides of a SET read the row as it was: the comparison sees the old address.
    let saved = q
        .set(row)
        .col_expr(Alias::new(COLUMN), key.into())
        .exec_with_returning(db)
        .await?;
    Ok(saved.into_iter().next())
}
