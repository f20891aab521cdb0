//! Where an answer can hold a write-only field (`writeOnly`: a database
//! user's `password`). Atlas never answers with one, and neither does the
//! fake: its answers merge what a request sent, so it drops these paths
//! from every answer it builds, and the samples and examples the generator
//! gives it leave them out ([`strip`]).
//!
//! But for a field named as one of the call's path parameters: Atlas
//! answers that one back whatever the spec says (a database user's
//! `groupId` is `writeOnly` in MongoDB's spec, and in every recorded
//! answer), and the fake carries it into its items as Atlas does.

use crate::model::type_ref::{walk, Fold, Inner, Scalar};
use crate::model::{Tag, TypeDef};
use serde_json::Value;
use std::collections::BTreeMap;

/// The step of a path that stands for every item of a list or value of a
/// map.
pub(crate) const EACH: &str = "*";

/// Settles [`Version::write_only`](crate::model::Version::write_only) from
/// each version's response type.
pub(crate) fn settle(tags: &mut [Tag], types: &BTreeMap<String, TypeDef>) {
    let mut memo = BTreeMap::new();
    for op in tags.iter_mut().flat_map(|t| &mut t.operations) {
        let params: Vec<&str> = op.path_params.iter().map(|p| p.name.as_str()).collect();
        for v in &mut op.versions {
            let Some(t) = &v.response else { continue };
            let mut paths = walk(
                t,
                &mut Paths {
                    types,
                    memo: &mut memo,
                    stack: Vec::new(),
                    cut: false,
                },
            );
            paths.retain(|p| p.last().is_none_or(|name| !params.contains(&name.as_str())));
            v.write_only = paths;
        }
    }
}

/// `doc` without the values at `paths` (a step of [`EACH`] goes into every
/// item of an array or value of an object).
pub(crate) fn strip(doc: &mut Value, paths: &[Vec<String>]) {
    for path in paths {
        strip_path(doc, path);
    }
}

fn strip_path(doc: &mut Value, path: &[String]) {
    let Some((step, rest)) = path.split_first() else {
        return;
    };
    match (doc, step.as_str()) {
        (Value::Array(items), EACH) => items.iter_mut().for_each(|v| strip_path(v, rest)),
        (Value::Object(map), EACH) => map.values_mut().for_each(|v| strip_path(v, rest)),
        (Value::Object(map), name) if rest.is_empty() => {
            map.remove(name);
        }
        (Value::Object(map), name) => {
            if let Some(v) = map.get_mut(name) {
                strip_path(v, rest);
            }
        }
        (Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Array(_), _) => {}
    }
}

/// The write-only paths below a type, relative to it: each named type's
/// once (unless a cycle cut it short, which the memo then does not keep).
struct Paths<'t, 'm> {
    types: &'t BTreeMap<String, TypeDef>,
    memo: &'m mut BTreeMap<String, Vec<Vec<String>>>,
    /// The named types being walked, outermost first.
    stack: Vec<&'t str>,
    /// A type on `stack` was met again below the current one.
    cut: bool,
}

impl<'t> Paths<'t, '_> {
    fn of_named(&mut self, name: &'t str) -> Vec<Vec<String>> {
        if let Some(known) = self.memo.get(name) {
            return known.clone();
        }
        if self.stack.contains(&name) {
            self.cut = true;
            return Vec::new();
        }
        let Some(def) = self.types.get(name) else {
            return Vec::new();
        };
        self.stack.push(name);
        let outer_cut = std::mem::replace(&mut self.cut, false);
        let mut out = Vec::new();
        match def {
            TypeDef::Struct(s) => {
                for f in &s.fields {
                    if f.write_only {
                        out.push(vec![f.name.clone()]);
                    } else {
                        out.extend(prefixed(&f.name, walk(&f.ty, self)));
                    }
                }
            }
            // A union's document is its variant's.
            TypeDef::OneOf(o) => {
                for v in &o.variants {
                    out.extend(walk(&v.ty, self));
                }
            }
            TypeDef::Alias(a) => out = walk(&a.target, self),
            TypeDef::Enum(_) => {}
        }
        out.sort();
        out.dedup();
        self.stack.pop();
        if !self.cut {
            self.memo.insert(name.to_string(), out.clone());
        }
        self.cut |= outer_cut;
        out
    }
}

fn prefixed(step: &str, paths: Vec<Vec<String>>) -> impl Iterator<Item = Vec<String>> + '_ {
    paths.into_iter().map(move |mut p| {
        p.insert(0, step.to_string());
        p
    })
}

impl<'t> Fold<'t> for Paths<'t, '_> {
    type Out = Vec<Vec<String>>;
    fn scalar(&mut self, _: Scalar) -> Self::Out {
        Vec::new()
    }
    fn named(&mut self, name: &'t str) -> Self::Out {
        self.of_named(name)
    }
    fn list(&mut self, item: Inner<'t>) -> Self::Out {
        prefixed(EACH, item.fold(self)).collect()
    }
    fn map(&mut self, value: Inner<'t>) -> Self::Out {
        prefixed(EACH, value.fold(self)).collect()
    }
    fn boxed(&mut self, inner: Inner<'t>) -> Self::Out {
        inner.fold(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse;
    use crate::lower::lower;
    use serde_json::json;

    /// A page of users: each item's `password`, and the nested settings'
    /// `region`; a recursive type ends the walk; `groupId`, the call's path
    /// parameter, is answered.
    #[test]
    fn an_answer_lists_its_write_only_paths_and_strip_removes_them() {
        let spec = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/groups/{groupId}/users:
    get:
      operationId: listUsers
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
      tags: [Users]
      responses:
        "200":
          description: ok
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {$ref: "#/components/schemas/Page"}
components:
  schemas:
    Page:
      type: object
      properties:
        results: {type: array, items: {$ref: "#/components/schemas/User"}}
    User:
      type: object
      properties:
        name: {type: string}
        groupId: {type: string, writeOnly: true}
        password: {type: string, writeOnly: true}
        settings: {$ref: "#/components/schemas/Settings"}
        manager: {$ref: "#/components/schemas/User"}
    Settings:
      type: object
      properties:
        region: {type: string, writeOnly: true}
        size: {type: string}
"##;
        let api = lower(&parse(spec).unwrap()).unwrap();
        let paths = &api.tags[0].operations[0].versions[0].write_only;
        let want: Vec<Vec<String>> = [
            vec!["results", "*", "password"],
            vec!["results", "*", "settings", "region"],
        ]
        .iter()
        .map(|p| p.iter().map(|s| s.to_string()).collect())
        .collect();
        assert_eq!(paths, &want);
        let mut doc = json!({"results": [
            {"name": "a", "groupId": "g", "password": "p1", "settings": {"region": "r", "size": "s"}},
            {"name": "b", "password": "p2"}
        ]});
        strip(&mut doc, paths);
        assert_eq!(
            doc,
            json!({"results": [{"name": "a", "groupId": "g", "settings": {"size": "s"}}, {"name": "b"}]})
        );
    }
}
