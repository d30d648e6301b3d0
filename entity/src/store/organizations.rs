//! Organizations: created by platform admins (or at bootstrap) together with their first key.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set,
    TransactionTrait,
};
use uuid::Uuid;

use super::{StoreError, api_keys};
use crate::organization;

/// Creates an organization and its first API key in one transaction; returns the plaintext key.
pub async fn create_with_key(
    db: &DatabaseConnection,
    name: &str,
    platform_admin: bool,
    key: Option<String>,
) -> Result<(organization::Model, api_keys::IssuedKey), StoreError> {
    let txn = db.begin().await?;
    let org = organization::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.to_string()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    let issued = api_keys::insert(&txn, org.id, "default", platform_admin, key).await?;
    txn.commit().await?;
    Ok((org, issued))
}

/// True when no organization exists yet (a fresh installation).
pub async fn is_empty<C: ConnectionTrait>(db: &C) -> Result<bool, StoreError> {
    Ok(organization::Entity::find().count(db).await? == 0)
}

/// One organization by id.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<organization::Model>, StoreError> {
    Ok(organization::Entity::find_by_id(id).one(db).await?)
}
