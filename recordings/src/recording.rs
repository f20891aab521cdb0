//! One recorded answer to one request, whichever format holds it: a CLI
//! dump (`.snaphost`, [`crate::cli_dump`] named by [`crate::cli_name`]) or
//! one of our files ([`crate::ours`]).

use crate::cli_name::{mangle, EXTENSION};
use crate::{cli_dump, cli_name, ours};
use std::path::{Path, PathBuf};

/// How a recording names its request's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestPath {
    /// The exact path (our format).
    Exact(String),
    /// The CLI's file-name form ([`mangle`]): `/` and `:` are lost, so such
    /// a path is compared in that form.
    Mangled(String),
}

impl RequestPath {
    /// This path and a request's `path` in the same form: as they are, or
    /// both mangled. For comparing and ranking.
    pub fn alongside(&self, path: &str) -> (&str, String) {
        match self {
            RequestPath::Exact(p) => (p, path.to_string()),
            RequestPath::Mangled(m) => (m, mangle(path)),
        }
    }

    /// Whether a request to `path` (no query) is the one recorded.
    pub fn is(&self, path: &str) -> bool {
        let (mine, theirs) = self.alongside(path);
        mine == theirs
    }
}

/// One recorded answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    pub file: PathBuf,
    /// Upper case.
    pub method: String,
    pub path: RequestPath,
    /// The request's query, where the format keeps it (ours).
    pub query: Option<String>,
    /// The recording's own number: our file's, or the CLI's call counter
    /// (0 when the name has none).
    pub sequence: u64,
    pub status: u16,
    /// The answer's headers as recorded; names lower case.
    pub headers: Vec<(String, String)>,
    /// The body as sent (empty: none).
    pub body: Vec<u8>,
}

impl Recording {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The answer's media type without parameters, lower case (`None`: no
    /// `Content-Type`).
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(bare_media_type)
    }
}

/// `application/vnd.atlas.2023-02-01+json;charset=utf-8` -> without the
/// parameters, lower case.
pub fn bare_media_type(value: &str) -> String {
    value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Reads one file: a `.snaphost` as the CLI's, anything else as ours. The
/// error names the file.
pub fn read(file: &Path) -> Result<Recording, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    from_bytes(file, &bytes).map_err(|e| format!("{}: {e}", file.display()))
}

/// [`read`] of bytes already read; the error does not name the file.
pub fn from_bytes(file: &Path, bytes: &[u8]) -> Result<Recording, String> {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if name.ends_with(EXTENSION) {
        let said = cli_name::parse(name)?;
        let dump = cli_dump::parse(bytes)?;
        return Ok(Recording {
            file: file.to_path_buf(),
            method: said.method,
            path: RequestPath::Mangled(said.mangled),
            query: None,
            sequence: said.counter,
            status: dump.status,
            headers: dump.headers,
            body: dump.body,
        });
    }
    let call = ours::parse(bytes)?;
    Ok(Recording {
        file: file.to_path_buf(),
        method: call.method,
        path: RequestPath::Exact(call.path),
        query: call.query,
        sequence: ours::number_of(name).unwrap_or(0),
        status: call.status,
        headers: call.headers,
        body: call.body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn either_format_by_its_name() {
        let dump = b"HTTP/2.0 200 OK\nContent-Type: application/vnd.atlas.2024-08-05+json;charset=utf-8\n\n{}";
        let cli = from_bytes(Path::new("d/GET_api_atlas_v2_groups_g1_3.snaphost"), dump).unwrap();
        assert_eq!((cli.method.as_str(), cli.sequence, cli.status), ("GET", 3, 200));
        assert_eq!(
            cli.media_type().as_deref(),
            Some("application/vnd.atlas.2024-08-05+json")
        );
        assert!(cli.path.is("/api/atlas/v2/groups/g1"));
        assert!(!cli.path.is("/api/atlas/v2/groups/g2"));
        let doc = br#"{"format":"atlas-admin-recording/1","request":{"method":"POST","path":"/a/b:c"},
            "response":{"status":201,"headers":{"content-type":"application/json"},"body":[1]}}"#;
        let ours = from_bytes(Path::new("d/00012-make.json"), doc).unwrap();
        assert_eq!(
            (ours.sequence, ours.status, ours.body.as_slice()),
            (12, 201, &b"[1]"[..])
        );
        assert!(ours.path.is("/a/b:c") && !ours.path.is("/a/b_c"));
        assert_eq!(ours.header("Content-Type"), Some("application/json"));
        assert!(
            from_bytes(Path::new("x.snaphost"), dump).is_err(),
            "a name without a method"
        );
        assert!(read(Path::new("/nonexistent/GET_a_1.snaphost"))
            .unwrap_err()
            .contains("cannot read"));
    }
}
