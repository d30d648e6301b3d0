//! API keys: random bearer tokens of which only a SHA-256 digest is stored.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::page::{Page, PageRequest};
use super::write_txn;
use super::{OrgId, StoreError, conflict_on_unique};
use crate::{api_key, organization};

const KEY_PREFIX: &str = "wu_";

/// A key just created: the only moment its plaintext exists.
pub struct IssuedKey {
    pub model: api_key::Model,
    pub plaintext: String,
}

/// Never the plaintext: a key logged or shown in a panic would be a key given away.
impl std::fmt::Debug for IssuedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedKey")
            .field("model", &self.model)
            .field("plaintext", &"<redacted>")
            .finish()
    }
}

/// SHA-256 in lower-case hex: key digests, body fingerprints, rate-limit keys.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The digest under which a key is stored and looked up.
pub fn digest(key: &str) -> String {
    sha256_hex(key.as_bytes())
}

fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

pub(crate) async fn insert<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    name: &str,
    platform_admin: bool,
    plaintext: Option<String>,
    now: DateTime<Utc>,
) -> Result<IssuedKey, StoreError> {
    let plaintext = plaintext.unwrap_or_else(generate);
    let model = api_key::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        name: Set(name.to_string()),
        prefix: Set(plaintext.chars().take(10).collect()),
        key_hash: Set(digest(&plaintext)),
        platform_admin: Set(platform_admin),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await
    .map_err(|e| conflict_on_unique(e, "that API key already exists"))?;
    Ok(IssuedKey { model, plaintext })
}

/// Issues a new key for `org` unless it has `max_live` live (not revoked) keys already; the
/// caller has checked that it may grant `platform_admin`.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    org: OrgId,
    name: &str,
    platform_admin: bool,
    max_live: u64,
    now: DateTime<Utc>,
) -> Result<IssuedKey, StoreError> {
    let txn = write_txn::begin(db).await?;
    // A write before the count: it takes SQLite's one writer lock, and in Postgres locks the
    // organization's row until commit, so two requests cannot both count one below the cap.
    organization::Entity::update_many()
        .col_expr(
            organization::Column::Name,
            Expr::col(organization::Column::Name),
        )
        .filter(organization::Column::Id.eq(org.0))
        .exec(&txn)
        .await?;
    let live = api_key::Entity::find()
        .filter(api_key::Column::OrganizationId.eq(org.0))
        .filter(api_key::Column::RevokedAt.is_null())
        .count(&txn)
        .await?;
    if live >= max_live {
        return Err(StoreError::LimitReached(format!(
            "the organization has {live} live API keys, the most it may have \
             ({max_live}, WARMUP_MAX_API_KEYS_PER_ORG): revoke one before creating another"
        )));
    }
    let issued = insert(&txn, org.0, name, platform_admin, None, now).await?;
    txn.commit().await?;
    Ok(issued)
}

/// The live (not revoked) key whose plaintext is `key`.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    key: &str,
) -> Result<Option<api_key::Model>, StoreError> {
    Ok(api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(digest(key)))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}

/// Records that `key` was used, at most once a minute per key: a key read as touched within
/// the minute is not written at all, so most requests write nothing here (on SQLite even an
/// update that matches no row waits for the write lock).
pub async fn touch<C: ConnectionTrait>(
    db: &C,
    key: &api_key::Model,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let stale = now - chrono::Duration::minutes(1);
    if key.last_used_at.is_some_and(|at| at >= stale) {
        return Ok(());
    }
    // Another process may have touched it since it was read: checked again in the update.
    api_key::Entity::update_many()
        .col_expr(api_key::Column::LastUsedAt, now.into())
        .filter(api_key::Column::Id.eq(key.id))
        .filter(
            sea_orm::sea_query::Condition::any()
                .add(api_key::Column::LastUsedAt.is_null())
                .add(api_key::Column::LastUsedAt.lt(stale)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// The organization's keys, oldest first, revoked ones included.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    page: PageRequest,
) -> Result<Page<api_key::Model>, StoreError> {
    let mut q = api_key::Entity::find().filter(api_key::Column::OrganizationId.eq(org.0));
    if let Some(after) = page.after {
        q = q.filter(api_key::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(api_key::Column::Id)
        .limit(page.limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_overfetch(rows, page.limit, |k| k.id))
}

/// One key of the organization.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
) -> Result<Option<api_key::Model>, StoreError> {
    Ok(api_key::Entity::find_by_id(id)
        .filter(api_key::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?)
}

/// How many platform-administrator keys still work.
pub async fn live_admin_keys<C: ConnectionTrait>(db: &C) -> Result<u64, StoreError> {
    Ok(api_key::Entity::find()
        .filter(api_key::Column::PlatformAdmin.eq(true))
        .filter(api_key::Column::RevokedAt.is_null())
        .count(db)
        .await?)
}

/// Revokes a key of the organization; `None` when it has no such key.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    org: OrgId,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<api_key::Model>, StoreError> {
    let Some(key) = api_key::Entity::find_by_id(id)
        .filter(api_key::Column::OrganizationId.eq(org.0))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if key.revoked_at.is_some() {
        return Ok(Some(key));
    }
    let mut active: api_key::ActiveModel = key.into();
    active.revoked_at = Set(Some(now));
    Ok(Some(active.update(db).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_key_debugs_without_its_plaintext() {
        let plaintext = generate();
        let issued = IssuedKey {
            model: api_key::Model {
                id: Uuid::now_v7(),
                organization_id: Uuid::now_v7(),
                name: "ci".into(),
                prefix: plaintext.chars().take(10).collect(),
                key_hash: digest(&plaintext),
                platform_admin: false,
                created_at: chrono::DateTime::<Utc>::MIN_UTC,
                last_used_at: None,
                revoked_at: None,
            },
            plaintext: plaintext.clone(),
        };
        let shown = format!("{issued:?}");
        assert!(!shown.contains(&plaintext), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn generated_keys_are_distinct_prefixed_and_digest_stably() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert!(a.starts_with(KEY_PREFIX) && a.len() > 40);
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), digest(&b));
        assert_eq!(digest("abc").len(), 64);
    }
}
