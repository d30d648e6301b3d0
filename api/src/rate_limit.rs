//! Request limits in one-minute windows (each starts with a subject's first request after the
//! last one ended), announced with the IETF `RateLimit-*` headers on every response and
//! `Retry-After` on a 429.
//!
//! An API key's and an organization's requests are counted in the database
//! (`store::rate_windows`), so every API process on it enforces one limit. The counters here,
//! in memory, come first: a client without a valid key is limited per process (each API process
//! allows its limit per client network; counting strangers in the database would let them write
//! to it), and a key whose window this process last learnt from the database to be spent is
//! refused without a query until that window ends.
//!
//! Each limiter remembers a fixed number of keys in least-recently-used order, split into
//! shards with a lock each: a flood of new keys pushes out the keys seen least recently, never
//! a busy one (a busy key is always recent), and a request costs one shard's lock and constant
//! work however many keys are remembered.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash};
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use hashlink::LruCache;

/// Keys each limiter remembers: about 100 bytes each, so a few megabytes per limiter at most.
pub const REMEMBERED_KEYS: usize = 32_768;

/// Enough shards that API workers rarely wait for one another's lock.
const SHARDS: usize = 16;

/// The decision for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset_secs: u64,
}

/// A window's length: one minute.
pub const WINDOW_MS: i64 = warmup_entity::store::rate_windows::WINDOW_MS;

/// Milliseconds since the Unix epoch: the time every process counts windows in.
pub fn now_ms(now: SystemTime) -> i64 {
    now.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The decision for a subject whose window started at `started_ms` and has counted `used`
/// requests (this one included) at `now_ms`.
pub fn decide(started_ms: i64, used: u64, limit: u32, now_ms: i64) -> Decision {
    let left_ms = (started_ms + WINDOW_MS - now_ms).clamp(0, WINDOW_MS);
    Decision {
        allowed: used <= u64::from(limit),
        limit,
        remaining: u32::try_from(u64::from(limit).saturating_sub(used)).unwrap_or(0),
        // Whole seconds, rounded up, and at least one: a client told 0 would retry at once.
        reset_secs: u64::try_from((left_ms + 999) / 1000).unwrap_or(1).max(1),
    }
}

struct Window {
    started_ms: i64,
    used: u64,
}

impl Window {
    fn count(&mut self, limit: u32, now_ms: i64) -> Decision {
        if now_ms >= self.started_ms + WINDOW_MS {
            self.started_ms = now_ms;
            self.used = 0;
        }
        // A refused request is not counted: a client hammering past its limit costs nothing.
        if self.used < u64::from(limit) {
            self.used += 1;
            return decide(self.started_ms, self.used, limit, now_ms);
        }
        decide(self.started_ms, self.used + 1, limit, now_ms)
    }

    /// Whether this window, still running at `now_ms`, has spent `limit`.
    fn spent(&self, limit: u32, now_ms: i64) -> Option<Decision> {
        (now_ms < self.started_ms + WINDOW_MS && self.used >= u64::from(limit))
            .then(|| decide(self.started_ms, self.used + 1, limit, now_ms))
    }
}

type Shard<K> = LruCache<K, Window, RandomState>;

/// Counts requests per key, for at most a fixed number of keys.
pub struct RateLimiter<K> {
    limit: u32,
    // Its own random key: were it the shards' hasher, every key of a shard would share its low
    // bits and crowd the shard's table.
    pick_shard: RandomState,
    shards: Box<[Mutex<Shard<K>>]>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// `limit` requests per minute for each key, remembering at most `capacity` keys.
    pub fn new(limit: u32, capacity: usize) -> Self {
        let capacity = capacity.max(1);
        let shards = SHARDS.min(capacity);
        Self {
            limit,
            pick_shard: RandomState::new(),
            // SipHash with a per-process random key: clients choose the keys (addresses, key
            // digests), and must not be able to aim them at one bucket.
            shards: (0..shards)
                .map(|_| Mutex::new(LruCache::with_hasher(capacity / shards, RandomState::new())))
                .collect(),
        }
    }

    fn shard(&self, key: &K) -> MutexGuard<'_, Shard<K>> {
        let n = self.shards.len() as u64;
        let i = usize::try_from(self.pick_shard.hash_one(key) % n).unwrap_or(0);
        // A panic while counting leaves a window at worst one request off: keep going.
        self.shards[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The limit per minute.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Counts one request for `key` at `now_ms`.
    pub fn check(&self, key: &K, now_ms: i64) -> Decision {
        let mut shard = self.shard(key);
        if let Some(window) = shard.get_mut(key) {
            return window.count(self.limit, now_ms);
        }
        let mut window = Window {
            started_ms: now_ms,
            used: 0,
        };
        let decision = window.count(self.limit, now_ms);
        shard.insert(key.clone(), window);
        decision
    }

    /// The refusal for `key` when what was last learnt of its window says it is spent, without
    /// counting a request; `None` when it may go on.
    pub fn spent(&self, key: &K, now_ms: i64) -> Option<Decision> {
        self.shard(key)
            .get(key)
            .and_then(|w| w.spent(self.limit, now_ms))
    }

    /// Remembers `key`'s window as counted elsewhere (the database every process shares).
    pub fn learn(&self, key: &K, started_ms: i64, used: u64) {
        self.shard(key)
            .insert(key.clone(), Window { started_ms, used });
    }

    /// Whether `key` is remembered (without counting a request or refreshing it).
    pub fn contains(&self, key: &K) -> bool {
        self.shard(key).contains_key(key)
    }

    /// Forgets `key` and its count.
    pub fn forget(&self, key: &K) {
        self.shard(key).remove(key);
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
    }

    /// True when no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The API's three limits.
pub struct Limits {
    /// Requests without a valid API key (none, unknown, revoked), per client network; counted
    /// before the key is looked up, so made-up keys cost no database query once it is spent.
    pub clients: RateLimiter<IpAddr>,
    /// Requests per API key, by its SHA-256 digest so that memory never holds a usable key,
    /// as this process saw them. A key remembered here has authenticated in this process, which
    /// lets it past the client limit: strangers sharing its address cannot lock it out.
    pub keys: RateLimiter<[u8; 32]>,
    /// Requests per minute of an organization, all its keys together: more keys buy no more
    /// requests. Counted in the database only.
    pub organization_limit: u32,
}

impl Limits {
    /// Limits per minute: `per_key`, `per_key * org_multiple` per organization and
    /// `unauthenticated` per client network.
    pub fn per_minute(per_key: u32, org_multiple: u32, unauthenticated: u32) -> Self {
        Self {
            clients: RateLimiter::new(unauthenticated.max(1), REMEMBERED_KEYS),
            keys: RateLimiter::new(per_key.max(1), REMEMBERED_KEYS),
            organization_limit: per_key.max(1).saturating_mul(org_multiple.max(1)),
        }
    }
}

/// The network a client address is counted under: an IPv4 address, or an IPv6 address's /64,
/// the smallest network a provider hands a subscriber (a host picks freely among its 2^64
/// addresses, so counting addresses would count nothing).
pub fn client_network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1000;

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_ends() {
        let rl = RateLimiter::new(2, 100);
        assert_eq!(rl.check(&"k", 0).remaining, 1);
        assert!(rl.check(&"k", S).allowed);
        let refused = rl.check(&"k", 10 * S);
        assert!(!refused.allowed);
        assert_eq!(refused.remaining, 0);
        assert_eq!(refused.reset_secs, 50);
        assert!(rl.check(&"other", 10 * S).allowed, "keys are counted apart");
        assert!(rl.check(&"k", 60 * S).allowed);
    }

    #[test]
    fn a_window_learnt_from_elsewhere_refuses_until_it_ends_without_counting() {
        let rl = RateLimiter::new(3, 100);
        assert!(rl.spent(&"k", 0).is_none(), "unknown: nothing to refuse");
        rl.learn(&"k", 0, 2);
        assert!(rl.spent(&"k", S).is_none(), "one left");
        rl.learn(&"k", 0, 3);
        let refused = rl.spent(&"k", 59_500);
        assert_eq!(refused.map(|d| (d.allowed, d.reset_secs)), Some((false, 1)));
        assert!(rl.spent(&"k", 60 * S).is_none(), "the window has ended");
    }

    #[test]
    fn decisions_round_the_reset_up_and_never_to_zero() {
        let d = decide(0, 3, 3, 30 * S + 1);
        assert!(d.allowed);
        assert_eq!((d.remaining, d.reset_secs), (0, 30));
        assert!(!decide(0, 4, 3, S).allowed);
        assert_eq!(decide(0, 1, 3, 0).remaining, 2);
        assert_eq!(decide(0, 1, 3, 0).reset_secs, 60);
        assert_eq!(decide(0, 9, 3, 70 * S).reset_secs, 1);
    }

    #[test]
    fn memory_stays_bounded_and_a_flood_of_new_keys_does_not_free_a_busy_one() {
        let capacity = 1_000;
        let rl = RateLimiter::new(2, capacity);
        assert!(rl.check(&u64::MAX, 0).allowed);
        assert!(rl.check(&u64::MAX, 0).allowed);
        for i in 0..200_000_u64 {
            rl.check(&i, 0);
            if i % 10 == 0 {
                assert!(!rl.check(&u64::MAX, 0).allowed, "freed after {i} keys");
            }
        }
        assert!(rl.len() <= capacity, "{} keys remembered", rl.len());
        assert!(rl.len() >= capacity / 2, "{} keys remembered", rl.len());
        assert!(rl.contains(&u64::MAX));
        rl.forget(&u64::MAX);
        assert!(!rl.contains(&u64::MAX));
        assert!(rl.check(&u64::MAX, 0).allowed, "forgotten, counted anew");
    }

    #[test]
    fn a_tiny_capacity_still_counts() {
        let rl = RateLimiter::new(1, 1);
        assert!(rl.check(&1, 0).allowed);
        assert!(!rl.check(&1, 0).allowed);
        assert!(rl.check(&2, 0).allowed);
        assert_eq!(rl.len(), 1);
    }

    #[test]
    fn an_organization_may_spend_a_multiple_of_a_key_s_limit() {
        let limits = Limits::per_minute(3, 4, 7);
        assert_eq!(limits.organization_limit, 12);
        assert_eq!(limits.keys.limit(), 3);
        assert_eq!(limits.clients.limit(), 7);
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_network_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1"
            .parse()
            .unwrap_or(IpAddr::from([0; 4]));
        let b: IpAddr = "2001:db8:1:2:ffff::9"
            .parse()
            .unwrap_or(IpAddr::from([0; 4]));
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap_or(IpAddr::from([0; 4]));
        assert_eq!(client_network(a), client_network(b));
        assert_ne!(client_network(a), client_network(c));
        assert_eq!(client_network(a).to_string(), "2001:db8:1:2::");
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap_or(IpAddr::from([0; 4]));
        assert_eq!(client_network(mapped), IpAddr::from([192, 0, 2, 7]));
        let v4 = IpAddr::from([192, 0, 2, 7]);
        assert_eq!(client_network(v4), v4);
    }
}
