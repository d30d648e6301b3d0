//! Inbox placement and seed engagement: where each sent message landed at its seed, what the
//! seed did with it, and which worker holds each seed's mailbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for col in [
            // How many messages of the conversation came before this one (0: it starts one).
            integer("thread_depth").default(0).to_owned(),
            string_null("in_reply_to"),
            // Space-separated Message-IDs; not `references`, a reserved word in SQL.
            text_null("reference_ids"),
        ] {
            manager
                .alter_table(Table::alter().table("sends").add_column(col).to_owned())
                .await?;
        }
        // A thread's later messages go to the same seed on the same day: the one-per-day rule
        // holds per place in the thread.
        manager
            .drop_index(
                Index::drop()
                    .name("uq_sends_mailbox_day_seed")
                    .table("sends")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_sends_mailbox_day_seed_depth")
                    .table("sends")
                    .col("mailbox_id")
                    .col("plan_date")
                    .col("seed_email")
                    .col("thread_depth")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("placements")
                    .col(pk_uuid("send_id"))
                    .col(uuid("organization_id"))
                    .col(uuid("mailbox_id"))
                    // Seeds may be deleted; the placement keeps the address it was sent to.
                    .col(uuid_null("seed_id"))
                    .col(string("seed_email"))
                    .col(string("provider"))
                    // The mailbox's local date, `YYYY-MM-DD`, as on the send.
                    .col(string("plan_date"))
                    .col(string("message_id"))
                    .col(timestamp_with_time_zone("sent_at"))
                    // locating → engaging → done
                    .col(string("stage"))
                    // inbox | spam | category | other | missing; NULL while still looked for.
                    .col(string_null("class"))
                    .col(text_null("folder"))
                    .col(big_integer_null("uid"))
                    .col(timestamp_with_time_zone_null("arrived_at"))
                    .col(big_integer_null("arrival_seconds"))
                    .col(string_null("spf"))
                    .col(string_null("dkim"))
                    .col(string_null("dmarc"))
                    .col(integer("lookups"))
                    .col(timestamp_with_time_zone("next_check_at"))
                    // What the seed is going to do, as the worker decided it (JSON).
                    .col(text_null("plan"))
                    .col(timestamp_with_time_zone_null("opened_at"))
                    .col(timestamp_with_time_zone_null("flagged_at"))
                    .col(timestamp_with_time_zone_null("rescued_at"))
                    .col(timestamp_with_time_zone_null("replied_at"))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    // The seed's reply, as found in the sender's mailbox.
                    .col(string_null("reply_message_id"))
                    .col(string_null("reply_class"))
                    .col(text_null("reply_folder"))
                    .col(timestamp_with_time_zone_null("reply_seen_at"))
                    .col(text_null("last_error"))
                    .col(integer("errors"))
                    .col(string_null("lease_owner"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("placements", "send_id")
                            .to("sends", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("placements", "mailbox_id")
                            .to("mailboxes", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            // The workers' queue: what is due in each stage.
            ("idx_placements_due", &["stage", "next_check_at"][..]),
            // The report: a mailbox's days.
            (
                "idx_placements_mailbox_day",
                &["mailbox_id", "plan_date"][..],
            ),
            // One engagement session per seed works through that seed's placements.
            ("idx_placements_seed", &["seed_id", "stage"][..]),
            // Replies found in the sender's mailbox are matched by their Message-ID.
            ("idx_placements_reply", &["reply_message_id"][..]),
        ] {
            let mut index = Index::create().name(name).table("placements").to_owned();
            for c in cols {
                index.col(*c);
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("engagement_actions")
                    .col(pk_uuid("id"))
                    .col(uuid("send_id"))
                    // located | missing | rescue | open | flag | reply | archive | reply_seen | error
                    .col(string("action"))
                    .col(timestamp_with_time_zone("at"))
                    .col(boolean("ok"))
                    .col(text("detail"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("engagement_actions", "send_id")
                            .to("placements", "send_id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_engagement_actions_send")
                    .table("engagement_actions")
                    .col("send_id")
                    .col("at")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("seed_leases")
                    .col(pk_uuid("seed_id"))
                    .col(string("owner"))
                    .col(timestamp_with_time_zone("lease_until"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("seed_leases", "seed_id")
                            .to("seeds", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["seed_leases", "engagement_actions", "placements"] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("uq_sends_mailbox_day_seed_depth")
                    .table("sends")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_sends_mailbox_day_seed")
                    .table("sends")
                    .col("mailbox_id")
                    .col("plan_date")
                    .col("seed_email")
                    .unique()
                    .to_owned(),
            )
            .await?;
        for col in ["thread_depth", "in_reply_to", "reference_ids"] {
            manager
                .alter_table(Table::alter().table("sends").drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
