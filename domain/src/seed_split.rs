//! Seed-list splits: an organization's slice of the seed pool for its own campaigns. Which
//! senders a split may approve, whether a message's sender is approved, and which seeds a new
//! split gets (the least shared first, so the pool's load stays even).

use std::fmt;

use crate::email::EmailAddress;

/// Seeds one split may ask for.
pub const MAX_SEEDS_PER_SPLIT: u32 = 500;

/// Splits one seed may be in unless the operator says otherwise (`WARMUP_SEED_MAX_SPLITS`).
pub const DEFAULT_MAX_SPLITS_PER_SEED: u32 = 20;

/// Domains whose mailboxes belong to many unrelated people: approving the whole domain would
/// approve strangers' mail, so only single addresses of them can be approved.
const FREE_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "ymail.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.com",
    "proton.me",
    "protonmail.com",
    "zoho.com",
    "yandex.com",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "hotmail.co.uk",
    "hotmail.fr",
    "hotmail.de",
    "hotmail.it",
    "hotmail.es",
    "live.co.uk",
    "live.fr",
    "outlook.de",
    "outlook.fr",
    "outlook.es",
    "yahoo.co.uk",
    "yahoo.fr",
    "yahoo.de",
    "yahoo.es",
    "yahoo.it",
    "yahoo.co.jp",
    "yahoo.com.br",
    "aol.co.uk",
    "btinternet.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "libero.it",
    "t-online.de",
    "seznam.cz",
    "naver.com",
    "daum.net",
    "rediffmail.com",
    "uol.com.br",
    "bol.com.br",
    "tutanota.com",
    "tuta.io",
    "fastmail.com",
    "hey.com",
    "pm.me",
    "proton.ch",
    "protonmail.ch",
    "zohomail.com",
    "yandex.ua",
    "inbox.ru",
    "list.ru",
    "bk.ru",
    "rambler.ru",
];

/// An approved sender: one address, or every address of a domain (`@example.com`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SenderPattern {
    Address(String),
    Domain(String),
}

/// Why a sender pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SenderError {
    #[error("must be an address (name@example.com) or a whole domain (@example.com)")]
    Shape,
    #[error("{0} is a free-mail domain shared by unrelated people: approve single addresses of it")]
    FreeMailDomain(String),
    #[error("must be ASCII: give an internationalized domain in its xn-- form")]
    NotAscii,
}

impl SenderPattern {
    /// Parses `name@example.com` or `@example.com`; both are kept lower-cased, since senders
    /// are matched without regard to case.
    pub fn parse(raw: &str) -> Result<Self, SenderError> {
        let raw = raw.trim();
        // IMAP SEARCH takes ASCII without a CHARSET; internationalized domains are given in
        // their ASCII form (xn--...).
        if !raw.is_ascii() {
            return Err(SenderError::NotAscii);
        }
        if let Some(domain) = raw.strip_prefix('@') {
            // A domain is valid when some address at it is.
            let probe =
                EmailAddress::parse(&format!("x@{domain}")).map_err(|_| SenderError::Shape)?;
            let domain = probe.domain().to_string();
            if FREE_MAIL_DOMAINS.contains(&domain.as_str()) {
                return Err(SenderError::FreeMailDomain(domain));
            }
            return Ok(Self::Domain(domain));
        }
        let address = EmailAddress::parse(raw).map_err(|_| SenderError::Shape)?;
        Ok(Self::Address(address.key()))
    }

    /// Whether some sender could be approved by both: the same address, or an address and
    /// its whole domain, or the same domain. Two organizations may not hold overlapping
    /// patterns on one seed, or a message could belong to either.
    pub fn overlaps(&self, other: &SenderPattern) -> bool {
        match (self, other) {
            (Self::Address(a), Self::Address(b)) | (Self::Domain(a), Self::Domain(b)) => a == b,
            (Self::Address(a), Self::Domain(d)) | (Self::Domain(d), Self::Address(a)) => {
                a.rsplit_once('@').is_some_and(|(_, domain)| domain == d)
            }
        }
    }

    /// The text an IMAP `SEARCH FROM` looks for: a substring of the From header, so what it
    /// finds is checked again with [`SenderPattern::matches`].
    pub fn search_text(&self) -> String {
        match self {
            Self::Address(a) => a.clone(),
            Self::Domain(d) => format!("@{d}"),
        }
    }

    /// Whether mail from `from` (an address as a message's `From` carries it) is approved.
    pub fn matches(&self, from: &str) -> bool {
        let from = from.trim().to_lowercase();
        match self {
            Self::Address(a) => from == *a,
            Self::Domain(d) => from.rsplit_once('@').is_some_and(|(_, domain)| domain == d),
        }
    }
}

impl fmt::Display for SenderPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Address(a) => f.write_str(a),
            Self::Domain(d) => write!(f, "@{d}"),
        }
    }
}

/// A seed of the pool as allocation sees it: its id and how many splits it is in now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSeed<Id> {
    pub id: Id,
    pub splits: u32,
}

/// Not enough seeds: how many could have been given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("only {available} seeds of this provider and group can take another split")]
pub struct NotEnoughSeeds {
    pub available: u32,
}

/// The `amount` seeds a new split gets from `pool`: those in the fewest splits first (ties in
/// the pool's order), never one already in `max_splits` splits. All or nothing.
pub fn allocate<Id: Copy>(
    pool: &[PoolSeed<Id>],
    amount: u32,
    max_splits: u32,
) -> Result<Vec<Id>, NotEnoughSeeds> {
    let mut open: Vec<(usize, &PoolSeed<Id>)> = pool
        .iter()
        .enumerate()
        .filter(|(_, s)| s.splits < max_splits)
        .collect();
    let available = u32::try_from(open.len()).unwrap_or(u32::MAX);
    if available < amount {
        return Err(NotEnoughSeeds { available });
    }
    // Stable: among seeds in as many splits, the pool's order decides.
    open.sort_by_key(|(at, s)| (s.splits, *at));
    Ok(open
        .into_iter()
        .take(usize::try_from(amount).unwrap_or(usize::MAX))
        .map(|(_, s)| s.id)
        .collect())
}

/// Senders one split may approve.
pub const MAX_SENDERS_PER_SPLIT: u32 = 100;

/// One count of seed-list placements: a day (`YYYY-MM-DD`, UTC), provider, sender, campaign
/// and class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedListRow {
    pub date: String,
    pub provider: String,
    pub sender: String,
    pub campaign: String,
    pub class: crate::placement::PlacementClass,
    pub count: u64,
}

/// A split's placements added up overall and per provider, day, sender and campaign.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct SeedListSummary {
    pub overall: crate::placement::Rates,
    pub providers: std::collections::BTreeMap<String, crate::placement::Rates>,
    /// `YYYY-MM-DD` (UTC) of arrival, or of the campaign's first arrival for missing mail.
    pub days: std::collections::BTreeMap<String, crate::placement::Rates>,
    pub senders: std::collections::BTreeMap<String, crate::placement::Rates>,
    /// By `List-ID`, else `X-Campaign-ID`, else subject.
    pub campaigns: std::collections::BTreeMap<String, crate::placement::Rates>,
}

/// Adds up seed-list rows; rows may repeat a key.
pub fn summarize(rows: impl IntoIterator<Item = SeedListRow>) -> SeedListSummary {
    use crate::placement::Rates;
    use std::collections::BTreeMap;
    let mut s = SeedListSummary::default();
    for r in rows {
        let class = Some(r.class);
        s.overall.add(class, r.count);
        for (map, key) in [
            (&mut s.providers, r.provider),
            (&mut s.days, r.date),
            (&mut s.senders, r.sender),
            (&mut s.campaigns, r.campaign),
        ] {
            map.entry(key).or_default().add(class, r.count);
        }
    }
    let finish = |m: BTreeMap<String, Rates>| -> BTreeMap<String, Rates> {
        m.into_iter().map(|(k, r)| (k, r.with_rates())).collect()
    };
    SeedListSummary {
        overall: s.overall.with_rates(),
        providers: finish(s.providers),
        days: finish(s.days),
        senders: finish(s.senders),
        campaigns: finish(s.campaigns),
    }
}

/// Days between two rotations of a split unless it says otherwise.
pub const DEFAULT_ROTATION_DAYS: u32 = 30;

/// Days a split lasts unless it says otherwise.
pub const DEFAULT_EXPIRY_DAYS: u32 = 365;

/// Seeds a rotation replaces: a quarter of the split, at least one. Enough that a list copied
/// once goes stale, few enough that the split's history stays comparable from one month to
/// the next.
pub fn rotation_size(seeds: usize) -> usize {
    if seeds == 0 { 0 } else { seeds.div_ceil(4) }
}

/// What identifies a campaign among a split's mail: its `List-ID`, else its `X-Campaign-ID`,
/// else its subject. ESPs send each recipient a message of its own (a Message-ID of its own),
/// so "the same campaign at another seed" can only be told by these.
pub fn campaign_key(list_id: Option<&str>, campaign_id: Option<&str>, subject: &str) -> String {
    let key = [list_id, campaign_id]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| subject.trim());
    // Bounded: a header is the sender's to make as long as it likes.
    key.chars().take(300).collect()
}

/// What a split's seeds do with its mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitEngagement {
    pub rescue: bool,
    pub open: bool,
    pub mark_important: bool,
    /// Share of opened messages answered: replies to real campaigns reach real people, so 0
    /// unless the organization asks.
    pub reply_percent: u32,
    pub pattern: crate::pattern::Pattern,
}

impl Default for SplitEngagement {
    fn default() -> Self {
        Self {
            rescue: true,
            open: true,
            mark_important: true,
            reply_percent: 0,
            pattern: crate::pattern::Pattern::B2b,
        }
    }
}

impl SplitEngagement {
    /// The steps a seed takes with a campaign message found in a folder of `class`, at the
    /// split's pattern's human pace; never archived, and never a thread of more than one reply.
    pub fn steps(
        &self,
        class: crate::placement::PlacementClass,
        found_at: chrono::DateTime<chrono::Utc>,
        rng: &mut impl rand::Rng,
    ) -> Vec<crate::engagement::Step> {
        use crate::engagement::{Action, Rates, plan};
        let rates = Rates {
            open_percent: if self.open { 100 } else { 0 },
            important_percent: if self.mark_important { 100 } else { 0 },
            archive_percent: 0,
            reply_percent: self.reply_percent,
            continue_thread_percent: 0,
        };
        let mut steps = plan(&self.pattern.params(), &rates, class, 0, found_at, rng);
        if !self.rescue {
            steps.retain(|s| s.action != Action::Rescue);
        }
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn senders_are_addresses_or_whole_domains() {
        assert_eq!(
            SenderPattern::parse(" News@Acme.Example "),
            Ok(SenderPattern::Address("news@acme.example".into()))
        );
        assert_eq!(
            SenderPattern::parse("@Acme.Example"),
            Ok(SenderPattern::Domain("acme.example".into()))
        );
        for bad in [
            "",
            "@",
            "acme.example",
            "@-bad-.example",
            "a b@acme.example",
            "@x",
        ] {
            assert_eq!(
                SenderPattern::parse(bad),
                Err(SenderError::Shape),
                "{bad:?}"
            );
        }
        assert_eq!(
            SenderPattern::parse("@GMail.com"),
            Err(SenderError::FreeMailDomain("gmail.com".into()))
        );
        assert!(SenderPattern::parse("someone@gmail.com").is_ok());
        assert_eq!(
            SenderPattern::parse("@pm.me"),
            Err(SenderError::FreeMailDomain("pm.me".into()))
        );
        assert_eq!(
            SenderPattern::parse("jörg@acme.example"),
            Err(SenderError::NotAscii)
        );
        assert_eq!(
            SenderPattern::parse("@acme.example").map(|p| p.to_string()),
            Ok("@acme.example".to_string())
        );
    }

    #[test]
    fn a_domain_approves_its_addresses_only() {
        let domain = SenderPattern::Domain("acme.example".into());
        assert!(domain.matches("News@ACME.example"));
        assert!(!domain.matches("news@mail.acme.example"));
        assert!(!domain.matches("news@acme.example.evil"));
        let one = SenderPattern::Address("news@acme.example".into());
        assert!(one.matches("NEWS@acme.example"));
        assert!(!one.matches("sales@acme.example"));
    }

    #[test]
    fn patterns_overlap_when_one_sender_fits_both() {
        let p = |s: &str| SenderPattern::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert!(p("a@acme.example").overlaps(&p("A@acme.example")));
        assert!(p("a@acme.example").overlaps(&p("@acme.example")));
        assert!(p("@acme.example").overlaps(&p("a@acme.example")));
        assert!(p("@acme.example").overlaps(&p("@ACME.example")));
        assert!(!p("a@acme.example").overlaps(&p("b@acme.example")));
        assert!(!p("a@gmail.com").overlaps(&p("b@gmail.com")));
        assert!(!p("@acme.example").overlaps(&p("a@mail.acme.example")));
    }

    #[test]
    fn a_campaign_is_its_list_then_its_campaign_id_then_its_subject() {
        assert_eq!(
            campaign_key(Some(" <news.acme> "), Some("c-1"), "Hello"),
            "<news.acme>"
        );
        assert_eq!(campaign_key(None, Some("c-1"), "Hello"), "c-1");
        assert_eq!(campaign_key(Some(""), None, " Hello "), "Hello");
        assert_eq!(campaign_key(None, None, &"x".repeat(1000)).len(), 300);
    }

    #[test]
    fn a_summary_adds_up_per_provider_day_sender_and_campaign() {
        use crate::placement::PlacementClass::{Inbox, Missing, Spam};
        let row = |provider: &str, sender: &str, campaign: &str, class, count| SeedListRow {
            date: "2026-12-04".into(),
            provider: provider.into(),
            sender: sender.into(),
            campaign: campaign.into(),
            class,
            count,
        };
        let s = summarize([
            row("gmail", "a@x.example", "c1", Inbox, 3),
            row("gmail", "a@x.example", "c1", Spam, 1),
            row("outlook", "b@x.example", "c2", Missing, 1),
        ]);
        assert_eq!((s.overall.total, s.overall.inbox), (5, 3));
        assert_eq!(s.overall.inbox_rate, Some(60.0));
        assert_eq!(s.providers["gmail"].spam_rate, Some(25.0));
        assert_eq!(s.senders["b@x.example"].missing, 1);
        assert_eq!(s.campaigns["c1"].total, 4);
        assert_eq!(s.days["2026-12-04"].total, 5);
    }

    #[test]
    fn rotation_replaces_a_quarter_at_least_one() {
        assert_eq!(
            [0, 1, 3, 4, 5, 8, 500].map(rotation_size),
            [0, 1, 1, 1, 2, 2, 125]
        );
    }

    #[test]
    fn split_engagement_follows_its_switches() {
        use crate::engagement::Action;
        use crate::placement::PlacementClass;
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let now = chrono::Utc::now();
        let actions = |e: SplitEngagement, class, rng: &mut rand::rngs::StdRng| -> Vec<Action> {
            e.steps(class, now, rng).iter().map(|s| s.action).collect()
        };
        let all = SplitEngagement::default();
        assert_eq!(
            actions(all, PlacementClass::Spam, &mut rng),
            [Action::Rescue, Action::Open, Action::Flag]
        );
        assert_eq!(
            actions(all, PlacementClass::Inbox, &mut rng),
            [Action::Open, Action::Flag]
        );
        let nothing = SplitEngagement {
            rescue: false,
            open: false,
            mark_important: false,
            ..all
        };
        assert!(actions(nothing, PlacementClass::Spam, &mut rng).is_empty());
        let replying = SplitEngagement {
            reply_percent: 100,
            ..all
        };
        assert!(actions(replying, PlacementClass::Inbox, &mut rng).contains(&Action::Reply));
        assert!(actions(all, PlacementClass::Missing, &mut rng).is_empty());
    }

    #[test]
    fn the_least_shared_seeds_go_first_and_full_ones_never() {
        let pool = [
            PoolSeed { id: 'a', splits: 3 },
            PoolSeed { id: 'b', splits: 0 },
            PoolSeed {
                id: 'c',
                splits: 20,
            },
            PoolSeed { id: 'd', splits: 1 },
            PoolSeed { id: 'e', splits: 0 },
        ];
        assert_eq!(allocate(&pool, 3, 20), Ok(vec!['b', 'e', 'd']));
        assert_eq!(allocate(&pool, 5, 20), Err(NotEnoughSeeds { available: 4 }));
        assert_eq!(allocate(&pool, 0, 20), Ok(vec![]));
    }

    proptest! {
        /// Splits allocated one after another keep the pool even: the most and least shared
        /// seeds differ by at most one split.
        #[test]
        fn allocation_keeps_the_load_even(
            seeds in 1usize..60,
            asks in proptest::collection::vec(1u32..20, 1..40),
        ) {
            let mut pool: Vec<PoolSeed<usize>> =
                (0..seeds).map(|id| PoolSeed { id, splits: 0 }).collect();
            for amount in asks {
                let Ok(given) = allocate(&pool, amount, u32::MAX) else {
                    prop_assert!(amount as usize > seeds);
                    continue;
                };
                for id in given {
                    pool[id].splits += 1;
                }
                let most = pool.iter().map(|s| s.splits).max().unwrap_or(0);
                let least = pool.iter().map(|s| s.splits).min().unwrap_or(0);
                prop_assert!(most - least <= 1, "{pool:?}");
            }
        }
    }
}
