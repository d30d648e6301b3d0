//! When to try a deferred send again: exponential backoff with jitter, a longer pause for rate
//! limits, a short one for greylisting (the server asked for exactly that), and a hard stop
//! after too many attempts or too long, so a broken route never becomes a retry storm.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::smtp_reply::{ReplyCategory, SmtpReply};

/// Tunables of the retry schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Delay after the first failure; doubled after each further one.
    pub base: Duration,
    pub max_delay: Duration,
    /// Greylisting servers accept a retry after a few minutes.
    pub greylist_delay: Duration,
    /// Rate limits need more patience than the base delay.
    pub rate_limit_delay: Duration,
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Give up when the first attempt is older than this.
    pub max_age: Duration,
    /// ± this share of the delay is random, so retries from many sends spread out.
    pub jitter_percent: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::minutes(5),
            max_delay: Duration::hours(4),
            greylist_delay: Duration::minutes(6),
            rate_limit_delay: Duration::minutes(30),
            max_attempts: 8,
            max_age: Duration::hours(24),
            jitter_percent: 20,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum RetryDecision {
    RetryAt { at: DateTime<Utc> },
    GiveUp { reason: String },
}

impl RetryPolicy {
    /// Decides after `failed_attempts` failures (≥ 1) ending with `reply`, the first attempt
    /// having been made at `first_attempt`. `jitter` is a random number in [0, 1].
    pub fn next(
        &self,
        failed_attempts: u32,
        reply: &SmtpReply,
        first_attempt: DateTime<Utc>,
        now: DateTime<Utc>,
        jitter: f64,
    ) -> RetryDecision {
        if reply.permanent {
            return RetryDecision::GiveUp {
                reason: format!("permanent failure {}", describe(reply)),
            };
        }
        if failed_attempts >= self.max_attempts {
            return RetryDecision::GiveUp {
                reason: format!(
                    "still failing after {failed_attempts} attempts, last {}",
                    describe(reply)
                ),
            };
        }
        let exponent = failed_attempts.saturating_sub(1).min(20);
        let backoff = self
            .base
            .checked_mul(1 << exponent)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let delay = match reply.category {
            ReplyCategory::Greylisted if failed_attempts == 1 => self.greylist_delay,
            ReplyCategory::RateLimited => backoff.max(self.rate_limit_delay),
            _ => backoff,
        };
        let spread = delay.num_milliseconds() as f64 * f64::from(self.jitter_percent) / 100.0;
        let offset = spread * (jitter.clamp(0.0, 1.0) * 2.0 - 1.0);
        let delay = delay + Duration::milliseconds(offset.round() as i64);
        let at = now + delay.max(Duration::seconds(1));
        if at - first_attempt > self.max_age {
            return RetryDecision::GiveUp {
                reason: format!(
                    "not delivered within {} hours, last {}",
                    self.max_age.num_hours(),
                    describe(reply)
                ),
            };
        }
        RetryDecision::RetryAt { at }
    }
}

/// What the seed says about a send whose worker stopped mid-conversation: the only way to know
/// whether the message went out without risking it twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedAnswer {
    /// The message is at the seed, in this folder.
    Found(String),
    /// The seed was asked and does not have it.
    NotFound,
    /// The send has no seed any more (deleted), so nobody can ever be asked.
    SeedGone,
    /// The seed could not be asked now, for this reason.
    Unreachable(String),
    /// Another of our own lookups is in the seed's mailbox: it can be asked once that ends.
    Busy,
}

/// How an interrupted send is settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// It arrived: sent, and never sent again.
    Delivered { folder: String },
    /// Too early to tell: the seed is asked again later.
    AskAgainLater,
    /// It never arrived: sent again.
    SendAgain,
    /// Nobody can tell whether it arrived: given up rather than risk a duplicate.
    Fail { reason: String },
}

impl Recovery {
    /// The text recorded with the settling attempt; `None` while nothing is settled.
    pub fn note(&self) -> Option<String> {
        match self {
            Recovery::Delivered { folder } => Some(format!(
                "found at the seed in {folder} after the sending worker stopped"
            )),
            Recovery::AskAgainLater => None,
            Recovery::SendAgain => {
                Some("not at the seed after the sending worker stopped: sending again".to_string())
            }
            Recovery::Fail { reason } => Some(reason.clone()),
        }
    }
}

/// How long an interrupted send has waited since its claim, against the time after which a
/// message counts as missing (see [`crate::placement::counts_as_missing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waited {
    /// Not yet missing: a message not found may still be travelling (held by the receiver,
    /// greylisted).
    Briefly,
    /// It would count as missing anywhere else.
    Missing,
    /// Missing, and as long again: a seed that could not be asked all this while is down, not
    /// just slow.
    TooLong,
}

impl Waited {
    /// Since the claim, `waited`; a message counts as missing after `missing_after`.
    pub fn since_claim(waited: std::time::Duration, missing_after: std::time::Duration) -> Self {
        if !crate::placement::counts_as_missing(waited, missing_after) {
            Waited::Briefly
        } else if !crate::placement::counts_as_missing(waited, missing_after.saturating_mul(2)) {
            Waited::Missing
        } else {
            Waited::TooLong
        }
    }
}

/// Settles a send whose worker stopped mid-conversation from the seed's `answer`, `waited`
/// since its claim. A message not found once it counts as missing is sent again; a seed that
/// cannot be asked is asked again until it has been too long (one failed login on a loaded
/// server must not give up a send that may never have gone out).
pub fn recover(answer: &SeedAnswer, waited: Waited) -> Recovery {
    match answer {
        SeedAnswer::Found(folder) => Recovery::Delivered {
            folder: folder.clone(),
        },
        SeedAnswer::NotFound if waited == Waited::Briefly => Recovery::AskAgainLater,
        SeedAnswer::NotFound => Recovery::SendAgain,
        SeedAnswer::SeedGone => Recovery::Fail {
            reason: "the sending worker stopped and the seed is gone: not sent again, to avoid a duplicate".to_string(),
        },
        SeedAnswer::Unreachable(err) if waited == Waited::TooLong => Recovery::Fail {
            reason: format!(
                "the sending worker stopped and the seed could not be asked ({err}): not sent again, to avoid a duplicate"
            ),
        },
        SeedAnswer::Unreachable(_) => Recovery::AskAgainLater,
        // Our own session ends soon; giving up here would fail a send on a busy machine only.
        SeedAnswer::Busy => Recovery::AskAgainLater,
    }
}

fn describe(reply: &SmtpReply) -> String {
    match reply.enhanced {
        Some(e) => format!("{} {} {}", reply.code, e, reply.text),
        None => format!("{} {}", reply.code, reply.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp_reply::classify_raw;

    fn reply(raw: &str) -> SmtpReply {
        classify_raw(raw).unwrap_or_else(|| panic!("unparsed {raw}"))
    }

    fn at(decision: &RetryDecision) -> Option<DateTime<Utc>> {
        match decision {
            RetryDecision::RetryAt { at } => Some(*at),
            RetryDecision::GiveUp { .. } => None,
        }
    }

    #[test]
    fn a_message_found_at_the_seed_was_delivered_whenever_asked() {
        let found = SeedAnswer::Found("Spam".into());
        for waited in ALL_WAITS {
            let r = recover(&found, waited);
            assert_eq!(
                r,
                Recovery::Delivered {
                    folder: "Spam".into()
                }
            );
            assert_eq!(
                r.note().as_deref(),
                Some("found at the seed in Spam after the sending worker stopped")
            );
        }
    }

    #[test]
    fn a_message_not_found_is_awaited_then_sent_again() {
        let early = recover(&SeedAnswer::NotFound, Waited::Briefly);
        assert_eq!(early, Recovery::AskAgainLater);
        assert_eq!(early.note(), None);
        let late = recover(&SeedAnswer::NotFound, Waited::Missing);
        assert_eq!(late, Recovery::SendAgain);
        assert_eq!(
            recover(&SeedAnswer::NotFound, Waited::TooLong),
            Recovery::SendAgain
        );
        assert_eq!(
            late.note().as_deref(),
            Some("not at the seed after the sending worker stopped: sending again")
        );
    }

    #[test]
    fn a_gone_seed_fails_the_send_at_once() {
        let text =
            "the sending worker stopped and the seed is gone: not sent again, to avoid a duplicate";
        for waited in ALL_WAITS {
            let r = recover(&SeedAnswer::SeedGone, waited);
            assert_eq!(
                r,
                Recovery::Fail {
                    reason: text.into()
                }
            );
            assert_eq!(r.note().as_deref(), Some(text));
        }
    }

    #[test]
    fn an_unreachable_seed_is_asked_again_until_it_has_been_missing_as_long_again() {
        let down = SeedAnswer::Unreachable("connection refused".into());
        assert_eq!(recover(&down, Waited::Briefly), Recovery::AskAgainLater);
        assert_eq!(recover(&down, Waited::Missing), Recovery::AskAgainLater);
        let text = "the sending worker stopped and the seed could not be asked (connection refused): not sent again, to avoid a duplicate";
        let r = recover(&down, Waited::TooLong);
        assert_eq!(
            r,
            Recovery::Fail {
                reason: text.into()
            }
        );
        assert_eq!(r.note().as_deref(), Some(text));
    }

    #[test]
    fn backs_off_exponentially_up_to_the_cap() {
        let p = RetryPolicy {
            jitter_percent: 0,
            max_age: Duration::days(30),
            max_attempts: 20,
            ..RetryPolicy::default()
        };
        let now = Utc::now();
        let r = reply("451 4.4.2 Bad connection to remote mail server");
        let delays: Vec<i64> = (1..=8)
            .filter_map(|n| at(&p.next(n, &r, now, now, 0.5)).map(|t| (t - now).num_minutes()))
            .collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 240, 240]);
    }

    #[test]
    fn greylisting_retries_soon_and_rate_limits_wait_longer() {
        let p = RetryPolicy {
            jitter_percent: 0,
            ..RetryPolicy::default()
        };
        let now = Utc::now();
        let grey = p.next(1, &reply("450 4.2.0 Greylisted"), now, now, 0.5);
        assert_eq!(at(&grey).map(|t| (t - now).num_minutes()), Some(6));
        let tss = p.next(
            1,
            &reply("421 4.7.0 [TSS04] temporarily deferred"),
            now,
            now,
            0.5,
        );
        assert_eq!(at(&tss).map(|t| (t - now).num_minutes()), Some(30));
    }

    #[test]
    fn permanent_failures_too_many_attempts_and_old_sends_give_up() {
        let p = RetryPolicy::default();
        let now = Utc::now();
        assert!(at(&p.next(1, &reply("550 5.1.1 User unknown"), now, now, 0.5)).is_none());
        let transient = reply("451 4.4.2 Bad connection");
        assert!(at(&p.next(8, &transient, now, now, 0.5)).is_none());
        let day_ago = now - Duration::minutes(23 * 60 + 50);
        assert!(at(&p.next(3, &transient, day_ago, now, 0.5)).is_none());
    }

    #[test]
    fn jitter_stays_within_its_share_and_never_schedules_in_the_past() {
        let p = RetryPolicy::default();
        let now = Utc::now();
        let r = reply("451 4.4.2 Bad connection");
        for j in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let t = at(&p.next(1, &r, now, now, j)).unwrap_or(now);
            let secs = (t - now).num_seconds();
            assert!((240..=360).contains(&secs), "{secs}");
        }
        let tiny = RetryPolicy {
            base: Duration::milliseconds(1),
            ..RetryPolicy::default()
        };
        assert!(at(&tiny.next(1, &r, now, now, 0.0)).is_some_and(|t| t > now));
    }

    #[test]
    fn a_seed_busy_with_our_own_session_is_asked_again_however_late() {
        for waited in ALL_WAITS {
            assert_eq!(recover(&SeedAnswer::Busy, waited), Recovery::AskAgainLater);
        }
    }

    const ALL_WAITS: [Waited; 3] = [Waited::Briefly, Waited::Missing, Waited::TooLong];

    #[test]
    fn a_wait_is_missing_past_the_window_and_too_long_past_twice_it() {
        let window = std::time::Duration::from_secs(60);
        let at = |s| Waited::since_claim(std::time::Duration::from_secs(s), window);
        assert_eq!(at(0), Waited::Briefly);
        assert_eq!(at(60), Waited::Briefly);
        assert_eq!(at(61), Waited::Missing);
        assert_eq!(at(120), Waited::Missing);
        assert_eq!(at(121), Waited::TooLong);
    }
}
