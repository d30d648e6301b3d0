//! Domains and their health: the domains of an organization's mailboxes (and any it adds), the
//! checks run on them with the whole report kept, and the address each message came from as
//! the seeds saw it (SPF, reverse DNS and blocklists look at those addresses).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn cascade(
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("domains")
                    .col(pk_uuid("id"))
                    .col(uuid("organization_id"))
                    .col(string("name"))
                    // `mailbox` (created with a mailbox) or `manual` (added by name).
                    .col(string("source"))
                    // When the next check is due; while a worker checks, the end of its lease.
                    .col(timestamp_with_time_zone("next_check_at"))
                    .col(timestamp_with_time_zone_null("last_checked_at"))
                    // When a check by hand last started (they are spaced).
                    .col(timestamp_with_time_zone_null("manual_check_at"))
                    .col(integer_null("score"))
                    .col(string_null("grade"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade(
                        ("domains", "organization_id"),
                        ("organizations", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_domains_org_name")
                    .table("domains")
                    .col("organization_id")
                    .col("name")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_domains_due")
                    .table("domains")
                    .col("next_check_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("domain_checks")
                    .col(pk_uuid("id"))
                    .col(uuid("domain_id"))
                    .col(uuid("organization_id"))
                    .col(timestamp_with_time_zone("checked_at"))
                    // `manual`, `scheduled`, `dkim_changed` or `created`.
                    .col(string("trigger"))
                    .col(integer_null("score"))
                    .col(string_null("grade"))
                    // The whole report as JSON, as the API answers it.
                    .col(text("report"))
                    .foreign_key(&mut cascade(
                        ("domain_checks", "domain_id"),
                        ("domains", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_domain_checks_domain")
                    .table("domain_checks")
                    .col("domain_id")
                    .col("checked_at")
                    .to_owned(),
            )
            .await?;
        for table in ["placements", "seed_list_messages"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(string_null("sending_ip"))
                        .to_owned(),
                )
                .await?;
        }
        // The domains of the mailboxes that exist, due for a first check now.
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT organization_id, email FROM mailboxes",
            ))
            .await?;
        let mut seen = std::collections::BTreeSet::new();
        for row in rows {
            let org: uuid::Uuid = row.try_get("", "organization_id")?;
            let email: String = row.try_get("", "email")?;
            let Some((_, domain)) = email.rsplit_once('@') else {
                continue;
            };
            let domain = domain.trim().to_ascii_lowercase();
            if domain.is_empty() || !seen.insert((org, domain.clone())) {
                continue;
            }
            let now = chrono::Utc::now();
            let insert = Query::insert()
                .into_table("domains")
                .columns([
                    "id",
                    "organization_id",
                    "name",
                    "source",
                    "next_check_at",
                    "created_at",
                    "updated_at",
                ])
                .values_panic([
                    uuid::Uuid::now_v7().into(),
                    org.into(),
                    domain.into(),
                    "mailbox".into(),
                    now.into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["seed_list_messages", "placements"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column("sending_ip")
                        .to_owned(),
                )
                .await?;
        }
        for table in ["domain_checks", "domains"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
