//! An email address is unique without regard to case, as providers treat it (`SP@GMAIL.COM`
//! and `sp@gmail.com` are one mailbox), while it is kept as the user gave it. Mailboxes and
//! seeds get an `email_key` column, the whole address lower-cased, and their unique indexes
//! move from the address to the key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, what addresses are unique within, old unique index, new unique index)
const TABLES: [(&str, &str, &str, &str); 2] = [
    (
        "mailboxes",
        "organization_id",
        "uq_mailboxes_org_email",
        "uq_mailboxes_org_email_key",
    ),
    (
        "seeds",
        "scope_key",
        "uq_seeds_scope_email",
        "uq_seeds_scope_email_key",
    ),
];

/// The key of an address as `EmailAddress::key` gave it when this migration was written: the
/// whole (trimmed) address lower-cased. Computed here rather than in SQL because SQLite's
/// `lower()` folds only ASCII letters and Postgres' depends on the collation.
fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for (table, scope, old, new) in TABLES {
            // SQLite adds no NOT NULL column without a default: filled first, then made NOT
            // NULL on Postgres. The store writes the key with every address.
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(ColumnDef::new("email_key").string().null())
                        .to_owned(),
                )
                .await?;
            let emails = db
                .query_all_raw(Statement::from_string(
                    backend,
                    format!("SELECT DISTINCT email FROM {table}"),
                ))
                .await?;
            for row in emails {
                let email: String = row.try_get("", "email")?;
                let update = Query::update()
                    .table(table)
                    .value("email_key", key(&email))
                    .and_where(Expr::col("email").eq(email))
                    .to_owned();
                db.execute(&update).await?;
            }
            // Addresses that differ only in case were distinct until now. The oldest keeps the
            // plain key; each later one gets its address appended after a `#`, which no
            // address's key has after its domain: nothing is lost, every row stays editable
            // (the store rewrites a key only when its address changes), and no new address
            // can take any of their keys.
            db.execute_unprepared(&format!(
                "UPDATE {table} SET email_key = email_key || '#' || email \
                 WHERE EXISTS (SELECT 1 FROM {table} o WHERE o.{scope} = {table}.{scope} \
                 AND o.email_key = {table}.email_key AND o.id < {table}.id)"
            ))
            .await?;
            if backend == DbBackend::Postgres {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN email_key SET NOT NULL"
                ))
                .await?;
            }
            manager
                .drop_index(Index::drop().name(old).table(table).to_owned())
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(new)
                        .table(table)
                        .col(scope)
                        .col("email_key")
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, scope, old, new) in TABLES {
            manager
                .drop_index(Index::drop().name(new).table(table).to_owned())
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(old)
                        .table(table)
                        .col(scope)
                        .col("email")
                        .unique()
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column("email_key")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
