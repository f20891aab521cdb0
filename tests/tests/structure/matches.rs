//! Every match over several of the generator's `TypeRef` variants lists
//! them all (issue #25): no `_ =>` arm, so a new variant (a date-time, say)
//! is a compile error wherever it needs a decision, never a silent default.
//! A question about one variant (`TypeRef::Named(n) => Some(n), _ => None`)
//! may keep its wildcard.

use super::rust_files;
use std::collections::BTreeSet;
use syn::visit::Visit;

/// The `TypeRef` variants a pattern names, anywhere inside it.
#[derive(Default)]
struct Variants(BTreeSet<String>);

impl<'ast> Visit<'ast> for Variants {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let [.., ty, variant] = &names[..] {
            if ty == "TypeRef" {
                self.0.insert(variant.clone());
            }
        }
        syn::visit::visit_path(self, path);
    }
}

/// Matches with a wildcard arm beside arms for two or more variants, as
/// `match #N over variants` (N counts the file's matches from 1, in order).
#[derive(Default)]
struct Wildcards {
    seen: usize,
    found: Vec<String>,
}

impl<'ast> Visit<'ast> for Wildcards {
    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        self.seen += 1;
        let mut variants = Variants::default();
        for arm in &m.arms {
            variants.visit_pat(&arm.pat);
        }
        let wild = m.arms.iter().any(|arm| matches!(arm.pat, syn::Pat::Wild(_)));
        if wild && variants.0.len() >= 2 {
            let names: Vec<&str> = variants.0.iter().map(String::as_str).collect();
            self.found
                .push(format!("match #{} over {}", self.seen, names.join(", ")));
        }
        syn::visit::visit_expr_match(self, m);
    }
}

fn wildcards(text: &str) -> Vec<String> {
    let file = syn::parse_file(text).unwrap();
    let mut found = Wildcards::default();
    found.visit_file(&file);
    found.found
}

#[test]
fn no_wildcard_arm_beside_several_type_variants() {
    let root = xtask::project_root();
    let mut found = Vec::new();
    for file in rust_files(&root.join("generator/src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let at = file.strip_prefix(&root).unwrap().display().to_string();
        found.extend(wildcards(&text).into_iter().map(|w| format!("{at}: {w}")));
    }
    assert!(
        found.is_empty(),
        "wildcard arms the compiler cannot check:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_match_check_finds_a_wildcard_beside_two_variants() {
    let text = "fn f(t: &TypeRef) { match t { TypeRef::I32 | TypeRef::I64 => 1, _ => 0 }; \
                match t { TypeRef::Named(n) => Some(n), _ => None }; \
                match (a, t) { (_, TypeRef::Vec(x)) => 1, (1, TypeRef::Map(_)) => 2, _ => 3 }; }";
    let found = wildcards(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found, ["match #1 over I32, I64", "match #3 over Map, Vec"]);
}
