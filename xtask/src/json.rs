//! A spec as a JSON tree: read from disk, pointers into it, `$ref`s followed.
//! Pointer tokens are escaped and `$ref` chains cut as the generator does
//! (`atlas_codegen::pointer_token`, `atlas_codegen::MAX_REF_DEPTH`).

use atlas_codegen::{pointer_token, MAX_REF_DEPTH};
use serde_json::Value;
use std::path::Path;

/// Reads a YAML (or JSON) document.
pub fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))
}

/// `base` extended by `tokens`, each escaped (RFC 6901).
pub fn ptr(base: &str, tokens: &[&str]) -> String {
    let mut out = base.to_string();
    for t in tokens {
        out.push('/');
        out.push_str(&pointer_token(t));
    }
    out
}

/// A node with its pointer, `$ref`s followed (at most
/// [`MAX_REF_DEPTH`] links; a `$ref` that leads nowhere is left as it is).
pub fn resolve<'a>(doc: &'a Value, mut node: &'a Value, mut at: String) -> (&'a Value, String) {
    for _ in 0..MAX_REF_DEPTH {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else {
            return (node, at);
        };
        let Some(path) = r.strip_prefix('#') else {
            return (node, at);
        };
        match doc.pointer(path) {
            Some(next) => {
                node = next;
                at = path.to_string();
            }
            None => return (node, at),
        }
    }
    (node, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_escape_and_refs_resolve() {
        assert_eq!(ptr("", &["paths", "/a/{b}~c", "get"]), "/paths/~1a~1{b}~0c/get");
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}, "x": {"$ref": "#/components/schemas/A"}, "gone": {"$ref": "#/nowhere"}});
        let (node, at) = resolve(&doc, &doc["x"], "/x".into());
        assert_eq!(
            (node, at.as_str()),
            (&json!({"type": "string"}), "/components/schemas/B")
        );
        let (_, at) = resolve(&doc, &doc["gone"], "/gone".into());
        assert_eq!(at, "/gone");
        let looped = &doc["components"]["schemas"]["Loop"];
        assert_eq!(resolve(&doc, looped, String::new()).0, looped, "a cycle ends");
    }
}
