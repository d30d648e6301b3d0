//! Seed-list splits: an organization's slice of the seed pool for its own campaigns, the
//! senders it approved, and where each campaign message landed at each seed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 5] = [
    "seed_list_messages",
    "seed_list_campaigns",
    "seed_split_senders",
    "seed_split_members",
    "seed_splits",
];

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
                    .table("seed_splits")
                    .col(pk_uuid("id"))
                    .col(uuid("organization_id"))
                    .col(string("provider"))
                    .col(string("seed_group"))
                    .col(integer("seeds_amount"))
                    .col(integer("rotation_days"))
                    // Engagement: what the split's seeds do with its mail.
                    .col(boolean("rescue"))
                    .col(boolean("open"))
                    .col(boolean("mark_important"))
                    .col(integer("reply_percent"))
                    .col(string("pattern"))
                    .col(timestamp_with_time_zone_null("last_download"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone("next_rotation"))
                    .col(timestamp_with_time_zone_null("refreshed_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade(
                        ("seed_splits", "organization_id"),
                        ("organizations", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "seed_splits",
            "idx_seed_splits_org",
            &["organization_id", "id"],
            false,
        )
        .await?;
        index(
            manager,
            "seed_splits",
            "idx_seed_splits_rotation",
            &["next_rotation"],
            false,
        )
        .await?;

        // A seed's place in a split; a rotated-out seed keeps its row with `left_at`, and is
        // still read for the split's mail until `read_until`.
        manager
            .create_table(
                Table::create()
                    .table("seed_split_members")
                    .col(pk_uuid("id"))
                    .col(uuid("split_id"))
                    .col(uuid("seed_id"))
                    .col(uuid("organization_id"))
                    .col(timestamp_with_time_zone("joined_at"))
                    .col(timestamp_with_time_zone_null("left_at"))
                    .col(timestamp_with_time_zone_null("read_until"))
                    .foreign_key(&mut cascade(
                        ("seed_split_members", "split_id"),
                        ("seed_splits", "id"),
                    ))
                    .foreign_key(&mut cascade(
                        ("seed_split_members", "seed_id"),
                        ("seeds", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "seed_split_members",
            "idx_seed_split_members_split",
            &["split_id", "left_at"],
            false,
        )
        .await?;
        index(
            manager,
            "seed_split_members",
            "idx_seed_split_members_seed",
            &["seed_id", "left_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("seed_split_senders")
                    .col(pk_uuid("id"))
                    .col(uuid("split_id"))
                    .col(uuid("organization_id"))
                    // `name@example.com` or `@example.com`, lower-cased.
                    .col(string("pattern"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut cascade(
                        ("seed_split_senders", "split_id"),
                        ("seed_splits", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "seed_split_senders",
            "uq_seed_split_senders",
            &["split_id", "pattern"],
            true,
        )
        .await?;

        // A campaign seen by a split: from its first arrival, every seed of the split has the
        // missing window to receive it too.
        manager
            .create_table(
                Table::create()
                    .table("seed_list_campaigns")
                    .col(pk_uuid("id"))
                    .col(uuid("split_id"))
                    .col(uuid("organization_id"))
                    .col(text("campaign"))
                    .col(string("sender"))
                    .col(text("subject"))
                    .col(timestamp_with_time_zone("first_arrival_at"))
                    // When a worker first recorded it.
                    .col(timestamp_with_time_zone("seen_at"))
                    .col(timestamp_with_time_zone("missing_due_at"))
                    .col(boolean("closed"))
                    .foreign_key(&mut cascade(
                        ("seed_list_campaigns", "split_id"),
                        ("seed_splits", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        // Not unique: a list or a recurring subject names many sends over time.
        index(
            manager,
            "seed_list_campaigns",
            "idx_seed_list_campaigns_key",
            &["split_id", "campaign"],
            false,
        )
        .await?;
        index(
            manager,
            "seed_list_campaigns",
            "idx_seed_list_campaigns_due",
            &["closed", "missing_due_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("seed_list_messages")
                    .col(pk_uuid("id"))
                    .col(uuid("organization_id"))
                    .col(uuid("split_id"))
                    .col(uuid("campaign_id"))
                    .col(uuid("seed_id"))
                    .col(string("seed_email"))
                    .col(string("provider"))
                    // `m:<Message-ID>` for a message found, `missing:<campaign id>` for one
                    // that never came: one row per seed and message however often it is read.
                    .col(string("dedupe_key"))
                    .col(string_null("message_id"))
                    .col(string("sender"))
                    .col(text("subject"))
                    .col(text("campaign"))
                    // inbox | spam | category | other | missing
                    .col(string("class"))
                    .col(text_null("folder"))
                    .col(big_integer_null("uid"))
                    .col(timestamp_with_time_zone_null("arrived_at"))
                    .col(string_null("spf"))
                    .col(string_null("dkim"))
                    .col(string_null("dmarc"))
                    // engaging → done
                    .col(string("stage"))
                    .col(text_null("plan"))
                    .col(timestamp_with_time_zone("next_check_at"))
                    .col(text_null("reply_to"))
                    .col(timestamp_with_time_zone_null("opened_at"))
                    .col(timestamp_with_time_zone_null("flagged_at"))
                    .col(timestamp_with_time_zone_null("rescued_at"))
                    .col(timestamp_with_time_zone_null("replied_at"))
                    .col(text_null("last_error"))
                    .col(integer("errors"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade(
                        ("seed_list_messages", "split_id"),
                        ("seed_splits", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "seed_list_messages",
            "uq_seed_list_messages",
            &["seed_id", "dedupe_key"],
            true,
        )
        .await?;
        index(
            manager,
            "seed_list_messages",
            "idx_seed_list_messages_split",
            &["split_id", "id"],
            false,
        )
        .await?;
        index(
            manager,
            "seed_list_messages",
            "idx_seed_list_messages_due",
            &["stage", "next_check_at"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            manager
                .drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
