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
}

impl SenderPattern {
    /// Parses `name@example.com` or `@example.com`; both are kept lower-cased, since senders
    /// are matched without regard to case.
    pub fn parse(raw: &str) -> Result<Self, SenderError> {
        let raw = raw.trim();
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
