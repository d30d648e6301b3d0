//! The daily plan of one mailbox: how many messages, to which seeds, at what times. Pure: the
//! caller passes the seeds it may use, the day's send windows and `now`, and stores the result.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::seq::SliceRandom;

use crate::pattern::spread_times;
use crate::preferences::{WarmupPreferences, day_noise};
use crate::provider::Provider;
use crate::split::{Carry, allocate};

/// One send of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSend<S> {
    pub seed: S,
    pub provider: Provider,
    pub at: DateTime<Utc>,
}

/// What a day's plan decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOutcome<S> {
    /// The ramp's count for the day (before any shortfall).
    pub count: u32,
    pub sends: Vec<PlannedSend<S>>,
    /// The split remainders after this day.
    pub carry: Carry,
    /// Sends the split asked of a provider that has too few seeds (none are sent elsewhere).
    pub shortfall: BTreeMap<Provider, u32>,
}

/// Everything the plan of one day depends on.
pub struct DayInput<'a, S> {
    pub preferences: &'a WarmupPreferences,
    /// Index of this sending day (0 = the first).
    pub sending_day: u32,
    pub carry: &'a Carry,
    /// Seeds the mailbox may use, per provider.
    pub seeds: &'a BTreeMap<Provider, Vec<S>>,
    /// The rest of the day's send windows, in UTC, already cut at `now`.
    pub windows: &'a [(DateTime<Utc>, DateTime<Utc>)],
    pub min_gap: Duration,
    /// Fixes the day's variance (see [`day_noise`]).
    pub variance_seed: u64,
    pub date: chrono::NaiveDate,
    /// The self-adjusting ramp's decision for the day.
    pub adjustment: &'a crate::auto_adjust::Adjustment,
}

/// The seed of a mailbox's daily variance, from its id (a UUID's 128 bits): fixed, so the
/// schedule's preview and the planner draw the same days.
pub fn variance_seed(mailbox_id: u128) -> u64 {
    let (hi, lo) = ((mailbox_id >> 64) as u64, mailbox_id as u64);
    hi ^ lo.rotate_left(17)
}

/// Plans one day: the ramp's count with its variance, shared by the split (remainders carried),
/// each provider's share sent to distinct seeds (a seed at most once a day), at times spread
/// through the windows.
pub fn plan_day<S: Clone>(input: &DayInput<'_, S>, rng: &mut impl Rng) -> DayOutcome<S> {
    let prefs = input.preferences;
    let count = input.adjustment.apply(prefs.ramp.volume(
        input.sending_day,
        day_noise(input.variance_seed, input.date),
    ));
    let (per_provider, carry) = allocate(count, &prefs.effective_split(), input.carry);
    let mut chosen: Vec<(S, Provider)> = Vec::new();
    let mut shortfall = BTreeMap::new();
    for (provider, wanted) in per_provider {
        let mut pool: Vec<S> = input.seeds.get(&provider).cloned().unwrap_or_default();
        pool.shuffle(rng);
        let take = (wanted as usize).min(pool.len());
        if take < wanted as usize {
            shortfall.insert(provider, wanted - take as u32);
        }
        chosen.extend(pool.into_iter().take(take).map(|s| (s, provider)));
    }
    chosen.shuffle(rng);
    let times = spread_times(input.windows, chosen.len() as u32, input.min_gap, rng);
    let sends = chosen
        .into_iter()
        .zip(times)
        .map(|((seed, provider), at)| PlannedSend { seed, provider, at })
        .collect();
    DayOutcome {
        count,
        sends,
        carry,
        shortfall,
    }
}

/// Cuts send windows at `now`: only what is left of the day can still be used.
pub fn remaining_windows(
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    windows
        .iter()
        .filter(|(_, end)| *end > now)
        .map(|(start, end)| ((*start).max(now), *end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ramp::Ramp;
    use crate::split::ProviderSplit;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn at(h: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .map(|d| d.and_utc())
            .unwrap_or_default()
    }

    fn prefs(start: u32) -> WarmupPreferences {
        WarmupPreferences {
            ramp: Ramp {
                start_per_day: start,
                max_per_day: 50,
                daily_variance_percent: 0,
                ..Ramp::default()
            },
            provider_split: ProviderSplit::parse(
                &[(Provider::Gmail, 50), (Provider::Outlook, 50)].into(),
            )
            .ok(),
            ..WarmupPreferences::default()
        }
    }

    #[test]
    fn each_seed_at_most_once_shares_by_split_and_times_in_windows() {
        let seeds: BTreeMap<Provider, Vec<u32>> = [
            (Provider::Gmail, (0..10).collect()),
            (Provider::Outlook, (100..110).collect()),
        ]
        .into();
        let p = prefs(8);
        let windows = vec![(at(9), at(12)), (at(13), at(17))];
        let input = DayInput {
            preferences: &p,
            sending_day: 0,
            carry: &Carry::new(),
            seeds: &seeds,
            windows: &windows,
            min_gap: Duration::minutes(4),
            variance_seed: 1,
            date: at(0).date_naive(),
            adjustment: &crate::auto_adjust::Adjustment::off(),
        };
        let out = plan_day(&input, &mut StdRng::seed_from_u64(3));
        assert_eq!(out.count, 8);
        assert_eq!(out.sends.len(), 8);
        let mut ids: Vec<u32> = out.sends.iter().map(|s| s.seed).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 8, "no seed twice");
        let gmail = out
            .sends
            .iter()
            .filter(|s| s.provider == Provider::Gmail)
            .count();
        assert_eq!(gmail, 4);
        assert!(
            out.sends
                .iter()
                .all(|s| windows.iter().any(|(a, b)| s.at >= *a && s.at < *b))
        );
        assert!(out.shortfall.is_empty());
    }

    #[test]
    fn a_provider_without_enough_seeds_is_short_not_redirected() {
        let seeds: BTreeMap<Provider, Vec<u32>> =
            [(Provider::Gmail, vec![1, 2]), (Provider::Outlook, vec![])].into();
        let p = prefs(10);
        let windows = vec![(at(9), at(17))];
        let input = DayInput {
            preferences: &p,
            sending_day: 0,
            carry: &Carry::new(),
            seeds: &seeds,
            windows: &windows,
            min_gap: Duration::minutes(4),
            variance_seed: 1,
            date: at(0).date_naive(),
            adjustment: &crate::auto_adjust::Adjustment::off(),
        };
        let out = plan_day(&input, &mut StdRng::seed_from_u64(3));
        assert_eq!(out.sends.len(), 2);
        assert!(out.sends.iter().all(|s| s.provider == Provider::Gmail));
        assert_eq!(out.shortfall.get(&Provider::Gmail), Some(&3));
        assert_eq!(out.shortfall.get(&Provider::Outlook), Some(&5));
    }

    #[test]
    fn windows_are_cut_at_now() {
        let w = vec![(at(9), at(12)), (at(13), at(17))];
        assert_eq!(remaining_windows(&w, at(14)), vec![(at(14), at(17))]);
        assert_eq!(remaining_windows(&w, at(8)), w);
        assert!(remaining_windows(&w, at(18)).is_empty());
    }
}
