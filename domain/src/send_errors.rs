//! A mailbox's send errors as an administrator reads a mail log: grouped per day by enhanced
//! code, category and destination domain, each group intermittent (the same destination took
//! mail that day, or the refused sends went out on a later try) or persistent.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

/// One attempt as the grouping needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptFact {
    pub send_id: Uuid,
    pub at: DateTime<Utc>,
    /// `sent`, `deferred` or `failed`.
    pub outcome: String,
    pub code: Option<i32>,
    pub enhanced: Option<String>,
    pub category: String,
    pub text: String,
    /// The recipient's domain.
    pub domain: String,
    /// The send went out in the end (on this or a later try).
    pub eventually_sent: bool,
}

/// Whether a group of errors comes and goes or stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorPattern {
    /// The destination took other mail that day, or these sends went out on a later try.
    Intermittent,
    /// Nothing got through to that destination that day.
    Persistent,
}

/// One group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorGroup {
    pub date: NaiveDate,
    pub code: Option<i32>,
    pub enhanced: Option<String>,
    pub category: String,
    pub domain: String,
    pub attempts: u32,
    /// Distinct sends refused.
    pub sends: u32,
    /// Of those, sent in the end.
    pub sends_sent_later: u32,
    /// Attempts to the same domain that day that were accepted.
    pub accepted_same_day: u32,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// The latest reply's words.
    pub example: String,
    pub pattern: ErrorPattern,
}

impl ErrorGroup {
    /// True for `4.4.x` (routing and connection trouble), which a diagnosis can explain.
    pub fn is_connection_trouble(&self) -> bool {
        self.enhanced
            .as_deref()
            .is_some_and(|e| e.starts_with("4.4."))
            || matches!(self.category.as_str(), "bad_connection" | "routing")
    }
}

/// Groups the refused attempts (`deferred` or `failed`) of `attempts`; accepted ones only tell
/// intermittent from persistent. Newest day first, then most attempts.
pub fn group(attempts: &[AttemptFact]) -> Vec<ErrorGroup> {
    type Key = (NaiveDate, Option<String>, Option<i32>, String, String);
    let mut accepted: BTreeMap<(NaiveDate, &str), u32> = BTreeMap::new();
    for a in attempts.iter().filter(|a| a.outcome == "sent") {
        *accepted
            .entry((a.at.date_naive(), a.domain.as_str()))
            .or_default() += 1;
    }
    let mut groups: BTreeMap<Key, (Vec<&AttemptFact>, BTreeSet<Uuid>)> = BTreeMap::new();
    for a in attempts.iter().filter(|a| a.outcome != "sent") {
        let key = (
            a.at.date_naive(),
            a.enhanced.clone(),
            a.code,
            a.category.clone(),
            a.domain.clone(),
        );
        let g = groups.entry(key).or_default();
        g.0.push(a);
        g.1.insert(a.send_id);
    }
    let mut out: Vec<ErrorGroup> = groups
        .into_iter()
        .map(
            |((date, enhanced, code, category, domain), (rows, sends))| {
                let first_at = rows.iter().map(|a| a.at).min().unwrap_or_default();
                let latest = rows.iter().max_by_key(|a| a.at);
                let last_at = latest.map(|a| a.at).unwrap_or_default();
                let sent_later: BTreeSet<Uuid> = rows
                    .iter()
                    .filter(|a| a.eventually_sent)
                    .map(|a| a.send_id)
                    .collect();
                let accepted_same_day =
                    accepted.get(&(date, domain.as_str())).copied().unwrap_or(0);
                let pattern = if accepted_same_day > 0 || !sent_later.is_empty() {
                    ErrorPattern::Intermittent
                } else {
                    ErrorPattern::Persistent
                };
                ErrorGroup {
                    date,
                    code,
                    enhanced,
                    category,
                    example: latest.map(|a| a.text.clone()).unwrap_or_default(),
                    attempts: u32::try_from(rows.len()).unwrap_or(u32::MAX),
                    sends: u32::try_from(sends.len()).unwrap_or(u32::MAX),
                    sends_sent_later: u32::try_from(sent_later.len()).unwrap_or(u32::MAX),
                    accepted_same_day,
                    first_at,
                    last_at,
                    pattern,
                    domain,
                }
            },
        )
        .collect();
    out.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(b.attempts.cmp(&a.attempts))
            .then(a.domain.cmp(&b.domain))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(2026, 12, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .map(|t| t.and_utc())
            .unwrap_or_default()
    }

    fn attempt(
        send: u128,
        (day, hour): (u32, u32),
        outcome: &str,
        enhanced: Option<&str>,
        category: &str,
        domain: &str,
        sent_later: bool,
    ) -> AttemptFact {
        AttemptFact {
            send_id: Uuid::from_u128(send),
            at: at(day, hour),
            outcome: outcome.into(),
            code: enhanced.map(|e| if e.starts_with('4') { 451 } else { 550 }),
            enhanced: enhanced.map(str::to_string),
            category: category.into(),
            text: format!("{outcome} {hour}"),
            domain: domain.into(),
            eventually_sent: sent_later,
        }
    }

    #[test]
    fn groups_by_day_code_category_and_domain_and_tells_the_patterns_apart() {
        let rows = vec![
            // gmail.test: 4.4.2 twice for send 1, which went out later: intermittent.
            attempt(
                1,
                (1, 8),
                "deferred",
                Some("4.4.2"),
                "bad_connection",
                "gmail.test",
                true,
            ),
            attempt(
                1,
                (1, 9),
                "deferred",
                Some("4.4.2"),
                "bad_connection",
                "gmail.test",
                true,
            ),
            attempt(1, (1, 10), "sent", None, "accepted", "gmail.test", true),
            // flaky.test: 4.4.2 for two sends, nothing got through that day: persistent.
            attempt(
                2,
                (1, 8),
                "deferred",
                Some("4.4.2"),
                "bad_connection",
                "flaky.test",
                false,
            ),
            attempt(
                3,
                (1, 9),
                "failed",
                Some("4.4.2"),
                "bad_connection",
                "flaky.test",
                false,
            ),
            // yahoo.test: greylisted, while another send to yahoo.test was accepted: intermittent.
            attempt(
                4,
                (1, 8),
                "deferred",
                Some("4.2.0"),
                "greylisted",
                "yahoo.test",
                false,
            ),
            attempt(5, (1, 8), "sent", None, "accepted", "yahoo.test", true),
            // flaky.test again the next day.
            attempt(
                6,
                (2, 8),
                "deferred",
                Some("4.4.2"),
                "bad_connection",
                "flaky.test",
                false,
            ),
        ];
        let groups = group(&rows);
        let shown: Vec<(u32, &str, &str, u32, u32, ErrorPattern)> = groups
            .iter()
            .map(|g| {
                (
                    g.date.format("%d").to_string().parse().unwrap_or(0),
                    g.domain.as_str(),
                    g.category.as_str(),
                    g.attempts,
                    g.sends,
                    g.pattern,
                )
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                (
                    2,
                    "flaky.test",
                    "bad_connection",
                    1,
                    1,
                    ErrorPattern::Persistent
                ),
                (
                    1,
                    "flaky.test",
                    "bad_connection",
                    2,
                    2,
                    ErrorPattern::Persistent
                ),
                (
                    1,
                    "gmail.test",
                    "bad_connection",
                    2,
                    1,
                    ErrorPattern::Intermittent
                ),
                (
                    1,
                    "yahoo.test",
                    "greylisted",
                    1,
                    1,
                    ErrorPattern::Intermittent
                ),
            ]
        );
        let gmail = &groups[2];
        assert_eq!((gmail.sends_sent_later, gmail.accepted_same_day), (1, 1));
        assert_eq!(gmail.example, "deferred 9", "the latest reply");
        assert_eq!((gmail.first_at, gmail.last_at), (at(1, 8), at(1, 9)));
        assert!(gmail.is_connection_trouble());
        assert!(!groups[3].is_connection_trouble());
    }

    #[test]
    fn accepted_attempts_alone_make_no_group() {
        let rows = vec![attempt(
            1,
            (1, 8),
            "sent",
            None,
            "accepted",
            "gmail.test",
            true,
        )];
        assert!(group(&rows).is_empty());
    }
}
