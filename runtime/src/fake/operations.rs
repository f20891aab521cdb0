//! Serving the generated operations ([`super::spec`]): the matching
//! operation, the checks Atlas makes (path patterns 400, `Accept` 406 or 410
//! past a sunset, request bodies 400), answers a test set, and otherwise
//! state by convention (create, read, update, delete, list).

use super::answer::{Answer, Store};
use super::route::{best_route, decoded_segments};
use super::spec::{strip, Derived, Fresh, Item, Operation, OperationVersion, Role};
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
    match op.role {
        Role::Stateless => documented(version, base),
        Role::Create {
            item,
            key_fields,
            fresh,
            carried,
        } => create(
            store,
            op,
            version,
            params,
            (body, base),
            (item, key_fields, fresh, carried),
        ),
        Role::CreateEach { item, carried } => create_each(store, r, version, params, body, base, (item, carried)),
        Role::Read { item, keys } => match store.get(&found_key(store, &item, keys, params)) {
            Some(doc) => documented(version, Some(over_sample(&item, base, doc))),
            None => Answer::not_found(&r.path),
        },
        Role::ReadBelow { item, keys } => match store.contains(&found_key(store, &item, keys, params)) {
            true => documented(version, base),
            false => Answer::not_found(&r.path),
        },
        Role::Update { item, keys } => {
            let k = found_key(store, &item, keys, params);
            let Some(doc) = store.values.get_mut(&k) else {
                return Answer::not_found(&r.path);
            };
            if let Some(b) = &body {
                overlay(doc, b);
            }
            let doc = doc.clone();
            documented(version, Some(over_sample(&item, base, &doc)))
        }
        Role::Delete { item, keys } => match store.remove(&found_key(store, &item, keys, params)) {
            Some(_) => documented(version, base),
            None => Answer::not_found(&r.path),
        },
        Role::List { item } => documented(version, Some(list(store, r, &item, params, base))),
    }
}

/// The store key of the item the path parameters `keys` name: as given,
/// or, where the item has derived fields, the one a value derived from the
/// given one names (an access-list entry read by its address is kept under
/// its block).
fn found_key(store: &Store, item: &Item, keys: &[&str], params: &BTreeMap<String, String>) -> String {
    let parts: Vec<&str> = keys.iter().map(|k| param(params, k)).collect();
    let given = item_key(item, item_values(item, params, Some(&key_of(&parts))));
    let [one] = parts.as_slice() else {
        return given;
    };
    if store.contains(&given) {
        return given;
    }
    item.derived
        .iter()
        .filter_map(|d| d.rule.apply(one))
        .map(|v| item_key(item, item_values(item, params, Some(&v))))
        .find(|k| store.contains(k))
        .unwrap_or(given)
}

/// Fills the derived fields `doc` lacks (`null` counts as lacking) from
/// those it holds.
fn derive(doc: &mut Value, derived: &[Derived]) {
    for d in derived {
        let lacking = doc.get(d.field).is_none_or(Value::is_null);
        let made = doc.get(d.from).and_then(Value::as_str).and_then(|v| d.rule.apply(v));
        if let (true, Some(v), Some(obj)) = (lacking, made, doc.as_object_mut()) {
            obj.insert(d.field.to_string(), Value::String(v));
        }
    }
}

/// What a create makes: the item, the answer fields naming it, how each
/// is made when the request does not give it, and the path parameters it
/// carries.
type Made = (Item, &'static [&'static str], &'static [Fresh], &'static [&'static str]);

/// The answer to a create: the sample under the request's fields, with
/// the carried path parameters and the key; 409 if the key is taken.
fn create(
    store: &mut Store,
    op: &Operation,
    version: &OperationVersion,
    params: &BTreeMap<String, String>,
    (body, base): (Option<Value>, Option<Value>),
    (item, key_fields, fresh, carried): Made,
) -> Answer {
    let mut doc = base.unwrap_or_else(|| json!({}));
    if let Some(b) = &body {
        overlay(&mut doc, b);
    }
    carry(&mut doc, carried, params);
    derive(&mut doc, item.derived);
    let parts: Vec<String> = key_fields
        .iter()
        .enumerate()
        .map(|(i, field)| key_part(&mut doc, body.as_ref(), field, fresh.get(i), store))
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
/// of the item's `named_by` fields it holds, its derived fields filled
/// first (an entry given again replaces the stored one), then the
/// collection's page. An item holding none is a 400, and nothing is
/// stored.
fn create_each(
    store: &mut Store,
    r: &RecordedRequest,
    version: &OperationVersion,
    params: &BTreeMap<String, String>,
    body: Option<Value>,
    base: Option<Value>,
    (item, carried): (Item, &'static [&'static str]),
) -> Answer {
    let items = match body {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let mut made = Vec::with_capacity(items.len());
    for mut doc in items {
        derive(&mut doc, item.derived);
        let key = item
            .named_by
            .iter()
            .find_map(|f| doc.get(*f).and_then(Value::as_str).map(str::to_string));
        let Some(key) = key else {
            let detail = format!("An item names none of {}.", item.named_by.join(", "));
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
/// fresh one (made by `fresh`, else shaped like the sample's) written into
/// `doc`.
fn key_part(doc: &mut Value, body: Option<&Value>, field: &str, fresh: Option<&Fresh>, store: &mut Store) -> String {
    let given = body.and_then(|b| b.get(field)).is_some();
    let key = match (doc.get(field), fresh) {
        (Some(Value::String(v)), _) if given => v.clone(),
        (Some(other), _) if given => other.to_string(),
        (_, Some(fresh)) => fresh.make(store.next_id()),
        (Some(Value::String(v)), None) => format!("{v}{}", store.next_id()),
        (_, None) => format!("fake{}", store.next_id()),
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
/// answer needs is there; of the fields that name an item of `item`'s
/// kind, only those it holds (an address's entry has no sample block or
/// security group).
fn over_sample(item: &Item, base: Option<Value>, doc: &Value) -> Value {
    let mut out = base.unwrap_or_else(|| json!({}));
    if let Some(obj) = out.as_object_mut() {
        obj.retain(|k, _| !item.named_by.contains(&k.as_str()) || doc.get(k).is_some());
    }
    overlay(&mut out, doc);
    out
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
        .map(|d| over_sample(item, item_base.clone(), d))
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
    use crate::fake::spec::Derivation;

    #[test]
    fn fresh_keys_are_the_counter_in_the_shape_the_generator_chose() {
        let object_id = Fresh {
            prefix: "6a0f00000000",
            width: 12,
            hex: true,
            suffix: "",
        };
        assert_eq!(object_id.make(1), "6a0f00000000000000000001");
        assert_eq!(object_id.make(0xabc), "6a0f00000000000000000abc");
        assert_eq!(object_id.make(u64::MAX).len(), 24, "it wraps within its width");
        let client_id = Fresh {
            prefix: "mdb_sa_id_000000000000",
            width: 12,
            hex: true,
            suffix: "",
        };
        assert_eq!(client_id.make(7), "mdb_sa_id_000000000000000000000007");
        let named = Fresh {
            prefix: "sample",
            width: 0,
            hex: false,
            suffix: "",
        };
        assert_eq!(named.make(12), "sample12");
        let mut store = Store::default();
        let mut doc = json!({"clientId": "mdb_sa_id_000000000000000000000000"});
        let made = key_part(&mut doc, Some(&json!({})), "clientId", Some(&client_id), &mut store);
        assert_eq!(
            (made.as_str(), &doc["clientId"]),
            ("mdb_sa_id_000000000000000000000001", &json!(made))
        );
        let given = key_part(
            &mut doc,
            Some(&json!({"clientId": "x"})),
            "clientId",
            Some(&client_id),
            &mut store,
        );
        assert_eq!(given, made, "a key the request gives is kept");
    }

    #[test]
    fn an_address_is_also_its_block() {
        let block = Derived {
            field: "cidrBlock",
            from: "ipAddress",
            rule: Derivation::AddressBlock,
        };
        let mut v4 = json!({"ipAddress": "198.51.100.7"});
        derive(&mut v4, &[block]);
        assert_eq!(v4["cidrBlock"], "198.51.100.7/32");
        let mut v6 = json!({"ipAddress": "2001:db8::1", "cidrBlock": null});
        derive(&mut v6, &[block]);
        assert_eq!(v6["cidrBlock"], "2001:db8::1/128");
        let mut own = json!({"ipAddress": "198.51.100.7", "cidrBlock": "198.51.100.0/24"});
        derive(&mut own, &[block]);
        assert_eq!(own["cidrBlock"], "198.51.100.0/24", "a block given is kept");
        let mut group = json!({"awsSecurityGroup": "sg-12345678", "ipAddress": "sample"});
        derive(&mut group, &[block]);
        assert!(group.get("cidrBlock").is_none(), "{group}");
    }
}
