//! The placement report's reads: where a mailbox's messages landed and what the seeds did,
//! for the mailbox's organization.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use warmup_domain::Provider;
use warmup_domain::placement::{PlacementClass, Summary, summarize};

use super::page::{Page, PageRequest};
use super::{OrgId, StoreError};
use crate::{engagement_action, placement, send};

/// Which placements by class: one class, or those still looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassFilter {
    Class(PlacementClass),
    Pending,
}

/// Which placements of a mailbox to list; `None` leaves a field unfiltered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlacementFilter {
    pub provider: Option<Provider>,
    pub class: Option<ClassFilter>,
    /// First and last plan day (the mailbox's local dates), inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A placement with its message's subject and what was done, oldest action first.
#[derive(Debug, Clone)]
pub struct PlacementItem {
    pub placement: placement::Model,
    pub subject: String,
    pub actions: Vec<engagement_action::Model>,
}

fn day(d: NaiveDate) -> String {
    warmup_domain::plan_date::PlanDate::new(d).to_string()
}

/// A page of a mailbox's placements, newest sent first. The cursor is the last item's send id;
/// `None` when it names no placement of this mailbox. A mailbox of another organization has
/// no placements.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    mailbox_id: Uuid,
    filter: &PlacementFilter,
    page: PageRequest,
) -> Result<Option<Page<PlacementItem>>, StoreError> {
    let of_mailbox = || {
        placement::Entity::find()
            .filter(placement::Column::OrganizationId.eq(org.0))
            .filter(placement::Column::MailboxId.eq(mailbox_id))
    };
    let mut q = of_mailbox();
    if let Some(after) = page.after {
        // Sent times repeat, so the send id breaks ties; the cursor row gives both.
        let Some(cursor) = of_mailbox()
            .filter(placement::Column::SendId.eq(after))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        // `sent_at <= cursor` bounds the read of `idx_placements_page`; the rest only drops
        // the cursor's own time's rows up to the cursor.
        q = q
            .filter(placement::Column::SentAt.lte(cursor.sent_at))
            .filter(
                Condition::any()
                    .add(placement::Column::SentAt.lt(cursor.sent_at))
                    .add(placement::Column::SendId.lt(cursor.send_id)),
            );
    }
    if let Some(p) = filter.provider {
        q = q.filter(placement::Column::Provider.eq(p.as_str()));
    }
    match filter.class {
        Some(ClassFilter::Class(c)) => q = q.filter(placement::Column::Class.eq(c.as_str())),
        Some(ClassFilter::Pending) => q = q.filter(placement::Column::Class.is_null()),
        None => {}
    }
    if let Some(from) = filter.from {
        q = q.filter(placement::Column::PlanDate.gte(day(from)));
    }
    if let Some(to) = filter.to {
        q = q.filter(placement::Column::PlanDate.lte(day(to)));
    }
    let rows = q
        .order_by_desc(placement::Column::SentAt)
        .order_by_desc(placement::Column::SendId)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    let page = Page::from_overfetch(rows, page.limit, |p| p.send_id);
    let ids: Vec<Uuid> = page.items.iter().map(|p| p.send_id).collect();

    let subjects: BTreeMap<Uuid, String> = send::Entity::find()
        .select_only()
        .column(send::Column::Id)
        .column(send::Column::Subject)
        .filter(send::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut actions: BTreeMap<Uuid, Vec<engagement_action::Model>> = BTreeMap::new();
    for a in engagement_action::Entity::find()
        .filter(engagement_action::Column::SendId.is_in(ids.iter().copied()))
        .order_by_asc(engagement_action::Column::At)
        .order_by_asc(engagement_action::Column::Id)
        .all(db)
        .await?
    {
        actions.entry(a.send_id).or_default().push(a);
    }
    Ok(Some(page.map(|p| PlacementItem {
        subject: subjects.get(&p.send_id).cloned().unwrap_or_default(),
        actions: actions.remove(&p.send_id).unwrap_or_default(),
        placement: p,
    })))
}

/// The placement report of a mailbox's plan days `from..=to`, from the daily rollups. A
/// mailbox of another organization has an empty report.
pub async fn summary<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    mailbox_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Summary, StoreError> {
    let counts = super::rollups::mailbox_counts(db, org, mailbox_id, from, to).await?;
    Ok(summarize(counts))
}
