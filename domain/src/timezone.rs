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

/// The first moment after `now` at which the zone named `zone` reaches its next date: when a
/// mailbox's next plan day begins. Local midnight as a rule; where a clock change skips
/// midnight, the end of the gap; where it repeats midnight, the first one.
pub fn next_date_start(
    zone: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let tz = zone_or_utc(zone);
    let Some(tomorrow) = now.with_timezone(&tz).date_naive().succ_opt() else {
        return now;
    };
    // Every zone's offset is a whole number of quarter hours, so a skipped midnight ends on
    // one; a day holds 96 of them.
    let quarter = chrono::Duration::minutes(15);
    let mut local = tomorrow.and_time(chrono::NaiveTime::MIN);
    for _ in 0..96 {
        let at = tz.from_local_datetime(&local);
        // Where midnight repeats, the first one still ahead.
        if let Some(start) = [at.earliest(), at.latest()]
            .into_iter()
            .flatten()
            .map(|t| t.with_timezone(&chrono::Utc))
            .find(|t| *t > now)
        {
            return start;
        }
        local += quarter;
    }
    now + chrono::Duration::days(1)
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

    fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&chrono::Utc))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_next_date_starts_at_local_midnight_or_where_a_clock_change_ends() {
        let starts = |zone: &str, now: &str| next_date_start(zone, utc(now));
        // Berlin in winter: midnight is 23:00 UTC.
        let berlin = starts("Europe/Berlin", "2026-12-04T10:00:00Z");
        assert_eq!(berlin, utc("2026-12-04T23:00:00Z"));
        // Just after midnight the next date is a whole day away.
        let after = starts("Europe/Berlin", "2026-12-04T23:00:00Z");
        assert_eq!(after, utc("2026-12-05T23:00:00Z"));
        // Santiago springs forward at midnight (2026-09-06): the day starts at 01:00 local,
        // which is 04:00 UTC under the new offset.
        let santiago = starts("America/Santiago", "2026-09-05T12:00:00Z");
        assert_eq!(santiago, utc("2026-09-06T04:00:00Z"));
        // Kathmandu's offset is +05:45.
        let kathmandu = starts("Asia/Kathmandu", "2026-12-04T10:00:00Z");
        assert_eq!(kathmandu, utc("2026-12-04T18:15:00Z"));
        // An unknown name counts as UTC, as a mailbox's day does.
        let unknown = starts("Nowhere/Else", "2026-12-04T10:00:00Z");
        assert_eq!(unknown, utc("2026-12-05T00:00:00Z"));
    }

    #[test]
    fn the_next_date_start_is_the_first_moment_of_another_date() {
        // Two years in steps of 37 minutes cross every clock change of these zones (some at
        // midnight, some by half an hour, some at odd offsets) at many minutes of the hour.
        let zones = [
            "UTC",
            "Europe/Berlin",
            "America/New_York",
            "America/Santiago",
            "America/Havana",
            "America/Asuncion",
            "Australia/Lord_Howe",
            "Pacific/Chatham",
            "Asia/Kathmandu",
            "Asia/Beirut",
        ];
        let first = utc("2026-01-01T00:00:00Z");
        for zone in zones {
            let mut now = first;
            while now < first + chrono::Duration::days(730) {
                let start = next_date_start(zone, now);
                let today = local_date(zone, now);
                let context = format!("{zone} at {now}: {start}");
                assert!(start > now, "{context}");
                assert!(start - now <= chrono::Duration::hours(25), "{context}");
                assert!(local_date(zone, start) > today, "{context}");
                let before = local_date(zone, start - chrono::Duration::seconds(1));
                assert_eq!(before, today, "{context}");
                now += chrono::Duration::minutes(37);
            }
        }
    }
}
