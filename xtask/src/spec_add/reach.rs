//! Which components a part of a spec reaches through its `$ref`s (and
//! discriminator mappings), directly or through other components.

use crate::json::ptr;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every `#/components/<section>/<name>` that `value` refers to.
pub(super) fn refs(value: &Value, out: &mut BTreeSet<(String, String)>) {
    match value {
        Value::Object(map) => {
            // `$ref`s, and a discriminator's mapping (references as text).
            let mapped = map
                .get("discriminator")
                .and_then(|d| d.get("mapping"))
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.values());
            let named = map.get("$ref").into_iter().chain(mapped).filter_map(Value::as_str);
            for r in named {
                if let Some((section, name)) = r.strip_prefix("#/components/").and_then(|rest| rest.split_once('/')) {
                    out.insert((section.to_string(), name.to_string()));
                }
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The components `ids` need, leaves first (a component after those it
/// refers to, cycles broken where they close).
pub(super) fn needed(upstream: &Value, roots: &BTreeSet<(String, String)>) -> Vec<(String, String)> {
    fn visit(
        upstream: &Value,
        key: &(String, String),
        seen: &mut BTreeSet<(String, String)>,
        out: &mut Vec<(String, String)>,
    ) {
        if !seen.insert(key.clone()) {
            return;
        }
        let Some(value) = upstream.pointer(&ptr("", &["components", &key.0, &key.1])) else {
            return;
        };
        let mut inner = BTreeSet::new();
        refs(value, &mut inner);
        for k in &inner {
            visit(upstream, k, seen, out);
        }
        out.push(key.clone());
    }
    let (mut seen, mut out) = (BTreeSet::new(), Vec::new());
    for key in roots {
        visit(upstream, key, &mut seen, &mut out);
    }
    out
}

/// The components (`(section, name)`) that `value`, a part of `spec`,
/// refers to, directly or through other components: what a part of a spec
/// needs to stand alone.
pub fn reached(spec: &Value, value: &Value) -> BTreeSet<(String, String)> {
    let mut roots = BTreeSet::new();
    refs(value, &mut roots);
    needed(spec, &roots).into_iter().collect()
}
