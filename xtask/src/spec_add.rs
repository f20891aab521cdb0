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
//! - MongoDB's words stay upstream ([`LEFT_OUT`]): descriptions, summaries,
//!   examples, changelogs and documentation links are not copied; a
//!   response's description is its status's reason phrase. Write the
//!   operations' and parameters' descriptions in our own words.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const METHODS: [&str; 8] = ["get", "put", "post", "patch", "delete", "head", "options", "trace"];
const PROSE: [&str; 7] = [
    "description",
    "summary",
    "example",
    "examples",
    "title",
    "externalDocs",
    "deprecated",
];

/// What `add` did, for the report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub added: Vec<String>,
    pub unchanged: Vec<String>,
    pub reused: Vec<String>,
    pub new_components: Vec<String>,
}

/// Where an operation lives in a spec.
fn find_op<'a>(spec: &'a Value, id: &str) -> Option<(String, &'static str, &'a Value)> {
    for (path, item) in spec.get("paths")?.as_object()? {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                if op.get("operationId").and_then(Value::as_str) == Some(id) {
                    return Some((path.clone(), m, op));
                }
            }
        }
    }
    None
}

fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.to_lowercase().chars().collect(), b.to_lowercase().chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The three operationIds of `spec` closest to `id`.
fn closest(spec: &Value, id: &str) -> Vec<String> {
    let mut all: Vec<(usize, String)> = spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
        .flat_map(|item| METHODS.iter().filter_map(move |m| item.get(*m)))
        .filter_map(|op| op.get("operationId").and_then(Value::as_str))
        .map(|o| (levenshtein(id, o), o.to_string()))
        .collect();
    all.sort();
    all.into_iter().take(3).map(|(_, o)| o).collect()
}

/// Every `#/components/<section>/<name>` that `value` refers to.
fn refs(value: &Value, out: &mut BTreeSet<(String, String)>) {
    match value {
        Value::Object(map) => {
            // `$ref`s, and a discriminator's mapping (references as text).
            let mapped = map
                .get("discriminator")
                .and_then(|d| d.get("mapping"))
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.values());
            let named = map.get("$ref").into_iter().chain(mapped).filter_map(Value::as_str);
            for r in named {
                if let Some((section, name)) = r.strip_prefix("#/components/").and_then(|rest| rest.split_once('/')) {
                    out.insert((section.to_string(), name.to_string()));
                }
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// What `spec add` leaves out of everything it brings in: our spec says
/// everything in its own words, so MongoDB's prose, examples, changelog and
/// documentation links stay upstream. Structure (`deprecated`, `x-sunset`,
/// `x-xgen-operation-id-override`, ...) comes in.
const LEFT_OUT: [&str; 8] = [
    "description",
    "summary",
    "example",
    "examples",
    "title",
    "externalDocs",
    "x-xgen-changelog",
    "x-xgen-docs-url",
];

/// `value` without MongoDB's words ([`LEFT_OUT`]); the keys of a
/// `properties` map are names, kept whatever they are. A response, which
/// must have a description, gets its status's reason phrase.
fn without_prose(value: &Value, in_names: bool) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| in_names || !LEFT_OUT.contains(&k.as_str()))
                .map(|(k, v)| {
                    let names = !in_names && k == "properties";
                    let v = if !in_names && k == "responses" {
                        responses_described(v)
                    } else {
                        without_prose(v, names)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| without_prose(v, false)).collect()),
        other => other.clone(),
    }
}

/// `value` as `spec add` compares it with what is already ours: without
/// prose (ours or theirs) and without `x-xgen-atlascli` (our waiters).
fn structure(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !LEFT_OUT.contains(&k.as_str()) && *k != "x-xgen-atlascli")
                .map(|(k, v)| {
                    let v = if k == "properties" {
                        Value::Object(
                            v.as_object()
                                .map(|m| m.iter().map(|(n, s)| (n.clone(), structure(s))).collect())
                                .unwrap_or_default(),
                        )
                    } else {
                        structure(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(structure).collect()),
        other => other.clone(),
    }
}

/// An operation's `responses` without prose, each with the reason phrase
/// of its status as its description (`default`: "Error").
fn responses_described(responses: &Value) -> Value {
    let Value::Object(map) = responses else {
        return without_prose(responses, false);
    };
    Value::Object(
        map.iter()
            .map(|(status, r)| {
                let mut r = without_prose(r, false);
                if let (Value::Object(obj), false) = (&mut r, r_is_ref(responses, status)) {
                    obj.insert("description".into(), Value::String(reason_phrase(status).into()));
                }
                (status.clone(), r)
            })
            .collect(),
    )
}

fn r_is_ref(responses: &Value, status: &str) -> bool {
    responses.get(status).and_then(|r| r.get("$ref")).is_some()
}

/// `notFound` as `Not Found`.
fn words(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            out.push(' ');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

/// The reason phrase of an HTTP status (RFC 9110).
fn reason_phrase(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "No Content",
        "400" => "Bad Request",
        "401" => "Unauthorized",
        "402" => "Payment Required",
        "403" => "Forbidden",
        "404" => "Not Found",
        "405" => "Method Not Allowed",
        "406" => "Not Acceptable",
        "409" => "Conflict",
        "410" => "Gone",
        "429" => "Too Many Requests",
        "500" => "Internal Server Error",
        "503" => "Service Unavailable",
        s if s.starts_with('2') => "Success",
        _ => "Error",
    }
}

/// `value` with its `$ref`s (and discriminator mappings) renamed by
/// `mapping` ((section, upstream name) -> our name).
fn rename(value: &Value, mapping: &BTreeMap<(String, String), String>) -> Value {
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

/// A value without prose, examples and `x-` extensions (but `x-sunset`),
/// with every `$ref` replaced by the shape of what it
/// names, `depth` links deep: two components are equal by shape, whatever
/// their names or the names of what they refer to (cycles included).
fn shape(doc: &Value, value: &Value, depth: usize) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                let target = r.strip_prefix('#').and_then(|p| doc.pointer(p));
                return match (target, depth) {
                    (Some(t), d) if d > 0 => shape(doc, t, d - 1),
                    _ => Value::String("$ref".into()),
                };
            }
            Value::Object(
                map.iter()
                    .filter(|(k, _)| !PROSE.contains(&k.as_str()) && (!k.starts_with("x-") || *k == "x-sunset"))
                    .map(|(k, v)| (k.clone(), shape(doc, v, depth)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| shape(doc, v, depth)).collect()),
        other => other.clone(),
    }
}

/// How many `$ref` links [`shape`] follows.
const SHAPE_DEPTH: usize = 4;

/// The components `ids` need, leaves first (a component after those it
/// refers to, cycles broken where they close).
fn needed(upstream: &Value, roots: &BTreeSet<(String, String)>) -> Vec<(String, String)> {
    fn visit(
        upstream: &Value,
        key: &(String, String),
        seen: &mut BTreeSet<(String, String)>,
        out: &mut Vec<(String, String)>,
    ) {
        if !seen.insert(key.clone()) {
            return;
        }
        let Some(value) = upstream.pointer(&format!(
            "/components/{}/{}",
            key.0,
            key.1.replace('~', "~0").replace('/', "~1")
        )) else {
            return;
        };
        let mut inner = BTreeSet::new();
        refs(value, &mut inner);
        for k in &inner {
            visit(upstream, k, seen, out);
        }
        out.push(key.clone());
    }
    let (mut seen, mut out) = (BTreeSet::new(), Vec::new());
    for key in roots {
        visit(upstream, key, &mut seen, &mut out);
    }
    out
}

/// The components (`(section, name)`) that `value`, a part of `spec`,
/// refers to, directly or through other components: what a part of a spec
/// needs to stand alone.
pub fn reached(spec: &Value, value: &Value) -> BTreeSet<(String, String)> {
    let mut roots = BTreeSet::new();
    refs(value, &mut roots);
    needed(spec, &roots).into_iter().collect()
}

fn component<'a>(spec: &'a Value, section: &str, name: &str) -> Option<&'a Value> {
    spec.get("components")?.get(section)?.get(name)
}

/// Adds the operations `ids` of `upstream` to `ours` (the text of our spec).
/// Returns the new text and what was done.
pub fn add(ours_text: &str, upstream: &Value, ids: &[String], replace: bool) -> Result<(String, Report), String> {
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
        run.bring_components(upstream, id, &path, op)?;
        let new_op = without_prose(&rename(op, &run.mapping), false);
        let label = format!("{id} ({} {path})", method.to_uppercase());
        if run.already_there(id, &path, method, &new_op, replace, &label)? {
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
    /// Every component that operation `id` (at `path`) needs: an equal one
    /// of ours reused, or upstream's added under a free name.
    fn bring_components(&mut self, upstream: &Value, id: &str, path: &str, op: &Value) -> Result<(), String> {
        let mut roots = BTreeSet::new();
        refs(op, &mut roots);
        if let Some(shared) = upstream.pointer(&format!(
            "/paths/{}/parameters",
            path.replace('~', "~0").replace('/', "~1")
        )) {
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
        let wanted = shape(upstream, theirs, SHAPE_DEPTH);
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
                    .is_some_and(|v| shape(&self.target, v, SHAPE_DEPTH) == wanted)
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
            let taken = self
                .target
                .pointer(&format!(
                    "/paths/{}/{method}",
                    path.replace('~', "~0").replace('/', "~1")
                ))
                .is_some();
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

/// The pointer of the first place where `a` and `b` differ.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, format!("{at}/{k}")) {
                            return Some(d);
                        }
                    }
                    _ => return Some(format!("{at}/{k}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at} ({a} vs {b})")),
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

/// `value` as YAML under `key`, indented by `indent` spaces.
fn block(key: &str, value: &Value, indent: usize) -> Result<String, String> {
    let mut map = Map::new();
    map.insert(key.to_string(), value.clone());
    let yaml = serde_yaml::to_string(&Value::Object(map)).map_err(|e| e.to_string())?;
    let pad = " ".repeat(indent);
    Ok(yaml.lines().map(|l| format!("{pad}{l}\n")).collect())
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The line index where the block that starts at `start` (a key at
/// `indent`) ends: the next non-blank, non-comment line indented `indent`
/// or less, or the end.
fn block_end(lines: &[&str], start: usize, indent: usize) -> usize {
    (start + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            !l.trim().is_empty() && !l.trim_start().starts_with('#') && indent_of(l) <= indent
        })
        .unwrap_or(lines.len())
}

/// The line of `key:` at `indent` within lines `from..to`.
fn key_line(lines: &[&str], from: usize, to: usize, indent: usize, key: &str) -> Option<usize> {
    let quoted = serde_yaml::to_string(&Value::String(key.to_string())).ok()?;
    let quoted = quoted.trim_end();
    (from..to).find(|&i| {
        let l = lines[i];
        indent_of(l) == indent && {
            let t = l.trim_start();
            [key, quoted].iter().any(|k| {
                t.strip_prefix(k)
                    .and_then(|r| r.strip_prefix(':'))
                    .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace))
            })
        }
    })
}

fn splice(lines: &[&str], at: usize, remove: usize, insert: &str) -> String {
    let mut out = String::new();
    for l in &lines[..at] {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(insert);
    for l in &lines[at + remove..] {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// `key: {}` (an empty flow mapping) as `key:` for the `(indent, key)`
/// pairs given, so a block can go under it. Nothing else is touched.
fn open_empty(text: &str, keys: &[(usize, &str)]) -> String {
    text.lines()
        .map(|l| {
            let opened = keys
                .iter()
                .any(|(indent, key)| indent_of(l) == *indent && l.trim() == format!("{key}: {{}}"));
            if opened {
                format!(
                    "{}:\n",
                    l.trim_end().trim_end_matches("{}").trim_end().trim_end_matches(':')
                )
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

fn put_operation(text: &str, path: &str, method: &str, op: &Value) -> Result<String, String> {
    let text = open_empty(text, &[(0, "paths")]);
    let lines: Vec<&str> = text.lines().collect();
    let paths = key_line(&lines, 0, lines.len(), 0, "paths").ok_or("our spec has no `paths:`")?;
    let paths_end = block_end(&lines, paths, 0);
    match key_line(&lines, paths + 1, paths_end, 2, path) {
        Some(item) => {
            let item_end = block_end(&lines, item, 2);
            match key_line(&lines, item + 1, item_end, 4, method) {
                Some(m) => {
                    let m_end = block_end(&lines, m, 4);
                    Ok(splice(&lines, m, m_end - m, &block(method, op, 4)?))
                }
                None => Ok(splice(&lines, item_end, 0, &block(method, op, 4)?)),
            }
        }
        None => {
            let mut item = Map::new();
            item.insert(method.to_string(), op.clone());
            Ok(splice(&lines, paths_end, 0, &block(path, &Value::Object(item), 2)?))
        }
    }
}

fn put_component(text: &str, section: &str, name: &str, value: &Value) -> Result<String, String> {
    let text = open_empty(text, &[(0, "components"), (2, section)]);
    let lines: Vec<&str> = text.lines().collect();
    let Some(components) = key_line(&lines, 0, lines.len(), 0, "components") else {
        let mut sec = Map::new();
        sec.insert(name.to_string(), value.clone());
        let mut comp = Map::new();
        comp.insert(section.to_string(), Value::Object(sec));
        return Ok(splice(
            &lines,
            lines.len(),
            0,
            &block("components", &Value::Object(comp), 0)?,
        ));
    };
    let comp_end = block_end(&lines, components, 0);
    match key_line(&lines, components + 1, comp_end, 2, section) {
        Some(sec) => {
            let sec_end = block_end(&lines, sec, 2);
            Ok(splice(&lines, sec_end, 0, &block(name, value, 4)?))
        }
        None => {
            let mut sec = Map::new();
            sec.insert(name.to_string(), value.clone());
            Ok(splice(&lines, comp_end, 0, &block(section, &Value::Object(sec), 2)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names() {
        assert_eq!(levenshtein("getGroupClustr", "getGroupCluster"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
    }
}
