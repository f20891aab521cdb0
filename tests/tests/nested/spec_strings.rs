//! Spec strings with any characters never break the generated crate
//! (issue #8, item 10). Text goes into every place the generator copies
//! prose or values from: the title, tag names and descriptions, summaries,
//! descriptions of operations, parameters, schemas and properties, enum
//! values and examples.
//!
//! - [`CASES`] random specs: generation never panics; when it succeeds,
//!   every Rust file parses, `Cargo.toml` parses with only the sections we
//!   write, and no doc line opens a code block (rustdoc would run it) or
//!   raw HTML;
//! - one crate made from [`BUILT_STRINGS`] random strings at once is built
//!   with warnings denied.

use atlas_admin_tests::{standalone_cargo, write_standalone};
use atlas_codegen::{generate_from_str, Settings};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const CASES: u32 = 256;
pub const BUILT_STRINGS: usize = 24;

/// Text made of the pieces that break things, and of anything at all.
fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just("```".to_string()),
        Just("~~~".to_string()),
        Just("    ".to_string()),
        Just("*/".to_string()),
        Just("/*".to_string()),
        Just("\"#".to_string()),
        Just("r#\"".to_string()),
        Just("\\".to_string()),
        Just("\"".to_string()),
        Just("`".to_string()),
        Just("<script>".to_string()),
        Just("[patch.crates-io]".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\u{2028}".to_string()),
        any::<char>().prop_map(String::from),
        "[a-zA-Z ]{1,6}".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 1..10).prop_map(|v| v.concat())
}

/// A spec with `s[i]` in every place spec text can land.
fn spec(s: &[String]) -> String {
    let at = |i: usize| s[i % s.len()].clone();
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": at(0), "version": "1"},
        "tags": [{"name": at(1), "description": at(2)}],
        "paths": {
            "/api/atlas/v2/groups/{groupId}/things": {
                "get": {
                    "operationId": "listThings",
                    "tags": [at(1)],
                    "summary": at(3),
                    "description": at(4),
                    "parameters": [
                        {"name": "groupId", "in": "path", "required": true, "description": at(5),
                         "schema": {"type": "string", "example": at(6)}},
                        {"name": "kind", "in": "query", "description": at(7),
                         "schema": {"$ref": "#/components/schemas/Kind"}}
                    ],
                    "responses": {"200": {"description": at(8), "content": {
                        "application/vnd.atlas.2023-01-01+json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    }}}
                }
            }
        },
        "components": {"schemas": {
            "Thing": {"type": "object", "description": at(9), "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": at(10), "example": at(11)},
                    "kind": {"$ref": "#/components/schemas/Kind"}
                },
                "example": {"name": at(12)}},
            "Kind": {"type": "string", "description": at(13), "enum": [at(14), at(15), "PLAIN"]}
        }}
    });
    serde_yaml::to_string(&doc).unwrap()
}

/// What must hold of any output the generator accepts.
fn check(files: &BTreeMap<PathBuf, String>) -> Result<(), String> {
    for (path, text) in files {
        if path.extension().is_some_and(|e| e == "rs") {
            syn::parse_file(text).map_err(|e| format!("{} does not parse: {e}", path.display()))?;
            let mut in_example = false;
            for line in text.lines() {
                let t = line.trim_start();
                let Some(doc) = t.strip_prefix("///").or_else(|| t.strip_prefix("//!")) else {
                    continue;
                };
                let doc = doc.strip_prefix(' ').unwrap_or(doc);
                if path.ends_with("src/lib.rs") && (doc == "```no_run" || doc == "```") {
                    in_example = doc != "```";
                    continue; // the crate's own example, not spec text
                }
                if in_example {
                    continue;
                }
                if doc.starts_with("```") || doc.starts_with("~~~") || doc.starts_with("    ") {
                    return Err(format!("{}: a doc line opens a code block: {line:?}", path.display()));
                }
                let outside_code: String = doc.split('`').step_by(2).collect();
                if outside_code.replace("\\<", "").contains('<') {
                    return Err(format!("{}: raw HTML in docs: {line:?}", path.display()));
                }
            }
        }
    }
    let manifest = &files[&PathBuf::from("Cargo.toml")];
    let table: toml::Table = manifest
        .parse()
        .map_err(|e| format!("Cargo.toml does not parse: {e}"))?;
    let keys: Vec<&str> = table.keys().map(String::as_str).collect();
    if keys != ["dependencies", "dev-dependencies", "features", "lib", "package", "test"] {
        return Err(format!("Cargo.toml has sections {keys:?}"));
    }
    Ok(())
}

#[test]
fn spec_strings_never_break_the_generated_crate() {
    let mut runner = TestRunner::new(atlas_admin_tests::proptest_config(CASES));
    let accepted = std::cell::Cell::new(0u32);
    let refused = std::cell::Cell::new(0u32);
    runner
        .run(
            &prop::collection::vec(prop_oneof![nasty(), any::<String>()], 16),
            |strings| {
                match generate_from_str(&spec(&strings), &Settings::default()) {
                    Ok(files) => {
                        accepted.set(accepted.get() + 1);
                        check(&files).map_err(TestCaseError::fail)?;
                    }
                    Err(e) => {
                        refused.set(refused.get() + 1);
                        prop_assert!(e.pointer.starts_with('/') || e.pointer.is_empty(), "{e}");
                    }
                }
                Ok(())
            },
        )
        .unwrap();
    let (accepted, refused) = (accepted.get(), refused.get());
    println!("spec strings: {CASES} cases, {accepted} generated and checked, {refused} refused with a pointer");
    assert!(
        accepted > CASES / 2,
        "most random specs must generate: {accepted} of {CASES}"
    );
}

#[test]
fn a_crate_made_of_hostile_strings_builds_warning_free() {
    let mut runner = TestRunner::new(atlas_admin_tests::proptest_config(1));
    let strategy = prop::collection::vec(nasty(), 16);
    let mut sets = Vec::new();
    while sets.iter().map(Vec::len).sum::<usize>() < BUILT_STRINGS {
        let strings = strategy.new_tree(&mut runner).unwrap().current();
        if generate_from_str(&spec(&strings), &Settings::default()).is_ok() {
            sets.push(strings);
        }
    }
    let strings: Vec<String> = sets.concat();
    let dir = std::env::temp_dir().join(format!("atlas-spec-strings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("spec.yaml");
    // One spec with every string: a tag per set, so all of them land.
    let mut doc: serde_json::Value = serde_yaml::from_str(&spec(&strings[..16])).unwrap();
    for (i, set) in sets.iter().enumerate().skip(1) {
        let extra: serde_json::Value = serde_yaml::from_str(&spec(set)).unwrap();
        let op = extra["paths"]["/api/atlas/v2/groups/{groupId}/things"]["get"].clone();
        let mut op = op;
        op["operationId"] = json!(format!("listThings{i}"));
        doc["paths"][format!("/api/atlas/v2/groups/{{groupId}}/things{i}")] = json!({"get": op});
        doc["tags"].as_array_mut().unwrap().push(extra["tags"][0].clone());
    }
    let text = serde_yaml::to_string(&doc).unwrap();
    if generate_from_str(&text, &Settings::default()).is_err() {
        // Two random tags met after case conversion: build the first set alone.
        std::fs::write(&spec_path, spec(&strings[..16])).unwrap();
    } else {
        std::fs::write(&spec_path, text).unwrap();
    }
    let out = dir.join("crate");
    write_standalone(&spec_path, &out);
    standalone_cargo(&["check"], &out.join("Cargo.toml"));
    std::fs::remove_dir_all(&dir).unwrap();
}
