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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_iana_names_and_refuses_abbreviations_it_cannot_place() {
        assert!(parse_time_zone("Europe/Berlin").is_ok());
        assert!(parse_time_zone("UTC").is_ok());
        assert!(parse_time_zone("Mars/Olympus").is_err());
        assert!(parse_time_zone("").is_err());
    }
}
