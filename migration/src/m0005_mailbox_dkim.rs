//! DKIM keys of sender mailboxes: the selector, the signing domain and the sealed private key.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for col in [
            string_null("dkim_selector"),
            string_null("dkim_domain"),
            text_null("dkim_private_key"),
        ] {
            manager
                .alter_table(Table::alter().table("mailboxes").add_column(col).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in ["dkim_selector", "dkim_domain", "dkim_private_key"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("mailboxes")
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
