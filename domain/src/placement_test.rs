//! Placement tests: one message sent once to a few seeds, to see where it lands before a
//! campaign goes out. The audiences, the test code a user's own message carries, the score and
//! the status are decided here.

use serde::{Deserialize, Serialize};

use crate::Provider;
use crate::placement::Rates;

/// Who a test's seeds stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Business mailboxes: Google Workspace, Microsoft 365 and private servers.
    B2b,
    /// Consumer mailboxes: Gmail, Outlook, Yahoo, AOL and Zoho.
    B2c,
}

impl Audience {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "b2b" => Some(Audience::B2b),
            "b2c" => Some(Audience::B2c),
            _ => None,
        }
    }

    pub fn providers(self) -> &'static [Provider] {
        match self {
            Audience::B2b => &[
                Provider::GoogleWorkspace,
                Provider::Microsoft365,
                Provider::Smtp,
            ],
            Audience::B2c => &[
                Provider::Gmail,
                Provider::Outlook,
                Provider::Yahoo,
                Provider::Aol,
                Provider::Zoho,
            ],
        }
    }
}

/// Where a test stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    /// No seed has the message yet.
    Waiting,
    /// Some seeds have it; the others are still looked at until the window ends.
    Running,
    /// Every seed has it, or the window ended with it at some: the others are `missing`.
    Finished,
    /// The window ended and no seed ever got it.
    Expired,
}

impl TestStatus {
    pub const ALL: [TestStatus; 4] = [
        TestStatus::Waiting,
        TestStatus::Running,
        TestStatus::Finished,
        TestStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Waiting => "waiting",
            TestStatus::Running => "running",
            TestStatus::Finished => "finished",
            TestStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Still looked for at the seeds.
    pub fn open(self) -> bool {
        matches!(self, TestStatus::Waiting | TestStatus::Running)
    }

    /// The status of a test of `seeds` seeds of which `arrived` have the message, before or
    /// after its window ended.
    pub fn of(seeds: usize, arrived: usize, window_over: bool) -> Self {
        match (arrived, window_over) {
            (0, false) => TestStatus::Waiting,
            (0, true) => TestStatus::Expired,
            (a, _) if a >= seeds => TestStatus::Finished,
            (_, true) => TestStatus::Finished,
            (_, false) => TestStatus::Running,
        }
    }
}

/// The length a test code has at least, and at most.
pub const CODE_MIN: usize = 6;
pub const CODE_MAX: usize = 64;

fn code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Checks a code a user chose: 6 to 64 letters, digits, `-` or `_`, so that it survives any
/// subject line and an IMAP search for it, with a letter and a digit, so that no ordinary
/// word in someone else's mail at a shared seed is a code.
pub fn check_code(code: &str) -> Result<(), String> {
    let n = code.chars().count();
    if !(CODE_MIN..=CODE_MAX).contains(&n) {
        return Err(format!("must be {CODE_MIN} to {CODE_MAX} characters"));
    }
    if !code.chars().all(code_char) {
        return Err("may hold only letters, digits, '-' and '_'".into());
    }
    if !code.chars().any(|c| c.is_ascii_digit()) || !code.chars().any(|c| c.is_ascii_alphabetic()) {
        return Err("must hold at least one letter and one digit".into());
    }
    Ok(())
}

/// A new code, `wt-` and six random lower-case letters and digits (36^6: two billion), from
/// `random` in `0..36` per character.
pub fn new_code(mut random: impl FnMut() -> u32) -> String {
    const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut code = String::from("wt-");
    for _ in 0..6 {
        code.push(char::from(ALPHABET[(random() % 36) as usize]));
    }
    code
}

/// True when `text` holds `code` as a whole word: not inside a longer run of letters, digits,
/// `-` and `_` (so `wt-7f3` is not found in `wt-7f3k9q`), without regard to case.
fn has_word(text: &str, code: &str) -> bool {
    let text = text.to_ascii_lowercase();
    let code = code.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = text[from..].find(&code) {
        let start = from + at;
        let end = start + code.len();
        let before = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !code_char(c));
        let after = text[end..].chars().next().is_none_or(|c| !code_char(c));
        if before && after {
            return true;
        }
        from = start + 1;
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// True when a message carries `code` as a whole word in its subject or body, or as its
/// `X-Warmup-Test` header (without regard to case).
pub fn carries_code(subject: &str, test_header: Option<&str>, body: &str, code: &str) -> bool {
    test_header.is_some_and(|h| h.trim().eq_ignore_ascii_case(code))
        || has_word(subject, code)
        || has_word(body, code)
}

/// The score of a test, 0 to 10 to one decimal: a message in the inbox counts 1, in a category
/// (promotions, updates) 0.5, in spam, another folder or nowhere (`missing`) 0, averaged over
/// the seeds whose result is known. `None` while none is.
pub fn score(r: &Rates) -> Option<f64> {
    let decided = r.decided();
    (decided > 0).then(|| {
        let points = r.inbox as f64 + 0.5 * r.category as f64;
        (points * 100.0 / decided as f64).round() / 10.0
    })
}

/// Window lengths a test may have, in minutes (default 60).
pub const WINDOW_MINUTES: std::ops::RangeInclusive<u32> = 1..=1440;
pub const DEFAULT_WINDOW_MINUTES: u32 = 60;

/// How often a scheduled test may repeat, in days.
pub const EVERY_DAYS: std::ops::RangeInclusive<u32> = 1..=90;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::{GroupCount, PlacementClass, summarize_groups};

    fn rates(classes: &[(Option<PlacementClass>, i64)]) -> Rates {
        summarize_groups(classes.iter().map(|&(class, count)| GroupCount {
            group: "x".into(),
            class,
            count,
        }))
        .overall
    }

    #[test]
    fn the_score_follows_the_documented_weights() {
        use PlacementClass::*;
        type Counts<'a> = &'a [(Option<PlacementClass>, i64)];
        let cases: [(Counts, Option<f64>); 7] = [
            (&[(Some(Inbox), 4)], Some(10.0)),
            (&[(Some(Category), 2)], Some(5.0)),
            (&[(Some(Spam), 1), (Some(Missing), 1)], Some(0.0)),
            (&[(Some(Inbox), 1), (Some(Spam), 1)], Some(5.0)),
            (
                &[(Some(Inbox), 1), (Some(Category), 1), (Some(Missing), 1)],
                Some(5.0),
            ),
            (&[(Some(Inbox), 2), (Some(Other), 1)], Some(6.7)),
            // Still looked for, or never learnt: not in the score.
            (&[(None, 2), (Some(Unknown), 1)], None),
        ];
        for (classes, want) in cases {
            assert_eq!(score(&rates(classes)), want, "{classes:?}");
        }
        assert_eq!(
            score(&rates(&[(Some(Inbox), 1), (None, 3)])),
            Some(10.0),
            "pending seeds wait"
        );
    }

    #[test]
    fn status_follows_arrivals_and_the_window() {
        use TestStatus::*;
        for (seeds, arrived, over, want) in [
            (3, 0, false, Waiting),
            (3, 1, false, Running),
            (3, 3, false, Finished),
            (3, 1, true, Finished),
            (3, 0, true, Expired),
        ] {
            assert_eq!(TestStatus::of(seeds, arrived, over), want);
        }
        assert!(Waiting.open() && Running.open() && !Finished.open() && !Expired.open());
        for s in TestStatus::ALL {
            assert_eq!(TestStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn codes_are_checked_and_found_without_case() {
        assert!(check_code("wt-7f3k9q").is_ok());
        assert!(check_code("abc_DEF-123").is_ok());
        assert!(check_code("short").is_err());
        assert!(check_code("with space").is_err());
        assert!(check_code("dot.ted.code").is_err());
        assert!(check_code(&"x".repeat(65)).is_err());
        let mut n = 0;
        let code = new_code(|| {
            n += 7;
            n
        });
        assert!(code.starts_with("wt-") && code.len() == 9, "{code}");
        assert!(check_code(&code).is_ok());
        assert!(carries_code("Launch WT-7F3K9Q", None, "", "wt-7f3k9q"));
        assert!(carries_code("Launch", Some("wt-7f3k9q"), "", "wt-7f3k9q"));
        assert!(carries_code("Launch", None, "ref wt-7f3k9q.", "wt-7f3k9q"));
        assert!(!carries_code("Launch", None, "wt-7f3k9", "wt-7f3k9q"));
        // A whole word only: neither part of a longer code nor a longer one.
        assert!(!carries_code("Launch wt-7f3k9q1", None, "", "wt-7f3k9q"));
        assert!(!carries_code(
            "Launch",
            Some("wt-7f3k9q-2"),
            "xwt-7f3k9q",
            "wt-7f3k9q"
        ));
        assert!(carries_code("(wt-7f3k9q) é", None, "", "WT-7F3K9Q"));
        assert!(check_code("newsletter").is_err(), "a plain word is no code");
        assert!(check_code("123456").is_err());
    }

    #[test]
    fn audiences_name_their_providers() {
        assert_eq!(Audience::B2b.providers().len(), 3);
        assert!(Audience::B2c.providers().contains(&Provider::Zoho));
        assert_eq!(Audience::parse("b2c"), Some(Audience::B2c));
        assert_eq!(Audience::parse(""), None);
    }
}
