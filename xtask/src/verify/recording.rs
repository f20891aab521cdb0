//! Recorded answers, read from disk in either format `spec verify` knows:
//! - the Atlas CLI's (`<METHOD>_<path>_<n>.snaphost`: an HTTP/1.x-style dump
//!   of the answer; the request's path is only in the file name, with each
//!   `/` and `:` written as `_`);
//! - ours (`*.json`, written by `ClientBuilder::record_to`; see the
//!   runtime's `record` module): the request and the answer as one JSON
//!   document.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Where the request's path came from: the CLI's file names lose `/` and
/// `:`, so such a path can only be matched against templates loosely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestPath {
    /// The exact path (our format).
    Exact(String),
    /// The CLI's file-name form: the path without its leading `/`, each
    /// `/` and `:` written as `_`.
    Mangled(String),
}

/// One recorded answer to one request.
#[derive(Debug, Clone)]
pub struct Recording {
    pub file: PathBuf,
    /// Upper case, as sent.
    pub method: String,
    pub path: RequestPath,
    pub status: u16,
    /// The media type of the answer, parameters left off (`None`: no
    /// `Content-Type`).
    pub media_type: Option<String>,
    /// The body as sent (empty: none).
    pub body: Vec<u8>,
}

/// Every recording below each of `dirs`, in sorted order of their paths.
/// A file that is neither format is skipped; one that claims a format and
/// cannot be read in it is an error naming the file.
pub fn read_all(dirs: &[PathBuf]) -> Result<Vec<Recording>, String> {
    let mut files = Vec::new();
    for dir in dirs {
        if !dir.is_dir() {
            return Err(format!("{} is not a folder of recordings", dir.display()));
        }
        walk(dir, &mut files)?;
    }
    files.sort();
    files.dedup();
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let rec = if name.ends_with(".snaphost") {
            cli_recording(&file, name, &bytes)
        } else {
            our_recording(&file, &bytes)
        };
        out.push(rec.map_err(|e| format!("{}: {e}", file.display()))?);
    }
    Ok(out)
}

/// Files ending in `.snaphost` or `.json`; symbolic links are not followed.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".snaphost") || name.ends_with(".json") {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// `<METHOD>_<path>_<n>.snaphost` holding `HTTP/2.0 200 OK`, headers, an
/// empty line and the body.
pub fn cli_recording(file: &Path, name: &str, bytes: &[u8]) -> Result<Recording, String> {
    let stem = name.trim_end_matches(".snaphost");
    let (method, rest) = stem
        .split_once('_')
        .ok_or("the file name is not <METHOD>_<path>_<n>.snaphost")?;
    // The last `_<n>` counts calls; a hashed name has none and matches nothing.
    let mangled = match rest.rsplit_once('_') {
        Some((path, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => path,
        _ => rest,
    };
    let (head, body) = split_head(bytes).ok_or("no empty line after the headers")?;
    let head = std::str::from_utf8(head).map_err(|_| "the status line and headers are not UTF-8")?;
    let mut lines = head.lines();
    let status_line = lines.next().ok_or("empty file")?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| format!("not a status line: {:?}", status_line))?;
    let media_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| bare_media_type(v));
    Ok(Recording {
        file: file.to_path_buf(),
        method: method.to_ascii_uppercase(),
        path: RequestPath::Mangled(mangled.to_string()),
        status,
        media_type,
        body: body.to_vec(),
    })
}

/// The head and the body, split at the first empty line (CRLF or LF).
fn split_head(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    for (i, w) in bytes.windows(2).enumerate() {
        if w == b"\n\n" {
            return Some((&bytes[..i], &bytes[i + 2..]));
        }
        if w == b"\r\n" && bytes.get(i + 2..i + 4) == Some(b"\r\n") {
            return Some((&bytes[..i], &bytes[i + 4..]));
        }
    }
    None
}

/// `application/vnd.atlas.2023-02-01+json;charset=utf-8` -> without the
/// parameters, lower case.
pub fn bare_media_type(value: &str) -> String {
    value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Our format: `{"format": "atlas-admin-recording/1", "request": {method,
/// path, ...}, "response": {status, headers, body | bodyBase64}}`.
fn our_recording(file: &Path, bytes: &[u8]) -> Result<Recording, String> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let format = doc.get("format").and_then(Value::as_str).unwrap_or_default();
    if !format.starts_with("atlas-admin-recording/") {
        return Err(format!(
            "not a recording: no \"format\": \"atlas-admin-recording/1\" (found {format:?})"
        ));
    }
    let req = doc.get("request").ok_or("no \"request\"")?;
    let res = doc.get("response").ok_or("no \"response\"")?;
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let status = res
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("no response \"status\"")?;
    let media_type = res
        .get("headers")
        .and_then(Value::as_object)
        .and_then(|h| h.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")))
        .and_then(|(_, v)| v.as_str())
        .map(bare_media_type);
    let body = match (res.get("body"), res.get("bodyBase64")) {
        (Some(Value::Null) | None, None) => Vec::new(),
        (Some(json), _) if !json.is_null() => serde_json::to_vec(json).map_err(|e| e.to_string())?,
        (_, Some(b64)) => {
            use base64::Engine as _;
            let text = b64.as_str().ok_or("\"bodyBase64\" is not a string")?;
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|e| format!("\"bodyBase64\": {e}"))?
        }
        _ => Vec::new(),
    };
    Ok(Recording {
        file: file.to_path_buf(),
        method: text(req, "method").ok_or("no request \"method\"")?.to_ascii_uppercase(),
        path: RequestPath::Exact(text(req, "path").ok_or("no request \"path\"")?),
        status,
        media_type,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cli_dump_gives_method_path_status_media_type_and_body() {
        let dump = b"HTTP/2.0 201 Created\r\nContent-Length: 2\r\nContent-Type: application/vnd.atlas.2023-01-01+json;charset=utf-8\r\n\r\n{}";
        let r = cli_recording(
            Path::new("x"),
            "POST_api_atlas_v2_orgs_a1_liveMigrations_linkTokens_2.snaphost",
            dump,
        )
        .unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(
            r.path,
            RequestPath::Mangled("api_atlas_v2_orgs_a1_liveMigrations_linkTokens".into())
        );
        assert_eq!(r.status, 201);
        assert_eq!(r.media_type.as_deref(), Some("application/vnd.atlas.2023-01-01+json"));
        assert_eq!(r.body, b"{}");
        let bare = cli_recording(
            Path::new("x"),
            "DELETE_api_x_1.snaphost",
            b"HTTP/2.0 204 No Content\n\n",
        )
        .unwrap();
        assert_eq!((bare.status, bare.media_type, bare.body.len()), (204, None, 0));
        assert!(cli_recording(Path::new("x"), "GET_a_1.snaphost", b"garbage").is_err());
        assert!(cli_recording(Path::new("x"), "GET_a_1.snaphost", b"HTTP/2.0 OK\n\n").is_err());
    }

    #[test]
    fn our_format_reads_json_and_base64_bodies() {
        let doc = br#"{"format":"atlas-admin-recording/1","request":{"method":"get","path":"/api/atlas/v2/groups/x"},
            "response":{"status":200,"headers":{"Content-Type":"application/vnd.atlas.2023-01-01+json"},"body":{"a":1}}}"#;
        let r = our_recording(Path::new("x.json"), doc).unwrap();
        assert_eq!((r.method.as_str(), r.status), ("GET", 200));
        assert_eq!(r.path, RequestPath::Exact("/api/atlas/v2/groups/x".into()));
        assert_eq!(r.body, br#"{"a":1}"#);
        let gz = br#"{"format":"atlas-admin-recording/1","request":{"method":"GET","path":"/l"},
            "response":{"status":200,"headers":{},"bodyBase64":"aGk="}}"#;
        assert_eq!(our_recording(Path::new("x.json"), gz).unwrap().body, b"hi");
        assert!(our_recording(Path::new("x.json"), br#"{"a":1}"#)
            .unwrap_err()
            .contains("not a recording"));
    }
}
