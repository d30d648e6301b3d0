//! Domain health: the checks, their weights and the score. Each check answers a status; the
//! score is the points earned over the weights of the checks that could be decided, 0 to 100,
//! with a letter grade. The weights are the documented ones (README, OpenAPI).

use serde::{Deserialize, Serialize};

/// Sending addresses a check looks at, at most (the most recent first).
pub const MAX_SENDING_IPS: usize = 10;

/// One check of a domain's health.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// MX present, each host resolves and answers on port 25.
    Mx,
    /// One valid SPF record, at most 10 lookups, ending in `~all`/`-all`, authorizing the
    /// sending addresses seen at seeds.
    Spf,
    /// Each mailbox's selector published and matching its stored key, key size, pass rate at
    /// seeds.
    Dkim,
    /// A DMARC record, its policy and `rua`, alignment as seen at seeds.
    Dmarc,
    /// PTR of each sending address, forward-confirmed.
    ReverseDns,
    /// MTA-STS and TLS-RPT records (warn only).
    MtaSts,
    /// Sending addresses and the domain on DNS blocklists.
    Blocklists,
    /// Inbox rate of the last 7 days at seeds.
    Placement,
}

impl CheckKind {
    /// Every check, in the order of a report.
    pub const ALL: [CheckKind; 8] = [
        CheckKind::Mx,
        CheckKind::Spf,
        CheckKind::Dkim,
        CheckKind::Dmarc,
        CheckKind::ReverseDns,
        CheckKind::MtaSts,
        CheckKind::Blocklists,
        CheckKind::Placement,
    ];

    /// The check's weight: the points it is worth out of 100.
    pub fn weight(self) -> u32 {
        match self {
            CheckKind::Mx => 10,
            CheckKind::Spf => 15,
            CheckKind::Dkim => 20,
            CheckKind::Dmarc => 15,
            CheckKind::ReverseDns => 10,
            CheckKind::MtaSts => 5,
            CheckKind::Blocklists => 15,
            CheckKind::Placement => 10,
        }
    }

    /// The stable word used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Mx => "mx",
            CheckKind::Spf => "spf",
            CheckKind::Dkim => "dkim",
            CheckKind::Dmarc => "dmarc",
            CheckKind::ReverseDns => "reverse_dns",
            CheckKind::MtaSts => "mta_sts",
            CheckKind::Blocklists => "blocklists",
            CheckKind::Placement => "placement",
        }
    }
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    /// Works, with something to improve: half the weight.
    Warn,
    Fail,
    /// Could not be decided (a lookup failed, no data yet): left out of the score.
    Error,
}

impl CheckStatus {
    /// The points of `weight` this status earns; `None` when it counts for nothing either way.
    pub fn points(self, weight: u32) -> Option<u32> {
        match self {
            CheckStatus::Pass => Some(weight),
            CheckStatus::Warn => Some(weight / 2),
            CheckStatus::Fail => Some(0),
            CheckStatus::Error => None,
        }
    }

    /// The worse of two statuses (`error` ranks below `fail`: it decides nothing).
    pub fn worst(self, other: CheckStatus) -> CheckStatus {
        let rank = |s: CheckStatus| match s {
            CheckStatus::Pass => 0,
            CheckStatus::Error => 1,
            CheckStatus::Warn => 2,
            CheckStatus::Fail => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// One thing a check looked at: a record, a selector, an address on a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckItem {
    /// What was looked at (`mx.example.com`, `s1._domainkey.example.com`, `192.0.2.1 on
    /// zen.spamhaus.org`).
    pub subject: String,
    pub status: CheckStatus,
    /// What was found, with the list's return code or the record's words.
    pub detail: String,
}

/// One check's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckResult {
    pub check: CheckKind,
    pub status: CheckStatus,
    /// The check's weight out of 100.
    pub weight: u32,
    /// Points earned: the weight on `pass`, half on `warn`, 0 on `fail`; absent on `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
    /// What was found, in plain words.
    pub explanation: String,
    /// What to do, when something is to be done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The DNS records read, as published.
    pub records: Vec<String>,
    pub items: Vec<CheckItem>,
}

impl CheckResult {
    /// A result with its points from the status.
    pub fn new(
        check: CheckKind,
        status: CheckStatus,
        explanation: impl Into<String>,
        fix: Option<String>,
    ) -> Self {
        let weight = check.weight();
        Self {
            check,
            status,
            weight,
            points: status.points(weight),
            explanation: explanation.into(),
            fix,
            records: Vec::new(),
            items: Vec::new(),
        }
    }

    /// The same with the records read and the items looked at.
    pub fn with(mut self, records: Vec<String>, items: Vec<CheckItem>) -> Self {
        self.records = records;
        self.items = items;
        self
    }
}

/// A mailbox's DKIM key as stored.
#[derive(Clone)]
pub struct DkimKey {
    /// The mailbox's address, to name it in the answer.
    pub mailbox: String,
    pub selector: String,
    /// The signing domain (`d=`).
    pub domain: String,
    /// The private key in PEM, decrypted.
    pub private_pem: String,
}

/// Authentication results of the domain's mail at seeds over the last days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeenAtSeeds {
    pub dkim_pass: u64,
    pub dkim_total: u64,
    pub dmarc_pass: u64,
    pub dmarc_total: u64,
}

/// What a check needs beyond DNS.
#[derive(Debug, Clone, Default)]
pub struct HealthInputs {
    pub domain: String,
    pub keys: Vec<DkimKey>,
    /// Addresses the seeds saw the domain's mail come from, most recent first.
    pub sending_ips: Vec<std::net::IpAddr>,
    pub seen: SeenAtSeeds,
    /// Messages found in the inbox (or a category) and messages whose place is known, over
    /// the last 7 days.
    pub inbox: (u64, u64),
}

impl std::fmt::Debug for DkimKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private key never reaches a log line.
        f.debug_struct("DkimKey")
            .field("mailbox", &self.mailbox)
            .field("selector", &self.selector)
            .field("domain", &self.domain)
            .finish_non_exhaustive()
    }
}

/// The score from the results: points earned over the weights of the decided checks, scaled
/// to 100 and rounded; `None` when nothing could be decided.
pub fn score(results: &[CheckResult]) -> Option<u32> {
    let (earned, possible) = results
        .iter()
        .filter_map(|r| r.points.map(|p| (p, r.weight)))
        .fold((0u32, 0u32), |(e, w), (p, weight)| (e + p, w + weight));
    if possible == 0 {
        return None;
    }
    Some((f64::from(earned) * 100.0 / f64::from(possible)).round() as u32)
}

/// The letter of a score: A from 90, B from 80, C from 70, D from 60, F below.
pub fn grade(score: u32) -> &'static str {
    match score {
        90.. => "A",
        80..=89 => "B",
        70..=79 => "C",
        60..=69 => "D",
        _ => "F",
    }
}

/// Each check's share of the score: its points scaled as the score is.
pub fn contributions(results: &[CheckResult]) -> Vec<(CheckKind, Option<f64>)> {
    let possible: u32 = results
        .iter()
        .filter(|r| r.points.is_some())
        .map(|r| r.weight)
        .sum();
    results
        .iter()
        .map(|r| {
            let share = r
                .points
                .filter(|_| possible > 0)
                .map(|p| (f64::from(p) * 1000.0 / f64::from(possible)).round() / 10.0);
            (r.check, share)
        })
        .collect()
}

/// One check's share of the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contribution {
    pub check: CheckKind,
    pub weight: u32,
    /// Points earned of the weight; absent when the check was left out (`error`).
    pub points: Option<u32>,
    /// Points of the score (0 to 100) this check gives, to one decimal: the points scaled by
    /// the weights of the checks that were decided.
    pub share: Option<f64>,
}

/// A domain's health at one moment: every check, the score and what each check gave to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HealthReport {
    pub domain: String,
    pub checked_at: chrono::DateTime<chrono::Utc>,
    /// 0 to 100: points earned over the weights of the checks that could be decided; absent
    /// when none could.
    pub score: Option<u32>,
    /// A (90 and up), B (80), C (70), D (60) or F.
    pub grade: Option<String>,
    pub checks: Vec<CheckResult>,
    pub contributions: Vec<Contribution>,
}

impl HealthReport {
    /// The report of `checks`, scored.
    pub fn new(
        domain: &str,
        checked_at: chrono::DateTime<chrono::Utc>,
        checks: Vec<CheckResult>,
    ) -> Self {
        let score = score(&checks);
        let contributions = contributions(&checks)
            .into_iter()
            .zip(&checks)
            .map(|((check, share), r)| Contribution {
                check,
                weight: r.weight,
                points: r.points,
                share,
            })
            .collect();
        Self {
            domain: domain.to_string(),
            checked_at,
            score,
            grade: score.map(|s| grade(s).to_string()),
            checks,
            contributions,
        }
    }

    /// The status of one check.
    pub fn status_of(&self, check: CheckKind) -> Option<CheckStatus> {
        self.checks
            .iter()
            .find(|c| c.check == check)
            .map(|c| c.status)
    }
}

/// What changed since the previous report that a user should be told: the grade (previous,
/// current), and blocklist listings that are new.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    pub grade: Option<(Option<String>, Option<String>)>,
    pub new_listings: Vec<CheckItem>,
}

/// Compares a report with the one before it (none before a first check).
pub fn changes(previous: Option<&HealthReport>, current: &HealthReport) -> Changes {
    let listed = |r: &HealthReport| -> Vec<CheckItem> {
        r.checks
            .iter()
            .filter(|c| c.check == CheckKind::Blocklists)
            .flat_map(|c| c.items.iter())
            .filter(|i| i.status == CheckStatus::Fail)
            .cloned()
            .collect()
    };
    let before = previous.map(listed).unwrap_or_default();
    let previous_grade = previous.and_then(|p| p.grade.clone());
    Changes {
        grade: (previous_grade != current.grade).then(|| (previous_grade, current.grade.clone())),
        new_listings: listed(current)
            .into_iter()
            .filter(|i| !before.iter().any(|b| b.subject == i.subject))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_scores_its_checks_and_round_trips_as_json() {
        let checks = results(&[
            (CheckKind::Mx, CheckStatus::Pass),
            (CheckKind::Spf, CheckStatus::Fail),
            (CheckKind::Placement, CheckStatus::Error),
        ]);
        let r = HealthReport::new("example.com", chrono::DateTime::UNIX_EPOCH, checks);
        assert_eq!(r.score, Some(40));
        assert_eq!(r.grade.as_deref(), Some("F"));
        assert_eq!(r.contributions[0].share, Some(40.0));
        assert_eq!(r.contributions[2].points, None);
        assert_eq!(r.status_of(CheckKind::Spf), Some(CheckStatus::Fail));
        let json = serde_json::to_string(&r).unwrap_or_default();
        let back: HealthReport = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, r);
    }

    fn results(statuses: &[(CheckKind, CheckStatus)]) -> Vec<CheckResult> {
        statuses
            .iter()
            .map(|(k, s)| CheckResult::new(*k, *s, "", None))
            .collect()
    }

    #[test]
    fn a_new_grade_and_new_listings_are_the_changes() {
        let listing = |subject: &str| CheckItem {
            subject: subject.into(),
            status: CheckStatus::Fail,
            detail: "listed".into(),
        };
        let report = |mx: CheckStatus, listed: &[&str]| {
            let mut checks = results(&[
                (CheckKind::Mx, mx),
                (CheckKind::Blocklists, CheckStatus::Pass),
            ]);
            if !listed.is_empty() {
                checks[1] = CheckResult::new(CheckKind::Blocklists, CheckStatus::Fail, "", None);
                checks[1].items = listed.iter().map(|s| listing(s)).collect();
            }
            HealthReport::new("example.com", chrono::DateTime::UNIX_EPOCH, checks)
        };
        let clean = report(CheckStatus::Pass, &[]);
        let first = changes(None, &clean);
        assert_eq!(
            first.grade,
            Some((None, Some("A".into()))),
            "a first grade is news"
        );
        assert_eq!(
            changes(Some(&clean), &clean),
            Changes::default(),
            "nothing changed"
        );
        let listed = report(CheckStatus::Pass, &["192.0.2.1 on bl.test"]);
        let c = changes(Some(&clean), &listed);
        assert!(c.grade.is_some());
        assert_eq!(c.new_listings, [listing("192.0.2.1 on bl.test")]);
        let more = report(
            CheckStatus::Pass,
            &["192.0.2.1 on bl.test", "example.com on dbl.test"],
        );
        let c = changes(Some(&listed), &more);
        assert_eq!(c.grade, None, "the same grade");
        assert_eq!(
            c.new_listings,
            [listing("example.com on dbl.test")],
            "only the new one"
        );
    }

    #[test]
    fn the_weights_add_up_to_100() {
        assert_eq!(CheckKind::ALL.iter().map(|k| k.weight()).sum::<u32>(), 100);
    }

    #[test]
    fn scores_follow_the_weights() {
        use CheckKind::*;
        use CheckStatus::*;
        let all_pass: Vec<_> = CheckKind::ALL.iter().map(|k| (*k, Pass)).collect();
        type Case = (
            &'static str,
            Vec<(CheckKind, CheckStatus)>,
            Option<u32>,
            &'static str,
        );
        let table: Vec<Case> = vec![
            ("everything passes", all_pass.clone(), Some(100), "A"),
            (
                "no SPF",
                all_pass
                    .iter()
                    .map(|(k, s)| (*k, if *k == Spf { Fail } else { *s }))
                    .collect(),
                Some(85),
                "B",
            ),
            (
                "DMARC p=none warns",
                all_pass
                    .iter()
                    .map(|(k, s)| (*k, if *k == Dmarc { Warn } else { *s }))
                    .collect(),
                // 15 / 2 = 7 points: 92 of 100.
                Some(92),
                "A",
            ),
            (
                "no placement data is left out",
                all_pass
                    .iter()
                    .map(|(k, s)| (*k, if *k == Placement { Error } else { *s }))
                    .collect(),
                Some(100),
                "A",
            ),
            (
                "listed and no DKIM, placement unknown",
                all_pass
                    .iter()
                    .map(|(k, s)| match k {
                        Blocklists | Dkim => (*k, Fail),
                        Placement => (*k, Error),
                        _ => (*k, *s),
                    })
                    .collect(),
                // 90 possible, 55 earned.
                Some(61),
                "D",
            ),
            ("nothing decided", vec![(Mx, Error), (Spf, Error)], None, ""),
            (
                "all fail",
                CheckKind::ALL.iter().map(|k| (*k, Fail)).collect(),
                Some(0),
                "F",
            ),
        ];
        for (case, statuses, want, letter) in table {
            let r = results(&statuses);
            assert_eq!(score(&r), want, "{case}");
            if let Some(s) = want {
                assert_eq!(grade(s), letter, "{case}");
            }
        }
    }

    #[test]
    fn contributions_add_up_to_the_score() {
        use CheckStatus::*;
        let r = results(&[
            (CheckKind::Mx, Pass),
            (CheckKind::Spf, Warn),
            (CheckKind::Dkim, Fail),
            (CheckKind::Placement, Error),
        ]);
        let c = contributions(&r);
        let sum: f64 = c.iter().filter_map(|(_, s)| *s).sum();
        assert!(
            (sum - f64::from(score(&r).unwrap_or(0))).abs() < 1.0,
            "{c:?}"
        );
        assert_eq!(c[3], (CheckKind::Placement, None));
        assert_eq!(c[2], (CheckKind::Dkim, Some(0.0)));
    }

    #[test]
    fn the_worst_status_wins_and_an_error_decides_nothing() {
        use CheckStatus::*;
        assert_eq!(Pass.worst(Warn), Warn);
        assert_eq!(Fail.worst(Warn), Fail);
        assert_eq!(Pass.worst(Error), Error);
        assert_eq!(Warn.worst(Error), Warn);
    }
}
