//! The operations of a spec: the eight HTTP methods an OpenAPI path item
//! may hold, and every (path, method) of a spec in sorted order of paths.
//! `spec drift`, `spec add` and `spec verify` all walk operations so.

use serde_json::Value;

/// The methods of an OpenAPI 3.0 path item, in the order the specification
/// lists them.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// One operation of a spec.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'a> {
    /// The path template, as the spec writes it.
    pub path: &'a str,
    /// Lower case, one of [`METHODS`].
    pub method: &'static str,
    /// The path item that holds it (its shared `parameters`).
    pub item: &'a Value,
    pub op: &'a Value,
}

/// Every operation of `spec`, paths in sorted order, then [`METHODS`]'
/// order.
pub fn operations_of(spec: &Value) -> Vec<Operation<'_>> {
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut templates: Vec<&String> = paths.keys().collect();
    templates.sort();
    let mut out = Vec::new();
    for path in templates {
        let item = &paths[path];
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push(Operation { path, method, item, op });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_method_of_every_path_in_order() {
        let spec = json!({"paths": {
            "/b": {"trace": {}, "get": {}, "parameters": [], "summary": "not a method"},
            "/a": {"head": {}, "options": {}, "patch": {}}
        }});
        let found: Vec<(&str, &str)> = operations_of(&spec).iter().map(|o| (o.path, o.method)).collect();
        assert_eq!(
            found,
            [
                ("/a", "options"),
                ("/a", "head"),
                ("/a", "patch"),
                ("/b", "get"),
                ("/b", "trace")
            ]
        );
        assert!(operations_of(&json!({})).is_empty());
    }
}
