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
use atlas_admin_recordings::folder::files;
use atlas_admin_recordings::{read, Recording, RequestPath};
use std::path::{Path, PathBuf};

/// One recorded answer, ready to serve.
#[derive(Debug, Clone)]
pub(super) struct Tape {
    rec: Recording,
    /// (seconds of the CLI's `Date` header, or 0 for ours; the recording's
    /// own number).
    order: (u64, u64),
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
    let mut tapes = files(dir)?
        .iter()
        .map(|file| read(file).map(tape))
        .collect::<Result<Vec<Tape>, String>>()?;
    in_recorded_order(&mut tapes);
    Ok(tapes)
}

fn in_recorded_order(tapes: &mut [Tape]) {
    tapes.sort_by(|a, b| (a.order, &a.rec.file).cmp(&(b.order, &b.rec.file)));
}

/// A recording with its place in the recorded order: ours by their
/// number, the CLI's by their `Date` header, then their counter.
fn tape(rec: Recording) -> Tape {
    let date = match rec.path {
        RequestPath::Exact(_) => 0,
        RequestPath::Mangled(_) => rec
            .header("date")
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs()),
    };
    let order = (date, rec.sequence);
    Tape { rec, order }
}

impl Tape {
    fn serves(&self, method: &str, path: &str) -> bool {
        self.rec.method == method && self.rec.path.is(path)
    }

    fn answer(&self) -> Answer {
        let content_type = self.rec.header("content-type").unwrap_or("application/json");
        let mut answer = Answer::bytes(self.rec.status, content_type, self.rec.body.clone());
        answer.headers.extend(
            self.rec
                .headers
                .iter()
                .filter(|(k, _)| k != "content-type" && !NOT_REPLAYED.contains(&k.as_str()))
                .cloned(),
        );
        answer
    }

    /// How alike this recording's request is to `method path` (higher is
    /// closer): the same method first, then the length of the path they share.
    fn likeness(&self, method: &str, path: &str) -> (bool, usize) {
        let (mine, theirs) = self.rec.path.alongside(path);
        let shared = mine.bytes().zip(theirs.bytes()).take_while(|(a, b)| a == b).count();
        (self.rec.method == method, shared)
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
                let t = &self.tapes[i].rec;
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
            .map(|i| self.tapes[i].rec.file.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use atlas_admin_recordings::recording::from_bytes;

    fn cli_tape(file: &str, bytes: &[u8]) -> Tape {
        tape(from_bytes(Path::new(file), bytes).unwrap())
    }

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
            "a/GET_api_atlas_v2_groups_g1_flexClusters_c1_1.snaphost",
            dump("Mon, 10 Aug 2026 03:03:15 GMT", "404 Not Found", "{}").as_bytes(),
        );
        let first = cli_tape(
            "b/GET_api_atlas_v2_groups_g1_flexClusters_c1_1.snaphost",
            dump("Mon, 10 Aug 2026 03:03:03 GMT", "200 OK", r#"{"name":"c1"}"#).as_bytes(),
        );
        // In name order the later answer comes first: the Date decides.
        let mut tapes = vec![second, first];
        in_recorded_order(&mut tapes);
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
    }
}
