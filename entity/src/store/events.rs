//! Events and their way to webhooks: raising an event writes it and one delivery per active
//! webhook of the organization that asked for its type, in the caller's transaction, so an
//! event is raised exactly when the change it tells of is stored.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;
use warmup_domain::state::{DeliveryState, EventType};
use warmup_domain::webhook::RETRY_FOR_HOURS;

use super::StoreError;
use crate::{event, webhook, webhook_delivery};

/// The event types a webhook row asks for.
pub fn subscribed(w: &webhook::Model) -> Vec<EventType> {
    serde_json::from_str::<Vec<String>>(&w.events)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| EventType::parse(e))
        .collect()
}

/// Raises an event for `org` at `at` and queues it for each active webhook that receives
/// its type; returns the event's id.
pub async fn raise<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    kind: EventType,
    data: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = insert(db, org, kind, &data, at, None)
        .await?
        .ok_or_else(|| StoreError::Corrupt("an event without a key was not stored".into()))?;
    fan_out(db, org, id, kind, at).await?;
    Ok(id)
}

/// Raises an event unless one with the same `key` was raised for `org` before; returns its
/// id when it was raised now.
pub async fn raise_once<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    kind: EventType,
    key: &str,
    data: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    let Some(id) = insert(db, org, kind, &data, at, Some(key)).await? else {
        return Ok(None);
    };
    fan_out(db, org, id, kind, at).await?;
    Ok(Some(id))
}

async fn fan_out<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    id: Uuid,
    kind: EventType,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let hooks = webhook::Entity::find()
        .filter(webhook::Column::OrganizationId.eq(org))
        .filter(webhook::Column::Active.eq(true))
        .all(db)
        .await?;
    for w in hooks.iter().filter(|w| subscribed(w).contains(&kind)) {
        deliver(db, w, id, kind, at, None).await?;
    }
    Ok(())
}

/// Raises an event for one webhook only (a test event), whatever types it asks for.
pub async fn raise_for<C: ConnectionTrait>(
    db: &C,
    w: &webhook::Model,
    kind: EventType,
    data: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<webhook_delivery::Model, StoreError> {
    let id = insert(db, w.organization_id, kind, &data, at, None)
        .await?
        .ok_or_else(|| StoreError::Corrupt("an event without a key was not stored".into()))?;
    deliver(db, w, id, kind, at, None).await
}

/// Stores an event; `None` when its key was used before (nothing stored). The conflict is
/// resolved in the statement, so a transaction around it goes on (Postgres aborts one on a
/// failed insert).
async fn insert<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    kind: EventType,
    data: &serde_json::Value,
    at: DateTime<Utc>,
    key: Option<&str>,
) -> Result<Option<Uuid>, StoreError> {
    let id = Uuid::now_v7();
    let row = event::ActiveModel {
        id: Set(id),
        organization_id: Set(org),
        kind: Set(kind.as_str().to_string()),
        data: Set(data.to_string()),
        occurred_at: Set(at),
        dedupe_key: Set(key.map(str::to_string)),
    };
    let stored = event::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([event::Column::OrganizationId, event::Column::DedupeKey])
                .do_nothing()
                .to_owned(),
        )
        .exec(db)
        .await;
    match stored {
        Ok(_) => Ok(Some(id)),
        Err(sea_orm::DbErr::RecordNotInserted) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A new delivery of event `event_id` to `w`, due at `at`, retried for 24 hours.
pub(crate) async fn deliver<C: ConnectionTrait>(
    db: &C,
    w: &webhook::Model,
    event_id: Uuid,
    kind: EventType,
    at: DateTime<Utc>,
    redelivery_of: Option<Uuid>,
) -> Result<webhook_delivery::Model, StoreError> {
    Ok(webhook_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        webhook_id: Set(w.id),
        organization_id: Set(w.organization_id),
        event_id: Set(event_id),
        event_type: Set(kind.as_str().to_string()),
        state: Set(DeliveryState::Pending.as_str().to_string()),
        attempts: Set(0),
        next_attempt_at: Set(at),
        give_up_at: Set(at + Duration::hours(RETRY_FOR_HOURS)),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_status: Set(None),
        last_error: Set(None),
        redelivery_of: Set(redelivery_of),
        created_at: Set(at),
        finished_at: Set(None),
    }
    .insert(db)
    .await?)
}

/// The body a receiver gets: `{type, timestamp, data}` (Standard Webhooks).
pub fn payload(e: &event::Model) -> serde_json::Value {
    serde_json::json!({
        "type": e.kind,
        "timestamp": e.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": serde_json::from_str::<serde_json::Value>(&e.data).unwrap_or(serde_json::Value::Null),
    })
}

/// Forgets events raised before `before` once none of their deliveries is still being tried;
/// their deliveries and tries go with them. Returns the events forgotten.
pub async fn purge_before<C: ConnectionTrait>(
    db: &C,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    use sea_orm::sea_query::Query;
    let open = Query::select()
        .column(webhook_delivery::Column::EventId)
        .from(webhook_delivery::Entity)
        .and_where(webhook_delivery::Column::State.is_in(DeliveryState::open_words()))
        .to_owned();
    let gone = event::Entity::delete_many()
        .filter(event::Column::OccurredAt.lt(before))
        .filter(event::Column::Id.not_in_subquery(open))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}

/// Whether an event of `kind` whose key starts with `prefix` was raised for `org` since
/// `since` (an alert judged over a sliding window is raised once per window).
pub async fn raised_since<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    kind: EventType,
    prefix: &str,
    since: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(event::Entity::find()
        .filter(event::Column::OrganizationId.eq(org))
        .filter(event::Column::Kind.eq(kind.as_str()))
        .filter(event::Column::OccurredAt.gte(since))
        .filter(event::Column::DedupeKey.is_not_null())
        .all(db)
        .await?
        .iter()
        .any(|e| {
            e.dedupe_key
                .as_deref()
                .is_some_and(|k| k.starts_with(prefix))
        }))
}
