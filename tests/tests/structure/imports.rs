//! Imports (issues #9, #18, #25): no import cycles between the files of any
//! folder of the runtime, the generator or xtask, counting `mod.rs` and
//! `lib.rs` and every name of a grouped import; and no import that runs up
//! to the crate root or to a parent folder's module file.

use super::{rust_files, HAND_WRITTEN};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

/// Every folder below `dir` that holds Rust files, `dir` included.
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut out: BTreeSet<PathBuf> = BTreeSet::new();
    for file in rust_files(dir) {
        out.insert(file.parent().unwrap().to_path_buf());
    }
    out.into_iter().collect()
}

#[test]
fn no_import_cycles_between_files() {
    let root = xtask::project_root();
    let mut seen = 0;
    for krate in HAND_WRITTEN {
        for dir in folders(&root.join(krate)) {
            let g = graph(&dir);
            assert!(!g.is_empty(), "{} has no modules", dir.display());
            if let Some(c) = cycle(&g) {
                panic!("import cycle in {}: {}", dir.display(), c.join(" -> "));
            }
            seen += 1;
        }
    }
    assert!(seen >= 6, "only {seen} folders read");
}

/// The module path of a file below a crate's `src` (`auth/digest.rs` ->
/// `[auth, digest]`, `auth/mod.rs` -> `[auth]`, `lib.rs` -> `[]`).
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.trim_end_matches(".rs");
    if !PARENTS.contains(&stem) {
        parts.push(stem.to_string());
    }
    parts
}

/// The imports of one crate that name an item through an ancestor's module
/// file: `use crate::Error` where `Error` is the root's own or re-exported
/// there, `use super::Store` where `Store` is in the parent `mod.rs`. An
/// import must name the file that defines what it takes
/// (`use crate::error::Error`, `use super::state::Store`): module files sit
/// on top of their folders and only declare and re-export. Each as
/// `file: path`.
fn imports_up(src: &Path) -> Vec<String> {
    let files = rust_files(src);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f.strip_prefix(src).unwrap())).collect();
    let mut found = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(src).unwrap();
        let here = module_of(relative);
        let text = std::fs::read_to_string(file).unwrap();
        let syntax = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for path in uses(&syntax) {
            // The module the import starts from, and the rest of its path.
            let (mut at, mut rest): (Vec<String>, &[String]) = match path.first().map(String::as_str) {
                Some("crate") => (Vec::new(), &path[1..]),
                Some("self") => (here.clone(), &path[1..]),
                Some("super") => (here.clone(), &path[..]),
                _ => continue,
            };
            // Each `super` goes one module up (`super` of a module file is
            // its folder's parent).
            while let [first, tail @ ..] = rest {
                if first != "super" {
                    break;
                }
                at.pop();
                rest = tail;
            }
            while let [first, tail @ ..] = rest {
                let mut next = at.clone();
                next.push(first.clone());
                if !modules.contains(&next) {
                    break;
                }
                at = next;
                rest = tail;
            }
            // `at` is the module whose file the import takes a name from.
            let ancestor = at.len() < here.len() && here.starts_with(&at);
            if ancestor && !rest.is_empty() {
                found.push(format!("{}: {}", relative.display(), path.join("::")));
            }
        }
    }
    found
}

#[test]
fn no_import_runs_up_to_a_module_file() {
    let root = xtask::project_root();
    let mut found = Vec::new();
    for krate in HAND_WRITTEN {
        found.extend(
            imports_up(&root.join(krate))
                .into_iter()
                .map(|f| format!("{krate}/{f}")),
        );
    }
    assert!(
        found.is_empty(),
        "imports that run up to a module file:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_upward_check_finds_imports_through_the_root_and_a_parent() {
    let dir = std::env::temp_dir().join(format!("atlas-upward-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("room")).unwrap();
    std::fs::write(dir.join("lib.rs"), "mod error;\nmod room;\npub use error::Error;\n").unwrap();
    std::fs::write(dir.join("error.rs"), "pub struct Error;\n").unwrap();
    std::fs::write(dir.join("room/mod.rs"), "mod a;\nmod b;\npub use b::Thing;\n").unwrap();
    std::fs::write(
        dir.join("room/a.rs"),
        "use crate::Error;\nuse crate::error::Error as E;\nuse super::Thing;\nuse super::b::Thing as T;\n\
         #[cfg(test)]\nuse super::*;\n",
    )
    .unwrap();
    std::fs::write(dir.join("room/b.rs"), "pub struct Thing;\n").unwrap();
    let found = imports_up(&dir);
    assert_eq!(found, ["room/a.rs: crate::Error", "room/a.rs: super::Thing"]);
    let _ = std::fs::remove_dir_all(&dir);
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
