//! Recursive types are boxed: Tarjan's strongly connected components over
//! the direct (unboxed) edges between types.

use crate::model::type_ref::{walk, Fold, Inner, Scalar, TypeRef};
use crate::model::*;
use std::collections::BTreeMap;

/// The type a value of this type contains directly (in its own memory),
/// if that is a named type: not through a list or map, which indirect, nor
/// a box.
struct Direct;

impl<'t> Fold<'t> for Direct {
    type Out = Option<&'t str>;
    fn scalar(&mut self, _: Scalar) -> Option<&'t str> {
        None
    }
    fn named(&mut self, name: &'t str) -> Option<&'t str> {
        Some(name)
    }
    fn list(&mut self, _: Inner<'t>) -> Option<&'t str> {
        None
    }
    fn map(&mut self, _: Inner<'t>) -> Option<&'t str> {
        None
    }
    fn boxed(&mut self, _: Inner<'t>) -> Option<&'t str> {
        None
    }
}

fn direct(ty: &TypeRef) -> Option<&str> {
    walk(ty, &mut Direct)
}

/// Boxes the struct fields that close a cycle of directly contained types
/// (a field of type `T` or `Option<T>` inside `T`, or through other structs),
/// which Rust could not lay out. `Vec` and maps already indirect.
pub(crate) fn box_cycles(types: &mut BTreeMap<String, TypeDef>) {
    // Tarjan's strongly connected components over direct containment.
    let names: Vec<String> = types.keys().cloned().collect();
    let index_of: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|n| match &types[n] {
            TypeDef::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| direct(&f.ty))
                .filter_map(|t| index_of.get(t).copied())
                .collect(),
            TypeDef::Alias(a) => direct(&a.target)
                .and_then(|t| index_of.get(t).copied())
                .into_iter()
                .collect(),
            TypeDef::Enum(_) | TypeDef::OneOf(_) => Vec::new(),
        })
        .collect();
    let comp = tarjan(&edges);
    for (i, name) in names.iter().enumerate() {
        if let Some(TypeDef::Struct(s)) = types.get_mut(name) {
            for f in &mut s.fields {
                if let Some(target) = direct(&f.ty).and_then(|t| index_of.get(t).copied()) {
                    let cyclic = comp[target] == comp[i] && (target != i || edges[i].contains(&i));
                    if cyclic {
                        f.ty = TypeRef::Boxed(Box::new(f.ty.clone()));
                    }
                }
            }
        }
    }
}

/// Component number of each node (iterative Tarjan, no recursion limit).
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&(v, ei)) = work.last() {
            if ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if ei < edges[v].len() {
                let w = edges[v][ei];
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}
