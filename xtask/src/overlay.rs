//! OpenAPI Overlay 1.0.0: `update` and `remove` actions on JSONPath targets
//! (RFC 9535, by `serde_json_path`, union selectors such as
//! `['post','patch']` included), applied to the spec before generation.

use serde_json::Value;
use serde_json_path::JsonPath;

/// Applies `overlay` to `spec`. Returns warnings (an action whose target
/// selects nothing, named by its index); an unreadable overlay is an error.
pub fn apply(spec: &mut Value, overlay: &Value, label: &str) -> Result<Vec<String>, String> {
    if overlay
        .get("overlay")
        .and_then(Value::as_str)
        .is_none_or(|v| !v.starts_with("1."))
    {
        return Err(format!(
            "{label} is not an OpenAPI Overlay 1.x document (no `overlay: 1.0.0`)"
        ));
    }
    let actions = overlay
        .get("actions")
        .and_then(Value::as_array)
        .ok_or(format!("{label} has no `actions` list"))?;
    let mut warnings = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or(format!("{label}: action {i} has no target"))?;
        let path = JsonPath::parse(target).map_err(|e| format!("{label}: action {i}: target {target:?}: {e}"))?;
        let mut pointers: Vec<String> = path
            .query_located(spec)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            warnings.push(format!("{label}: action {i} ({target}) selects nothing; skipped"));
            continue;
        }
        if action.get("remove").and_then(Value::as_bool) == Some(true) {
            // Last first, so earlier array indices stay valid.
            pointers.sort();
            for p in pointers.iter().rev() {
                remove(spec, p);
            }
        } else if let Some(update) = action.get("update") {
            for p in &pointers {
                if let Some(node) = spec.pointer_mut(p) {
                    merge(node, update);
                }
            }
        } else {
            return Err(format!("{label}: action {i} neither updates nor removes"));
        }
    }
    Ok(warnings)
}

/// Overlay `update`: objects merge key by key, arrays get the value
/// appended, anything else is replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(n), Value::Object(u)) => {
            for (k, v) in u {
                match n.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        n.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(a), u) => a.push(u.clone()),
        (n, u) => *n = u.clone(),
    }
}

fn remove(spec: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match spec.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.remove(&key);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_remove_unions_and_misses() {
        let mut spec = json!({"paths": {"/a": {"post": {"x": 1}, "patch": {"x": 2}, "get": {"tags": ["t"]}}}});
        let overlay = json!({"overlay": "1.0.0", "actions": [
            {"target": "$.paths['/a']['post','patch']", "update": {"w": {"k": true}}},
            {"target": "$.paths['/a'].get.tags", "update": "u"},
            {"target": "$.paths['/nope'].get", "update": {"w": 1}},
            {"target": "$.paths['/a'].patch.x", "remove": true}
        ]});
        let warnings = apply(&mut spec, &overlay, "o.yaml").unwrap();
        assert_eq!(spec["paths"]["/a"]["post"]["w"]["k"], true);
        assert_eq!(spec["paths"]["/a"]["patch"], json!({"w": {"k": true}}));
        assert_eq!(spec["paths"]["/a"]["get"]["tags"], json!(["t", "u"]));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("action 2"), "{warnings:?}");
        assert!(apply(&mut spec, &json!({"actions": []}), "x").is_err());
    }
}
