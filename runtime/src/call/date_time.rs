//! `format: date-time` values. A [`DateTime`] is the text Atlas sent and
//! the instant it names, a [`Timestamp`] (chrono's `DateTime<Utc>`), read
//! as RFC 3339. Reading is lenient: text that is not RFC 3339 is kept as
//! it was sent, with no timestamp, and recorded as a
//! [`Deviation`](crate::Deviation) (an error when strict). A value is
//! written back as the text it was read from, byte for byte.

use super::deviation::{unparsable_date_time, Absent};
use super::request::ToParam;
use chrono::{SecondsFormat, Utc};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// An instant in UTC: chrono's `DateTime<Utc>`, re-exported so that apps
/// need not depend on chrono to use one (`chrono` itself is re-exported
/// too, for its `TimeDelta` and formatting).
pub type Timestamp = chrono::DateTime<Utc>;

/// A date-time field or parameter (`format: date-time`): the text as sent
/// and, when it is RFC 3339 (`2026-08-10T03:01:52Z`,
/// `2024-01-02T03:04:05.123Z`, `2024-01-02T05:04:05+02:00`), the instant
/// it names ([`DateTime::timestamp`]).
///
/// Built from a [`Timestamp`] (`DateTime::from(ts)`, `ts.into()`: written
/// as `2026-08-10T03:01:52Z`, with a fraction only when the timestamp has
/// one) or from RFC 3339 text (`"2026-08-10T03:01:52Z".parse::<DateTime>()`).
/// Equal when the text is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DateTime {
    text: String,
    at: Option<Timestamp>,
}

/// Text that is not an RFC 3339 date-time (from [`DateTime::from_str`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    reason: chrono::ParseError,
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 date-time: {}", self.reason)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTime {
    /// The instant, or `None` when the text is not RFC 3339 (or the field
    /// was absent: see [`Absent`]).
    #[inline]
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.at
    }

    /// The text as it was sent (or as written from a timestamp).
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text as it was sent.
    #[inline]
    pub fn into_string(self) -> String {
        self.text
    }

    /// Keeps `text` whatever it holds: its timestamp when it is RFC 3339.
    /// Records nothing; a decoder records the deviation.
    fn lenient(text: String) -> (Self, Result<(), chrono::ParseError>) {
        match parse(&text) {
            Ok(at) => (DateTime { text, at: Some(at) }, Ok(())),
            Err(e) => (DateTime { text, at: None }, Err(e)),
        }
    }
}

fn parse(text: &str) -> Result<Timestamp, chrono::ParseError> {
    chrono::DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc))
}

impl From<Timestamp> for DateTime {
    fn from(at: Timestamp) -> Self {
        DateTime {
            text: at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            at: Some(at),
        }
    }
}

/// Strict: text that is not RFC 3339 is an error (an answer's field is
/// read leniently instead).
impl FromStr for DateTime {
    type Err = DateTimeError;
    fn from_str(text: &str) -> Result<Self, DateTimeError> {
        let at = parse(text).map_err(|reason| DateTimeError { reason })?;
        Ok(DateTime {
            text: text.to_owned(),
            at: Some(at),
        })
    }
}

/// The text as sent.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl AsRef<str> for DateTime {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// What a required date-time left out (or `null`) holds: empty text, no
/// timestamp.
impl Absent for DateTime {
    #[inline]
    fn absent() -> Self {
        DateTime::default()
    }
}

impl ToParam for DateTime {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.text)
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_string(Text)
    }
}

/// Reads a date-time's text; text that is not RFC 3339 is kept and
/// recorded.
struct Text;

impl<'de> serde::de::Visitor<'de> for Text {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date-time (RFC 3339 text)")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DateTime, E> {
        self.visit_string(text.to_owned())
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<DateTime, E> {
        let (value, parsed) = DateTime::lenient(text);
        if parsed.is_err() {
            unparsable_date_time(value.as_str());
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::deviation::{decode, decode_strict, DeviationKind};
    use chrono::{TimeZone, Timelike};

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Timestamp {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().expect("a valid date")
    }

    #[test]
    fn atlas_dates_parse_to_their_instant_and_write_back_as_sent() {
        let cases = [
            ("2026-08-10T03:01:52Z", at(2026, 8, 10, 3, 1, 52), 0),
            ("2024-01-02T03:04:05.123Z", at(2024, 1, 2, 3, 4, 5), 123_000_000),
            ("2024-01-02T05:04:05+02:00", at(2024, 1, 2, 3, 4, 5), 0),
            ("2024-01-01T22:34:05-04:30", at(2024, 1, 2, 3, 4, 5), 0),
        ];
        for (text, instant, nanos) in cases {
            let json = format!("\"{text}\"");
            let (read, found) = decode::<DateTime>(json.as_bytes()).unwrap();
            assert!(found.is_empty(), "{text}: {found:?}");
            let ts = read.timestamp().expect(text);
            assert_eq!(ts.with_nanosecond(0), Some(instant), "{text}");
            assert_eq!(ts.nanosecond(), nanos, "{text}");
            assert_eq!(read.as_str(), text);
            assert_eq!(read.to_string(), text);
            assert_eq!(serde_json::to_string(&read).unwrap(), json, "written back as sent");
            assert_eq!(text.parse::<DateTime>().unwrap(), read);
        }
    }

    #[test]
    fn a_timestamp_is_written_as_rfc_3339_in_utc() {
        let ts = at(2026, 8, 10, 3, 1, 52);
        assert_eq!(DateTime::from(ts).as_str(), "2026-08-10T03:01:52Z");
        let ms = ts.with_nanosecond(123_000_000).unwrap();
        let d = DateTime::from(ms);
        assert_eq!(d.as_str(), "2026-08-10T03:01:52.123Z");
        assert_eq!(d.timestamp(), Some(ms));
        assert_eq!(d.to_param(), "2026-08-10T03:01:52.123Z");
    }

    #[test]
    fn text_that_is_not_rfc_3339_is_kept_recorded_and_refused_when_strict() {
        for text in [
            "yesterday",
            "2026-08-10",
            "2026-08-10T03:01:52",
            "2026-13-10T03:01:52Z",
            "",
        ] {
            let json = serde_json::to_string(text).unwrap();
            let (read, found) = decode::<DateTime>(json.as_bytes()).unwrap();
            assert_eq!((read.timestamp(), read.as_str()), (None, text));
            let kinds: Vec<_> = found.iter().map(|d| (d.kind, d.field.as_ref())).collect();
            assert_eq!(kinds, vec![(DeviationKind::UnparsableDateTime, text)]);
            assert_eq!(serde_json::to_string(&read).unwrap(), json, "written back unchanged");
            let strict = decode_strict::<DateTime>(json.as_bytes()).unwrap_err();
            assert!(strict.to_string().contains("unparsable-date-time"), "{strict}");
            assert!(text.parse::<DateTime>().is_err(), "{text}");
        }
        // Not text at all is an error, as for any string field.
        assert!(decode::<DateTime>(b"1723258912").is_err());
    }
}
