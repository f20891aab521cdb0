//! The fake's side of the model, settled once every type is known:
//! - what each operation does to the fake's state, from the paths (a POST
//!   to a collection whose item has a GET, and whose answer names the
//!   item's key, creates; the item's GET, PATCH, PUT and DELETE read,
//!   change and remove it; a GET below it reads it; the collection's paged
//!   GET lists), and how a create makes a key its request does not give
//!   (matching the patterns of the field and of the item's parameter);
//! - what each version answers: the spec's example where it is a complete
//!   document, else a value built from the schema (every required field,
//!   formats and patterns respected, built by `samples.rs`);
//! - sample arguments and bodies, for the emitted every-operation test.

use super::samples::{compile, string, Samples};
use super::write_only;
use crate::error::{Error, Pointer};
use crate::model::type_ref::{walk, Fold, Inner, Scalar, TypeRef};
use crate::model::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub(crate) fn settle(tags: &mut [Tag], types: &BTreeMap<String, TypeDef>) {
    let creatable = creatable(tags, types);
    let samples = Samples::new(types, false);
    // An answer also holds what the server sets (read-only fields: ids,
    // dates, states) and plain optional values, as Atlas's answers do.
    let answers = Samples::new(types, true);
    for op in tags.iter_mut().flat_map(|t| &mut t.operations) {
        op.fake_role = role(op, &creatable, types);
        op.fake_args = op
            .positional_params()
            .map(|p| {
                let hints = Hints {
                    pattern: p.pattern.clone(),
                    ..Hints::default()
                };
                match (&p.ty, samples.value(&p.ty, &hints, 0)) {
                    (TypeRef::String, Value::String(text)) => FakeArg::Text(text),
                    (_, sample) => FakeArg::Decoded(sample.to_string()),
                }
            })
            .collect();
        for v in &mut op.versions {
            v.fake_answer = match (&v.response, v.format) {
                (Some(t), Format::Json) => {
                    let mut answer = match &v.example {
                        Some(e) if samples.fits(e, t, 0) => e.clone(),
                        _ => answers.value(t, &Hints::default(), 0),
                    };
                    // Atlas never answers with a write-only field.
                    write_only::strip(&mut answer, &v.write_only);
                    Some(answer.to_string())
                }
                _ => None,
            };
            v.fake_body = v
                .request
                .as_ref()
                .filter(|b| b.required)
                .map(|b| samples.value(&b.ty, &Hints::default(), 0).to_string());
        }
    }
}

/// A waiter against the fake ends as it does against Atlas once the
/// resource settles: the answers of the GET it polls, and of the operation
/// that waits, hold its first success value at the watched path (a path of
/// plain `$.a.b` steps), so a stateful fake stores the settled state. Not
/// the answer of a create of several resources (`request:`): a page, not
/// one of them.
pub(crate) fn settle_watched_states(tags: &mut [Tag]) {
    let mut settled: Vec<(String, Vec<String>, Value)> = Vec::new();
    for op in tags.iter().flat_map(|t| &t.operations) {
        let Some(w) = &op.watcher else { continue };
        let Expect::Match { path, values, .. } = &w.expect else {
            continue;
        };
        let (Some(steps), Some(first)) = (plain_steps(path), values.first()) else {
            continue;
        };
        let value = Value::String(first.clone());
        settled.push((w.get_operation_id.clone(), steps.clone(), value.clone()));
        if !w.args.iter().any(|a| matches!(a, WatchArg::Request(_))) {
            settled.push((op.operation_id.clone(), steps, value));
        }
    }
    for op in tags.iter_mut().flat_map(|t| &mut t.operations) {
        for (_, steps, value) in settled.iter().filter(|(id, _, _)| *id == op.operation_id) {
            for v in &mut op.versions {
                let Some(text) = &v.fake_answer else { continue };
                let Ok(mut doc) = serde_json::from_str::<Value>(text) else {
                    continue;
                };
                if set_at(&mut doc, steps, value.clone()) {
                    v.fake_answer = Some(doc.to_string());
                }
            }
        }
    }
}

/// `$.a.b` as `["a", "b"]`; `None` for any other JSONPath.
fn plain_steps(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix("$.")?;
    let steps: Vec<String> = rest.split('.').map(str::to_string).collect();
    steps
        .iter()
        .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(steps)
}

/// Sets `doc` at `steps` (objects made on the way); whether it could.
fn set_at(doc: &mut Value, steps: &[String], value: Value) -> bool {
    let Some((last, parents)) = steps.split_last() else {
        return false;
    };
    let mut node = doc;
    for step in parents {
        let Some(obj) = node.as_object_mut() else { return false };
        node = obj.entry(step.clone()).or_insert_with(|| json!({}));
    }
    match node.as_object_mut() {
        Some(obj) => {
            obj.insert(last.clone(), value);
            true
        }
        None => false,
    }
}

/// The fields of a response type: a struct's, or every variant struct's of
/// a union.
fn answer_fields<'t>(types: &'t BTreeMap<String, TypeDef>, name: &str) -> Vec<&'t Field> {
    match types.get(name) {
        Some(TypeDef::Struct(s)) => s.fields.iter().collect(),
        Some(TypeDef::OneOf(o)) => o
            .variants
            .iter()
            .filter_map(|v| match &v.ty {
                TypeRef::Named(n) => Some(answer_fields(types, n)),
                _ => None,
            })
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

/// A path parameter's `x-key-fields` (absent: none): the item's fields
/// whose value the parameter is, in the order tried, each a name or
/// `{name: F, address-block-of: G}` (F, when an item lacks it, is the
/// block of the address in G: an access-list entry's `cidrBlock` from its
/// `ipAddress`).
pub(crate) fn key_fields(
    extensions: &indexmap::IndexMap<String, Value>,
    ptr: &Pointer,
) -> Result<Vec<KeyField>, Error> {
    let Some(value) = extensions.get("x-key-fields") else {
        return Ok(Vec::new());
    };
    let at = ptr.push("x-key-fields");
    let list = match value.as_array() {
        Some(list) if !list.is_empty() => list,
        _ => return Err(Error::at(&at, "x-key-fields must be a list of the item's field names")),
    };
    list.iter()
        .enumerate()
        .map(|(i, entry)| match entry {
            Value::String(name) => Ok(KeyField {
                name: name.clone(),
                derived: None,
            }),
            Value::Object(map) => derived_key_field(map, &at.push(i)),
            _ => Err(Error::at(
                &at,
                format!("x-key-fields must be a list of the item's field names; entry {i} is {entry}"),
            )),
        })
        .collect()
}

/// `{name: F, address-block-of: G}` in `x-key-fields`.
fn derived_key_field(map: &Map<String, Value>, at: &Pointer) -> Result<KeyField, Error> {
    if let Some(other) = map.keys().find(|k| !["name", "address-block-of"].contains(&k.as_str())) {
        return Err(Error::at(
            &at.push(other),
            format!("a field of x-key-fields takes name and address-block-of, not {other:?}"),
        ));
    }
    let text = |key: &str| match map.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(Error::at(&at.push(key), format!("{key} must name a field of the item"))),
    };
    Ok(KeyField {
        name: text("name")?,
        derived: Some((text("address-block-of")?, Derivation::AddressBlock)),
    })
}

/// How the POST to a collection makes its items.
struct Creatable {
    /// The answer fields that name an item: one per trailing parameter of
    /// the item's path; or, for a list of items (`each`), the fields one of
    /// which names each item, in the order tried.
    key_fields: Vec<String>,
    each: bool,
    /// How the fake makes each key field a request does not give (not
    /// `each`: those name themselves).
    fresh: Vec<FreshKey>,
    /// Fields made from another when an item lacks them.
    derived: Vec<DerivedField>,
}

impl Creatable {
    /// How many trailing parameters of the item's path name it.
    fn key_params(&self) -> usize {
        if self.each {
            1
        } else {
            self.key_fields.len()
        }
    }

    /// The stored item of kind `kind` under the parents `parents`.
    fn item(&self, kind: &str, parents: &[String]) -> FakeItem {
        FakeItem {
            kind: kind.to_string(),
            parents: parents.to_vec(),
            named_by: if self.each { self.key_fields.clone() } else { Vec::new() },
            derived: self.derived.clone(),
        }
    }
}

/// What a POST makes: the named type of its answer, or of each element of
/// a list it is sent that answers a page (`true`: an access list).
fn made_by(post: &Operation) -> Option<(&str, bool)> {
    let version = post.versions.get(post.default_version)?;
    let each = match version.request.as_ref().map(|b| &b.ty) {
        Some(TypeRef::Vec(element)) if version.pages.is_some() => Some(element.as_ref()),
        _ => None,
    };
    match each.or(version.response.as_ref())? {
        TypeRef::Named(name) => Some((name.as_str(), each.is_some())),
        _ => None,
    }
}

/// Item path -> how items are made, for every collection whose POST
/// answers with the key of an item that has a GET: the item's trailing
/// parameters (one, or several: a database user's
/// `{databaseName}/{username}`), each a text or string-enum field of the
/// answer. A POST of a list of items that answers a page (an access list)
/// names each item by the first field of its parameter's `x-key-fields`
/// that the item holds (fields derived from another, where both are text
/// fields of the item, filled first).
fn creatable(tags: &[Tag], types: &BTreeMap<String, TypeDef>) -> BTreeMap<String, Creatable> {
    let ops: Vec<&Operation> = tags.iter().flat_map(|t| &t.operations).collect();
    let gets: BTreeMap<&str, &Operation> = ops
        .iter()
        .filter(|o| o.method == Method::Get)
        .map(|o| (o.path.as_str(), *o))
        .collect();
    let mut out = BTreeMap::new();
    for post in ops.iter().filter(|o| o.method == Method::Post) {
        let Some((get, params)) = item_of(post, &gets) else {
            continue;
        };
        let Some((answer, each)) = made_by(post) else {
            continue;
        };
        let fields = answer_fields(types, answer);
        let made = match (each, params.as_slice()) {
            (true, [param]) => each_named(get, param, &fields, types),
            (true, _) => None,
            (false, _) => named(get, &params, &fields, types),
        };
        if let Some(made) = made {
            out.entry(get.path.clone()).or_insert(made);
        }
    }
    out
}

/// The fields a path parameter of the item GET can be (`x-key-fields`, else
/// the parameter's name, `name` for `...Name`, `id` for `...Id`).
fn candidates(get: &Operation, param: &str) -> Vec<KeyField> {
    let declared = get.path_params.iter().find(|p| p.name == param).map(|p| &p.key_fields);
    match declared {
        Some(list) if !list.is_empty() => list.clone(),
        _ => [
            Some(param.to_string()),
            param.ends_with("Name").then(|| "name".to_string()),
            param.ends_with("Id").then(|| "id".to_string()),
        ]
        .into_iter()
        .flatten()
        .map(|name| KeyField { name, derived: None })
        .collect(),
    }
}

/// Whether the item has a text (or string-enum) field `name`.
fn textual(fields: &[&Field], name: &str, types: &BTreeMap<String, TypeDef>) -> bool {
    fields
        .iter()
        .any(|f| f.name == name && walk(&f.ty, &mut Textual { types }))
}

/// Items made from a list, each named by one of the parameter's fields.
fn each_named(get: &Operation, param: &str, fields: &[&Field], types: &BTreeMap<String, TypeDef>) -> Option<Creatable> {
    let declared: Vec<KeyField> = candidates(get, param)
        .into_iter()
        .filter(|k| textual(fields, &k.name, types))
        .collect();
    let derived = declared
        .iter()
        .filter_map(|k| {
            let (from, rule) = k.derived.clone()?;
            textual(fields, &from, types).then(|| DerivedField {
                field: k.name.clone(),
                from,
                rule,
            })
        })
        .collect();
    let key_fields: Vec<String> = declared.into_iter().map(|k| k.name).collect();
    (!key_fields.is_empty()).then_some(Creatable {
        key_fields,
        each: true,
        fresh: Vec::new(),
        derived,
    })
}

/// An item named by its trailing parameters, one field each, with how the
/// fake makes each one a request does not give.
fn named(
    get: &Operation,
    params: &[String],
    fields: &[&Field],
    types: &BTreeMap<String, TypeDef>,
) -> Option<Creatable> {
    let mut key_fields = Vec::new();
    let mut fresh = Vec::new();
    for param in params {
        let key = candidates(get, param)
            .into_iter()
            .find(|k| textual(fields, &k.name, types))?;
        let field = fields.iter().find(|f| f.name == key.name)?;
        let pattern = get
            .path_params
            .iter()
            .find(|p| &p.name == param)
            .and_then(|p| p.pattern.as_deref());
        fresh.push(fresh_key(&field.hints, pattern));
        key_fields.push(key.name);
    }
    Some(Creatable {
        key_fields,
        each: false,
        fresh,
        derived: Vec::new(),
    })
}

/// How the fake makes a key field: from a sample matching both the
/// field's pattern and the item's path parameter's, its trailing run of
/// hex digits (8 or more) or of decimal digits (4 or more) replaced by a
/// counter, else the counter after it: the first of these whose values
/// for a few counters match both patterns. None matching (a pattern the
/// generator cannot satisfy): the counter after the field's sample.
fn fresh_key(field: &Hints, param_pattern: Option<&str>) -> FreshKey {
    let field_re = field.pattern.as_deref().and_then(compile);
    let param_re = param_pattern.and_then(compile);
    let fits = |s: &str| {
        [&field_re, &param_re]
            .iter()
            .all(|re| re.as_ref().is_none_or(|re| re.is_match(s)))
    };
    let param_hints = Hints {
        pattern: param_pattern.map(str::to_string),
        ..Hints::default()
    };
    let own = string(field, field_re.as_ref());
    let sample = [own.clone(), string(&param_hints, param_re.as_ref())]
        .into_iter()
        .find(|s| fits(s))
        .unwrap_or(own);
    let appended = FreshKey {
        prefix: sample.clone(),
        width: 0,
        hex: false,
        suffix: String::new(),
    };
    let runs = [(true, 8, 12), (false, 4, 9)]
        .into_iter()
        .filter_map(|(hex, least, most)| counter_in(&sample, hex, least, most));
    runs.chain([appended.clone()])
        .find(|t| [1, 10, 0xabc, 123_456].iter().all(|n| fits(&fresh_value(t, *n))))
        .unwrap_or(appended)
}

/// The sample with its trailing run of hex (or decimal) digits, at least
/// `least` long, ending in a counter of at most `most` digits.
fn counter_in(sample: &str, hex: bool, least: usize, most: usize) -> Option<FreshKey> {
    let digit = |b: &u8| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() };
    let bytes = sample.as_bytes();
    let end = bytes.iter().rposition(digit)? + 1;
    let start = bytes[..end].iter().rposition(|b| !digit(b)).map_or(0, |i| i + 1);
    let width = (end - start).min(most);
    // Digits are ASCII: these are character boundaries.
    (end - start >= least).then(|| FreshKey {
        prefix: sample[..end - width].to_string(),
        width: u8::try_from(width).unwrap_or(u8::MAX),
        hex,
        suffix: sample[end..].to_string(),
    })
}

/// What the fake makes from `t` with counter `n` (as the runtime's
/// `Fresh::make` does).
fn fresh_value(t: &FreshKey, n: u64) -> String {
    let width = usize::from(t.width);
    let radix: u64 = if t.hex { 16 } else { 10 };
    let n = match radix.checked_pow(u32::from(t.width)) {
        Some(limit) if width > 0 => n % limit,
        _ => n,
    };
    let counter = if t.hex {
        format!("{n:0width$x}")
    } else {
        format!("{n:0width$}")
    };
    format!("{}{counter}{}", t.prefix, t.suffix)
}

/// Whether a field of the type holds text that can name an item: a string
/// or a string enum.
struct Textual<'a> {
    types: &'a BTreeMap<String, TypeDef>,
}

impl<'t> Fold<'t> for Textual<'_> {
    type Out = bool;
    fn scalar(&mut self, scalar: Scalar) -> bool {
        match scalar {
            Scalar::String => true,
            Scalar::Bool | Scalar::I32 | Scalar::I64 | Scalar::F32 | Scalar::F64 | Scalar::Json | Scalar::DateTime => {
                false
            }
        }
    }
    fn named(&mut self, name: &'t str) -> bool {
        matches!(self.types.get(name), Some(TypeDef::Enum(_)))
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

/// The item GET below a collection's POST (the fewest trailing parameters,
/// then the path), with those parameters' names.
fn item_of<'o>(post: &Operation, gets: &BTreeMap<&str, &'o Operation>) -> Option<(&'o Operation, Vec<String>)> {
    let prefix = format!("{}/", post.path);
    let key_params = |g: &str| -> Option<Vec<String>> {
        g.strip_prefix(&prefix)?
            .split('/')
            .map(|seg| {
                seg.strip_prefix('{')?
                    .strip_suffix('}')
                    .filter(|p| !p.contains(['{', '}']))
                    .map(str::to_string)
            })
            .collect()
    };
    gets.iter()
        .filter_map(|(path, op)| key_params(path).map(|p| (*op, p)))
        .min_by_key(|(op, p)| (p.len(), op.path.clone()))
}

fn role(op: &Operation, creatable: &BTreeMap<String, Creatable>, types: &BTreeMap<String, TypeDef>) -> FakeRole {
    let params: Vec<String> = op
        .route
        .iter()
        .filter_map(|seg| match seg {
            RouteSegment::Param { name, .. } => Some(name.clone()),
            RouteSegment::Literal(_) => None,
        })
        .collect();
    if let Some(made) = creatable.get(&op.path) {
        return item_role(op, &op.path, made, &params);
    }
    let collection_of = creatable.iter().find(|(item, made)| {
        item.strip_prefix(op.path.as_str())
            .is_some_and(|rest| rest.starts_with("/{") && rest.matches('/').count() == made.key_params())
    });
    // The most nested item whose path, followed by plain segments, is this
    // one's: a GET of it reads the item (`.../{entryValue}/status`).
    let below = creatable
        .iter()
        .filter(|(item, _)| {
            op.path
                .strip_prefix(item.as_str())
                .is_some_and(|rest| rest.starts_with('/') && !rest.contains('{'))
        })
        .max_by_key(|(item, _)| item.len());
    match (collection_of, below, op.method) {
        (Some((kind, made)), _, Method::Post) if made.each => FakeRole::CreateEach {
            item: made.item(kind, &params),
            carried: carried(op, &params, types),
        },
        (Some((kind, made)), _, Method::Post) => FakeRole::Create {
            item: made.item(kind, &params),
            key_fields: made.key_fields.clone(),
            fresh: made.fresh.clone(),
            carried: carried(op, &params, types),
        },
        (Some((kind, made)), _, Method::Get) if op.versions.iter().all(|v| v.pages.is_some()) => FakeRole::List {
            item: made.item(kind, &params),
        },
        (None, Some((kind, made)), Method::Get) => match item_role(op, kind, made, &params) {
            FakeRole::Read { item, keys } => FakeRole::ReadBelow { item, keys },
            _ => FakeRole::Stateless,
        },
        _ => FakeRole::Stateless,
    }
}

/// The role of an operation on the item of kind `kind` (its path, or a
/// path below it): its trailing parameters of the item's name it.
fn item_role(op: &Operation, kind: &str, made: &Creatable, params: &[String]) -> FakeRole {
    let Some(split) = params.len().checked_sub(made.key_params()) else {
        return FakeRole::Stateless;
    };
    let (parents, keys) = params.split_at(split);
    let item = made.item(kind, parents);
    let keys = keys.to_vec();
    match op.method {
        Method::Get => FakeRole::Read { item, keys },
        Method::Patch | Method::Put => FakeRole::Update { item, keys },
        Method::Delete => FakeRole::Delete { item, keys },
        Method::Post | Method::Head | Method::Options | Method::Trace => FakeRole::Stateless,
    }
}

/// The path parameters of a create that its answer carries as fields of
/// the same name (`groupId`): the fake puts the request's values there.
/// For a list of items, each item carries them.
fn carried(op: &Operation, params: &[String], types: &BTreeMap<String, TypeDef>) -> Vec<String> {
    let Some((answer, _)) = made_by(op) else {
        return Vec::new();
    };
    let fields = answer_fields(types, answer);
    params
        .iter()
        .filter(|p| fields.iter().any(|f| &f.name == *p && f.ty == TypeRef::String))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::samples::{is_rfc3339, without_lookarounds, DATE_TIME};
    use super::*;
    use regex::Regex;

    fn sample(pattern: &str) -> String {
        let re = Regex::new(pattern).ok();
        let hints = Hints {
            pattern: Some(pattern.into()),
            ..Hints::default()
        };
        string(&hints, re.as_ref())
    }

    #[test]
    fn samples_match_their_patterns() {
        for pattern in [
            "^([a-f0-9]{24})$",
            "^vpce-[0-9a-f]{17}$",
            "^([a-f0-9]{20})$",
            "^([a-fA-F0-9]{64})$",
            r"^mdb_sa_id_[a-fA-F\d]{24}$",
            "^[a-zA-Z0-9][a-zA-Z0-9-]*$",
            r"^vpce-[0-9a-f]{17}|^%2[fF]subscriptions%2[fF][0-9a-f]{8}",
        ] {
            let s = sample(pattern);
            assert!(regex::Regex::new(pattern).unwrap().is_match(&s), "{pattern}: {s:?}");
        }
        // No pattern: the plain sample; a format: a value of it.
        assert_eq!(sample(".*"), "sample");
        let date = string(
            &Hints {
                format: Some("date-time".into()),
                ..Hints::default()
            },
            None,
        );
        assert_eq!(date, "2026-01-01T00:00:00Z");
    }

    /// What the fake makes for a key field matches the field's pattern and
    /// its path parameter's, for every counter tried (the service account's
    /// client id was `mdb_sa_id_` and 25 digits).
    #[test]
    fn fresh_keys_match_both_patterns() {
        let hints = |pattern: Option<&str>| Hints {
            pattern: pattern.map(str::to_string),
            ..Hints::default()
        };
        let cases: &[(Option<&str>, Option<&str>, bool)] = &[
            (Some("^([a-f0-9]{24})$"), Some("^([a-f0-9]{24})$"), true),
            (Some(r"^mdb_sa_id_[a-fA-F\d]{24}$"), None, true),
            (None, Some("^([a-f0-9]{24})$"), true),
            (Some("^[A-F0-9]{16}$"), None, false),
            (Some("^key-[0-9]{6}$"), None, false),
            (Some("^[a-zA-Z0-9][a-zA-Z0-9-]*$"), None, false),
            (None, None, false),
        ];
        for (field, param, hex) in cases {
            let fresh = fresh_key(&hints(*field), *param);
            assert_eq!(fresh.hex, *hex, "{field:?} {param:?}: {fresh:?}");
            let made: Vec<String> = [1, 2, 15, 16, 4096, 999_999]
                .iter()
                .map(|n| fresh_value(&fresh, *n))
                .collect();
            for pattern in [field, param].into_iter().flatten() {
                let re = Regex::new(pattern).unwrap();
                assert!(made.iter().all(|m| re.is_match(m)), "{pattern}: {made:?}");
            }
            assert_ne!(made[0], made[1], "{made:?}");
        }
        let client_id = fresh_key(&hints(Some(r"^mdb_sa_id_[a-fA-F\d]{24}$")), None);
        assert_eq!(fresh_value(&client_id, 1), "mdb_sa_id_000000000000000000000001");
    }

    /// A pattern with a lookahead (the access list's `ipAddress`) is read
    /// without it, so a sample must still look like what it describes.
    #[test]
    fn lookarounds_are_left_out_of_patterns_the_regex_crate_cannot_read() {
        let ip = r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$";
        assert!(Regex::new(ip).is_err());
        let relaxed = compile(ip).unwrap();
        assert!(relaxed.is_match("192.0.2.1") && !relaxed.is_match("sample"));
        // An escaped parenthesis opens no group.
        assert_eq!(without_lookarounds(r"a(?=b)c(?<![x)])d\(?!e"), r"acd\(?!e");
        let hints = Hints {
            pattern: Some(ip.into()),
            ..Hints::default()
        };
        let types = BTreeMap::new();
        assert_eq!(Samples::new(&types, true).string(&hints), "192.0.2.1");
    }

    #[test]
    fn key_fields_are_names_or_a_block_of_an_address() {
        let parse = |yaml: &str| {
            let value: Value = serde_yaml::from_str(yaml).unwrap();
            let extensions = indexmap::IndexMap::from([("x-key-fields".to_string(), value)]);
            key_fields(&extensions, &Pointer::root().push("p"))
        };
        let fields = parse("[{name: cidrBlock, address-block-of: ipAddress}, ipAddress]").unwrap();
        assert_eq!(
            fields,
            [
                KeyField {
                    name: "cidrBlock".into(),
                    derived: Some(("ipAddress".into(), Derivation::AddressBlock)),
                },
                KeyField {
                    name: "ipAddress".into(),
                    derived: None,
                },
            ]
        );
        for (bad, pointer) in [
            ("[{name: cidrBlock}]", "/p/x-key-fields/0/address-block-of"),
            (
                "[{name: cidrBlock, address-block-of: ''}]",
                "/p/x-key-fields/0/address-block-of",
            ),
            ("[{name: cidrBlock, block-of: ipAddress}]", "/p/x-key-fields/0/block-of"),
            ("[{address-block-of: ipAddress}]", "/p/x-key-fields/0/name"),
            ("[[cidrBlock]]", "/p/x-key-fields"),
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.pointer, pointer, "{bad}: {e}");
        }
    }

    #[test]
    fn date_time_samples_are_rfc_3339() {
        for good in [
            "2026-08-10T03:01:52Z",
            "2024-01-02T03:04:05.123Z",
            "2024-01-02T05:04:05+02:00",
            "2024-02-29T23:59:59-23:59",
        ] {
            assert!(is_rfc3339(good), "{good}");
        }
        for bad in [
            "",
            "sample",
            "2026-08-10",
            "2026-08-10T03:01:52",
            "2026-08-10 03:01:52Z",
            "2026-08-10T03:01:52.Z",
            "2026-13-10T03:01:52Z",
            "2023-02-29T03:01:52Z",
            "2026-04-31T03:01:52Z",
            "2026-08-10T24:01:52Z",
            "2026-08-10T03:60:52Z",
            "2026-08-10T03:01:60Z",
            "2026-08-10T03:01:52+24:00",
            "2026-08-10T03:01:52+02:60",
            "2026-08-10T03:01:52+0200",
            "2026-08-10T03:01:52Zé",
            "２026-08-10T03:01:52Z",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
        let types = BTreeMap::new();
        let samples = Samples::new(&types, true);
        let with_example = |e: Value| Hints {
            example: Some(e),
            ..Hints::default()
        };
        let sample = |hints: &Hints| samples.value(&TypeRef::DateTime, hints, 0);
        assert_eq!(sample(&Hints::default()), json!(DATE_TIME));
        let example = json!("2024-01-02T03:04:05.123Z");
        assert_eq!(sample(&with_example(example.clone())), example);
        for unusable in [json!("last Tuesday"), json!(1723258912)] {
            assert_eq!(sample(&with_example(unusable)), json!(DATE_TIME));
        }
        assert!(samples.fits(&example, &TypeRef::DateTime, 0));
        assert!(!samples.fits(&json!("last Tuesday"), &TypeRef::DateTime, 0));
    }
}
