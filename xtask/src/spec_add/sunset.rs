//! Versions past their sunset: Atlas answers them 410 `VERSION_GONE`, so
//! `spec add` leaves them out unless asked (`--with-sunset`). A version is
//! gone on its sunset day, as `spec drift` counts it (`sunset-passed`).

use atlas_admin_recordings::dates::day_of;
use serde_json::Value;
use std::collections::BTreeMap;

/// The media types of `op` whose `x-sunset`, on any response's content, is
/// on or before `today` (days since 1970-01-01), with that date.
pub fn gone(op: &Value, today: i64) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let responses = op.get("responses").and_then(Value::as_object).into_iter().flatten();
    for (_, response) in responses {
        let content = response.get("content").and_then(Value::as_object).into_iter().flatten();
        for (media, entry) in content {
            let Some(date) = entry.get("x-sunset").and_then(Value::as_str) else {
                continue;
            };
            if day_of(date).is_some_and(|day| day <= today) {
                out.insert(media.clone(), date.to_string());
            }
        }
    }
    out
}

/// `op` without the media types `gone` names, in its request body and in
/// every response; a content left empty goes too.
pub fn without(op: &Value, gone: &BTreeMap<String, String>) -> Value {
    let mut op = op.clone();
    let mut contents: Vec<&mut Value> = Vec::new();
    if let Some(obj) = op.as_object_mut() {
        for (key, value) in obj.iter_mut() {
            match key.as_str() {
                "requestBody" => contents.push(value),
                "responses" => contents.extend(value.as_object_mut().into_iter().flat_map(|r| r.values_mut())),
                _ => {}
            }
        }
    }
    for holder in contents {
        let Some(holder) = holder.as_object_mut() else { continue };
        if let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) {
            content.retain(|media, _| !gone.contains_key(media));
            if content.is_empty() {
                holder.remove("content");
            }
        }
    }
    op
}

/// Whether `op` still serves a versioned media type once `gone` is left out.
pub fn serves_a_version(op: &Value) -> bool {
    let responses = op.get("responses").and_then(Value::as_object).into_iter().flatten();
    responses
        .filter_map(|(_, r)| r.get("content").and_then(Value::as_object))
        .flat_map(|c| c.keys())
        .any(|media| media.starts_with("application/vnd.atlas."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op() -> Value {
        json!({
            "requestBody": {"content": {
                "application/vnd.atlas.2023-01-01+json": {"schema": {"type": "object"}},
                "application/vnd.atlas.2024-05-30+json": {"schema": {"type": "object"}}
            }},
            "responses": {
                "200": {"content": {
                    "application/vnd.atlas.2023-01-01+json": {"x-sunset": "2025-01-01"},
                    "application/vnd.atlas.2024-05-30+json": {"x-sunset": "2027-06-01"}
                }},
                "400": {"content": {"application/json": {}}}
            }
        })
    }

    #[test]
    fn a_version_is_gone_from_its_sunset_day_on() {
        let sunset = day_of("2025-01-01").unwrap();
        assert!(gone(&op(), sunset - 1).is_empty());
        let on_the_day = gone(&op(), sunset);
        assert_eq!(on_the_day.len(), 1);
        assert_eq!(on_the_day["application/vnd.atlas.2023-01-01+json"], "2025-01-01");
        assert_eq!(gone(&op(), day_of("2027-06-02").unwrap()).len(), 2);
    }

    #[test]
    fn a_gone_version_leaves_the_body_and_the_responses() {
        let today = day_of("2026-12-03").unwrap();
        let kept = without(&op(), &gone(&op(), today));
        assert_eq!(
            kept["requestBody"]["content"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["application/vnd.atlas.2024-05-30+json"]
        );
        assert_eq!(
            kept["responses"]["200"]["content"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["application/vnd.atlas.2024-05-30+json"]
        );
        assert!(kept["responses"]["400"]["content"]["application/json"].is_object());
        assert!(serves_a_version(&kept));
        let none = without(&op(), &gone(&op(), day_of("2030-01-01").unwrap()));
        assert!(none["responses"]["200"].get("content").is_none());
        assert!(!serves_a_version(&none));
    }
}
