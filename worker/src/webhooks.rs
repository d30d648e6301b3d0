//! Webhook deliveries: due ones get a job each (`take_due`), and the job sends the event,
//! signed by the Standard Webhooks convention, to the receiver's checked address, then records
//! the answer, the time it took and the next try.

use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;
use uuid::Uuid;
use warmup_domain::state::DeliveryOutcome;
use warmup_domain::webhook::{
    RESPONSE_LIMIT, TIMEOUT_SECONDS, check_url, judge, retry_delay, secret_key, signature_header,
};
use warmup_entity::secret_box::context;
use warmup_entity::store::events::payload;
use warmup_entity::store::webhook_deliveries::{self as store, Claimed, Recorded, Try};
use warmup_mail::https::{HttpError, post};

use crate::Error;
use crate::deps::SendDeps;
use crate::send_queue::WebhookQueue;

/// Deliveries given a job per round, at most.
const BATCH: u64 = 200;

/// Gives each due delivery a job.
pub async fn dispatch_due(
    db: &DatabaseConnection,
    deps: &SendDeps,
    queue: &mut WebhookQueue,
) -> Result<usize, Error> {
    let due = store::take_due(db, deps.clock.now(), BATCH).await?;
    queue.push(db, &due).await?;
    Ok(due.len())
}

/// The signing keys in force: the secret, and the one before it until it expires.
fn keys(deps: &SendDeps, c: &Claimed) -> Result<Vec<Vec<u8>>, String> {
    let w = &c.webhook;
    let open = |sealed: &str, field: &str| {
        deps.secrets
            .open(sealed, &context("webhook", w.id, field))
            .ok()
            .and_then(|s| secret_key(s.expose()))
    };
    let mut keys = vec![open(&w.secret, "secret").ok_or_else(|| {
        "the webhook's signing secret cannot be read with the configured key (was \
         WARMUP_SECRET_KEY changed?); rotate the secret"
            .to_string()
    })?];
    if let (Some(old), Some(until)) = (&w.previous_secret, w.previous_secret_until)
        && until > deps.clock.now()
        && let Some(k) = open(old, "previous_secret")
    {
        keys.push(k);
    }
    Ok(keys)
}

/// Records a try that could not be made at all: no more tries, with the reason.
async fn refused(
    db: &DatabaseConnection,
    deps: &SendDeps,
    claimed: &Claimed,
    owner: &str,
    why: String,
) -> Result<Option<DeliveryOutcome>, Error> {
    let at = deps.clock.now();
    let t = Try {
        outcome: DeliveryOutcome::Failed,
        status: None,
        error: Some(why),
        response_body: None,
        duration_ms: 0,
        attempted_at: at,
        retry_at: at,
    };
    Ok(match store::record(db, claimed, owner, t).await? {
        Recorded::Done(o) => Some(o),
        Recorded::Lost => None,
    })
}

/// Sends one queued delivery and records how it went; a delivery another job holds, or one
/// that ended meanwhile, is left alone.
pub async fn deliver(
    db: &DatabaseConnection,
    deps: &SendDeps,
    worker: &str,
    delivery_id: Uuid,
) -> Result<Option<DeliveryOutcome>, Error> {
    let now = deps.clock.now();
    // Longer than a try can take, so a live job never loses its delivery.
    let lease = deps.simulated(Duration::from_secs(TIMEOUT_SECONDS * 6));
    // One owner per claim: a job of this process that outlived its lease cannot record over
    // the try of the job that took the delivery after it.
    let owner = format!("{worker}:{}", Uuid::new_v4().simple());
    let owner = owner.as_str();
    let Some(claimed) = store::claim(db, delivery_id, owner, now, now + lease).await? else {
        return Ok(None);
    };
    // The address is judged again: one stored while plain http was allowed is not sent to
    // once the operator turned that off.
    if let Err(why) = check_url(&claimed.webhook.url, deps.connect.allow_private_hosts) {
        return refused(
            db,
            deps,
            &claimed,
            owner,
            format!("the webhook's URL {why}"),
        )
        .await;
    }
    let keys = match keys(deps, &claimed) {
        Ok(k) => k,
        Err(why) => return refused(db, deps, &claimed, owner, why).await,
    };
    let id = claimed.event.id.to_string();
    // Receivers compare the timestamp with their own clock: it is the wall clock's, whatever
    // the service clock's speed.
    let timestamp = deps.clock.wall_now().timestamp();
    let body = serde_json::to_vec(&payload(&claimed.event)).unwrap_or_default();
    let signature = signature_header(&keys, &id, timestamp, &body);
    let headers = [
        ("content-type", "application/json".to_string()),
        (
            "user-agent",
            format!("warmup/{}", env!("CARGO_PKG_VERSION")),
        ),
        ("webhook-id", id),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", signature),
    ];
    let timeout = Duration::from_secs(TIMEOUT_SECONDS);
    let started = Instant::now();
    let answer = post(
        &claimed.webhook.url,
        &headers,
        body,
        &deps.tls,
        &deps.connect,
        timeout,
        RESPONSE_LIMIT,
    )
    .await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let attempted_at = deps.clock.now();
    let (outcome, status, error, response_body) = match answer {
        Ok(a) => {
            let outcome = judge(a.status);
            let error = match outcome {
                DeliveryOutcome::Delivered => None,
                _ if (300..400).contains(&a.status) => Some(format!(
                    "answered {} (redirects are not followed)",
                    a.status
                )),
                _ => Some(format!("answered {}", a.status)),
            };
            (outcome, Some(a.status), error, Some(a.body))
        }
        Err(e @ HttpError::Refused(_)) => {
            (DeliveryOutcome::Failed, None, Some(e.to_string()), None)
        }
        Err(e) => (DeliveryOutcome::Retry, None, Some(e.to_string()), None),
    };
    let retry_at = attempted_at
        + retry_delay(
            u32::try_from(claimed.attempt()).unwrap_or(1),
            &mut rand::rng(),
        );
    let recorded = store::record(
        db,
        &claimed,
        owner,
        Try {
            outcome,
            status,
            error,
            response_body: response_body.filter(|b| !b.is_empty()),
            duration_ms,
            attempted_at,
            retry_at,
        },
    )
    .await?;
    Ok(match recorded {
        Recorded::Done(o) => Some(o),
        Recorded::Lost => None,
    })
}
