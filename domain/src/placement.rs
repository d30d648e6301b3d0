//! Where a warmup message landed at its recipient, as users read it in the placement report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The class of folder a message was found in, or `missing` once it stopped being expected.
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
pub enum PlacementClass {
    /// The primary inbox.
    Inbox,
    /// The junk or spam folder.
    Spam,
    /// A tab or folder for promotions, social or updates mail.
    Category,
    /// Any other folder (its name is recorded beside the class).
    Other,
    /// Not found anywhere before the lookup timed out.
    Missing,
    /// Never learnt: the seed could not be read (wrong password, server down) until it was
    /// given up on, or the seed was deleted. Left out of the rates, like pending placements.
    Unknown,
}

impl PlacementClass {
    pub const ALL: [PlacementClass; 6] = [
        PlacementClass::Inbox,
        PlacementClass::Spam,
        PlacementClass::Category,
        PlacementClass::Other,
        PlacementClass::Missing,
        PlacementClass::Unknown,
    ];

    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacementClass::Inbox => "inbox",
            PlacementClass::Spam => "spam",
            PlacementClass::Category => "category",
            PlacementClass::Other => "other",
            PlacementClass::Missing => "missing",
            PlacementClass::Unknown => "unknown",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// True when a seed moves such a message to the inbox before engaging with it.
    pub fn needs_rescue(self) -> bool {
        matches!(self, PlacementClass::Spam | PlacementClass::Category)
    }
}

/// What a placement is about: a warmup message, a seed-list campaign message, or a placement
/// test's message. Reports can be filtered by it.
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
pub enum PlacementSource {
    Warmup,
    SeedList,
    Test,
}

impl PlacementSource {
    pub const ALL: [PlacementSource; 3] = [
        PlacementSource::Warmup,
        PlacementSource::SeedList,
        PlacementSource::Test,
    ];

    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacementSource::Warmup => "warmup",
            PlacementSource::SeedList => "seed_list",
            PlacementSource::Test => "test",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What a placement report is grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportGroup {
    Day,
    Provider,
    Mailbox,
    Domain,
    Split,
    Test,
}

impl ReportGroup {
    pub const ALL: [ReportGroup; 6] = [
        ReportGroup::Day,
        ReportGroup::Provider,
        ReportGroup::Mailbox,
        ReportGroup::Domain,
        ReportGroup::Split,
        ReportGroup::Test,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportGroup::Day => "day",
            ReportGroup::Provider => "provider",
            ReportGroup::Mailbox => "mailbox",
            ReportGroup::Domain => "domain",
            ReportGroup::Split => "split",
            ReportGroup::Test => "test",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The name a rollup counts a placement under: its class, or `pending` while it is looked for.
pub fn slot_name(class: Option<PlacementClass>) -> &'static str {
    class.map_or("pending", PlacementClass::as_str)
}

/// The class a rollup slot stands for; `Some(None)` is pending, `None` a name no slot has.
pub fn parse_slot(name: &str) -> Option<Option<PlacementClass>> {
    if name == "pending" {
        return Some(None);
    }
    PlacementClass::parse(name).map(Some)
}

/// True once a message sent `waited` ago (real time) has been given up on: `missing_after` of
/// real time has passed, strictly more. Every place that stops waiting for a message (its
/// lookup, a reply's arrival, an interrupted send's recovery) uses this one rule, so they agree.
pub fn counts_as_missing(waited: std::time::Duration, missing_after: std::time::Duration) -> bool {
    waited > missing_after
}

/// How many placements of one day and provider are in one class (`None`: still looked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    /// The mailbox's local date, `YYYY-MM-DD`.
    pub date: String,
    pub provider: String,
    pub class: Option<PlacementClass>,
    pub count: u64,
}

/// Placement counts per class and their share of the decided messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Rates {
    /// Every placement, decided or not.
    pub total: u64,
    pub inbox: u64,
    pub spam: u64,
    pub category: u64,
    pub other: u64,
    pub missing: u64,
    /// Still being looked for: counted in `total`, left out of the rates.
    pub pending: u64,
    /// Given up on without learning where they landed (the seed could not be read, or was
    /// deleted): counted in `total`, left out of the rates.
    pub unknown: u64,
    /// Percent of the decided placements (`total - pending - unknown`), to one decimal;
    /// `null` while none is decided.
    pub inbox_rate: Option<f64>,
    pub spam_rate: Option<f64>,
    pub category_rate: Option<f64>,
    pub other_rate: Option<f64>,
    pub missing_rate: Option<f64>,
}

impl Rates {
    /// Placements whose class is known.
    pub fn decided(&self) -> u64 {
        self.total - self.pending - self.unknown
    }

    pub(crate) fn add(&mut self, class: Option<PlacementClass>, n: u64) {
        self.total += n;
        let slot = match class {
            None => &mut self.pending,
            Some(PlacementClass::Inbox) => &mut self.inbox,
            Some(PlacementClass::Spam) => &mut self.spam,
            Some(PlacementClass::Category) => &mut self.category,
            Some(PlacementClass::Other) => &mut self.other,
            Some(PlacementClass::Missing) => &mut self.missing,
            Some(PlacementClass::Unknown) => &mut self.unknown,
        };
        *slot += n;
    }

    /// Fills in the rates from the counts.
    pub(crate) fn with_rates(mut self) -> Self {
        let decided = self.decided();
        let rate = |n: u64| {
            // Counts stay far below 2^53, where f64 is exact.
            (decided > 0).then(|| (n as f64 * 1000.0 / decided as f64).round() / 10.0)
        };
        self.inbox_rate = rate(self.inbox);
        self.spam_rate = rate(self.spam);
        self.category_rate = rate(self.category);
        self.other_rate = rate(self.other);
        self.missing_rate = rate(self.missing);
        self
    }
}

/// One day of a placement report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DaySummary {
    /// `YYYY-MM-DD`, the mailbox's local date.
    #[schema(format = Date)]
    pub date: String,
    pub overall: Rates,
    /// Per seed provider.
    pub providers: BTreeMap<String, Rates>,
}

/// A placement report: overall, per provider, and per day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub overall: Rates,
    pub providers: BTreeMap<String, Rates>,
    /// Days with at least one placement, oldest first.
    pub days: Vec<DaySummary>,
}

/// Adds up counts per day, provider and class into a report. Rows may repeat a key; their
/// counts are added.
pub fn summarize(rows: impl IntoIterator<Item = CountRow>) -> Summary {
    let mut overall = Rates::default();
    let mut providers: BTreeMap<String, Rates> = BTreeMap::new();
    let mut days: BTreeMap<String, (Rates, BTreeMap<String, Rates>)> = BTreeMap::new();
    for row in rows {
        overall.add(row.class, row.count);
        providers
            .entry(row.provider.clone())
            .or_default()
            .add(row.class, row.count);
        let (day, day_providers) = days.entry(row.date).or_default();
        day.add(row.class, row.count);
        day_providers
            .entry(row.provider)
            .or_default()
            .add(row.class, row.count);
    }
    let finish = |m: BTreeMap<String, Rates>| {
        m.into_iter()
            .map(|(k, r)| (k, r.with_rates()))
            .collect::<BTreeMap<_, _>>()
    };
    Summary {
        overall: overall.with_rates(),
        providers: finish(providers),
        days: days
            .into_iter()
            .map(|(date, (overall, providers))| DaySummary {
                date,
                overall: overall.with_rates(),
                providers: finish(providers),
            })
            .collect(),
    }
}

/// How many placements of one group (a day, provider, mailbox...) are in one class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub group: String,
    pub class: Option<PlacementClass>,
    pub count: i64,
}

/// A report of counts and rates per group, plus overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupReport {
    pub overall: Rates,
    /// Ordered by group key; a group whose counts add up to nothing is left out.
    pub groups: Vec<(String, Rates)>,
}

/// Adds up counts per group and class. Rows may repeat a key and carry negative counts (a
/// rollup's decrements): what counts is the sum.
pub fn summarize_groups(rows: impl IntoIterator<Item = GroupCount>) -> GroupReport {
    let mut sums: BTreeMap<String, BTreeMap<Option<PlacementClass>, i64>> = BTreeMap::new();
    for r in rows {
        *sums.entry(r.group).or_default().entry(r.class).or_default() += r.count;
    }
    let mut overall = Rates::default();
    let mut groups = Vec::new();
    for (group, classes) in sums {
        let mut rates = Rates::default();
        for (class, n) in classes {
            // A sum below zero would be a bug in whoever keeps the rollups; it counts as none.
            let n = u64::try_from(n).unwrap_or(0);
            rates.add(class, n);
            overall.add(class, n);
        }
        if rates.total > 0 {
            groups.push((group, rates.with_rates()));
        }
    }
    GroupReport {
        overall: overall.with_rates(),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in PlacementClass::ALL {
            assert_eq!(PlacementClass::parse(c.as_str()), Some(c));
        }
        assert_eq!(PlacementClass::parse("junk"), None);
    }

    #[test]
    fn a_message_counts_as_missing_only_after_the_whole_wait() {
        let after = std::time::Duration::from_secs(4 * 3600);
        let ms = std::time::Duration::from_millis;
        assert!(!counts_as_missing(ms(0), after));
        assert!(!counts_as_missing(after - ms(1), after));
        assert!(!counts_as_missing(after, after), "the boundary still waits");
        assert!(counts_as_missing(after + ms(1), after));
        assert!(counts_as_missing(ms(1), std::time::Duration::ZERO));
    }
}

#[cfg(test)]
mod summary_tests {
    use super::*;
    use proptest::prelude::*;

    fn row(date: &str, provider: &str, class: Option<PlacementClass>, count: u64) -> CountRow {
        CountRow {
            date: date.into(),
            provider: provider.into(),
            class,
            count,
        }
    }

    fn classes(r: &Rates) -> u64 {
        r.inbox + r.spam + r.category + r.other + r.missing + r.pending + r.unknown
    }

    fn rate_sum(r: &Rates) -> f64 {
        [
            r.inbox_rate,
            r.spam_rate,
            r.category_rate,
            r.other_rate,
            r.missing_rate,
        ]
        .into_iter()
        .flatten()
        .sum()
    }

    #[test]
    fn rates_leave_pending_out_and_round_to_one_decimal() {
        let s = summarize([
            row("2026-03-02", "gmail", Some(PlacementClass::Inbox), 2),
            row("2026-03-01", "gmail", Some(PlacementClass::Spam), 1),
            row("2026-03-01", "outlook", None, 4),
            row("2026-03-01", "gmail", Some(PlacementClass::Inbox), 1),
        ]);
        assert_eq!(s.overall.total, 8);
        assert_eq!(s.overall.pending, 4);
        assert_eq!(s.overall.inbox, 3);
        assert_eq!(s.overall.inbox_rate, Some(75.0));
        assert_eq!(s.overall.spam_rate, Some(25.0));
        assert_eq!(s.overall.missing_rate, Some(0.0));
        let gmail = &s.providers["gmail"];
        assert_eq!((gmail.total, gmail.inbox, gmail.spam), (4, 3, 1));
        let outlook = &s.providers["outlook"];
        assert_eq!((outlook.total, outlook.pending), (4, 4));
        assert_eq!(outlook.inbox_rate, None, "nothing decided, no rate");
        let dates: Vec<&str> = s.days.iter().map(|d| d.date.as_str()).collect();
        assert_eq!(dates, ["2026-03-01", "2026-03-02"]);
        let first = &s.days[0];
        assert_eq!(first.overall.total, 6);
        assert_eq!(first.overall.inbox_rate, Some(50.0));
        assert_eq!(first.providers["gmail"].spam_rate, Some(50.0));
        assert_eq!(s.days[1].providers.len(), 1);

        let thirds = summarize([
            row("2026-03-01", "gmail", Some(PlacementClass::Inbox), 1),
            row("2026-03-01", "gmail", Some(PlacementClass::Category), 2),
        ]);
        assert_eq!(thirds.overall.inbox_rate, Some(33.3));
        assert_eq!(thirds.overall.category_rate, Some(66.7));

        // Given up on: counted, but like pending not in the rates.
        let unknown = summarize([
            row("2026-03-01", "gmail", Some(PlacementClass::Inbox), 1),
            row("2026-03-01", "gmail", Some(PlacementClass::Unknown), 3),
        ]);
        assert_eq!((unknown.overall.total, unknown.overall.unknown), (4, 3));
        assert_eq!(unknown.overall.decided(), 1);
        assert_eq!(unknown.overall.inbox_rate, Some(100.0));
    }

    #[test]
    fn groups_add_signed_counts_and_drop_empty_groups() {
        let g = |group: &str, class, count| GroupCount {
            group: group.into(),
            class,
            count,
        };
        let r = summarize_groups([
            g("b", Some(PlacementClass::Inbox), 3),
            g("a", None, 1),
            g("a", None, -1),
            g("a", Some(PlacementClass::Spam), 1),
            g("b", Some(PlacementClass::Missing), 2),
            g("b", Some(PlacementClass::Missing), -1),
            g("c", Some(PlacementClass::Inbox), 2),
            g("c", Some(PlacementClass::Inbox), -2),
        ]);
        let keys: Vec<&str> = r.groups.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b"], "c adds up to nothing");
        let a = &r.groups[0].1;
        assert_eq!((a.total, a.pending, a.spam), (1, 0, 1));
        let b = &r.groups[1].1;
        assert_eq!((b.total, b.inbox, b.missing), (4, 3, 1));
        assert_eq!(b.inbox_rate, Some(75.0));
        assert_eq!((r.overall.total, r.overall.inbox), (5, 3));
        assert_eq!(r.overall.inbox_rate, Some(60.0));
    }

    #[test]
    fn slots_and_sources_round_trip() {
        for c in PlacementClass::ALL {
            assert_eq!(parse_slot(slot_name(Some(c))), Some(Some(c)));
        }
        assert_eq!(parse_slot(slot_name(None)), Some(None));
        assert_eq!(parse_slot("junk"), None);
        for s in PlacementSource::ALL {
            assert_eq!(PlacementSource::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn nothing_gives_an_empty_report() {
        let s = summarize([]);
        assert_eq!(s.overall, Rates::default());
        assert!(s.providers.is_empty() && s.days.is_empty());
    }

    proptest! {
        #[test]
        fn counts_add_up_and_decided_rates_make_a_hundred(
            rows in proptest::collection::vec((0usize..4, 0usize..3, 0usize..7, 0u64..500), 0..40),
        ) {
            let dates = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"];
            let providers = ["gmail", "outlook", "yahoo"];
            let input: Vec<CountRow> = rows
                .iter()
                .map(|&(d, p, c, n)| row(dates[d], providers[p], PlacementClass::ALL.get(c).copied(), n))
                .collect();
            let expected_total: u64 = input.iter().map(|r| r.count).sum();
            let s = summarize(input);
            prop_assert_eq!(s.overall.total, expected_total);
            let mut all = vec![&s.overall];
            all.extend(s.providers.values());
            for d in &s.days {
                all.push(&d.overall);
                all.extend(d.providers.values());
            }
            for r in all {
                prop_assert_eq!(classes(r), r.total);
                if r.decided() > 0 {
                    prop_assert!((rate_sum(r) - 100.0).abs() <= 0.3, "{r:?}");
                } else {
                    prop_assert_eq!(r.inbox_rate, None);
                    prop_assert_eq!(r.missing_rate, None);
                }
            }
            prop_assert_eq!(s.providers.values().map(|r| r.total).sum::<u64>(), expected_total);
            prop_assert_eq!(s.days.iter().map(|d| d.overall.total).sum::<u64>(), expected_total);
            prop_assert!(s.days.windows(2).all(|w| w[0].date < w[1].date));
        }
    }
}
