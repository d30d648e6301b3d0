//! The alerts judged from counts, for every organization by its own thresholds: a spike of one
//! error code within a mailbox's last hour of attempts (`send.errors_spike`, once per code and
//! hour) and a mailbox's inbox rate below the line over its last days (`placement.dropped`,
//! once a day).

use std::collections::{BTreeMap, HashMap};

use chrono::Duration;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;
use warmup_domain::alerts::{AlertRules, dropped, spikes};
use warmup_domain::placement::PlacementClass;
use warmup_domain::state::{EventOutcome, EventType};
use warmup_entity::Clock;
use warmup_entity::mailbox;
use warmup_entity::store::{StoreError, alerts, events};

/// A mailbox's attempts of the hour: how many, and the errors per code.
#[derive(Default)]
struct Hour {
    attempts: u32,
    errors: BTreeMap<String, u32>,
}

/// Judges every organization's alerts now; returns how many were raised.
pub async fn raise_due(db: &DatabaseConnection, clock: &Clock) -> Result<usize, StoreError> {
    let now = clock.now();
    let own = alerts::all_rules(db).await?;
    let rules_of = |org: &Uuid| own.get(org).copied().unwrap_or_default();
    let mut raised = Vec::new();

    let mut hours: HashMap<(Uuid, Uuid), Hour> = HashMap::new();
    for a in alerts::attempts_since(db, now - Duration::hours(1)).await? {
        let n = u32::try_from(a.n).unwrap_or(0);
        let h = hours.entry((a.organization_id, a.mailbox_id)).or_default();
        h.attempts += n;
        if a.outcome != EventOutcome::Sent.as_str() {
            // The most precise word the server gave: the enhanced status, else the code.
            let code = a
                .enhanced
                .or(a.code.map(|c| c.to_string()))
                .unwrap_or(a.category);
            *h.errors.entry(code).or_default() += n;
        }
    }
    let hour = now.format("%Y-%m-%dT%H").to_string();
    for ((org, mailbox_id), h) in &hours {
        let errors: Vec<(String, u32)> = h.errors.clone().into_iter().collect();
        for s in spikes(&rules_of(org).errors_spike, h.attempts, &errors) {
            // The window slides: a spike raised within the last hour is the same spike,
            // whatever clock hour it is now.
            let prefix = format!("send.errors_spike:{mailbox_id}:{}:", s.code);
            if events::raised_since(
                db,
                *org,
                EventType::SendErrorsSpike,
                &prefix,
                now - Duration::hours(1),
            )
            .await?
            {
                continue;
            }
            raised.push((
                *org,
                *mailbox_id,
                EventType::SendErrorsSpike,
                format!("send.errors_spike:{mailbox_id}:{}:{hour}", s.code),
                serde_json::json!({
                    "mailbox_id": mailbox_id,
                    "code": s.code,
                    "count": s.count,
                    "attempts": s.attempts,
                    "percent": s.percent,
                    "window_minutes": 60,
                    "threshold_percent": rules_of(org).errors_spike.percent,
                }),
            ));
        }
    }

    // The rollups' days are UTC dates; the widest window any organization asks for is read.
    let widest = own
        .values()
        .chain(std::iter::once(&AlertRules::default()))
        .map(|r| r.placement_drop.window_days)
        .max()
        .unwrap_or(3);
    let today = now.date_naive();
    let since = (today - Duration::days(i64::from(widest) - 1)).to_string();
    let mut rates: HashMap<(Uuid, Uuid), (u32, u32)> = HashMap::new();
    for (org, mailbox_id, day, class, n) in alerts::warmup_counts_since(db, &since).await? {
        let window = rules_of(&org).placement_drop.window_days;
        let first = (today - Duration::days(i64::from(window) - 1)).to_string();
        if day < first {
            continue;
        }
        let n = u32::try_from(n).unwrap_or(0);
        let r = rates.entry((org, mailbox_id)).or_default();
        match PlacementClass::parse(&class) {
            Some(PlacementClass::Inbox | PlacementClass::Category) => {
                r.0 += n;
                r.1 += n;
            }
            Some(PlacementClass::Unknown) | None => {}
            Some(_) => r.1 += n,
        }
    }
    for ((org, mailbox_id), (inbox, decided)) in &rates {
        let rule = rules_of(org).placement_drop;
        if let Some(rate) = dropped(&rule, *inbox, *decided) {
            raised.push((
                *org,
                *mailbox_id,
                EventType::PlacementDropped,
                format!("placement.dropped:{mailbox_id}:{today}"),
                serde_json::json!({
                    "mailbox_id": mailbox_id,
                    "inbox_percent": rate,
                    "inbox": inbox,
                    "placements": decided,
                    "window_days": rule.window_days,
                    "threshold_percent": rule.below_inbox_percent,
                }),
            ));
        }
    }

    if raised.is_empty() {
        return Ok(0);
    }
    let emails: HashMap<Uuid, String> = mailbox::Entity::find()
        .filter(mailbox::Column::Id.is_in(raised.iter().map(|r| r.1)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.email))
        .collect();
    let mut count = 0;
    for (org, mailbox_id, kind, key, mut data) in raised {
        // A mailbox deleted meanwhile raises nothing.
        let Some(email) = emails.get(&mailbox_id) else {
            continue;
        };
        data["email"] = email.clone().into();
        if events::raise_once(db, org, kind, &key, data, now)
            .await?
            .is_some()
        {
            count += 1;
        }
    }
    Ok(count)
}
