//! What a tag settles once its operations are lowered: the `static` of
//! each distinct path pattern its operations check (named by `names.rs`),
//! and whether its module imports `models`.

use crate::model::type_ref::TypeRef;
use crate::model::{Operation, PathSegment, Tag};
use crate::names;
use std::collections::BTreeMap;

/// Settles [`Tag::patterns`] (and each path parameter's `pattern_const`)
/// and [`Tag::uses_models`].
pub(crate) fn settle(tag: &mut Tag) {
    settle_patterns(tag);
    tag.uses_models = tag.operations.iter().any(names_a_model);
}

/// Names one `static` per distinct path pattern, in order of first use.
fn settle_patterns(tag: &mut Tag) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut order = Vec::new();
    for op in &mut tag.operations {
        let in_path_order: Vec<usize> = op
            .path_segments
            .iter()
            .filter_map(|s| match s {
                PathSegment::Param(i) => Some(*i),
                PathSegment::Literal(_) => None,
            })
            .collect();
        for i in in_path_order {
            let Some(p) = op.path_params.get_mut(i) else { continue };
            if let Some(pat) = &p.pattern {
                let name = seen
                    .entry(pat.clone())
                    .or_insert_with(|| {
                        let name = names::pattern_static(order.len());
                        order.push((name.clone(), pat.clone()));
                        name
                    })
                    .clone();
                p.pattern_const = Some(name);
            }
        }
    }
    tag.patterns = order;
}

/// Whether the operation names a model: in a path, query or header
/// parameter, a body or a response.
fn names_a_model(op: &Operation) -> bool {
    let named = |t: &TypeRef| t.named().is_some();
    op.path_params
        .iter()
        .chain(&op.query_params)
        .chain(&op.header_params)
        .any(|p| named(&p.ty))
        || op
            .versions
            .iter()
            .any(|v| v.request.as_ref().is_some_and(|b| named(&b.ty)) || v.response.as_ref().is_some_and(named))
}
