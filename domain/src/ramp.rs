//! Ramp-up: how many warmup messages a mailbox sends on its n-th sending day. Days are counted
//! in sending days, not calendar days, so a pause or a skipped weekday never jumps the volume.

use chrono::NaiveDate;

use crate::violations::Violations;
use crate::weekday::Day;

/// Hard limits, so that a typo cannot turn warmup into a spam run.
pub const MAX_PER_DAY_LIMIT: u32 = 500;
pub const MAX_DAILY_INCREASE: u32 = 50;
pub const MAX_VARIANCE_PERCENT: u32 = 50;

/// A validated ramp.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ramp {
    pub start_per_day: u32,
    pub daily_increase: u32,
    pub max_per_day: u32,
    /// Days of the week on which mail is sent.
    pub weekdays: Vec<Day>,
    pub daily_variance_percent: u32,
}

impl Default for Ramp {
    /// Field defaults: start at 3, add 2 a day, level off at 40, every day, ±20 %.
    fn default() -> Self {
        Self {
            start_per_day: 3,
            daily_increase: 2,
            max_per_day: 40,
            weekdays: Day::ALL.to_vec(),
            daily_variance_percent: 20,
        }
    }
}

impl Ramp {
    /// Checks a ramp against the hard limits, recording each problem under `prefix`.
    pub fn validate(&self, prefix: &str, v: &mut Violations) {
        let f = |name: &str| format!("{prefix}{name}");
        if !(1..=MAX_PER_DAY_LIMIT).contains(&self.max_per_day) {
            v.add(
                f("max_per_day"),
                format!("must be from 1 to {MAX_PER_DAY_LIMIT}"),
            );
        }
        if self.start_per_day < 1 || self.start_per_day > self.max_per_day.max(1) {
            v.add(
                f("start_per_day"),
                "must be at least 1 and at most max_per_day",
            );
        }
        if self.daily_increase > MAX_DAILY_INCREASE {
            v.add(
                f("daily_increase"),
                format!("must be from 0 to {MAX_DAILY_INCREASE}"),
            );
        }
        if self.weekdays.is_empty() {
            v.add(f("weekdays"), "must name at least one day");
        }
        if self.daily_variance_percent > MAX_VARIANCE_PERCENT {
            v.add(
                f("daily_variance_percent"),
                format!("must be from 0 to {MAX_VARIANCE_PERCENT}"),
            );
        }
    }

    /// True when mail goes out on `date`.
    pub fn sends_on(&self, date: NaiveDate) -> bool {
        self.weekdays.contains(&Day::of(date))
    }

    /// The planned volume of sending day `n` (0 = the first), before variance.
    pub fn base_volume(&self, n: u32) -> u32 {
        self.start_per_day
            .saturating_add(self.daily_increase.saturating_mul(n))
            .min(self.max_per_day)
    }

    /// The volume of sending day `n` with variance: `noise` in [-1, 1] scales the day by up
    /// to ± `daily_variance_percent`. Never below 1, never above `max_per_day`.
    pub fn volume(&self, n: u32, noise: f64) -> u32 {
        let base = f64::from(self.base_volume(n));
        let spread = base * f64::from(self.daily_variance_percent) / 100.0;
        let varied = (base + spread * noise.clamp(-1.0, 1.0)).round();
        // Bounded by max_per_day (≤ 500), so the conversion cannot truncate.
        let varied = varied.clamp(1.0, f64::from(self.max_per_day)) as u32;
        varied.clamp(1, self.max_per_day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ramps_up_by_sending_day_and_levels_off_at_the_cap() {
        let r = Ramp::default();
        assert_eq!(r.base_volume(0), 3);
        assert_eq!(r.base_volume(1), 5);
        assert_eq!(r.base_volume(18), 39);
        assert_eq!(r.base_volume(19), 40);
        assert_eq!(r.base_volume(400), 40);
        assert_eq!(r.base_volume(u32::MAX), 40);
    }

    #[test]
    fn validation_names_each_bad_field() {
        let r = Ramp {
            start_per_day: 0,
            daily_increase: 99,
            max_per_day: 9999,
            weekdays: vec![],
            daily_variance_percent: 80,
        };
        let mut v = Violations::new();
        r.validate("ramp.", &mut v);
        let fields: Vec<String> = v.into_vec().into_iter().map(|x| x.field).collect();
        assert_eq!(
            fields,
            [
                "ramp.max_per_day",
                "ramp.start_per_day",
                "ramp.daily_increase",
                "ramp.weekdays",
                "ramp.daily_variance_percent"
            ]
        );
        let mut ok = Violations::new();
        Ramp::default().validate("", &mut ok);
        assert!(ok.is_empty());
    }

    #[test]
    fn only_listed_weekdays_send() {
        let r = Ramp {
            weekdays: vec![Day::Mon],
            ..Ramp::default()
        };
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        assert!(r.sends_on(monday));
        assert!(!r.sends_on(monday.succ_opt().unwrap_or_default()));
    }

    proptest! {
        #[test]
        fn ninety_days_never_exceed_the_cap_nor_jump_after_pauses(
            start in 1u32..20,
            inc in 0u32..10,
            cap in 20u32..100,
            variance in 0u32..=50,
            noise in proptest::collection::vec(-1.0f64..=1.0, 90),
            paused in proptest::collection::vec(any::<bool>(), 90),
        ) {
            let r = Ramp { start_per_day: start, daily_increase: inc, max_per_day: cap, daily_variance_percent: variance, ..Ramp::default() };
            let mut sending_day = 0u32;
            let mut last_base = 0u32;
            for day in 0..90 {
                if paused[day] {
                    continue; // a paused calendar day does not count as a sending day
                }
                let base = r.base_volume(sending_day);
                prop_assert!(base <= cap);
                prop_assert!(base <= last_base.max(start.min(cap)) + inc, "jumped from {last_base} to {base}");
                let v = r.volume(sending_day, noise[day]);
                prop_assert!((1..=cap).contains(&v));
                last_base = base;
                sending_day += 1;
            }
        }
    }
}
