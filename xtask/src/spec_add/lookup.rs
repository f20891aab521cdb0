//! Finding an operation of a spec by its operationId, and the closest
//! ones when there is none.

use crate::methods::operations_of;
use serde_json::Value;

/// Where an operation lives in a spec.
pub(super) fn find_op<'a>(spec: &'a Value, id: &str) -> Option<(String, &'static str, &'a Value)> {
    operations_of(spec)
        .into_iter()
        .find(|o| o.op.get("operationId").and_then(Value::as_str) == Some(id))
        .map(|o| (o.path.to_string(), o.method, o.op))
}

fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.to_lowercase().chars().collect(), b.to_lowercase().chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The three operationIds of `spec` closest to `id`.
pub(super) fn closest(spec: &Value, id: &str) -> Vec<String> {
    let mut all: Vec<(usize, String)> = operations_of(spec)
        .into_iter()
        .filter_map(|o| o.op.get("operationId").and_then(Value::as_str))
        .map(|o| (levenshtein(id, o), o.to_string()))
        .collect();
    all.sort();
    all.into_iter().take(3).map(|(_, o)| o).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names() {
        assert_eq!(levenshtein("getGroupClustr", "getGroupCluster"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
    }
}
