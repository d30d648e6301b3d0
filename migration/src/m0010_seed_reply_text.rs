//! A seed's reply as the service wrote it: its subject and body, kept with the placement when
//! the reply is reserved. The sender's answer quotes this copy, not the one in the sender's
//! mailbox, which the tenant can change: seeds then never pass on a tenant's text. Replies sent
//! before this have neither (`NULL`), and get no answer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 2] = ["reply_subject", "reply_body"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for col in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("placements")
                        .add_column(text_null(col))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("placements")
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
