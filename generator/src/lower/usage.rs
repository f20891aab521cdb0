//! Decisions about named types, from how operations use them: which derive
//! `Default` (every required field can be defaulted), and which cargo
//! features compile them (the tags whose operations reach them).

use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// Every named type's [`TypeUsage`].
pub(crate) fn usage(tags: &[Tag], types: &BTreeMap<String, TypeDef>) -> BTreeMap<String, TypeUsage> {
    let defaults = defaultable(types);
    let mut used_by = tags_of_types(tags, types);
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
