//! The self-adjusting ramp through the planner and the API: after three sending days mostly in
//! spam the next day is planned stepped back to the volume of three days earlier, the ramp is
//! set back, the decision shows in the warmup, the schedule and the stats, and
//! `mailbox.warmup_adjusted` is queued for the webhook that asked for it. With `auto_adjust`
//! off the same days ramp on.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use uuid::Uuid;
use warmup_entity::{event, plan_day, warmup_settings, webhook_delivery};

use crate::helpers::TestApp;
use crate::on_both_databases;
use crate::placements::{landed, store};

/// A running warmup with one gmail seed and four sending days behind it: the first all in
/// the inbox, the next three mostly in spam. Returns the mailbox id, the API's id and today.
async fn junked_mailbox(app: &TestApp, key: &str, auto_adjust: bool) -> (Uuid, String, String) {
    let (id, zone) = app
        .warming_mailbox(
            key,
            "ramp@acme.example",
            &json!({"start_per_day": 5, "daily_increase": 2, "auto_adjust": auto_adjust}),
        )
        .await;
    let (mailbox_id, _) = app.mailbox_and_org(&id).await;
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    let today = Utc::now().with_timezone(&tz).date_naive();
    // (days ago, volume, in the inbox)
    let days = [(4, 5, 5), (3, 7, 1), (2, 9, 1), (1, 11, 2)];
    let mut n = 0;
    for (i, (ago, volume, inbox)) in days.iter().enumerate() {
        let date = (today - Duration::days(*ago)).to_string();
        plan_day::ActiveModel {
            mailbox_id: Set(mailbox_id),
            plan_date: Set(date.clone()),
            sending_day: Set(i as i32),
            count: Set(*volume),
            planned: Set(*volume),
            created_at: Set(Utc::now()),
            adjust_mode: Set("ramping".into()),
            volume_cap: Set(None),
            adjust_reason: Set(Some("ramping as planned".into())),
            inbox_percent: Set(None),
            deferred_percent: Set(None),
        }
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        for k in 0..*volume {
            n += 1;
            let class = if k < *inbox { "inbox" } else { "spam" };
            store(
                app,
                mailbox_id,
                n,
                &landed(&date, "gmail", Some(class), n as i64),
            )
            .await;
        }
    }
    warmup_settings::Entity::update_many()
        .col_expr(
            warmup_settings::Column::SendingDays,
            sea_orm::sea_query::Expr::value(4),
        )
        .filter(warmup_settings::Column::MailboxId.eq(mailbox_id))
        .exec(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (mailbox_id, id, today.to_string())
}

async fn plan(app: &TestApp) -> u32 {
    use rand::SeedableRng;
    warmup_worker::planner::plan_due(
        &app.db,
        &warmup_entity::Clock::system(),
        &mut rand::rngs::StdRng::seed_from_u64(1),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
}

on_both_databases!(three_junked_days_step_the_ramp_back_and_say_so);

async fn three_junked_days_step_the_ramp_back_and_say_so(app: &TestApp) {
    let key = app.new_org("Adjust").await;
    let hook = app
        .post(
            "/v1/webhooks",
            &key,
            &json!({"url": "https://hooks.example.com/in", "events": ["mailbox.warmup_adjusted"]}),
        )
        .await
        .expect(201)
        .json;
    let (mailbox_id, id, today) = junked_mailbox(app, &key, true).await;
    assert_eq!(plan(app).await, 1, "today is planned");

    let w = app
        .get(&format!("/v1/mailboxes/{id}/warmup"), &key)
        .await
        .expect(200)
        .json;
    let a = &w["adjustment"];
    assert_eq!(a["date"], today.as_str());
    assert_eq!(a["mode"], "stepped_back", "{w}");
    // 4 of the last 27 placements in the inbox: 14.8%.
    assert_eq!(a["inbox_percent"], 14.8);
    assert_eq!(
        a["volume_cap"], 5,
        "the volume of three sending days earlier"
    );
    assert!(
        a["reason"]
            .as_str()
            .is_some_and(|r| r.contains("below 60%")),
        "{a}"
    );
    assert_eq!(
        w["sending_day"], 1,
        "the ramp climbs again from just after that day"
    );
    let day = plan_day::Entity::find_by_id((mailbox_id, today.clone()))
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no plan for today"));
    assert_eq!(day.count, 5, "the ramp alone would have asked for 13");

    // The preview holds at the cap; the stats show the day's decision.
    let schedule = app
        .get(&format!("/v1/mailboxes/{id}/warmup/schedule?days=5"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(schedule["adjustment"]["mode"], "stepped_back");
    let counts: Vec<u64> = schedule["days"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["count"].as_u64())
        .collect();
    assert_eq!(counts, [5, 5, 5, 5, 5], "{schedule}");
    let stats = app
        .get(&format!("/v1/mailboxes/{id}/warmup/stats"), &key)
        .await
        .expect(200)
        .json;
    let days: Vec<&Value> = stats["days"].as_array().into_iter().flatten().collect();
    let last = days.iter().find(|d| d["date"] == today.as_str());
    assert_eq!(
        last.map(|d| d["adjustment"]["mode"].clone()),
        Some(json!("stepped_back")),
        "{stats}"
    );

    // One event, queued for the webhook.
    let raised = event::Entity::find()
        .filter(event::Column::Kind.eq("mailbox.warmup_adjusted"))
        .all(&app.db)
        .await
        .unwrap_or_default();
    assert_eq!(raised.len(), 1);
    let data: Value = serde_json::from_str(&raised[0].data).unwrap_or_default();
    assert_eq!(data["mailbox_id"], id.as_str());
    assert_eq!(data["mode"], "stepped_back");
    assert_eq!(data["previous_mode"], "ramping");
    assert_eq!(data["volume_cap"], 5);
    let hook_id: Uuid = hook["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    let deliveries = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(hook_id))
        .all(&app.db)
        .await
        .unwrap_or_default();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].event_id, raised[0].id);
}

on_both_databases!(with_auto_adjust_off_the_same_days_ramp_on);

async fn with_auto_adjust_off_the_same_days_ramp_on(app: &TestApp) {
    let key = app.new_org("Manual").await;
    let (_, id, _) = junked_mailbox(app, &key, false).await;
    assert_eq!(plan(app).await, 1);
    let w = app
        .get(&format!("/v1/mailboxes/{id}/warmup"), &key)
        .await
        .expect(200)
        .json;
    assert_eq!(w["preferences"]["auto_adjust"], false);
    assert_eq!(w["adjustment"]["mode"], "ramping");
    assert_eq!(w["sending_day"], 5);
    let raised = event::Entity::find()
        .filter(event::Column::Kind.eq("mailbox.warmup_adjusted"))
        .all(&app.db)
        .await
        .unwrap_or_default();
    assert!(raised.is_empty());
}
