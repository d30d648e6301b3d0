//! Request limits in fixed one-minute windows, announced with the IETF `RateLimit-*` headers on
//! every response and `Retry-After` on a 429.
//!
//! Kept in memory: each API process enforces its own share, which bounds abuse without a
//! database round trip per request. Each limiter remembers a fixed number of keys in
//! least-recently-used order, split into shards with a lock each: a flood of new keys pushes
//! out the keys seen least recently, never a busy one (a busy key is always recent), and a
//! request costs one shard's lock and constant work however many keys are remembered.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash};
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use hashlink::LruCache;
use warmup_entity::OrgId;

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

struct Window {
    started: Instant,
    used: u32,
}

impl Window {
    fn count(&mut self, limit: u32, period: Duration, now: Instant) -> Decision {
        if now.duration_since(self.started) >= period {
            self.started = now;
            self.used = 0;
        }
        let allowed = self.used < limit;
        if allowed {
            self.used += 1;
        }
        let reset = period.saturating_sub(now.duration_since(self.started));
        Decision {
            allowed,
            limit,
            remaining: limit.saturating_sub(self.used),
            reset_secs: reset.as_secs() + u64::from(reset.subsec_nanos() > 0),
        }
    }
}

type Shard<K> = LruCache<K, Window, RandomState>;

/// Counts requests per key, for at most a fixed number of keys.
pub struct RateLimiter<K> {
    limit: u32,
    period: Duration,
    // Its own random key: were it the shards' hasher, every key of a shard would share its low
    // bits and crowd the shard's table.
    pick_shard: RandomState,
    shards: Box<[Mutex<Shard<K>>]>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// `limit` requests per `period` for each key, remembering at most `capacity` keys.
    pub fn new(limit: u32, period: Duration, capacity: usize) -> Self {
        let capacity = capacity.max(1);
        let shards = SHARDS.min(capacity);
        Self {
            limit,
            period,
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

    /// Counts one request for `key` at `now`.
    pub fn check(&self, key: &K, now: Instant) -> Decision {
        let mut shard = self.shard(key);
        if let Some(window) = shard.get_mut(key) {
            return window.count(self.limit, self.period, now);
        }
        let mut window = Window {
            started: now,
            used: 0,
        };
        let decision = window.count(self.limit, self.period, now);
        shard.insert(key.clone(), window);
        decision
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
    /// Requests per API key, by its SHA-256 digest so that memory never holds a usable key. A
    /// key remembered here has authenticated in this process, which lets it past the client
    /// limit: strangers sharing its address cannot lock it out.
    pub keys: RateLimiter<[u8; 32]>,
    /// Requests per organization, all its keys together: more keys buy no more requests.
    pub organizations: RateLimiter<OrgId>,
}

impl Limits {
    /// Limits per minute: `per_key`, `per_key * org_multiple` per organization and
    /// `unauthenticated` per client network.
    pub fn per_minute(per_key: u32, org_multiple: u32, unauthenticated: u32) -> Self {
        let minute = Duration::from_secs(60);
        Self {
            clients: RateLimiter::new(unauthenticated.max(1), minute, REMEMBERED_KEYS),
            keys: RateLimiter::new(per_key.max(1), minute, REMEMBERED_KEYS),
            organizations: RateLimiter::new(
                per_key.max(1).saturating_mul(org_multiple.max(1)),
                minute,
                REMEMBERED_KEYS,
            ),
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

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_resets() {
        let rl = RateLimiter::new(2, Duration::from_secs(60), 100);
        let t0 = Instant::now();
        assert_eq!(rl.check(&"k", t0).remaining, 1);
        assert!(rl.check(&"k", t0).allowed);
        let refused = rl.check(&"k", t0 + Duration::from_secs(10));
        assert!(!refused.allowed);
        assert_eq!(refused.reset_secs, 50);
        assert!(rl.check(&"other", t0).allowed, "keys are counted apart");
        assert!(rl.check(&"k", t0 + Duration::from_secs(60)).allowed);
    }

    #[test]
    fn memory_stays_bounded_and_a_flood_of_new_keys_does_not_free_a_busy_one() {
        let capacity = 1_000;
        let rl = RateLimiter::new(2, Duration::from_secs(60), capacity);
        let t0 = Instant::now();
        assert!(rl.check(&u64::MAX, t0).allowed);
        assert!(rl.check(&u64::MAX, t0).allowed);
        for i in 0..200_000_u64 {
            rl.check(&i, t0);
            if i % 10 == 0 {
                assert!(!rl.check(&u64::MAX, t0).allowed, "freed after {i} keys");
            }
        }
        assert!(rl.len() <= capacity, "{} keys remembered", rl.len());
        assert!(rl.len() >= capacity / 2, "{} keys remembered", rl.len());
        assert!(rl.contains(&u64::MAX));
        rl.forget(&u64::MAX);
        assert!(!rl.contains(&u64::MAX));
        assert!(rl.check(&u64::MAX, t0).allowed, "forgotten, counted anew");
    }

    #[test]
    fn a_tiny_capacity_still_counts() {
        let rl = RateLimiter::new(1, Duration::from_secs(60), 1);
        let t0 = Instant::now();
        assert!(rl.check(&1, t0).allowed);
        assert!(!rl.check(&1, t0).allowed);
        assert!(rl.check(&2, t0).allowed);
        assert_eq!(rl.len(), 1);
    }

    #[test]
    fn an_organization_may_spend_a_multiple_of_a_key_s_limit() {
        let limits = Limits::per_minute(3, 4, 7);
        let t0 = Instant::now();
        let org = OrgId(uuid::Uuid::nil());
        let used: Vec<_> = (0..13)
            .map(|_| limits.organizations.check(&org, t0).allowed)
            .collect();
        assert_eq!(used.iter().filter(|a| **a).count(), 12);
        assert_eq!(limits.keys.check(&[0; 32], t0).limit, 3);
        assert_eq!(
            limits.clients.check(&IpAddr::from([1, 2, 3, 4]), t0).limit,
            7
        );
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
