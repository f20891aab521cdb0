//! What a generation is for: the crate's name and version, the spec's label
//! in `@generated` headers, and how the crate depends on the runtime.

use crate::error::{Error, Pointer};
use crate::prose;

/// What the generated crate is called and where its spec came from.
/// Chainable `with_*` setters; xtask uses one configuration, tests vary it.
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) crate_name: String,
    pub(crate) crate_version: String,
    pub(crate) spec_label: String,
    pub(crate) runtime: RuntimeDependency,
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

impl Settings {
    /// The crate name is a valid package name.
    pub(crate) fn check_crate_name(&self) -> Result<(), Error> {
        let name = &self.crate_name;
        let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(Error::at(
            &Pointer::root(),
            format!(
                "the crate name {:?} is not a valid package name (ASCII letters, digits, '-' and '_', starting with a letter)",
                prose::comment_line(name)
            ),
        ));
        }
        Ok(())
    }
}
