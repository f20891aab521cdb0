//! Civil dates (`YYYY-MM-DD`, proleptic Gregorian, UTC) as days since
//! 1970-01-01, and today by the system clock: sunsets in the spec are such
//! dates.

use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 of year `y`, month `m` (1-12), day `d` (Howard
/// Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// `YYYY-MM-DD` (anything may follow the day: `2026-11-23T00:00Z`) as days
/// since 1970-01-01; `None` if it is not such a date.
pub fn day_of(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.get(..2)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
}

/// The day `now` falls on, as days since 1970-01-01 (UTC); a time before
/// the epoch is day 0.
pub fn day_at(now: SystemTime) -> i64 {
    now.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs() / 86_400).unwrap_or(i64::MAX))
}

/// Today by the system clock, as days since 1970-01-01 (UTC).
pub fn today() -> i64 {
    day_at(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn civil_dates_count_days_from_the_epoch() {
        assert_eq!(day_of("1970-01-01"), Some(0));
        assert_eq!(day_of("1969-12-31"), Some(-1));
        assert_eq!(day_of("2000-02-29"), Some(11_016));
        assert_eq!(day_of("2000-03-01"), Some(11_017));
        assert_eq!(
            day_of("2100-03-01").zip(day_of("2100-02-28")).map(|(a, b)| a - b),
            Some(1)
        );
        assert_eq!(day_of(" 2026-11-23T00:00:00Z"), day_of("2026-11-23"));
        for bad in [
            "bad",
            "2026-13-01",
            "2026-00-10",
            "2026-01-32",
            "2026-1",
            "",
            "2026-01-x1",
        ] {
            assert_eq!(day_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_day_of_a_time() {
        let day = |d: u64, s: u64| UNIX_EPOCH + Duration::from_secs(d * 86_400 + s);
        assert_eq!(day_at(day(20_000, 0)), 20_000);
        assert_eq!(day_at(day(20_000, 86_399)), 20_000);
        assert_eq!(day_at(UNIX_EPOCH - Duration::from_secs(10)), 0);
        assert!(today() > day_of("2025-01-01").unwrap_or(i64::MAX));
    }
}
