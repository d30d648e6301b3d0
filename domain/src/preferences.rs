//! A mailbox's warmup preferences: ramp, engagement rates, provider split, pattern and languages,
//! and how partial changes (PATCH, bulk apply) merge into them with every bad field named.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::auto_adjust::Thresholds;
use crate::language::Language;
use crate::pattern::Pattern;
use crate::provider::Provider;
use crate::ramp::Ramp;
use crate::split::{Carry, ProviderSplit, allocate};
use crate::violations::{Violation, Violations};
use crate::weekday::Day;

/// Half of the read mail that is not important is archived, the other half left in the inbox.
pub const DEFAULT_ARCHIVE_PERCENT: u32 = 50;

/// Validated preferences. Serialized as they are stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarmupPreferences {
    pub ramp: Ramp,
    /// Share of opened messages the seeds answer; `None` uses the pattern's default.
    pub reply_rate_percent: Option<u32>,
    /// Share of delivered messages the seeds open; `None` uses the pattern's default.
    // Preferences stored before this field existed must still load.
    #[serde(default)]
    pub open_rate_percent: Option<u32>,
    /// Share of opened messages the seeds mark important; `None` uses the pattern's default.
    #[serde(default)]
    pub important_rate_percent: Option<u32>,
    /// Share of opened messages not marked important that the seeds archive when done with
    /// them; `None` is 50.
    #[serde(default)]
    pub archive_rate_percent: Option<u32>,
    /// `None` uses the pattern's default split.
    pub provider_split: Option<ProviderSplit>,
    pub pattern: Pattern,
    pub languages: Vec<Language>,
    /// Whether the ramp holds or steps back by itself when placement or deliveries go bad.
    // Preferences stored before this field existed get the default (on).
    #[serde(default)]
    pub auto_adjust: AutoAdjust,
}

/// The self-adjusting ramp's switch and its two inbox lines (see [`crate::auto_adjust`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoAdjust {
    pub enabled: bool,
    pub hold_below_inbox_percent: u8,
    pub step_back_below_inbox_percent: u8,
}

impl Default for AutoAdjust {
    fn default() -> Self {
        let t = Thresholds::default();
        Self {
            enabled: true,
            hold_below_inbox_percent: t.hold_below_inbox_percent,
            step_back_below_inbox_percent: t.step_back_below_inbox_percent,
        }
    }
}

impl AutoAdjust {
    /// The thresholds in force: the documented ones with this mailbox's two inbox lines.
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            hold_below_inbox_percent: self.hold_below_inbox_percent,
            step_back_below_inbox_percent: self.step_back_below_inbox_percent,
            ..Thresholds::default()
        }
    }
}

impl Default for WarmupPreferences {
    fn default() -> Self {
        Self {
            ramp: Ramp::default(),
            reply_rate_percent: None,
            open_rate_percent: None,
            important_rate_percent: None,
            archive_rate_percent: None,
            provider_split: None,
            pattern: Pattern::B2b,
            languages: vec![Language::english()],
            auto_adjust: AutoAdjust::default(),
        }
    }
}

/// A partial change, as clients send it. Absent fields keep their value.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "start_per_day": 3,
    "daily_increase": 2,
    "max_per_day": 40,
    "weekdays": ["mon", "tue", "wed", "thu", "fri"],
    "pattern": "b2b",
    "provider_split": {"google_workspace": 40, "microsoft_365": 40, "gmail": 10, "outlook": 10},
    "languages": ["en", "de"]
}))]
pub struct PreferencesPatch {
    /// Messages on the first sending day (1 to `max_per_day`).
    #[schema(minimum = 1, maximum = 500)]
    pub start_per_day: Option<i64>,
    /// Added each sending day (0 to 50).
    #[schema(minimum = 0, maximum = 50)]
    pub daily_increase: Option<i64>,
    /// The ceiling (1 to 500).
    #[schema(minimum = 1, maximum = 500)]
    pub max_per_day: Option<i64>,
    /// Days on which mail is sent, e.g. `["mon","tue","wed","thu","fri"]` (at least one;
    /// repeats count once).
    #[schema(min_items = 1)]
    pub weekdays: Option<Vec<Day>>,
    /// Each day's volume varies at random by up to ± this share (0 to 50).
    #[schema(minimum = 0, maximum = 50)]
    pub daily_variance_percent: Option<i64>,
    /// Share of opened messages that get a reply (0 to 100); default from the pattern.
    #[schema(minimum = 0, maximum = 100)]
    pub reply_rate_percent: Option<i64>,
    /// Share of delivered messages the seeds open (0 to 100); default from the pattern.
    #[schema(minimum = 0, maximum = 100)]
    pub open_rate_percent: Option<i64>,
    /// Share of opened messages marked important (0 to 100); default from the pattern.
    #[schema(minimum = 0, maximum = 100)]
    pub important_rate_percent: Option<i64>,
    /// Share of opened messages not marked important that are archived once dealt with
    /// (0 to 100, default 50).
    #[schema(minimum = 0, maximum = 100)]
    pub archive_rate_percent: Option<i64>,
    /// Percent per provider (each 0 to 100), summing to 100; default from the pattern. A
    /// split that does not add up to 100 is refused with a 422.
    #[schema(value_type = Option<BTreeMap<Provider, Percent>>)]
    pub provider_split: Option<BTreeMap<Provider, i64>>,
    pub pattern: Option<Pattern>,
    /// ISO 639-1 codes of the languages to write in (at least one; repeats count once).
    #[schema(value_type = Option<Vec<crate::language::LanguageCode>>, min_items = 1)]
    pub languages: Option<Vec<String>>,
    /// Let the ramp hold or step back by itself when placement or deliveries go bad (default
    /// true).
    pub auto_adjust: Option<bool>,
    /// With `auto_adjust`: below this inbox rate over the last 3 sending days the ramp holds
    /// (0 to 100, default 80).
    #[schema(minimum = 0, maximum = 100)]
    pub hold_below_inbox_percent: Option<i64>,
    /// With `auto_adjust`: below this inbox rate the ramp steps back to the volume of 3 sending
    /// days earlier (0 to 100, at most `hold_below_inbox_percent`, default 60).
    #[schema(minimum = 0, maximum = 100)]
    pub step_back_below_inbox_percent: Option<i64>,
}

/// A whole percentage, for the document: the split's values.
pub struct Percent;

impl utoipa::PartialSchema for Percent {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(0))
            .maximum(Some(100))
            .into()
    }
}

impl utoipa::ToSchema for Percent {}

fn small(v: &mut Violations, field: &str, value: i64, max: i64) -> Option<u32> {
    if (0..=max).contains(&value) {
        u32::try_from(value).ok()
    } else {
        v.add(field, format!("must be from 0 to {max}"));
        None
    }
}

/// A pattern's probability as a whole percentage.
pub(crate) fn percent(probability: f64) -> u32 {
    (probability * 100.0).round() as u32
}

impl WarmupPreferences {
    /// Whether applying `merged` to a mailbox with these preferences changes it: new values,
    /// or the same values for a mailbox that followed its organization's defaults and gets
    /// its own from now on (later changes of the defaults no longer reach it).
    pub fn changed_by(&self, merged: &WarmupPreferences, follows_defaults: bool) -> bool {
        merged != self || follows_defaults
    }

    /// The split in force: the mailbox's own or the pattern's default.
    pub fn effective_split(&self) -> ProviderSplit {
        self.provider_split
            .clone()
            .unwrap_or_else(|| ProviderSplit::from_valid(self.pattern.params().default_split))
    }

    /// The reply rate in force, in percent.
    pub fn effective_reply_rate(&self) -> u32 {
        self.reply_rate_percent
            .unwrap_or_else(|| percent(self.pattern.params().reply_probability))
    }

    /// The open rate in force, in percent.
    pub fn effective_open_rate(&self) -> u32 {
        self.open_rate_percent
            .unwrap_or_else(|| percent(self.pattern.params().open_probability))
    }

    /// The rate of marking opened messages important in force, in percent.
    pub fn effective_important_rate(&self) -> u32 {
        self.important_rate_percent
            .unwrap_or_else(|| percent(self.pattern.params().important_probability))
    }

    /// The archiving rate in force, in percent.
    pub fn effective_archive_rate(&self) -> u32 {
        self.archive_rate_percent.unwrap_or(DEFAULT_ARCHIVE_PERCENT)
    }

    /// Applies `patch`, naming every invalid field under `prefix` (e.g. `preferences.`).
    pub fn merge(&self, patch: &PreferencesPatch, prefix: &str) -> Result<Self, Vec<Violation>> {
        let f = |name: &str| format!("{prefix}{name}");
        let mut v = Violations::new();
        let mut next = self.clone();
        if let Some(x) = patch.start_per_day {
            next.ramp.start_per_day = small(&mut v, &f("start_per_day"), x, 500).unwrap_or(1);
        }
        if let Some(x) = patch.daily_increase {
            next.ramp.daily_increase = small(&mut v, &f("daily_increase"), x, 50).unwrap_or(0);
        }
        if let Some(x) = patch.max_per_day {
            next.ramp.max_per_day = small(&mut v, &f("max_per_day"), x, 500).unwrap_or(1);
        }
        if let Some(days) = &patch.weekdays {
            let set: BTreeSet<Day> = days.iter().copied().collect();
            next.ramp.weekdays = set.into_iter().collect();
        }
        if let Some(x) = patch.daily_variance_percent {
            next.ramp.daily_variance_percent =
                small(&mut v, &f("daily_variance_percent"), x, 50).unwrap_or(0);
        }
        if let Some(x) = patch.reply_rate_percent {
            next.reply_rate_percent = small(&mut v, &f("reply_rate_percent"), x, 100);
        }
        if let Some(x) = patch.open_rate_percent {
            next.open_rate_percent = small(&mut v, &f("open_rate_percent"), x, 100);
        }
        if let Some(x) = patch.archive_rate_percent {
            next.archive_rate_percent = small(&mut v, &f("archive_rate_percent"), x, 100);
        }
        if let Some(x) = patch.important_rate_percent {
            next.important_rate_percent = small(&mut v, &f("important_rate_percent"), x, 100);
        }
        if let Some(split) = &patch.provider_split {
            next.provider_split = v.check(&f("provider_split"), ProviderSplit::parse(split));
        }
        if let Some(p) = patch.pattern {
            next.pattern = p;
        }
        if let Some(codes) = &patch.languages {
            let mut langs = Vec::new();
            for (i, code) in codes.iter().enumerate() {
                if let Some(l) = v.check(&f(&format!("languages[{i}]")), code.parse::<Language>())
                    && !langs.contains(&l)
                {
                    langs.push(l);
                }
            }
            if codes.is_empty() {
                v.add(f("languages"), "must name at least one language");
            }
            next.languages = langs;
        }
        if let Some(on) = patch.auto_adjust {
            next.auto_adjust.enabled = on;
        }
        if let Some(x) = patch.hold_below_inbox_percent {
            next.auto_adjust.hold_below_inbox_percent =
                small(&mut v, &f("hold_below_inbox_percent"), x, 100).unwrap_or(0) as u8;
        }
        if let Some(x) = patch.step_back_below_inbox_percent {
            next.auto_adjust.step_back_below_inbox_percent =
                small(&mut v, &f("step_back_below_inbox_percent"), x, 100).unwrap_or(0) as u8;
        }
        if v.is_empty() {
            next.ramp.validate(prefix, &mut v);
            let a = next.auto_adjust;
            if a.step_back_below_inbox_percent > a.hold_below_inbox_percent {
                v.add(
                    f("step_back_below_inbox_percent"),
                    format!(
                        "must be at most hold_below_inbox_percent ({})",
                        a.hold_below_inbox_percent
                    ),
                );
            }
        }
        v.finish(|| next)
    }

    /// Providers the split sends to that `available` (providers with active seeds) lacks.
    pub fn unserved_providers(&self, available: &BTreeSet<Provider>) -> Vec<Provider> {
        self.effective_split()
            .percentages()
            .keys()
            .filter(|p| !available.contains(p))
            .copied()
            .collect()
    }
}

/// One planned day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DayPlan {
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub count: u32,
    pub providers: BTreeMap<Provider, u32>,
}

/// A number in [-1, 1] fixed by `seed` and `date`, so a day's variance is the same whenever it
/// is computed (previews and the planner agree).
pub fn day_noise(seed: u64, date: NaiveDate) -> f64 {
    // SplitMix64: a well-mixed hash of the seed and the day.
    let mut z =
        seed ^ (i64::from(date.num_days_from_ce()) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

/// The plan of `days` days from `from`: the count of each day (with its fixed variance) and
/// its share per provider. `sending_day` is the index of the next sending day and `carry` the
/// split remainders so far; both continue from where the mailbox stands. A `hold` (the cap of
/// a ramp that holds or stepped back) keeps every day at most there, without daily increase,
/// as the planner does until the ramp resumes.
pub fn preview(
    prefs: &WarmupPreferences,
    seed: u64,
    sending_day: u32,
    carry: &Carry,
    from: NaiveDate,
    days: u32,
    hold: Option<u32>,
) -> Vec<DayPlan> {
    let split = prefs.effective_split();
    let mut carry = carry.clone();
    let mut n = sending_day;
    (0..days)
        .map(|i| {
            let date = from + Duration::days(i64::from(i));
            if !prefs.ramp.sends_on(date) {
                return DayPlan {
                    date,
                    count: 0,
                    providers: BTreeMap::new(),
                };
            }
            let volume = prefs.ramp.volume(n, day_noise(seed, date));
            let count = hold.map_or(volume, |cap| volume.min(cap));
            let (providers, next) = allocate(count, &split, &carry);
            carry = next;
            if hold.is_none() {
                n += 1;
            }
            DayPlan {
                date,
                count,
                providers: providers.into_iter().filter(|(_, c)| *c > 0).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_values_change_only_a_mailbox_that_followed_the_defaults() {
        let current = WarmupPreferences::default();
        let mut other = current.clone();
        other.ramp.max_per_day += 1;
        assert!(!current.changed_by(&current.clone(), false));
        assert!(current.changed_by(&current.clone(), true));
        assert!(current.changed_by(&other, false));
    }

    fn fields(r: Result<WarmupPreferences, Vec<Violation>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.field)
            .collect()
    }

    #[test]
    fn patches_merge_and_name_every_bad_field() {
        let base = WarmupPreferences::default();
        let ok = base.merge(
            &PreferencesPatch {
                max_per_day: Some(25),
                weekdays: Some(vec![Day::Fri, Day::Mon, Day::Mon]),
                languages: Some(vec!["DE".into(), "en".into(), "de".into()]),
                provider_split: Some([(Provider::Gmail, 70), (Provider::Outlook, 30)].into()),
                ..PreferencesPatch::default()
            },
            "",
        );
        let ok = ok.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(ok.ramp.max_per_day, 25);
        assert_eq!(ok.ramp.weekdays, vec![Day::Mon, Day::Fri]);
        assert_eq!(
            ok.languages.iter().map(|l| l.code()).collect::<Vec<_>>(),
            ["de", "en"]
        );
        assert_eq!(ok.ramp.start_per_day, base.ramp.start_per_day, "untouched");

        let bad = base.merge(
            &PreferencesPatch {
                start_per_day: Some(-1),
                daily_variance_percent: Some(90),
                reply_rate_percent: Some(101),
                provider_split: Some([(Provider::Gmail, 70)].into()),
                languages: Some(vec!["en".into(), "klingon".into()]),
                ..PreferencesPatch::default()
            },
            "p.",
        );
        assert_eq!(
            fields(bad),
            [
                "p.start_per_day",
                "p.daily_variance_percent",
                "p.reply_rate_percent",
                "p.provider_split",
                "p.languages[1]"
            ]
        );
        let cross = base.merge(
            &PreferencesPatch {
                start_per_day: Some(30),
                max_per_day: Some(10),
                weekdays: Some(vec![]),
                ..PreferencesPatch::default()
            },
            "",
        );
        assert_eq!(fields(cross), ["start_per_day", "weekdays"]);
    }

    #[test]
    fn pattern_defaults_apply_until_the_mailbox_sets_its_own() {
        let p = WarmupPreferences {
            pattern: Pattern::B2c,
            ..WarmupPreferences::default()
        };
        assert_eq!(p.effective_reply_rate(), 15);
        assert_eq!(
            p.effective_split().percentages().get(&Provider::Yahoo),
            Some(&20)
        );
        let available: BTreeSet<Provider> = [Provider::Gmail, Provider::Outlook].into();
        assert_eq!(
            p.unserved_providers(&available),
            [Provider::Yahoo, Provider::Aol]
        );
    }

    #[test]
    fn open_and_important_rates_merge_validate_and_default_from_the_pattern() {
        let base = WarmupPreferences::default();
        assert_eq!(base.effective_open_rate(), 95, "B2B");
        assert_eq!(base.effective_important_rate(), 35, "B2B");
        let b2c = WarmupPreferences {
            pattern: Pattern::B2c,
            ..WarmupPreferences::default()
        };
        assert_eq!(b2c.effective_open_rate(), 90);
        assert_eq!(b2c.effective_important_rate(), 20);

        let set = base
            .merge(
                &PreferencesPatch {
                    open_rate_percent: Some(100),
                    important_rate_percent: Some(0),
                    ..PreferencesPatch::default()
                },
                "",
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(set.open_rate_percent, Some(100));
        assert_eq!(set.important_rate_percent, Some(0));
        assert_eq!(set.effective_open_rate(), 100);
        assert_eq!(
            set.effective_important_rate(),
            0,
            "zero is kept, not the default"
        );
        assert_eq!(set.reply_rate_percent, None, "untouched");
        let switched = set
            .merge(
                &PreferencesPatch {
                    pattern: Some(Pattern::B2c),
                    ..PreferencesPatch::default()
                },
                "",
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            switched.effective_open_rate(),
            100,
            "the mailbox's own rate outlives a pattern change"
        );

        let bad = base.merge(
            &PreferencesPatch {
                open_rate_percent: Some(101),
                important_rate_percent: Some(-1),
                ..PreferencesPatch::default()
            },
            "preferences.",
        );
        let violations = bad.err().unwrap_or_default();
        let named: Vec<(&str, &str)> = violations
            .iter()
            .map(|v| (v.field.as_str(), v.message.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("preferences.open_rate_percent", "must be from 0 to 100"),
                (
                    "preferences.important_rate_percent",
                    "must be from 0 to 100"
                ),
            ]
        );
    }

    #[test]
    fn preferences_stored_without_the_engagement_rates_still_load() {
        let mut stored = serde_json::to_value(WarmupPreferences::default()).unwrap_or_default();
        if let Some(map) = stored.as_object_mut() {
            map.remove("open_rate_percent");
            map.remove("important_rate_percent");
        }
        let loaded: WarmupPreferences =
            serde_json::from_value(stored).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded, WarmupPreferences::default());
        assert!(
            loaded.auto_adjust.enabled,
            "adjusting is on unless turned off"
        );
    }

    #[test]
    fn auto_adjust_lines_merge_and_stay_in_order() {
        let base = WarmupPreferences::default();
        let set = base
            .merge(
                &PreferencesPatch {
                    auto_adjust: Some(false),
                    hold_below_inbox_percent: Some(70),
                    step_back_below_inbox_percent: Some(50),
                    ..PreferencesPatch::default()
                },
                "",
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(!set.auto_adjust.enabled);
        assert_eq!(set.auto_adjust.thresholds().hold_below_inbox_percent, 70);
        assert_eq!(
            set.auto_adjust.thresholds().step_back_below_inbox_percent,
            50
        );
        let crossed = base.merge(
            &PreferencesPatch {
                step_back_below_inbox_percent: Some(90),
                ..PreferencesPatch::default()
            },
            "preferences.",
        );
        assert_eq!(
            fields(crossed),
            ["preferences.step_back_below_inbox_percent"]
        );
        let out_of_range = base.merge(
            &PreferencesPatch {
                hold_below_inbox_percent: Some(101),
                ..PreferencesPatch::default()
            },
            "",
        );
        assert_eq!(fields(out_of_range), ["hold_below_inbox_percent"]);
    }

    #[test]
    fn previews_skip_off_days_continue_the_ramp_and_are_repeatable() {
        let prefs = WarmupPreferences {
            ramp: Ramp {
                weekdays: Day::WORKDAYS.to_vec(),
                daily_variance_percent: 0,
                ..Ramp::default()
            },
            ..WarmupPreferences::default()
        };
        // Friday 2026-12-04, then the weekend, then Monday.
        let from = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default();
        let plan = preview(&prefs, 42, 3, &Carry::new(), from, 4, None);
        let counts: Vec<u32> = plan.iter().map(|d| d.count).collect();
        assert_eq!(counts, [9, 0, 0, 11], "sending days 3 and 4: 3 + 2n");
        for day in &plan {
            assert_eq!(day.providers.values().sum::<u32>(), day.count);
        }
        assert_eq!(plan, preview(&prefs, 42, 3, &Carry::new(), from, 4, None));
        let varied = WarmupPreferences::default();
        assert_eq!(
            preview(&varied, 7, 0, &Carry::new(), from, 30, None),
            preview(&varied, 7, 0, &Carry::new(), from, 30, None)
        );
        // A held ramp stays at its cap, or below it where the ramp itself is lower.
        let held = preview(&prefs, 42, 3, &Carry::new(), from, 4, Some(8));
        let counts: Vec<u32> = held.iter().map(|d| d.count).collect();
        assert_eq!(counts, [8, 0, 0, 8]);
        let low = preview(&prefs, 42, 1, &Carry::new(), from, 4, Some(8));
        let counts: Vec<u32> = low.iter().map(|d| d.count).collect();
        assert_eq!(
            counts,
            [5, 0, 0, 5],
            "day 1 is 5, and it does not grow while held"
        );
    }

    #[test]
    fn day_noise_is_spread_over_minus_one_to_one() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let values: Vec<f64> = (0..1000)
            .map(|i| day_noise(9, start + Duration::days(i)))
            .collect();
        assert!(values.iter().all(|v| (-1.0..=1.0).contains(v)));
        let mean = values.iter().sum::<f64>() / 1000.0;
        assert!(mean.abs() < 0.1, "mean {mean}");
        assert!(values.iter().any(|v| *v > 0.8) && values.iter().any(|v| *v < -0.8));
    }
}
