//! How a seed treats one delivered warmup message, planned up front as timed steps: take it
//! out of spam or a category tab, open it, mark it important, reply, archive. The worker stores
//! the plan and performs each step when it is due, so a restart neither repeats nor skips one.
//!
//! Thread depth counts the messages of a warmup thread: 0 is the sender's original, 1 the
//! seed's reply, 2 the sender continuing the thread and 3 the seed answering that. Seeds answer
//! even depths, senders odd ones, and no thread grows to [`MAX_THREAD_DEPTH`] messages.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::pattern::{DelayRange, PatternParams};
use crate::placement::PlacementClass;
use crate::preferences::{WarmupPreferences, percent};

/// One thing a seed does to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Move the message from spam or a category into the inbox.
    Rescue,
    /// Mark it read.
    Open,
    /// Mark it important (flagged, starred).
    Flag,
    /// Answer it in the same thread.
    Reply,
    /// Move it out of the inbox, as people do with mail they are done with.
    Archive,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Rescue,
        Action::Open,
        Action::Flag,
        Action::Reply,
        Action::Archive,
    ];

    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Rescue => "rescue",
            Action::Open => "open",
            Action::Flag => "flag",
            Action::Reply => "reply",
            Action::Archive => "archive",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// An action and when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub action: Action,
    pub at: DateTime<Utc>,
}

/// The engagement rates in force for a mailbox, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    /// Share of delivered messages opened.
    pub open_percent: u32,
    /// Share of opened messages marked important.
    pub important_percent: u32,
    /// Share of opened messages not marked important that are archived.
    pub archive_percent: u32,
    /// Share of opened original messages (depth 0) answered.
    pub reply_percent: u32,
    /// Share of replies the thread goes on after, on either side.
    pub continue_thread_percent: u32,
}

impl Rates {
    /// The rates of a mailbox: its own where set, else its pattern's.
    pub fn from_preferences(prefs: &WarmupPreferences) -> Self {
        Self {
            open_percent: prefs.effective_open_rate(),
            important_percent: prefs.effective_important_rate(),
            archive_percent: prefs.effective_archive_rate(),
            reply_percent: prefs.effective_reply_rate(),
            continue_thread_percent: percent(prefs.pattern.params().continue_thread_probability),
        }
    }
}

/// Messages in the longest warmup thread: original, reply, follow-up, last reply.
pub const MAX_THREAD_DEPTH: u32 = 4;

/// A person keeps an important message a while before doing anything else with it.
const FLAG_DELAY: DelayRange = DelayRange {
    min_minutes: 1,
    max_minutes: 30,
};

/// Archiving comes days later, when the mail has been dealt with.
const ARCHIVE_DELAY: DelayRange = DelayRange {
    min_minutes: 24 * 60,
    max_minutes: 3 * 24 * 60,
};

/// True with a chance of `percent` in 100; exact at 0 and 100.
fn chance(rng: &mut impl Rng, percent: u32) -> bool {
    rng.random_range(0..100u32) < percent
}

/// Whether a message at `depth` may still be answered without the thread exceeding
/// [`MAX_THREAD_DEPTH`] messages.
fn may_answer(depth: u32) -> bool {
    depth + 1 < MAX_THREAD_DEPTH
}

/// The steps a seed takes with a message found in a folder of class `class` at `found_at`,
/// sorted by time. `thread_depth` is the message's place in its thread (0 for an original).
pub fn plan(
    params: &PatternParams,
    rates: &Rates,
    class: PlacementClass,
    thread_depth: u32,
    found_at: DateTime<Utc>,
    rng: &mut impl Rng,
) -> Vec<Step> {
    if class == PlacementClass::Missing {
        return Vec::new();
    }
    let mut steps = Vec::new();
    let looked_at = found_at + params.open_delay.draw(rng);
    let mut opened_at = looked_at;
    // Rescue does not depend on the draws below: moving mail out of spam is what tells the
    // provider it was wanted, whether or not the person then reads it.
    if class.needs_rescue() {
        steps.push(Step {
            action: Action::Rescue,
            at: looked_at,
        });
        opened_at = looked_at + Duration::minutes(1);
    }
    if !chance(rng, rates.open_percent) {
        return steps;
    }
    steps.push(Step {
        action: Action::Open,
        at: opened_at,
    });
    let flagged = chance(rng, rates.important_percent);
    if flagged {
        steps.push(Step {
            action: Action::Flag,
            at: opened_at + FLAG_DELAY.draw(rng),
        });
    }
    let reply_percent = match thread_depth {
        0 => Some(rates.reply_percent),
        d if d % 2 == 0 && may_answer(d) => Some(rates.continue_thread_percent),
        _ => None,
    };
    if reply_percent.is_some_and(|p| chance(rng, p)) {
        steps.push(Step {
            action: Action::Reply,
            at: opened_at + params.reply_delay.draw(rng),
        });
    }
    // Flagged mail stays in the inbox, where important mail is kept.
    if !flagged && chance(rng, rates.archive_percent) {
        let last = steps.iter().map(|s| s.at).max().unwrap_or(opened_at);
        steps.push(Step {
            action: Action::Archive,
            at: last + ARCHIVE_DELAY.draw(rng),
        });
    }
    // Stable, so equal times keep the order above (open before what follows it).
    steps.sort_by_key(|s| s.at);
    steps
}

/// Whether the sender answers a seed's reply at `reply_depth` (1 or 3), going on with the
/// thread. Only replies that leave room for the seed to answer again are continued.
pub fn sender_continues(rates: &Rates, reply_depth: u32, rng: &mut impl Rng) -> bool {
    reply_depth % 2 == 1
        && may_answer(reply_depth + 1)
        && chance(rng, rates.continue_thread_percent)
}

/// Errors a message may collect before it can be given up on: one bad session or a server
/// hiccup must not cost a placement.
const ERRORS_BEFORE_GIVING_UP: u32 = 3;

/// Real time to wait before looking at or acting on a message again after `tries` earlier
/// tries (errors, or lookups that did not find it yet): 2 s doubling up to 5 min, so a message
/// in flight is found within seconds and a broken server is not hammered.
pub fn backoff(tries: u32) -> std::time::Duration {
    // Past 2^9 s the cap holds anyway; the min keeps the power far from overflowing.
    let secs = 2u64.saturating_pow(tries.min(16) + 1).min(300);
    std::time::Duration::from_secs(secs)
}

/// Whether a message whose handling failed again is given up on for good: it had already
/// failed `errors` times before this failure, and it counts as missing (see
/// [`crate::placement::counts_as_missing`]), so nothing waits for ever on a broken seed.
pub fn gives_up(errors: u32, counts_as_missing: bool) -> bool {
    errors >= ERRORS_BEFORE_GIVING_UP && counts_as_missing
}

/// The References header of an answer to a message (RFC 5322 3.6.4): the parent's own
/// References, then the parent's Message-ID, each in angle brackets and separated by single
/// spaces. `prior` is the parent's References as stored (already bracketed);
/// `parent_message_id` is its bare Message-ID, as stored. An id already listed is not repeated.
pub fn references(prior: Option<&str>, parent_message_id: &str) -> String {
    let parent = format!("<{parent_message_id}>");
    match prior.map(str::trim).filter(|p| !p.is_empty()) {
        None => parent,
        Some(p) if p.split_whitespace().any(|id| id == parent) => p.to_string(),
        Some(p) => format!("{p} {parent}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::Pattern;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn found() -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .map(|d| d.and_utc())
            .unwrap_or_default()
    }

    fn rates(open: u32, important: u32, reply: u32, cont: u32) -> Rates {
        Rates {
            open_percent: open,
            important_percent: important,
            archive_percent: crate::preferences::DEFAULT_ARCHIVE_PERCENT,
            reply_percent: reply,
            continue_thread_percent: cont,
        }
    }

    fn actions(steps: &[Step]) -> Vec<Action> {
        steps.iter().map(|s| s.action).collect()
    }

    fn class_strategy() -> impl Strategy<Value = PlacementClass> {
        proptest::sample::select(PlacementClass::ALL.to_vec())
    }

    fn pattern_strategy() -> impl Strategy<Value = Pattern> {
        prop_oneof![Just(Pattern::B2b), Just(Pattern::B2c)]
    }

    #[test]
    fn backoff_doubles_from_two_seconds() {
        let secs: Vec<u64> = (0..8).map(|t| backoff(t).as_secs()).collect();
        assert_eq!(secs, [2, 4, 8, 16, 32, 64, 128, 256]);
    }

    #[test]
    fn backoff_stops_at_five_minutes() {
        for tries in [8, 9, 16, 17, 1_000, u32::MAX] {
            assert_eq!(
                backoff(tries),
                std::time::Duration::from_secs(300),
                "{tries}"
            );
        }
    }

    #[test]
    fn gives_up_only_after_three_errors_once_missing() {
        for errors in 0..3 {
            assert!(!gives_up(errors, true), "{errors}");
            assert!(!gives_up(errors, false), "{errors}");
        }
        for errors in [3, 4, 100, u32::MAX] {
            assert!(gives_up(errors, true), "{errors}");
            assert!(!gives_up(errors, false), "still expected: {errors}");
        }
    }

    #[test]
    fn references_start_a_thread_with_the_parent() {
        assert_eq!(references(None, "a@x.test"), "<a@x.test>");
        assert_eq!(references(Some(""), "a@x.test"), "<a@x.test>");
        assert_eq!(references(Some("  "), "a@x.test"), "<a@x.test>");
    }

    #[test]
    fn references_append_the_parent_to_its_own_references() {
        assert_eq!(
            references(Some("<a@x.test>"), "b@y.test"),
            "<a@x.test> <b@y.test>"
        );
        let seed_reply = references(None, "a@x.test");
        assert_eq!(
            references(Some(&seed_reply), "b@y.test"),
            "<a@x.test> <b@y.test>",
            "a continuation lists the original and the seed's reply"
        );
        assert_eq!(
            references(Some("<a@x.test> <b@y.test>"), "c@x.test"),
            "<a@x.test> <b@y.test> <c@x.test>"
        );
    }

    #[test]
    fn references_never_repeat_an_id() {
        assert_eq!(
            references(Some("<a@x.test> <b@y.test>"), "a@x.test"),
            "<a@x.test> <b@y.test>"
        );
        assert_eq!(
            references(Some("<ab@x.test>"), "a@x.test"),
            "<ab@x.test> <a@x.test>",
            "only whole ids match"
        );
    }

    #[test]
    fn action_names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
            assert_eq!(
                serde_json::to_string(&a).unwrap_or_default(),
                format!("\"{}\"", a.as_str())
            );
        }
        assert_eq!(Action::parse("star"), None);
    }

    #[test]
    fn steps_serialize_as_stored() {
        let step = Step {
            action: Action::Rescue,
            at: found(),
        };
        let json = serde_json::to_string(&step).unwrap_or_default();
        assert_eq!(json, r#"{"action":"rescue","at":"2026-12-01T09:00:00Z"}"#);
        let back: Step = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, step);
    }

    #[test]
    fn rates_come_from_the_mailbox_or_its_pattern() {
        let b2b = Rates::from_preferences(&WarmupPreferences::default());
        assert_eq!(b2b, rates(95, 35, 35, 30));
        let own = WarmupPreferences {
            pattern: Pattern::B2c,
            open_rate_percent: Some(80),
            important_rate_percent: Some(10),
            reply_rate_percent: Some(0),
            ..WarmupPreferences::default()
        };
        assert_eq!(Rates::from_preferences(&own), rates(80, 10, 0, 15));
    }

    #[test]
    fn missing_messages_get_no_steps() {
        let mut rng = StdRng::seed_from_u64(1);
        let p = Pattern::B2b.params();
        let r = rates(100, 100, 100, 100);
        assert!(plan(&p, &r, PlacementClass::Missing, 0, found(), &mut rng).is_empty());
    }

    #[test]
    fn full_rates_open_flag_and_reply_and_keep_the_message() {
        let p = Pattern::B2b.params();
        let r = rates(100, 100, 100, 100);
        let mut rng = StdRng::seed_from_u64(2);
        for _ in 0..200 {
            let inbox = plan(&p, &r, PlacementClass::Inbox, 0, found(), &mut rng);
            let mut a = actions(&inbox);
            a.sort_by_key(|x| x.as_str());
            assert_eq!(a, [Action::Flag, Action::Open, Action::Reply]);
            let spam = plan(&p, &r, PlacementClass::Spam, 0, found(), &mut rng);
            assert_eq!(spam[0].action, Action::Rescue);
            assert_eq!(spam[1].action, Action::Open);
            assert_eq!(spam[1].at - spam[0].at, Duration::minutes(1));
            assert_eq!(spam.len(), 4);
        }
    }

    #[test]
    fn zero_rates_only_rescue() {
        let p = Pattern::B2c.params();
        let r = rates(0, 0, 0, 0);
        let mut rng = StdRng::seed_from_u64(3);
        for _ in 0..200 {
            for class in [PlacementClass::Inbox, PlacementClass::Other] {
                assert!(plan(&p, &r, class, 0, found(), &mut rng).is_empty());
            }
            for class in [PlacementClass::Spam, PlacementClass::Category] {
                let steps = plan(&p, &r, class, 0, found(), &mut rng);
                assert_eq!(actions(&steps), [Action::Rescue]);
                let delay = steps[0].at - found();
                assert!(delay >= Duration::minutes(10) && delay <= Duration::minutes(600));
            }
        }
    }

    #[test]
    fn timings_follow_the_person() {
        let p = Pattern::B2b.params();
        let r = rates(100, 100, 100, 100);
        let mut rng = StdRng::seed_from_u64(4);
        for _ in 0..500 {
            let steps = plan(&p, &r, PlacementClass::Inbox, 0, found(), &mut rng);
            let at = |a: Action| steps.iter().find(|s| s.action == a).map(|s| s.at);
            let (Some(open), Some(flag), Some(reply)) =
                (at(Action::Open), at(Action::Flag), at(Action::Reply))
            else {
                panic!("{steps:?}");
            };
            assert!(open - found() >= Duration::minutes(5));
            assert!(open - found() <= Duration::minutes(180));
            assert!(flag - open >= Duration::minutes(1) && flag - open <= Duration::minutes(30));
            assert!(reply - open >= Duration::minutes(10));
            assert!(reply - open <= Duration::minutes(240));
        }
        let no_flag = rates(100, 0, 0, 0);
        let mut archived = 0;
        for _ in 0..500 {
            let steps = plan(&p, &no_flag, PlacementClass::Inbox, 0, found(), &mut rng);
            if let [open, archive] = steps.as_slice() {
                assert_eq!(archive.action, Action::Archive);
                let gap = archive.at - open.at;
                assert!(gap >= Duration::days(1) && gap <= Duration::days(3));
                archived += 1;
            }
        }
        assert!((200..=300).contains(&archived), "about half: {archived}");
    }

    #[test]
    fn archive_follows_the_reply() {
        let p = Pattern::B2c.params();
        let r = rates(100, 0, 100, 0);
        let mut rng = StdRng::seed_from_u64(5);
        for _ in 0..200 {
            let steps = plan(&p, &r, PlacementClass::Inbox, 0, found(), &mut rng);
            if let Some(archive) = steps.iter().find(|s| s.action == Action::Archive) {
                assert_eq!(steps.last(), Some(archive));
                assert_eq!(steps[steps.len() - 2].action, Action::Reply);
            }
        }
    }

    #[test]
    fn seeds_answer_even_depths_below_the_maximum() {
        let p = Pattern::B2b.params();
        let only_continue = rates(100, 0, 0, 100);
        let only_first = rates(100, 0, 100, 0);
        let mut rng = StdRng::seed_from_u64(6);
        let replies = |r: &Rates, depth: u32, rng: &mut StdRng| {
            actions(&plan(&p, r, PlacementClass::Inbox, depth, found(), rng))
                .contains(&Action::Reply)
        };
        for _ in 0..100 {
            assert!(replies(&only_first, 0, &mut rng));
            assert!(
                !replies(&only_first, 2, &mut rng),
                "depth 2 uses the continue rate"
            );
            assert!(
                !replies(&only_continue, 0, &mut rng),
                "depth 0 uses the reply rate"
            );
            assert!(replies(&only_continue, 2, &mut rng));
            let all = rates(100, 0, 100, 100);
            for depth in [1, 3, 4, 5, 6, 100] {
                assert!(!replies(&all, depth, &mut rng), "depth {depth}");
            }
        }
    }

    #[test]
    fn senders_continue_only_after_the_first_reply() {
        let mut rng = StdRng::seed_from_u64(7);
        let always = rates(0, 0, 0, 100);
        let never = rates(100, 100, 100, 0);
        for _ in 0..100 {
            assert!(sender_continues(&always, 1, &mut rng));
            for depth in [0, 2, 3, 4, 5] {
                assert!(!sender_continues(&always, depth, &mut rng), "depth {depth}");
            }
            assert!(!sender_continues(&never, 1, &mut rng));
        }
        let half = rates(0, 0, 0, 50);
        let n = (0..10_000)
            .filter(|_| sender_continues(&half, 1, &mut rng))
            .count();
        assert!((4_700..=5_300).contains(&n), "{n}");
    }

    proptest! {
        #[test]
        fn plans_are_sorted_never_early_and_consistent(
            seed in any::<u64>(),
            pattern in pattern_strategy(),
            class in class_strategy(),
            depth in 0u32..8,
            open in 0u32..=100,
            important in 0u32..=100,
            reply in 0u32..=100,
            cont in 0u32..=100,
        ) {
            let mut rng = StdRng::seed_from_u64(seed);
            let r = rates(open, important, reply, cont);
            let steps = plan(&pattern.params(), &r, class, depth, found(), &mut rng);
            prop_assert!(steps.windows(2).all(|w| w[0].at <= w[1].at));
            prop_assert!(steps.iter().all(|s| s.at >= found()));
            let a = actions(&steps);
            let count = |x: Action| a.iter().filter(|y| **y == x).count();
            for x in Action::ALL {
                prop_assert!(count(x) <= 1, "{x:?} twice in {a:?}");
            }
            prop_assert_eq!(count(Action::Rescue) == 1, class.needs_rescue());
            if class.needs_rescue() {
                prop_assert_eq!(a.first(), Some(&Action::Rescue));
            }
            if count(Action::Open) == 0 {
                prop_assert!(count(Action::Flag) + count(Action::Reply) + count(Action::Archive) == 0);
            }
            prop_assert!(!(count(Action::Flag) == 1 && count(Action::Archive) == 1));
            if depth % 2 == 1 || depth >= MAX_THREAD_DEPTH {
                prop_assert_eq!(count(Action::Reply), 0);
            }
            if class == PlacementClass::Missing {
                prop_assert!(steps.is_empty());
            }
            if let Some(archive) = steps.iter().find(|s| s.action == Action::Archive) {
                prop_assert_eq!(steps.last(), Some(archive));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn open_share_matches_the_rate(
            seed in any::<u64>(),
            open in 0u32..=100,
            class in class_strategy().prop_filter("found", |c| *c != PlacementClass::Missing),
        ) {
            let p = Pattern::B2b.params();
            let r = rates(open, 50, 50, 50);
            let mut rng = StdRng::seed_from_u64(seed);
            let opened = (0..10_000)
                .filter(|_| {
                    actions(&plan(&p, &r, class, 0, found(), &mut rng)).contains(&Action::Open)
                })
                .count();
            let share = opened as f64 / 100.0;
            prop_assert!((share - f64::from(open)).abs() <= 3.0, "{share} vs {open}");
        }
    }

    #[test]
    fn the_archive_rate_decides_for_read_mail_that_is_not_important() {
        let params = Pattern::B2c.params();
        let mut rng = StdRng::seed_from_u64(7);
        let mut always = rates(100, 0, 0, 0);
        always.archive_percent = 100;
        let mut never = always;
        never.archive_percent = 0;
        for _ in 0..200 {
            let steps = plan(
                &params,
                &always,
                PlacementClass::Inbox,
                0,
                found(),
                &mut rng,
            );
            assert_eq!(actions(&steps), vec![Action::Open, Action::Archive]);
            let steps = plan(&params, &never, PlacementClass::Inbox, 0, found(), &mut rng);
            assert_eq!(actions(&steps), vec![Action::Open]);
        }
    }
}
