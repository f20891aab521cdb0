//! Our own recording format, as the runtime's `ClientBuilder::record_to`
//! writes it: one JSON document a call, in a file `NNNNN-<operationId>.json`
//! numbered in the order the calls ended.
//!
//! ```json
//! {
//!   "format": "atlas-admin-recording/1",
//!   "operation": "getGroupCluster",
//!   "version": "2024-08-05",
//!   "request": {"method": "GET", "path": "/api/atlas/v2/groups/g/clusters/c1",
//!               "query": "pretty=true", "headers": {"accept": "..."}, "body": null},
//!   "response": {"status": 200, "headers": {"content-type": "..."}, "body": {"name": "c1"}}
//! }
//! ```
//! A JSON body is kept as JSON (`body`); any other as `bodyBase64`.

use base64::Engine as _;
use serde_json::Value;

/// `format` of the files.
pub const FORMAT: &str = "atlas-admin-recording/1";

/// One call read from a file of this format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Upper case.
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    /// The response's headers; names lower case.
    pub headers: Vec<(String, String)>,
    /// The response's body (empty: none).
    pub body: Vec<u8>,
}

/// Reads one document; the error says what is missing.
pub fn parse(bytes: &[u8]) -> Result<Call, String> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let format = doc.get("format").and_then(Value::as_str).unwrap_or_default();
    if format != FORMAT {
        return Err(format!("not a recording: \"format\" is {format:?}, not {FORMAT:?}"));
    }
    let req = doc.get("request").ok_or("no \"request\"")?;
    let res = doc.get("response").ok_or("no \"response\"")?;
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let status = res
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("no response \"status\"")?;
    Ok(Call {
        method: text(req, "method").ok_or("no request \"method\"")?.to_ascii_uppercase(),
        path: text(req, "path").ok_or("no request \"path\"")?,
        query: text(req, "query"),
        status,
        headers: headers(res),
        body: body(res)?,
    })
}

/// A `headers` object as (lower-case name, value) pairs; values that are
/// not text are left out.
fn headers(part: &Value) -> Vec<(String, String)> {
    part.get("headers")
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .filter_map(|(k, v)| Some((k.to_ascii_lowercase(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// `body` (JSON, written compactly) or `bodyBase64`; neither, or a null
/// `body`: none.
fn body(part: &Value) -> Result<Vec<u8>, String> {
    match (part.get("body"), part.get("bodyBase64")) {
        (Some(json), _) if !json.is_null() => serde_json::to_vec(json).map_err(|e| e.to_string()),
        (_, Some(b64)) => {
            let text = b64.as_str().ok_or("\"bodyBase64\" is not a string")?;
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|e| format!("\"bodyBase64\": {e}"))
        }
        _ => Ok(Vec::new()),
    }
}

/// The name of the `n`th file, for a call of `operation`:
/// `NNNNN-<operationId>.json`, the id kept to letters, digits, `_` and `-`.
pub fn file_name(n: u64, operation: &str) -> String {
    let safe: String = operation
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{n:05}-{safe}.json")
}

/// The number a file name starts with (`00042-getGroup.json` -> 42).
pub fn number_of(file_name: &str) -> Option<u64> {
    file_name.split('-').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_base64_bodies_and_what_is_missing() {
        let doc = br#"{"format":"atlas-admin-recording/1","request":{"method":"get","path":"/p","query":"a=1"},
            "response":{"status":200,"headers":{"Content-Type":"application/json","X-N":1},"body":{"a":1}}}"#;
        let call = parse(doc).unwrap();
        assert_eq!(
            (call.method.as_str(), call.path.as_str(), call.status),
            ("GET", "/p", 200)
        );
        assert_eq!(call.query.as_deref(), Some("a=1"));
        assert_eq!(
            call.headers,
            [("content-type".to_string(), "application/json".to_string())]
        );
        assert_eq!(call.body, br#"{"a":1}"#);
        let b64 = br#"{"format":"atlas-admin-recording/1","request":{"method":"GET","path":"/l"},
            "response":{"status":200,"bodyBase64":"aGk=","body":null}}"#;
        assert_eq!(parse(b64).unwrap().body, b"hi");
        let none = br#"{"format":"atlas-admin-recording/1","request":{"method":"DELETE","path":"/l"},"response":{"status":204}}"#;
        assert!(parse(none).unwrap().body.is_empty());
        let err = |text: &str| parse(text.as_bytes()).unwrap_err();
        assert!(err(r#"{"a":1}"#).contains("not a recording"));
        assert!(err(r#"{"format":"atlas-admin-recording/9"}"#).contains("not a recording"));
        assert!(err("[").contains("not JSON"));
        let f = r#""format":"atlas-admin-recording/1""#;
        assert!(err(&format!(r#"{{{f},"response":{{"status":200}}}}"#)).contains("no \"request\""));
        assert!(err(&format!(
            r#"{{{f},"request":{{"path":"/"}},"response":{{"status":200}}}}"#
        ))
        .contains("method"));
        assert!(err(&format!(
            r#"{{{f},"request":{{"method":"GET","path":"/"}},"response":{{"status":70000}}}}"#
        ))
        .contains("status"));
        assert!(err(&format!(
            r#"{{{f},"request":{{"method":"GET","path":"/"}},"response":{{"status":200,"bodyBase64":"*"}}}}"#
        ))
        .contains("bodyBase64"));
    }

    #[test]
    fn file_names_number_the_calls() {
        assert_eq!(file_name(7, "getGroup"), "00007-getGroup.json");
        assert_eq!(file_name(123_456, "a b/c"), "123456-a_b_c.json");
        assert_eq!(number_of("00042-getGroup.json"), Some(42));
        assert_eq!(number_of("notes.json"), None);
    }
}
