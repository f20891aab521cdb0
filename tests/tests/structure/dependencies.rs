//! Which crate of the workspace may depend on which: no bootstrapping.
//! The generator never depends on the runtime, the recordings or a
//! generated client; generated crates depend on the runtime alone; the
//! runtime depends on neither the generator nor xtask; the recordings
//! crate depends on no crate of ours.

use std::collections::BTreeSet;

/// The workspace crates (by path) that `manifest` lists as dependencies of
/// any kind, build and dev ones included.
fn ours(manifest: &str) -> BTreeSet<String> {
    let root = xtask::project_root();
    let text = std::fs::read_to_string(root.join(manifest)).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{manifest}: {e}"));
    let mut found = BTreeSet::new();
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(deps) = doc.get(section).and_then(|d| d.as_table()) else {
            continue;
        };
        for (name, spec) in deps {
            if spec.get("path").is_some() {
                found.insert(name.clone());
            }
        }
    }
    found
}

#[test]
fn crates_depend_only_downwards() {
    let set = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(ours("generator/Cargo.toml"), set(&[]), "the generator is pure");
    assert_eq!(
        ours("recordings/Cargo.toml"),
        set(&[]),
        "the recordings crate is a leaf"
    );
    assert_eq!(ours("runtime/Cargo.toml"), set(&["atlas-admin-recordings"]));
    assert_eq!(ours("generated-client/Cargo.toml"), set(&["atlas-admin-runtime"]));
    assert_eq!(
        ours("xtask/Cargo.toml"),
        set(&["atlas-codegen", "atlas-admin-recordings"])
    );
}
