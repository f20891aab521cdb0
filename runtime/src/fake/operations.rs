//! Serving the generated operations ([`super::spec`]): the matching
//! operation, the checks Atlas makes (path patterns 400, `Accept` 406 or 410
//! past a sunset, request bodies 400), answers a test set, and otherwise
//! state by convention (create, read, update, delete, list).

use super::answer::{Answer, Store};
use super::route::{best_route, decoded_segments};
use super::spec::{strip, Item, Operation, OperationVersion, Role};
use super::state::State;
use super::steer::Steered;
use super::versions::check_version;
use super::wire::{OperationCall, RecordedRequest};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Serves `r` if an operation of the spec matches it; `None` otherwise.
pub(super) fn serve(s: &mut State, r: &RecordedRequest) -> Option<(Answer, Option<OperationCall>)> {
    let segments = decoded_segments(&r.path);
    let candidates: Vec<&'static Operation> = s
        .config
        .operations
        .iter()
        .copied()
        .filter(|o| o.method == r.method)
        .collect();
    let (i, params) = best_route(candidates.iter().map(|o| o.segments), &segments)?;
    Some(serve_operation(s, r, candidates[i], params))
}

fn serve_operation(
    s: &mut State,
    r: &RecordedRequest,
    op: &'static Operation,
    params: BTreeMap<String, String>,
) -> (Answer, Option<OperationCall>) {
    for p in op.params {
        let (Some(pattern), Some(value)) = (p.pattern, params.get(p.name)) else {
            continue;
        };
        let re = s
            .patterns
            .entry(pattern)
            .or_insert_with(|| regex::Regex::new(pattern).ok());
        if re.as_ref().is_some_and(|re| !re.is_match(value)) {
            return (Answer::invalid(p.name, value), None);
        }
    }
    let accept = r.header("accept").unwrap_or("");
    let serves: Vec<(&str, Option<&str>)> = op.versions.iter().map(|v| (v.media_type, v.sunset)).collect();
    let (version, headers) = match check_version(&s.config, op.operation_id, accept, &serves) {
        Ok((i, headers)) => (&op.versions[i], headers),
        Err(refused) => return (refused, None),
    };
    let body: Option<Value> = serde_json::from_slice(&r.body).ok();
    if let Some(check) = &version.body {
        let refused = if r.body.is_empty() {
            check.required.then(|| "A request body is required.".to_string())
        } else {
            match (check.decode)(&r.body) {
                Err(e) => Some(format!("The request body does not decode as this version's model: {e}")),
                Ok(found) if s.config.strict && !found.is_empty() => {
                    let list: Vec<String> = found.iter().map(ToString::to_string).collect();
                    Some(format!(
                        "The request body differs from this version's model: {}",
                        list.join("; ")
                    ))
                }
                Ok(_) => None,
            }
        };
        if let Some(detail) = refused {
            return (Answer::error(400, "INVALID_JSON", &detail), None);
        }
    }
    let call = OperationCall {
        operation_id: op.operation_id.to_string(),
        version: version.label.to_string(),
        params: params.clone(),
        body: body.clone(),
    };
    let steered = s
        .config
        .steering
        .next(op.operation_id, version.label, version.media_type);
    let mut answer = match steered {
        // An answer a test wrote out whole is sent as written.
        Some(Steered::Answer(a)) => a,
        Some(Steered::Body(b)) => without_write_only(version, Answer::ok(version.status, version.media_type, Some(b))),
        None if s.config.stateless => without_write_only(version, documented(version, sample(version))),
        None => without_write_only(version, by_convention(s, r, op, version, &params, body)),
    };
    answer.headers.extend(headers);
    (answer, Some(call))
}

/// A success answer without the version's write-only fields: Atlas never
/// answers with one (a database user's `password`), though a create
/// stores what the request sent.
fn without_write_only(version: &OperationVersion, mut answer: Answer) -> Answer {
    if let (200..=299, Some(body)) = (answer.status, answer.body.as_mut()) {
        strip(body, version.write_only);
    }
    answer
}

fn sample(version: &OperationVersion) -> Option<Value> {
    version.answer.and_then(|text| serde_json::from_str(text).ok())
}

/// The version's documented status with `body` (a JSON media type), or an
/// empty body of its media type (CSV, gzip).
fn documented(version: &OperationVersion, body: Option<Value>) -> Answer {
    if version.json {
        Answer::ok(version.status, version.media_type, body)
    } else {
        Answer::bytes(version.status, version.media_type, Vec::new())
    }
}

/// The store key of an item: its kind and the values that name it.
fn item_key<'a>(item: &Item, values: impl Iterator<Item = &'a str>) -> String {
    let mut key = format!("fake:{}", item.kind);
    for v in values {
        key.push('\n');
        key.push_str(v);
    }
    key
}

/// The values of `item`'s parent parameters, then `last`.
fn item_values<'a>(
    item: &Item,
    params: &'a BTreeMap<String, String>,
    last: Option<&'a str>,
) -> impl Iterator<Item = &'a str> {
    let parents: Vec<&'a str> = item.parents.iter().map(|n| param(params, n)).collect();
    parents.into_iter().chain(last)
}

/// Copies the fields of `from` (an object) over those of `into`.
fn overlay(into: &mut Value, from: &Value) {
    let (Some(into), Some(from)) = (into.as_object_mut(), from.as_object()) else {
        return;
    };
    for (k, v) in from {
        into.insert(k.clone(), v.clone());
    }
}

fn by_convention(
    s: &mut State,
    r: &RecordedRequest,
    op: &Operation,
    version: &OperationVersion,
    params: &BTreeMap<String, String>,
    body: Option<Value>,
) -> Answer {
    let store = &mut s.config.store;
    let base = sample(version);
    let stored_key = |item: &Item, keys: &[&str]| {
        let parts: Vec<&str> = keys.iter().map(|k| param(params, k)).collect();
        item_key(item, item_values(item, params, Some(&key_of(&parts))))
    };
    match op.role {
        Role::Stateless => documented(version, base),
        Role::Create {
            item,
            key_fields,
            carried,
        } => create(store, op, version, params, body, base, (item, key_fields, carried)),
        Role::CreateEach {
            item,
            key_fields,
            carried,
        } => create_each(store, r, version, params, body, base, (item, key_fields, carried)),
        Role::Read { item, keys } => match store.get(&stored_key(&item, keys)) {
            Some(doc) => documented(version, Some(over_sample(base, doc))),
            None => Answer::not_found(&r.path),
        },
        Role::Update { item, keys } => {
            let k = stored_key(&item, keys);
            let Some(doc) = store.values.get_mut(&k) else {
                return Answer::not_found(&r.path);
            };
            if let Some(b) = &body {
                overlay(doc, b);
            }
            let doc = doc.clone();
            documented(version, Some(over_sample(base, &doc)))
        }
        Role::Delete { item, keys } => match store.remove(&stored_key(&item, keys)) {
            Some(_) => documented(version, base),
            None => Answer::not_found(&r.path),
        },
        Role::List { item } => documented(version, Some(list(store, r, &item, params, base))),
    }
}

/// What a create makes: the item, the answer fields naming it, and the
/// path parameters it carries.
type Made = (Item, &'static [&'static str], &'static [&'static str]);

/// The answer to a create: the sample under the request's fields, with
/// the carried path parameters and the key; 409 if the key is taken.
fn create(
    store: &mut Store,
    op: &Operation,
    version: &OperationVersion,
    params: &BTreeMap<String, String>,
    body: Option<Value>,
    base: Option<Value>,
    (item, key_fields, carried): Made,
) -> Answer {
    let mut doc = base.unwrap_or_else(|| json!({}));
    if let Some(b) = &body {
        overlay(&mut doc, b);
    }
    carry(&mut doc, carried, params);
    let parts: Vec<String> = key_fields
        .iter()
        .map(|field| key_part(&mut doc, body.as_ref(), field, store))
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let key = key_of(&parts);
    let k = item_key(&item, item_values(&item, params, Some(&key)));
    if store.contains(&k) {
        let detail = format!("{} {:?} already exists.", op.operation_id, parts.join("/"));
        return Answer::error(409, "DUPLICATE_RESOURCE", &detail);
    }
    store.insert(k, doc.clone());
    documented(version, Some(doc))
}

/// The answer to a POST of a list of items: each stored under the first
/// of `key_fields` it holds (an entry given again replaces the stored
/// one), then the collection's page. An item holding none is a 400, and
/// nothing is stored.
fn create_each(
    store: &mut Store,
    r: &RecordedRequest,
    version: &OperationVersion,
    params: &BTreeMap<String, String>,
    body: Option<Value>,
    base: Option<Value>,
    (item, key_fields, carried): Made,
) -> Answer {
    let items = match body {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let mut made = Vec::with_capacity(items.len());
    for mut doc in items {
        let key = key_fields
            .iter()
            .find_map(|f| doc.get(*f).and_then(Value::as_str).map(str::to_string));
        let Some(key) = key else {
            let detail = format!("An item names none of {}.", key_fields.join(", "));
            return Answer::error(400, "VALIDATION_ERROR", &detail);
        };
        carry(&mut doc, carried, params);
        made.push((item_key(&item, item_values(&item, params, Some(&key))), doc));
    }
    for (k, doc) in made {
        store.insert(k, doc);
    }
    documented(version, Some(list(store, r, &item, params, base)))
}

/// Writes the `carried` path parameters into `doc` as fields.
fn carry(doc: &mut Value, carried: &[&str], params: &BTreeMap<String, String>) {
    if let Some(obj) = doc.as_object_mut() {
        for name in carried {
            obj.insert(name.to_string(), Value::String(param(params, name).to_string()));
        }
    }
}

/// One part of a created item's key: the request's value of `field`, or a
/// fresh one (shaped like the sample's) written into `doc`.
fn key_part(doc: &mut Value, body: Option<&Value>, field: &str, store: &mut Store) -> String {
    let given = body.and_then(|b| b.get(field)).is_some();
    let key = match doc.get(field) {
        Some(Value::String(v)) if given => v.clone(),
        Some(Value::String(v)) => fresh_key(v, store),
        Some(other) if given => other.to_string(),
        _ => fresh_key("", store),
    };
    if let (false, Some(obj)) = (given, doc.as_object_mut()) {
        obj.insert(field.to_string(), Value::String(key.clone()));
    }
    key
}

/// An item's key in the store: its parts (one for most items; a database
/// user's database and name), joined by a byte no path value holds.
fn key_of(parts: &[&str]) -> String {
    parts.join("\u{1f}")
}

fn param<'a>(params: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    params.get(name).map(String::as_str).unwrap_or("")
}

/// A stored document on top of the version's sample, so every field the
/// answer needs is there.
fn over_sample(base: Option<Value>, doc: &Value) -> Value {
    let mut out = base.unwrap_or_else(|| json!({}));
    overlay(&mut out, doc);
    out
}

/// A key for a created item: a new 24-hex id where the sample is one, else
/// the sample with a number.
fn fresh_key(sample: &str, store: &mut Store) -> String {
    let n = store.next_id();
    if sample.len() == 24 && sample.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("{:024x}", 0x6a00_0000_0000_0000_0000u128 + u128::from(n))
    } else if sample.is_empty() {
        format!("fake{n}")
    } else {
        format!("{sample}{n}")
    }
}

/// The stored items of a collection, one page of them (`pageNum`,
/// `itemsPerPage`), as `results` with `totalCount`.
fn list(
    store: &Store,
    r: &RecordedRequest,
    item: &Item,
    params: &BTreeMap<String, String>,
    base: Option<Value>,
) -> Value {
    let mut prefix = item_key(item, item_values(item, params, None));
    prefix.push('\n');
    let mut doc = base.unwrap_or_else(|| json!({}));
    let item_base = doc.get("results").and_then(|r| r.get(0)).cloned();
    let all: Vec<Value> = store
        .keys_with_prefix(&prefix)
        .filter(|k| !k[prefix.len()..].contains('\n'))
        .filter_map(|k| store.get(k))
        .map(|d| over_sample(item_base.clone(), d))
        .collect();
    let query = r.query_pairs();
    let number = |name: &str, default: usize| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(default)
    };
    let (page, per_page) = (number("pageNum", 1).max(1), number("itemsPerPage", 100).max(1));
    let results: Vec<Value> = all
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .cloned()
        .collect();
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("results".into(), Value::Array(results));
        obj.insert("totalCount".into(), Value::from(all.len()));
        obj.entry("links").or_insert_with(|| Value::Array(Vec::new()));
    } else {
        doc = Value::Object(Map::from_iter([
            ("results".to_string(), Value::Array(results)),
            ("totalCount".to_string(), Value::from(all.len())),
        ]));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_keys_keep_the_shape_of_the_sample() {
        let mut store = Store::default();
        let id = fresh_key("6a0f00000000000000000001", &mut store);
        assert_eq!(id.len(), 24);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(id, fresh_key("6a0f00000000000000000001", &mut store));
        assert_eq!(fresh_key("sample", &mut store), "sample3");
    }
}
