//! Domain health on schedule: each domain is checked daily, and at once when it is new or a
//! mailbox's DKIM key changed. A worker takes a due domain under a lease (its due time moved
//! ahead), so one worker checks it; one that dies leaves it due again when the lease ends.

use sea_orm::DatabaseConnection;
use warmup_domain::health::HealthReport;
use warmup_domain::log_text::escape_control;
use warmup_entity::store::OrgId;
use warmup_entity::store::domains;

use crate::Error;
use crate::deps::SendDeps;

/// Domains one round checks at most.
const PER_ROUND: usize = 10;

/// Real time a worker may take over one domain's check before another may take it: every
/// check is bounded (`warmup_mail::health::CHECK_LIMIT`), so this is ample.
const LEASE: std::time::Duration = std::time::Duration::from_secs(300);

/// Checks the domains that are due, one lease at a time; returns how many were checked. A
/// domain whose check fails is logged and left leased: it is due again when the lease ends.
pub async fn check_due(db: &DatabaseConnection, deps: &SendDeps) -> Result<usize, Error> {
    let mut done = 0;
    for _ in 0..PER_ROUND {
        let now = deps.clock.now();
        let lease_until = now + deps.simulated(LEASE);
        let Some(d) = domains::take_due(db, now, lease_until, 1).await?.pop() else {
            break;
        };
        match check_one(db, deps, &d, lease_until).await {
            Ok(()) => done += 1,
            Err(e) => tracing::error!(
                domain = %d.name,
                error = %escape_control(&e.to_string()),
                "checking a domain's health failed"
            ),
        }
    }
    Ok(done)
}

async fn check_one(
    db: &DatabaseConnection,
    deps: &SendDeps,
    d: &warmup_entity::domain::Model,
    lease_until: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    let org = OrgId(d.organization_id);
    let trigger = domains::scheduled_trigger(d);
    let inputs = domains::inputs(db, org, &d.name, &deps.secrets, deps.clock.now()).await?;
    let checks = warmup_mail::health::check_domain(
        &inputs,
        &deps.resolvers,
        &deps.auth,
        &deps.tls,
        &deps.health,
    )
    .await;
    let report = HealthReport::new(&d.name, deps.clock.now(), checks);
    // The check and the events it raises are one change.
    let txn = warmup_entity::store::write_txn::begin(db)
        .await
        .map_err(warmup_entity::StoreError::from)?;
    domains::record_check(
        &txn,
        d,
        trigger,
        &report,
        deps.clock.now(),
        Some(lease_until),
    )
    .await?;
    txn.commit()
        .await
        .map_err(warmup_entity::StoreError::from)?;
    Ok(())
}
