//! Recording exchanges for apps' tests
//! ([`ClientBuilder::record_to`](crate::ClientBuilder::record_to)): every
//! call's request as sent and the answer it got (after digest challenges,
//! redirects and retries), one JSON file a call, with secrets scrubbed
//! before anything reaches the disk. The fake replays such a folder
//! (`FakeAtlasBuilder::replay`), and `cargo xtask spec verify` reads it.
//!
//! # Format
//! `atlas-admin-recording/1`, one JSON file a call named
//! `NNNNN-<operationId>.json`, numbered in the order the calls ended: see
//! `atlas_admin_recordings::ours`, which reads it (for the fake's replay
//! and `cargo xtask spec verify`). A JSON body is kept as JSON (`body`);
//! any other as `bodyBase64`.
//!
//! # What never reaches the files
//! `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie`
//! headers (digest parameters and bearer tokens live there); token
//! requests (they are not calls); and in JSON bodies, the value of every
//! sensitive field, replaced by `"<redacted>"`: the fields the generator
//! settled as sensitive (the same decision that masks them in `Debug`:
//! passwords, secrets, tokens, private and API keys, `format: password`,
//! `x-sensitive`), by the wire names each operation version's
//! [`Endpoint::sensitive`](crate::Endpoint::sensitive) lists.

/// `format` of the files.
pub use atlas_admin_recordings::ours::FORMAT;
use atlas_admin_recordings::ours::{file_name, number_of};
use base64::Engine as _;
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The value that stands for a scrubbed secret.
pub const REDACTED: &str = "<redacted>";

/// Headers never written.
const SECRET_HEADERS: [&str; 4] = ["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// `value` with the value of every property named in `sensitive` (at any
/// depth) replaced by [`REDACTED`]; `null`, objects and arrays are kept
/// (their contents scrubbed in turn).
pub fn scrub(value: &mut Value, sensitive: &[&str]) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if sensitive.contains(&k.as_str()) && !v.is_null() && !v.is_object() && !v.is_array() {
                    *v = Value::String(REDACTED.into());
                } else {
                    scrub(v, sensitive);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| scrub(v, sensitive)),
        _ => {}
    }
}

/// Writes one file per call into its folder.
#[derive(Debug)]
pub(crate) struct Recorder {
    dir: PathBuf,
    next: AtomicU64,
}

/// One call, as the recorder writes it.
pub(crate) struct Exchange<'a> {
    pub(crate) operation: &'static str,
    pub(crate) version: &'static str,
    pub(crate) method: &'static str,
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) request_headers: Vec<(&'a str, &'a str)>,
    pub(crate) request_body: Option<&'a [u8]>,
    /// The wire names whose values are scrubbed from both bodies.
    pub(crate) sensitive: &'a [&'a str],
    pub(crate) status: u16,
    pub(crate) response_headers: &'a reqwest::header::HeaderMap,
    pub(crate) response_body: &'a [u8],
}

impl Recorder {
    /// Creates `dir` if needed; numbering goes on after the files there.
    pub(crate) fn new(dir: &Path) -> Result<Recorder, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let last = entries
            .flatten()
            .filter_map(|e| number_of(&e.file_name().to_string_lossy()))
            .max()
            .unwrap_or(0);
        Ok(Recorder {
            dir: dir.to_path_buf(),
            next: AtomicU64::new(last + 1),
        })
    }

    /// Writes `x` as the next file; returns its path.
    pub(crate) fn write(&self, x: &Exchange<'_>) -> Result<PathBuf, String> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let file = self.dir.join(file_name(n, x.operation));
        let text = serde_json::to_string_pretty(&document(x)).map_err(|e| e.to_string())?;
        std::fs::write(&file, text + "\n").map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        Ok(file)
    }
}

fn document(x: &Exchange<'_>) -> Value {
    let mut request_headers = Map::new();
    for (k, v) in &x.request_headers {
        if !SECRET_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
            request_headers.insert(k.to_ascii_lowercase(), json!(v));
        }
    }
    let mut response_headers = Map::new();
    for (k, v) in x.response_headers {
        if !SECRET_HEADERS.contains(&k.as_str()) {
            response_headers.insert(k.as_str().to_string(), json!(String::from_utf8_lossy(v.as_bytes())));
        }
    }
    let mut request = json!({
        "method": x.method,
        "path": x.path,
        "query": x.query,
        "headers": request_headers,
    });
    body_into(&mut request, x.request_body.unwrap_or_default(), x.sensitive);
    let mut response = json!({ "status": x.status, "headers": response_headers });
    body_into(&mut response, x.response_body, x.sensitive);
    json!({
        "format": FORMAT,
        "operation": x.operation,
        "version": x.version,
        "request": request,
        "response": response,
    })
}

/// `body` (JSON, scrubbed) or `bodyBase64` (anything else), or `body: null`.
fn body_into(doc: &mut Value, bytes: &[u8], sensitive: &[&str]) {
    if bytes.is_empty() {
        doc["body"] = Value::Null;
        return;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(mut v) => {
            scrub(&mut v, sensitive);
            doc["body"] = v;
        }
        Err(_) => doc["bodyBase64"] = json!(base64::engine::general_purpose::STANDARD.encode(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_reaches_nested_values_and_keeps_shapes() {
        let mut doc = json!({"linkToken": "t", "items": [{"password": "p", "name": "n"}], "secrets": [{"id": "x"}], "token": null, "clientSecret": "kept"});
        scrub(&mut doc, &["linkToken", "password", "secrets", "token"]);
        assert_eq!(
            doc,
            json!({"linkToken": REDACTED, "items": [{"password": REDACTED, "name": "n"}], "secrets": [{"id": "x"}], "token": null, "clientSecret": "kept"}),
            "only the names given are scrubbed"
        );
    }

    #[test]
    fn a_written_file_reads_back_without_its_secrets() {
        let dir = std::env::temp_dir().join(format!("atlas-record-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let recorder = Recorder::new(&dir).unwrap();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("content-type", "application/vnd.atlas.2023-01-01+json".parse().unwrap());
        headers.insert("set-cookie", "session=s3cr3t".parse().unwrap());
        let file = recorder
            .write(&Exchange {
                operation: "createLinkToken",
                version: "2023-01-01",
                method: "POST",
                path: "/api/atlas/v2/orgs/o/liveMigrations/linkTokens",
                query: None,
                request_headers: vec![("Authorization", "Digest nonce=n"), ("Accept", "a")],
                request_body: Some(br#"{"accessListIps":["1.2.3.4"]}"#),
                sensitive: &["linkToken"],
                status: 201,
                response_headers: &headers,
                response_body: br#"{"linkToken":"tok-1"}"#,
            })
            .unwrap();
        assert!(file.ends_with("00001-createLinkToken.json"), "{}", file.display());
        let text = std::fs::read_to_string(&file).unwrap();
        for secret in ["tok-1", "s3cr3t", "nonce=n"] {
            assert!(!text.contains(secret), "{secret} reached the file:\n{text}");
        }
        let back = atlas_admin_recordings::read(&file).unwrap();
        assert_eq!((back.method.as_str(), back.status), ("POST", 201));
        assert_eq!(back.body, format!(r#"{{"linkToken":"{REDACTED}"}}"#).as_bytes());
        // A second recorder in the same folder numbers on.
        assert_eq!(Recorder::new(&dir).unwrap().next.load(Ordering::Relaxed), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
