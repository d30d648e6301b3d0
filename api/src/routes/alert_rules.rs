//! The organization's alert thresholds: when a spike of one error code (`send.errors_spike`)
//! or a drop of a mailbox's inbox rate (`placement.dropped`) is raised.

use actix_web::{get, put, web};
use warmup_domain::alerts::{AlertRules, AlertRulesInput};
use warmup_entity::store::alerts;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json_body::Body;
use crate::state::AppState;

/// Get the organization's alert thresholds (the defaults until it sets its own).
#[utoipa::path(
    tag = "webhooks",
    operation_id = "getAlertRules",
    responses((status = 200, description = "The thresholds in force", body = AlertRules)),
    security(("api_key" = []))
)]
#[get("/alert-rules")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<AlertRules>, ApiError> {
    Ok(web::Json(alerts::rules(&state.db, caller.org).await?))
}

/// Replace the organization's alert thresholds; omitted fields take their defaults.
///
/// `errors_spike`: raised at most once an hour per mailbox and code when one deferral or failure code
/// (e.g. `4.4.2`) is more than `percent` of the mailbox's attempts in the last hour, once it
/// made `min_attempts`. `placement_drop`: raised once per mailbox and day when its inbox rate
/// over the last `window_days` days is below `below_inbox_percent`, once `min_placements` are
/// known. Judged every five minutes.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "putAlertRules",
    request_body = AlertRulesInput,
    responses((status = 200, description = "The thresholds as saved", body = AlertRules)),
    security(("api_key" = []))
)]
#[put("/alert-rules")]
pub async fn put(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<AlertRulesInput>,
) -> Result<web::Json<AlertRules>, ApiError> {
    let rules = body.value.rules().map_err(ApiError::Validation)?;
    alerts::put_rules(&state.db, caller.org, &rules, state.clock.now()).await?;
    Ok(web::Json(rules))
}
