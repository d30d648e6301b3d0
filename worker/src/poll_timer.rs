//! When the job workers look for new jobs.
//!
//! Not apalis' own `poll_with_interval`: its `IntervalStrategy` (1.0) arms the next timer
//! without polling it, so no waker is registered, and after one empty fetch a worker sleeps
//! until its next heartbeat (30 s). That is what made sends wait up to half a minute on
//! Postgres. This timer always leaves itself registered when it reports "not yet".

use std::task::{Context, Poll};
use std::time::Duration;

use apalis::prelude::{PollSnapshot, PollStrategy};
use tokio::time::{Interval, MissedTickBehavior};

/// Wakes the worker every `period`.
#[derive(Debug)]
pub struct Every {
    period: Duration,
    interval: Option<Interval>,
}

impl Every {
    pub fn new(period: Duration) -> Self {
        Self {
            period,
            interval: None,
        }
    }
}

impl Clone for Every {
    fn clone(&self) -> Self {
        // A timer belongs to one worker; a copy starts its own on first use.
        Self::new(self.period)
    }
}

impl PollStrategy for Every {
    fn poll_drive(&mut self, cx: &mut Context<'_>, _: &PollSnapshot) -> Poll<Option<()>> {
        // Created on first use, inside the worker's runtime.
        let interval = self.interval.get_or_insert_with(|| {
            let mut i = tokio::time::interval(self.period);
            // A worker busy for a while gets one wake-up, not a burst.
            i.set_missed_tick_behavior(MissedTickBehavior::Delay);
            i
        });
        let mut fired = false;
        // Ticks until "not yet": that last poll registers the waker for the next tick.
        while interval.poll_tick(cx).is_ready() {
            fired = true;
        }
        if fired {
            Poll::Ready(Some(()))
        } else {
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn it_keeps_waking_after_each_tick() {
        let woken = Arc::new(Count(AtomicUsize::new(0)));
        let waker = std::task::Waker::from(woken.clone());
        let mut cx = Context::from_waker(&waker);
        let mut every = Every::new(Duration::from_millis(20));
        let snapshot = PollSnapshot::default();
        let mut ready = 0;
        // Polled only when woken, as a parked worker is: with the waker never registered
        // again after a tick, the wake-ups would stop after the first.
        let deadline = tokio::time::Instant::now() + Duration::from_millis(400);
        let mut seen = 0;
        while tokio::time::Instant::now() < deadline {
            let now = woken.0.load(Ordering::SeqCst);
            if now != seen || ready == 0 {
                seen = now;
                if every.poll_drive(&mut cx, &snapshot).is_ready() {
                    ready += 1;
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(ready >= 5, "woken {seen} times, ready {ready} times");
    }
}
