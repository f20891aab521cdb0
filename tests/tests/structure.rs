//! The shape of the code (issue #9): no import cycles between the files of
//! the runtime, the fake, the generator's rooms or xtask.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// File -> the sibling files it imports (`use super::x` / `use crate::x`).
fn graph(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut g = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(module) = name.strip_suffix(".rs") else {
            continue;
        };
        if module == "lib" || module == "mod" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let deps = text
            .lines()
            .map(str::trim_start)
            .filter_map(|l| l.strip_prefix("use super::").or_else(|| l.strip_prefix("use crate::")))
            .map(|rest| rest.split([':', ';', '{', ' ']).next().unwrap_or("").to_string())
            .filter(|d| !d.is_empty() && d != module)
            .collect();
        g.insert(module.to_string(), deps);
    }
    g
}

fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        u: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(u.to_string(), 1);
        stack.push(u.to_string());
        for v in g.get(u).into_iter().flatten().filter(|v| g.contains_key(*v)) {
            match state.get(v) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == v).unwrap_or(0);
                    let mut c = stack[at..].to_vec();
                    c.push(v.clone());
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(v, g, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(u.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for u in g.keys() {
        if !state.contains_key(u) {
            if let Some(c) = visit(u, g, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_import_cycles_between_files() {
    let root = xtask::project_root();
    for dir in [
        "runtime/src",
        "runtime/src/fake",
        "generator/src",
        "generator/src/lower",
        "generator/src/emit",
        "xtask/src",
    ] {
        let g = graph(&root.join(dir));
        assert!(!g.is_empty(), "{dir} has no modules");
        if let Some(c) = cycle(&g) {
            panic!("import cycle in {dir}: {}", c.join(" -> "));
        }
    }
}

#[test]
fn the_cycle_check_finds_cycles() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert_eq!(cycle(&g), Some(vec!["a".into(), "b".into(), "a".into()]));
}

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
