//! Answers a test sets for one operation, or one version of it: a body (with
//! the documented status), a whole [`Answer`], or a queue of them.

use super::answer::Answer;
use super::spec::Operation;
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};

/// One answer a test set.
#[derive(Debug, Clone)]
pub(super) enum Steered {
    /// This body, with the version's documented status.
    Body(Value),
    /// This answer as it is (any status, an error document, ...).
    Answer(Answer),
}

/// Queues of set answers, by operation id and (optionally) version.
#[derive(Debug, Clone, Default)]
pub(super) struct Steering {
    queues: BTreeMap<(String, Option<String>), VecDeque<Steered>>,
}

impl Steering {
    /// Replaces what `operation_id` (or just its `version`) answers.
    pub(super) fn set(&mut self, operation_id: &str, version: Option<&str>, answers: Vec<Steered>) {
        let key = (operation_id.to_string(), version.map(str::to_string));
        if answers.is_empty() {
            self.queues.remove(&key);
        } else {
            self.queues.insert(key, answers.into());
        }
    }

    /// The next set answer for a call of `operation_id` at `version` (a
    /// version's own queue first). The last answer of a queue stays.
    pub(super) fn next(&mut self, operation_id: &str, version: &str, media_type: &str) -> Option<Steered> {
        let own = [version, media_type]
            .into_iter()
            .map(|v| (operation_id.to_string(), Some(v.to_string())))
            .find(|k| self.queues.contains_key(k));
        let key = own.unwrap_or_else(|| (operation_id.to_string(), None));
        let queue = self.queues.get_mut(&key)?;
        if queue.len() > 1 {
            queue.pop_front()
        } else {
            queue.front().cloned()
        }
    }
}

/// Panics (a mistake in the test, not input) unless `operation_id` is an
/// operation of the spec and `version`, if given, one it serves.
pub(super) fn check_known(operations: &[&'static Operation], operation_id: &str, version: Option<&str>) {
    let Some(op) = operations.iter().find(|o| o.operation_id == operation_id) else {
        let mut near: Vec<&str> = operations
            .iter()
            .map(|o| o.operation_id)
            .filter(|id| id.to_ascii_lowercase().contains(&operation_id.to_ascii_lowercase()))
            .collect();
        near.truncate(5);
        panic!("the fake serves no operation {operation_id:?} (similar: {near:?})");
    };
    if let Some(v) = version {
        let served: Vec<&str> = op.versions.iter().map(|x| x.label).collect();
        assert!(
            op.versions.iter().any(|x| x.media_type == v || x.label == v),
            "{operation_id} serves no version {v:?}; it serves {served:?}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_ends_on_its_last_answer_and_a_version_queue_comes_first() {
        let mut s = Steering::default();
        let body = |n: i64| Steered::Body(Value::from(n));
        s.set("getThing", None, vec![body(1), body(2)]);
        s.set("getThing", Some("2024-01-01"), vec![body(9)]);
        let v = |s: &mut Steering, version: &str| match s.next("getThing", version, "") {
            Some(Steered::Body(b)) => b.as_i64(),
            _ => None,
        };
        assert_eq!(v(&mut s, "2023-01-01"), Some(1));
        assert_eq!(v(&mut s, "2023-01-01"), Some(2));
        assert_eq!(v(&mut s, "2023-01-01"), Some(2));
        assert_eq!(v(&mut s, "2024-01-01"), Some(9));
        assert!(s.next("other", "2023-01-01", "").is_none());
    }
}
