//! Turns running warmups into planned sends, one day at a time per mailbox, in the mailbox's
//! time zone. A day is planned once: the day row and its sends are written in one transaction
//! that a second planner loses.

use std::collections::{BTreeSet, HashSet};

use chrono::Duration;
use rand::Rng;
use rand::seq::IndexedRandom;
use sea_orm::DatabaseConnection;
use warmup_domain::auto_adjust::{Adjustment, Mode, SendingDay, decide};
use warmup_domain::content::compose_unique;
use warmup_domain::email::{first_name, new_message_id};
use warmup_domain::language::Language;
use warmup_domain::pattern::windows_on;
use warmup_domain::plan_date::PlanDate;
use warmup_domain::planner::{DayInput, plan_day, remaining_windows};
use warmup_domain::timezone::zone_or_utc;
use warmup_entity::send;
use warmup_entity::store::StoreError;
use warmup_entity::store::plans::{self, NewPlan, PlanTarget};

use warmup_entity::Clock;

/// A send window in UTC.
type Window = (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>);

/// Days stored per transaction: few enough that a round's first days are visible (and sent)
/// while the rest are planned, many enough that a commit is not paid per mailbox.
const DAYS_PER_TRANSACTION: usize = 100;

/// Running warmups read per page: a round holds a page of mailboxes, not all of them.
const TARGETS_PER_PAGE: u64 = 500;

/// Plans today for every running warmup that has no plan for today yet; returns how many days
/// were planned. Mailboxes are read a page at a time in mailbox order; what a page needs (which
/// days are planned, the seeds, which mailboxes have history) is read once for the page, and
/// days are stored a hundred to a transaction.
pub async fn plan_due(
    db: &DatabaseConnection,
    clock: &Clock,
    rng: &mut impl Rng,
) -> Result<u32, StoreError> {
    plan_due_in_pages(db, clock, rng, TARGETS_PER_PAGE).await
}

/// [`plan_due`] with pages of `per_page` warmups (public so that tests can page through a few).
pub async fn plan_due_in_pages(
    db: &DatabaseConnection,
    clock: &Clock,
    rng: &mut impl Rng,
    per_page: u64,
) -> Result<u32, StoreError> {
    Ok(plan_round(db, clock.now(), rng, per_page).await?.planned)
}

/// What a planning round did and saw.
#[derive(Debug, Default)]
struct Round {
    /// Days planned.
    planned: u32,
    /// The zones of the running warmups: a day can next become due where one of them reaches
    /// its next date.
    zones: BTreeSet<String>,
    /// A day was due but not planned (no seed could take its mail): seeds may come back.
    unplanned: bool,
}

impl Round {
    /// When a round could next plan something though no planning row changed: at the next
    /// date of any zone seen, or at the next quarter of an hour while a due day is unplanned;
    /// `None` when no warmup runs.
    fn next(&self, now: chrono::DateTime<chrono::Utc>) -> Option<chrono::DateTime<chrono::Utc>> {
        let dates = self
            .zones
            .iter()
            .map(|zone| warmup_domain::timezone::next_date_start(zone, now));
        let retry = self.unplanned.then(|| next_quarter(now));
        dates.chain(retry).min()
    }
}

async fn plan_round(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
    rng: &mut impl Rng,
    per_page: u64,
) -> Result<Round, StoreError> {
    let mut round = Round::default();
    let mut after = None;
    loop {
        let page = plans::plan_targets(db, after, per_page.max(1)).await?;
        plan_page(db, now, &page.targets, rng, &mut round).await?;
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(round),
        }
    }
}

/// Plans today for the mailboxes of one page.
async fn plan_page(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
    targets: &[PlanTarget],
    rng: &mut impl Rng,
    round: &mut Round,
) -> Result<(), StoreError> {
    for t in targets {
        if !round.zones.contains(&t.mailbox.timezone) {
            round.zones.insert(t.mailbox.timezone.clone());
        }
    }
    // Those that send today and still have today's windows ahead.
    let due: Vec<(&PlanTarget, PlanDate, Vec<Window>)> = targets
        .iter()
        .filter_map(|t| {
            let prefs = &t.warmup.preferences;
            let date = PlanDate::at(&t.mailbox.timezone, now);
            let today = date.date();
            if !prefs.ramp.sends_on(today) {
                return None;
            }
            let tz = zone_or_utc(&t.mailbox.timezone);
            let windows = remaining_windows(&windows_on(&prefs.pattern.params(), today, &tz), now);
            // Today's windows over: the ramp waits for the next sending day.
            (!windows.is_empty()).then_some((t, date, windows))
        })
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let days: Vec<(uuid::Uuid, PlanDate)> =
        due.iter().map(|(t, d, _)| (t.mailbox.id, *d)).collect();
    let planned = plans::planned_among(db, &days).await?;
    let due: Vec<_> = due
        .into_iter()
        .filter(|(t, d, _)| !planned.contains(&(t.mailbox.id, d.to_string())))
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let orgs: BTreeSet<uuid::Uuid> = due
        .iter()
        .map(|(t, _, _)| t.mailbox.organization_id)
        .collect();
    let seeds = plans::seed_pool(db, &orgs).await?;
    let ids: Vec<uuid::Uuid> = due.iter().map(|(t, _, _)| t.mailbox.id).collect();
    let with_history = plans::with_days(db, &ids).await?;
    let mut batch = Vec::new();
    for (target, date, windows) in due {
        let history = with_history.contains(&target.mailbox.id);
        let usable = seeds.usable(&target.mailbox);
        match plan_target(db, now, target, date, &windows, &usable, history, rng).await? {
            Some(plan) => batch.push(plan),
            None => round.unplanned = true,
        }
        if batch.len() >= DAYS_PER_TRANSACTION {
            round.planned += plans::record_plans(db, std::mem::take(&mut batch), now).await?;
        }
    }
    if !batch.is_empty() {
        round.planned += plans::record_plans(db, batch, now).await?;
    }
    Ok(())
}

/// Planning rounds that skip what cannot plan anything: a round reads one fingerprint of the
/// planning rows first, and reads every running warmup only when it changed since the last full
/// round or that round's [`Round::next`] moment has come (a zone's next date, or the next
/// quarter of an hour while a due day could not be planned). A worker idling through the day
/// with thousands of mailboxes reads them once a local day per zone, not every few seconds.
#[derive(Debug, Default)]
pub struct Rounds {
    /// The fingerprint read before the last full round, that round's time, and when a round
    /// could next plan without a row changing.
    last: Option<Last>,
}

#[derive(Debug)]
struct Last {
    print: plans::Fingerprint,
    at: chrono::DateTime<chrono::Utc>,
    next: Option<chrono::DateTime<chrono::Utc>>,
}

/// Seconds in a quarter of an hour.
const QUARTER: i64 = 15 * 60;

impl Rounds {
    /// Plans as [`plan_due`] does, when something may be due.
    pub async fn plan_due(
        &mut self,
        db: &DatabaseConnection,
        clock: &Clock,
        rng: &mut impl Rng,
    ) -> Result<u32, StoreError> {
        let now = clock.now();
        let print = plans::fingerprint(db).await?;
        if let Some(last) = &self.last
            && last.print == print
            // A clock set back is a date that may not have been planned.
            && now >= last.at
            && last.next.is_none_or(|next| now < next)
        {
            return Ok(0);
        }
        let round = plan_round(db, now, rng, TARGETS_PER_PAGE).await?;
        // The fingerprint from before: a change made while this round ran, and this round's
        // own writes, make the next round a full one.
        self.last = Some(Last {
            print,
            at: now,
            next: round.next(now),
        });
        Ok(round.planned)
    }

    /// When the next full round is due at the latest, without a row changing: `None` when the
    /// last full round saw no running warmup; `now` before the first.
    pub fn next_full_round(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        match &self.last {
            Some(last) => last.next,
            None => Some(now),
        }
    }
}

/// The next quarter of an hour after `now`.
fn next_quarter(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    let next = (now.timestamp().div_euclid(QUARTER) + 1) * QUARTER;
    chrono::DateTime::from_timestamp(next, 0).unwrap_or(now)
}

/// One mailbox's day, planned but not stored; `None` when no seed can take today's mail.
#[allow(clippy::too_many_arguments)]
async fn plan_target(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
    target: &PlanTarget,
    date: PlanDate,
    windows: &[Window],
    seeds: &std::collections::BTreeMap<warmup_domain::Provider, Vec<plans::SeedRef>>,
    history: bool,
    rng: &mut impl Rng,
) -> Result<Option<NewPlan>, StoreError> {
    let mailbox = &target.mailbox;
    let prefs = &target.warmup.preferences;
    let today = date.date();
    let params = prefs.pattern.params();
    let thresholds = prefs.auto_adjust.thresholds();
    let lookback = u64::try_from(thresholds.lookback()).unwrap_or(4);
    let recent = if history {
        plans::recent_days(db, mailbox.id, lookback).await?
    } else {
        Vec::new()
    };
    let (previous, previous_cap) = recent
        .last()
        .map_or((Mode::Ramping, None), |(day, _)| plans::day_mode(day));
    let adjustment = if prefs.auto_adjust.enabled {
        let days: Vec<SendingDay> = recent.iter().map(|(_, d)| *d).collect();
        decide(previous, previous_cap, &days, &thresholds)
    } else {
        Adjustment::off()
    };
    let input = DayInput {
        preferences: prefs,
        sending_day: target.warmup.sending_days,
        carry: &target.warmup.carry,
        seeds,
        windows,
        min_gap: Duration::minutes(i64::from(params.min_gap_minutes)),
        variance_seed: target.variance_seed,
        date: today,
        adjustment: &adjustment,
    };
    let outcome = plan_day(&input, rng);
    if outcome.sends.is_empty() {
        // No seed can take today's mail: nothing is planned and the ramp does not advance.
        return Ok(None);
    }
    let mut used = HashSet::new();
    let rows = outcome
        .sends
        .into_iter()
        .map(|p| {
            let language = prefs
                .languages
                .choose(rng)
                .copied()
                .unwrap_or_else(Language::english);
            let recipient = first_name(&p.seed.email);
            let draft = compose_unique(language, &mailbox.display_name, &recipient, &mut used, rng);
            send::Model::planned(
                send::Draft {
                    organization_id: mailbox.organization_id,
                    mailbox_id: mailbox.id,
                    seed_id: Some(p.seed.id),
                    seed_email: p.seed.email,
                    provider: p.provider.as_str().to_string(),
                    plan_date: date.to_string(),
                    message_id: new_message_id(&mailbox.email, rng),
                    language: language.code().to_string(),
                    subject: draft.subject,
                    body: draft.body,
                },
                p.at,
                now,
            )
        })
        .collect();
    let sending_day = target.warmup.sending_days;
    let plan = NewPlan {
        mailbox_id: mailbox.id,
        organization_id: mailbox.organization_id,
        email: mailbox.email.clone(),
        date,
        sending_day,
        next_sending_day: adjustment.next_sending_day(sending_day),
        count: outcome.count,
        carry: outcome.carry,
        sends: rows,
        changed_from: (!recent.is_empty() && adjustment.differs_from(previous, previous_cap))
            .then_some((previous, previous_cap)),
        adjustment,
    };
    if !outcome.shortfall.is_empty() {
        tracing::warn!(mailbox = %mailbox.id, shortfall = ?outcome.shortfall, "providers without enough seeds");
    }
    Ok(Some(plan))
}
