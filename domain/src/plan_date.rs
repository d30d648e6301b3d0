//! A plan day: a mailbox's local date, the unit the ramp counts and the key of a day's plan,
//! stored and shown as `YYYY-MM-DD`.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

/// A mailbox's local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlanDate(NaiveDate);

/// How plan dates are written, in the database and the API.
const FORMAT: &str = "%Y-%m-%d";

/// The longest range of days a report covers.
pub const MAX_RANGE_DAYS: i64 = 366;

/// Why a requested range of days is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("must not be after `to`")]
    Reversed,
    #[error("the range may cover at most {} days", MAX_RANGE_DAYS)]
    TooLong,
}

/// The first moment of a UTC date: where a range of UTC days starts.
pub fn utc_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// Checks a requested range of days, both ends included.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), RangeError> {
    if from > to {
        return Err(RangeError::Reversed);
    }
    if (to - from).num_days() + 1 > MAX_RANGE_DAYS {
        return Err(RangeError::TooLong);
    }
    Ok(())
}

impl PlanDate {
    pub fn new(date: NaiveDate) -> Self {
        Self(date)
    }

    /// The date at `now` in the mailbox's time zone (by its stored name).
    pub fn at(zone: &str, now: DateTime<Utc>) -> Self {
        Self(crate::timezone::local_date(zone, now))
    }

    /// Parses `YYYY-MM-DD` with a four-digit year: the only dates a plan can have, and the
    /// ones that sort as text (signed or longer years would not, and date arithmetic near the
    /// type's ends would overflow).
    pub fn parse(raw: &str) -> Option<Self> {
        let shaped = raw.len() == 10
            && raw.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shaped {
            return None;
        }
        NaiveDate::parse_from_str(raw, FORMAT).ok().map(Self)
    }

    /// The date `days` before this one (the earliest date there is, at the type's end).
    pub fn days_before(self, days: u64) -> Self {
        Self(
            self.0
                .checked_sub_days(chrono::Days::new(days))
                .unwrap_or(NaiveDate::MIN),
        )
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl fmt::Display for PlanDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format(FORMAT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_iso_dates_that_sort_as_text() {
        let d = PlanDate::parse("2026-03-09").unwrap_or_else(|| panic!("unparsed"));
        assert_eq!(d.to_string(), "2026-03-09");
        let later = PlanDate::parse("2026-12-01").unwrap_or_else(|| panic!("unparsed"));
        assert!(d < later && d.to_string() < later.to_string());
        assert_eq!(PlanDate::parse("2026-3-9x"), None);
        assert_eq!(PlanDate::parse("09.03.2026"), None);
        for odd in [
            "-262143-01-01",
            "+262142-12-31",
            "12026-01-01",
            "2026-1-09",
            "2026-02-30",
        ] {
            assert_eq!(PlanDate::parse(odd), None, "{odd}");
        }
        let first = PlanDate::parse("0001-01-01").unwrap_or_else(|| panic!("unparsed"));
        assert!(first.days_before(u64::MAX) <= first);
    }

    #[test]
    fn ranges_run_forward_and_cover_at_most_366_days() {
        let d = |s: &str| PlanDate::parse(s).map(PlanDate::date).unwrap_or_default();
        assert_eq!(check_range(d("2026-01-01"), d("2026-12-31")), Ok(()));
        assert_eq!(check_range(d("2024-01-01"), d("2024-12-31")), Ok(()));
        assert_eq!(check_range(d("2025-01-01"), d("2026-01-01")), Ok(()));
        assert_eq!(
            check_range(d("2025-01-01"), d("2026-01-02")),
            Err(RangeError::TooLong)
        );
        assert_eq!(
            check_range(d("2026-01-02"), d("2026-01-01")),
            Err(RangeError::Reversed)
        );
    }
}
