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
use shape::{first_difference, shape, structure, COMPARED_LINKS};
use splice::{put_component, put_operation};
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
    for ((section, name), value) in &run.new_components {
        text = put_component(&text, section, name, value)?;
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
    new_components: BTreeMap<(String, String), Value>,
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
            let to = self.place_component(upstream, &section, &name, theirs)?;
            self.mapping.insert(key, to);
        }
        // Components may refer to ones renamed after them (cycles): rename again.
        for ((section, name), v) in self.new_components.iter_mut() {
            *v = rename(v, &self.mapping);
            insert_component(&mut self.target, section, name, v.clone())?;
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
        let wanted = shape(upstream, theirs, COMPARED_LINKS);
        let section_now: Map<String, Value> = self
            .target
            .get("components")
            .and_then(|c| c.get(section))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        // Schemas are reused by shape under any name; a response, header or
        // parameter only under its own (two error responses of one shape
        // still say different things).
        let upstream_of = format!("{name}Upstream");
        let others = section_now
            .keys()
            .map(String::as_str)
            .filter(|n| section == "schemas" || n.starts_with(&upstream_of));
        let equal = std::iter::once(name)
            .chain(others)
            .find(|n| {
                section_now
                    .get(*n)
                    .is_some_and(|v| shape(&self.target, v, COMPARED_LINKS) == wanted)
            })
            .map(str::to_string);
        if let Some(existing) = equal {
            self.report.reused.push(format!("#/components/{section}/{existing}"));
            return Ok(existing);
        }
        let mut candidate = name.to_string();
        let mut n = 1;
        while section_now.contains_key(&candidate) {
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
        let mut value = without_prose(&rename(theirs, &self.mapping), false);
        if let (Value::Object(obj), "responses") = (&mut value, section) {
            // A response must have a description: its name in words.
            obj.insert("description".into(), Value::String(words(name)));
        }
        self.new_components
            .insert((section.to_string(), candidate.clone()), value.clone());
        insert_component(&mut self.target, section, &candidate, value)?;
        Ok(candidate)
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
