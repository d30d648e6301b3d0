//! Sender mailboxes of one organization.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::page::{Page, PageRequest};
use super::rollups::{self, Scope};
use super::write_txn;
use super::{OrgId, StoreError, conflict_on_unique, email_key};
use crate::{mailbox, warmup_settings};

/// Addresses are unique per organization without regard to case (see `email_key`).
const DUPLICATE: &str = "a mailbox with this email address already exists";

/// Inserts a mailbox for `org` (the model's own organization id is overwritten).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    mut model: mailbox::Model,
) -> Result<mailbox::Model, StoreError> {
    model.organization_id = org.0;
    let email = model.email.clone();
    let created = email_key::insert(db, model.into_active_model().reset_all(), &email)
        .await
        .map_err(|e| conflict_on_unique(e, DUPLICATE))?;
    // Its domain joins the organization's domains (checked at once when new), and a key of its
    // own is checked against DNS at once.
    if created.dkim_private_key.is_some() {
        super::domains::dkim_changed(db, org.0, &created.email, created.created_at).await?;
    } else {
        super::domains::ensure_for_mailbox(db, org.0, &created.email, created.created_at).await?;
    }
    Ok(created)
}

/// One mailbox of `org`.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<Option<mailbox::Model>, StoreError> {
    Ok(mailbox::Entity::find_by_id(id)
        .filter(mailbox::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?)
}

/// A page of `org`'s mailboxes, oldest first: read from `idx_mailboxes_page`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    page: PageRequest,
) -> Result<Page<mailbox::Model>, StoreError> {
    let mut q = mailbox::Entity::find().filter(mailbox::Column::OrganizationId.eq(org.0));
    if let Some(after) = page.after {
        q = q.filter(mailbox::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(mailbox::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_overfetch(rows, page.limit, |m| m.id))
}

/// Writes every field of a mailbox that `org` owns; `None` when it owns no such mailbox.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    model: mailbox::Model,
) -> Result<Option<mailbox::Model>, StoreError> {
    let Some(before) = get(db, org, model.id).await? else {
        return Ok(None);
    };
    let email = model.email.clone();
    // `None` when it was deleted between the read and this write.
    let updated = email_key::update(
        db,
        model.into_active_model().reset_all(),
        &email,
        mailbox::Column::Email,
    )
    .await
    .map_err(|e| conflict_on_unique(e, DUPLICATE))?;
    if let Some(m) = &updated {
        let key_changed = (
            &before.dkim_selector,
            &before.dkim_domain,
            &before.dkim_private_key,
        ) != (&m.dkim_selector, &m.dkim_domain, &m.dkim_private_key);
        if key_changed && m.dkim_private_key.is_some() {
            // A new key is checked against DNS at once.
            super::domains::dkim_changed(db, org.0, &m.email, m.updated_at).await?;
        } else if before.email != m.email {
            super::domains::ensure_for_mailbox(db, org.0, &m.email, m.updated_at).await?;
        }
    }
    Ok(updated)
}

/// Deletes a mailbox of `org` with its sends and placements; false when it had none with that
/// id.
pub async fn delete(db: &DatabaseConnection, org: OrgId, id: Uuid) -> Result<bool, StoreError> {
    let txn = write_txn::begin(db).await?;
    let res = mailbox::Entity::delete_many()
        .filter(mailbox::Column::Id.eq(id))
        .filter(mailbox::Column::OrganizationId.eq(org.0))
        .exec(&txn)
        .await?;
    if res.rows_affected > 0 {
        // The placements went with it (cascade); so do their counts.
        rollups::remove(&txn, org.0, Scope::Mailbox(id)).await?;
    }
    txn.commit().await?;
    Ok(res.rows_affected > 0)
}

/// Mailboxes with a warmup, of every organization (for the workers), as `(organization,
/// mailbox)` in mailbox order: their inboxes may hold delivery reports and replies to read.
/// Ids only: a round names every mailbox, and each is read when its turn comes.
pub async fn scan_targets<C: ConnectionTrait>(db: &C) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    Ok(warmup_settings::Entity::find()
        .select_only()
        .columns([
            warmup_settings::Column::OrganizationId,
            warmup_settings::Column::MailboxId,
        ])
        .order_by_asc(warmup_settings::Column::MailboxId)
        .into_tuple()
        .all(db)
        .await?)
}
