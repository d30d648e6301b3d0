//! IANA time zones, which decide when a mailbox's day starts and when its recipients work.

/// A time zone name that is not in the IANA database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown time zone {}; use an IANA name such as Europe/Berlin or UTC",
    crate::violations::shown(.0)
)]
pub struct UnknownTimeZone(pub String);

/// Parses an IANA zone name such as `America/New_York`.
pub fn parse_time_zone(raw: &str) -> Result<chrono_tz::Tz, UnknownTimeZone> {
    raw.parse::<chrono_tz::Tz>()
        .map_err(|_| UnknownTimeZone(raw.to_string()))
}

/// A stored zone name as a zone; UTC for a name this build no longer knows (names were
/// checked when they were written).
pub fn zone_or_utc(name: &str) -> chrono_tz::Tz {
    parse_time_zone(name).unwrap_or(chrono_tz::UTC)
}

/// The date at `now` in the zone named `zone`: a mailbox's plan days are its local dates.
pub fn local_date(zone: &str, now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    now.with_timezone(&zone_or_utc(zone)).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailbox_s_day_is_its_local_date() {
        let at = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&chrono::Utc))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let late = at("2026-12-04T23:30:00Z");
        assert_eq!(local_date("Europe/Berlin", late).to_string(), "2026-12-05");
        assert_eq!(
            local_date("America/New_York", late).to_string(),
            "2026-12-04"
        );
        assert_eq!(local_date("No/Such_Zone", late).to_string(), "2026-12-04");
    }

    #[test]
    fn knows_iana_names_and_refuses_abbreviations_it_cannot_place() {
        assert!(parse_time_zone("Europe/Berlin").is_ok());
        assert!(parse_time_zone("UTC").is_ok());
        assert!(parse_time_zone("Mars/Olympus").is_err());
        assert!(parse_time_zone("").is_err());
    }
}
