//! Seed-list splits: an organization's slice of the seed pool for its own campaigns, the
//! senders it approved, the addresses to put into a campaign, and where that campaign landed.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use warmup_domain::engagement::Action;
use warmup_domain::pattern::Pattern;
use warmup_domain::placement::{PlacementClass, Rates};
use warmup_domain::plan_date::utc_start;
use warmup_domain::seed_split::{
    DEFAULT_EXPIRY_DAYS, DEFAULT_ROTATION_DAYS, MAX_SEEDS_PER_SPLIT, MAX_SENDERS_PER_SPLIT,
    SeedListSummary, SenderPattern, SplitEngagement, summarize,
};
use warmup_domain::{Provider, SeedGroup, Violations};
use warmup_entity::seed_list_message;
use warmup_entity::store::seed_list::{self, MessageFilter};
use warmup_entity::store::seed_splits::{self, NewSplit, SplitChange, SplitFilter, SplitView};

use crate::auth::Caller;
use crate::csv_out::{self, ResponseFormat};
use crate::error::{ApiError, ConflictError, ForbiddenError};
use crate::idempotency;
use crate::json_body::Body;
use crate::pagination::PageQuery;
use crate::routes::placements::{parse_day, report_days};
use crate::state::AppState;

/// What a split's seeds do with its mail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Engagement {
    /// Move mail out of spam and category folders into the inbox.
    pub rescue: bool,
    /// Mark mail read.
    pub open: bool,
    /// Mark mail important (flagged, starred).
    pub mark_important: bool,
    /// Percent of opened messages answered, to their `Reply-To` (else `From`). Replies to real
    /// campaigns reach real people: 0 unless asked.
    pub reply_percent: u32,
    /// The human pace of the seeds' actions.
    pub pattern: Pattern,
}

impl From<SplitEngagement> for Engagement {
    fn from(e: SplitEngagement) -> Self {
        Self {
            rescue: e.rescue,
            open: e.open,
            mark_important: e.mark_important,
            reply_percent: e.reply_percent,
            pattern: e.pattern,
        }
    }
}

/// Engagement settings to change; what is left out stays (defaults on creation: rescue, open
/// and mark important on, no replies, `b2b`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EngagementInput {
    pub rescue: Option<bool>,
    pub open: Option<bool>,
    pub mark_important: Option<bool>,
    /// 0 to 100.
    #[schema(minimum = 0, maximum = 100)]
    pub reply_percent: Option<u32>,
    pub pattern: Option<Pattern>,
}

impl EngagementInput {
    fn apply(&self, mut e: SplitEngagement, field: &str, v: &mut Violations) -> SplitEngagement {
        if let Some(x) = self.rescue {
            e.rescue = x;
        }
        if let Some(x) = self.open {
            e.open = x;
        }
        if let Some(x) = self.mark_important {
            e.mark_important = x;
        }
        if let Some(x) = self.reply_percent {
            if x > 100 {
                v.add(format!("{field}.reply_percent"), "must be from 0 to 100");
            }
            e.reply_percent = x.min(100);
        }
        if let Some(x) = self.pattern {
            e.pattern = x;
        }
        e
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "provider": "gmail",
    "group": "standard",
    "seeds_amount": 10,
    "senders": ["news@acme.example", "@mail.acme.example"],
    "engagement": {"reply_percent": 0}
}))]
pub struct CreateSeedSplit {
    pub provider: Provider,
    /// `standard` (default) or `premium`.
    pub group: Option<SeedGroup>,
    /// 1 to 500 seeds.
    #[schema(minimum = 1, maximum = 500)]
    pub seeds_amount: i64,
    /// Approved senders: addresses, or whole domains as `@example.com` (not free-mail
    /// domains such as `@gmail.com`).
    pub senders: Option<Vec<String>>,
    pub engagement: Option<EngagementInput>,
    /// Days between two rotations (default 30, 1 to 365).
    #[schema(minimum = 1, maximum = 365)]
    pub rotation_days: Option<i64>,
    /// When the split ends (default in 365 days); its seeds then go back to the pool.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"add": ["offers@acme.example"], "remove": ["@mail.acme.example"]}))]
pub struct UpdateSeedSplit {
    /// Senders to approve; approving one already approved changes nothing.
    pub add: Option<Vec<String>>,
    /// Senders to withdraw; withdrawing one not approved changes nothing.
    pub remove: Option<Vec<String>>,
    pub engagement: Option<EngagementInput>,
}

/// A split: seeds of one provider and group given to the organization for its campaigns.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01939d2e-6f3a-7c1e-9b2a-4d5e6f708192",
    "organization_id": "01939d2e-1111-7c1e-9b2a-4d5e6f708192",
    "provider": "gmail",
    "group": "standard",
    "seeds_amount": 10,
    "possible_senders_amount": 100,
    "added_senders_amount": 2,
    "senders": ["@mail.acme.example", "news@acme.example"],
    "last_download": "2026-12-04T09:30:00Z",
    "last_updated": "2026-12-04T09:00:00Z",
    "expires_at": "2027-12-04T09:00:00Z",
    "next_rotation": "2027-01-03T09:00:00Z",
    "rotation_days": 30,
    "refreshed_at": null,
    "engagement": {"rescue": true, "open": true, "mark_important": true, "reply_percent": 0, "pattern": "b2b"},
    "created_at": "2026-12-04T09:00:00Z"
}))]
pub struct SeedSplit {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub provider: Provider,
    pub group: SeedGroup,
    /// Seeds the split has now.
    pub seeds_amount: u32,
    /// Senders the split may approve.
    pub possible_senders_amount: u32,
    pub added_senders_amount: u32,
    /// Approved senders, sorted.
    pub senders: Vec<String>,
    /// When the addresses were last downloaded.
    pub last_download: Option<DateTime<Utc>>,
    pub last_updated: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub next_rotation: DateTime<Utc>,
    pub rotation_days: u32,
    /// When seeds were last replaced by a rotation.
    pub refreshed_at: Option<DateTime<Utc>>,
    pub engagement: Engagement,
    pub created_at: DateTime<Utc>,
}

crate::page_of!(
    /// Seed-list splits, one page.
    SeedSplitPage,
    SeedSplit
);

impl SeedSplit {
    fn from_view(v: SplitView) -> Result<Self, ApiError> {
        let s = v.split;
        let corrupt = |what: &str| ApiError::Internal(format!("split {} has a bad {what}", s.id));
        Ok(Self {
            id: s.id,
            organization_id: s.organization_id,
            provider: s.provider.parse().map_err(|_| corrupt("provider"))?,
            group: SeedGroup::parse(&s.seed_group).ok_or_else(|| corrupt("group"))?,
            seeds_amount: v.seeds,
            possible_senders_amount: MAX_SENDERS_PER_SPLIT,
            added_senders_amount: u32::try_from(v.senders.len()).unwrap_or(u32::MAX),
            engagement: seed_list::engagement_of(&s).into(),
            senders: v.senders,
            last_download: s.last_download,
            last_updated: s.updated_at,
            expires_at: s.expires_at,
            next_rotation: s.next_rotation,
            rotation_days: u32::try_from(s.rotation_days).unwrap_or(0),
            refreshed_at: s.refreshed_at,
            created_at: s.created_at,
        })
    }
}

/// Parses sender patterns, reporting each bad one at `field[i]`, and refuses those that are
/// seeds themselves (a seed's mail to another seed is warmup, not a campaign).
async fn parse_senders(
    state: &AppState,
    caller: &Caller,
    raw: &[String],
    field: &str,
    v: &mut Violations,
) -> Result<Vec<SenderPattern>, ApiError> {
    if raw.len() > MAX_SENDERS_PER_SPLIT as usize {
        // Refused before any is looked up: a long list must not cost a query each.
        v.add(
            field,
            format!("at most {MAX_SENDERS_PER_SPLIT} senders per split"),
        );
        return Ok(Vec::new());
    }
    let parsed: Vec<(usize, SenderPattern)> = raw
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            Some((
                i,
                v.check(&format!("{field}[{i}]"), SenderPattern::parse(s))?,
            ))
        })
        .collect();
    let patterns: Vec<SenderPattern> = parsed.iter().map(|(_, p)| p.clone()).collect();
    for at in seed_splits::seed_senders(&state.db, caller.org, &patterns).await? {
        v.add(
            format!("{field}[{}]", parsed[at].0),
            "is a seed's own address or domain: seeds do not take part in campaigns",
        );
    }
    Ok(patterns)
}

async fn find(state: &AppState, caller: &Caller, id: Uuid) -> Result<SplitView, ApiError> {
    seed_splits::get(&state.db, caller.org, id)
        .await?
        .ok_or(ApiError::NotFound("seed split"))
}

/// Request a split of the seed pool: the least shared seeds of the provider and group, none
/// already in `WARMUP_SEED_MAX_SPLITS` splits (`409` `not_enough_seeds` with `available`
/// otherwise). Senders are addresses or whole domains as `@example.com`; a free-mail domain,
/// a seed's own address or domain, more than 100 senders, or an `expires_at` that is not in
/// the future are a `422`.
#[utoipa::path(
    tag = "seed-splits",
    operation_id = "createSeedSplit",
    request_body = CreateSeedSplit,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    responses(
        (status = 201, description = "The new split", body = SeedSplit),
        ConflictError
    ),
    security(("api_key" = []))
)]
#[post("/seed-splits")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Body<CreateSeedSplit>,
) -> Result<HttpResponse, ApiError> {
    idempotency::once(
        &state,
        &caller,
        &req,
        &body.digest,
        StatusCode::CREATED,
        || async {
            let input = &body.value;
            let now = state.clock.now();
            let mut v = Violations::new();
            let amount = u32::try_from(input.seeds_amount)
                .ok()
                .filter(|a| (1..=MAX_SEEDS_PER_SPLIT).contains(a));
            if amount.is_none() {
                v.add(
                    "seeds_amount",
                    format!("must be a whole number from 1 to {MAX_SEEDS_PER_SPLIT}"),
                );
            }
            let raw = input.senders.clone().unwrap_or_default();
            let mut senders = parse_senders(&state, &caller, &raw, "senders", &mut v).await?;
            senders.sort_by_key(ToString::to_string);
            senders.dedup();
            let engagement = input
                .engagement
                .as_ref()
                .map_or_else(SplitEngagement::default, |e| {
                    e.apply(SplitEngagement::default(), "engagement", &mut v)
                });
            let rotation_days = match input.rotation_days {
                None => Some(DEFAULT_ROTATION_DAYS),
                Some(d) => v.check(
                    "rotation_days",
                    u32::try_from(d)
                        .ok()
                        .filter(|d| (1..=365).contains(d))
                        .ok_or("must be a whole number of days from 1 to 365"),
                ),
            };
            let expires_at = input
                .expires_at
                .unwrap_or(now + Duration::days(i64::from(DEFAULT_EXPIRY_DAYS)));
            if expires_at <= now {
                v.add("expires_at", "must be in the future");
            }
            let (Some(amount), Some(rotation_days)) = (amount, rotation_days) else {
                return Err(ApiError::Validation(v.into_vec()));
            };
            if !v.is_empty() {
                return Err(ApiError::Validation(v.into_vec()));
            }
            let new = NewSplit {
                provider: input.provider.as_str().to_string(),
                group: input
                    .group
                    .unwrap_or(SeedGroup::Standard)
                    .as_str()
                    .to_string(),
                amount,
                senders,
                engagement,
                rotation_days,
                expires_at,
            };
            let view = seed_splits::create(
                &state.db,
                caller.org,
                new,
                state.settings.seed_max_splits,
                now,
            )
            .await?;
            SeedSplit::from_view(view)
        },
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only splits of this provider.
    #[param(value_type = Option<Provider>)]
    pub provider: Option<String>,
    /// Only splits of this group.
    #[param(value_type = Option<SeedGroup>)]
    pub group: Option<String>,
    /// Every organization's splits (platform administrators only).
    #[param(value_type = Option<bool>)]
    pub all: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next` value of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
}

pub(crate) fn merge_page(
    limit: Option<String>,
    after: Option<String>,
    v: &mut Violations,
) -> Option<warmup_entity::store::page::PageRequest> {
    match (PageQuery { limit, after }).parse() {
        Ok(p) => Some(p),
        Err(ApiError::Validation(errors)) => {
            for e in errors {
                v.add(e.field, e.message);
            }
            None
        }
        Err(_) => None,
    }
}

fn parse_provider(raw: Option<&str>, v: &mut Violations) -> Option<Option<String>> {
    match raw {
        None => Some(None),
        Some(raw) => v
            .check(
                "provider",
                raw.parse::<Provider>().map_err(|_| {
                    format!(
                        "must be one of {}",
                        Provider::ALL.map(Provider::as_str).join(", ")
                    )
                }),
            )
            .map(|p| Some(p.as_str().to_string())),
    }
}

/// List the organization's splits, oldest first.
#[utoipa::path(
    tag = "seed-splits",
    operation_id = "listSeedSplits",
    params(ListQuery),
    responses((status = 200, description = "One page of splits", body = SeedSplitPage), ForbiddenError),
    security(("api_key" = []))
)]
#[get("/seed-splits")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListQuery>,
) -> Result<web::Json<SeedSplitPage>, ApiError> {
    let q = query.into_inner();
    let mut v = Violations::new();
    let provider = parse_provider(q.provider.as_deref(), &mut v);
    let group = match q.group.as_deref() {
        None => Some(None),
        Some(raw) => v
            .check(
                "group",
                SeedGroup::parse(raw).ok_or("must be standard or premium"),
            )
            .map(|g| Some(g.as_str().to_string())),
    };
    let all = match q.all.as_deref() {
        None | Some("false") => Some(false),
        Some("true") => Some(true),
        Some(_) => {
            v.add("all", "must be true or false");
            None
        }
    };
    let page = merge_page(q.limit, q.after, &mut v);
    let (Some(provider), Some(group), Some(all), Some(page)) = (provider, group, all, page) else {
        return Err(ApiError::Validation(v.into_vec()));
    };
    if all {
        caller.require_admin()?;
    }
    let org = (!all).then_some(caller.org);
    let found = seed_splits::list(&state.db, org, &SplitFilter { provider, group }, page).await?;
    let next = found.next;
    let items = found
        .items
        .into_iter()
        .map(SeedSplit::from_view)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(SeedSplitPage { items, next }))
}

/// Get one split.
#[utoipa::path(
    tag = "seed-splits",
    operation_id = "getSeedSplit",
    params(("id" = Uuid, Path, description = "Split id")),
    responses((status = 200, description = "The split", body = SeedSplit)),
    security(("api_key" = []))
)]
#[get("/seed-splits/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<SeedSplit>, ApiError> {
    Ok(web::Json(SeedSplit::from_view(
        find(&state, &caller, *id).await?,
    )?))
}

/// Approve and withdraw senders, or change the engagement. Senders follow the rules of
/// creation, and the split approves at most `possible_senders_amount` (`422` on `add`
/// otherwise); a sender another organization approved on a seed of the split is a `409`.
#[utoipa::path(
    tag = "seed-splits",
    operation_id = "updateSeedSplit",
    params(("id" = Uuid, Path, description = "Split id")),
    request_body = UpdateSeedSplit,
    responses((status = 200, description = "The split as changed", body = SeedSplit), ConflictError),
    security(("api_key" = []))
)]
#[patch("/seed-splits/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Body<UpdateSeedSplit>,
) -> Result<web::Json<SeedSplit>, ApiError> {
    let current = find(&state, &caller, *id).await?;
    let input = body.value;
    let mut v = Violations::new();
    let add = parse_senders(
        &state,
        &caller,
        input.add.as_deref().unwrap_or_default(),
        "add",
        &mut v,
    )
    .await?;
    let remove_raw = input.remove.as_deref().unwrap_or_default();
    if remove_raw.len() > MAX_SENDERS_PER_SPLIT as usize {
        v.add(
            "remove",
            format!("at most {MAX_SENDERS_PER_SPLIT} senders per split"),
        );
    }
    let remove: Vec<SenderPattern> = remove_raw
        .iter()
        .take(MAX_SENDERS_PER_SPLIT as usize)
        .enumerate()
        .filter_map(|(i, s)| v.check(&format!("remove[{i}]"), SenderPattern::parse(s)))
        .collect();
    let mut after: BTreeSet<String> = current.senders.iter().cloned().collect();
    for p in &remove {
        after.remove(&p.to_string());
    }
    for p in &add {
        after.insert(p.to_string());
    }
    if after.len() > MAX_SENDERS_PER_SPLIT as usize {
        v.add(
            "add",
            format!(
                "a split approves at most {MAX_SENDERS_PER_SPLIT} senders \
                 (possible_senders_amount); this would make {}",
                after.len()
            ),
        );
    }
    let engagement = input.engagement.as_ref().map(|e| {
        e.apply(
            seed_list::engagement_of(&current.split),
            "engagement",
            &mut v,
        )
    });
    if !v.is_empty() {
        return Err(ApiError::Validation(v.into_vec()));
    }
    // A sender both withdrawn and approved in one request ends approved.
    let remove = remove.into_iter().filter(|p| !add.contains(p)).collect();
    let change = SplitChange {
        add,
        remove,
        engagement,
    };
    let view = seed_splits::change(&state.db, caller.org, *id, change, state.clock.now())
        .await?
        .ok_or(ApiError::NotFound("seed split"))?;
    Ok(web::Json(SeedSplit::from_view(view)?))
}

/// Delete a split; its seeds go back to the pool and its placements are deleted with it.
#[utoipa::path(
    tag = "seed-splits",
    operation_id = "deleteSeedSplit",
    params(("id" = Uuid, Path, description = "Split id")),
    responses((status = 204, description = "Deleted")),
    security(("api_key" = []))
)]
#[delete("/seed-splits/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    if !seed_splits::delete(&state.db, caller.org, *id).await? {
        return Err(ApiError::NotFound("seed split"));
    }
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AddressesQuery {
    /// `json` (default) or `csv` (`text/csv` with a header row `email,provider`).
    #[param(value_type = Option<ResponseFormat>)]
    pub format: Option<String>,
}

/// A seed address of a split.
#[derive(Debug, Serialize, ToSchema)]
pub struct SplitAddress {
    #[schema(value_type = crate::schema::EmailAddress)]
    pub email: String,
    pub provider: Provider,
}

/// The seed addresses of a split.
#[derive(Debug, Serialize, ToSchema)]
pub struct SplitAddresses {
    pub items: Vec<SplitAddress>,
}

/// The seed addresses to put into a campaign; records the download.
#[utoipa::path(
    tag = "seed-splits",
    operation_id = "getSeedSplitAddresses",
    params(("id" = Uuid, Path, description = "Split id"), AddressesQuery),
    responses((status = 200, description = "The split's current seed addresses",
        content(
            (SplitAddresses = "application/json"),
            (String = "text/csv", example = "email,provider\nseed.anna@gmail.com,gmail\n")
        ))),
    security(("api_key" = []))
)]
#[get("/seed-splits/{id}/addresses")]
pub async fn addresses(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<AddressesQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = ResponseFormat::parse(query.format.as_deref())?;
    let rows = seed_splits::download(&state.db, caller.org, *id, state.clock.now())
        .await?
        .ok_or(ApiError::NotFound("seed split"))?;
    if format == ResponseFormat::Csv {
        let body = csv_out::write(
            Some(&["email", "provider"]),
            rows.iter()
                .map(|r| vec![r.email.as_str(), r.provider.as_str()]),
        )?;
        return Ok(HttpResponse::Ok()
            .content_type(csv_out::CONTENT_TYPE)
            .body(body));
    }
    let items = rows
        .into_iter()
        .map(|r| SplitAddress {
            provider: r.provider.parse().unwrap_or(Provider::Smtp),
            email: r.email,
        })
        .collect();
    Ok(HttpResponse::Ok().json(SplitAddresses { items }))
}

/// Replace part of the split's seeds now (it also happens on its own at `next_rotation`).
/// A seed that leaves is still read for mail already on its way.
#[utoipa::path(
    tag = "seed-splits",
    operation_id = "rotateSeedSplit",
    params(("id" = Uuid, Path, description = "Split id")),
    responses((status = 200, description = "The split after the rotation", body = SeedSplit)),
    security(("api_key" = []))
)]
#[post("/seed-splits/{id}/rotate")]
pub async fn rotate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<web::Json<SeedSplit>, ApiError> {
    let window = state.clock.simulated(state.settings.missing_after);
    let view = seed_splits::rotate(
        &state.db,
        caller.org,
        *id,
        state.settings.seed_max_splits,
        window,
        state.clock.now(),
    )
    .await?
    .ok_or(ApiError::NotFound("seed split"))?;
    Ok(web::Json(SeedSplit::from_view(view)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SplitPlacementsQuery {
    /// Only seeds of this provider.
    #[param(value_type = Option<Provider>)]
    pub provider: Option<String>,
    /// Only this class: `inbox`, `spam`, `category`, `other` or `missing`.
    #[param(value_type = Option<PlacementClass>)]
    pub class: Option<String>,
    /// Only mail from this sender address.
    pub sender: Option<String>,
    /// First day (UTC) of arrival, `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last day (UTC) of arrival, `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next` value of the previous page.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
}

/// `from` and `to` as a time range of UTC days, `to` exclusive.
pub(crate) fn range(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    v: &mut Violations,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        v.add("from", "must not be after `to`");
    }
    (
        from.map(utc_start),
        to.map(|t| utc_start(t) + Duration::days(1)),
    )
}

/// One campaign message at one seed: where it landed and what the seed did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01939d30-0a1b-7c1e-9b2a-4d5e6f708192",
    "seed_email": "seed.anna@gmail.com",
    "provider": "gmail",
    "sender": "news@acme.example",
    "subject": "Winter offers",
    "campaign": "Acme news <news.acme.example>",
    "message_id": "0f3c9a@esp.example",
    "class": "spam",
    "folder": "[Gmail]/Spam",
    "arrived_at": "2026-12-04T10:02:11Z",
    "authentication": {"spf": "pass", "dkim": "pass", "dmarc": "pass"},
    "actions": [
        {"action": "rescue", "at": "2026-12-04T10:40:00Z"},
        {"action": "open", "at": "2026-12-04T10:41:00Z"},
        {"action": "flag", "at": "2026-12-04T10:55:00Z"}
    ],
    "status": "done",
    "last_error": null
}))]
pub struct SeedListPlacement {
    pub id: Uuid,
    #[schema(value_type = crate::schema::EmailAddress)]
    pub seed_email: String,
    pub provider: Provider,
    /// The message's From address.
    pub sender: String,
    pub subject: String,
    /// `List-ID`, else `X-Campaign-ID`, else the subject.
    pub campaign: String,
    /// Without angle brackets; absent for a `missing` record.
    pub message_id: Option<String>,
    pub class: PlacementClass,
    /// The folder it landed in.
    pub folder: Option<String>,
    /// When it arrived at the seed; absent when missing.
    pub arrived_at: Option<DateTime<Utc>>,
    pub authentication: crate::routes::placements::Authentication,
    /// What the seed did, in order: `rescue`, `open`, `flag`, `reply`.
    pub actions: Vec<SeedListAction>,
    pub status: SeedListStatus,
    pub last_error: Option<String>,
}

/// Where a campaign message stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeedListStatus {
    /// The seed still has steps to take (rescue, open, flag, reply).
    Engaging,
    /// Nothing more will happen.
    Done,
}

/// One thing a seed did with a campaign message.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeedListAction {
    /// `rescue`, `open`, `flag` or `reply`.
    pub action: Action,
    pub at: DateTime<Utc>,
}

crate::page_of!(
    /// Placements of a split's campaign mail, one page.
    SeedListPlacementPage,
    SeedListPlacement
);

impl TryFrom<seed_list_message::Model> for SeedListPlacement {
    type Error = ApiError;

    fn try_from(m: seed_list_message::Model) -> Result<Self, ApiError> {
        let class = PlacementClass::parse(&m.class)
            .ok_or_else(|| ApiError::Internal(format!("seed-list row {} has a bad class", m.id)))?;
        let mut actions: Vec<SeedListAction> = [
            (Action::Rescue, m.rescued_at),
            (Action::Open, m.opened_at),
            (Action::Flag, m.flagged_at),
            (Action::Reply, m.replied_at),
        ]
        .into_iter()
        .filter_map(|(action, at)| at.map(|at| SeedListAction { action, at }))
        .collect();
        actions.sort_by_key(|a| a.at);
        Ok(Self {
            id: m.id,
            provider: m.provider.parse().unwrap_or(Provider::Smtp),
            seed_email: m.seed_email,
            sender: m.sender,
            subject: m.subject,
            campaign: m.campaign,
            message_id: m.message_id,
            class,
            folder: m.folder,
            arrived_at: m.arrived_at,
            authentication: crate::routes::placements::Authentication {
                spf: m.spf,
                dkim: m.dkim,
                dmarc: m.dmarc,
            },
            actions,
            status: if m.stage == warmup_domain::state::PlacementStage::Engaging.as_str() {
                SeedListStatus::Engaging
            } else {
                SeedListStatus::Done
            },
            last_error: m.last_error,
        })
    }
}

/// Where the split's campaign mail landed, oldest first.
#[utoipa::path(
    tag = "seed-splits",
    operation_id = "listSeedSplitPlacements",
    params(("id" = Uuid, Path, description = "Split id"), SplitPlacementsQuery),
    responses((status = 200, description = "One page of placements", body = SeedListPlacementPage)),
    security(("api_key" = []))
)]
#[get("/seed-splits/{id}/placements")]
pub async fn placements(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<SplitPlacementsQuery>,
) -> Result<web::Json<SeedListPlacementPage>, ApiError> {
    find(&state, &caller, *id).await?;
    let q = query.into_inner();
    let mut v = Violations::new();
    let provider = parse_provider(q.provider.as_deref(), &mut v);
    let class = match q.class.as_deref() {
        None => Some(None),
        Some(raw) => v
            .check(
                "class",
                PlacementClass::parse(raw)
                    .filter(|c| *c != PlacementClass::Unknown)
                    .ok_or("must be inbox, spam, category, other or missing"),
            )
            .map(Some),
    };
    let from = parse_day(&mut v, "from", q.from.as_deref());
    let to = parse_day(&mut v, "to", q.to.as_deref());
    let page = merge_page(q.limit, q.after, &mut v);
    let (Some(provider), Some(class), Some(from), Some(to), Some(page)) =
        (provider, class, from, to, page)
    else {
        return Err(ApiError::Validation(v.into_vec()));
    };
    let (from, to) = range(from, to, &mut v);
    if !v.is_empty() {
        return Err(ApiError::Validation(v.into_vec()));
    }
    let filter = MessageFilter {
        provider,
        class,
        sender: q.sender,
        from,
        to,
    };
    let found = seed_list::messages(&state.db, *id, &filter, page).await?;
    let next = found.next;
    let items = found
        .items
        .into_iter()
        .map(SeedListPlacement::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(SeedListPlacementPage { items, next }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SplitSummaryQuery {
    /// First day (UTC), `YYYY-MM-DD` (default: 29 days before `to`).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last day (UTC), `YYYY-MM-DD` (default: today). At most 366 days from `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

/// A split's placement rates over a range of days.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeedSplitSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Counts per class; rates are percentages of all placements, missing ones included.
    pub overall: Rates,
    pub providers: BTreeMap<String, Rates>,
    /// Per UTC day of arrival (of the campaign's first arrival for missing mail).
    pub days: BTreeMap<String, Rates>,
    /// Per sender address.
    pub senders: BTreeMap<String, Rates>,
    /// Per campaign: `List-ID`, else `X-Campaign-ID`, else the subject.
    pub campaigns: BTreeMap<String, Rates>,
}

/// Placement rates of the split's campaign mail: overall, per provider, day, sender and
/// campaign.
#[utoipa::path(
    tag = "seed-splits",
    operation_id = "getSeedSplitPlacementSummary",
    params(("id" = Uuid, Path, description = "Split id"), SplitSummaryQuery),
    responses((status = 200, description = "Placement rates", body = SeedSplitSummary)),
    security(("api_key" = []))
)]
#[get("/seed-splits/{id}/placement-summary")]
pub async fn summary(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<SplitSummaryQuery>,
) -> Result<web::Json<SeedSplitSummary>, ApiError> {
    find(&state, &caller, *id).await?;
    let (from, to) = report_days(
        query.from.as_deref(),
        query.to.as_deref(),
        state.clock.now().date_naive(),
    )?;
    let (start, end) = range(Some(from), Some(to), &mut Violations::new());
    let filter = MessageFilter {
        from: start,
        to: end,
        ..MessageFilter::default()
    };
    let rows = seed_list::counts(&state.db, *id, &filter).await?;
    let SeedListSummary {
        overall,
        providers,
        days,
        senders,
        campaigns,
    } = summarize(rows);
    Ok(web::Json(SeedSplitSummary {
        from,
        to,
        overall,
        providers,
        days,
        senders,
        campaigns,
    }))
}
