//! `cargo xtask spec drift`: how our spec differs from MongoDB's published
//! one, operation by operation, in structure (after resolving `$ref`s;
//! component names may differ). Prose, operationIds, tags and examples are
//! ours and are not compared.
//!
//! Each finding is classed:
//! - **breaking**: our client would send or decode wrongly (a version we
//!   call is gone or past its sunset; a type, pattern or required flag
//!   changed; a request field became required; an enum value we send was
//!   removed; a response field we require became optional);
//! - **informational**: a newer version, a new optional field, parameter,
//!   enum value or status, a sunset date within the warning window;
//! - **absent**: an operation the published spec does not have (the Cloud
//!   Manager v1.0 ones); never an error.

mod operations;
mod schema;

use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::Path;

const METHODS: [&str; 8] = ["get", "put", "post", "patch", "delete", "head", "options", "trace"];
pub(crate) const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Breaking,
    Informational,
    Absent,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Informational => "informational",
            Severity::Absent => "absent",
        }
    }
}

/// One difference, located in both documents by JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `METHOD /path`.
    pub operation: String,
    /// The media type of the version concerned, if one is.
    pub version: Option<String>,
    pub severity: Severity,
    pub kind: &'static str,
    pub ours: String,
    pub upstream: String,
    pub detail: String,
}

impl Finding {
    pub fn to_json(&self) -> Value {
        json!({
            "operation": self.operation,
            "version": self.version,
            "severity": self.severity.as_str(),
            "kind": self.kind,
            "ours": self.ours,
            "upstream": self.upstream,
            "detail": self.detail,
        })
    }
}

/// Reads a YAML (or JSON) document.
pub fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))
}

/// Today as days since 1970-01-01 (UTC), by the system clock.
pub fn today() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i64)
}

/// `YYYY-MM-DD` as days since 1970-01-01.
pub fn day_of(date: &str) -> Option<i64> {
    let mut p = date.trim().splitn(3, '-');
    let (y, m, d): (i64, i64, i64) = (
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
        p.next()?.get(..2)?.parse().ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    Some(era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468)
}

pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

pub(crate) fn ptr(base: &str, tokens: &[&str]) -> String {
    let mut out = base.to_string();
    for t in tokens {
        out.push('/');
        out.push_str(&escape(t));
    }
    out
}

/// A node with its pointer, `$ref`s followed (at most [`MAX_DEPTH`] links).
pub(crate) fn resolve<'a>(doc: &'a Value, mut node: &'a Value, mut at: String) -> (&'a Value, String) {
    for _ in 0..MAX_DEPTH {
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

/// The settings of one comparison.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Days since the epoch that count as today.
    pub today: i64,
    /// A sunset within this many days is reported.
    pub sunset_within: i64,
}

pub(super) struct Cx<'a> {
    pub(super) ours: &'a Value,
    pub(super) up: &'a Value,
    pub(super) opts: Options,
    pub(super) out: Vec<Finding>,
    pub(super) operation: String,
    pub(super) version: Option<String>,
}

impl Cx<'_> {
    pub(super) fn add(&mut self, severity: Severity, kind: &'static str, ours: &str, upstream: &str, detail: String) {
        self.out.push(Finding {
            operation: self.operation.clone(),
            version: self.version.clone(),
            severity,
            kind,
            ours: ours.to_string(),
            upstream: upstream.to_string(),
            detail,
        });
    }
}

/// Every difference between `ours` and `upstream`, operation by operation.
pub fn drift(ours: &Value, upstream: &Value, opts: Options) -> Vec<Finding> {
    let mut cx = Cx {
        ours,
        up: upstream,
        opts,
        out: Vec::new(),
        operation: String::new(),
        version: None,
    };
    let empty = serde_json::Map::new();
    let paths = ours.get("paths").and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = paths.keys().collect();
    keys.sort();
    for path in keys {
        for method in METHODS {
            let Some(op) = paths[path].get(method) else { continue };
            cx.operation = format!("{} {path}", method.to_uppercase());
            cx.version = None;
            let optr = ptr("", &["paths", path, method]);
            let up_op = upstream
                .get("paths")
                .and_then(|p| p.get(path))
                .and_then(|i| i.get(method));
            match up_op {
                None => cx.add(
                    Severity::Absent,
                    "operation-not-upstream",
                    &optr,
                    "",
                    "the published spec has no such operation (Cloud Manager v1.0 operations are described from its documentation)".into(),
                ),
                Some(up_op) => operations::operation(&mut cx, path, op, up_op, &optr),
            }
        }
    }
    cx.out
}

/// The text report: one line per finding, breaking first, then a count.
pub fn render_text(findings: &[Finding]) -> String {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by(|a, b| (a.severity, &a.operation).cmp(&(b.severity, &b.operation)));
    let mut out = String::new();
    for f in &sorted {
        let _ = writeln!(
            out,
            "{:<13} {:<26} {} {}: {}\n              ours: {}  upstream: {}",
            f.severity.as_str(),
            f.kind,
            f.operation,
            f.version.as_deref().unwrap_or("-"),
            f.detail,
            if f.ours.is_empty() { "-" } else { &f.ours },
            if f.upstream.is_empty() { "-" } else { &f.upstream },
        );
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{} breaking, {} informational, {} operations not in the published spec",
        count(Severity::Breaking),
        count(Severity::Informational),
        count(Severity::Absent)
    );
    out
}

/// The exit status: 0 with no breaking findings, 1 with some (with
/// `strict`, informational ones count too).
pub fn exit_code(findings: &[Finding], strict: bool) -> u8 {
    let failing = findings.iter().any(|f| match f.severity {
        Severity::Breaking => true,
        Severity::Informational => strict,
        Severity::Absent => false,
    });
    u8::from(failing)
}

/// `spec drift` as the command line runs it: the report and the exit status
/// (2 when a file cannot be read or parsed).
pub fn run(ours: &Path, upstream: &Path, json: bool, strict: bool, sunset_within: i64) -> (u8, String) {
    let (o, u) = match (load(ours), load(upstream)) {
        (Ok(o), Ok(u)) => (o, u),
        (Err(e), _) | (_, Err(e)) => return (2, format!("error: {e}\n")),
    };
    let findings = drift(
        &o,
        &u,
        Options {
            today: today(),
            sunset_within,
        },
    );
    let report = if json {
        let all: Vec<Value> = findings.iter().map(Finding::to_json).collect();
        serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
    } else {
        render_text(&findings)
    };
    (exit_code(&findings, strict), report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(day_of("1970-01-01"), Some(0));
        assert_eq!(day_of("2000-03-01"), Some(11_017));
        assert_eq!(day_of("bad"), None);
        assert_eq!(
            operations::date_of_media("application/vnd.atlas.2024-08-05+json"),
            Some("2024-08-05")
        );
        assert_eq!(operations::date_of_media("application/vnd.atlas.preview+json"), None);
    }
}
