//! The tally of a generated crate's every-operation test: the generator
//! writes `tests/every_operation.rs` into each crate, which calls every
//! operation version through the client against the fake and records each
//! outcome here. Written once here rather than printed into every crate.

use super::spec::sunset_passed;
use crate::error::Error;

/// Outcomes of one tag's calls in a generated crate's every-operation
/// test. Only that test uses it.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Report {
    passed: usize,
    failed: Vec<String>,
}

impl Report {
    /// Records the outcome of `call` (an operation version, as the test
    /// names it) of a version with this `sunset`: a version past its sunset
    /// (by today's date) must be refused with 410; every other must answer
    /// a typed `Ok`.
    pub fn record(&mut self, call: &str, sunset: Option<&str>, outcome: Result<(), Error>) {
        let gone = sunset.is_some_and(sunset_passed);
        match outcome {
            Ok(()) if !gone => self.passed += 1,
            Err(e) if gone && e.status() == Some(410) => self.passed += 1,
            Ok(()) => self.failed.push(format!("{call}: answered past its sunset")),
            Err(e) => self.failed.push(format!("{call}: {e}")),
        }
    }

    /// Prints the tally of `tag` (`EVERY_OPERATION <tag>: N passed, M
    /// failed`, which benchmarks read).
    ///
    /// # Panics
    ///
    /// When a call failed, naming each: this is the test's assertion.
    pub fn finish(self, tag: &str) {
        println!(
            "EVERY_OPERATION {tag}: {} passed, {} failed",
            self.passed,
            self.failed.len()
        );
        assert!(
            self.failed.is_empty(),
            "{tag}: {} operation versions failed:\n{}",
            self.failed.len(),
            self.failed.join("\n")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gone() -> Error {
        Error::UnsupportedVersion {
            operation: "getGroup",
            status: 410,
            error_code: "VERSION_GONE".into(),
            sent: "application/vnd.atlas.2023-01-01+json",
            detail: None,
            newer: &[],
        }
    }

    fn refused() -> Error {
        Error::InvalidParameter {
            operation: "getGroup",
            parameter: "groupId",
            reason: "too short".into(),
        }
    }

    const PAST: Option<&str> = Some("2000-01-01");
    const FUTURE: Option<&str> = Some("2999-01-01");

    #[test]
    fn a_live_version_must_answer_and_a_gone_one_must_be_refused_with_410() {
        let mut report = Report::default();
        report.record("live", None, Ok(()));
        report.record("live until later", FUTURE, Ok(()));
        report.record("gone", PAST, Err(gone()));
        assert_eq!(report.passed, 3);
        assert!(report.failed.is_empty(), "{:?}", report.failed);

        report.record("answered past sunset", PAST, Ok(()));
        report.record("refused otherwise past sunset", PAST, Err(refused()));
        report.record("failed", None, Err(refused()));
        report.record("410 while live", FUTURE, Err(gone()));
        assert_eq!(report.passed, 3);
        assert_eq!(report.failed.len(), 4);
        assert_eq!(report.failed[0], "answered past sunset: answered past its sunset");
        assert!(report.failed[1].starts_with("refused otherwise past sunset: "));
        assert!(report.failed[3].starts_with("410 while live: "));
    }

    #[test]
    fn finish_passes_when_every_call_did() {
        let mut report = Report::default();
        report.record("live", None, Ok(()));
        report.finish("clusters");
    }

    #[test]
    #[should_panic(expected = "clusters: 1 operation versions failed:\nfailed: ")]
    fn finish_fails_naming_each_failed_call() {
        let mut report = Report::default();
        report.record("live", None, Ok(()));
        report.record("failed", None, Err(refused()));
        report.finish("clusters");
    }
}
