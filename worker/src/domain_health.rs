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
const PER_ROUND: u64 = 10;

/// Real time a worker may take over one round's checks before another may take them.
const LEASE: std::time::Duration = std::time::Duration::from_secs(300);

/// Checks the domains that are due; returns how many were checked.
pub async fn check_due(db: &DatabaseConnection, deps: &SendDeps) -> Result<usize, Error> {
    let now = deps.clock.now();
    let lease_until = now + deps.simulated(LEASE);
    let due = domains::take_due(db, now, lease_until, PER_ROUND).await?;
    let mut done = 0;
    for d in due {
        let org = OrgId(d.organization_id);
        let trigger = domains::scheduled_trigger(&d);
        let inputs = match domains::inputs(db, org, &d.name, &deps.secrets, deps.clock.now()).await
        {
            Ok(i) => i,
            Err(e) => {
                // Left leased: tried again when the lease ends.
                tracing::error!(domain = %d.name, error = %escape_control(&e.to_string()), "reading a domain's health inputs failed");
                continue;
            }
        };
        let checks = warmup_mail::health::check_domain(
            &inputs,
            &deps.resolvers,
            &deps.auth,
            &deps.tls,
            &deps.health,
        )
        .await;
        let report = HealthReport::new(&d.name, deps.clock.now(), checks);
        domains::record_check(db, &d, trigger, &report, deps.clock.now()).await?;
        done += 1;
    }
    Ok(done)
}
