//! Provider split: how a day's sends are shared among providers so that, over days, each
//! provider's share converges on its percentage. Rounding remainders are carried from day to
//! day (in hundredths of a message), so no provider is shorted by systematic rounding.

use std::collections::BTreeMap;

use crate::provider::Provider;

/// Percentages per provider that sum to 100.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSplit(BTreeMap<Provider, u8>);

/// Why a split was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("percentages must add up to 100, these add up to {0}")]
    Sum(u32),
    #[error("each percentage must be from 0 to 100")]
    Range,
}

impl ProviderSplit {
    /// Validates percentages; providers at 0 are dropped.
    pub fn parse(raw: &BTreeMap<Provider, i64>) -> Result<Self, SplitError> {
        if raw.values().any(|p| !(0..=100).contains(p)) {
            return Err(SplitError::Range);
        }
        let sum: i64 = raw.values().sum();
        if sum != 100 {
            return Err(SplitError::Sum(u32::try_from(sum).unwrap_or(u32::MAX)));
        }
        Ok(Self(
            raw.iter()
                .filter(|(_, p)| **p > 0)
                .map(|(k, p)| (*k, u8::try_from(*p).unwrap_or(100)))
                .collect(),
        ))
    }

    /// A split known to be valid (the patterns' defaults, tested to sum to 100).
    pub(crate) fn from_valid(percentages: BTreeMap<Provider, u8>) -> Self {
        Self(percentages.into_iter().filter(|(_, p)| *p > 0).collect())
    }

    /// The percentages, zero entries left out.
    pub fn percentages(&self) -> &BTreeMap<Provider, u8> {
        &self.0
    }
}

impl serde::Serialize for ProviderSplit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for ProviderSplit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: BTreeMap<Provider, i64> = serde::Deserialize::deserialize(d)?;
        ProviderSplit::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Remainders carried between days, in hundredths of a message; their sum is always zero.
pub type Carry = BTreeMap<Provider, i64>;

/// Shares `total` sends among the split's providers, given yesterday's carry.
/// Returns today's counts (summing to `total`) and the carry for tomorrow.
pub fn allocate(
    total: u32,
    split: &ProviderSplit,
    carry: &Carry,
) -> (BTreeMap<Provider, u32>, Carry) {
    let total = i64::from(total);
    // Exact share in hundredths, plus what earlier days owe (or were overpaid).
    let owed: Vec<(Provider, i64)> = split
        .0
        .iter()
        .map(|(p, pct)| {
            (
                *p,
                total * i64::from(*pct) + carry.get(p).copied().unwrap_or(0),
            )
        })
        .collect();
    let mut given: BTreeMap<Provider, i64> = owed
        .iter()
        .map(|(p, o)| (*p, o.div_euclid(100).max(0)))
        .collect();
    let mut left = total - given.values().sum::<i64>();
    // Largest remainder first; ties go to the larger percentage, then the provider order.
    let mut order: Vec<&(Provider, i64)> = owed.iter().collect();
    order.sort_by_key(|(p, o)| {
        (
            std::cmp::Reverse(o - 100 * given.get(p).copied().unwrap_or(0)),
            std::cmp::Reverse(split.0.get(p).copied().unwrap_or(0)),
            *p,
        )
    });
    while left > 0 {
        for (p, _) in &order {
            if left == 0 {
                break;
            }
            *given.entry(*p).or_insert(0) += 1;
            left -= 1;
        }
    }
    while left < 0 {
        // Only after an overpaid carry: take back from those most overpaid.
        for (p, _) in order.iter().rev() {
            if left == 0 {
                break;
            }
            if let Some(g) = given.get_mut(p).filter(|g| **g > 0) {
                *g -= 1;
                left += 1;
            }
        }
    }
    let next: Carry = owed
        .iter()
        .map(|(p, o)| (*p, o - 100 * given.get(p).copied().unwrap_or(0)))
        .collect();
    let counts = given
        .into_iter()
        .map(|(p, g)| (p, u32::try_from(g).unwrap_or(0)))
        .collect();
    (counts, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(entries: &[(Provider, i64)]) -> ProviderSplit {
        ProviderSplit::parse(&entries.iter().copied().collect()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn percentages_must_sum_to_100_and_stay_in_range() {
        let ok: BTreeMap<_, _> = [
            (Provider::Gmail, 60),
            (Provider::Outlook, 40),
            (Provider::Yahoo, 0),
        ]
        .into();
        assert_eq!(
            ProviderSplit::parse(&ok).map(|s| s.percentages().len()),
            Ok(2)
        );
        let bad: BTreeMap<_, _> = [(Provider::Gmail, 60), (Provider::Outlook, 30)].into();
        assert_eq!(ProviderSplit::parse(&bad), Err(SplitError::Sum(90)));
        let neg: BTreeMap<_, _> = [(Provider::Gmail, 110), (Provider::Outlook, -10)].into();
        assert_eq!(ProviderSplit::parse(&neg), Err(SplitError::Range));
    }

    #[test]
    fn one_message_a_day_rotates_through_providers_by_share() {
        let s = split(&[
            (Provider::Gmail, 50),
            (Provider::Outlook, 30),
            (Provider::Yahoo, 20),
        ]);
        let mut carry = Carry::new();
        let mut sent: BTreeMap<Provider, u32> = BTreeMap::new();
        for _ in 0..10 {
            let (counts, next) = allocate(1, &s, &carry);
            assert_eq!(counts.values().sum::<u32>(), 1);
            for (p, c) in counts {
                *sent.entry(p).or_default() += c;
            }
            carry = next;
        }
        assert_eq!(sent.get(&Provider::Gmail), Some(&5));
        assert_eq!(sent.get(&Provider::Outlook), Some(&3));
        assert_eq!(sent.get(&Provider::Yahoo), Some(&2));
    }

    fn arb_split() -> impl Strategy<Value = ProviderSplit> {
        proptest::collection::vec(1i64..100, 1..6).prop_map(|weights| {
            // Scale arbitrary weights to percentages that sum to exactly 100.
            let sum: i64 = weights.iter().sum();
            let mut pcts: Vec<i64> = weights.iter().map(|w| w * 100 / sum).collect();
            let short = 100 - pcts.iter().sum::<i64>();
            pcts[0] += short;
            let entries: Vec<(Provider, i64)> = Provider::ALL.iter().copied().zip(pcts).collect();
            split(&entries)
        })
    }

    proptest! {
        #[test]
        fn counts_sum_to_the_total_and_long_run_shares_stay_within_one_message(
            s in arb_split(),
            days in proptest::collection::vec(0u32..60, 1..90),
        ) {
            let mut carry = Carry::new();
            let mut sent: BTreeMap<Provider, i64> = BTreeMap::new();
            let mut total: i64 = 0;
            for day in days {
                let (counts, next) = allocate(day, &s, &carry);
                prop_assert_eq!(counts.values().sum::<u32>(), day);
                prop_assert_eq!(next.values().sum::<i64>(), 0);
                for (p, c) in counts {
                    *sent.entry(p).or_default() += i64::from(c);
                }
                total += i64::from(day);
                carry = next;
                for (p, pct) in s.percentages() {
                    let exact = total * i64::from(*pct);
                    let got = sent.get(p).copied().unwrap_or(0) * 100;
                    prop_assert!((exact - got).abs() < 100, "{p}: exact {exact} got {got}");
                }
            }
        }
    }
}
