//! The one `$ref` resolver: a reference into `#/components/<section>/`,
//! followed at most [`MAX_DEPTH`] links.

use super::state::Lower;
use crate::error::{Error, Pointer};
use crate::model::type_ref::TypeRef;
use openapiv3::{Parameter, ReferenceOr, RequestBody, Response, Schema};

/// How many `$ref` links (or `allOf` levels, or alias hops) are followed
/// before the spec is taken to be cyclic.
pub const MAX_DEPTH: usize = 32;

pub(crate) const SCHEMA_PREFIX: &str = "#/components/schemas/";

impl<'a> Lower<'a> {
    pub(crate) fn schema_ref(&self, reference: &str, ptr: &Pointer) -> Result<TypeRef, Error> {
        let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) else {
            return Err(Error::at(
                &ptr.push("$ref"),
                format!("unsupported $ref {reference:?}: only '{SCHEMA_PREFIX}<name>' can name a schema"),
            ));
        };
        match self.components.get(name) {
            Some(rust) => Ok(TypeRef::Named(rust.clone())),
            None => Err(Error::at(
                &ptr.push("$ref"),
                format!("dangling $ref {reference:?}: no such schema"),
            )),
        }
    }

    /// The component schema an `allOf` part's `$ref` names, one link: its
    /// Rust type name, the schema and its pointer. A `$ref` to a `$ref` is
    /// refused there.
    pub(crate) fn schema_target(&self, reference: &str, ptr: &Pointer) -> Result<(String, &'a Schema, Pointer), Error> {
        let TypeRef::Named(rust) = self.schema_ref(reference, ptr)? else {
            return Err(Error::at(ptr, "internal error: a schema $ref that names no type"));
        };
        let name = reference.trim_start_matches(SCHEMA_PREFIX);
        match self.api.components.as_ref().and_then(|c| c.schemas.get(name)) {
            Some(ReferenceOr::Item(s)) => Ok((rust, s, Pointer::root().push("components").push("schemas").push(name))),
            _ => Err(Error::at(
                &ptr.push("$ref"),
                "unsupported: allOf of a $ref that is itself a $ref",
            )),
        }
    }

    /// The schema a reference names, for facts such as `pattern` (`None`
    /// when the chain is broken: lowering the type reports that).
    pub(crate) fn resolve_schema<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        resolve(
            schema,
            "schemas",
            self.api.components.as_ref().map(|c| &c.schemas),
            &Pointer::root(),
        )
        .ok()
    }

    pub(crate) fn parameter<'p>(&self, p: &'p ReferenceOr<Parameter>, ptr: &Pointer) -> Result<&'p Parameter, Error>
    where
        'a: 'p,
    {
        resolve(
            p,
            "parameters",
            self.api.components.as_ref().map(|c| &c.parameters),
            ptr,
        )
    }

    pub(crate) fn request_body<'p>(
        &self,
        b: &'p ReferenceOr<RequestBody>,
        ptr: &Pointer,
    ) -> Result<&'p RequestBody, Error>
    where
        'a: 'p,
    {
        resolve(
            b,
            "requestBodies",
            self.api.components.as_ref().map(|c| &c.request_bodies),
            ptr,
        )
    }

    pub(crate) fn response<'p>(&self, r: &'p ReferenceOr<Response>, ptr: &Pointer) -> Result<&'p Response, Error>
    where
        'a: 'p,
    {
        resolve(r, "responses", self.api.components.as_ref().map(|c| &c.responses), ptr)
    }
}

/// Follows a `$ref` into `#/components/<section>/`.
pub(crate) fn resolve<'p, T>(
    item: &'p ReferenceOr<T>,
    section: &str,
    components: Option<&'p indexmap::IndexMap<String, ReferenceOr<T>>>,
    ptr: &Pointer,
) -> Result<&'p T, Error> {
    let mut cur = item;
    let mut at = ptr.clone();
    for _ in 0..MAX_DEPTH {
        match cur {
            ReferenceOr::Item(t) => return Ok(t),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{section}/");
                let Some(name) = reference.strip_prefix(&prefix) else {
                    return Err(Error::at(
                        &at.push("$ref"),
                        format!("unsupported $ref {reference:?}: expected '{prefix}<name>'"),
                    ));
                };
                match components.and_then(|c| c.get(name)) {
                    Some(next) => {
                        at = Pointer::from_ref(reference).unwrap_or_default();
                        cur = next;
                    }
                    None => {
                        return Err(Error::at(
                            &at.push("$ref"),
                            format!("dangling $ref {reference:?}: no such entry"),
                        ))
                    }
                }
            }
        }
    }
    Err(Error::at(
        &at,
        format!("$ref chain longer than {MAX_DEPTH} links (a cycle?)"),
    ))
}
