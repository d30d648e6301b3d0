//! Engagement patterns: when people of a kind read mail and how they treat it. B2B recipients
//! work weekdays in office hours and reply more; B2C recipients read in the evening and at the
//! weekend and open more than they reply. A pattern shapes send windows, engagement
//! probabilities and delays, and the default provider split.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::provider::Provider;
use crate::weekday::Day;

/// The audience a mailbox warms up for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    B2b,
    B2c,
}

/// A daily stretch of local time in which mail is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SendWindow {
    pub weekdays: Vec<Day>,
    #[schema(value_type = String, example = "08:30")]
    pub start: NaiveTime,
    #[schema(value_type = String, example = "17:30")]
    pub end: NaiveTime,
}

/// A range of minutes from which delays are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DelayRange {
    pub min_minutes: u32,
    pub max_minutes: u32,
}

impl DelayRange {
    /// A uniformly drawn delay.
    pub fn draw(&self, rng: &mut impl Rng) -> Duration {
        let max = self.max_minutes.max(self.min_minutes);
        let secs = rng.random_range(i64::from(self.min_minutes) * 60..=i64::from(max) * 60);
        Duration::seconds(secs)
    }
}

/// Everything a pattern decides, visible in the API.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PatternParams {
    pub pattern: Pattern,
    pub send_windows: Vec<SendWindow>,
    /// Shortest gap between two sends of one mailbox.
    pub min_gap_minutes: u32,
    /// Chance that a seed opens a delivered message.
    pub open_probability: f64,
    /// Chance that an opened message is marked important.
    pub important_probability: f64,
    /// Default share of opened messages answered, unless the mailbox sets `reply_rate_percent`.
    pub reply_probability: f64,
    /// Chance that a reply thread goes on for another round.
    pub continue_thread_probability: f64,
    /// From arrival to opening.
    pub open_delay: DelayRange,
    /// From opening to replying.
    pub reply_delay: DelayRange,
    /// Percentages per provider used when a mailbox sets no split.
    pub default_split: BTreeMap<Provider, u8>,
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Pattern {
    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::B2b => "b2b",
            Pattern::B2c => "b2c",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        [Pattern::B2b, Pattern::B2c]
            .into_iter()
            .find(|p| p.as_str() == s)
    }

    /// The pattern's parameters.
    pub fn params(self) -> PatternParams {
        match self {
            Pattern::B2b => PatternParams {
                pattern: self,
                send_windows: vec![
                    SendWindow {
                        weekdays: Day::WORKDAYS.to_vec(),
                        start: time(8, 30),
                        end: time(12, 0),
                    },
                    SendWindow {
                        weekdays: Day::WORKDAYS.to_vec(),
                        start: time(13, 0),
                        end: time(17, 30),
                    },
                ],
                min_gap_minutes: 4,
                open_probability: 0.95,
                important_probability: 0.35,
                reply_probability: 0.35,
                continue_thread_probability: 0.3,
                open_delay: DelayRange {
                    min_minutes: 5,
                    max_minutes: 180,
                },
                reply_delay: DelayRange {
                    min_minutes: 10,
                    max_minutes: 240,
                },
                default_split: [
                    (Provider::GoogleWorkspace, 40),
                    (Provider::Microsoft365, 40),
                    (Provider::Gmail, 10),
                    (Provider::Outlook, 10),
                ]
                .into(),
            },
            Pattern::B2c => PatternParams {
                pattern: self,
                send_windows: vec![
                    SendWindow {
                        weekdays: Day::WORKDAYS.to_vec(),
                        start: time(7, 0),
                        end: time(8, 30),
                    },
                    SendWindow {
                        weekdays: Day::WORKDAYS.to_vec(),
                        start: time(18, 0),
                        end: time(22, 30),
                    },
                    SendWindow {
                        weekdays: vec![Day::Sat, Day::Sun],
                        start: time(9, 0),
                        end: time(21, 30),
                    },
                ],
                min_gap_minutes: 4,
                open_probability: 0.9,
                important_probability: 0.2,
                reply_probability: 0.15,
                continue_thread_probability: 0.15,
                open_delay: DelayRange {
                    min_minutes: 10,
                    max_minutes: 600,
                },
                reply_delay: DelayRange {
                    min_minutes: 30,
                    max_minutes: 720,
                },
                default_split: [
                    (Provider::Gmail, 45),
                    (Provider::Outlook, 25),
                    (Provider::Yahoo, 20),
                    (Provider::Aol, 10),
                ]
                .into(),
            },
        }
    }
}

/// The UTC intervals of `date`'s send windows in time zone `tz` (DST gaps shift forward).
pub fn windows_on<Tz: TimeZone>(
    params: &PatternParams,
    date: NaiveDate,
    tz: &Tz,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let to_utc = |t: NaiveTime| {
        let local = date.and_time(t);
        tz.from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                tz.from_local_datetime(&(local + Duration::hours(1)))
                    .earliest()
            })
            .map(|d| d.with_timezone(&Utc))
    };
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = params
        .send_windows
        .iter()
        .filter(|w| w.weekdays.contains(&Day::of(date)))
        .filter_map(|w| Some((to_utc(w.start)?, to_utc(w.end)?)))
        .filter(|(s, e)| e > s)
        .collect();
    out.sort();
    out
}

/// Spreads `count` send times through `windows`: one per equal slot, placed at random in the
/// middle of its slot, so sends never bunch up and are at least ~`min_gap` apart. Returns fewer
/// times when the windows cannot hold `count` sends `min_gap` apart.
pub fn spread_times(
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
    count: u32,
    min_gap: Duration,
    rng: &mut impl Rng,
) -> Vec<DateTime<Utc>> {
    let total: i64 = windows.iter().map(|(s, e)| (*e - *s).num_seconds()).sum();
    if count == 0 || total <= 0 {
        return Vec::new();
    }
    let fits = total / min_gap.num_seconds().max(1);
    let count = i64::from(count).min(fits.max(1));
    let slot = total as f64 / count as f64;
    (0..count)
        .filter_map(|i| {
            // 10–90 % of the slot leaves at least 20 % of a slot between neighbours.
            let offset = (i as f64 + rng.random_range(0.1..0.9)) * slot;
            let mut offset = offset as i64;
            windows.iter().find_map(|(s, e)| {
                let len = (*e - *s).num_seconds();
                if offset < len {
                    Some(*s + Duration::seconds(offset))
                } else {
                    offset -= len;
                    None
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn default_splits_sum_to_100() {
        for p in [Pattern::B2b, Pattern::B2c] {
            let sum: u32 = p
                .params()
                .default_split
                .values()
                .map(|v| u32::from(*v))
                .sum();
            assert_eq!(sum, 100, "{p:?}");
        }
    }

    #[test]
    fn b2b_sends_in_office_hours_on_weekdays_in_the_mailbox_time_zone() {
        let p = Pattern::B2b.params();
        let berlin = chrono_tz::Europe::Berlin;
        let monday = day(2026, 11, 30);
        let w = windows_on(&p, monday, &berlin);
        assert_eq!(w.len(), 2);
        // 08:30 in Berlin in winter is 07:30 UTC.
        assert_eq!(w[0].0.format("%H:%M").to_string(), "07:30");
        assert!(
            windows_on(&p, day(2026, 11, 29), &berlin).is_empty(),
            "no B2B mail on Sunday"
        );
        let b2c = Pattern::B2c.params();
        assert_eq!(windows_on(&b2c, day(2026, 11, 29), &berlin).len(), 1);
    }

    #[test]
    fn send_times_stay_in_windows_in_order_and_apart() {
        let p = Pattern::B2b.params();
        let w = windows_on(&p, day(2026, 12, 1), &Utc);
        let mut rng = StdRng::seed_from_u64(7);
        for count in [1, 5, 40, 200] {
            let times = spread_times(&w, count, Duration::minutes(4), &mut rng);
            assert!(times.len() as u32 <= count);
            assert!(
                times
                    .windows(2)
                    .all(|t| t[1] - t[0] >= Duration::seconds(48)),
                "{count}"
            );
            assert!(times.iter().all(|t| w.iter().any(|(s, e)| t >= s && t < e)));
        }
        // 8 hours of windows hold at most 120 sends four minutes apart.
        assert_eq!(
            spread_times(&w, 500, Duration::minutes(4), &mut rng).len(),
            120
        );
        assert!(spread_times(&[], 5, Duration::minutes(4), &mut rng).is_empty());
    }

    #[test]
    fn delays_stay_in_range() {
        let mut rng = StdRng::seed_from_u64(1);
        let r = DelayRange {
            min_minutes: 5,
            max_minutes: 10,
        };
        for _ in 0..100 {
            let d = r.draw(&mut rng).num_seconds();
            assert!((300..=600).contains(&d));
        }
    }
}
