//! One comparison under way: both documents, its settings, the operation
//! and version being compared, and the findings so far.

use super::finding::{Finding, Severity};
use serde_json::Value;

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
