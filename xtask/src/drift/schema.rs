//! Schemas compared structurally, in the direction they travel: what we
//! send must still be accepted, what we decode must still decode.

use super::context::Cx;
use super::finding::Severity;
use crate::json::{ptr, resolve};
use atlas_codegen::MAX_REF_DEPTH;
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
    if depth > MAX_REF_DEPTH {
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

/// One schema pair being compared: ours and upstream's, resolved, with
/// their pointers.
struct Pair<'v> {
    o: &'v Value,
    u: &'v Value,
    oa: &'v str,
    ua: &'v str,
    dir: Dir,
    /// Ours departs from upstream on the evidence of recorded answers
    /// (`x-evidence` on our node, saying which): a departure here is
    /// informational, never breaking.
    evidence: bool,
}

impl Pair<'_> {
    fn sending(&self) -> bool {
        self.dir == Dir::Request
    }

    /// `breaking_if(b)`, unless our node gives its evidence.
    fn breaking_if(&self, b: bool) -> Severity {
        breaking_if(b && !self.evidence)
    }
}

fn breaking_if(b: bool) -> Severity {
    if b {
        Severity::Breaking
    } else {
        Severity::Informational
    }
}

/// Compares `ours` (at `oa`) with `up` (at `ua`) and everything below them.
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
    if depth > MAX_REF_DEPTH {
        return;
    }
    let (o, oa) = resolve(cx.ours, ours, oa);
    let (u, ua) = resolve(cx.up, up, ua);
    if !seen.insert((oa.clone(), ua.clone())) {
        return;
    }
    let (o, u) = (o.clone(), u.clone());
    let pair = Pair {
        o: &o,
        u: &u,
        oa: &oa,
        ua: &ua,
        dir,
        evidence: o.get("x-evidence").is_some(),
    };
    if !same_type(cx, &pair) {
        return;
    }
    nullable(cx, &pair);
    pattern(cx, &pair);
    enum_values(cx, &pair);
    nested(cx, &pair, depth, seen);
    properties(cx, &pair, depth, seen);
}

/// Whether both have the same `type` (or one has none); a change is
/// breaking, and nothing below it is compared.
fn same_type(cx: &mut Cx<'_>, p: &Pair<'_>) -> bool {
    match (type_of(p.o), type_of(p.u)) {
        (Some(a), Some(b)) if a != b => {
            cx.add(
                Severity::Breaking,
                "type-changed",
                p.oa,
                p.ua,
                format!("type is {a} here and {b} upstream"),
            );
            false
        }
        _ => true,
    }
}

fn nullable(cx: &mut Cx<'_>, p: &Pair<'_>) {
    let (ours, theirs) = (flag(p.o, "nullable"), flag(p.u, "nullable"));
    if ours != theirs {
        // Decoding breaks when a value we expect may now be null; sending
        // breaks when we may send a null it refuses.
        let breaking = if p.sending() { ours } else { theirs };
        cx.add(
            p.breaking_if(breaking),
            "nullable-changed",
            p.oa,
            p.ua,
            format!("nullable is {ours} here and {theirs} upstream"),
        );
    }
}

fn pattern(cx: &mut Cx<'_>, p: &Pair<'_>) {
    let of = |v: &Value| v.get("pattern").and_then(Value::as_str).map(str::to_string);
    if let (Some(a), Some(b)) = (of(p.o), of(p.u)) {
        if a != b {
            cx.add(
                p.breaking_if(p.sending()),
                "pattern-changed",
                p.oa,
                p.ua,
                format!("pattern {a:?} here, {b:?} upstream"),
            );
        }
    }
}

fn enum_values(cx: &mut Cx<'_>, p: &Pair<'_>) {
    let (Some(a), Some(b)) = (enum_of(p.o), enum_of(p.u)) else {
        return;
    };
    let removed: Vec<&String> = a.difference(&b).collect();
    let added: Vec<&String> = b.difference(&a).collect();
    if !removed.is_empty() {
        cx.add(
            p.breaking_if(p.sending()),
            "enum-value-removed",
            p.oa,
            p.ua,
            format!("values the published spec no longer lists: {removed:?}"),
        );
    }
    if !added.is_empty() {
        cx.add(
            Severity::Informational,
            "enum-value-added",
            p.oa,
            p.ua,
            format!("new values: {added:?}"),
        );
    }
}

/// Array items and map values, compared in turn; the number of `oneOf` and
/// `anyOf` variants.
fn nested(cx: &mut Cx<'_>, p: &Pair<'_>, depth: usize, seen: &mut BTreeSet<(String, String)>) {
    if let (Some(oi), Some(ui)) = (p.o.get("items"), p.u.get("items")) {
        let (oap, uap) = (format!("{}/items", p.oa), format!("{}/items", p.ua));
        schema(cx, oi, ui, oap, uap, p.dir, depth + 1, seen);
    }
    if let (Some(oi), Some(ui)) = (p.o.get("additionalProperties"), p.u.get("additionalProperties")) {
        if oi.is_object() && ui.is_object() {
            let (oap, uap) = (
                format!("{}/additionalProperties", p.oa),
                format!("{}/additionalProperties", p.ua),
            );
            schema(cx, oi, ui, oap, uap, p.dir, depth + 1, seen);
        }
    }
    for key in ["oneOf", "anyOf"] {
        let (a, b) = (
            p.o.get(key).and_then(Value::as_array),
            p.u.get(key).and_then(Value::as_array),
        );
        if let (Some(a), Some(b)) = (a, b) {
            if a.len() != b.len() {
                cx.add(
                    Severity::Informational,
                    "variants-changed",
                    p.oa,
                    p.ua,
                    format!("{key} has {} variants here and {} upstream", a.len(), b.len()),
                );
            }
        }
    }
}

/// The properties of both (`allOf` flattened): ours against theirs, then
/// the ones only upstream has.
fn properties(cx: &mut Cx<'_>, p: &Pair<'_>, depth: usize, seen: &mut BTreeSet<(String, String)>) {
    let (mut op, mut oreq, mut up, mut ureq) = (BTreeMap::new(), BTreeSet::new(), BTreeMap::new(), BTreeSet::new());
    flatten(cx.ours, p.o, p.oa, &mut op, &mut oreq, 0);
    flatten(cx.up, p.u, p.ua, &mut up, &mut ureq, 0);
    let sending = p.sending();
    for (name, (ov, opa)) in &op {
        let Some((uv, upa)) = up.get(name) else {
            // A read-only field is never sent.
            let read_only = flag(resolve(cx.ours, ov, opa.clone()).0, "readOnly");
            let breaking = (sending && !read_only) || (!sending && oreq.contains(name));
            let why = if sending {
                "we would send a field it does not know"
            } else {
                "we decode it"
            };
            cx.add(
                breaking_if(breaking),
                "property-removed",
                opa,
                p.ua,
                format!("the published spec has no property {name:?} ({why})"),
            );
            continue;
        };
        let required = (oreq.contains(name), ureq.contains(name));
        property(cx, p, name, (ov, opa), (uv, upa), required);
        schema(cx, ov, uv, opa.clone(), upa.clone(), p.dir, depth + 1, seen);
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
            p.oa,
            upa,
            format!(
                "the published spec has {} property {name:?}",
                if required { "a required" } else { "an optional" }
            ),
        );
    }
}

/// A property both have: whether it became required (sending) or optional
/// (decoding), and its `readOnly`/`writeOnly`. `required`: (ours, theirs).
fn property(
    cx: &mut Cx<'_>,
    p: &Pair<'_>,
    name: &str,
    (ov, opa): (&Value, &String),
    (uv, upa): (&Value, &String),
    required: (bool, bool),
) {
    if p.sending() && required.1 && !required.0 {
        cx.add(
            Severity::Breaking,
            "property-became-required",
            opa,
            upa,
            format!("{name:?} is now required"),
        );
    }
    if !p.sending() && required.0 && !required.1 {
        cx.add(
            Severity::Breaking,
            "property-became-optional",
            opa,
            upa,
            format!("{name:?} is required here but optional upstream: decoding fails when it is absent"),
        );
    }
    let (ovr, uvr) = (resolve(cx.ours, ov, opa.clone()).0, resolve(cx.up, uv, upa.clone()).0);
    for key in ["readOnly", "writeOnly"] {
        let (ours, theirs) = (flag(ovr, key), flag(uvr, key));
        if ours != theirs {
            cx.add(
                Severity::Informational,
                "access-changed",
                opa,
                upa,
                format!("{name:?}: {key} is {ours} here and {theirs} upstream"),
            );
        }
    }
}
