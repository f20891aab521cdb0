//! Replaying recorded answers (`FakeAtlasBuilder::replay`): the files that
//! `ClientBuilder::record_to` writes, or the Atlas CLI's recording folders
//! (`<METHOD>_<path>_<n>.snaphost`, an HTTP dump per answer). Each request
//! gets the first answer not yet used that was recorded for its method and
//! path (the query is not compared), in the order the answers were
//! recorded: our files by their number, the CLI's by their `Date` header,
//! then their counter. A request with none left gets 501
//! `NO_RECORDING_LEFT`, naming the closest recordings.

use super::answer::Answer;
use super::wire::RecordedRequest;
use std::path::{Path, PathBuf};

/// How a recording names its request's path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PathKey {
    Exact(String),
    /// The CLI's file-name form: no leading `/`, each `/` and `:` as `_`.
    Mangled(String),
}

/// One recorded answer, ready to serve.
#[derive(Debug, Clone)]
pub(super) struct Tape {
    file: PathBuf,
    method: String,
    path: PathKey,
    /// (seconds of the `Date` header or 0, the recording's own counter).
    order: (u64, u64),
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Headers of a recorded answer that describe that exchange, not the
/// answer: never replayed.
const NOT_REPLAYED: [&str; 6] = [
    "content-length",
    "date",
    "transfer-encoding",
    "connection",
    "content-encoding",
    "keep-alive",
];

/// Every recording below `dir`, in the order they were recorded.
pub(super) fn load(dir: &Path) -> Result<Vec<Tape>, String> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let mut tapes = Vec::with_capacity(files.len());
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let tape = if name.ends_with(".snaphost") {
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            cli_tape(&file, &name, &bytes)?
        } else {
            our_tape(&file, &name)?
        };
        tapes.push(tape);
    }
    tapes.sort_by(|a, b| (a.order, &a.file).cmp(&(b.order, &b.file)));
    Ok(tapes)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && (name.ends_with(".snaphost") || name.ends_with(".json")) {
            out.push(path);
        }
    }
    Ok(())
}

fn our_tape(file: &Path, name: &str) -> Result<Tape, String> {
    let r = crate::features::record::read(file)?;
    let seq = name.split('-').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    Ok(Tape {
        file: r.file,
        method: r.method.to_ascii_uppercase(),
        path: PathKey::Exact(r.path),
        order: (0, seq),
        status: r.status,
        headers: r.headers,
        body: r.body,
    })
}

/// `HTTP/2.0 200 OK`, headers, an empty line, the body.
fn cli_tape(file: &Path, name: &str, bytes: &[u8]) -> Result<Tape, String> {
    let bad = |why: &str| format!("{}: {why}", file.display());
    let stem = name.trim_end_matches(".snaphost");
    let (method, rest) = stem
        .split_once('_')
        .ok_or_else(|| bad("not <METHOD>_<path>_<n>.snaphost"))?;
    let (mangled, n) = match rest.rsplit_once('_') {
        Some((p, n)) if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() => (p, n.parse().unwrap_or(0)),
        _ => (rest, 0),
    };
    let split = (0..bytes.len().saturating_sub(1))
        .find_map(|i| {
            if bytes[i..].starts_with(b"\r\n\r\n") {
                Some((i, i + 4))
            } else if bytes[i..].starts_with(b"\n\n") {
                Some((i, i + 2))
            } else {
                None
            }
        })
        .ok_or_else(|| bad("no empty line after the headers"))?;
    let head = std::str::from_utf8(&bytes[..split.0]).map_err(|_| bad("the head is not UTF-8"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| bad("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let date = headers
        .iter()
        .find(|(k, _)| k == "date")
        .and_then(|(_, v)| httpdate::parse_http_date(v).ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    Ok(Tape {
        file: file.to_path_buf(),
        method: method.to_ascii_uppercase(),
        path: PathKey::Mangled(mangled.to_string()),
        order: (date, n),
        status,
        headers,
        body: bytes[split.1..].to_vec(),
    })
}

/// The CLI's name for a path.
fn mangle(path: &str) -> String {
    path.trim_start_matches('/').replace(['/', ':'], "_")
}

impl Tape {
    fn serves(&self, method: &str, path: &str) -> bool {
        self.method == method
            && match &self.path {
                PathKey::Exact(p) => p == path,
                PathKey::Mangled(m) => *m == mangle(path),
            }
    }

    fn answer(&self) -> Answer {
        let content_type = self
            .headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map_or("application/json", |(_, v)| v.as_str());
        let mut answer = Answer::bytes(self.status, content_type, self.body.clone());
        answer.headers.extend(
            self.headers
                .iter()
                .filter(|(k, _)| k != "content-type" && !NOT_REPLAYED.contains(&k.as_str()))
                .cloned(),
        );
        answer
    }

    /// How alike this recording's request is to `method path` (higher is
    /// closer): the same method first, then the length of the path they share.
    fn likeness(&self, method: &str, path: &str) -> (bool, usize) {
        let (mine, theirs) = match &self.path {
            PathKey::Exact(p) => (p.clone(), path.to_string()),
            PathKey::Mangled(m) => (m.clone(), mangle(path)),
        };
        let shared = mine.bytes().zip(theirs.bytes()).take_while(|(a, b)| a == b).count();
        (self.method == method, shared)
    }
}

/// Which recordings have been served.
#[derive(Debug, Default)]
pub(super) struct Replay {
    pub(super) tapes: std::sync::Arc<Vec<Tape>>,
    used: Vec<bool>,
}

impl Replay {
    pub(super) fn new(tapes: std::sync::Arc<Vec<Tape>>) -> Replay {
        let used = vec![false; tapes.len()];
        Replay { tapes, used }
    }

    /// The next recorded answer for `r`, or 501 naming the closest.
    pub(super) fn answer(&mut self, r: &RecordedRequest) -> Answer {
        let next = (0..self.tapes.len()).find(|&i| !self.used[i] && self.tapes[i].serves(&r.method, &r.path));
        if let Some(i) = next {
            self.used[i] = true;
            return self.tapes[i].answer();
        }
        Answer::error(501, "NO_RECORDING_LEFT", &self.closest(&r.method, &r.path))
    }

    fn closest(&self, method: &str, path: &str) -> String {
        let mut ranked: Vec<usize> = (0..self.tapes.len()).collect();
        ranked.sort_by_key(|&i| std::cmp::Reverse(self.tapes[i].likeness(method, path)));
        let names: Vec<String> = ranked
            .iter()
            .take(3)
            .map(|&i| {
                let t = &self.tapes[i];
                let used = if self.used[i] { ", used" } else { "" };
                format!("{} ({} {}{used})", t.file.display(), t.method, t.status)
            })
            .collect();
        format!(
            "No recording is left for {method} {path}. Closest: {}",
            if names.is_empty() {
                "none (the folder is empty)".to_string()
            } else {
                names.join("; ")
            }
        )
    }

    /// Recordings never served, in recorded order.
    pub(super) fn unused(&self) -> Vec<PathBuf> {
        (0..self.tapes.len())
            .filter(|&i| !self.used[i])
            .map(|i| self.tapes[i].file.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, path: &str) -> RecordedRequest {
        RecordedRequest {
            method: method.into(),
            path: path.into(),
            query: None,
            headers: Vec::new(),
            body: Vec::new(),
            operation: None,
        }
    }

    #[test]
    fn cli_dumps_replay_in_date_order_each_once_then_name_the_closest() {
        let dump = |date: &str, status: &str, body: &str| {
            format!("HTTP/2.0 {status}\r\nDate: {date}\r\nContent-Type: application/vnd.atlas.2024-11-13+json\r\nX-Java-Method: x\r\n\r\n{body}")
        };
        let second = cli_tape(
            Path::new("b/GET_api_atlas_v2_groups_g1_flexClusters_c1_1.snaphost"),
            "GET_api_atlas_v2_groups_g1_flexClusters_c1_1.snaphost",
            dump("Mon, 10 Aug 2026 03:03:15 GMT", "404 Not Found", "{}").as_bytes(),
        )
        .unwrap();
        let first = cli_tape(
            Path::new("a/GET_api_atlas_v2_groups_g1_flexClusters_c1_1.snaphost"),
            "GET_api_atlas_v2_groups_g1_flexClusters_c1_1.snaphost",
            dump("Mon, 10 Aug 2026 03:03:03 GMT", "200 OK", r#"{"name":"c1"}"#).as_bytes(),
        )
        .unwrap();
        let mut tapes = vec![second, first];
        tapes.sort_by(|a, b| (a.order, &a.file).cmp(&(b.order, &b.file)));
        let mut replay = Replay::new(std::sync::Arc::new(tapes));
        let get = request("GET", "/api/atlas/v2/groups/g1/flexClusters/c1");
        let a = replay.answer(&get);
        assert_eq!((a.status, a.raw.as_deref()), (200, Some(&br#"{"name":"c1"}"#[..])));
        assert!(a.headers.iter().any(|(k, _)| k == "x-java-method"));
        assert!(!a.headers.iter().any(|(k, _)| k == "date"));
        assert_eq!(replay.unused().len(), 1);
        assert_eq!(replay.answer(&get).status, 404);
        let none = replay.answer(&get);
        assert_eq!(none.status, 501);
        let detail = none.body.unwrap()["detail"].as_str().unwrap().to_string();
        assert!(
            detail.contains("No recording is left for GET /api/atlas/v2/groups/g1/flexClusters/c1"),
            "{detail}"
        );
        assert!(
            detail.contains("GET_api_atlas_v2_groups_g1_flexClusters_c1_1.snaphost (GET 200, used)"),
            "{detail}"
        );
        assert!(replay.unused().is_empty());
        assert!(cli_tape(Path::new("x"), "GET_x_1.snaphost", b"no head").is_err());
    }
}
