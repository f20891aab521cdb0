//! Whether a version's sunset date (`YYYY-MM-DD`, from the spec) has passed
//! by the system clock. Dates are read by `atlas_admin_recordings::dates`,
//! as `cargo xtask spec drift` reads them.

use atlas_admin_recordings::dates::{day_at, day_of};
use std::time::SystemTime;

/// Whether `date` is today or earlier at `now` (UTC). An unreadable date
/// has not passed.
pub(crate) fn has_passed(date: &str, now: SystemTime) -> bool {
    day_of(date).is_some_and(|day| day <= day_at(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn dates_by_the_clock() {
        let day = |d: u64| UNIX_EPOCH + Duration::from_secs(d * 86_400 + 3600);
        let sunset = day_of("2026-11-23").unwrap() as u64;
        assert!(has_passed("2026-11-23", day(sunset)));
        assert!(!has_passed("2026-11-23", day(sunset - 1)));
        assert!(has_passed("2023-01-01", day(sunset)));
        assert!(!has_passed("garbage", day(sunset)));
        assert!(!has_passed("2026-13-01", day(sunset)));
    }
}
