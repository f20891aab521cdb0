//! Decisions about named types, from how operations use them: which derive
//! `Default` (every required field can be defaulted), which cargo features
//! compile them (the tags whose operations reach them), and which are sent,
//! received or both (so only the serde impls that are used are written out). Which file holds
//! a type follows from its gate (`TypeUsage::home`: a tag's own models file
//! when one tag alone uses it).

use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// Every named type's [`TypeUsage`].
pub(crate) fn usage(tags: &[Tag], types: &BTreeMap<String, TypeDef>) -> BTreeMap<String, TypeUsage> {
    let defaults = defaultable(types);
    let mut used_by = tags_of_types(tags, types);
    // A type no operation uses gets both impls, so what it reaches does too.
    let unused: Vec<TypeRef> = types
        .keys()
        .filter(|n| !used_by.contains_key(*n))
        .map(|n| TypeRef::Named(n.clone()))
        .collect();
    let sent = reached(tags, types, &unused, Direction::Sent);
    let received = reached(tags, types, &unused, Direction::Received);
    types
        .keys()
        .map(|name| {
            let gate = match used_by.remove(name) {
                Some(t) if t.len() == tags.len() => Gate::Always,
                Some(t) => Gate::Features(t.into_iter().collect()),
                None => Gate::Full,
            };
            let usage = TypeUsage {
                derive_default: defaults.contains(name),
                gate,
                sent: sent.contains(name),
                received: received.contains(name),
            };
            (name.clone(), usage)
        })
        .collect()
}

/// Names of the types that can derive `Default` (all required fields can).
fn defaultable(types: &BTreeMap<String, TypeDef>) -> BTreeSet<String> {
    fn ok(t: &TypeRef, set: &BTreeSet<String>) -> bool {
        match t {
            TypeRef::Named(n) => set.contains(n),
            TypeRef::Boxed(inner) => ok(inner, set),
            _ => true,
        }
    }
    let mut set = BTreeSet::new();
    loop {
        let before = set.len();
        for (name, def) in types {
            let yes = match def {
                TypeDef::Struct(s) => s
                    .fields
                    .iter()
                    .all(|f| f.presence != Presence::Required || ok(&f.ty, &set)),
                TypeDef::Alias(_) | TypeDef::Enum(_) | TypeDef::OneOf(_) => false,
            };
            if yes {
                set.insert(name.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Sent,
    Received,
}

/// The types each operation uses directly in one direction: parameters,
/// request bodies and what a waiter reads are encoded, response bodies
/// decoded.
fn op_types_in(op: &Operation, direction: Direction) -> Vec<&TypeRef> {
    match direction {
        // A waiter reads the GET's answer as JSON to match it: that type is
        // encoded too.
        Direction::Sent => op
            .path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params)
            .map(|p| &p.ty)
            .chain(op.versions.iter().flat_map(|v| v.request.iter().map(|b| &b.ty)))
            .chain(op.watcher.iter().flat_map(|w| w.get_response.iter()))
            // ... and so is the call's own answer, where the waiter takes
            // the GET's arguments from it (`body:$.id`).
            .chain(
                op.watcher
                    .iter()
                    .flat_map(|_| op.versions.iter().flat_map(|v| v.response.iter())),
            )
            .collect(),
        Direction::Received => op.versions.iter().flat_map(|v| v.response.iter()).collect(),
    }
}

/// Every named type reached (through fields, variants and aliases) from
/// what operations send, or from what they receive, or from `also`.
fn reached<'a>(
    tags: &'a [Tag],
    types: &'a BTreeMap<String, TypeDef>,
    also: &'a [TypeRef],
    direction: Direction,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&TypeRef> = tags
        .iter()
        .flat_map(|t| &t.operations)
        .flat_map(|op| op_types_in(op, direction))
        .chain(also)
        .collect();
    while let Some(t) = todo.pop() {
        match t {
            TypeRef::Named(n) => {
                if !seen.insert(n.clone()) {
                    continue;
                }
                match types.get(n) {
                    Some(TypeDef::Struct(s)) => todo.extend(s.fields.iter().map(|f| &f.ty)),
                    Some(TypeDef::OneOf(o)) => todo.extend(o.variants.iter().map(|v| &v.ty)),
                    Some(TypeDef::Alias(a)) => todo.push(&a.target),
                    Some(TypeDef::Enum(_)) | None => {}
                }
            }
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Boxed(i) => todo.push(i),
            _ => {}
        }
    }
    seen
}

/// The types each operation uses directly.
fn op_types(op: &Operation) -> Vec<&TypeRef> {
    let params = op
        .path_params
        .iter()
        .chain(&op.query_params)
        .chain(&op.header_params)
        .map(|p| &p.ty);
    let bodies = op
        .versions
        .iter()
        .flat_map(|v| v.request.iter().map(|b| &b.ty).chain(v.response.iter()));
    params.chain(bodies).collect()
}

/// For each named type, the tag modules whose operations reach it.
fn tags_of_types(tags: &[Tag], types: &BTreeMap<String, TypeDef>) -> BTreeMap<String, BTreeSet<String>> {
    fn visit(t: &TypeRef, tag: &str, types: &BTreeMap<String, TypeDef>, out: &mut BTreeMap<String, BTreeSet<String>>) {
        match t {
            TypeRef::Named(n) => {
                if !out.entry(n.clone()).or_default().insert(tag.to_string()) {
                    return;
                }
                match types.get(n) {
                    Some(TypeDef::Struct(s)) => s.fields.iter().for_each(|f| visit(&f.ty, tag, types, out)),
                    Some(TypeDef::OneOf(o)) => o.variants.iter().for_each(|v| visit(&v.ty, tag, types, out)),
                    Some(TypeDef::Alias(a)) => visit(&a.target, tag, types, out),
                    Some(TypeDef::Enum(_)) | None => {}
                }
            }
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Boxed(i) => visit(i, tag, types, out),
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for tag in tags {
        for op in &tag.operations {
            for t in op_types(op) {
                visit(t, &tag.module, types, &mut out);
            }
        }
    }
    out
}
