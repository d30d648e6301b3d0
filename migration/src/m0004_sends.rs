//! Sends: a row per warmup message, written before the message exists, with one attempt row
//! per try, and the days already planned per mailbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("plan_days")
                    .col(uuid("mailbox_id"))
                    // The mailbox's local date, `YYYY-MM-DD`.
                    .col(string("plan_date"))
                    .col(integer("sending_day"))
                    .col(integer("count"))
                    .col(integer("planned"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("mailbox_id").col("plan_date"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("plan_days", "mailbox_id")
                            .to("mailboxes", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sends")
                    .col(pk_uuid("id"))
                    .col(uuid("organization_id"))
                    .col(uuid("mailbox_id"))
                    .col(uuid_null("seed_id"))
                    .col(string("seed_email"))
                    .col(string("provider"))
                    .col(string("plan_date"))
                    .col(timestamp_with_time_zone("scheduled_at"))
                    // planned → sending → sent | deferred | failed | cancelled
                    .col(string("state"))
                    .col(string_uniq("message_id"))
                    .col(string("language"))
                    .col(text("subject"))
                    // The content is fixed at planning, so every retry sends the same message.
                    .col(text("body"))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    // Who holds the send while it is being sent, and until when.
                    .col(string_null("lease_owner"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(integer_null("last_code"))
                    .col(string_null("last_enhanced"))
                    .col(text_null("last_text"))
                    .col(string_null("last_category"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("sends", "mailbox_id")
                            .to("mailboxes", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
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
        manager
            .create_index(
                Index::create()
                    .name("idx_sends_due")
                    .table("sends")
                    .col("state")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("send_attempts")
                    .col(pk_uuid("id"))
                    .col(uuid("send_id"))
                    .col(integer("attempt"))
                    .col(timestamp_with_time_zone("attempted_at"))
                    .col(integer_null("code"))
                    .col(string_null("enhanced"))
                    .col(text("text"))
                    .col(string("category"))
                    .col(string("outcome"))
                    .col(big_integer("duration_ms"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("send_attempts", "send_id")
                            .to("sends", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_send_attempts_send")
                    .table("send_attempts")
                    .col("send_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["send_attempts", "sends", "plan_days"] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
