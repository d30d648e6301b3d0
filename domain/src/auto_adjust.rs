//! A warmup that adjusts itself: from the mailbox's recent sending days, whether the ramp goes
//! on, holds (no daily increase), steps back to the volume of a few days earlier, or resumes.
//! Pure: the planner passes the days and the mode it recorded last, and records the answer
//! with its reason and numbers.

use serde::{Deserialize, Serialize};

/// The documented thresholds (preferences may change the two inbox lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Below this inbox rate over the last sending days the ramp holds.
    pub hold_below_inbox_percent: u8,
    /// Below this inbox rate the ramp steps back.
    pub step_back_below_inbox_percent: u8,
    /// More than this share of a day's attempts deferred steps back too.
    pub step_back_deferred_percent: u8,
    /// Sending days the inbox rate is taken over.
    pub window_days: usize,
    /// A step back returns to the volume of this many sending days before the latest.
    pub step_back_days: usize,
    /// Days in a row at or above the hold line before the ramp resumes.
    pub resume_after_days: usize,
}

impl Thresholds {
    /// How many of the latest sending days a decision reads.
    pub fn lookback(&self) -> usize {
        self.window_days
            .max(self.step_back_days + 1)
            .max(self.resume_after_days)
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            hold_below_inbox_percent: 80,
            step_back_below_inbox_percent: 60,
            step_back_deferred_percent: 20,
            window_days: 3,
            step_back_days: 3,
            resume_after_days: 2,
        }
    }
}

/// What one sending day showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendingDay {
    /// The day's place in the ramp (0 = the first sending day).
    pub sending_day: u32,
    /// Warmup messages the plan asked for that day.
    pub volume: u32,
    /// Messages found in the inbox (or a category), and messages whose place is known.
    pub inbox: u32,
    pub decided: u32,
    /// Delivery attempts, and those deferred.
    pub attempts: u32,
    pub deferred: u32,
}

impl SendingDay {
    fn inbox_percent(&self) -> Option<f64> {
        percent(self.inbox, self.decided)
    }

    fn deferred_percent(&self) -> Option<f64> {
        percent(self.deferred, self.attempts)
    }
}

fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0)
}

/// Where the ramp stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AdjustmentMode)]
pub enum Mode {
    /// The ramp goes on as planned.
    Ramping,
    /// No daily increase.
    Holding,
    /// Back to an earlier day's volume, and holding there.
    SteppedBack,
}

/// The decision for the next day, with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    pub mode: Mode,
    /// The most the next day may send; `None` while ramping.
    pub volume_cap: Option<u32>,
    /// Why, in plain words.
    pub reason: String,
    /// The inbox rate over the window, when any placement was decided.
    pub inbox_percent: Option<f64>,
    /// The share of the latest day's attempts that were deferred.
    pub deferred_percent: Option<f64>,
    /// A step back sets the ramp back to just after the day whose volume it returns to, so
    /// that resuming climbs from there instead of jumping to the volume that went bad.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rewind_to: Option<u32>,
}

impl Adjustment {
    /// The decision while the mailbox's preferences turn adjusting off.
    pub fn off() -> Self {
        Self {
            mode: Mode::Ramping,
            volume_cap: None,
            reason: "auto_adjust is off".into(),
            inbox_percent: None,
            deferred_percent: None,
            rewind_to: None,
        }
    }

    /// The day's volume under this decision: the ramp's, never above the cap.
    pub fn apply(&self, ramp_volume: u32) -> u32 {
        self.volume_cap.map_or(ramp_volume, |c| ramp_volume.min(c))
    }

    /// The ramp's position after planning a day at `planned` (its sending-day number): the
    /// next day while ramping, the same while holding, the rewound day after a step back.
    pub fn next_sending_day(&self, planned: u32) -> u32 {
        match self.mode {
            Mode::Ramping => planned.saturating_add(1),
            Mode::Holding => planned,
            Mode::SteppedBack => self.rewind_to.map_or(planned, |r| r.min(planned)),
        }
    }

    /// Whether this decision changes what the ramp does (an event and a record worth telling).
    pub fn differs_from(&self, mode: Mode, cap: Option<u32>) -> bool {
        self.mode != mode || self.volume_cap != cap
    }
}

/// Decides the next day from the sending days so far (oldest first) and the mode recorded
/// after the last decision, with the cap it set.
pub fn decide(
    previous: Mode,
    previous_cap: Option<u32>,
    days: &[SendingDay],
    t: &Thresholds,
) -> Adjustment {
    let Some(latest) = days.last() else {
        return Adjustment {
            mode: Mode::Ramping,
            volume_cap: None,
            reason: "no sending day yet".into(),
            inbox_percent: None,
            deferred_percent: None,
            rewind_to: None,
        };
    };
    let window = &days[days.len().saturating_sub(t.window_days)..];
    let inbox: u32 = window.iter().map(|d| d.inbox).sum();
    let decided: u32 = window.iter().map(|d| d.decided).sum();
    let inbox_percent = percent(inbox, decided);
    let deferred_percent = latest.deferred_percent();
    let hold = f64::from(t.hold_below_inbox_percent);
    let step_back = f64::from(t.step_back_below_inbox_percent);
    let too_deferred =
        deferred_percent.is_some_and(|p| p > f64::from(t.step_back_deferred_percent));
    let adjustment = |mode, volume_cap, reason: String| Adjustment {
        mode,
        volume_cap,
        reason,
        inbox_percent,
        deferred_percent,
        rewind_to: None,
    };
    let low = inbox_percent.is_some_and(|p| p < step_back);
    // Back above the hold line: after days in a row there, an adjusted ramp resumes.
    let recent = &days[days.len().saturating_sub(t.resume_after_days)..];
    let recovered = recent.len() == t.resume_after_days
        && recent
            .iter()
            .all(|d| d.inbox_percent().is_some_and(|p| p >= hold));
    if previous != Mode::Ramping && recovered && !too_deferred {
        return adjustment(
            Mode::Ramping,
            None,
            format!(
                "resumed: {} days in a row at or above {}% inbox",
                t.resume_after_days, t.hold_below_inbox_percent
            ),
        );
    }
    if low || too_deferred {
        let back = days[days.len().saturating_sub(t.step_back_days + 1)];
        let earlier = back.volume;
        // A step back goes no higher than the cap in force (a hold's, or an earlier step's).
        let cap = match previous_cap {
            Some(c) if previous != Mode::Ramping => c.min(earlier),
            _ => earlier,
        };
        let why = if too_deferred {
            format!(
                "{}% of the latest day's attempts were deferred (more than {}%)",
                deferred_percent.unwrap_or(0.0),
                t.step_back_deferred_percent
            )
        } else {
            format!(
                "inbox rate {}% over the last {} sending days is below {}%",
                inbox_percent.unwrap_or(0.0),
                window.len(),
                t.step_back_below_inbox_percent
            )
        };
        return Adjustment {
            rewind_to: Some(back.sending_day.saturating_add(1)),
            ..adjustment(
                Mode::SteppedBack,
                Some(cap),
                format!("stepped back to {cap} a day: {why}"),
            )
        };
    }
    if previous != Mode::Ramping {
        return adjustment(
            previous,
            previous_cap,
            format!(
                "still {}: resumes after {} days in a row at or above {}% inbox",
                if previous == Mode::Holding {
                    "holding"
                } else {
                    "stepped back"
                },
                t.resume_after_days,
                t.hold_below_inbox_percent
            ),
        );
    }
    if inbox_percent.is_some_and(|p| p < hold) {
        let cap = latest.volume;
        return adjustment(
            Mode::Holding,
            Some(cap),
            format!(
                "holding at {cap} a day: inbox rate {}% over the last {} sending days is below {}%",
                inbox_percent.unwrap_or(0.0),
                window.len(),
                t.hold_below_inbox_percent
            ),
        );
    }
    adjustment(Mode::Ramping, None, "ramping as planned".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(volume: u32, inbox: u32, decided: u32, deferred: u32) -> SendingDay {
        SendingDay {
            sending_day: 0,
            volume,
            inbox,
            decided,
            attempts: volume,
            deferred,
        }
    }

    #[test]
    fn each_situation_gets_its_mode_and_cap() {
        use Mode::*;
        let t = Thresholds::default();
        let healthy = vec![day(5, 5, 5, 0), day(7, 7, 7, 0), day(9, 9, 9, 0)];
        let slipping = vec![day(5, 5, 5, 0), day(7, 5, 7, 0), day(9, 5, 9, 0)];
        let junked_again = vec![
            day(5, 3, 5, 0),
            day(7, 3, 7, 0),
            day(9, 3, 9, 0),
            day(9, 4, 9, 0),
        ];
        let junked = vec![
            day(5, 3, 5, 0),
            day(7, 3, 7, 0),
            day(9, 3, 9, 0),
            day(11, 4, 11, 0),
        ];
        let deferred = vec![day(5, 5, 5, 0), day(7, 7, 7, 0), day(9, 9, 9, 3)];
        // 24 of 27 over the window, but the day before the latest was at 67%.
        let recovering_one = vec![day(9, 9, 9, 0), day(9, 6, 9, 0), day(9, 9, 9, 0)];
        let recovering_two = vec![day(9, 3, 9, 0), day(9, 9, 9, 0), day(9, 9, 9, 0)];
        // (case, previous mode and cap, days, mode, cap, words)
        type Case = (
            &'static str,
            Mode,
            Option<u32>,
            Vec<SendingDay>,
            Mode,
            Option<u32>,
            &'static str,
        );
        let table: Vec<Case> = vec![
            (
                "no days",
                Ramping,
                None,
                vec![],
                Ramping,
                None,
                "no sending day",
            ),
            (
                "healthy",
                Ramping,
                None,
                healthy.clone(),
                Ramping,
                None,
                "as planned",
            ),
            // 19 of 25 = 76%: below the hold line, above the step-back line.
            (
                "slipping holds at today's volume",
                Ramping,
                None,
                slipping,
                Holding,
                Some(9),
                "holding at 9",
            ),
            // 10 of 27 over the last three days = 37%: back to the volume three days earlier.
            (
                "junked steps back",
                Ramping,
                None,
                junked,
                SteppedBack,
                Some(5),
                "below 60%",
            ),
            (
                "a third deferred steps back",
                Ramping,
                None,
                deferred,
                SteppedBack,
                Some(5),
                "deferred",
            ),
            (
                "one good day is not enough",
                Holding,
                Some(9),
                recovering_one,
                Holding,
                Some(9),
                "resumes after 2 days",
            ),
            (
                "two good days resume",
                SteppedBack,
                Some(5),
                recovering_two,
                Ramping,
                None,
                "resumed",
            ),
            (
                "holding, then junked, steps back",
                Holding,
                Some(9),
                junked_again,
                SteppedBack,
                Some(5),
                "below 60%",
            ),
            // 3 of 30 in the inbox; three days back sent 10, but the hold is at 6.
            (
                "a step back never goes above a hold",
                Holding,
                Some(6),
                vec![
                    day(10, 1, 10, 0),
                    day(7, 1, 7, 0),
                    day(6, 1, 6, 0),
                    day(6, 1, 6, 0),
                ],
                SteppedBack,
                Some(6),
                "below 60%",
            ),
            (
                "healthy after a hold resumes",
                Holding,
                Some(7),
                healthy,
                Ramping,
                None,
                "resumed",
            ),
        ];
        for (case, prev, prev_cap, days, mode, cap, words) in table {
            let a = decide(prev, prev_cap, &numbered(days), &t);
            assert_eq!((a.mode, a.volume_cap), (mode, cap), "{case}: {a:?}");
            assert!(a.reason.contains(words), "{case}: {:?}", a.reason);
        }
    }

    fn numbered(days: Vec<SendingDay>) -> Vec<SendingDay> {
        days.into_iter()
            .zip(10..)
            .map(|(d, n)| SendingDay {
                sending_day: n,
                ..d
            })
            .collect()
    }

    #[test]
    fn the_ramp_moves_on_holds_or_rewinds() {
        let t = Thresholds::default();
        let junked = numbered(vec![
            day(5, 3, 5, 0),
            day(7, 3, 7, 0),
            day(9, 3, 9, 0),
            day(11, 4, 11, 0),
        ]);
        // Sending days 10 to 13; the step back returns to day 10's volume and the ramp goes
        // on from day 11 when it resumes.
        let back = decide(Mode::Ramping, None, &junked, &t);
        assert_eq!(back.rewind_to, Some(11));
        assert_eq!(back.next_sending_day(14), 11);
        assert_eq!(back.apply(15), 5);
        assert_eq!(back.apply(4), 4, "a cap never raises a day");
        let hold = decide(Mode::Ramping, None, &numbered(vec![day(9, 7, 9, 0)]), &t);
        assert_eq!(hold.mode, Mode::Holding);
        assert_eq!(hold.next_sending_day(14), 14, "no daily increase");
        let ramp = decide(Mode::Ramping, None, &numbered(vec![day(9, 9, 9, 0)]), &t);
        assert_eq!(ramp.next_sending_day(14), 15);
        assert_eq!(Adjustment::off().next_sending_day(14), 15);
        assert!(back.differs_from(Mode::Ramping, None));
        assert!(!hold.differs_from(Mode::Holding, Some(9)));
    }

    #[test]
    fn a_decision_reads_the_window_and_the_day_a_step_back_returns_to() {
        assert_eq!(Thresholds::default().lookback(), 4);
    }

    #[test]
    fn the_numbers_behind_a_decision_are_kept() {
        let t = Thresholds::default();
        let a = decide(
            Mode::Ramping,
            None,
            &[day(10, 5, 10, 0), day(10, 5, 10, 0), day(10, 5, 10, 1)],
            &t,
        );
        assert_eq!(a.inbox_percent, Some(50.0));
        assert_eq!(a.deferred_percent, Some(10.0));
        assert_eq!(a.mode, Mode::SteppedBack);
    }

    #[test]
    fn stepping_back_again_never_raises_the_cap() {
        let t = Thresholds::default();
        let bad = vec![
            day(5, 1, 5, 0),
            day(12, 1, 12, 0),
            day(12, 1, 12, 0),
            day(12, 1, 12, 0),
        ];
        let a = decide(Mode::SteppedBack, Some(3), &bad, &t);
        assert_eq!(a.volume_cap, Some(3));
    }
}
