//! Per-key request limits in fixed one-minute windows, announced with the IETF `RateLimit-*`
//! headers on every response and `Retry-After` on a 429.
//!
//! Kept in memory: each API process enforces its own share, which bounds abuse without a
//! database round trip per request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// Counts requests per key.
pub struct RateLimiter {
    limit: u32,
    period: Duration,
    windows: Mutex<HashMap<String, Window>>,
}

impl RateLimiter {
    pub fn new(limit: u32, period: Duration) -> Self {
        Self {
            limit,
            period,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request for `key` at `now`.
    pub fn check(&self, key: &str, now: Instant) -> Decision {
        let mut windows = match self.windows.lock() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Forget finished windows so the map holds only keys active this period.
        if windows.len() > 10_000 {
            windows.retain(|_, w| now.duration_since(w.started) < self.period);
            // A flood of made-up keys: forget them all rather than grow without bound.
            if windows.len() > 100_000 {
                windows.clear();
            }
        }
        let window = windows.entry(key.to_string()).or_insert(Window {
            started: now,
            used: 0,
        });
        if now.duration_since(window.started) >= self.period {
            window.started = now;
            window.used = 0;
        }
        let allowed = window.used < self.limit;
        if allowed {
            window.used += 1;
        }
        let elapsed = now.duration_since(window.started);
        let reset = self.period.saturating_sub(elapsed);
        Decision {
            allowed,
            limit: self.limit,
            remaining: self.limit - window.used,
            reset_secs: reset.as_secs() + u64::from(reset.subsec_nanos() > 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_resets() {
        let rl = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert_eq!(rl.check("k", t0).remaining, 1);
        assert!(rl.check("k", t0).allowed);
        let refused = rl.check("k", t0 + Duration::from_secs(10));
        assert!(!refused.allowed);
        assert_eq!(refused.reset_secs, 50);
        assert!(rl.check("other", t0).allowed, "keys are counted apart");
        assert!(rl.check("k", t0 + Duration::from_secs(60)).allowed);
    }
}
