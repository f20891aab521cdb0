//! MongoDB's published spec (`../shared/upstream/atlas-admin-v2.yaml`, never
//! committed here) goes through `--spec/--out`; the crate it gives must pass
//! clippy with warnings denied, and every schema for which the spec's own
//! `example` values make a document must decode into its generated type and
//! encode back to the same document. Every recorded Atlas answer decodes
//! into its operation version's type, and written back and decoded again
//! gives the same value (`tests/standalone/recorded.rs`, with the dispatch
//! this file writes from the generated builders).
//!
//! When the file is missing the test says so and checks nothing else.

use atlas_admin_tests::standalone_cargo;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn upstream() -> Option<PathBuf> {
    atlas_admin_tests::shared_input(
        "upstream/atlas-admin-v2.yaml",
        "the full-spec build and the example round trip",
    )
}

/// A document built from the spec's examples: decoded and encoded back, it
/// must come out the same, read-only properties included (only a request
/// body leaves those out).
struct Example {
    doc: Value,
}

struct Builder<'a> {
    schemas: &'a Map<String, Value>,
}

const MAX_DEPTH: usize = 10;

impl Builder<'_> {
    fn resolve<'s>(&'s self, schema: &'s Value) -> Result<(&'s Value, Option<&'s str>), String> {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r
                    .strip_prefix("#/components/schemas/")
                    .ok_or(format!("unsupported $ref {r}"))?;
                Ok((self.schemas.get(name).ok_or(format!("dangling $ref {r}"))?, Some(name)))
            }
            None => Ok((schema, None)),
        }
    }

    fn build(&self, schema: &Value, stack: &mut Vec<String>) -> Result<Example, String> {
        let (schema, name) = self.resolve(schema)?;
        if let Some(name) = name {
            if stack.iter().any(|s| s == name) || stack.len() > MAX_DEPTH {
                return Err("recursive: no finite example".into());
            }
            stack.push(name.to_string());
            let built = self.build(schema, stack);
            stack.pop();
            return built;
        }
        let typ = schema.get("type").and_then(Value::as_str);
        let composite = ["oneOf", "anyOf", "allOf", "properties"]
            .iter()
            .any(|k| schema.get(*k).is_some());
        if let (Some(example), false) = (schema.get("example"), composite) {
            let fits = match typ {
                Some("string") => example.is_string(),
                Some("integer") => example.is_i64() || example.is_u64(),
                Some("number") => example.is_number(),
                Some("boolean") => example.is_boolean(),
                Some("array") => example.is_array(),
                Some("object") => example.is_object(),
                _ => true,
            };
            if !fits {
                return Err(format!("the example {example} contradicts type {}", typ.unwrap_or("?")));
            }
            return Ok(Example { doc: example.clone() });
        }
        let mapping = schema.pointer("/discriminator/mapping").and_then(Value::as_object);
        let variants = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array);
        if let Some(mapping) = mapping.filter(|_| schema.get("allOf").is_none()) {
            let property = schema
                .pointer("/discriminator/propertyName")
                .and_then(Value::as_str)
                .unwrap_or("");
            let mut last = String::from("empty mapping");
            for (value, target) in mapping {
                match self.build(&json!({"$ref": target}), stack) {
                    Ok(mut ex) => {
                        // The tag is decoded and encoded back, read-only or not.
                        ex.doc[property] = json!(value);
                        return Ok(ex);
                    }
                    Err(e) => last = e,
                }
            }
            return Err(format!("no mapped subtype has an example ({last})"));
        }
        if let Some(variants) = variants {
            let mut last = String::from("no variants");
            for v in variants {
                match self.build(v, stack) {
                    Ok(ex) => return Ok(ex),
                    Err(e) => last = e,
                }
            }
            return Err(format!("no oneOf variant has an example ({last})"));
        }
        if schema.get("allOf").is_some() || schema.get("properties").is_some() {
            let mut props = Vec::new();
            let mut required = BTreeSet::new();
            self.flatten(schema, &mut props, &mut required)?;
            let mut doc = Map::new();
            for (key, prop) in props {
                match self.build(&prop, stack) {
                    Ok(ex) => {
                        doc.insert(key, ex.doc);
                    }
                    Err(e) if required.contains(&key) => return Err(format!("required `{key}`: {e}")),
                    Err(_) => {}
                }
            }
            return Ok(Example {
                doc: Value::Object(doc),
            });
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let first = values.iter().find(|v| !v.is_null()).ok_or("enum of null only")?;
            return Ok(Example { doc: first.clone() });
        }
        if typ == Some("array") {
            let item = schema.get("items").ok_or("array without items")?;
            let ex = self.build(item, stack)?;
            return Ok(Example { doc: json!([ex.doc]) });
        }
        Err(match typ {
            Some(t) => format!("a {t} without an example"),
            None => "a free-form value without an example".into(),
        })
    }

    /// Properties of a schema and its `allOf` parts, later ones winning.
    fn flatten(
        &self,
        schema: &Value,
        props: &mut Vec<(String, Value)>,
        required: &mut BTreeSet<String>,
    ) -> Result<(), String> {
        for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            let (part, _) = self.resolve(part)?;
            self.flatten(part, props, required)?;
        }
        for (k, v) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            props.retain(|(existing, _)| existing != k);
            props.push((k.clone(), v.clone()));
        }
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            required.extend(r.as_str().map(str::to_string));
        }
        Ok(())
    }
}

/// The test compiled into the generated crate: one `check` per schema.
/// The round trip, the every-operation test and the recorded answers as
/// one test crate: the published crate's types are instantiated and linked
/// once, not three times.
const PUBLISHED_TESTS: &str = r#"// Written by tests/tests/nested/upstream.rs in atlas-admin-rs; not committed anywhere.
#[path = "roundtrip.rs"]
mod roundtrip;
#[path = "every_operation.rs"]
mod every_operation;
#[path = "recorded.rs"]
mod recorded;
#[path = "round_trips.rs"]
mod round_trips;
"#;

fn roundtrip_test(cases: &BTreeMap<String, String>) -> String {
    let mut checks = String::new();
    for (schema, rust) in cases {
        checks.push_str(&format!(
            "    check::<models::{rust}>({schema:?}, &cases, &mut failures);\n"
        ));
    }
    format!(
        r#"// Written by tests/tests/nested/upstream.rs in atlas-admin-rs; not committed anywhere.
use atlas_admin::models;
use atlas_admin::runtime::serde::{{de::DeserializeOwned, Serialize}};
use atlas_admin::runtime::serde_json::{{self, Value}};

fn same(a: &Value, b: &Value) -> bool {{
    match (a, b) {{
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {{
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }}
        _ => a == b,
    }}
}}

fn check<T: DeserializeOwned + Serialize>(name: &str, cases: &serde_json::Map<String, Value>, failures: &mut Vec<String>) {{
    let case = &cases[name];
    let decoded: T = match serde_json::from_value(case["doc"].clone()) {{
        Ok(v) => v,
        Err(e) => return failures.push(format!("{{name}}: does not decode: {{e}}\n    {{}}", case["doc"])),
    }};
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    if !same(&encoded, &case["doc"]) {{
        failures.push(format!("{{name}}: encodes to another document\n    got      {{encoded}}\n    expected {{}}", case["doc"]));
    }}
}}

#[test]
fn spec_examples_round_trip() {{
    let cases: serde_json::Map<String, Value> = serde_json::from_str(include_str!("../examples.json")).unwrap();
    let mut failures = Vec::new();
{checks}    println!("ROUNDTRIP {{}} schemas checked, {{}} failed", cases.len(), failures.len());
    assert!(failures.is_empty(), "{{}} of {{}} schemas failed:\n{{}}", failures.len(), cases.len(), failures.join("\n"));
}}
"#
    )
}

#[test]
fn the_published_spec_builds_passes_clippy_and_round_trips_its_examples() {
    let Some(spec) = upstream() else {
        return;
    };
    let text = std::fs::read_to_string(&spec).unwrap();
    let api = atlas_codegen::parse(&text).unwrap();
    let names = atlas_codegen::schema_type_names(&api).unwrap();
    let raw: Value = serde_yaml::from_str(&text).unwrap();
    let schemas = raw.pointer("/components/schemas").and_then(Value::as_object).unwrap();
    let builder = Builder { schemas };

    let mut cases = Map::new();
    let mut rust_of = BTreeMap::new();
    let mut uncovered: BTreeMap<String, usize> = BTreeMap::new();
    for (name, schema) in schemas {
        match builder.build(schema, &mut vec![name.clone()]) {
            Ok(ex) => {
                cases.insert(name.clone(), json!({"doc": ex.doc}));
                rust_of.insert(name.clone(), names[name].clone());
            }
            Err(reason) => {
                // Group reasons by their kind, not their values.
                let kind = reason
                    .split(':')
                    .next_back()
                    .unwrap_or(&reason)
                    .trim()
                    .trim_end_matches(')');
                let kind = if kind.starts_with("the example") {
                    "an example contradicts its type"
                } else {
                    kind
                };
                let kind = if reason.starts_with("required") {
                    format!("a required property is {kind}")
                } else {
                    kind.to_string()
                };
                *uncovered.entry(kind).or_default() += 1;
            }
        }
    }
    eprintln!(
        "{} of {} schemas have a document built from the spec's examples",
        cases.len(),
        schemas.len()
    );
    let mut reasons: Vec<_> = uncovered.iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(a.1));
    for (reason, n) in &reasons {
        eprintln!("  not covered, {n}: {reason}");
    }
    assert!(
        cases.len() * 2 > schemas.len(),
        "fewer than half of the schemas are covered"
    );

    let out = std::env::temp_dir().join(format!("atlas-admin-upstream-{}", std::process::id()));
    // With the Atlas CLI's watcher overlay, when it is there: the waiters
    // are built and linted with everything else.
    let overlays: Vec<std::path::PathBuf> = atlas_admin_tests::shared_input(
        "upstream/atlas-cli-watchers.overlay.yaml",
        "the published spec's waiters",
    )
    .into_iter()
    .collect();
    let warnings = atlas_admin_tests::write_standalone_with(&spec, &out, None, &overlays);
    if !overlays.is_empty() {
        let waiters: usize = std::fs::read_dir(out.join("src/generated/operations"))
            .unwrap()
            .flatten()
            .map(|e| {
                let text = std::fs::read_to_string(e.path()).unwrap();
                // One waiter per operation: count the operations whose builders have one.
                let mut ops = std::collections::BTreeSet::new();
                for block in text.split("pub const ENDPOINT").skip(1) {
                    if block
                        .split("pub const ENDPOINT")
                        .next()
                        .unwrap_or("")
                        .contains("pub async fn send_and_wait")
                    {
                        let id = block.split('"').nth(1).unwrap_or("").to_string();
                        ops.insert(id);
                    }
                }
                ops.len()
            })
            .sum();
        let refused: Vec<&String> = warnings.iter().filter(|w| w.contains("gets no waiter")).collect();
        let missed: Vec<&String> = warnings.iter().filter(|w| w.contains("selects nothing")).collect();
        eprintln!(
            "WAITERS: {waiters} operations got a waiter; {} watchers refused; {} overlay actions selected nothing",
            refused.len(),
            missed.len()
        );
        for w in refused.iter().chain(&missed) {
            eprintln!("  {w}");
        }
        assert!(waiters > 0);
        assert!(
            refused
                .iter()
                .any(|w| w.contains("updateGroupCluster") && w.contains("not a GET")),
            "the PATCH of a cluster names updateGroupCluster: {refused:?}"
        );
    }
    // The names MongoDB's SDKs use: methods from x-xgen-operation-id-override,
    // the operationId as a rustdoc alias (a few known pairs).
    for (file, method, alias) in [
        ("clusters.rs", "get_cluster", "getGroupCluster"),
        ("clusters.rs", "list_clusters", "listGroupClusters"),
        (
            "cloud_migration_service.rs",
            "create_link_token",
            "createOrgLiveMigrationLinkToken",
        ),
    ] {
        let text = std::fs::read_to_string(out.join("src/generated/operations").join(file)).unwrap();
        assert!(text.contains(&format!("pub fn {method}(")), "{file}: no {method}");
        assert!(
            text.contains(&format!("#[doc(alias = \"{alias}\")]")),
            "{file}: no alias {alias}"
        );
    }
    let (versions, sunsets, past) = sunset_counts(&out.join("src/generated/operations"));
    eprintln!("SUNSETS: {versions} operation versions, {sunsets} with an x-sunset, {past} of those dates already past");
    assert!(sunsets > 0 && sunsets <= versions && past <= sunsets);
    std::fs::write(
        out.join("examples.json"),
        serde_json::to_string(&Value::Object(cases)).unwrap(),
    )
    .unwrap();
    let manifest = out.join("Cargo.toml");
    // Clippy on the crate as apps build it (default features), before the
    // round-trip test (which needs `fake`) is written.
    standalone_cargo(
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
        &manifest,
    );
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(out.join("tests/roundtrip.rs"), roundtrip_test(&rust_of)).unwrap();
    let recorded = recorded_cases(&raw, &out);
    std::fs::write(out.join("tests/published.rs"), PUBLISHED_TESTS).unwrap();
    // A type that is only received derives `Serialize` only with the `fake`
    // feature (and one only sent `Deserialize`): the round trip needs both.
    // The same build runs the emitted every-operation test: every operation
    // version through the client against the generated fake (a failing one
    // fails this test, listed).
    let report = standalone_cargo(
        &[
            "test",
            "--quiet",
            "--features",
            "fake",
            "--test",
            "published",
            "--",
            "--nocapture",
        ],
        &manifest,
    );
    // Without recordings shared_input said SKIPPED (and fails under CI).
    if let Some(n) = recorded {
        let line = report
            .lines()
            .find_map(|l| l.find("RECORDED:").map(|i| &l[i..]))
            .unwrap_or("no RECORDED line");
        eprintln!("{line} (of {n} recorded 2xx JSON answers matched to an operation)");
        assert!(
            line.contains(&format!("RECORDED: {n} answers decoded, 0 failed")),
            "{report}"
        );
        let trips = report
            .lines()
            .find_map(|l| l.find("ROUND_TRIP:").map(|i| &l[i..]))
            .unwrap_or_else(|| panic!("the round-trip test did not run:\n{report}"));
        eprintln!("{trips}");
        assert!(trips.contains(", 0 failed"), "{report}");
        let replay = report
            .lines()
            .find_map(|l| l.find("REPLAY:").map(|i| &l[i..]))
            .unwrap_or_else(|| panic!("the replay test did not run:\n{report}"));
        eprintln!("{replay}");
    }
    let line = report
        .lines()
        .find_map(|l| l.find("ROUNDTRIP").map(|i| &l[i..]))
        .unwrap_or("no ROUNDTRIP line");
    eprintln!("{line}");
    let (mut tags, mut passed, mut failed) = (0, 0, 0);
    for l in report
        .lines()
        .filter_map(|l| l.find("EVERY_OPERATION").map(|i| &l[i..]))
    {
        // `EVERY_OPERATION <tag>: N passed, M failed`
        let numbers: Vec<usize> = l.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        if let [p, f] = numbers[..] {
            tags += 1;
            passed += p;
            failed += f;
        }
    }
    eprintln!("EVERY_OPERATION published spec: {passed} operation versions passed, {failed} failed, in {tags} tags");
    assert!(tags > 0 && failed == 0, "{report}");
    let _ = std::fs::remove_dir_all(&out);
}

fn recorded_dir() -> Option<PathBuf> {
    atlas_admin_tests::shared_input(
        "recorded",
        "decoding and replaying the recorded answers with the published crate",
    )
}

/// Writes `recorded.json` (every recorded 2xx JSON answer with the
/// operation `spec verify` matched it to) and `tests/recorded.rs` into the
/// crate at `out`; returns how many answers, or `None` without recordings
/// (then the test file is an empty one, so the build is the same).
fn recorded_cases(spec: &Value, out: &std::path::Path) -> Option<usize> {
    let test = out.join("tests/recorded.rs");
    let Some(dir) = recorded_dir() else {
        std::fs::write(test, "// ../shared/recorded is missing: nothing to decode.\n").unwrap();
        std::fs::write(
            out.join("tests/round_trips.rs"),
            "// ../shared/recorded is missing: nothing to round-trip.\n",
        )
        .unwrap();
        return None;
    };
    let recordings = xtask::verify::read_all(std::slice::from_ref(&dir)).unwrap();
    let ops = xtask::verify::Operations::of(spec);
    let cases: Vec<Value> = recordings
        .iter()
        .filter(|r| (200..300).contains(&r.status) && !r.body.is_empty())
        .filter(|r| r.media_type().is_some_and(|m| m.ends_with("json")))
        .filter_map(|r| {
            let op = ops.find(&r.method, &r.path)?;
            Some(json!({
                "file": r.file.display().to_string(),
                "method": op.method,
                "template": op.template,
                "mediaType": r.media_type(),
                "body": String::from_utf8_lossy(&r.body),
            }))
        })
        .collect();
    std::fs::write(out.join("recorded.json"), serde_json::to_string(&cases).unwrap()).unwrap();
    std::fs::write(out.join("tests/round_trips.rs"), round_trip_dispatch(out, &cases)).unwrap();
    // A whole life cycle for the replay test: the CLI's flex-cluster folder.
    let flex = dir.join("atlas-cli-e2e/clusters/flex/clustersflex/testdata/.snapshots/TestFlexCluster");
    copy_tree(&flex, &out.join("replay/TestFlexCluster"));
    std::fs::copy(xtask::project_root().join("tests/standalone/recorded.rs"), test).unwrap();
    Some(cases.len())
}

/// The builder of each JSON answer: (method, path template, media type)
/// -> `operations::<module>::<Builder>`, read from the generated files.
/// Builders whose `send()` answers nothing or bytes are left out.
fn json_builders(operations: &std::path::Path) -> BTreeMap<(String, String, String), String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(operations).unwrap().flatten() {
        let module = entry.path().file_stem().unwrap().to_string_lossy().into_owned();
        let file = syn::parse_file(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
        for item in &file.items {
            let syn::Item::Impl(block) = item else { continue };
            let syn::Type::Path(ty) = &*block.self_ty else { continue };
            let builder = ty.path.segments.last().unwrap().ident.to_string();
            let (mut key, mut json) = (None, false);
            for member in &block.items {
                match member {
                    syn::ImplItem::Const(c) if c.ident == "ENDPOINT" => key = endpoint_key(&c.expr),
                    syn::ImplItem::Fn(f) if f.sig.ident == "send" => json = answers_json(&f.sig.output),
                    _ => {}
                }
            }
            if let (Some(key), true) = (key, json) {
                out.insert(key, format!("{module}::{builder}"));
            }
        }
    }
    out
}

/// (method, path template, accept) of an `ENDPOINT` literal.
fn endpoint_key(expr: &syn::Expr) -> Option<(String, String, String)> {
    let syn::Expr::Struct(s) = expr else { return None };
    let field = |name: &str| {
        s.fields
            .iter()
            .find(|f| matches!(&f.member, syn::Member::Named(n) if n == name))
    };
    let text = |name: &str| match &field(name)?.expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    };
    let method = match &field("method")?.expr {
        syn::Expr::Path(p) => p.path.segments.last()?.ident.to_string().to_ascii_uppercase(),
        _ => return None,
    };
    Some((method, text("path_template")?, text("accept")?))
}

/// Whether `send()` returns a decoded JSON body: not `Response<()>` nor
/// `Response<Vec<u8>>`.
fn answers_json(output: &syn::ReturnType) -> bool {
    fn args(ty: &syn::Type) -> Vec<&syn::Type> {
        let syn::Type::Path(p) = ty else { return Vec::new() };
        let Some(last) = p.path.segments.last() else {
            return Vec::new();
        };
        let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
            return Vec::new();
        };
        a.args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect()
    }
    let syn::ReturnType::Type(_, future) = output else {
        return false;
    };
    // SendFuture<'a, Response<T>>
    let Some(response) = args(future).into_iter().next() else {
        return false;
    };
    let Some(value) = args(response).into_iter().next() else {
        return false;
    };
    let bytes = matches!(value, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Vec"))
        && matches!(args(value).first(), Some(syn::Type::Path(p)) if p.path.is_ident("u8"));
    !matches!(value, syn::Type::Tuple(t) if t.elems.is_empty()) && !bytes
}

/// `tests/round_trips.rs` of the published crate: `check(method,
/// template, media type, body)` decodes a body as the client does, writes
/// it back, decodes that, and compares; one arm per operation version
/// some recorded answer calls (`None`: none answers that JSON).
fn round_trip_dispatch(out: &std::path::Path, cases: &[Value]) -> String {
    let builders = json_builders(&out.join("src/generated/operations"));
    let called: BTreeSet<(String, String, String)> = cases
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (text("method"), text("template"), text("mediaType"))
        })
        .collect();
    let mut arms = String::new();
    for key in called.iter().filter(|k| builders.contains_key(*k)) {
        let (method, template, media) = key;
        arms.push_str(&format!(
            "        ({method:?}, {template:?}, {media:?}) => round_trip(ops::{}::send, body),\n",
            builders[key]
        ));
    }
    format!(
        r#"// Written by tests/tests/nested/upstream.rs in atlas-admin-rs; not committed anywhere.
use atlas_admin::operations as ops;
use atlas_admin::runtime::serde::{{de::DeserializeOwned, Serialize}};
use atlas_admin::runtime::{{self, serde_json, SendFuture}};

/// Decoded as the client decodes it, written back, decoded again: the
/// same value, or why not.
fn round_trip<'a, B, T>(_send: fn(B) -> SendFuture<'a, atlas_admin::Response<T>>, body: &[u8]) -> Result<(), String>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{{
    // Atlas answers some certificates as text under a `+json` media type:
    // the client reads such a body as one JSON string.
    let body = match serde_json::from_slice::<serde_json::Value>(body) {{
        Ok(_) => body.to_vec(),
        Err(_) => serde_json::to_vec(&String::from_utf8_lossy(body)).map_err(|e| e.to_string())?,
    }};
    let (first, _) = runtime::decode::<T>(&body).map_err(|e| format!("does not decode: {{e}}"))?;
    let written = serde_json::to_vec(&first).map_err(|e| format!("does not encode: {{e}}"))?;
    let (again, _) = runtime::decode::<T>(&written).map_err(|e| format!("written back, does not decode: {{e}}"))?;
    if again == first {{
        Ok(())
    }} else {{
        Err(format!("written back as {{}}, decodes to another value", String::from_utf8_lossy(&written)))
    }}
}}

/// `None`: no operation version of this crate answers this JSON.
pub fn check(method: &str, template: &str, media: &str, body: &[u8]) -> Option<Result<(), String>> {{
    Some(match (method, template, media) {{
{arms}        _ => return None,
    }})
}}
"#
    )
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("{}: {e}", from.display()))
        .flatten()
    {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Operation versions of the generated crate, how many carry a sunset, and
/// how many of those dates have passed by the system clock.
fn sunset_counts(operations: &std::path::Path) -> (usize, usize, usize) {
    let today = atlas_admin_recordings::dates::today();
    let (mut versions, mut sunsets, mut past) = (0, 0, 0);
    for entry in std::fs::read_dir(operations).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        versions += text.matches("pub const ENDPOINT").count();
        for line in text.lines().filter(|l| l.trim_start().starts_with("sunset: Some(\"")) {
            sunsets += 1;
            let date = line.split('"').nth(1).unwrap_or("");
            if atlas_admin_recordings::dates::day_of(date).is_some_and(|d| d <= today) {
                past += 1;
            }
        }
    }
    (versions, sunsets, past)
}
