//! Every list the API pages is read from an index that starts with what the query fixes (the
//! organization, for a mailbox's lists also the mailbox) and goes on in the list's order, so a
//! page reads its rows and stops: it costs the same for an organization with 50 rows as for one
//! with 10 000 (measured in `benches/list_page`). API keys have had such an index since
//! `m0001` (`idx_api_keys_org`).
//!
//! A mailbox's delivery events are its sends' attempts, which knew only their send: no index
//! could give one mailbox's attempts in order. They now carry the send's organization and
//! mailbox, as placements do.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, table, columns) of the indexes a page is read from.
const INDEXES: [(&str, &str, &[&str]); 4] = [
    // `WHERE organization_id = ? AND id > ? ORDER BY id`
    (
        "idx_mailboxes_page",
        "mailboxes",
        &["organization_id", "id"],
    ),
    // Seeds are listed as two pages merged: the pool's (`organization_id IS NULL`) and the
    // organization's own, both ordered by id.
    ("idx_seeds_page", "seeds", &["organization_id", "id"]),
    // `WHERE organization_id = ? AND mailbox_id = ? AND sent_at <= ? ORDER BY sent_at DESC,
    // send_id DESC`, read backwards.
    (
        "idx_placements_page",
        "placements",
        &["organization_id", "mailbox_id", "sent_at", "send_id"],
    ),
    // `WHERE organization_id = ? AND mailbox_id = ? AND id < ? ORDER BY id DESC`
    (
        "idx_send_attempts_page",
        "send_attempts",
        &["organization_id", "mailbox_id", "id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time. SQLite cannot
        // add a NOT NULL column without a default either, so the columns are filled from the
        // sends first and made NOT NULL on Postgres; every attempt is written with both.
        for col in ["organization_id", "mailbox_id"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("send_attempts")
                        .add_column(ColumnDef::new(col).uuid().null())
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE send_attempts SET \
             organization_id = (SELECT s.organization_id FROM sends s WHERE s.id = send_attempts.send_id), \
             mailbox_id = (SELECT s.mailbox_id FROM sends s WHERE s.id = send_attempts.send_id)",
        )
        .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE send_attempts \
                 ALTER COLUMN organization_id SET NOT NULL, \
                 ALTER COLUMN mailbox_id SET NOT NULL",
            )
            .await?;
        }
        for (name, table, cols) in INDEXES {
            let mut index = Index::create().name(name).table(table).to_owned();
            for c in cols {
                index.col(*c);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        for col in ["organization_id", "mailbox_id"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("send_attempts")
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
