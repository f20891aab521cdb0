//! Whether a version's sunset date (`YYYY-MM-DD`, from the spec) has passed
//! by the system clock.

use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` as days since the epoch; `None` if it is not such a date.
fn parse(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.get(..2)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
}

/// Whether `date` is today or earlier at `now` (UTC). An unreadable date
/// has not passed.
pub(crate) fn has_passed(date: &str, now: SystemTime) -> bool {
    let Some(day) = parse(date) else {
        return false;
    };
    let today = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i64);
    day <= today
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_by_the_clock() {
        assert_eq!(parse("1970-01-01"), Some(0));
        assert_eq!(parse("2000-03-01"), Some(11_017));
        assert_eq!(parse("nope"), None);
        assert_eq!(parse("2026-13-01"), None);
        let day = |d: u64| UNIX_EPOCH + Duration::from_secs(d * 86_400 + 3600);
        let sunset = parse("2026-11-23").unwrap() as u64;
        assert!(has_passed("2026-11-23", day(sunset)));
        assert!(!has_passed("2026-11-23", day(sunset - 1)));
        assert!(has_passed("2023-01-01", day(sunset)));
        assert!(!has_passed("garbage", day(sunset)));
    }
}
