//! Days of the week as the API spells them: `mon` … `sun`.

use serde::{Deserialize, Serialize};

/// A day of the week.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];
    pub const WORKDAYS: [Day; 5] = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri];

    /// The day of a calendar date.
    pub fn of(date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Self::from(date.weekday())
    }
}

impl From<chrono::Weekday> for Day {
    fn from(w: chrono::Weekday) -> Self {
        Day::ALL[w.num_days_from_monday() as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_from_chrono_and_spells_lowercase() {
        assert_eq!(Day::from(chrono::Weekday::Sun), Day::Sun);
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        assert_eq!(Day::of(monday), Day::Mon);
        assert_eq!(
            serde_json::to_string(&Day::Wed).unwrap_or_default(),
            "\"wed\""
        );
    }
}
