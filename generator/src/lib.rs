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

pub use error::Error;
pub use load::parse;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// What the generated crate is called and where its spec came from.
/// Chainable `with_*` setters; xtask uses one configuration, tests vary it.
#[derive(Debug, Clone)]
pub struct Settings {
    crate_name: String,
    crate_version: String,
    spec_label: String,
    runtime: RuntimeDependency,
}

/// How a generated crate depends on `atlas-admin-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// `path = "..."`, relative to the generated crate (the default:
    /// `../runtime`, as `generated-client/` sits beside `runtime/`).
    Path(String),
    /// `version = "..."`, for when the runtime is published.
    Version(String),
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            crate_name: "atlas-admin".to_string(),
            crate_version: "0.1.0".to_string(),
            spec_label: "spec/atlas-admin.yaml".to_string(),
            runtime: RuntimeDependency::Path("../runtime".to_string()),
        }
    }
}

impl Settings {
    /// The crate's name as Rust code names it (`atlas_admin`): the package
    /// name with `-` as `_`.
    pub fn lib_name(&self) -> String {
        self.crate_name.replace('-', "_")
    }

    /// The package name written into the generated `Cargo.toml`.
    pub fn with_crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = name.into();
        self
    }

    pub fn with_crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = version.into();
        self
    }

    /// How the generated `Cargo.toml` names `atlas-admin-runtime`.
    pub fn with_runtime(mut self, runtime: RuntimeDependency) -> Self {
        self.runtime = runtime;
        self
    }

    /// How the `@generated` header names the spec (a path, as the user gave it).
    pub fn with_spec_label(mut self, label: impl Into<String>) -> Self {
        self.spec_label = label.into();
        self
    }
}

/// Generates every file of the client crate: `Cargo.toml`, `src/lib.rs` and
/// `src/generated/**` (a generated crate holds nothing else but examples).
/// Paths are relative to the crate root.
pub fn generate(api: &openapiv3::OpenAPI, settings: &Settings) -> Result<BTreeMap<PathBuf, String>, Error> {
    generate_with_warnings(api, settings).map(|(files, _)| files)
}

fn check_crate_name(settings: &Settings) -> Result<(), Error> {
    let name = &settings.crate_name;
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        return Err(Error::at(
            &error::Pointer::root(),
            format!(
                "the crate name {:?} is not a valid package name (ASCII letters, digits, '-' and '_', starting with a letter)",
                prose::comment_line(name)
            ),
        ));
    }
    Ok(())
}

/// [`generate`], and what the generator passed over: watchers that get no
/// waiter, each with the JSON pointer of the node and why.
pub fn generate_with_warnings(
    api: &openapiv3::OpenAPI,
    settings: &Settings,
) -> Result<(BTreeMap<PathBuf, String>, Vec<Error>), Error> {
    check_crate_name(settings)?;
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
