//! Sender mailboxes and seed accounts: the two kinds of mail account the service logs into.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Host, port, security, user and encrypted password of one server, prefixed `smtp_`/`imap_`.
fn server_columns(table: &mut TableCreateStatement, prefix: &str) {
    table
        .col(string(format!("{prefix}_host")))
        .col(integer(format!("{prefix}_port")))
        .col(string(format!("{prefix}_security")))
        .col(string(format!("{prefix}_username")))
        .col(text(format!("{prefix}_password")));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut mailboxes = Table::create();
        mailboxes
            .table("mailboxes")
            .col(pk_uuid("id"))
            .col(uuid("organization_id"))
            .col(string("email"))
            .col(string("display_name"))
            .col(string("provider"))
            .col(string("timezone"))
            .col(string("status"))
            .col(text_null("status_reason"));
        server_columns(&mut mailboxes, "smtp");
        server_columns(&mut mailboxes, "imap");
        mailboxes
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(
                ForeignKey::create()
                    .from("mailboxes", "organization_id")
                    .to("organizations", "id")
                    .on_delete(ForeignKeyAction::Cascade),
            );
        manager.create_table(mailboxes.to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_mailboxes_org_email")
                    .table("mailboxes")
                    .col("organization_id")
                    .col("email")
                    .unique()
                    .to_owned(),
            )
            .await?;

        // organization_id NULL marks the shared pool that platform admins manage. scope_key is
        // the organization id or "shared", so one unique index covers both kinds of seed (a
        // NULL would never collide).
        let mut seeds = Table::create();
        seeds
            .table("seeds")
            .col(pk_uuid("id"))
            .col(uuid_null("organization_id"))
            .col(string("scope_key"))
            .col(string("email"))
            .col(string("provider"))
            .col(string("seed_group"))
            .col(boolean("active"));
        server_columns(&mut seeds, "imap");
        server_columns(&mut seeds, "smtp");
        seeds
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(
                ForeignKey::create()
                    .from("seeds", "organization_id")
                    .to("organizations", "id")
                    .on_delete(ForeignKeyAction::Cascade),
            );
        manager.create_table(seeds.to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_seeds_scope_email")
                    .table("seeds")
                    .col("scope_key")
                    .col("email")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["seeds", "mailboxes"] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
