//! Mutated specs against the loader and the generator: fields removed, wrong
//! types, dangling `$ref`s, reference cycles, duplicated operations, renamed
//! parameters. No input may panic, and every error must carry a JSON pointer
//! whose first token exists in the mutated document.
//!
//! Deterministic (a fixed xorshift seed), so a failure reproduces: the
//! message gives the case number and the mutated spec.
//!
//! Our spec is mutated in a slice: the seed's path items and the access
//! list (a list body, paging, `x-key-fields`, a waiter with failure
//! values), with the components they reach (660 lines). The whole spec is
//! 6,200 lines: a thousand generations of it took eight minutes of the
//! suite's two cores. Unions are mutated in `compositions.yaml`.

use serde_yaml::{Mapping, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

const CASES_PER_SPEC: usize = 1000;
const SPECS: &[&str] = &[
    "../spec/atlas-admin.yaml",
    "fixtures/versions.yaml",
    "fixtures/enums_nullable.yaml",
    "fixtures/keywords.yaml",
    "fixtures/compositions.yaml",
];

/// The path items of `spec/atlas-admin.yaml` the fuzz mutates.
const SLICE: &[&str] = &[
    "/api/atlas/v2/orgs/{orgId}/liveMigrations/linkTokens",
    "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}:revokeMongoDBEmployeeAccess",
    "/api/public/v1.0/groups/{PROJECT-ID}/agentapikeys/{API-AGENT-KEY-ID}",
    "/api/atlas/v2/groups/{groupId}/accessList",
    "/api/atlas/v2/groups/{groupId}/accessList/{entryValue}",
    "/api/atlas/v2/groups/{groupId}/accessList/{entryValue}/status",
];

/// `doc` with only the `SLICE` path items and the components they reach
/// through `$ref`s and discriminator mappings, however deep (`spec add`'s
/// walk, `xtask::spec_add::reached`).
fn slice(doc: &Value) -> Value {
    let mut out = doc.clone();
    let paths = out.get_mut("paths").and_then(Value::as_mapping_mut).expect("paths");
    paths.retain(|k, _| k.as_str().is_some_and(|k| SLICE.contains(&k)));
    assert_eq!(paths.len(), SLICE.len(), "a SLICE path is not in the spec");
    let json = |v: &Value| serde_json::to_value(v).expect("our spec as JSON");
    let reached = xtask::spec_add::reached(&json(doc), &json(&Value::Mapping(paths.clone())));
    if let Some(components) = out.get_mut("components").and_then(Value::as_mapping_mut) {
        for (section, entries) in components.iter_mut() {
            let (Some(section), Some(entries)) = (section.as_str(), entries.as_mapping_mut()) else {
                continue;
            };
            if section != "securitySchemes" {
                entries.retain(|k, _| {
                    k.as_str()
                        .is_some_and(|k| reached.contains(&(section.to_string(), k.to_string())))
                });
            }
        }
    }
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every node of the document, as a path of keys and indices.
fn paths(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(at.clone());
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                at.push(k.clone());
                paths(child, at, out);
                at.pop();
            }
        }
        Value::Sequence(s) => {
            for (i, child) in s.iter().enumerate() {
                at.push(Value::Number(i.into()));
                paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node<'v>(doc: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    let mut cur = doc;
    for key in path {
        cur = match cur {
            Value::Mapping(m) => m.get_mut(key)?,
            Value::Sequence(s) => s.get_mut(key.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn component_names(doc: &Value) -> Vec<String> {
    doc.get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_mapping)
        .map(|m| m.keys().filter_map(|k| k.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// One random mutation; returns what it did.
fn mutate(doc: &mut Value, rng: &mut Rng) -> String {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let target = all[rng.below(all.len())].clone();
    let schemas = component_names(doc);
    match rng.below(7) {
        0 => {
            // Remove a field.
            if let Some((last, parent)) = target.split_last() {
                if let Some(Value::Mapping(m)) = node(doc, parent) {
                    m.remove(last);
                } else if let Some(Value::Sequence(s)) = node(doc, parent) {
                    let i = last.as_u64().unwrap_or(0) as usize;
                    if i < s.len() {
                        s.remove(i);
                    }
                }
            }
            format!("removed {target:?}")
        }
        1 => {
            // A value of the wrong type.
            let wrong = match rng.below(5) {
                0 => Value::Number(7.into()),
                1 => Value::String("x".into()),
                2 => Value::Sequence(vec![]),
                3 => Value::Null,
                _ => Value::Bool(true),
            };
            if let Some(n) = node(doc, &target) {
                *n = wrong;
            }
            format!("replaced {target:?}")
        }
        2 => {
            // A dangling $ref.
            if let Some(n) = node(doc, &target) {
                let mut m = Mapping::new();
                m.insert("$ref".into(), "#/components/schemas/DoesNotExist".into());
                *n = Value::Mapping(m);
            }
            format!("dangling $ref at {target:?}")
        }
        3 if schemas.len() >= 2 => {
            // A cycle of aliases: A -> B -> A.
            let (a, b) = (&schemas[0], &schemas[1]);
            let comps = doc
                .get_mut("components")
                .and_then(|c| c.get_mut("schemas"))
                .and_then(Value::as_mapping_mut);
            if let Some(comps) = comps {
                let mut ra = Mapping::new();
                ra.insert("$ref".into(), format!("#/components/schemas/{b}").into());
                let mut rb = Mapping::new();
                rb.insert("$ref".into(), format!("#/components/schemas/{a}").into());
                comps.insert(a.as_str().into(), Value::Mapping(ra));
                comps.insert(b.as_str().into(), Value::Mapping(rb));
            }
            format!("alias cycle {a} <-> {b}")
        }
        4 if !schemas.is_empty() => {
            // A schema that contains itself through allOf and oneOf.
            let a = &schemas[rng.below(schemas.len())];
            let text = format!(
                "{{allOf: [{{$ref: '#/components/schemas/{a}'}}], oneOf: [{{$ref: '#/components/schemas/{a}'}}], \
                 properties: {{me: {{$ref: '#/components/schemas/{a}'}}}}}}"
            );
            let comps = doc
                .get_mut("components")
                .and_then(|c| c.get_mut("schemas"))
                .and_then(Value::as_mapping_mut);
            if let Some(comps) = comps {
                comps.insert(a.as_str().into(), serde_yaml::from_str(&text).unwrap());
            }
            format!("self cycle {a}")
        }
        5 => {
            // Copy a path item under another path: duplicated operationIds.
            let paths = doc.get_mut("paths").and_then(Value::as_mapping_mut);
            if let Some(paths) = paths {
                if let Some((_, item)) = paths.iter().next().map(|(k, v)| (k.clone(), v.clone())) {
                    paths.insert("/api/atlas/v2/copy/{x}".into(), item);
                }
            }
            "duplicated a path item".into()
        }
        _ => {
            // Rename a string (parameter names, tags, media types, keys of refs).
            if let Some(Value::String(s)) = node(doc, &target) {
                s.push_str("Renamed");
            }
            format!("renamed {target:?}")
        }
    }
}

/// One mutated spec: its number, what was done to it, the document and its text.
struct Case {
    number: usize,
    what: Vec<String>,
    doc: Value,
    text: String,
}

/// Generates from one mutated spec: `true` if it generated, `false` if it was
/// rejected with a located error; panics (naming the case) otherwise.
fn run(spec: &str, case: &Case) -> bool {
    let Case {
        number,
        what,
        doc,
        text,
    } = case;
    let settings = atlas_codegen::Settings::default();
    let result = catch_unwind(AssertUnwindSafe(|| atlas_codegen::generate_from_str(text, &settings)));
    match result {
        Err(_) => panic!("{spec} case {number} panicked after {what:?}:\n{text}"),
        Ok(Ok(_)) => true,
        Ok(Err(e)) => {
            assert!(!e.message.is_empty());
            assert!(
                e.pointer.is_empty() || e.pointer.starts_with('/'),
                "{spec} case {number}: {e}"
            );
            if let Some(first) = e.pointer.split('/').nth(1) {
                assert!(
                    doc.get(first).is_some(),
                    "{spec} case {number}: pointer {} names nothing: {e}",
                    e.pointer
                );
            }
            false
        }
    }
}

#[test]
fn mutated_specs_never_panic_and_errors_carry_pointers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rng = Rng(0x0005_eeda_71a5_c0de);
    let (mut cases, mut ok, mut errors) = (0, 0, 0);
    // The machine's cores share the generations; the cases are drawn in
    // one order first, so they stay the same however many there are.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    for spec in SPECS {
        let text = std::fs::read_to_string(root.join(spec)).unwrap();
        let mut original: Value = serde_yaml::from_str(&text).unwrap();
        if spec.starts_with("../spec/") {
            original = slice(&original);
            let whole = serde_yaml::to_string(&original).unwrap();
            let settings = atlas_codegen::Settings::default();
            if let Err(e) = atlas_codegen::generate_from_str(&whole, &settings) {
                panic!("the unmutated slice of our spec does not generate: {e}");
            }
        }
        let drawn: Vec<Case> = (0..CASES_PER_SPEC)
            .map(|number| {
                let mut doc = original.clone();
                let mut what = Vec::new();
                for _ in 0..=rng.below(3) {
                    what.push(mutate(&mut doc, &mut rng));
                }
                let text = serde_yaml::to_string(&doc).unwrap();
                Case {
                    number,
                    what,
                    doc,
                    text,
                }
            })
            .collect();
        let generated: usize = std::thread::scope(|scope| {
            let chunks = drawn.chunks(drawn.len().div_ceil(workers));
            let handles: Vec<_> = chunks
                .map(|chunk| scope.spawn(move || chunk.iter().filter(|case| run(spec, case)).count()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a case failed (above)"))
                .sum()
        });
        cases += drawn.len();
        ok += generated;
        errors += drawn.len() - generated;
    }
    eprintln!("{cases} mutated specs: {ok} generated, {errors} rejected with a located error, 0 panics");
    assert_eq!(cases, SPECS.len() * CASES_PER_SPEC);
}
