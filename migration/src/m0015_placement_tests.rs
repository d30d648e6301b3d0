//! Placement tests: a message sent once (by the service, or by the user with a test code) to
//! a few seeds and looked for until its window ends; the seeds' results; and schedules that
//! repeat a mailbox's test.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn cascade(from: (&'static str, &'static str), to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &'static str,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create().name(name).table(table).to_owned();
    for c in cols {
        index.col(*c);
    }
    if unique {
        index.unique();
    }
    manager.create_index(index).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("placement_test_schedules")
                    .col(pk_uuid("id"))
                    .col(uuid("organization_id"))
                    .col(uuid("mailbox_id"))
                    .col(integer("every_days"))
                    .col(timestamp_with_time_zone("next_run_at"))
                    // The test to run again, as it was asked for (JSON the service alone reads).
                    .col(text("template"))
                    .col(integer("runs"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade(
                        ("placement_test_schedules", "organization_id"),
                        "organizations",
                    ))
                    .foreign_key(&mut cascade(
                        ("placement_test_schedules", "mailbox_id"),
                        "mailboxes",
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "placement_test_schedules",
            "idx_placement_test_schedules_due",
            &["next_run_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("placement_tests")
                    .col(pk_uuid("id"))
                    .col(uuid("organization_id"))
                    .col(string("kind"))
                    .col(uuid_null("mailbox_id"))
                    .col(uuid_null("schedule_id"))
                    .col(uuid_null("split_id"))
                    .col(string("test_code"))
                    .col(text_null("subject"))
                    .col(text_null("text_body"))
                    .col(text_null("html_body"))
                    // How the seeds were chosen (JSON the service alone reads).
                    .col(text("selection"))
                    .col(string("seed_group"))
                    .col(integer("window_minutes"))
                    .col(boolean("engage"))
                    .col(string("status"))
                    .col(string_null("message_id"))
                    .col(string_null("send_owner"))
                    .col(timestamp_with_time_zone_null("send_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("started_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade(
                        ("placement_tests", "organization_id"),
                        "organizations",
                    ))
                    .foreign_key(&mut cascade(("placement_tests", "mailbox_id"), "mailboxes"))
                    .to_owned(),
            )
            .await?;
        // A code names one test at the seeds, whoever's.
        index(
            manager,
            "placement_tests",
            "uq_placement_tests_code",
            &["test_code"],
            true,
        )
        .await?;
        index(
            manager,
            "placement_tests",
            "idx_placement_tests_org",
            &["organization_id", "id"],
            false,
        )
        .await?;
        index(
            manager,
            "placement_tests",
            "idx_placement_tests_status",
            &["status", "expires_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("placement_test_seeds")
                    .col(pk_uuid("id"))
                    .col(uuid("test_id"))
                    .col(uuid("organization_id"))
                    .col(uuid("seed_id"))
                    // The test's, copied so that reports count a seed's row alone.
                    .col(uuid_null("mailbox_id"))
                    .col(uuid_null("split_id"))
                    .col(string("seed_email"))
                    .col(string("provider"))
                    // The day the result counts on in reports, and the sender's domain.
                    .col(string_len("day", 10))
                    .col(string("domain"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(string_null("class"))
                    .col(text_null("folder"))
                    .col(big_integer_null("uid"))
                    .col(timestamp_with_time_zone_null("arrived_at"))
                    .col(big_integer_null("arrival_seconds"))
                    .col(string_null("spf"))
                    .col(string_null("dkim"))
                    .col(string_null("dmarc"))
                    .col(text_null("from_address"))
                    .col(text_null("raw_headers"))
                    .col(timestamp_with_time_zone_null("engaged_at"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade(
                        ("placement_test_seeds", "test_id"),
                        "placement_tests",
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "placement_test_seeds",
            "uq_placement_test_seeds",
            &["test_id", "seed_id"],
            true,
        )
        .await?;
        index(
            manager,
            "placement_test_seeds",
            "idx_placement_test_seeds_seed",
            &["seed_id", "class"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "placement_test_seeds",
            "placement_tests",
            "placement_test_schedules",
        ] {
            manager
                .drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
