//! `Lower`: the lowering's working state, which `schemas.rs`,
//! `operations.rs` and `refs.rs` extend with their own methods.

use crate::model::type_ref::TypeRef;
use crate::model::TypeDef;
use crate::names::{self, Namespace};
use openapiv3::OpenAPI;
use std::collections::BTreeMap;

pub(crate) struct Lower<'a> {
    pub(crate) api: &'a OpenAPI,
    pub(crate) types: BTreeMap<String, TypeDef>,
    /// Inline schema (by pointer) -> its type, so a node lowers once.
    pub(crate) inline: BTreeMap<String, TypeRef>,
    pub(crate) type_names: Namespace,
    /// Component schema name -> Rust type name.
    pub(crate) components: BTreeMap<String, String>,
}

impl<'a> Lower<'a> {
    pub(crate) fn new(api: &'a OpenAPI) -> Self {
        Lower {
            api,
            types: BTreeMap::new(),
            inline: BTreeMap::new(),
            type_names: Namespace::reserved(names::MODEL_SCOPE),
            components: BTreeMap::new(),
        }
    }
}
