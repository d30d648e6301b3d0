//! When the job workers look for new jobs.
//!
//! Not apalis' own `poll_with_interval`: its `IntervalStrategy` (1.0) arms the next timer
//! without polling it, so no waker is registered, and after one empty fetch a worker sleeps
//! until its next heartbeat (30 s). That is what made sends wait up to half a minute on
//! Postgres. This timer always leaves itself registered when it reports "not yet".
//!
//! It also wakes when this process has just pushed jobs (a [`Notify`]), so a job pushed here
//! does not wait for the next tick; jobs pushed by other processes are found by the tick.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use apalis::prelude::{PollSnapshot, PollStrategy};
use tokio::sync::Notify;
use tokio::sync::futures::OwnedNotified;
use tokio::time::{Interval, MissedTickBehavior};

/// Wakes the worker every `period`, and whenever `pushed` is notified.
pub struct Every {
    period: Duration,
    interval: Option<Interval>,
    pushed: Option<Arc<Notify>>,
    waiting: Option<Pin<Box<OwnedNotified>>>,
}

impl std::fmt::Debug for Every {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Every")
            .field("period", &self.period)
            .finish()
    }
}

impl Every {
    pub fn new(period: Duration) -> Self {
        Self {
            period,
            interval: None,
            pushed: None,
            waiting: None,
        }
    }

    /// Also wakes when `pushed` is notified.
    pub fn or_when(mut self, pushed: Arc<Notify>) -> Self {
        self.pushed = Some(pushed);
        self
    }

    /// Whether jobs were pushed since the last look; registers the waker for the next push.
    fn was_pushed(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(pushed) = &self.pushed else {
            return false;
        };
        let mut fired = false;
        loop {
            let waiting = self
                .waiting
                .get_or_insert_with(|| Box::pin(pushed.clone().notified_owned()));
            if waiting.as_mut().poll(cx).is_ready() {
                // Spent: the next look waits for the next push.
                self.waiting = None;
                fired = true;
            } else {
                return fired;
            }
        }
    }
}

impl Clone for Every {
    fn clone(&self) -> Self {
        // A timer belongs to one worker; a copy starts its own on first use.
        Self {
            period: self.period,
            interval: None,
            pushed: self.pushed.clone(),
            waiting: None,
        }
    }
}

impl PollStrategy for Every {
    fn poll_drive(&mut self, cx: &mut Context<'_>, _: &PollSnapshot) -> Poll<Option<()>> {
        let pushed = self.was_pushed(cx);
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
        if fired || pushed {
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

    #[tokio::test]
    async fn a_push_wakes_it_before_the_tick_and_once() {
        let woken = Arc::new(Count(AtomicUsize::new(0)));
        let waker = std::task::Waker::from(woken.clone());
        let mut cx = Context::from_waker(&waker);
        let pushed = Arc::new(Notify::new());
        let mut every = Every::new(Duration::from_secs(3600)).or_when(pushed.clone());
        let snapshot = PollSnapshot::default();
        // The interval's first tick comes at once (within the timer's millisecond).
        let first = tokio::time::Instant::now() + Duration::from_secs(5);
        while every.poll_drive(&mut cx, &snapshot).is_pending() {
            assert!(
                tokio::time::Instant::now() < first,
                "the first tick never came"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        assert!(
            every.poll_drive(&mut cx, &snapshot).is_pending(),
            "nothing pushed yet"
        );
        let before = woken.0.load(Ordering::SeqCst);
        pushed.notify_one();
        assert!(
            woken.0.load(Ordering::SeqCst) > before,
            "a push wakes the parked worker"
        );
        assert!(
            every.poll_drive(&mut cx, &snapshot).is_ready(),
            "and it looks"
        );
        assert!(
            every.poll_drive(&mut cx, &snapshot).is_pending(),
            "one push, one look"
        );
        // A push between two looks is seen at the next.
        pushed.notify_one();
        assert!(every.poll_drive(&mut cx, &snapshot).is_ready());
    }
}
