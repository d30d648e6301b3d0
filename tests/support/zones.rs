//! A time zone for "now is such an hour there", shared by the tests and the benchmarks: windows
//! of the warmup patterns are local times, so a test that needs one open (or all still ahead)
//! picks the zone where the clock shows the right hour.

use chrono::Timelike;

/// A fixed-offset zone in which it is now between `hour`:00 and `hour`:59.
pub fn where_it_is(hour: i64) -> String {
    let now = i64::from(chrono::Utc::now().hour());
    let mut offset = (hour - now).rem_euclid(24);
    if offset > 14 {
        offset -= 24;
    }
    // Etc/GMT zones have inverted signs: Etc/GMT-3 is UTC+3.
    match offset {
        0 => "Etc/GMT".to_string(),
        o if o > 0 => format!("Etc/GMT-{o}"),
        o => format!("Etc/GMT+{}", -o),
    }
}
