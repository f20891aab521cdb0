//! Snapshots of generated code: each fixture spec in `fixtures/`, file by
//! file. Review changes with `cargo insta review`.

use atlas_codegen::{generate_from_str, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn generate(spec: &Path, label: &str) -> BTreeMap<PathBuf, String> {
    let text = std::fs::read_to_string(spec).unwrap();
    generate_from_str(&text, &Settings::default().with_spec_label(label))
        .unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
}

fn snapshot_name(prefix: &str, file: &Path) -> String {
    let stem = file
        .to_string_lossy()
        .replace("src/generated/", "")
        .replace(['/', '.'], "_");
    format!("{prefix}__{stem}")
}

/// Rust files, but for the two `mod.rs` files that only declare modules
/// (`models/mod.rs` holds the shared models and is snapshotted).
fn snapshotted(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "rs")
        && !path.ends_with("src/generated/mod.rs")
        && !path.ends_with("src/generated/operations/mod.rs")
}

// The seed spec's output is `generated-client/` itself, committed and
// checked by `cargo xtask codegen --check` (also a test): its diffs are
// reviewed there, not twice.

/// One snapshot per generated file per fixture.
#[test]
fn fixtures() {
    insta::glob!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"), "*.yaml", |spec| {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let files = generate(spec, &format!("tests/fixtures/{stem}.yaml"));
        for (path, text) in &files {
            if snapshotted(path) {
                insta::assert_snapshot!(snapshot_name("fixture", path), text);
            }
        }
    });
}

/// The same input gives the same bytes, however hash maps are seeded.
#[test]
fn output_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for spec in [
        "../spec/atlas-admin.yaml",
        "fixtures/versions.yaml",
        "fixtures/enums_nullable.yaml",
        "fixtures/keywords.yaml",
    ] {
        let first = generate(&root.join(spec), spec);
        for _ in 0..3 {
            assert_eq!(first, generate(&root.join(spec), spec), "{spec}");
        }
        for (path, text) in &first {
            assert!(
                text.starts_with("// @generated") || text.starts_with("# @generated"),
                "{spec}: {}",
                path.display()
            );
        }
    }
}

/// Component schemas are named in sorted order, so moving schemas around in
/// the spec does not rename types.
#[test]
fn spec_order_does_not_change_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("fixtures/versions.yaml")).unwrap();
    let (head, schemas) = text.split_once("  schemas:\n").unwrap();
    let (v1, v2) = schemas.split_once("    Widget20240530:\n").unwrap();
    let swapped = format!("{head}  schemas:\n    Widget20240530:\n{v2}{v1}");
    let a = generate_from_str(&text, &Settings::default()).unwrap();
    let b = generate_from_str(&swapped, &Settings::default()).unwrap();
    assert_eq!(a, b);
}

/// Reverses every map whose order a spec author controls: paths, the
/// operations of each path, tags, and every map under `components`.
fn reversed(text: &str) -> String {
    use serde_yaml::{Mapping, Value};
    fn rev(v: &mut Value) {
        if let Value::Mapping(m) = v {
            let entries: Vec<(Value, Value)> = std::mem::take(m).into_iter().collect();
            let mut out = Mapping::new();
            for (k, v) in entries.into_iter().rev() {
                out.insert(k, v);
            }
            *m = out;
        }
    }
    let mut doc: Value = serde_yaml::from_str(text).unwrap();
    rev(&mut doc["paths"]);
    if let Value::Mapping(paths) = &mut doc["paths"] {
        for (_, item) in paths.iter_mut() {
            rev(item);
        }
    }
    if let Some(Value::Sequence(tags)) = doc.get_mut("tags") {
        tags.reverse();
    }
    if let Some(Value::Mapping(components)) = doc.get_mut("components") {
        for (_, section) in components.iter_mut() {
            rev(section);
        }
    }
    serde_yaml::to_string(&doc).unwrap()
}

/// Reordering paths, operations, tags or schemas changes no byte of the
/// output (issue #8): names never depend on which came first.
#[test]
fn reordering_the_spec_changes_no_byte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for spec in [
        "../spec/atlas-admin.yaml",
        "fixtures/compositions.yaml",
        "fixtures/versions.yaml",
        "fixtures/enums_nullable.yaml",
        "fixtures/keywords.yaml",
    ] {
        let text = std::fs::read_to_string(root.join(spec)).unwrap();
        let flipped = reversed(&text);
        assert_ne!(text, flipped);
        let a = generate_from_str(&text, &Settings::default()).unwrap();
        let b = generate_from_str(&flipped, &Settings::default()).unwrap_or_else(|e| panic!("{spec}: {e}"));
        for (path, text) in &a {
            assert_eq!(
                Some(text),
                b.get(path),
                "{spec}: {} differs after reordering",
                path.display()
            );
        }
        assert_eq!(a.len(), b.len());
    }
}

/// Reverses, in every component schema, its `properties` and its `enum`
/// values: the order a struct's fields and an enum's values are listed in.
fn fields_and_values_reversed(text: &str) -> String {
    use serde_yaml::{Mapping, Value};
    fn walk(v: &mut Value) {
        match v {
            Value::Mapping(m) => {
                for (k, child) in m.iter_mut() {
                    match (k.as_str(), &mut *child) {
                        (Some("properties"), Value::Mapping(props)) => {
                            let entries: Vec<(Value, Value)> = std::mem::take(props).into_iter().collect();
                            *props = entries.into_iter().rev().collect::<Mapping>();
                        }
                        (Some("enum"), Value::Sequence(values)) => values.reverse(),
                        _ => {}
                    }
                    walk(child);
                }
            }
            Value::Sequence(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut doc: Value = serde_yaml::from_str(text).unwrap();
    walk(&mut doc["components"]);
    serde_yaml::to_string(&doc).unwrap()
}

/// `line` with the decoder's positional locals (`f0`, `f1`, ...), which
/// follow the order of the fields, written as `f#`.
fn without_locals(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    let mut prev_word = false;
    while let Some(c) = chars.next() {
        let starts_local = c == 'f' && !prev_word && chars.peek().is_some_and(char::is_ascii_digit);
        if starts_local {
            out.push_str("f#");
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            prev_word = true;
            continue;
        }
        prev_word = c.is_alphanumeric() || c == '_';
        out.push(c);
    }
    out
}

/// Fields and enum values whose Rust names meet after case conversion
/// (`self`/`Self`, `group_id`/`groupId`, `WARNING`/`warning`) are told
/// apart by the order of their wire names, not the spec's: listed the other
/// way round, every line of the client is still there (only the order of
/// fields and variants follows the spec).
#[test]
fn names_that_meet_after_case_conversion_do_not_depend_on_spec_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (spec, suffixed) in [
        ("fixtures/keywords.yaml", "pub self_2:"),
        ("fixtures/enums_nullable.yaml", "Warning2,"),
    ] {
        let text = std::fs::read_to_string(root.join(spec)).unwrap();
        let flipped = fields_and_values_reversed(&text);
        assert_ne!(text, flipped);
        let a = generate_from_str(&text, &Settings::default()).unwrap();
        let b = generate_from_str(&flipped, &Settings::default()).unwrap();
        let all: String = a.values().cloned().collect();
        assert!(all.contains(suffixed), "{spec}: no names meet in this fixture");
        // The fake's samples take an enum's first value: the spec's order.
        let named = a
            .iter()
            .filter(|(path, _)| !path.ends_with("fake.rs") && !path.ends_with("every_operation.rs"));
        for (path, text) in named {
            let lines = |t: &str| {
                let mut l: Vec<String> = t.lines().map(|l| without_locals(l.trim())).collect();
                l.sort();
                l
            };
            let theirs = b.get(path).map(|t| lines(t)).unwrap_or_default();
            assert_eq!(
                lines(text),
                theirs,
                "{spec}: {} names differ after reordering",
                path.display()
            );
        }
    }
}

/// Every file in `snapshots/` belongs to a snapshot these tests take: an
/// orphan (a renamed fixture, a file no longer generated) fails the build,
/// as `cargo insta test --unreferenced=reject` would.
#[test]
fn no_snapshot_is_unreferenced() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut expected = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(root.join("fixtures")).unwrap().flatten() {
        let spec = entry.path();
        let file = spec.file_name().unwrap().to_string_lossy().into_owned();
        for path in generate(&spec, "fixture").keys() {
            if snapshotted(path) {
                expected.insert(format!("snapshots__{}@{file}.snap", snapshot_name("fixture", path)));
            }
        }
    }
    let found: std::collections::BTreeSet<String> = std::fs::read_dir(root.join("tests/snapshots"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let orphans: Vec<&String> = found.difference(&expected).collect();
    assert!(orphans.is_empty(), "unreferenced snapshots (delete them): {orphans:?}");
    let missing: Vec<&String> = expected.difference(&found).collect();
    assert!(missing.is_empty(), "snapshots not yet written: {missing:?}");
}
