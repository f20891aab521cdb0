//! Sample values for the fake and the emitted every-operation test, built
//! from the model's types: every required field filled, formats and
//! patterns respected (a string that matches a pattern is built from the
//! pattern's syntax tree), and the check that a value fits its type.

use crate::model::type_ref::{walk, Fold, Inner, Scalar, TypeRef};
use crate::model::*;
use regex::Regex;
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Nesting past which a sample stops adding optional depth (cycles).
const MAX_SAMPLE_DEPTH: usize = 12;

/// Builds and checks sample values against the model's types.
pub(super) struct Samples<'a> {
    types: &'a BTreeMap<String, TypeDef>,
    /// Answers: read-only fields and optional plain values filled too.
    answers: bool,
    /// Patterns compiled once each (`None`: not a regex this crate reads):
    /// the same field is sampled wherever its type is nested.
    patterns: RefCell<BTreeMap<String, Option<Regex>>>,
}

impl<'a> Samples<'a> {
    pub(super) fn new(types: &'a BTreeMap<String, TypeDef>, answers: bool) -> Self {
        Samples {
            types,
            answers,
            patterns: RefCell::default(),
        }
    }

    /// A value of type `t`: every required field filled.
    pub(super) fn value(&self, t: &TypeRef, hints: &Hints, depth: usize) -> Value {
        if depth > MAX_SAMPLE_DEPTH * 2 {
            // Only aliases of aliases get here (a cycle of them).
            return Value::Null;
        }
        walk(
            t,
            &mut Sample {
                samples: self,
                hints,
                depth,
            },
        )
    }

    /// [`string`] with the field's pattern compiled once.
    pub(super) fn string(&self, hints: &Hints) -> String {
        let Some(pattern) = hints.pattern.as_deref() else {
            return string(hints, None);
        };
        let mut cache = self.patterns.borrow_mut();
        let re = cache.entry(pattern.to_string()).or_insert_with(|| compile(pattern));
        string(hints, re.as_ref())
    }

    fn named(&self, name: &str, hints: &Hints, depth: usize) -> Value {
        match self.types.get(name) {
            Some(TypeDef::Enum(e)) => {
                let example = hints.example.as_ref().and_then(Value::as_str);
                let known = example.filter(|x| e.variants.iter().any(|(_, w)| w == x));
                json!(known.or(e.variants.first().map(|(_, w)| w.as_str())).unwrap_or(""))
            }
            Some(TypeDef::Alias(a)) => self.value(&a.target, hints, depth + 1),
            Some(TypeDef::OneOf(o)) => {
                let Some(first) = o.variants.first() else {
                    return json!({});
                };
                let mut v = self.value(&first.ty, &Hints::default(), depth + 1);
                if let (Some(d), Some(obj)) = (&o.discriminator, v.as_object_mut()) {
                    if let Some((value, _)) = d.values.iter().find(|(_, i)| *i == 0) {
                        obj.insert(d.property.clone(), json!(value));
                    }
                }
                v
            }
            Some(TypeDef::Struct(s)) if depth < MAX_SAMPLE_DEPTH => {
                let mut obj = Map::new();
                for f in s.fields.iter().filter(|f| self.fills(f, depth)) {
                    obj.insert(f.name.clone(), self.value(&f.ty, &f.hints, depth + 1));
                }
                Value::Object(obj)
            }
            Some(TypeDef::Struct(_)) | None => json!({}),
        }
    }

    /// Whether a sample at `depth` holds `f`: a required field; in an
    /// answer also a read-only one, an optional plain value (text, number,
    /// flag or string enum), and at the top an optional object (the
    /// cluster's `connectionStrings`); never an optional list, which would
    /// multiply, nor a write-only field, which Atlas never answers.
    fn fills(&self, f: &Field, depth: usize) -> bool {
        let required = matches!(f.presence, Presence::Required | Presence::RequiredNullable);
        let plain = walk(
            &f.ty,
            &mut Plain {
                types: self.types,
                depth,
            },
        );
        required || (self.answers && !f.write_only && (f.read_only || plain))
    }

    /// Whether `v` is a complete document of type `t`: every required field
    /// there, every value of its type.
    pub(super) fn fits(&self, v: &Value, t: &TypeRef, depth: usize) -> bool {
        if depth > MAX_SAMPLE_DEPTH * 2 {
            return true;
        }
        walk(
            t,
            &mut Fits {
                samples: self,
                v,
                depth,
            },
        )
    }

    /// Whether `v` is a complete document of the named type.
    fn fits_named(&self, v: &Value, name: &str, depth: usize) -> bool {
        match self.types.get(name) {
            Some(TypeDef::Enum(_)) => v.is_string(),
            Some(TypeDef::Alias(a)) => self.fits(v, &a.target, depth + 1),
            Some(TypeDef::OneOf(o)) => o.variants.iter().any(|x| self.fits(v, &x.ty, depth + 1)),
            Some(TypeDef::Struct(s)) => v.as_object().is_some_and(|obj| {
                s.fields.iter().all(|f| match (obj.get(&f.name), f.presence) {
                    (None, Presence::Required | Presence::RequiredNullable) => false,
                    (None, _) => true,
                    (Some(Value::Null), Presence::RequiredNullable | Presence::OptionalNullable) => true,
                    (Some(x), _) => self.fits(x, &f.ty, depth + 1),
                })
            }),
            None => false,
        }
    }
}

/// [`Samples::value`] of one type, at one depth, with its hints.
struct Sample<'s, 'a> {
    samples: &'s Samples<'a>,
    hints: &'s Hints,
    depth: usize,
}

impl<'t> Fold<'t> for Sample<'_, '_> {
    type Out = Value;
    fn scalar(&mut self, scalar: Scalar) -> Value {
        let hints = self.hints;
        match scalar {
            Scalar::String => Value::String(self.samples.string(hints)),
            Scalar::Bool => hints.example.clone().filter(Value::is_boolean).unwrap_or(json!(true)),
            Scalar::I32 | Scalar::I64 => hints
                .example
                .clone()
                .filter(|e| e.is_i64() || e.is_u64())
                .unwrap_or_else(|| json!(hints.minimum.map_or(1, |m| (m.ceil() as i64).max(1)))),
            Scalar::F32 | Scalar::F64 => hints
                .example
                .clone()
                .filter(Value::is_number)
                .unwrap_or_else(|| json!(hints.minimum.map_or(1.0, |m| m.max(1.0)))),
            Scalar::Json => json!({}),
            Scalar::DateTime => Value::String(date_time(hints).to_string()),
        }
    }
    fn named(&mut self, name: &'t str) -> Value {
        self.samples.named(name, self.hints, self.depth)
    }
    fn list(&mut self, item: Inner<'t>) -> Value {
        if self.depth >= MAX_SAMPLE_DEPTH {
            return json!([]);
        }
        let hints = self.hints.item.as_deref().cloned().unwrap_or_default();
        json!([self.inner(item, &hints)])
    }
    fn map(&mut self, _: Inner<'t>) -> Value {
        json!({})
    }
    fn boxed(&mut self, inner: Inner<'t>) -> Value {
        self.inner(inner, self.hints)
    }
}

impl<'t> Sample<'_, '_> {
    /// The sample of an inner type, one level down.
    fn inner(&self, inner: Inner<'t>, hints: &Hints) -> Value {
        let depth = self.depth + 1;
        if depth > MAX_SAMPLE_DEPTH * 2 {
            return Value::Null;
        }
        inner.fold(&mut Sample {
            samples: self.samples,
            hints,
            depth,
        })
    }
}

/// [`Samples::fits`] of one value, at one depth.
struct Fits<'s, 'a> {
    samples: &'s Samples<'a>,
    v: &'s Value,
    depth: usize,
}

impl<'t> Fold<'t> for Fits<'_, '_> {
    type Out = bool;
    fn scalar(&mut self, scalar: Scalar) -> bool {
        let v = self.v;
        match scalar {
            Scalar::String => v.is_string(),
            Scalar::Bool => v.is_boolean(),
            Scalar::I32 => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            Scalar::I64 => v.is_i64(),
            Scalar::F32 | Scalar::F64 => v.is_number(),
            Scalar::Json => true,
            Scalar::DateTime => v.as_str().is_some_and(is_rfc3339),
        }
    }
    fn named(&mut self, name: &'t str) -> bool {
        self.samples.fits_named(self.v, name, self.depth)
    }
    fn list(&mut self, item: Inner<'t>) -> bool {
        self.v.as_array().is_some_and(|a| a.iter().all(|x| self.inner(item, x)))
    }
    fn map(&mut self, value: Inner<'t>) -> bool {
        self.v
            .as_object()
            .is_some_and(|o| o.values().all(|x| self.inner(value, x)))
    }
    fn boxed(&mut self, inner: Inner<'t>) -> bool {
        self.inner(inner, self.v)
    }
}

impl<'t> Fits<'_, '_> {
    /// Whether `v` fits an inner type, one level down.
    fn inner(&self, inner: Inner<'t>, v: &Value) -> bool {
        let depth = self.depth + 1;
        if depth > MAX_SAMPLE_DEPTH * 2 {
            return true;
        }
        inner.fold(&mut Fits {
            samples: self.samples,
            v,
            depth,
        })
    }
}

/// Whether an answer's sample fills an optional field of the type at
/// `depth`: text, a number, a flag or a string enum; at the top also an
/// object; never a list, map or free-form value.
struct Plain<'a> {
    types: &'a BTreeMap<String, TypeDef>,
    depth: usize,
}

impl<'t> Fold<'t> for Plain<'_> {
    type Out = bool;
    fn scalar(&mut self, scalar: Scalar) -> bool {
        match scalar {
            Scalar::String
            | Scalar::Bool
            | Scalar::I32
            | Scalar::I64
            | Scalar::F32
            | Scalar::F64
            | Scalar::DateTime => true,
            Scalar::Json => false,
        }
    }
    fn named(&mut self, name: &'t str) -> bool {
        match self.types.get(name) {
            Some(TypeDef::Enum(_)) => true,
            Some(TypeDef::Struct(_)) => self.depth == 0,
            Some(TypeDef::Alias(_) | TypeDef::OneOf(_)) | None => false,
        }
    }
    fn list(&mut self, _: Inner<'t>) -> bool {
        false
    }
    fn map(&mut self, _: Inner<'t>) -> bool {
        false
    }
    fn boxed(&mut self, _: Inner<'t>) -> bool {
        false
    }
}

/// A string for these hints: the example where it fits the pattern, else
/// one for the format, else the first of a few common shapes the pattern
/// accepts, else one built from the pattern itself.
pub(super) fn string(hints: &Hints, pattern: Option<&Regex>) -> String {
    let fits = |s: &str| pattern.is_none_or(|re| re.is_match(s));
    if let Some(e) = hints.example.as_ref().and_then(Value::as_str) {
        if fits(e) {
            return e.to_string();
        }
    }
    let by_format = match hints.format.as_deref() {
        Some("date-time" | "datetime") => Some(DATE_TIME),
        Some("date") => Some("2026-01-01"),
        Some("email") => Some("user@example.com"),
        Some("uri" | "url") => Some("https://example.com/"),
        Some("uuid") => Some("6a0f0000-0000-4000-8000-000000000001"),
        Some("ipv4") => Some("192.0.2.1"),
        Some("ipv6") => Some("2001:db8::1"),
        Some("byte") => Some("c2FtcGxl"),
        _ => None,
    };
    if let Some(s) = by_format.filter(|s| fits(s)) {
        return s.to_string();
    }
    const SHAPES: &[&str] = &[
        "sample",
        "6a0f00000000000000000001",
        "sample-1",
        "Sample1",
        "sample_1",
        "1",
        "a",
        "A",
        "SAMPLE",
        "sample.example.com",
        "192.0.2.1",
        "192.0.2.0/24",
        "2026-01-01T00:00:00Z",
        "2026-01-01",
        "user@example.com",
        "https://example.com/",
        "6a0f0000-0000-4000-8000-000000000001",
        "us-east-1",
        "US_EAST_1",
        "mongodb://sample.example.com:27017",
    ];
    if let Some(s) = SHAPES.iter().find(|s| fits(s)) {
        return s.to_string();
    }
    hints
        .pattern
        .as_deref()
        .and_then(from_pattern)
        .filter(|s| !s.is_empty() && fits(s))
        .unwrap_or_else(|| "sample".to_string())
}

/// The sample date-time where a schema gives none that is RFC 3339.
pub(super) const DATE_TIME: &str = "2026-01-01T00:00:00Z";

/// A date-time's sample: its example where that is RFC 3339 (as the
/// runtime reads it), else [`DATE_TIME`].
fn date_time(hints: &Hints) -> &str {
    match hints.example.as_ref().and_then(Value::as_str) {
        Some(e) if is_rfc3339(e) => e,
        _ => DATE_TIME,
    }
}

/// Whether `s` is an RFC 3339 date-time (section 5.6, upper-case `T` and
/// `Z`): `2026-08-10T03:01:52Z`, with a fraction of a second, or an offset
/// (`+02:00`); the day within its month, no leap second.
pub(super) fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |from: usize, to: usize| -> Option<u32> {
        let digits = b.get(from..to)?;
        digits
            .iter()
            .try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let shape = b.len() > 19 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':';
    if !shape {
        return false;
    }
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(sec)) =
        (num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19))
    else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    // The first 19 bytes are ASCII: 19 is a character boundary.
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    let offset = rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':'
            && rest[1..3].bytes().chain(rest[4..6].bytes()).all(|c| c.is_ascii_digit())
            && rest[1..3] <= *"23"
            && rest[4..6] <= *"59");
    (1..=days).contains(&d) && h <= 23 && mi <= 59 && sec <= 59 && offset
}

/// The shortest plain string a pattern's syntax tree leads to: the first
/// branch of each alternation, the first character of each class (a letter
/// or digit where the class has one), each repetition at its minimum. `None`
/// when the pattern does not parse; the caller checks the result matches.
fn from_pattern(pattern: &str) -> Option<String> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn walk(h: &Hir, out: &mut String, depth: usize) {
        if depth > 64 || out.len() > 256 {
            return;
        }
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
            HirKind::Class(Class::Unicode(c)) => {
                let chars = c.ranges().iter().flat_map(|r| [r.start(), r.end()]);
                let pick = chars
                    .clone()
                    .find(|ch| ch.is_ascii_alphanumeric())
                    .or_else(|| chars.clone().next());
                out.extend(pick);
            }
            HirKind::Class(Class::Bytes(c)) => {
                let pick = c.ranges().first().map(|r| r.start() as char);
                out.extend(pick);
            }
            HirKind::Repetition(r) => {
                for _ in 0..r.min.min(64) {
                    walk(&r.sub, out, depth + 1);
                }
            }
            HirKind::Capture(c) => walk(&c.sub, out, depth + 1),
            HirKind::Concat(items) => items.iter().for_each(|i| walk(i, out, depth + 1)),
            HirKind::Alternation(items) => {
                if let Some(first) = items.first() {
                    walk(first, out, depth + 1);
                }
            }
        }
    }
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut out = String::new();
    walk(&hir, &mut out, 0);
    Some(out)
}

/// A spec pattern as this crate reads it: as written, or without its
/// lookarounds (`(?!$)`, which the regex crate does not read), a pattern
/// that accepts a little more.
pub(super) fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(pattern)
        .ok()
        .or_else(|| Regex::new(&without_lookarounds(pattern)).ok())
}

/// `pattern` with every lookaround group (`(?=..)`, `(?!..)`, `(?<=..)`,
/// `(?<!..)`) taken out.
pub(super) fn without_lookarounds(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        if ["(?=", "(?!", "(?<=", "(?<!"].iter().any(|l| rest.starts_with(l)) {
            i = group_end(&chars, i);
            continue;
        }
        out.push(chars[i]);
        if chars[i] == '\\' {
            out.extend(chars.get(i + 1));
            i += 1;
        }
        i += 1;
    }
    out
}

/// The index after the group opening at `start` (escapes and classes
/// skipped), or the end.
fn group_end(chars: &[char], start: usize) -> usize {
    let (mut depth, mut in_class, mut i) = (0usize, false, start);
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}
