//! An organization's webhooks and their deliveries, as the API reads and changes them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;
use warmup_domain::state::{DeliveryState, EventType};

use super::page::{Page, PageRequest};
use super::{OrgId, StoreError};
use crate::{event, webhook, webhook_attempt, webhook_delivery};

/// Webhooks an organization may have.
pub const MAX_PER_ORGANIZATION: u64 = 20;

/// Inserts a webhook for `org` (the model's own organization id is overwritten).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    mut model: webhook::Model,
) -> Result<webhook::Model, StoreError> {
    let count = webhook::Entity::find()
        .filter(webhook::Column::OrganizationId.eq(org.0))
        .count(db)
        .await?;
    if count >= MAX_PER_ORGANIZATION {
        return Err(StoreError::LimitReached(format!(
            "an organization has at most {MAX_PER_ORGANIZATION} webhooks; delete one first"
        )));
    }
    model.organization_id = org.0;
    Ok(model.into_active_model().reset_all().insert(db).await?)
}

/// One webhook of `org`.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<Option<webhook::Model>, StoreError> {
    Ok(webhook::Entity::find_by_id(id)
        .filter(webhook::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?)
}

/// One page of `org`'s webhooks, oldest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    page: PageRequest,
) -> Result<Page<webhook::Model>, StoreError> {
    let mut q = webhook::Entity::find().filter(webhook::Column::OrganizationId.eq(org.0));
    if let Some(after) = page.after {
        q = q.filter(webhook::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(webhook::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_overfetch(rows, page.limit, |w| w.id))
}

/// What a PATCH changes; `None` keeps the column.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub url: Option<String>,
    /// The event types as stored (a JSON array).
    pub events: Option<String>,
    pub active: Option<bool>,
}

/// Changes only the named columns of a webhook of `org` (the worker's `failing_since` and a
/// rotation written meanwhile stay); turning it on clears its failing streak. `None` when it
/// is gone.
pub async fn patch<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
    c: Changes,
    now: DateTime<Utc>,
) -> Result<Option<webhook::Model>, StoreError> {
    use webhook::Column as W;
    let mut update = webhook::Entity::update_many().col_expr(W::UpdatedAt, Expr::value(now));
    if let Some(url) = c.url {
        update = update.col_expr(W::Url, Expr::value(url));
    }
    if let Some(events) = c.events {
        update = update.col_expr(W::Events, Expr::value(events));
    }
    if let Some(active) = c.active {
        update = update.col_expr(W::Active, Expr::value(active));
    }
    update
        .filter(W::Id.eq(id))
        .filter(W::OrganizationId.eq(org.0))
        .exec(db)
        .await?;
    if c.active == Some(true) {
        // Only a webhook that was off starts over; one already on keeps its streak.
        webhook::Entity::update_many()
            .col_expr(W::FailingSince, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(W::DisabledReason, Expr::value(Option::<String>::None))
            .filter(W::Id.eq(id))
            .filter(W::OrganizationId.eq(org.0))
            .filter(W::DisabledReason.is_not_null())
            .exec(db)
            .await?;
    }
    get(db, org, id).await
}

/// A new signing secret for a webhook, all sealed.
#[derive(Debug, Clone)]
pub struct Rotation {
    /// The secret the caller read; the rotation happens only if it is still the one stored.
    pub expected: String,
    pub secret: String,
    /// The secret it replaces, sealed for its new field, signing too until `until`.
    pub previous: String,
    pub until: DateTime<Utc>,
}

/// Replaces the signing secret if it is still `expected` (of two rotations at the same moment,
/// one wins). False when it changed meanwhile.
pub async fn rotate<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
    r: Rotation,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    use webhook::Column as W;
    let done = webhook::Entity::update_many()
        .col_expr(W::Secret, Expr::value(r.secret))
        .col_expr(W::PreviousSecret, Expr::value(Some(r.previous)))
        .col_expr(W::PreviousSecretUntil, Expr::value(Some(r.until)))
        .col_expr(W::UpdatedAt, Expr::value(now))
        .filter(W::Id.eq(id))
        .filter(W::OrganizationId.eq(org.0))
        .filter(W::Secret.eq(r.expected))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Deletes a webhook of `org` with its deliveries; false when there was none.
pub async fn delete<C: ConnectionTrait>(db: &C, org: OrgId, id: Uuid) -> Result<bool, StoreError> {
    let gone = webhook::Entity::delete_many()
        .filter(webhook::Column::Id.eq(id))
        .filter(webhook::Column::OrganizationId.eq(org.0))
        .exec(db)
        .await?;
    Ok(gone.rows_affected == 1)
}

/// A delivery with its event and tries.
#[derive(Debug, Clone)]
pub struct DeliveryView {
    pub delivery: webhook_delivery::Model,
    pub event: Option<event::Model>,
    pub attempts: Vec<webhook_attempt::Model>,
}

async fn views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<webhook_delivery::Model>,
) -> Result<Vec<DeliveryView>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|d| d.id).collect();
    let mut attempts: BTreeMap<Uuid, Vec<webhook_attempt::Model>> = BTreeMap::new();
    for a in webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::DeliveryId.is_in(ids))
        .order_by_asc(webhook_attempt::Column::Attempt)
        .all(db)
        .await?
    {
        attempts.entry(a.delivery_id).or_default().push(a);
    }
    let events: BTreeMap<Uuid, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(rows.iter().map(|d| d.event_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(rows
        .into_iter()
        .map(|d| DeliveryView {
            attempts: attempts.remove(&d.id).unwrap_or_default(),
            event: events.get(&d.event_id).cloned(),
            delivery: d,
        })
        .collect())
}

/// One page of a webhook's deliveries, newest first (the cursor goes to older ones).
pub async fn deliveries<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    webhook_id: Uuid,
    state: Option<DeliveryState>,
    page: PageRequest,
) -> Result<Page<DeliveryView>, StoreError> {
    use webhook_delivery::Column as D;
    let mut q = webhook_delivery::Entity::find()
        .filter(D::OrganizationId.eq(org.0))
        .filter(D::WebhookId.eq(webhook_id));
    if let Some(s) = state {
        q = q.filter(D::State.eq(s.as_str()));
    }
    if let Some(after) = page.after {
        q = q.filter(D::Id.lt(after));
    }
    let rows = q.order_by_desc(D::Id).limit(page.limit + 1).all(db).await?;
    let page = Page::from_overfetch(rows, page.limit, |d| d.id);
    Ok(Page {
        items: views(db, page.items).await?,
        next: page.next,
    })
}

/// One delivery of a webhook of `org`, with its event and tries.
pub async fn delivery<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    webhook_id: Uuid,
    id: Uuid,
) -> Result<Option<DeliveryView>, StoreError> {
    let row = webhook_delivery::Entity::find_by_id(id)
        .filter(webhook_delivery::Column::OrganizationId.eq(org.0))
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .one(db)
        .await?;
    Ok(match row {
        Some(d) => views(db, vec![d]).await?.pop(),
        None => None,
    })
}

/// What asking for a redelivery did.
#[derive(Debug)]
pub enum Redelivery {
    Queued(Box<DeliveryView>),
    /// The delivery is still being tried.
    StillTrying,
    /// The webhook is turned off.
    Inactive,
    NotFound,
}

/// Sends a finished delivery's event again, as a new delivery due now (same `webhook-id`, so
/// receivers that already took it can tell).
pub async fn redeliver<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    webhook_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Redelivery, StoreError> {
    let (Some(w), Some(old)) = (
        get(db, org, webhook_id).await?,
        delivery(db, org, webhook_id, id).await?,
    ) else {
        return Ok(Redelivery::NotFound);
    };
    if !w.active {
        return Ok(Redelivery::Inactive);
    }
    let state = DeliveryState::parse(&old.delivery.state);
    if !matches!(
        state,
        Some(DeliveryState::Delivered | DeliveryState::Failed)
    ) {
        return Ok(Redelivery::StillTrying);
    }
    let kind = EventType::parse(&old.delivery.event_type)
        .ok_or_else(|| StoreError::Corrupt(format!("event type {:?}", old.delivery.event_type)))?;
    let d = super::events::deliver(db, &w, old.delivery.event_id, kind, now, Some(id)).await?;
    Ok(Redelivery::Queued(Box::new(DeliveryView {
        delivery: d,
        event: old.event,
        attempts: Vec::new(),
    })))
}
