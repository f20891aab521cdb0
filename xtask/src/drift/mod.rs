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

mod context;
mod finding;
mod operations;
mod schema;

use context::Cx;
pub use context::Options;
pub use finding::{Finding, Severity};

use crate::json::{load, ptr};
use crate::methods::operations_of;
use atlas_admin_recordings::dates::today;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

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
    for o in operations_of(ours) {
        cx.operation = format!("{} {}", o.method.to_uppercase(), o.path);
        cx.version = None;
        let optr = ptr("", &["paths", o.path, o.method]);
        let up_op = upstream
            .get("paths")
            .and_then(|p| p.get(o.path))
            .and_then(|i| i.get(o.method));
        match up_op {
            None => cx.add(
                Severity::Absent,
                "operation-not-upstream",
                &optr,
                "",
                "the published spec has no such operation (Cloud Manager v1.0 operations are described from its documentation)".into(),
            ),
            Some(up_op) => operations::operation(&mut cx, o.path, o.op, up_op, &optr),
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
    fn dates_of_media_types() {
        assert_eq!(
            operations::date_of_media("application/vnd.atlas.2024-08-05+json"),
            Some("2024-08-05")
        );
        assert_eq!(operations::date_of_media("application/vnd.atlas.preview+json"), None);
    }
}
