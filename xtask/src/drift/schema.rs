//! Schemas compared structurally, in the direction they travel: what we
//! send must still be accepted, what we decode must still decode.

use super::{ptr, resolve, Cx, Severity, MAX_DEPTH};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Which way a schema travels: we send requests and decode responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    Request,
    Response,
}

/// `allOf` flattened: the properties and required names of every part.
fn flatten(
    doc: &Value,
    node: &Value,
    at: &str,
    props: &mut BTreeMap<String, (Value, String)>,
    required: &mut BTreeSet<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let (node, at) = resolve(doc, node, at.to_string());
    if let Some(p) = node.get("properties").and_then(Value::as_object) {
        for (k, v) in p {
            props
                .entry(k.clone())
                .or_insert_with(|| (v.clone(), ptr(&at, &["properties", k])));
        }
    }
    if let Some(r) = node.get("required").and_then(Value::as_array) {
        required.extend(r.iter().filter_map(Value::as_str).map(str::to_string));
    }
    if let Some(parts) = node.get("allOf").and_then(Value::as_array) {
        for (i, part) in parts.iter().enumerate() {
            flatten(doc, part, &format!("{at}/allOf/{i}"), props, required, depth + 1);
        }
    }
}

fn type_of(node: &Value) -> Option<&str> {
    node.get("type").and_then(Value::as_str)
}

fn enum_of(node: &Value) -> Option<BTreeSet<String>> {
    node.get("enum").and_then(Value::as_array).map(|a| {
        a.iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect()
    })
}

pub(super) fn flag(node: &Value, key: &str) -> bool {
    node.get(key).and_then(Value::as_bool).unwrap_or(false)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn schema(
    cx: &mut Cx<'_>,
    ours: &Value,
    up: &Value,
    oa: String,
    ua: String,
    dir: Dir,
    depth: usize,
    seen: &mut BTreeSet<(String, String)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let (o, oa) = resolve(cx.ours, ours, oa);
    let (u, ua) = resolve(cx.up, up, ua);
    if !seen.insert((oa.clone(), ua.clone())) {
        return;
    }
    let (o, u) = (o.clone(), u.clone());
    let sending = dir == Dir::Request;
    let breaking_if = |b: bool| if b { Severity::Breaking } else { Severity::Informational };
    match (type_of(&o), type_of(&u)) {
        (Some(a), Some(b)) if a != b => {
            cx.add(
                Severity::Breaking,
                "type-changed",
                &oa,
                &ua,
                format!("type is {a} here and {b} upstream"),
            );
            return;
        }
        _ => {}
    }
    if flag(&o, "nullable") != flag(&u, "nullable") {
        // Decoding breaks when a value we expect may now be null; sending
        // breaks when we may send a null it refuses.
        let breaking = if sending {
            flag(&o, "nullable")
        } else {
            flag(&u, "nullable")
        };
        cx.add(
            breaking_if(breaking),
            "nullable-changed",
            &oa,
            &ua,
            format!(
                "nullable is {} here and {} upstream",
                flag(&o, "nullable"),
                flag(&u, "nullable")
            ),
        );
    }
    if let (Some(a), Some(b)) = (
        o.get("pattern").and_then(Value::as_str),
        u.get("pattern").and_then(Value::as_str),
    ) {
        if a != b {
            cx.add(
                breaking_if(sending),
                "pattern-changed",
                &oa,
                &ua,
                format!("pattern {a:?} here, {b:?} upstream"),
            );
        }
    }
    if let (Some(a), Some(b)) = (enum_of(&o), enum_of(&u)) {
        let removed: Vec<&String> = a.difference(&b).collect();
        let added: Vec<&String> = b.difference(&a).collect();
        if !removed.is_empty() {
            cx.add(
                breaking_if(sending),
                "enum-value-removed",
                &oa,
                &ua,
                format!("values the published spec no longer lists: {removed:?}"),
            );
        }
        if !added.is_empty() {
            cx.add(
                Severity::Informational,
                "enum-value-added",
                &oa,
                &ua,
                format!("new values: {added:?}"),
            );
        }
    }
    if let (Some(oi), Some(ui)) = (o.get("items"), u.get("items")) {
        schema(
            cx,
            oi,
            ui,
            format!("{oa}/items"),
            format!("{ua}/items"),
            dir,
            depth + 1,
            seen,
        );
    }
    if let (Some(oi), Some(ui)) = (o.get("additionalProperties"), u.get("additionalProperties")) {
        if oi.is_object() && ui.is_object() {
            let (oap, uap) = (
                format!("{oa}/additionalProperties"),
                format!("{ua}/additionalProperties"),
            );
            schema(cx, oi, ui, oap, uap, dir, depth + 1, seen);
        }
    }
    for key in ["oneOf", "anyOf"] {
        let (a, b) = (
            o.get(key).and_then(Value::as_array),
            u.get(key).and_then(Value::as_array),
        );
        if let (Some(a), Some(b)) = (a, b) {
            if a.len() != b.len() {
                cx.add(
                    Severity::Informational,
                    "variants-changed",
                    &oa,
                    &ua,
                    format!("{key} has {} variants here and {} upstream", a.len(), b.len()),
                );
            }
        }
    }
    let (mut op, mut oreq, mut up, mut ureq) = (BTreeMap::new(), BTreeSet::new(), BTreeMap::new(), BTreeSet::new());
    flatten(cx.ours, &o, &oa, &mut op, &mut oreq, 0);
    flatten(cx.up, &u, &ua, &mut up, &mut ureq, 0);
    for (name, (ov, opa)) in &op {
        match up.get(name) {
            None => {
                let breaking = sending || oreq.contains(name);
                let why = if sending {
                    "we would send a field it does not know"
                } else {
                    "we decode it"
                };
                cx.add(
                    breaking_if(breaking),
                    "property-removed",
                    opa,
                    &ua,
                    format!("the published spec has no property {name:?} ({why})"),
                );
            }
            Some((uv, upa)) => {
                if sending && ureq.contains(name) && !oreq.contains(name) {
                    cx.add(
                        Severity::Breaking,
                        "property-became-required",
                        opa,
                        upa,
                        format!("{name:?} is now required"),
                    );
                }
                if !sending && oreq.contains(name) && !ureq.contains(name) {
                    cx.add(
                        Severity::Breaking,
                        "property-became-optional",
                        opa,
                        upa,
                        format!("{name:?} is required here but optional upstream: decoding fails when it is absent"),
                    );
                }
                let (ovr, uvr) = (
                    resolve(cx.ours, ov, opa.clone()).0.clone(),
                    resolve(cx.up, uv, upa.clone()).0.clone(),
                );
                for key in ["readOnly", "writeOnly"] {
                    if flag(&ovr, key) != flag(&uvr, key) {
                        cx.add(
                            Severity::Informational,
                            "access-changed",
                            opa,
                            upa,
                            format!(
                                "{name:?}: {key} is {} here and {} upstream",
                                flag(&ovr, key),
                                flag(&uvr, key)
                            ),
                        );
                    }
                }
                schema(cx, ov, uv, opa.clone(), upa.clone(), dir, depth + 1, seen);
            }
        }
    }
    for (name, (_, upa)) in &up {
        if op.contains_key(name) {
            continue;
        }
        let required = ureq.contains(name);
        let (severity, kind) = if sending && required {
            (Severity::Breaking, "required-property-missing")
        } else {
            (Severity::Informational, "property-added")
        };
        cx.add(
            severity,
            kind,
            &oa,
            upa,
            format!(
                "the published spec has {} property {name:?}",
                if required { "a required" } else { "an optional" }
            ),
        );
    }
}
