//! Text -> `openapiv3::OpenAPI`, with failures located by JSON pointer.
//!
//! openapiv3 flattens `extensions` into nearly every object and uses
//! untagged enums for `$ref`s, so serde forgets where inside an object a
//! failure happened. When the document does not deserialize, we find the
//! offending node ourselves: starting where serde stopped, we remove
//! children of the current node (bisecting) until the document
//! deserializes; the child whose removal fixes it is where we descend.
//! This runs on the error path only.

use crate::error::{Error, Pointer};
use openapiv3::OpenAPI;
use serde_path_to_error::Segment;
use serde_yaml::Value;

/// Parses an OpenAPI 3.0 document written in YAML (or JSON, which is YAML).
pub fn parse(text: &str) -> Result<OpenAPI, Error> {
    // The tree first: it refuses what YAML forbids (a key twice in one map,
    // which openapiv3 would otherwise meet inside an untagged enum and
    // panic on), with its line; then the model, from the tree.
    let doc: Value = match serde_yaml::from_str(text) {
        Ok(doc) => doc,
        Err(e) => return Err(Error::at(&Pointer::root(), format!("not a valid YAML document: {e}"))),
    };
    let api: OpenAPI = match serde_yaml::from_value(doc.clone()) {
        Ok(api) => api,
        Err(_) => return Err(locate_failure(doc)),
    };
    if !api.openapi.starts_with("3.0.") {
        return Err(Error::at(
            &Pointer::root().push("openapi"),
            format!(
                "OpenAPI version {:?} is not supported; this generator reads 3.0.x",
                api.openapi
            ),
        ));
    }
    Ok(api)
}

/// Builds the error for a document that does not deserialize.
fn locate_failure(doc: Value) -> Error {
    let e = match serde_path_to_error::deserialize::<_, OpenAPI>(doc.clone()) {
        Ok(_) => return Error::at(&Pointer::root(), "not a valid OpenAPI 3.0 document"),
        Err(e) => e,
    };
    let start: Vec<Token> = e
        .path()
        .iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(Token::Index(*index)),
            Segment::Map { key } => Some(Token::Key(Value::String(key.clone()))),
            _ => None,
        })
        .collect();
    let reason = e.into_inner().to_string();
    let path = locate(&doc, start);
    Error::at(
        &pointer_of(&path),
        format!("not a valid OpenAPI 3.0 document here: {reason}"),
    )
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Key(Value),
    Index(usize),
}

fn pointer_of(path: &[Token]) -> Pointer {
    path.iter().fold(Pointer::root(), |p, t| match t {
        Token::Index(i) => p.push(i),
        Token::Key(Value::String(s)) => p.push(s),
        Token::Key(other) => p.push(serde_yaml::to_string(other).unwrap_or_default().trim()),
    })
}

fn get<'v>(doc: &'v Value, path: &[Token]) -> Option<&'v Value> {
    path.iter().try_fold(doc, |v, t| match (v, t) {
        (Value::Mapping(m), Token::Key(k)) => m.get(k),
        (Value::Sequence(s), Token::Index(i)) => s.get(*i),
        _ => None,
    })
}

fn get_mut<'v>(doc: &'v mut Value, path: &[Token]) -> Option<&'v mut Value> {
    path.iter().try_fold(doc, |v, t| match (v, t) {
        (Value::Mapping(m), Token::Key(k)) => m.get_mut(k),
        (Value::Sequence(s), Token::Index(i)) => s.get_mut(*i),
        _ => None,
    })
}

fn children(node: &Value) -> Vec<Token> {
    match node {
        Value::Mapping(m) => m.keys().map(|k| Token::Key(k.clone())).collect(),
        Value::Sequence(s) => (0..s.len()).map(Token::Index).collect(),
        _ => Vec::new(),
    }
}

/// Whether the document deserializes once the children `group` of the node
/// at `path` are removed, or else emptied (a required map or list can be
/// empty but not absent).
fn parses_without(doc: &Value, path: &[Token], group: &[Token]) -> bool {
    parses_with(doc, path, group, false) || parses_with(doc, path, group, true)
}

fn parses_with(doc: &Value, path: &[Token], group: &[Token], empty: bool) -> bool {
    let mut copy = doc.clone();
    let Some(node) = get_mut(&mut copy, path) else {
        return false;
    };
    match node {
        Value::Mapping(m) => {
            for t in group {
                let Token::Key(k) = t else { continue };
                match m.get_mut(k) {
                    Some(Value::Mapping(inner)) if empty => inner.clear(),
                    Some(Value::Sequence(inner)) if empty => inner.clear(),
                    _ => {
                        m.remove(k);
                    }
                }
            }
        }
        Value::Sequence(s) => {
            let mut i = 0;
            s.retain(|_| {
                let keep = !group.contains(&Token::Index(i));
                i += 1;
                keep
            });
        }
        _ => return false,
    }
    serde_yaml::from_value::<OpenAPI>(copy).is_ok()
}

/// The deepest node whose removal makes the document valid.
fn locate(doc: &Value, start: Vec<Token>) -> Vec<Token> {
    // Keep the part of serde's path that exists in the document.
    let mut path = Vec::new();
    for t in start {
        path.push(t);
        if get(doc, &path).is_none() {
            path.pop();
            break;
        }
    }
    // Serde may have stopped below the real culprit's parent; climb until
    // removing the node we stand on fixes the document.
    while !path.is_empty() {
        let (parent, last) = path.split_at(path.len() - 1);
        if parses_without(doc, parent, last) {
            break;
        }
        path.pop();
    }
    loop {
        let Some(node) = get(doc, &path) else { return path };
        let kids = children(node);
        let (mut lo, mut hi) = (0, kids.len());
        // Bisect long lists for the one child whose removal fixes the
        // document; short ones (and lists where halves do not isolate it,
        // as when they hold required fields) are scanned one by one.
        while hi - lo > 8 {
            let mid = (lo + hi) / 2;
            if parses_without(doc, &path, &kids[lo..mid]) {
                hi = mid;
            } else if parses_without(doc, &path, &kids[mid..hi]) {
                lo = mid;
            } else {
                break;
            }
        }
        match kids[lo..hi]
            .iter()
            .find(|k| parses_without(doc, &path, std::slice::from_ref(k)))
        {
            Some(culprit) => path.push(culprit.clone()),
            None => return path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_are_located() {
        let err = parse("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n      operationId: [x]\n")
            .unwrap_err();
        assert_eq!(err.pointer, "/paths/~1a/get/operationId", "{err}");
    }

    #[test]
    fn version_is_checked() {
        let err = parse("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.pointer, "/openapi");
    }
}

#[cfg(test)]
mod openapiv3_behaviour {
    /// A schema mixing `type` with a composition keeps both, as `Any`; the
    /// lowering reads compositions from there too.
    #[test]
    fn type_beside_one_of_is_kept_as_any() {
        let s: openapiv3::Schema = serde_yaml::from_str("type: object\noneOf:\n  - {type: string}\n").unwrap();
        match s.schema_kind {
            openapiv3::SchemaKind::Any(any) => assert_eq!(any.one_of.len(), 1),
            other => panic!("{other:?}"),
        }
    }
}
