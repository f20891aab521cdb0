//! `atlas-codegen`: turns an OpenAPI 3.0 description of the MongoDB Atlas
//! Administration API into the Rust source of the `atlas-admin` client.
//!
//! The pipeline is pure: text -> [`parse`] -> `openapiv3::OpenAPI` ->
//! lowering into a validated model (every name settled) -> tokens (`quote`)
//! -> text (`prettyplease`). [`generate`] returns files keyed by their path
//! relative to the crate root; it never touches the disk.
//!
//! ```
//! let spec = r#"
//! openapi: 3.0.3
//! info: {title: demo, version: "1"}
//! paths:
//!   /api/atlas/v2/ping:
//!     get:
//!       operationId: ping
//!       tags: [Health]
//!       responses:
//!         "204":
//!           description: ok
//!           content: {"application/vnd.atlas.2023-01-01+json": {}}
//! "#;
//! let files = atlas_codegen::generate_from_str(spec, &atlas_codegen::Settings::default()).unwrap();
//! assert!(files[std::path::Path::new("src/generated/operations/health.rs")].starts_with("// @generated"));
//! ```

mod emit;
mod error;
mod load;
mod lower;
mod model;
mod names;
mod prose;
mod settings;

pub use error::{pointer_token, Error};
pub use load::parse;
/// How many `$ref` links are followed before a chain counts as a cycle.
pub use lower::refs::MAX_DEPTH as MAX_REF_DEPTH;
pub use settings::{RuntimeDependency, Settings};

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Generates every file of the client crate: `Cargo.toml`, `src/lib.rs` and
/// `src/generated/**` (a generated crate holds nothing else but examples).
/// Paths are relative to the crate root.
pub fn generate(api: &openapiv3::OpenAPI, settings: &Settings) -> Result<BTreeMap<PathBuf, String>, Error> {
    generate_with_warnings(api, settings).map(|(files, _)| files)
}

/// [`generate`], and what the generator passed over: watchers that get no
/// waiter, each with the JSON pointer of the node and why.
pub fn generate_with_warnings(
    api: &openapiv3::OpenAPI,
    settings: &Settings,
) -> Result<(BTreeMap<PathBuf, String>, Vec<Error>), Error> {
    settings.check_crate_name()?;
    let model = lower::lower(api)?;
    let files = emit::emit(&model, settings)?;
    Ok((files, model.warnings))
}

/// The Rust type in `models` of every component schema
/// (`#/components/schemas/<name>`), for tools and tests that pair spec
/// schemas with generated types.
pub fn schema_type_names(api: &openapiv3::OpenAPI) -> Result<BTreeMap<String, String>, Error> {
    Ok(lower::lower(api)?.components)
}

/// [`parse`] then [`generate`].
pub fn generate_from_str(text: &str, settings: &Settings) -> Result<BTreeMap<PathBuf, String>, Error> {
    generate(&parse(text)?, settings)
}
