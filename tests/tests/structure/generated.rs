//! Generated code as committed: operations compiled where they are called,
//! and every generated file marked as such for reviewers.

use std::path::Path;

/// The functions of `impl` blocks in `file` that are not `#[inline]`,
/// as `Type::function`.
fn not_inline(file: &syn::File) -> Vec<String> {
    let mut missing = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        let syn::Type::Path(ty) = &*block.self_ty else { continue };
        let ty = ty.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        for f in &block.items {
            if let syn::ImplItem::Fn(f) = f {
                if !f.attrs.iter().any(|a| a.path().is_ident("inline")) {
                    missing.push(format!("{ty}::{}", f.sig.ident));
                }
            }
        }
    }
    missing
}

/// Operations are compiled where they are called: every method of an
/// operation group and of a request builder is `#[inline]`, so rustc
/// generates machine code for an operation only in the crate that calls it
/// (the cold build of the full published crate: 39 s -> 24 s, BENCHMARKS.md).
#[test]
fn operation_methods_are_inline() {
    let dir = xtask::project_root().join("generated-client/src/generated/operations");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let file = syn::parse_file(&text).unwrap();
        let missing = not_inline(&file);
        assert!(
            missing.is_empty(),
            "{}: not #[inline]: {missing:?}",
            entry.path().display()
        );
        checked += file.items.iter().filter(|i| matches!(i, syn::Item::Impl(_))).count();
    }
    assert!(checked > 4, "only {checked} impl blocks found in {}", dir.display());
}

#[test]
fn the_inline_check_finds_a_method_without_it() {
    let file =
        syn::parse_file("impl A { #[inline] fn a() {} fn b() {} } impl B { #[inline] async fn c() {} }").unwrap();
    assert_eq!(not_inline(&file), vec!["A::b".to_string()]);
}

/// Whether `.gitattributes` marks `path` generated: a `dir/**` pattern,
/// a `dir/*.ext` pattern, or the path itself.
fn marked(attributes: &str, path: &str) -> bool {
    attributes
        .lines()
        .filter(|l| l.contains("linguist-generated=true") && !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .any(|pattern| match pattern.split_once('*') {
            None => pattern == path,
            Some((dir, "*")) => path.starts_with(dir),
            Some((dir, rest)) => path.starts_with(dir) && !path[dir.len()..].contains('/') && path.ends_with(rest),
        })
}

fn generated_files(dir: &Path, root: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            generated_files(&path, root, out);
        } else if std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| t.lines().next().map(|l| l.contains("@generated")))
            .unwrap_or(false)
        {
            out.push(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn every_generated_file_is_marked_in_gitattributes() {
    let root = xtask::project_root();
    let attributes = std::fs::read_to_string(root.join(".gitattributes")).unwrap();
    let mut files = Vec::new();
    generated_files(&root.join(xtask::CLIENT), &root, &mut files);
    assert!(files.len() > 5, "{files:?}");
    let unmarked: Vec<&String> = files.iter().filter(|f| !marked(&attributes, f)).collect();
    assert!(
        unmarked.is_empty(),
        "generated files .gitattributes does not mark: {unmarked:?}"
    );
    assert!(marked(
        &attributes,
        "tests/tests/snapshots/snapshots__seed__fake_rs.snap"
    ));
    assert!(
        !marked(&attributes, "generated-client/examples/seed_ops.rs"),
        "hand-written"
    );
}
