//! The shape of the code (issues #9, #18): no import cycles between the
//! files of the runtime, the fake, the generator's rooms or xtask, counting
//! `mod.rs` and `lib.rs` and every name of a grouped import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The parent file of a folder's modules: `lib.rs`, `main.rs` or `mod.rs`.
const PARENTS: [&str; 3] = ["lib", "main", "mod"];

/// Every path a `use` tree names, as segments (`use super::{a, b::c}` ->
/// `[super, a]`, `[super, b, c]`; a glob ends in `*`, a rename takes the
/// original name).
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push([prefix.clone(), vec![n.ident.to_string()]].concat()),
        syn::UseTree::Rename(r) => out.push([prefix.clone(), vec![r.ident.to_string()]].concat()),
        syn::UseTree::Glob(_) => out.push([prefix.clone(), vec!["*".into()]].concat()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_paths(t, prefix, out)),
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string().contains("test"))
    })
}

/// A file's top-level `use` paths (not test-only ones).
fn uses(file: &syn::File) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for item in &file.items {
        if let syn::Item::Use(u) = item {
            if !is_test_only(&u.attrs) {
                use_paths(&u.tree, &mut Vec::new(), &mut out);
            }
        }
    }
    out
}

/// The names a file defines at its top level.
fn defined(file: &syn::File) -> BTreeSet<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Const(c) => Some(c.ident.to_string()),
            syn::Item::Static(s) => Some(s.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            syn::Item::Trait(t) => Some(t.ident.to_string()),
            syn::Item::Macro(m) => m.ident.as_ref().map(ToString::to_string),
            _ => None,
        })
        .collect()
}

/// File -> the files of the same folder it depends on, `mod.rs` and
/// `lib.rs` included: a parent depends on each module it declares, and on
/// what it imports from them; a child depends on the sibling it imports
/// from (`use super::x`, or `use crate::x` in a crate's root folder), on
/// the sibling a name the parent re-exports comes from, and on the parent
/// itself for a name the parent defines. Grouped imports count each name.
fn graph(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(module) = name.strip_suffix(".rs") else {
            continue;
        };
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        files.insert(module.to_string(), file);
    }
    let parent = PARENTS.iter().find(|p| files.contains_key(**p)).map(|p| p.to_string());
    let crate_root = parent.as_deref().is_some_and(|p| p != "mod");
    let is_sibling = |m: &str| files.contains_key(m) && !PARENTS.contains(&m);
    // What the parent re-exports (name -> the sibling it comes from) and defines.
    let mut reexported: BTreeMap<String, String> = BTreeMap::new();
    let mut parent_defines = BTreeSet::new();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    if let Some(p) = &parent {
        let file = &files[p];
        parent_defines = defined(file);
        let mut deps = BTreeSet::new();
        for item in &file.items {
            if let syn::Item::Mod(m) = item {
                if m.content.is_none() && !is_test_only(&m.attrs) && is_sibling(&m.ident.to_string()) {
                    deps.insert(m.ident.to_string());
                }
            }
        }
        for path in uses(file) {
            let path: Vec<&str> = path
                .iter()
                .map(String::as_str)
                .skip_while(|s| *s == "self" || *s == "crate")
                .collect();
            if let [module, .., name] = path[..] {
                if is_sibling(module) {
                    deps.insert(module.to_string());
                    reexported.insert(name.to_string(), module.to_string());
                }
            }
        }
        g.insert(p.clone(), deps);
    }
    for (module, file) in &files {
        if PARENTS.contains(&module.as_str()) {
            continue;
        }
        let mut deps = BTreeSet::new();
        for path in uses(file) {
            let rest = match path.first().map(String::as_str) {
                Some("super") => &path[1..],
                Some("crate") if crate_root => &path[1..],
                _ => continue,
            };
            let Some(first) = rest.first() else { continue };
            if is_sibling(first) {
                deps.insert(first.clone());
            } else if let Some(from) = reexported.get(first) {
                deps.insert(from.clone());
            } else if let Some(p) = parent
                .as_ref()
                .filter(|_| parent_defines.contains(first) || first == "*")
            {
                deps.insert(p.clone());
            }
        }
        deps.remove(module);
        g.insert(module.clone(), deps);
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

/// The graph sees what the line-prefix reading missed: a grouped import of
/// names the parent defines (`use super::{ident, type_tokens}`), and a
/// parent's own imports.
#[test]
fn the_graph_reads_parents_and_grouped_imports() {
    let dir = std::env::temp_dir().join(format!("atlas-structure-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("mod.rs"),
        "mod a;\nmod b;\npub use b::Thing;\npub fn helper() {}\n",
    )
    .unwrap();
    std::fs::write(dir.join("a.rs"), "use super::{helper, Thing};\n").unwrap();
    std::fs::write(
        dir.join("b.rs"),
        "pub struct Thing;\n#[cfg(test)]\nmod tests { use super::*; }\n",
    )
    .unwrap();
    let g = graph(&dir);
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(g["mod"], set(&["a", "b"]));
    assert_eq!(g["a"], set(&["mod", "b"]), "helper is mod.rs's own, Thing is b's");
    assert_eq!(g["b"], set(&[]));
    assert_eq!(cycle(&g), Some(vec!["a".into(), "mod".into(), "a".into()]));
    let _ = std::fs::remove_dir_all(&dir);
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
