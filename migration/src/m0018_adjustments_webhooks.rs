//! The self-adjusting ramp's decision kept with each planned day, and alerts: the events the
//! service raises, the organizations' webhooks, each delivery of an event to a webhook with
//! its attempts, and each organization's alert thresholds.

use sea_orm_migration::{prelude::*, schema::*};

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

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &[&'static str],
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table.to_string());
    for c in cols {
        i.col(*c);
    }
    manager.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for mut col in [
            // `ramping`, `holding` or `stepped_back`: the decision the day was planned under.
            string("adjust_mode").default("ramping").to_owned(),
            integer_null("volume_cap"),
            text_null("adjust_reason"),
            double_null("inbox_percent"),
            double_null("deferred_percent"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("plan_days")
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("events")
                    .col(pk_uuid("id"))
                    .col(uuid("organization_id"))
                    .col(string("type"))
                    // The event's `data` as JSON.
                    .col(text("data"))
                    .col(timestamp_with_time_zone("occurred_at"))
                    // Alerts that must not repeat (a seed down, a spike within its hour) carry
                    // a key unique in the organization.
                    .col(string_null("dedupe_key"))
                    .foreign_key(&mut cascade(
                        ("events", "organization_id"),
                        ("organizations", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_events_org",
            "events",
            &["organization_id", "id"],
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_events_dedupe")
                    .table("events")
                    .col("organization_id")
                    .col("dedupe_key")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhooks")
                    .col(pk_uuid("id"))
                    .col(uuid("organization_id"))
                    .col(text("url"))
                    // The event types it receives, a JSON array.
                    .col(text("events"))
                    .col(boolean("active"))
                    // Sealed signing secrets; the previous one signs too until it expires, so
                    // receivers can switch after a rotation.
                    .col(text("secret"))
                    .col(text_null("previous_secret"))
                    .col(timestamp_with_time_zone_null("previous_secret_until"))
                    // Since when every attempt failed; five days of it disables the webhook.
                    .col(timestamp_with_time_zone_null("failing_since"))
                    .col(text_null("disabled_reason"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade(
                        ("webhooks", "organization_id"),
                        ("organizations", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_webhooks_org",
            "webhooks",
            &["organization_id", "id"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhook_deliveries")
                    .col(pk_uuid("id"))
                    .col(uuid("webhook_id"))
                    .col(uuid("organization_id"))
                    .col(uuid("event_id"))
                    .col(string("event_type"))
                    // `pending`, `queued`, `delivering`, `delivered` or `failed`.
                    .col(string("state"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    // Retries end here (24 hours after the first try).
                    .col(timestamp_with_time_zone("give_up_at"))
                    .col(string_null("lease_owner"))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(integer_null("last_status"))
                    .col(text_null("last_error"))
                    .col(uuid_null("redelivery_of"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .foreign_key(&mut cascade(
                        ("webhook_deliveries", "webhook_id"),
                        ("webhooks", "id"),
                    ))
                    .foreign_key(&mut cascade(
                        ("webhook_deliveries", "event_id"),
                        ("events", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_webhook_deliveries_due",
            "webhook_deliveries",
            &["state", "next_attempt_at"],
        )
        .await?;
        index(
            manager,
            "idx_webhook_deliveries_webhook",
            "webhook_deliveries",
            &["webhook_id", "id"],
        )
        .await?;
        index(
            manager,
            "idx_webhook_deliveries_event",
            "webhook_deliveries",
            &["event_id"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhook_attempts")
                    .col(pk_uuid("id"))
                    .col(uuid("delivery_id"))
                    .col(integer("attempt"))
                    .col(timestamp_with_time_zone("attempted_at"))
                    // `delivered`, `retry` or `failed`.
                    .col(string("outcome"))
                    .col(integer_null("status"))
                    .col(text_null("error"))
                    // The start of the receiver's answer.
                    .col(text_null("response_body"))
                    .col(big_integer("duration_ms"))
                    .foreign_key(&mut cascade(
                        ("webhook_attempts", "delivery_id"),
                        ("webhook_deliveries", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_webhook_attempts_delivery",
            "webhook_attempts",
            &["delivery_id", "attempt"],
        )
        .await?;
        // Counters /metrics reports, kept in the transactions that write what they count, so
        // that a scrape reads a few rows and purging history never makes them go down.
        manager
            .create_table(
                Table::create()
                    .table("metric_counts")
                    .col(string("metric"))
                    .col(string("a"))
                    .col(string("b"))
                    .col(big_integer("n"))
                    .primary_key(Index::create().col("metric").col("a").col("b"))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO metric_counts (metric, a, b, n) \
                 SELECT 'sends', outcome, category, COUNT(*) FROM send_attempts \
                 GROUP BY outcome, category",
            )
            .await?;
        // The alert loop reads the last hour of attempts.
        index(
            manager,
            "idx_send_attempts_attempted_at",
            "send_attempts",
            &["attempted_at"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("alert_rules")
                    .col(uuid("organization_id").primary_key())
                    // The thresholds as JSON (`warmup_domain::alerts::AlertRules`).
                    .col(text("rules"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut cascade(
                        ("alert_rules", "organization_id"),
                        ("organizations", "id"),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_send_attempts_attempted_at")
                    .table("send_attempts")
                    .to_owned(),
            )
            .await?;
        for table in [
            "alert_rules",
            "metric_counts",
            "webhook_attempts",
            "webhook_deliveries",
            "webhooks",
            "events",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for col in [
            "deferred_percent",
            "inbox_percent",
            "adjust_reason",
            "volume_cap",
            "adjust_mode",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("plan_days")
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
