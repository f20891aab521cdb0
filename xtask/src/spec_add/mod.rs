//! `cargo xtask spec add`: imports operations from MongoDB's published spec
//! into ours, with every version, parameter, response and schema they need.
//!
//! - A component that is structurally equal (prose, examples and `x-`
//!   extensions aside) to one we already have is reused, not duplicated; a
//!   name taken by a different structure gets `<Name>Upstream` (then
//!   `<Name>Upstream2`, ...).
//! - Our file is edited as text: new blocks are inserted where they belong,
//!   so its comments and formatting stay. The result must parse to exactly
//!   the intended document, or nothing is written.
//! - Adding an operation that is already there, unchanged, changes nothing;
//!   one that differs is refused unless `replace`.
//! - MongoDB's words stay upstream (`prose.rs`): descriptions, summaries,
//!   examples, changelogs and documentation links are not copied; a
//!   response's description is its status's reason phrase. Write the
//!   operations' and parameters' descriptions in our own words.
//! - A version whose sunset has passed is left out, and the report says so
//!   (`sunset.rs`), unless `with_sunset`.

//!
//! The run is here; `lookup.rs` finds operations, `reach.rs` the components
//! they need, `rename.rs` renames references, `prose.rs` leaves MongoDB's
//! words out, `shape.rs` compares structure, `splice.rs` edits the text.

mod lookup;
mod prose;
mod reach;
mod rename;
mod shape;
mod splice;
mod sunset;

pub use reach::reached;

use crate::json::ptr;
use lookup::{closest, find_op};
use prose::{without_prose, words};
use reach::{needed, refs};
use rename::rename;
use serde_json::{Map, Value};
use shape::{first_difference, same_shape, structure};
use splice::{put_components, put_operation};
use std::collections::{BTreeMap, BTreeSet};

/// What `add` did, for the report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub added: Vec<String>,
    pub unchanged: Vec<String>,
    pub reused: Vec<String>,
    pub new_components: Vec<String>,
    /// Versions left out because their sunset has passed:
    /// `<operationId> <media type> (sunset <date>)`.
    pub left_out: Vec<String>,
}

/// How `add` treats what is already there and what Atlas no longer serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Overwrite an operation of ours that differs.
    pub replace: bool,
    /// Import versions whose sunset has passed as well.
    pub with_sunset: bool,
    /// Today, as days since 1970-01-01 (`atlas_admin_recordings::dates::today()`).
    pub today: i64,
}

impl Options {
    /// Neither replacing nor importing gone versions, as of today.
    pub fn today() -> Self {
        Options {
            replace: false,
            with_sunset: false,
            today: atlas_admin_recordings::dates::today(),
        }
    }
}

fn component<'a>(spec: &'a Value, section: &str, name: &str) -> Option<&'a Value> {
    spec.get("components")?.get(section)?.get(name)
}

/// Adds the operations `ids` of `upstream` to `ours` (the text of our spec).
/// Returns the new text and what was done.
pub fn add(ours_text: &str, upstream: &Value, ids: &[String], options: &Options) -> Result<(String, Report), String> {
    let ours: Value = serde_yaml::from_str(ours_text).map_err(|e| format!("cannot parse our spec: {e}"))?;
    let mut run = Run {
        target: ours,
        mapping: BTreeMap::new(),
        new_components: BTreeMap::new(),
        report: Report::default(),
    };
    let mut text = ours_text.to_string();
    for id in ids {
        let Some((path, method, op)) = find_op(upstream, id) else {
            return Err(format!(
                "the published spec has no operation {id:?}; closest: {}",
                closest(upstream, id).join(", ")
            ));
        };
        let op = &run.served(id, op, options)?;
        run.bring_components(upstream, id, &path, op)?;
        let new_op = without_prose(&rename(op, &run.mapping), false);
        let label = format!("{id} ({} {path})", method.to_uppercase());
        if run.already_there(id, &path, method, &new_op, options.replace, &label)? {
            run.report.unchanged.push(label);
            continue;
        }
        text = put_operation(&text, &path, method, &new_op)?;
        let item = run.target["paths"]
            .as_object_mut()
            .ok_or("our spec has no paths")?
            .entry(path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        item[method] = new_op;
        run.report.added.push(label);
    }
    let mut by_section: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    for (section, name) in run.new_components.keys() {
        let value = component(&run.target, section, name).ok_or("internal error: a new component went missing")?;
        by_section
            .entry(section)
            .or_default()
            .insert(name.clone(), value.clone());
    }
    for (section, components) in &by_section {
        text = put_components(&text, section, components)?;
    }
    let check: Value = serde_yaml::from_str(&text)
        .map_err(|e| format!("internal error: the edited spec does not parse ({e}); nothing written"))?;
    if check != run.target {
        let first = first_difference(&check, &run.target, String::new()).unwrap_or_default();
        return Err(format!(
            "internal error: the edited spec is not what was meant (at {first}); nothing written"
        ));
    }
    Ok((text, run.report))
}

/// One `spec add` run: our spec as it becomes, and what was brought in.
struct Run {
    target: Value,
    /// (section, upstream name) -> our name, across all the operations.
    mapping: BTreeMap<(String, String), String>,
    /// (section, our name) -> (upstream name, upstream's component): what
    /// this run adds, written out from upstream's (renamed by `mapping`)
    /// once the operation that needs it has named all it reaches.
    new_components: BTreeMap<(String, String), (String, Value)>,
    report: Report,
}

impl Run {
    /// `op` with only the versions Atlas still serves (all of them with
    /// `with_sunset`); what is left out goes into the report. An operation
    /// none of whose versions is served any more is an error.
    fn served(&mut self, id: &str, op: &Value, options: &Options) -> Result<Value, String> {
        let gone = sunset::gone(op, options.today);
        if options.with_sunset || gone.is_empty() {
            return Ok(op.clone());
        }
        let kept = sunset::without(op, &gone);
        let listed: Vec<String> = gone.iter().map(|(m, d)| format!("{m} (sunset {d})")).collect();
        if !sunset::serves_a_version(&kept) {
            return Err(format!(
                "every version of {id} is past its sunset ({}); pass --with-sunset to import it anyway",
                listed.join(", ")
            ));
        }
        self.report.left_out.extend(listed.iter().map(|l| format!("{id} {l}")));
        Ok(kept)
    }

    /// Every component that operation `id` (at `path`) needs: an equal one
    /// of ours reused, or upstream's added under a free name.
    fn bring_components(&mut self, upstream: &Value, id: &str, path: &str, op: &Value) -> Result<(), String> {
        let mut roots = BTreeSet::new();
        refs(op, &mut roots);
        if let Some(shared) = upstream.pointer(&ptr("", &["paths", path, "parameters"])) {
            refs(shared, &mut roots);
        }
        let mut placed = Vec::new();
        for (section, name) in needed(upstream, &roots) {
            let key = (section.clone(), name.clone());
            if self.mapping.contains_key(&key) {
                continue;
            }
            let Some(theirs) = component(upstream, &section, &name) else {
                return Err(format!(
                    "#/components/{section}/{name}, which {id} needs, is missing upstream"
                ));
            };
            let before = self.new_components.len();
            let to = self.place_component(upstream, &section, &name, theirs)?;
            if self.new_components.len() > before {
                placed.push((section, to.clone()));
            }
            self.mapping.insert(key, to);
        }
        // What was just added may refer to components named after it
        // (cycles): it is written out again, from upstream's names (a name
        // of ours may be an upstream name mapped elsewhere), now that every
        // component it reaches has our name. What earlier operations added
        // reaches only components named then.
        for key in placed {
            let (upstream_name, theirs) = &self.new_components[&key];
            let value = copy_of(&key.0, upstream_name, theirs, &self.mapping);
            insert_component(&mut self.target, &key.0, &key.1, value)?;
        }
        Ok(())
    }

    /// Our name for upstream's component `name`: an equal component (one of
    /// ours, or one this run added), the same name first, then the others
    /// in name order (of a response, header or parameter: only its own
    /// `<name>Upstream...`), so a second run makes the same choices as the
    /// first; else `theirs`, added under the first free name.
    fn place_component(
        &mut self,
        upstream: &Value,
        section: &str,
        name: &str,
        theirs: &Value,
    ) -> Result<String, String> {
        if let Some(existing) = self.equal_component(upstream, section, name, theirs) {
            self.report.reused.push(format!("#/components/{section}/{existing}"));
            return Ok(existing);
        }
        let taken = |n: &str| component(&self.target, section, n).is_some();
        let mut candidate = name.to_string();
        let mut n = 1;
        while taken(&candidate) {
            candidate = if n == 1 {
                format!("{name}Upstream")
            } else {
                format!("{name}Upstream{n}")
            };
            n += 1;
        }
        self.report
            .new_components
            .push(format!("#/components/{section}/{candidate}"));
        let value = copy_of(section, name, theirs, &self.mapping);
        self.new_components.insert(
            (section.to_string(), candidate.clone()),
            (name.to_string(), theirs.clone()),
        );
        insert_component(&mut self.target, section, &candidate, value)?;
        Ok(candidate)
    }

    /// The name of a component of ours (or of this run) with the structure
    /// of upstream's `name`: its own name first, then the others in name
    /// order. Schemas are reused under any name; a response, header or
    /// parameter only under its own or its `<name>Upstream...` (two error
    /// responses of one structure still say different things).
    fn equal_component(&self, upstream: &Value, section: &str, name: &str, theirs: &Value) -> Option<String> {
        let ours = self.target.get("components")?.get(section)?.as_object()?;
        let upstream_of = format!("{name}Upstream");
        let others = ours
            .keys()
            .map(String::as_str)
            .filter(|n| section == "schemas" || n.starts_with(&upstream_of));
        std::iter::once(name)
            .chain(others)
            .find(|n| {
                ours.get(*n)
                    .is_some_and(|v| same_shape(upstream, theirs, &self.target, v))
            })
            .map(str::to_string)
    }

    /// Whether operation `id` is already in our spec as `new_op` (nothing
    /// to write); an error where ours differs, or another operation holds
    /// its place, unless `replace`.
    fn already_there(
        &self,
        id: &str,
        path: &str,
        method: &str,
        new_op: &Value,
        replace: bool,
        label: &str,
    ) -> Result<bool, String> {
        let Some((our_path, our_method, existing)) = find_op(&self.target, id) else {
            let taken = self.target.pointer(&ptr("", &["paths", path, method])).is_some();
            if taken && !replace {
                return Err(format!(
                    "our spec already has {} {path} under another operationId; pass --replace to overwrite it",
                    method.to_uppercase()
                ));
            }
            return Ok(false);
        };
        if our_path != path || our_method != method {
            return Err(format!(
                "{id} is already in our spec at {} {our_path}, not at {} {path}",
                our_method.to_uppercase(),
                method.to_uppercase()
            ));
        }
        // Our words and our waiters are ours: the structure is compared.
        let (ours, theirs) = (structure(existing), structure(new_op));
        if ours == theirs {
            return Ok(true);
        }
        if !replace {
            let at = first_difference(&ours, &theirs, String::new()).unwrap_or_default();
            return Err(format!(
                "{label} is already in our spec and differs (at {at}); pass --replace to overwrite it"
            ));
        }
        Ok(false)
    }
}

/// Upstream's component `name` of `section` as we write it: references
/// renamed by `mapping`, without MongoDB's words; a response described by
/// its name in words.
fn copy_of(section: &str, name: &str, theirs: &Value, mapping: &BTreeMap<(String, String), String>) -> Value {
    let mut value = without_prose(&rename(theirs, mapping), false);
    if let (Value::Object(obj), "responses") = (&mut value, section) {
        // A response must have a description: its name in words.
        obj.insert("description".into(), Value::String(words(name)));
    }
    value
}

fn insert_component(target: &mut Value, section: &str, name: &str, value: Value) -> Result<(), String> {
    let components = target
        .as_object_mut()
        .ok_or("our spec is not a mapping")?
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let sec = components
        .as_object_mut()
        .ok_or("components is not a mapping")?
        .entry(section.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    sec.as_object_mut()
        .ok_or("a components section is not a mapping")?
        .insert(name.to_string(), value);
    Ok(())
}

/// `add` on made-up specs: what it reuses, what it adds, and that a second
/// run changes nothing.
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OURS: &str = "# ours\nopenapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name: {type: string}\n";

    /// A published spec with one operation, `getHolder`, answering `holder`.
    fn upstream(holder: Value, schemas: Value) -> Value {
        let mut schemas = schemas;
        schemas["Holder"] = holder;
        json!({
            "openapi": "3.0.3", "info": {"title": "u", "version": "1"},
            "paths": {"/api/atlas/v2/holder": {"get": {
                "operationId": "getHolder",
                "responses": {"200": {"description": "ok", "content": {"application/vnd.atlas.2023-01-01+json": {
                    "schema": {"$ref": "#/components/schemas/Holder"}
                }}}}
            }}},
            "components": {"schemas": schemas}
        })
    }

    fn options() -> Options {
        Options {
            replace: false,
            with_sunset: false,
            today: 20_000,
        }
    }

    /// Imports `getHolder` into `ours`, then again into the result: the second
    /// run must add nothing and write the same text. Returns the first text and
    /// report.
    fn twice(ours: &str, up: &Value) -> (String, Report) {
        let id = ["getHolder".to_string()];
        let (text, first) = add(ours, up, &id, &options()).unwrap();
        let (again, second) = add(&text, up, &id, &options()).unwrap();
        assert!(second.new_components.is_empty(), "{second:?}\n{text}");
        assert_eq!(second.unchanged.len(), 1, "{second:?}");
        assert_eq!(again, text);
        (text, first)
    }

    fn schema(text: &str, name: &str, pointer: &str) -> Value {
        let spec: Value = serde_yaml::from_str(text).unwrap();
        spec["components"]["schemas"][name]
            .pointer(pointer)
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Upstream's `Other` is our `Thing`; upstream's `Thing` is not: a
    /// component that refers to both keeps `Thing` for `Other` and
    /// `ThingUpstream` for `Thing`, however many operations follow.
    #[test]
    fn a_reused_name_is_not_renamed_again() {
        let up = upstream(
            json!({"type": "object", "properties": {
                "other": {"$ref": "#/components/schemas/Other"},
                "thing": {"$ref": "#/components/schemas/Thing"}
            }}),
            json!({
                "Thing": {"type": "object", "properties": {"id": {"type": "integer"}}},
                "Other": {"type": "object", "properties": {"name": {"type": "string"}}}
            }),
        );
        let (text, report) = twice(OURS, &up);
        assert_eq!(
            report.new_components,
            ["#/components/schemas/ThingUpstream", "#/components/schemas/Holder"]
        );
        assert_eq!(
            schema(&text, "Holder", "/properties/other/$ref"),
            "#/components/schemas/Thing"
        );
        assert_eq!(
            schema(&text, "Holder", "/properties/thing/$ref"),
            "#/components/schemas/ThingUpstream"
        );
    }

    /// A cycle through a component whose name is taken: the member added
    /// first, before the other had a name, refers to it by its new name.
    #[test]
    fn a_cycle_through_a_renamed_component_is_closed() {
        let up = upstream(
            json!({"type": "object", "properties": {"thing": {"$ref": "#/components/schemas/Thing"}}}),
            json!({
                "Thing": {"type": "object", "properties": {"pair": {"$ref": "#/components/schemas/Pair"}}},
                "Pair": {"type": "object", "properties": {"thing": {"$ref": "#/components/schemas/Thing"}}}
            }),
        );
        let (text, report) = twice(OURS, &up);
        assert_eq!(
            report.new_components,
            [
                "#/components/schemas/Pair",
                "#/components/schemas/ThingUpstream",
                "#/components/schemas/Holder"
            ]
        );
        assert_eq!(
            schema(&text, "Pair", "/properties/thing/$ref"),
            "#/components/schemas/ThingUpstream"
        );
    }

    /// A discriminated union whose variants are of one structure: they become
    /// one component, the mapping names it for every value, and the union is
    /// still seen as upstream's on a second run.
    #[test]
    fn a_union_of_equal_variants_is_found_again() {
        let variant = |kind: &str| {
            json!({"type": "object", "properties": {
                "kind": {"type": "string", "enum": [kind]},
                "units": {"type": "string"}
            }})
        };
        let up = upstream(
            json!({
                "type": "object",
                "discriminator": {"propertyName": "kind", "mapping": {
                    "A": "#/components/schemas/AThreshold",
                    "B": "#/components/schemas/BThreshold",
                    "C": "#/components/schemas/CThreshold"
                }},
                "properties": {"kind": {"type": "string"}}
            }),
            json!({"AThreshold": variant("A"), "BThreshold": variant("A"), "CThreshold": variant("C")}),
        );
        let (text, report) = twice(OURS, &up);
        assert_eq!(
            report.new_components,
            [
                "#/components/schemas/AThreshold",
                "#/components/schemas/CThreshold",
                "#/components/schemas/Holder"
            ]
        );
        assert_eq!(
            schema(&text, "Holder", "/discriminator/mapping"),
            json!({
                "A": "#/components/schemas/AThreshold",
                "B": "#/components/schemas/AThreshold",
                "C": "#/components/schemas/CThreshold"
            })
        );
    }
}
