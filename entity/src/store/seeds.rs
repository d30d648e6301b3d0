//! Seed accounts: the shared pool (no organization) plus each organization's private seeds.
//! An organization sees the pool and its own seeds, never another organization's.

use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::page::{Page, PageRequest};
use super::{OrgId, StoreError, conflict_on_unique, email_key};
use crate::seed;

/// Seeds visible to `org`: the shared pool and its own.
fn visible_to(org: OrgId) -> Condition {
    Condition::any()
        .add(seed::Column::OrganizationId.is_null())
        .add(seed::Column::OrganizationId.eq(org.0))
}

/// Addresses are unique within a scope without regard to case (see `email_key`).
const DUPLICATE: &str = "a seed with this email address already exists";

/// What email addresses are unique within: one organization, or the shared pool.
pub fn scope_key(owner: Option<Uuid>) -> String {
    owner.map_or_else(|| "shared".to_string(), |o| o.to_string())
}

/// Inserts a seed. The caller decides the owner (`None` = shared pool, admins only).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    mut model: seed::Model,
) -> Result<seed::Model, StoreError> {
    model.scope_key = scope_key(model.organization_id);
    let email = model.email.clone();
    email_key::insert(db, model.into_active_model().reset_all(), &email)
        .await
        .map_err(|e| conflict_on_unique(e, DUPLICATE))
}

/// One seed visible to `org`.
pub async fn get_visible<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<Option<seed::Model>, StoreError> {
    Ok(seed::Entity::find_by_id(id)
        .filter(visible_to(org))
        .one(db)
        .await?)
}

/// A page of the seeds visible to `org`, oldest first. The pool's seeds and the
/// organization's own are read as two pages from `idx_seeds_page`, each in id order, and
/// merged. (One query with an OR of the two owners reads every seed the organization sees, or
/// the whole table, to give them in order.)
pub async fn list_visible<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    page: PageRequest,
) -> Result<Page<seed::Model>, StoreError> {
    let mut rows = Vec::new();
    for owner in [
        seed::Column::OrganizationId.is_null(),
        seed::Column::OrganizationId.eq(org.0),
    ] {
        let mut q = seed::Entity::find().filter(owner);
        if let Some(after) = page.after {
            q = q.filter(seed::Column::Id.gt(after));
        }
        rows.extend(
            q.order_by_asc(seed::Column::Id)
                .limit(page.limit + 1)
                .all(db)
                .await?,
        );
    }
    rows.sort_by_key(|s| s.id);
    Ok(Page::from_overfetch(rows, page.limit, |m| m.id))
}

/// Writes every field of a seed the caller has already been allowed to change; `None` when
/// it was deleted meanwhile.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    mut model: seed::Model,
) -> Result<Option<seed::Model>, StoreError> {
    model.scope_key = scope_key(model.organization_id);
    let email = model.email.clone();
    email_key::update(
        db,
        model.into_active_model().reset_all(),
        &email,
        seed::Column::Email,
    )
    .await
    .map_err(|e| conflict_on_unique(e, DUPLICATE))
}

/// Deletes a seed the caller has already been allowed to delete.
pub async fn delete<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<bool, StoreError> {
    let res = seed::Entity::delete_by_id(id).exec(db).await?;
    Ok(res.rows_affected > 0)
}

/// Providers for which `org` can use at least one active seed.
pub async fn active_providers<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
) -> Result<std::collections::BTreeSet<warmup_domain::Provider>, StoreError> {
    let rows = seed::Entity::find()
        .filter(visible_to(org))
        .filter(seed::Column::Active.eq(true))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|s| s.provider.parse().ok())
        .collect())
}

/// A seed by id, whoever owns it: for the workers, which act for every organization.
pub async fn by_id<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<seed::Model>, StoreError> {
    Ok(seed::Entity::find_by_id(id).one(db).await?)
}

/// The rows of those of `ids` that still exist, by id.
pub async fn by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, seed::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows = seed::Entity::find()
        .filter(seed::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|s| (s.id, s)).collect())
}

/// A seed that can send a verification code for `org`'s mailbox: an active shared seed first
/// (the pool's own providers), else one of the organization's own.
pub async fn code_sender<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
) -> Result<Option<seed::Model>, StoreError> {
    let shared = seed::Entity::find()
        .filter(seed::Column::Active.eq(true))
        .filter(seed::Column::OrganizationId.is_null())
        .order_by_asc(seed::Column::CreatedAt)
        .one(db)
        .await?;
    if shared.is_some() {
        return Ok(shared);
    }
    Ok(seed::Entity::find()
        .filter(seed::Column::Active.eq(true))
        .filter(seed::Column::OrganizationId.eq(org.0))
        .order_by_asc(seed::Column::CreatedAt)
        .one(db)
        .await?)
}
