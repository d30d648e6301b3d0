//! Organizations: created by platform admins (or at bootstrap) together with their first key.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, Set,
};
use uuid::Uuid;

use super::write_txn;
use super::{StoreError, api_keys};
use crate::organization;

/// Lock id that serializes bootstrap across processes sharing one Postgres.
const BOOTSTRAP_LOCK: i64 = 727_001;

async fn insert_with_key(
    txn: &DatabaseTransaction,
    name: &str,
    platform_admin: bool,
    key: Option<String>,
    now: DateTime<Utc>,
) -> Result<(organization::Model, api_keys::IssuedKey), StoreError> {
    let org = organization::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.to_string()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    let key_name = if platform_admin {
        "bootstrap"
    } else {
        "default"
    };
    let issued = api_keys::insert(txn, org.id, key_name, platform_admin, key, now).await?;
    Ok((org, issued))
}

/// Creates an organization and its first (non-admin) API key in one transaction.
pub async fn create_with_key(
    db: &DatabaseConnection,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(organization::Model, api_keys::IssuedKey), StoreError> {
    let txn = write_txn::begin(db).await?;
    let created = insert_with_key(&txn, name, false, None, now).await?;
    txn.commit().await?;
    Ok(created)
}

/// Creates the first organization with a platform-admin key (`key`, or a generated one),
/// unless an organization exists already. On Postgres an advisory lock makes processes that
/// start together create only one.
pub async fn bootstrap(
    db: &DatabaseConnection,
    key: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<(organization::Model, api_keys::IssuedKey)>, StoreError> {
    let txn = write_txn::begin(db).await?;
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({BOOTSTRAP_LOCK})"))
            .await?;
    }
    if organization::Entity::find().count(&txn).await? > 0 {
        return Ok(None);
    }
    let created = insert_with_key(&txn, "Default organization", true, key, now).await?;
    txn.commit().await?;
    Ok(Some(created))
}
