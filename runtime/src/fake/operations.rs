//! Serving the generated operations ([`super::spec`]): the matching
//! operation, the checks Atlas makes (path patterns 400, `Accept` 406 or 410
//! past a sunset, request bodies 400), answers a test set, and otherwise
//! state by convention (create, read, update, delete, list).

use super::answer::{Answer, Store};
use super::spec::{Operation, OperationVersion, Role};
use super::state::State;
use super::steer::{version_label, Steered};
use super::versions::check_version;
use super::wire::{OperationCall, RecordedRequest};
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Serves `r` if an operation of the spec matches it; `None` otherwise.
pub(super) fn serve(s: &mut State, r: &RecordedRequest) -> Option<(Answer, Option<OperationCall>)> {
    let segments = decoded_segments(&r.path);
    let (op, params) = best_match(&s.config.operations, &r.method, &segments)?;
    Some(serve_operation(s, r, op, params))
}

/// The path's segments, percent-decoded.
pub(super) fn decoded_segments(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .split('/')
        .map(|seg| percent_decode_str(seg).decode_utf8_lossy().into_owned())
        .collect()
}

/// The operation whose template matches, the most literal one first:
/// `/clusters/tenantUpgrade` over `/clusters/{clusterName}`, and
/// `/{tenantName}:download` over `/{tenantName}`; the first listed on a tie.
fn best_match(
    operations: &[&'static Operation],
    method: &str,
    segments: &[String],
) -> Option<(&'static Operation, BTreeMap<String, String>)> {
    let mut best: Option<(usize, &'static Operation, BTreeMap<String, String>)> = None;
    for op in operations.iter().filter(|o| o.method == method) {
        let template: Vec<&str> = op.path.trim_start_matches('/').split('/').collect();
        if let Some(params) = match_template(&template, segments) {
            let score = template
                .iter()
                .map(|t| match template_param(t) {
                    None => 2,
                    Some(("", _, "")) => 0,
                    Some(_) => 1,
                })
                .sum();
            if best.as_ref().is_none_or(|(n, _, _)| score > *n) {
                best = Some((score, *op, params));
            }
        }
    }
    best.map(|(_, op, params)| (op, params))
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
        version: version_label(version.media_type).to_string(),
        params: params.clone(),
        body: body.clone(),
    };
    let steered = s
        .config
        .steering
        .next(op.operation_id, version_label(version.media_type), version.media_type);
    let mut answer = match steered {
        Some(Steered::Answer(a)) => a,
        Some(Steered::Body(b)) => Answer::ok(version.status, version.media_type, Some(b)),
        None if s.config.stateless => documented(version, sample(version)),
        None => by_convention(s, r, op, version, &params, body),
    };
    answer.headers.extend(headers);
    (answer, Some(call))
}

/// Path parameters of `segments` under `template`, or `None` if it does not
/// match.
pub(super) fn match_template(template: &[&str], segments: &[String]) -> Option<BTreeMap<String, String>> {
    if template.len() != segments.len() {
        return None;
    }
    let mut params = BTreeMap::new();
    for (t, value) in template.iter().zip(segments) {
        match template_param(t) {
            Some((prefix, name, suffix)) => {
                let inner = value.strip_prefix(prefix)?.strip_suffix(suffix)?;
                params.insert(name.to_string(), inner.to_string());
            }
            None if t == value => {}
            None => return None,
        }
    }
    Some(params)
}

/// `{name}` in a template segment, with the literal text around it
/// (`{clusterName}:revokeMongoDBEmployeeAccess`).
pub(super) fn template_param(segment: &str) -> Option<(&str, &str, &str)> {
    let open = segment.find('{')?;
    let close = segment[open..].find('}')? + open;
    Some((&segment[..open], &segment[open + 1..close], &segment[close + 1..]))
}

fn sample(version: &OperationVersion) -> Option<Value> {
    version.answer.and_then(|text| serde_json::from_str(text).ok())
}

/// The version's documented status with `body` (a JSON media type), or an
/// empty body of its media type (CSV, gzip).
fn documented(version: &OperationVersion, body: Option<Value>) -> Answer {
    if version.media_type.ends_with("json") {
        Answer::ok(version.status, version.media_type, body)
    } else {
        Answer::bytes(version.status, version.media_type, Vec::new())
    }
}

/// The names of `template`'s parameters, in order.
fn param_names(template: &str) -> Vec<&str> {
    template
        .split('/')
        .filter_map(template_param)
        .map(|(_, name, _)| name)
        .collect()
}

/// The store key of an item: its template and its parameter values.
fn item_key<'a>(item: &str, values: impl Iterator<Item = &'a str>) -> String {
    let mut key = format!("fake:{item}");
    for v in values {
        key.push('\n');
        key.push_str(v);
    }
    key
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
    let stored_key = |item: &str| item_key(item, param_names(item).into_iter().map(|n| param(params, n)));
    match op.role {
        Role::Stateless => documented(version, base),
        Role::Create { item, key_field } => {
            let mut doc = base.unwrap_or_else(|| json!({}));
            if let Some(b) = &body {
                overlay(&mut doc, b);
            }
            let given = body.as_ref().and_then(|b| b.get(key_field)).is_some();
            let key = match doc.get(key_field) {
                Some(Value::String(v)) if given => v.clone(),
                Some(Value::String(v)) => fresh_key(v, store),
                Some(other) if given => other.to_string(),
                _ => fresh_key("", store),
            };
            if let (false, Some(obj)) = (given, doc.as_object_mut()) {
                obj.insert(key_field.to_string(), Value::String(key.clone()));
            }
            let names = param_names(item);
            let (_, parents) = names.split_last().unwrap_or((&"", &[]));
            let values = parents
                .iter()
                .map(|n| param(params, n))
                .chain(std::iter::once(key.as_str()));
            let k = item_key(item, values);
            if store.contains(&k) {
                let detail = format!("{} {key:?} already exists.", op.operation_id);
                return Answer::error(409, "DUPLICATE_RESOURCE", &detail);
            }
            store.insert(k, doc.clone());
            documented(version, Some(doc))
        }
        Role::Read { item } => match store.get(&stored_key(item)) {
            Some(doc) => documented(version, Some(over_sample(base, doc))),
            None => Answer::not_found(&r.path),
        },
        Role::Update { item } => {
            let k = stored_key(item);
            let Some(doc) = store.values.get_mut(&k) else {
                return Answer::not_found(&r.path);
            };
            if let Some(b) = &body {
                overlay(doc, b);
            }
            let doc = doc.clone();
            documented(version, Some(over_sample(base, &doc)))
        }
        Role::Delete { item } => match store.remove(&stored_key(item)) {
            Some(_) => documented(version, base),
            None => Answer::not_found(&r.path),
        },
        Role::List { item } => documented(version, Some(list(store, r, item, params, base))),
    }
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
    item: &str,
    params: &BTreeMap<String, String>,
    base: Option<Value>,
) -> Value {
    let names = param_names(item);
    let parents = &names[..names.len().saturating_sub(1)];
    let mut prefix = item_key(item, parents.iter().map(|n| param(params, n)));
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

    const fn op(operation_id: &'static str, path: &'static str) -> Operation {
        Operation {
            operation_id,
            method: "GET",
            path,
            params: &[],
            role: Role::Stateless,
            versions: &[],
        }
    }

    static ITEM: Operation = op("getLink", "/groups/{groupId}/links/{linkId}");
    static ACTION: Operation = op("inspectLink", "/groups/{groupId}/links/{linkId}:inspect");
    static LITERAL: Operation = op("getLinkDefaults", "/groups/{groupId}/links/defaults");

    fn matched(path: &str) -> Option<(&'static str, String)> {
        let ops = [&ITEM, &ACTION, &LITERAL];
        best_match(&ops, "GET", &decoded_segments(path))
            .map(|(o, p)| (o.operation_id, p.get("linkId").cloned().unwrap_or_default()))
    }

    #[test]
    fn the_most_literal_template_wins_whatever_the_order() {
        assert_eq!(matched("/groups/g/links/l1"), Some(("getLink", "l1".into())));
        assert_eq!(
            matched("/groups/g/links/l1:inspect"),
            Some(("inspectLink", "l1".into()))
        );
        assert_eq!(
            matched("/groups/g/links/defaults"),
            Some(("getLinkDefaults", String::new()))
        );
        assert_eq!(matched("/groups/g/links/a%20b"), Some(("getLink", "a b".into())));
        assert_eq!(matched("/groups/g/other/l1"), None);
        let reversed = [&LITERAL, &ACTION, &ITEM];
        let found = best_match(&reversed, "GET", &decoded_segments("/groups/g/links/l1:inspect"));
        assert_eq!(found.map(|(o, _)| o.operation_id), Some("inspectLink"));
    }

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
