//! `cargo xtask spec verify`: a spec held against evidence. Each recorded
//! answer is matched to its operation (method and path) and its version
//! (`Content-Type`), and every contradiction between what the spec claims
//! and what Atlas sent is reported with the recording's file and a JSON
//! pointer into the spec.

pub mod matching;
pub mod schema;

use crate::json::{load, ptr, resolve};
pub use atlas_admin_recordings::folder::read_all;
use atlas_admin_recordings::Recording;
pub use matching::Operations;
pub use schema::{Contradiction, Kind};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One contradiction found in one recording.
#[derive(Debug, Clone)]
pub struct Finding {
    pub file: PathBuf,
    /// `operationId` (version), as matched.
    pub operation: String,
    pub version: Option<String>,
    pub status: u16,
    pub contradiction: Contradiction,
}

/// What a run read and found.
#[derive(Debug, Default)]
pub struct Report {
    pub recordings: usize,
    /// Recordings matched to an operation of the spec.
    pub matched: usize,
    /// Of those, JSON bodies checked against a schema.
    pub checked: usize,
    /// Recordings no operation of the spec matches (their files).
    pub unmatched: Vec<PathBuf>,
    pub findings: Vec<Finding>,
}

impl Report {
    /// Findings per kind, every kind listed.
    pub fn counts(&self) -> BTreeMap<Kind, usize> {
        let mut counts: BTreeMap<Kind, usize> = Kind::ALL.iter().map(|k| (*k, 0)).collect();
        for f in &self.findings {
            *counts.entry(f.contradiction.kind).or_default() += 1;
        }
        counts
    }

    /// Distinct (kind, spec pointer) pairs: the claims to fix.
    pub fn distinct(&self) -> BTreeSet<(Kind, &str)> {
        self.findings
            .iter()
            .map(|f| (f.contradiction.kind, f.contradiction.spec.as_str()))
            .collect()
    }
}

/// Every recording held against `spec`.
pub fn verify(spec: &Value, recordings: &[Recording]) -> Report {
    let ops = Operations::of(spec);
    let mut report = Report {
        recordings: recordings.len(),
        ..Report::default()
    };
    for rec in recordings {
        let Some(op) = ops.find(&rec.method, &rec.path) else {
            report.unmatched.push(rec.file.clone());
            continue;
        };
        report.matched += 1;
        let mut found = Vec::new();
        let schema = answer_schema(spec, op, rec, &mut found);
        let version = rec.media_type().as_deref().and_then(version_of).map(str::to_string);
        if let (Some((node, at)), true) = (schema, is_json(rec)) {
            match serde_json::from_slice::<Value>(&rec.body) {
                Ok(body) => {
                    report.checked += 1;
                    schema::check(spec, node, &at, &body, "", &mut found);
                }
                Err(e) => found.push(Contradiction {
                    kind: Kind::TypeMismatch,
                    spec: at,
                    at: String::new(),
                    detail: format!("the body is not JSON: {e}"),
                }),
            }
        }
        report.findings.extend(found.into_iter().map(|contradiction| Finding {
            file: rec.file.clone(),
            operation: op.id.clone(),
            version: version.clone(),
            status: rec.status,
            contradiction,
        }));
    }
    report
}

/// Text from a recording (a property name, a value) shown on one line:
/// control characters escaped, so it cannot forge a line of the report.
fn inert(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

fn is_json(rec: &Recording) -> bool {
    !rec.body.is_empty() && rec.media_type().is_some_and(|m| m.ends_with("json"))
}

/// `application/vnd.atlas.2024-08-05+json` -> `2024-08-05` (or `preview`).
pub fn version_of(media: &str) -> Option<&str> {
    let rest = media.strip_prefix("application/vnd.atlas.")?;
    Some(rest.split('+').next().unwrap_or(rest))
}

/// The schema the recording's answer should follow, with its pointer;
/// an undocumented status or media type is a contradiction, and then the
/// same media type of another documented 2xx status (if any) is used, so
/// that the body is still checked.
fn answer_schema<'a>(
    spec: &'a Value,
    op: &matching::Operation,
    rec: &Recording,
    out: &mut Vec<Contradiction>,
) -> Option<(&'a Value, String)> {
    let responses_at = ptr(&op.pointer, &["responses"]);
    let responses = spec.pointer(&responses_at)?;
    let status = rec.status.to_string();
    let media = rec.media_type().unwrap_or_default();
    let documented = responses
        .get(&status)
        .map(|r| resolve(spec, r, ptr(&responses_at, &[&status])));
    let Some((response, response_at)) = documented else {
        out.push(Contradiction {
            kind: Kind::UndocumentedStatus,
            spec: responses_at.clone(),
            at: String::new(),
            detail: format!("status {status} is not documented ({})", listed(responses)),
        });
        let other = responses.as_object()?.iter().find(|(code, r)| {
            code.starts_with('2')
                && resolve(spec, r, String::new())
                    .0
                    .pointer(&ptr("/content", &[&media]))
                    .is_some()
        })?;
        let (r, rat) = resolve(spec, other.1, ptr(&responses_at, &[other.0]));
        return schema_of(r, &rat, &media);
    };
    if rec.body.is_empty() {
        return None;
    }
    if response.get("content").and_then(|c| c.get(&media)).is_none() {
        let content = response.get("content").and_then(Value::as_object);
        out.push(Contradiction {
            kind: Kind::UndocumentedMediaType,
            spec: response_at.clone(),
            at: String::new(),
            detail: match content {
                None => format!("a {media} body on status {status}, which is documented without one"),
                Some(c) => format!(
                    "{media} is not documented for status {status} ({})",
                    c.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            },
        });
        return None;
    }
    schema_of(response, &response_at, &media)
}

fn schema_of<'a>(response: &'a Value, at: &str, media: &str) -> Option<(&'a Value, String)> {
    let schema = response.get("content")?.get(media)?.get("schema")?;
    Some((schema, ptr(at, &["content", media, "schema"])))
}

fn listed(responses: &Value) -> String {
    let codes: Vec<&str> = responses
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    format!("documented: {}", codes.join(", "))
}

/// The text report: one line per finding, then the counts.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let c = &f.contradiction;
        let _ = writeln!(
            out,
            "{:<24} {} {} {}: {}{}\n    spec: {}\n    file: {}",
            c.kind.as_str(),
            f.operation,
            f.version.as_deref().unwrap_or("-"),
            f.status,
            if c.at.is_empty() {
                String::new()
            } else {
                format!("at {}: ", c.at)
            },
            inert(&c.detail),
            c.spec,
            f.file.display(),
        );
    }
    let _ = writeln!(
        out,
        "{} recordings: {} matched to an operation ({} JSON bodies checked), {} matched none",
        report.recordings,
        report.matched,
        report.checked,
        report.unmatched.len()
    );
    let distinct = report.distinct();
    for (kind, n) in report.counts() {
        let claims = distinct.iter().filter(|(k, _)| *k == kind).count();
        let _ = writeln!(
            out,
            "{:<24} {n} findings, {claims} distinct claims of the spec",
            kind.as_str()
        );
    }
    out
}

pub fn render_json(report: &Report) -> String {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "file": f.file.display().to_string(),
                "operation": f.operation,
                "version": f.version,
                "status": f.status,
                "kind": f.contradiction.kind.as_str(),
                "spec": f.contradiction.spec,
                "at": f.contradiction.at,
                "detail": f.contradiction.detail,
            })
        })
        .collect();
    let counts: serde_json::Map<String, Value> = report
        .counts()
        .into_iter()
        .map(|(k, n)| (k.as_str().to_string(), json!(n)))
        .collect();
    let doc = json!({
        "recordings": report.recordings,
        "matched": report.matched,
        "checked": report.checked,
        "unmatched": report.unmatched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "counts": counts,
        "findings": findings,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// `spec verify` as the command line runs it: the report and the exit
/// status (0: no contradiction; 1: some; 2: input that cannot be read).
pub fn run(spec: &Path, dirs: &[PathBuf], json: bool) -> (u8, String) {
    let doc = match load(spec) {
        Ok(doc) => doc,
        Err(e) => return (2, format!("error: {e}\n")),
    };
    let recordings = match read_all(dirs) {
        Ok(r) => r,
        Err(e) => return (2, format!("error: {e}\n")),
    };
    let report = verify(&doc, &recordings);
    let text = if json {
        render_json(&report)
    } else {
        render_text(&report)
    };
    (u8::from(!report.findings.is_empty()), text)
}
