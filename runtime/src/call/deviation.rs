//! Answers that differ from the spec. Real Atlas leaves out fields the spec
//! marks required, sends `null` where it is not nullable, adds fields and
//! enum values, and answers statuses the spec does not list. Decoding takes
//! what Atlas really sends, and records each such [`Deviation`]:
//! - on the [`Response`](crate::Response) of a call
//!   ([`Response::deviations`](crate::Response::deviations)), logged once
//!   per operation, version, type, field and kind with `tracing::warn!`;
//! - for JSON decoded outside a call (`serde_json::from_slice::<Model>`),
//!   logged once per type, field and kind; [`decode`] returns them.
//!
//! A strict client ([`ClientBuilder::strict`](crate::ClientBuilder::strict))
//! turns any deviation into [`Error::Deviation`](crate::Error::Deviation).
//!
//! A required field that is left out (or `null`) takes its type's
//! [`Absent`] value: empty text, zero, `false`, an empty list, an enum's
//! catch-all holding `""`. That keeps the model's types exact; the
//! deviation says which field it was. Decoding is synchronous, so the
//! deviations of one document are gathered on the decoding thread.

use serde::de::Error as _;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Mutex;

/// What kind of difference from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DeviationKind {
    /// A property the schema marks required is absent: the field holds
    /// its type's [`Absent`] value.
    RequiredAbsent,
    /// `null` for a field that is not nullable: an optional field is
    /// `None`, a required one holds its [`Absent`] value.
    NullNotNullable,
    /// A property the schema does not define: skipped.
    UnknownProperty,
    /// An enum value the spec does not list: kept in the enum's catch-all.
    UnknownEnumValue,
    /// A 2xx status the operation does not document.
    UndocumentedStatus,
    /// A body on a status the spec documents as empty: not read.
    BodyOnEmptyStatus,
    /// A body of a JSON media type that is not JSON (a PEM certificate
    /// answered as text): read as the text, where the model is a string.
    TextForJson,
    /// An integer past its format (an `int32` above 2^31): kept, since
    /// every integer is an `i64`. `field` names the format.
    NumberPastFormat,
    /// A whole number written as a fraction (`30.0`) for an integer: read
    /// as that integer. `field` names the format.
    IntegerAsFraction,
    /// A `format: date-time` value that is not RFC 3339: kept as its text,
    /// with no timestamp ([`DateTime`](crate::DateTime)). `field` is the
    /// text.
    UnparsableDateTime,
}

impl DeviationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviationKind::RequiredAbsent => "required-absent",
            DeviationKind::NullNotNullable => "null-not-nullable",
            DeviationKind::UnknownProperty => "unknown-property",
            DeviationKind::UnknownEnumValue => "unknown-enum-value",
            DeviationKind::UndocumentedStatus => "undocumented-status",
            DeviationKind::BodyOnEmptyStatus => "body-on-empty-status",
            DeviationKind::TextForJson => "text-for-json",
            DeviationKind::NumberPastFormat => "number-past-format",
            DeviationKind::IntegerAsFraction => "integer-as-fraction",
            DeviationKind::UnparsableDateTime => "unparsable-date-time",
        }
    }
}

/// One difference between an answer and the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Deviation {
    pub kind: DeviationKind,
    /// The model (`ClusterDescription20240805`), or `""` for the answer as
    /// a whole (a status).
    pub type_name: &'static str,
    /// The field's wire name, the unknown property's, enum value's or
    /// date-time's text (as the server sent it: escape it before printing
    /// it yourself), or the status.
    pub field: Cow<'static, str>,
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = crate::escape::escape(&self.field);
        match self.kind {
            DeviationKind::UndocumentedStatus
            | DeviationKind::BodyOnEmptyStatus
            | DeviationKind::TextForJson
            | DeviationKind::NumberPastFormat
            | DeviationKind::IntegerAsFraction
            | DeviationKind::UnparsableDateTime => {
                write!(f, "{}: {field}", self.kind.as_str())
            }
            _ => write!(f, "{} {}.{field}", self.kind.as_str(), self.type_name),
        }
    }
}

/// How decoding on this thread treats a deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Take it and record it.
    Lenient,
    /// A required field absent is an error (a `oneOf` trying a variant,
    /// the fake checking a request body); the rest is recorded.
    Trial,
}

struct Sink {
    mode: Mode,
    found: BTreeSet<Deviation>,
}

thread_local! {
    static SINKS: RefCell<Vec<Sink>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with deviations gathered instead of logged; returns them with
/// `f`'s result, in order. Nested calls gather their own.
pub(crate) fn gathering<R>(f: impl FnOnce() -> R) -> (R, Vec<Deviation>) {
    with_sink(Mode::Lenient, f)
}

fn with_sink<R>(mode: Mode, f: impl FnOnce() -> R) -> (R, Vec<Deviation>) {
    SINKS.with(|s| {
        s.borrow_mut().push(Sink {
            mode,
            found: BTreeSet::new(),
        })
    });
    // Popped even if `f` panics, so a later decode on this thread is not
    // gathered into a dead sink.
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            SINKS.with(|s| s.borrow_mut().pop());
        }
    }
    let pop = Pop;
    let result = f();
    let found = SINKS.with(|s| s.borrow_mut().last_mut().map(|k| std::mem::take(&mut k.found)));
    drop(pop);
    (result, found.unwrap_or_default().into_iter().collect())
}

/// Decodes `T` as a trial: a required field absent fails it, as it did
/// before decoding became lenient. On success its deviations count as the
/// caller's; on failure they are dropped. Generated `oneOf` decoders try
/// variants this way; the fake checks request bodies this way.
#[doc(hidden)]
pub fn trial<T, E>(f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    let (result, found) = with_sink(Mode::Trial, f);
    if result.is_ok() {
        for d in found {
            record(d);
        }
    }
    result
}

fn mode() -> Option<Mode> {
    SINKS.with(|s| s.borrow().last().map(|k| k.mode))
}

/// Records `d` in the innermost sink, or logs it once for the process.
fn record(d: Deviation) {
    let gathered = SINKS.with(|s| match s.borrow_mut().last_mut() {
        Some(sink) => {
            sink.found.insert(d.clone());
            true
        }
        None => false,
    });
    if !gathered {
        warn_once(None, d);
    }
}

/// (operation, version) of the call, when there is one.
type Call = Option<(&'static str, &'static str)>;

static WARNED: Mutex<BTreeSet<(Call, Deviation)>> = Mutex::new(BTreeSet::new());
/// Distinct deviations warned about at the most, so a server cannot grow
/// the set without bound (unknown property names are the server's text).
const MAX_WARNED: usize = 4096;

/// One `tracing::warn!` per call site (operation and version, or none),
/// type, field and kind.
pub(crate) fn warn_once(call: Call, d: Deviation) {
    let first = {
        let mut warned = WARNED.lock().unwrap_or_else(|p| p.into_inner());
        if warned.len() >= MAX_WARNED {
            false
        } else {
            warned.insert((call, d.clone()))
        }
    };
    if !first {
        return;
    }
    let (operation, version) = call.unwrap_or(("", ""));
    tracing::warn!(
        operation,
        version,
        kind = d.kind.as_str(),
        type_name = d.type_name,
        field = %crate::escape::escape(&d.field),
        "the answer differs from the spec; decoded anyway"
    );
}

/// The value a required field takes when the answer leaves it out (or
/// sends `null`): never a value Atlas sent, always recorded as a
/// [`Deviation`].
pub trait Absent {
    fn absent() -> Self;
}

macro_rules! absent_by_default {
    ($($t:ty),*) => { $(impl Absent for $t { #[inline] fn absent() -> Self { Default::default() } })* };
}
absent_by_default!(String, bool, i32, i64, f32, f64, serde_json::Value);

impl<T> Absent for Vec<T> {
    #[inline]
    fn absent() -> Self {
        Vec::new()
    }
}

impl<K: Ord, V> Absent for BTreeMap<K, V> {
    #[inline]
    fn absent() -> Self {
        BTreeMap::new()
    }
}

impl<T> Absent for Option<T> {
    #[inline]
    fn absent() -> Self {
        None
    }
}

impl<T: Absent> Absent for Box<T> {
    #[inline]
    fn absent() -> Self {
        Box::new(T::absent())
    }
}

/// A required field's value at the end of its object: present, `null`
/// (`Some(None)`) or absent (`None`). Called by generated `Deserialize`
/// impls.
#[doc(hidden)]
#[inline]
pub fn required<T: Absent, E: serde::de::Error>(
    seen: Option<Option<T>>,
    type_name: &'static str,
    field: &'static str,
) -> Result<T, E> {
    let kind = match seen {
        Some(Some(value)) => return Ok(value),
        Some(None) => DeviationKind::NullNotNullable,
        None => DeviationKind::RequiredAbsent,
    };
    if mode() == Some(Mode::Trial) {
        return Err(match kind {
            DeviationKind::RequiredAbsent => E::missing_field(field),
            _ => E::custom(format_args!("null for required field `{field}`")),
        });
    }
    record(Deviation {
        kind,
        type_name,
        field: Cow::Borrowed(field),
    });
    Ok(T::absent())
}

/// An optional, non-nullable field's value: `null` is `None`, recorded.
#[doc(hidden)]
#[inline]
pub fn optional<T>(seen: Option<Option<T>>, type_name: &'static str, field: &'static str) -> Option<T> {
    match seen {
        Some(None) => {
            record(Deviation {
                kind: DeviationKind::NullNotNullable,
                type_name,
                field: Cow::Borrowed(field),
            });
            None
        }
        Some(value) => value,
        None => None,
    }
}

/// A key the model does not define (called by [`FieldIndex`](crate::FieldIndex)).
pub(crate) fn unknown_property(type_name: &'static str, key: &str) {
    record(Deviation {
        kind: DeviationKind::UnknownProperty,
        type_name,
        field: Cow::Owned(key.to_owned()),
    });
}

/// An enum value the spec does not list. Called by generated enums.
#[doc(hidden)]
pub fn unknown_enum_value(type_name: &'static str, value: &str) {
    record(Deviation {
        kind: DeviationKind::UnknownEnumValue,
        type_name,
        field: Cow::Owned(value.to_owned()),
    });
}

/// An integer read leniently (called by [`Lenient`](crate::Lenient)).
pub(crate) fn number(kind: DeviationKind, format: &'static str) {
    record(Deviation {
        kind,
        type_name: "",
        field: Cow::Borrowed(format),
    });
}

/// A date-time that is not RFC 3339, kept as its text (called by
/// [`DateTime`](crate::DateTime)'s reader).
pub(crate) fn unparsable_date_time(text: &str) {
    record(Deviation {
        kind: DeviationKind::UnparsableDateTime,
        type_name: "",
        field: Cow::Owned(text.to_owned()),
    });
}

/// A body of a JSON media type that is not JSON, read as text.
pub(crate) fn text_for_json(len: usize) {
    record(of_answer(DeviationKind::TextForJson, format!("{len} bytes of text")));
}

/// A status or body the operation does not document (called by the client).
pub(crate) fn of_answer(kind: DeviationKind, detail: String) -> Deviation {
    Deviation {
        kind,
        type_name: "",
        field: Cow::Owned(detail),
    }
}

/// Decodes JSON as `T` as the client does: leniently, with every deviation
/// returned. `serde_json::from_slice::<T>` decodes the same way but logs
/// the deviations (once each) instead of returning them.
pub fn decode<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<(T, Vec<Deviation>), serde_json::Error> {
    let (result, found) = gathering(|| serde_json::from_slice::<T>(json));
    result.map(|value| (value, found))
}

/// Decodes JSON as `T` strictly: any deviation is an error naming them.
pub fn decode_strict<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T, serde_json::Error> {
    let (value, found) = decode::<T>(json)?;
    if found.is_empty() {
        return Ok(value);
    }
    let list: Vec<String> = found.iter().map(ToString::to_string).collect();
    Err(serde_json::Error::custom(format_args!(
        "the document differs from the spec: {}",
        list.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_takes_absent_values_and_records_why() {
        let ((a, b, c), found) = gathering(|| {
            let a: String = required::<_, serde_json::Error>(None, "T", "id").unwrap();
            let b: i64 = required::<_, serde_json::Error>(Some(None), "T", "size").unwrap();
            let c: i64 = required::<_, serde_json::Error>(Some(Some(7)), "T", "n").unwrap();
            (a, b, c)
        });
        assert_eq!((a.as_str(), b, c), ("", 0, 7));
        let kinds: Vec<_> = found.iter().map(|d| (d.kind, d.field.as_ref())).collect();
        assert_eq!(
            kinds,
            vec![
                (DeviationKind::RequiredAbsent, "id"),
                (DeviationKind::NullNotNullable, "size")
            ]
        );
    }

    #[test]
    fn a_trial_fails_on_a_missing_field_and_keeps_only_what_succeeded() {
        let ((), found) = gathering(|| {
            let failed: Result<String, serde_json::Error> = trial(|| {
                unknown_property("T", "dropped");
                required(None, "T", "id")
            });
            assert!(failed.unwrap_err().to_string().contains("missing field `id`"));
            let ok: Result<(), serde_json::Error> = trial(|| {
                unknown_property("T", "kept");
                Ok(())
            });
            ok.unwrap();
        });
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "kept");
    }

    #[test]
    fn a_panic_while_gathering_leaves_no_sink_behind() {
        let caught = std::panic::catch_unwind(|| gathering(|| panic!("boom")));
        assert!(caught.is_err());
        assert_eq!(mode(), None);
    }

    #[test]
    fn deviations_show_escaped() {
        let d = Deviation {
            kind: DeviationKind::UnknownProperty,
            type_name: "T",
            field: "a\r\nb".into(),
        };
        assert_eq!(d.to_string(), "unknown-property T.a\\r\\nb");
    }
}
