//! `openapiv3::OpenAPI` -> [`model::Api`](crate::model::Api): resolve
//! references, validate, and settle every Rust name. All failures carry the
//! JSON pointer of the node. One room per job:
//! - `refs.rs`: the one `$ref` resolver (and its one depth limit);
//! - `schemas.rs`: component and inline schemas -> types;
//! - `operations.rs`: paths and operations -> tags, operations, parameters;
//! - `arguments.rs`: how methods, constructors and setters take arguments;
//! - `tags.rs`: each tag's pattern statics and whether it uses models;
//! - `paths.rs`: path templates -> the client's and the fake's segments;
//! - `versions.rs`: media types -> resource versions and formats;
//! - `cycles.rs`: boxing recursive types;
//! - `sensitive.rs`: which fields hold secrets, and which secrets each
//!   version's bodies can carry;
//! - `write_only.rs`: where an answer can hold a write-only field;
//! - `usage.rs`: `Default` derives, feature gates and each type's file,
//!   from how types are used;
//! - `watchers.rs`: `x-xgen-atlascli` watchers checked against the operations;
//! - `fake.rs`: the fake's state roles, sample answers and arguments;
//! - `state.rs`: `Lower`, what the passes above fill in as they go.

mod arguments;
mod cycles;
mod facts;
mod fake;
mod operations;
mod paths;
pub(crate) mod refs;
mod samples;
mod schemas;
mod sensitive;
mod state;
mod tags;
mod usage;
mod versions;
mod watchers;
mod write_only;

use crate::error::Error;
use crate::model::*;
use openapiv3::OpenAPI;
use state::Lower;

pub fn lower(api: &OpenAPI) -> Result<Api, Error> {
    let mut cx = Lower::new(api);
    cx.components()?;
    let mut tags = cx.operations()?;
    tags.iter_mut().for_each(tags::settle);
    let warnings = watchers::settle(&mut tags, &cx.types)?;
    let mut types = std::mem::take(&mut cx.types);
    let components = std::mem::take(&mut cx.components);
    cycles::box_cycles(&mut types);
    schemas::settle_variant_fields(&mut types);
    sensitive::settle_versions(&mut tags, &types);
    write_only::settle(&mut tags, &types);
    fake::settle(&mut tags, &types);
    fake::settle_watched_states(&mut tags);
    let usage = usage::usage(&tags, &types);
    usage::settle_own_models(&mut tags, &usage);
    Ok(Api {
        title: api.info.title.clone(),
        tags,
        types,
        components,
        usage,
        warnings,
    })
}
