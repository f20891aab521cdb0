//! ARCHITECTURE.md stays true (issue #25): every path it names exists, so a
//! file that moves without the map moving with it fails here.

use std::collections::BTreeSet;
use std::path::Path;

const EXTENSIONS: [&str; 7] = [".rs", ".toml", ".yaml", ".md", ".sh", ".json", ".snap"];

/// The code spans of a Markdown text that name a path: a span without
/// spaces, placeholders or Rust paths, holding a `/` or ending in a file
/// extension (`runtime/src/auth/`, `lib.rs`).
fn named_paths(markdown: &str) -> Vec<String> {
    markdown
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| !span.contains([' ', '<', '>', '{', '*', '(', '=']) && !span.contains("::"))
        .filter(|span| !span.starts_with("--") && !span.contains("://"))
        .filter(|span| span.contains('/') || EXTENSIONS.iter().any(|e| span.ends_with(e)))
        .map(str::to_string)
        .collect()
}

/// Whether `path` exists below `root`; a bare file name (`lib.rs`) must
/// name some file of the tree.
fn exists(root: &Path, path: &str, names: &BTreeSet<String>) -> bool {
    if path.contains('/') {
        root.join(path.trim_start_matches("./")).exists()
    } else {
        names.contains(path)
    }
}

/// The file names of every file below the hand-written and generated crates.
fn file_names(root: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "target" || name.starts_with('.') && name != ".ci" {
                continue;
            }
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                names.insert(name);
            }
        }
    }
    names
}

#[test]
fn every_path_architecture_md_names_exists() {
    let root = xtask::project_root();
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let names = file_names(&root);
    let paths = named_paths(&text);
    assert!(paths.len() > 20, "only {} paths found: {paths:?}", paths.len());
    let missing: Vec<&String> = paths.iter().filter(|p| !exists(&root, p, &names)).collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

#[test]
fn the_path_check_reads_code_spans_that_name_files() {
    let text = "See `runtime/src/auth/`, `lib.rs` and `Client::builder()`, \
                `cargo xtask codegen --check`, `operations/<tag>.rs` and `spec/atlas-admin.yaml`.";
    assert_eq!(
        named_paths(text),
        ["runtime/src/auth/", "lib.rs", "spec/atlas-admin.yaml"]
    );
    let root = xtask::project_root();
    let names = file_names(&root);
    assert!(exists(&root, "spec/atlas-admin.yaml", &names));
    assert!(!exists(&root, "spec/gone.yaml", &names));
    assert!(!exists(&root, "gone.rs", &names));
}
