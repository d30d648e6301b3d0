//! An organization's alert thresholds and the two alerts computed from counts: a spike of one
//! error within an hour of a mailbox's delivery attempts, and a mailbox's inbox rate dropping
//! below a line over its last days.

use serde::{Deserialize, Serialize};

use crate::violations::{Violation, Violations};

/// `send.errors_spike`: one status code (e.g. `4.4.2`) among a mailbox's attempts of the last
/// hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorsSpike {
    pub enabled: bool,
    /// The share of the hour's attempts with one deferral or failure code above which the
    /// alert is raised (1 to 100).
    pub percent: u8,
    /// Attempts in the hour below which nothing is judged.
    pub min_attempts: u32,
}

/// `placement.dropped`: a mailbox's inbox rate over its last days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlacementDrop {
    pub enabled: bool,
    /// The inbox rate (inbox and category tabs) below which the alert is raised (1 to 100).
    pub below_inbox_percent: u8,
    /// Days the rate is taken over (1 to 30).
    pub window_days: u8,
    /// Placements known in the window below which nothing is judged.
    pub min_placements: u32,
}

/// The thresholds of an organization's alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AlertRules {
    pub errors_spike: ErrorsSpike,
    pub placement_drop: PlacementDrop,
}

impl Default for AlertRules {
    fn default() -> Self {
        Self {
            errors_spike: ErrorsSpike {
                enabled: true,
                percent: 20,
                min_attempts: 10,
            },
            placement_drop: PlacementDrop {
                enabled: true,
                below_inbox_percent: 70,
                window_days: 3,
                min_placements: 10,
            },
        }
    }
}

/// The rules as clients send them: every field optional (an absent one takes its default),
/// numbers wide so that out-of-range values are named, not refused by the parser.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"errors_spike": {"percent": 25, "min_attempts": 20}, "placement_drop": {"below_inbox_percent": 60}}))]
pub struct AlertRulesInput {
    pub errors_spike: Option<ErrorsSpikeInput>,
    pub placement_drop: Option<PlacementDropInput>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorsSpikeInput {
    /// Default true.
    pub enabled: Option<bool>,
    /// 1 to 100, default 20.
    #[schema(minimum = 1, maximum = 100)]
    pub percent: Option<i64>,
    /// 1 to 100000, default 10.
    #[schema(minimum = 1, maximum = 100000)]
    pub min_attempts: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementDropInput {
    /// Default true.
    pub enabled: Option<bool>,
    /// 1 to 100, default 70.
    #[schema(minimum = 1, maximum = 100)]
    pub below_inbox_percent: Option<i64>,
    /// 1 to 30, default 3.
    #[schema(minimum = 1, maximum = 30)]
    pub window_days: Option<i64>,
    /// 1 to 100000, default 10.
    #[schema(minimum = 1, maximum = 100000)]
    pub min_placements: Option<i64>,
}

fn within(v: &mut Violations, field: &str, value: Option<i64>, min: i64, max: i64) -> Option<i64> {
    let x = value?;
    if (min..=max).contains(&x) {
        Some(x)
    } else {
        v.add(field, format!("must be from {min} to {max}"));
        None
    }
}

impl AlertRulesInput {
    /// The rules asked for, absent fields at their defaults; every bad field named.
    pub fn rules(&self) -> Result<AlertRules, Vec<Violation>> {
        let mut v = Violations::new();
        let mut r = AlertRules::default();
        if let Some(s) = &self.errors_spike {
            let f = |n: &str| format!("errors_spike.{n}");
            r.errors_spike.enabled = s.enabled.unwrap_or(true);
            if let Some(x) = within(&mut v, &f("percent"), s.percent, 1, 100) {
                r.errors_spike.percent = x as u8;
            }
            if let Some(x) = within(&mut v, &f("min_attempts"), s.min_attempts, 1, 100_000) {
                r.errors_spike.min_attempts = x as u32;
            }
        }
        if let Some(d) = &self.placement_drop {
            let f = |n: &str| format!("placement_drop.{n}");
            r.placement_drop.enabled = d.enabled.unwrap_or(true);
            if let Some(x) = within(
                &mut v,
                &f("below_inbox_percent"),
                d.below_inbox_percent,
                1,
                100,
            ) {
                r.placement_drop.below_inbox_percent = x as u8;
            }
            if let Some(x) = within(&mut v, &f("window_days"), d.window_days, 1, 30) {
                r.placement_drop.window_days = x as u8;
            }
            if let Some(x) = within(&mut v, &f("min_placements"), d.min_placements, 1, 100_000) {
                r.placement_drop.min_placements = x as u32;
            }
        }
        v.finish(|| r)
    }
}

fn percent(part: u32, whole: u32) -> f64 {
    (f64::from(part) * 1000.0 / f64::from(whole.max(1))).round() / 10.0
}

/// A code whose share of the hour's attempts went over the line.
#[derive(Debug, Clone, PartialEq)]
pub struct Spike {
    pub code: String,
    pub count: u32,
    pub attempts: u32,
    pub percent: f64,
}

/// The codes of a mailbox's last hour that spike: `attempts` in all, `errors` per code.
pub fn spikes(rule: &ErrorsSpike, attempts: u32, errors: &[(String, u32)]) -> Vec<Spike> {
    if !rule.enabled || attempts < rule.min_attempts {
        return Vec::new();
    }
    errors
        .iter()
        .filter(|(_, n)| u64::from(*n) * 100 > u64::from(rule.percent) * u64::from(attempts))
        .map(|(code, n)| Spike {
            code: code.clone(),
            count: *n,
            attempts,
            percent: percent(*n, attempts),
        })
        .collect()
}

/// The inbox rate when it dropped below the line (`inbox` of `decided` placements).
pub fn dropped(rule: &PlacementDrop, inbox: u32, decided: u32) -> Option<f64> {
    if !rule.enabled || decided < rule.min_placements {
        return None;
    }
    let rate = percent(inbox, decided);
    (rate < f64::from(rule.below_inbox_percent)).then_some(rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_over_its_share_spikes_once_enough_attempts_were_made() {
        let rule = AlertRules::default().errors_spike;
        let errors = vec![("4.4.2".to_string(), 5), ("4.7.1".to_string(), 2)];
        let s = spikes(&rule, 20, &errors);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!((s[0].code.as_str(), s[0].percent), ("4.4.2", 25.0));
        assert!(
            spikes(&rule, 25, &errors).is_empty(),
            "5 of 25 is 20%: not over"
        );
        assert!(
            spikes(&rule, 9, &[("4.4.2".into(), 9)]).is_empty(),
            "too few attempts"
        );
        let off = ErrorsSpike {
            enabled: false,
            ..rule
        };
        assert!(spikes(&off, 20, &errors).is_empty());
    }

    #[test]
    fn an_inbox_rate_below_the_line_is_a_drop() {
        let rule = AlertRules::default().placement_drop;
        assert_eq!(dropped(&rule, 6, 10), Some(60.0));
        assert_eq!(dropped(&rule, 7, 10), None, "70% is on the line");
        assert_eq!(dropped(&rule, 0, 9), None, "too few placements");
    }

    #[test]
    fn input_takes_defaults_and_names_bad_fields() {
        let none = AlertRulesInput::default().rules();
        assert_eq!(none, Ok(AlertRules::default()));
        let set = AlertRulesInput {
            errors_spike: Some(ErrorsSpikeInput {
                percent: Some(30),
                ..ErrorsSpikeInput::default()
            }),
            placement_drop: Some(PlacementDropInput {
                enabled: Some(false),
                ..PlacementDropInput::default()
            }),
        }
        .rules()
        .unwrap_or_default();
        assert_eq!(set.errors_spike.percent, 30);
        assert_eq!(set.errors_spike.min_attempts, 10);
        assert!(!set.placement_drop.enabled);
        let bad = AlertRulesInput {
            errors_spike: Some(ErrorsSpikeInput {
                percent: Some(0),
                min_attempts: Some(-1),
                ..ErrorsSpikeInput::default()
            }),
            placement_drop: Some(PlacementDropInput {
                window_days: Some(31),
                ..PlacementDropInput::default()
            }),
        }
        .rules();
        let fields: Vec<String> = bad
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.field)
            .collect();
        assert_eq!(
            fields,
            [
                "errors_spike.percent",
                "errors_spike.min_attempts",
                "placement_drop.window_days"
            ]
        );
    }
}
