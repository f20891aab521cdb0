//! What `spec drift` reports: a finding, located in both documents, and
//! how much it matters.

use serde_json::{json, Value};

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
