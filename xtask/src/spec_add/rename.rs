//! Renaming the components a value refers to: upstream's names to ours.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// `value` with its `$ref`s (and discriminator mappings) renamed by
/// `mapping` ((section, upstream name) -> our name).
pub(super) fn rename(value: &Value, mapping: &BTreeMap<(String, String), String>) -> Value {
    let renamed = |r: &str| -> Option<Value> {
        let (section, name) = r.strip_prefix("#/components/")?.split_once('/')?;
        let to = mapping.get(&(section.to_string(), name.to_string()))?;
        Some(Value::String(format!("#/components/{section}/{to}")))
    };
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    if k == "$ref" {
                        if let Some(to) = v.as_str().and_then(renamed) {
                            return (k.clone(), to);
                        }
                    }
                    if let (true, Some(targets)) = (k == "discriminator", v.get("mapping").and_then(Value::as_object)) {
                        let mut d = rename(v, mapping);
                        let targets: Map<String, Value> = targets
                            .iter()
                            .map(|(value, t)| {
                                (value.clone(), t.as_str().and_then(renamed).unwrap_or_else(|| t.clone()))
                            })
                            .collect();
                        d["mapping"] = Value::Object(targets);
                        return (k.clone(), d);
                    }
                    (k.clone(), rename(v, mapping))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| rename(v, mapping)).collect()),
        other => other.clone(),
    }
}
