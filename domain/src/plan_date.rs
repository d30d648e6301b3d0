//! A plan day: a mailbox's local date, the unit the ramp counts and the key of a day's plan,
//! stored and shown as `YYYY-MM-DD`.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

/// A mailbox's local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlanDate(NaiveDate);

/// How plan dates are written, in the database and the API.
const FORMAT: &str = "%Y-%m-%d";

impl PlanDate {
    pub fn new(date: NaiveDate) -> Self {
        Self(date)
    }

    /// The date at `now` in the mailbox's time zone (by its stored name).
    pub fn at(zone: &str, now: DateTime<Utc>) -> Self {
        Self(crate::timezone::local_date(zone, now))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(raw: &str) -> Option<Self> {
        NaiveDate::parse_from_str(raw, FORMAT).ok().map(Self)
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
    }
}
