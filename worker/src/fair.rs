//! Work on tenants' servers shared fairly: a few at once, organizations taken in turn, and no
//! organization holding more than its share of the slots. A tenant whose servers never answer
//! then slows only its own scans and seed sessions, never another's.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::hash::Hash;

use futures::StreamExt;
use futures::stream::FuturesUnordered;

/// Slots one organization may hold when `orgs` organizations have work: an equal part of
/// `slots`, at least one, and never all of them while another organization waits.
pub fn share(slots: usize, orgs: usize) -> usize {
    match orgs {
        0 | 1 => slots.max(1),
        n => (slots / n).max(1),
    }
}

/// Runs `work` on items, at most `slots` at once and at most its [`share`] of them for one key,
/// taking keys in turn in the order they first appear. No item starts after `start_until`
/// (those left wait for the caller's next round): a key whose every item takes long cannot
/// make the round, and so everyone's next one, wait for all of them. Returns how many ran.
pub async fn run<K, T, F, Fut>(
    items: Vec<(K, T)>,
    slots: usize,
    start_until: Option<std::time::Instant>,
    work: F,
) -> usize
where
    K: Eq + Hash + Clone,
    F: Fn(T) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut order: Vec<K> = Vec::new();
    let mut queues: HashMap<K, VecDeque<T>> = HashMap::new();
    for (key, item) in items {
        queues
            .entry(key.clone())
            .or_insert_with(|| {
                order.push(key.clone());
                VecDeque::new()
            })
            .push_back(item);
    }
    let slots = slots.max(1);
    let per_org = share(slots, order.len());
    let mut busy: HashMap<K, usize> = HashMap::new();
    let mut running = FuturesUnordered::new();
    let mut turn = 0;
    let mut started = 0;
    loop {
        let may_start = start_until.is_none_or(|t| std::time::Instant::now() < t);
        // Fill free slots, one item per key in turn, skipping keys at their share.
        while may_start && running.len() < slots {
            let Some(at) = (0..order.len())
                .map(|i| (turn + i) % order.len())
                .find(|&i| {
                    let key = &order[i];
                    queues.get(key).is_some_and(|q| !q.is_empty())
                        && busy.get(key).copied().unwrap_or(0) < per_org
                })
            else {
                break;
            };
            turn = at + 1;
            let key = order[at].clone();
            let Some(item) = queues.get_mut(&key).and_then(VecDeque::pop_front) else {
                break;
            };
            *busy.entry(key.clone()).or_insert(0) += 1;
            started += 1;
            let job = work(item);
            running.push(async move {
                job.await;
                key
            });
        }
        match running.next().await {
            Some(key) => {
                if let Some(n) = busy.get_mut(&key) {
                    *n = n.saturating_sub(1);
                }
            }
            None => return started,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Duration;

    /// Past the time to start, what is running finishes and the rest is left for later.
    #[tokio::test]
    async fn nothing_starts_after_the_round_s_time() {
        let items: Vec<(u8, u8)> = (0..10).map(|i| (i % 2, i)).collect();
        let until = std::time::Instant::now() + Duration::from_millis(30);
        let ran = run(items, 2, Some(until), |_| async {
            tokio::time::sleep(Duration::from_millis(20)).await;
        })
        .await;
        assert!((2..10).contains(&ran), "{ran} of 10 ran");
    }

    #[test]
    fn an_organization_never_gets_every_slot_while_another_waits() {
        assert_eq!(share(8, 1), 8);
        assert_eq!(share(8, 2), 4);
        assert_eq!(share(8, 3), 2);
        assert_eq!(share(2, 5), 1);
        assert_eq!(share(0, 0), 1);
    }

    /// Twenty items of a slow organization and one of another: the other's item starts at
    /// once, and the slow one never holds more than its share.
    #[tokio::test]
    async fn a_slow_organization_waits_behind_its_own_share() {
        let started: Mutex<Vec<&str>> = Mutex::new(Vec::new());
        let busy_slow = Mutex::new((0usize, 0usize)); // (now, most)
        let mut items: Vec<(&str, &str)> = (0..20).map(|_| ("slow", "slow")).collect();
        items.push(("quick", "quick"));
        let slots = 4;
        run(items, slots, None, |who| {
            let started = &started;
            let busy_slow = &busy_slow;
            async move {
                if let Ok(mut s) = started.lock() {
                    s.push(who);
                }
                if who == "slow" {
                    if let Ok(mut b) = busy_slow.lock() {
                        b.0 += 1;
                        b.1 = b.1.max(b.0);
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    if let Ok(mut b) = busy_slow.lock() {
                        b.0 -= 1;
                    }
                }
            }
        })
        .await;
        let started = started.into_inner().unwrap_or_else(|e| e.into_inner());
        assert_eq!(started.len(), 21);
        let quick_at = started.iter().position(|w| *w == "quick");
        assert_eq!(quick_at, Some(1), "taken in turn: {started:?}");
        let most = busy_slow.into_inner().unwrap_or_else(|e| e.into_inner()).1;
        assert_eq!(
            most,
            share(slots, 2),
            "the slow organization's most at once"
        );
    }
}
