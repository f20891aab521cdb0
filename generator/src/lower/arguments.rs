//! How generated methods, constructors and setters take their arguments:
//! text as `impl Into<String>` where a caller is likely to hold a `&str`,
//! and whether a method passes clippy's `too_many_arguments` limit.

use crate::model::type_ref::TypeRef;
use crate::model::{Presence, Taken};

/// Clippy's default `too-many-arguments-threshold`.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// Whether a method of `count` arguments (`&self` counted) needs
/// `#[allow(clippy::too_many_arguments)]`: its arguments are required
/// inputs, which a builder cannot take instead.
pub(crate) fn too_many(count: usize) -> bool {
    count > CLIPPY_MAX_ARGUMENTS
}

/// How a parameter is taken: a path parameter's argument and an optional
/// parameter's setter take text as `impl Into<String>`; a required query
/// or header parameter's argument takes it as its type.
pub(crate) fn param(ty: &TypeRef, in_path: bool, required: bool) -> Taken {
    if *ty == TypeRef::String && (in_path || !required) {
        Taken::Into
    } else {
        Taken::AsIs
    }
}

/// How a field is taken by `new` (one that must be sent) or its setter (an
/// optional one): text as `impl Into<String>`, unless it is nullable (an
/// `Option<String>`, taken as it is).
pub(crate) fn field(ty: &TypeRef, presence: Presence) -> Taken {
    match presence {
        Presence::Required | Presence::Optional if *ty == TypeRef::String => Taken::Into,
        Presence::Required | Presence::Optional | Presence::RequiredNullable | Presence::OptionalNullable => {
            Taken::AsIs
        }
    }
}
