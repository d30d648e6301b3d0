//! Turns running warmups into planned sends, one day at a time per mailbox, in the mailbox's
//! time zone. A day is planned once: the day row and its sends are written in one transaction
//! that a second planner loses.

use std::collections::HashSet;

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

/// Plans today for every running warmup that has no plan for today yet; returns how many days
/// were planned.
pub async fn plan_due(
    db: &DatabaseConnection,
    clock: &Clock,
    rng: &mut impl Rng,
) -> Result<u32, StoreError> {
    let mut planned = 0;
    for target in plans::plan_targets(db).await? {
        if plan_target(db, clock, &target, rng).await? {
            planned += 1;
        }
    }
    Ok(planned)
}

async fn plan_target(
    db: &DatabaseConnection,
    clock: &Clock,
    target: &PlanTarget,
    rng: &mut impl Rng,
) -> Result<bool, StoreError> {
    let mailbox = &target.mailbox;
    let prefs = &target.warmup.preferences;
    let tz = zone_or_utc(&mailbox.timezone);
    let now = clock.now();
    let date = PlanDate::at(&mailbox.timezone, now);
    let today = date.date();
    if !prefs.ramp.sends_on(today) || plans::day_planned(db, mailbox.id, date).await? {
        return Ok(false);
    }
    let params = prefs.pattern.params();
    let windows = remaining_windows(&windows_on(&params, today, &tz), now);
    if windows.is_empty() {
        // Today's windows are over: the ramp waits for the next sending day.
        return Ok(false);
    }
    let seeds = plans::usable_seeds(db, mailbox).await?;
    let thresholds = prefs.auto_adjust.thresholds();
    let lookback = u64::try_from(thresholds.lookback()).unwrap_or(4);
    let recent = plans::recent_days(db, mailbox.id, lookback).await?;
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
        seeds: &seeds,
        windows: &windows,
        min_gap: Duration::minutes(i64::from(params.min_gap_minutes)),
        variance_seed: target.variance_seed,
        date: today,
        adjustment: &adjustment,
    };
    let outcome = plan_day(&input, rng);
    if outcome.sends.is_empty() {
        // No seed can take today's mail: nothing is planned and the ramp does not advance.
        return Ok(false);
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
    let stored = plans::record_plan(db, plan, now).await?;
    if stored && !outcome.shortfall.is_empty() {
        tracing::warn!(mailbox = %mailbox.id, shortfall = ?outcome.shortfall, "providers without enough seeds");
    }
    Ok(stored)
}
