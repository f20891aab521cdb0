//! Structural equality: what `spec add` compares when it asks whether a
//! component or an operation is already ours (prose, examples and our own
//! extensions aside), and where two values first differ.

use super::prose::LEFT_OUT;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Keys [`same_shape`] leaves out (besides `x-` extensions other than
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

/// Whether `a`, a part of `a_doc`, and `b`, a part of `b_doc`, have the
/// same structure: prose, examples and `x-` extensions (but `x-sunset`)
/// aside, and whatever the names of the components they refer to. A
/// `$ref`, and a discriminator's mapping, are followed to what they name,
/// as deep as the references go: two recursive components are equal when
/// no walk along their references meets a difference (a pair of
/// components met again is taken as equal, which closes every cycle).
pub(super) fn same_shape(a_doc: &Value, a: &Value, b_doc: &Value, b: &Value) -> bool {
    Shapes {
        a_doc,
        b_doc,
        assumed: HashSet::new(),
    }
    .same(a, b)
}

/// Keys whose value maps names (of properties, media types, headers, ...)
/// to structure: every name counts, whatever it looks like.
const NAMED: [&str; 7] = [
    "properties",
    "content",
    "headers",
    "encoding",
    "links",
    "callbacks",
    "responses",
];

/// One comparison of [`same_shape`]: the pairs of values (reached through
/// a reference) being compared, each compared once.
struct Shapes<'a> {
    a_doc: &'a Value,
    b_doc: &'a Value,
    assumed: HashSet<(*const Value, *const Value)>,
}

impl<'a> Shapes<'a> {
    fn same(&mut self, a: &'a Value, b: &'a Value) -> bool {
        let (ra, rb) = (reference(a), reference(b));
        if ra.is_some() || rb.is_some() {
            return self.same_targets((ra, a), (rb, b));
        }
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => self.same_objects(x, y),
            (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| self.same(p, q)),
            _ => a == b,
        }
    }

    /// `a` and `b`, at least one of them a reference (`Some`), compared by
    /// what they name. A reference that names nothing in its document is
    /// equal only to the same reference.
    fn same_targets(&mut self, a: (Option<&str>, &'a Value), b: (Option<&str>, &'a Value)) -> bool {
        let ta = a.0.map_or(Some(a.1), |r| resolve(self.a_doc, r));
        let tb = b.0.map_or(Some(b.1), |r| resolve(self.b_doc, r));
        let (Some(ta), Some(tb)) = (ta, tb) else {
            return a.0.is_some() && a.0 == b.0;
        };
        if !self.assumed.insert((ta as *const Value, tb as *const Value)) {
            return true;
        }
        self.same(ta, tb)
    }

    fn same_objects(&mut self, x: &'a Map<String, Value>, y: &'a Map<String, Value>) -> bool {
        let compared = |m: &'a Map<String, Value>| m.iter().filter(|(k, _)| is_structure(k));
        let same_keys = compared(x).count() == compared(y).count() && compared(x).all(|(k, _)| y.contains_key(k));
        same_keys
            && compared(x).all(|(k, v)| match k.as_str() {
                "discriminator" => self.same_discriminators(v, &y[k]),
                named if NAMED.contains(&named) => self.same_named(v, &y[k]),
                _ => self.same(v, &y[k]),
            })
    }

    /// Two maps of names: the same names, each with the same structure.
    fn same_named(&mut self, a: &'a Value, b: &'a Value) -> bool {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.keys().all(|k| y.contains_key(k)) && x.iter().all(|(k, v)| self.same(v, &y[k]))
            }
            _ => self.same(a, b),
        }
    }

    /// Two discriminators: the same property, and each value mapped to
    /// components of the same structure (whatever their names).
    fn same_discriminators(&mut self, a: &'a Value, b: &'a Value) -> bool {
        let (Some(x), Some(y)) = (a.as_object(), b.as_object()) else {
            return self.same(a, b);
        };
        let rest = |m: &'a Map<String, Value>| -> Map<String, Value> {
            m.iter()
                .filter(|(k, _)| *k != "mapping" && is_structure(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        if rest(x) != rest(y) {
            return false;
        }
        match (x.get("mapping"), y.get("mapping")) {
            (Some(Value::Object(p)), Some(Value::Object(q))) => {
                p.len() == q.len()
                    && p.keys().all(|k| q.contains_key(k))
                    && p.iter().all(|(k, v)| match (v.as_str(), q[k].as_str()) {
                        (Some(r), Some(s)) => self.same_targets((Some(r), v), (Some(s), &q[k])),
                        _ => v == &q[k],
                    })
            }
            (p, q) => p == q,
        }
    }
}

/// Whether `key` is compared: not prose, and not an `x-` extension other
/// than `x-sunset`.
fn is_structure(key: &str) -> bool {
    !PROSE.contains(&key) && (!key.starts_with("x-") || key == "x-sunset")
}

/// The `$ref` of `value`, if it is a reference.
fn reference(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// What reference `r` names in `doc`: a local pointer (`#/...`), or a
/// discriminator's bare schema name.
fn resolve<'a>(doc: &'a Value, r: &str) -> Option<&'a Value> {
    match r.strip_prefix('#') {
        Some(pointer) => doc.pointer(pointer),
        None => doc.get("components")?.get("schemas")?.get(r),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A spec whose `Head` refers to `Link1`, which refers to `Link2`, ...
    /// `links` deep, the last one holding `leaf`.
    fn chain(links: usize, leaf: Value) -> Value {
        let mut schemas = Map::new();
        for i in 0..links {
            let next = json!({"$ref": format!("#/components/schemas/Link{}", i + 1)});
            let name = if i == 0 { "Head".to_string() } else { format!("Link{i}") };
            schemas.insert(name, json!({"type": "object", "properties": {"next": next}}));
        }
        schemas.insert(format!("Link{links}"), leaf);
        json!({"components": {"schemas": schemas}})
    }

    fn head(doc: &Value) -> &Value {
        &doc["components"]["schemas"]["Head"]
    }

    #[test]
    fn a_difference_counts_however_many_links_deep() {
        let a = chain(8, json!({"type": "string"}));
        let b = chain(8, json!({"type": "integer"}));
        assert!(same_shape(&a, head(&a), &a, head(&a)));
        assert!(!same_shape(&a, head(&a), &b, head(&b)));
    }

    #[test]
    fn recursive_components_compare_by_structure_not_names() {
        let a = json!({"components": {"schemas": {
            "Node": {"type": "object", "description": "theirs", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
            }}
        }}});
        let b = json!({"components": {"schemas": {
            "Tree": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}
            }}
        }}});
        let (node, tree) = (&a["components"]["schemas"]["Node"], &b["components"]["schemas"]["Tree"]);
        assert!(same_shape(&a, node, &b, tree));
        let mut c = b.clone();
        c["components"]["schemas"]["Tree"]["properties"]["children"]["items"] = json!({"type": "string"});
        assert!(!same_shape(&a, node, &c, &c["components"]["schemas"]["Tree"]));
    }

    #[test]
    fn a_property_named_like_prose_is_structure() {
        let doc = json!({});
        let with = json!({"type": "object", "properties": {"description": {"type": "string"}}});
        let without = json!({"type": "object", "properties": {}});
        assert!(!same_shape(&doc, &with, &doc, &without));
        let described = json!({"type": "object", "description": "words", "properties": {}});
        assert!(same_shape(&doc, &described, &doc, &without));
    }

    #[test]
    fn discriminator_mappings_compare_what_they_name() {
        let doc = |a: &str, b: &str| {
            json!({"components": {"schemas": {
                "U": {"discriminator": {"propertyName": "k", "mapping": {
                    "A": format!("#/components/schemas/{a}"), "B": format!("#/components/schemas/{b}")
                }}},
                "X": {"type": "string"}, "Y": {"type": "string"}, "Z": {"type": "integer"}
            }}})
        };
        let u = |d: &Value| d["components"]["schemas"]["U"].clone();
        let (xy, xx, xz) = (doc("X", "Y"), doc("X", "X"), doc("X", "Z"));
        assert!(same_shape(&xy, &u(&xy), &xx, &u(&xx)));
        assert!(!same_shape(&xy, &u(&xy), &xz, &u(&xz)));
        let missing = doc("X", "Gone");
        assert!(!same_shape(&xy, &u(&xy), &missing, &u(&missing)));
        assert!(same_shape(&missing, &u(&missing), &missing, &u(&missing)));
    }
}
