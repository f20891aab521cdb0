//! `openapiv3::OpenAPI` -> [`model::Api`](crate::model::Api): resolve
//! references, validate, and settle every Rust name. All failures carry the
//! JSON pointer of the node. One room per job:
//! - `refs.rs`: the one `$ref` resolver (and its one depth limit);
//! - `schemas.rs`: component and inline schemas -> types;
//! - `operations.rs`: paths and operations -> tags, operations, parameters;
//! - `versions.rs`: media types -> resource versions and formats;
//! - `cycles.rs`: boxing recursive types;
//! - `usage.rs`: `Default` derives and feature gates, from how types are used;
//! - `watchers.rs`: `x-xgen-atlascli` watchers checked against the operations;
//! - `fake.rs`: the fake's state roles, sample answers and arguments.

mod cycles;
mod fake;
mod operations;
mod refs;
mod schemas;
mod usage;
mod versions;
mod watchers;

use crate::error::Error;
use crate::model::*;
use crate::names::{self, Namespace};
use openapiv3::OpenAPI;
use std::collections::BTreeMap;

pub fn lower(api: &OpenAPI) -> Result<Api, Error> {
    let mut cx = Lower::new(api);
    cx.components()?;
    let mut tags = cx.operations()?;
    let warnings = watchers::settle(&mut tags, &cx.types);
    let mut types = std::mem::take(&mut cx.types);
    let components = std::mem::take(&mut cx.components);
    cycles::box_cycles(&mut types);
    fake::settle(&mut tags, &types);
    let usage = usage::usage(&tags, &types);
    Ok(Api {
        title: api.info.title.clone(),
        tags,
        types,
        components,
        usage,
        warnings,
    })
}

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
