//! The service's one clock: the system clock, or a scaled one (`WARMUP_CLOCK_SPEEDUP`) that runs
//! `speedup` times faster than real time, so tests and demos live through days of warmup in
//! minutes. The clock is anchored in the database, so every process on it shows the same time
//! and a restart continues where the clock stood (it also ran on while nothing was running).
//! Time is read from the wall clock, so hosts must keep theirs in sync (NTP); any skew between
//! them is multiplied by the speed.

use crate::store::StoreError;
use crate::store::clock::{self, Anchor, OnOtherSpeed};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::DatabaseConnection;

/// Where "now" comes from.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    anchor: Anchor,
}

/// The wall clock at the precision both databases store (microseconds), so a value returned
/// before a write equals the value read back after it.
fn wall_now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A speed a clock can run at: at least real time.
fn sane(speedup: f64) -> f64 {
    if speedup.is_finite() && speedup >= 1.0 {
        speedup
    } else {
        1.0
    }
}

impl Clock {
    /// Real time.
    pub fn system() -> Self {
        Self::scaled(1.0)
    }

    /// Simulated time running `speedup` times faster than real time from now, for this
    /// process alone (1 = real time).
    pub fn scaled(speedup: f64) -> Self {
        let now = wall_now();
        Self {
            anchor: Anchor {
                real_origin: now,
                simulated_origin: now,
                speedup: sane(speedup),
            },
        }
    }

    /// The database's clock, shared by every process on `db`; an error when it runs at
    /// another speed than `speedup` (processes on one database must agree on the time).
    pub async fn anchored(db: &DatabaseConnection, speedup: f64) -> Result<Self, StoreError> {
        Self::from_database(db, speedup, OnOtherSpeed::Refuse).await
    }

    /// The database's clock, set to run at `speedup` from the simulated time it shows now,
    /// for the process that owns the database (`serve`, `migrate`). Processes still running
    /// at another speed must be restarted.
    pub async fn anchored_at_speed(
        db: &DatabaseConnection,
        speedup: f64,
    ) -> Result<Self, StoreError> {
        Self::from_database(db, speedup, OnOtherSpeed::Change).await
    }

    async fn from_database(
        db: &DatabaseConnection,
        speedup: f64,
        other: OnOtherSpeed,
    ) -> Result<Self, StoreError> {
        let speedup = sane(speedup);
        let (anchor, changed) = clock::anchor(db, wall_now(), speedup, other).await?;
        if changed {
            tracing::warn!(
                speedup,
                "the clock's speed changed: restart every other process on this database"
            );
        }
        Ok(Self { anchor })
    }

    /// How much faster than real time this clock runs.
    pub fn speedup(&self) -> f64 {
        self.anchor.speedup
    }

    /// The current (possibly simulated) time, at the databases' microsecond precision.
    pub fn now(&self) -> DateTime<Utc> {
        self.simulated_at(Utc::now()).trunc_subsecs(6)
    }

    /// The wall clock's time, unscaled, for what lives in real time whatever the clock's
    /// speed: HTTP request bookkeeping (idempotency keys, retried seconds later) and the job
    /// queue's rows (stamped by apalis). Never for warmup data.
    pub fn wall_now(&self) -> DateTime<Utc> {
        wall_now()
    }

    /// The simulated time at which the wall clock showed `real` (e.g. a server's timestamp).
    pub fn simulated_at(&self, real: DateTime<Utc>) -> DateTime<Utc> {
        self.anchor.simulated_at(real)
    }

    /// Simulated time that lasts `real` on the wall clock.
    pub fn simulated(&self, real: std::time::Duration) -> Duration {
        Duration::milliseconds((real.as_secs_f64() * self.speedup() * 1000.0) as i64)
    }

    /// The real time that `simulated` takes on this clock.
    pub fn real(&self, simulated: Duration) -> std::time::Duration {
        let secs = simulated.num_milliseconds().max(0) as f64 / 1000.0 / self.anchor.speedup;
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
    fn real_time_is_the_wall_clock() {
        let c = Clock::system();
        let drift = (c.now() - Utc::now()).num_milliseconds().abs();
        assert!(drift < 50, "{drift} ms");
    }

    #[test]
    fn nonsense_speedups_fall_back_to_real_time() {
        for s in [0.0, -5.0, f64::NAN, f64::INFINITY] {
            assert_eq!(Clock::scaled(s).speedup(), 1.0);
        }
    }
}
