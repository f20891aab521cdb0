//! One JSON value held against one schema of the spec: every place where
//! the value contradicts what the schema claims, located in both.

use crate::json::{ptr, resolve};
use atlas_codegen::MAX_REF_DEPTH;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What kind of contradiction, as `spec verify` counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    UndocumentedStatus,
    UndocumentedMediaType,
    RequiredAbsent,
    UnknownProperty,
    EnumValueNotListed,
    TypeMismatch,
    FormatMismatch,
    NullNotNullable,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::UndocumentedStatus,
        Kind::UndocumentedMediaType,
        Kind::RequiredAbsent,
        Kind::UnknownProperty,
        Kind::EnumValueNotListed,
        Kind::TypeMismatch,
        Kind::FormatMismatch,
        Kind::NullNotNullable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::UndocumentedStatus => "undocumented-status",
            Kind::UndocumentedMediaType => "undocumented-media-type",
            Kind::RequiredAbsent => "required-absent",
            Kind::UnknownProperty => "unknown-property",
            Kind::EnumValueNotListed => "enum-value-not-listed",
            Kind::TypeMismatch => "type-mismatch",
            Kind::FormatMismatch => "format-mismatch",
            Kind::NullNotNullable => "null-not-nullable",
        }
    }
}

/// One contradiction: the spec's claim (a JSON pointer into the spec) and
/// where the value breaks it (a JSON pointer into the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    pub kind: Kind,
    pub spec: String,
    pub at: String,
    pub detail: String,
}

/// Every contradiction of `value` (at `at` in its document) with the schema
/// `node` (at `schema_at` in `doc`), appended to `out`.
pub fn check(doc: &Value, node: &Value, schema_at: &str, value: &Value, at: &str, out: &mut Vec<Contradiction>) {
    check_at(doc, node, schema_at.to_string(), value, at, out, 0);
}

fn add(out: &mut Vec<Contradiction>, kind: Kind, spec: &str, at: &str, detail: String) {
    out.push(Contradiction {
        kind,
        spec: spec.to_string(),
        at: at.to_string(),
        detail,
    });
}

fn check_at(
    doc: &Value,
    node: &Value,
    schema_at: String,
    value: &Value,
    at: &str,
    out: &mut Vec<Contradiction>,
    depth: usize,
) {
    if depth > MAX_REF_DEPTH {
        return;
    }
    let (node, sat) = resolve(doc, node, schema_at);
    if let Some(subtype) = subtype_by_discriminator(doc, node, &sat, value) {
        return check_at(doc, subtype.0, subtype.1, value, at, out, depth + 1);
    }
    if value.is_null() {
        if !nullable(doc, node, &sat, depth) && constrains(node) {
            add(
                out,
                Kind::NullNotNullable,
                &sat,
                at,
                "null where the schema is not nullable".into(),
            );
        }
        return;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = node.get(key).and_then(Value::as_array) {
            return best_variant(doc, variants, &format!("{sat}/{key}"), value, at, out, depth);
        }
    }
    if let Some(listed) = node.get("enum").and_then(Value::as_array) {
        if !listed.contains(value) {
            add(
                out,
                Kind::EnumValueNotListed,
                &format!("{sat}/enum"),
                at,
                format!("{} is not one of the {} values listed", short(value), listed.len()),
            );
        }
    }
    let ty = node.get("type").and_then(Value::as_str);
    let objectish = ty == Some("object") || node.get("properties").is_some() || node.get("allOf").is_some();
    match ty {
        Some("string") if !value.is_string() => type_mismatch(out, &sat, at, "a string", value),
        Some("boolean") if !value.is_boolean() => type_mismatch(out, &sat, at, "a boolean", value),
        Some("number") if !value.is_number() => type_mismatch(out, &sat, at, "a number", value),
        Some("integer") => integer(node, &sat, value, at, out),
        Some("array") => match value.as_array() {
            Some(items) => {
                if let Some(item) = node.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        let item_at = format!("{at}/{i}");
                        check_at(doc, item, format!("{sat}/items"), v, &item_at, out, depth + 1);
                    }
                }
            }
            None => type_mismatch(out, &sat, at, "an array", value),
        },
        _ if objectish => match value.as_object() {
            Some(map) => object(doc, node, &sat, map, at, out, depth),
            None => type_mismatch(out, &sat, at, "an object", value),
        },
        _ => {}
    }
}

/// Whether a schema says anything a `null` could break (an empty schema
/// takes any value).
fn constrains(node: &Value) -> bool {
    ["type", "properties", "allOf", "oneOf", "anyOf", "enum", "items"]
        .iter()
        .any(|k| node.get(k).is_some())
}

/// `nullable: true` here or on an `allOf` part.
fn nullable(doc: &Value, node: &Value, sat: &str, depth: usize) -> bool {
    if node.get("nullable").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    depth < MAX_REF_DEPTH
        && node.get("allOf").and_then(Value::as_array).is_some_and(|parts| {
            parts.iter().enumerate().any(|(i, p)| {
                let (p, pat) = resolve(doc, p, format!("{sat}/allOf/{i}"));
                nullable(doc, p, &pat, depth + 1)
            })
        })
}

fn type_mismatch(out: &mut Vec<Contradiction>, sat: &str, at: &str, wanted: &str, value: &Value) {
    add(
        out,
        Kind::TypeMismatch,
        &format!("{sat}/type"),
        at,
        format!("{} where the schema wants {wanted}", kind_of(value)),
    );
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An enum value or number, shown short; any other value by its kind only
/// (an answer can hold secrets).
fn short(value: &Value) -> String {
    match value {
        Value::String(s) if s.len() <= 64 => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => kind_of(other).to_string(),
    }
}

/// `integer`: a whole number (not `30.0`), within its `format`.
fn integer(node: &Value, sat: &str, value: &Value, at: &str, out: &mut Vec<Contradiction>) {
    let Some(n) = value.as_number() else {
        return type_mismatch(out, sat, at, "an integer", value);
    };
    if n.is_f64() {
        let f = n.as_f64().unwrap_or(f64::NAN);
        if f.fract() == 0.0 && f.is_finite() {
            add(
                out,
                Kind::FormatMismatch,
                &format!("{sat}/type"),
                at,
                format!("the integer {n} is written as a fraction"),
            );
        } else {
            type_mismatch(out, sat, at, "an integer", value);
        }
        return;
    }
    let format = node.get("format").and_then(Value::as_str);
    let fits = match format {
        Some("int32") => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        Some("int64") => n.as_i64().is_some(),
        _ => true,
    };
    if !fits {
        add(
            out,
            Kind::FormatMismatch,
            &format!("{sat}/format"),
            at,
            format!("{n} does not fit {}", format.unwrap_or_default()),
        );
    }
}

/// `allOf` flattened (as the generator does), then each property checked,
/// each required one looked for, and each unknown one reported (unless
/// `additionalProperties` allows it).
fn object(
    doc: &Value,
    node: &Value,
    sat: &str,
    map: &serde_json::Map<String, Value>,
    at: &str,
    out: &mut Vec<Contradiction>,
    depth: usize,
) {
    let mut shape = Shape::default();
    shape.gather(doc, node, sat.to_string(), depth);
    for (name, required_at) in &shape.required {
        if !map.contains_key(name) {
            add(
                out,
                Kind::RequiredAbsent,
                required_at,
                &ptr(at, &[name]),
                format!("required property {name:?} is absent"),
            );
        }
    }
    for (key, v) in map {
        let vat = ptr(at, &[key]);
        if let Some((pnode, pat)) = shape.properties.get(key) {
            check_at(doc, pnode, pat.clone(), v, &vat, out, depth + 1);
            continue;
        }
        match &shape.additional {
            Some((Value::Bool(true), _)) => {}
            Some((extra, eat)) if extra.is_object() => check_at(doc, extra, eat.clone(), v, &vat, out, depth + 1),
            _ if shape.open => {}
            _ => add(
                out,
                Kind::UnknownProperty,
                &format!("{sat}/properties"),
                &vat,
                format!("property {key:?} is not in the schema"),
            ),
        }
    }
}

/// An object schema with its `allOf` parts merged.
#[derive(Default)]
struct Shape<'a> {
    properties: BTreeMap<String, (&'a Value, String)>,
    /// Each required name, with the pointer of the `required` list naming it.
    required: BTreeMap<String, String>,
    additional: Option<(&'a Value, String)>,
    /// A part with a `oneOf`/`anyOf` (or no properties at all): what it
    /// allows is not known here, so unknown properties are not reported.
    open: bool,
}

impl<'a> Shape<'a> {
    fn gather(&mut self, doc: &'a Value, node: &'a Value, at: String, depth: usize) {
        if depth > MAX_REF_DEPTH {
            return;
        }
        let (node, at) = resolve(doc, node, at);
        if let Some(p) = node.get("properties").and_then(Value::as_object) {
            for (k, v) in p {
                self.properties
                    .entry(k.clone())
                    .or_insert_with(|| (v, ptr(&at, &["properties", k])));
            }
        }
        if let Some(r) = node.get("required").and_then(Value::as_array) {
            let seen: BTreeSet<&str> = self.required.keys().map(String::as_str).collect();
            let new: Vec<(String, usize)> = r
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((v.as_str()?.to_string(), i)))
                .filter(|(name, _)| !seen.contains(name.as_str()))
                .collect();
            for (name, i) in new {
                self.required.insert(name, format!("{at}/required/{i}"));
            }
        }
        if let Some(extra) = node.get("additionalProperties") {
            self.additional
                .get_or_insert((extra, format!("{at}/additionalProperties")));
        }
        if node.get("oneOf").is_some() || node.get("anyOf").is_some() {
            self.open = true;
        }
        if let Some(parts) = node.get("allOf").and_then(Value::as_array) {
            for (i, part) in parts.iter().enumerate() {
                self.gather(doc, part, format!("{at}/allOf/{i}"), depth + 1);
            }
        }
    }
}

/// A base schema whose `discriminator.mapping` names another schema for
/// this value's tag: that schema (never the base itself again).
fn subtype_by_discriminator<'a>(doc: &'a Value, node: &Value, sat: &str, value: &Value) -> Option<(&'a Value, String)> {
    // A `oneOf` with a discriminator is chosen among by best_variant.
    if node.get("oneOf").is_some() || node.get("anyOf").is_some() {
        return None;
    }
    let d = node.get("discriminator")?;
    let property = d.get("propertyName")?.as_str()?;
    let tag = value.get(property)?.as_str()?;
    let target = d.get("mapping")?.get(tag)?.as_str()?.strip_prefix('#')?;
    if target == sat {
        return None;
    }
    Some((doc.pointer(target)?, target.to_string()))
}

/// A `oneOf`/`anyOf`: the variant the discriminator names, else the one
/// the value contradicts least (the first of equals).
fn best_variant(
    doc: &Value,
    variants: &[Value],
    vat: &str,
    value: &Value,
    at: &str,
    out: &mut Vec<Contradiction>,
    depth: usize,
) {
    let mut best: Option<Vec<Contradiction>> = None;
    for (i, variant) in variants.iter().enumerate() {
        let mut found = Vec::new();
        check_at(doc, variant, format!("{vat}/{i}"), value, at, &mut found, depth + 1);
        if best.as_ref().is_none_or(|b| found.len() < b.len()) {
            best = Some(found);
        }
    }
    out.extend(best.unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kinds(schema: Value, value: Value) -> Vec<(Kind, String, String)> {
        let doc = json!({ "components": { "schemas": {
            "Role": { "type": "string", "enum": ["A", "B"] },
            "Thing": schema,
        }}});
        let mut out = Vec::new();
        check(
            &doc,
            &doc["components"]["schemas"]["Thing"],
            "/components/schemas/Thing",
            &value,
            "",
            &mut out,
        );
        out.into_iter().map(|c| (c.kind, c.spec, c.at)).collect()
    }

    #[test]
    fn each_kind_is_found_and_located_in_both_documents() {
        let schema = json!({
            "type": "object", "required": ["id", "size"],
            "properties": {
                "id": { "type": "string" },
                "size": { "type": "integer", "format": "int32" },
                "count": { "type": "integer" },
                "role": { "$ref": "#/components/schemas/Role" },
                "tags": { "type": "array", "items": { "type": "string" } },
                "note": { "type": "string", "nullable": true },
                "name": { "type": "string" }
            }
        });
        let found = kinds(
            schema,
            json!({"size": 3000000000u64, "count": 30.0, "role": "C", "tags": ["a", 1], "note": null, "name": null, "extra": 1}),
        );
        let t = "/components/schemas/Thing";
        assert_eq!(
            found,
            vec![
                (Kind::RequiredAbsent, format!("{t}/required/0"), "/id".into()),
                (
                    Kind::FormatMismatch,
                    format!("{t}/properties/count/type"),
                    "/count".into()
                ),
                (Kind::UnknownProperty, format!("{t}/properties"), "/extra".into()),
                (Kind::NullNotNullable, format!("{t}/properties/name"), "/name".into()),
                (
                    Kind::EnumValueNotListed,
                    "/components/schemas/Role/enum".into(),
                    "/role".into()
                ),
                (
                    Kind::FormatMismatch,
                    format!("{t}/properties/size/format"),
                    "/size".into()
                ),
                (
                    Kind::TypeMismatch,
                    format!("{t}/properties/tags/items/type"),
                    "/tags/1".into()
                ),
            ]
        );
    }

    #[test]
    fn all_of_parts_merge_and_one_of_takes_the_closest_variant() {
        let merged = json!({ "allOf": [
            { "type": "object", "properties": { "a": { "type": "string" } }, "required": ["a"] },
            { "type": "object", "properties": { "b": { "type": "string" } } }
        ]});
        assert_eq!(kinds(merged.clone(), json!({"a": "x", "b": "y"})), vec![]);
        assert_eq!(kinds(merged, json!({"b": "y"}))[0].0, Kind::RequiredAbsent);
        let either = json!({ "oneOf": [
            { "type": "object", "properties": { "a": { "type": "string" } }, "required": ["a"] },
            { "type": "object", "properties": { "b": { "type": "integer" } }, "required": ["b"] }
        ]});
        assert_eq!(kinds(either.clone(), json!({"b": 1})), vec![]);
        let closest = kinds(either, json!({"b": "1"}));
        assert_eq!(closest.len(), 1, "{closest:?}");
        assert_eq!(closest[0].0, Kind::TypeMismatch);
        let open = json!({ "type": "object", "additionalProperties": { "type": "integer" } });
        assert_eq!(kinds(open, json!({"x": "no"}))[0].0, Kind::TypeMismatch);
    }
}
