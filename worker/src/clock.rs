//! The process's one clock: the system clock, or a scaled one (`WARMUP_CLOCK_SPEEDUP`) whose
//! simulated time starts at the real start time and runs `speedup` times faster, so tests and
//! demos live through days of warmup in minutes.

use std::time::Instant;

use chrono::{DateTime, Duration, SubsecRound, Utc};

/// Where "now" comes from.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    started: DateTime<Utc>,
    instant: Instant,
    speedup: f64,
}

impl Clock {
    /// Real time.
    pub fn system() -> Self {
        Self::scaled(1.0)
    }

    /// Simulated time running `speedup` times faster than real time (1 = real time).
    pub fn scaled(speedup: f64) -> Self {
        Self {
            started: Utc::now(),
            instant: Instant::now(),
            speedup: if speedup.is_finite() && speedup >= 1.0 {
                speedup
            } else {
                1.0
            },
        }
    }

    /// How much faster than real time this clock runs.
    pub fn speedup(&self) -> f64 {
        self.speedup
    }

    /// The current (possibly simulated) time, at the databases' microsecond precision.
    pub fn now(&self) -> DateTime<Utc> {
        let real = self.instant.elapsed().as_secs_f64() * self.speedup;
        let simulated = self.started + Duration::microseconds((real * 1e6) as i64);
        simulated.trunc_subsecs(6)
    }

    /// The simulated time at which the wall clock showed `real` (e.g. a server's timestamp).
    pub fn simulated_at(&self, real: DateTime<Utc>) -> DateTime<Utc> {
        let since = (real - self.started).num_microseconds().unwrap_or(0) as f64;
        self.started + Duration::microseconds((since * self.speedup) as i64)
    }

    /// The real time that `simulated` takes on this clock.
    pub fn real(&self, simulated: Duration) -> std::time::Duration {
        let secs = simulated.num_milliseconds().max(0) as f64 / 1000.0 / self.speedup;
        std::time::Duration::from_secs_f64(secs)
    }

    /// Sleeps for a span of simulated time.
    pub async fn sleep(&self, simulated: Duration) {
        tokio::time::sleep(self.real(simulated)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scaled_clock_runs_faster_from_the_real_start() {
        let c = Clock::scaled(1440.0);
        let before = Utc::now();
        assert!((c.now() - before).num_seconds().abs() < 2);
        std::thread::sleep(std::time::Duration::from_millis(50));
        // 50 ms at 1440× is 72 simulated seconds.
        let ahead = (c.now() - Utc::now()).num_seconds();
        assert!((60..120).contains(&ahead), "{ahead}");
        assert_eq!(c.real(Duration::days(1)).as_secs(), 60);
    }

    #[test]
    fn nonsense_speedups_fall_back_to_real_time() {
        for s in [0.0, -5.0, f64::NAN, f64::INFINITY] {
            assert_eq!(Clock::scaled(s).speedup(), 1.0);
        }
    }
}
