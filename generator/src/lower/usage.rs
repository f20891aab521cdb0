//! Decisions about named types, from how operations use them: which derive
//! `Default` (every required field can be defaulted), which cargo features
//! compile them (the tags whose operations reach them), and which are sent,
//! received or both (so only the serde impls that are used are written
//! out), and which file holds each (a tag's own models file when one tag
//! alone uses it) with the `#[cfg]` its items carry there.

use crate::model::type_ref::{walk, Fold, Inner, Scalar, TypeRef};
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
            let home = match &gate {
                Gate::Features(t) if t.len() == 1 => t.first().cloned(),
                Gate::Features(_) | Gate::Always | Gate::Full => None,
            };
            let usage = TypeUsage {
                derive_default: defaults.contains(name),
                item_gate: home.is_none().then(|| gate.clone()),
                home,
                gate,
                sent: sent.contains(name),
                received: received.contains(name),
            };
            (name.clone(), usage)
        })
        .collect()
}

/// Settles [`Tag::has_own_models`]: some type's home is the tag's file.
pub(crate) fn settle_own_models(tags: &mut [Tag], usage: &BTreeMap<String, TypeUsage>) {
    let homes: BTreeSet<&str> = usage.values().filter_map(|u| u.home.as_deref()).collect();
    for tag in tags {
        tag.has_own_models = homes.contains(tag.module.as_str());
    }
}

/// Whether a value of the type has a `Default` (given the named types
/// that have one): a scalar, list or map always does.
struct HasDefault<'s> {
    set: &'s BTreeSet<String>,
}

impl<'t> Fold<'t> for HasDefault<'_> {
    type Out = bool;
    fn scalar(&mut self, _: Scalar) -> bool {
        true
    }
    fn named(&mut self, name: &'t str) -> bool {
        self.set.contains(name)
    }
    fn list(&mut self, _: Inner<'t>) -> bool {
        true
    }
    fn map(&mut self, _: Inner<'t>) -> bool {
        true
    }
    fn boxed(&mut self, inner: Inner<'t>) -> bool {
        inner.fold(self)
    }
}

/// Names of the types that can derive `Default` (all required fields can).
fn defaultable(types: &BTreeMap<String, TypeDef>) -> BTreeSet<String> {
    let ok = |t: &TypeRef, set: &BTreeSet<String>| walk(t, &mut HasDefault { set });
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
        let Some(n) = t.named() else { continue };
        if seen.insert(n.to_string()) {
            todo.extend(types.get(n).into_iter().flat_map(TypeDef::type_refs));
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
        let Some(n) = t.named() else { return };
        if out.entry(n.to_string()).or_default().insert(tag.to_string()) {
            for inner in types.get(n).into_iter().flat_map(TypeDef::type_refs) {
                visit(inner, tag, types, out);
            }
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

#[cfg(test)]
mod tests {
    use crate::load::parse;
    use crate::lower::lower;

    /// A type reached only inside a map of lists of a response is found
    /// through the walk: its one tag's file holds it, decoded (not sent),
    /// and the other tag's type stays out of that file.
    #[test]
    fn a_type_reached_through_a_map_of_lists_is_used_by_its_tag() {
        let spec = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/a:
    get:
      operationId: getA
      tags: [Alpha]
      responses:
        "200":
          description: ok
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {$ref: "#/components/schemas/Outer"}
  /api/atlas/v2/b:
    get:
      operationId: getB
      tags: [Beta]
      responses:
        "200":
          description: ok
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {type: object, properties: {n: {type: integer}}}
components:
  schemas:
    Outer:
      type: object
      properties:
        byName:
          type: object
          additionalProperties:
            type: array
            items: {$ref: "#/components/schemas/Inner"}
    Inner:
      type: object
      properties:
        id: {type: string}
"##;
        let api = lower(&parse(spec).unwrap()).unwrap();
        let inner = &api.usage["Inner"];
        assert_eq!(inner.home.as_deref(), Some("alpha"), "{inner:?}");
        assert_eq!(inner.item_gate, None);
        assert!(inner.received && !inner.sent, "{inner:?}");
        let alpha = api.tags.iter().find(|t| t.module == "alpha").unwrap();
        let beta = api.tags.iter().find(|t| t.module == "beta").unwrap();
        assert!(alpha.has_own_models && alpha.uses_models);
        assert!(beta.has_own_models && beta.uses_models);
        let beta_own: Vec<&String> = api
            .usage
            .iter()
            .filter(|(_, u)| u.home.as_deref() == Some("beta"))
            .map(|(n, _)| n)
            .collect();
        assert_eq!(beta_own.len(), 1, "{beta_own:?}");
        assert_ne!(beta_own[0], "Inner");
    }
}
