//! A mailbox's send errors grouped as an administrator reads a mail log: per day, enhanced
//! code, category and destination domain, each group intermittent or persistent, and a
//! connection error group pointing at the diagnosis that explains it.

use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use warmup_domain::send_errors::{ErrorGroup, ErrorPattern, group};
use warmup_entity::store::{mailboxes, send_queue};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::placements::report_days;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ErrorsQuery {
    /// First day (UTC), `YYYY-MM-DD`; default 29 days before `to`.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last day (UTC), `YYYY-MM-DD`; default today. At most 366 days from `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

/// The request that diagnoses where a group's errors come from.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnoseLink {
    /// Always `POST`.
    pub method: String,
    /// `/v1/diagnostics/smtp`.
    pub href: String,
    /// The body to send: the destination domain when the mailbox's server answered (it
    /// could not reach the destination), or the mailbox's SMTP server when nothing answered
    /// (the service could not reach it). The diagnosis runs from the service's network, which
    /// sees the destination as a server there would, not always as the mailbox's provider
    /// does.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

/// One group of refused attempts.
#[derive(Debug, Serialize, ToSchema)]
pub struct SendErrorGroup {
    /// The day (UTC).
    pub date: NaiveDate,
    /// The reply code; absent when no server answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    /// RFC 3463 enhanced status, e.g. `4.4.2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enhanced_status: Option<String>,
    #[schema(value_type = crate::schema::AttemptCategory)]
    pub category: String,
    /// The recipients' domain.
    pub domain: String,
    pub attempts: u32,
    /// Distinct sends refused.
    pub sends: u32,
    /// Of those, sent on a later try.
    pub sends_sent_later: u32,
    /// Attempts to the same domain accepted that day.
    pub accepted_same_day: u32,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// The latest answer's words.
    pub example: String,
    /// `intermittent` when the domain took other mail that day or these sends went out
    /// later; `persistent` when nothing got through.
    pub pattern: ErrorPattern,
    /// For connection and routing trouble (`4.4.x`, or the categories `bad_connection` and
    /// `routing`): the diagnosis to run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnose: Option<DiagnoseLink>,
}

/// A mailbox's send errors over a range of days.
#[derive(Debug, Serialize, ToSchema)]
pub struct SendErrors {
    pub mailbox_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Newest day first, then the biggest groups.
    pub groups: Vec<SendErrorGroup>,
}

fn link(g: &ErrorGroup, smtp_host: &str, smtp_port: i32) -> Option<DiagnoseLink> {
    if !g.is_connection_trouble() {
        return None;
    }
    let body = match g.code {
        Some(c) if c > 0 => serde_json::json!({"domain": g.domain}),
        _ => serde_json::json!({"host": smtp_host, "port": smtp_port}),
    };
    Some(DiagnoseLink {
        method: "POST".into(),
        href: "/v1/diagnostics/smtp".into(),
        body,
    })
}

/// Send errors grouped by day, code, category and destination.
///
/// Every refused attempt (`deferred` or `failed`) of the mailbox's sends between `from` and
/// `to`, grouped per day by enhanced status, category and recipient domain. A group is
/// `intermittent` when that domain accepted other mail the same day or the refused sends went
/// out on a later try, `persistent` otherwise. Groups of `4.4.x` errors carry the diagnosis
/// request that explains them.
#[utoipa::path(
    tag = "warmup",
    operation_id = "listMailboxSendErrors",
    params(("id" = Uuid, Path, description = "Mailbox id"), ErrorsQuery),
    responses((status = 200, description = "The groups of refused attempts", body = SendErrors)),
    security(("api_key" = []))
)]
#[get("/mailboxes/{id}/errors")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ErrorsQuery>,
) -> Result<web::Json<SendErrors>, ApiError> {
    let mailbox = mailboxes::get(&state.db, caller.org, *id)
        .await?
        .ok_or(ApiError::NotFound("mailbox"))?;
    let today = state.clock.now().date_naive();
    let (from, to) = report_days(query.from.as_deref(), query.to.as_deref(), today)?;
    let attempts = send_queue::attempts_between(&state.db, caller.org, *id, from, to).await?;
    let groups = group(&attempts)
        .into_iter()
        .map(|g| SendErrorGroup {
            diagnose: link(&g, &mailbox.smtp_host, mailbox.smtp_port),
            date: g.date,
            code: g.code,
            enhanced_status: g.enhanced,
            category: g.category,
            domain: g.domain,
            attempts: g.attempts,
            sends: g.sends,
            sends_sent_later: g.sends_sent_later,
            accepted_same_day: g.accepted_same_day,
            first_at: g.first_at,
            last_at: g.last_at,
            example: g.example,
            pattern: g.pattern,
        })
        .collect();
    Ok(web::Json(SendErrors {
        mailbox_id: *id,
        from,
        to,
        groups,
    }))
}
