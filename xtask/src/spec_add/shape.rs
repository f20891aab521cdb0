//! Structural equality: what `spec add` compares when it asks whether a
//! component or an operation is already ours (prose, examples and our own
//! extensions aside), and where two values first differ.

use super::prose::LEFT_OUT;
use serde_json::Value;

/// Keys [`shape`] leaves out (besides `x-` extensions other than
/// `x-sunset`).
const PROSE: [&str; 7] = [
    "description",
    "summary",
    "example",
    "examples",
    "title",
    "externalDocs",
    "deprecated",
];

/// `value` as `spec add` compares it with what is already ours: without
/// prose (ours or theirs) and without `x-xgen-atlascli` (our waiters).
pub(super) fn structure(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !LEFT_OUT.contains(&k.as_str()) && *k != "x-xgen-atlascli")
                .map(|(k, v)| {
                    let v = if k == "properties" {
                        Value::Object(
                            v.as_object()
                                .map(|m| m.iter().map(|(n, s)| (n.clone(), structure(s))).collect())
                                .unwrap_or_default(),
                        )
                    } else {
                        structure(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(structure).collect()),
        other => other.clone(),
    }
}

/// A value without prose, examples and `x-` extensions (but `x-sunset`),
/// with every `$ref` replaced by the shape of what it
/// names, `depth` links deep: two components are equal by shape, whatever
/// their names or the names of what they refer to (cycles included).
pub(super) fn shape(doc: &Value, value: &Value, depth: usize) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                let target = r.strip_prefix('#').and_then(|p| doc.pointer(p));
                return match (target, depth) {
                    (Some(t), d) if d > 0 => shape(doc, t, d - 1),
                    _ => Value::String("$ref".into()),
                };
            }
            Value::Object(
                map.iter()
                    .filter(|(k, _)| !PROSE.contains(&k.as_str()) && (!k.starts_with("x-") || *k == "x-sunset"))
                    .map(|(k, v)| (k.clone(), shape(doc, v, depth)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| shape(doc, v, depth)).collect()),
        other => other.clone(),
    }
}

/// How many `$ref` links deep [`shape`] compares two components: past
/// that, a reference is a bare `$ref` (equal whatever it names). Not a
/// cycle limit (`atlas_codegen::MAX_REF_DEPTH` is that): a horizon that
/// keeps the comparison cheap and ends cycles early.
pub(super) const COMPARED_LINKS: usize = 4;

/// The pointer of the first place where `a` and `b` differ.
pub(super) fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, format!("{at}/{k}")) {
                            return Some(d);
                        }
                    }
                    _ => return Some(format!("{at}/{k}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at} ({a} vs {b})")),
    }
}
