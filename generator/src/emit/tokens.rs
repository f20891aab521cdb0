//! Names and types as tokens: what every emitting room prints with. Types
//! are printed through the model's walk ([`walk`]), leaf by leaf as the
//! model settled them ([`Scalar::rust`], [`Scalar::reader`]).

use crate::model::type_ref::{walk, Fold, Inner, Reader, RustScalar, Scalar, TypeRef};
use crate::model::Taken;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of `t`, named types prefixed with `models`
/// (`models::`, or nothing inside the models files).
pub(crate) fn type_tokens(t: &TypeRef, models: &TokenStream) -> TokenStream {
    walk(t, &mut Printer { models, lenient: false })
}

/// The runtime's lenient reading of `t` (`TypeRef::has_integer_leaf`):
/// each leaf by its [`Reader`] (`runtime::Int32`, `runtime::Int64`), in the
/// same lists, maps and boxes.
pub(crate) fn lenient_tokens(t: &TypeRef) -> TokenStream {
    let none = TokenStream::new();
    walk(
        t,
        &mut Printer {
            models: &none,
            lenient: true,
        },
    )
}

/// The type of an argument or setter value `ty`, as it is taken.
pub(crate) fn taken_type(taken: Taken, ty: TokenStream) -> TokenStream {
    match taken {
        Taken::Into => quote!(impl Into<String>),
        Taken::AsIs => ty,
    }
}

/// The value of an argument `value` as it is stored, as it was taken.
pub(crate) fn taken_value(taken: Taken, value: TokenStream) -> TokenStream {
    match taken {
        Taken::Into => quote!(#value.into()),
        Taken::AsIs => value,
    }
}

/// Prints a type: its Rust type, or its lenient reading.
struct Printer<'m> {
    models: &'m TokenStream,
    lenient: bool,
}

impl<'t> Fold<'t> for Printer<'_> {
    type Out = TokenStream;
    fn scalar(&mut self, scalar: Scalar) -> TokenStream {
        if !self.lenient {
            return rust_scalar(scalar.rust());
        }
        match scalar.reader() {
            Reader::Int32 => quote!(crate::runtime::Int32),
            Reader::Int64 => quote!(crate::runtime::Int64),
            Reader::Plain(rust) => rust_scalar(rust),
        }
    }
    fn named(&mut self, name: &'t str) -> TokenStream {
        let models = self.models;
        let name = ident(name);
        quote!(#models #name)
    }
    fn list(&mut self, item: Inner<'t>) -> TokenStream {
        let item = item.fold(self);
        quote!(Vec<#item>)
    }
    fn map(&mut self, value: Inner<'t>) -> TokenStream {
        let value = value.fold(self);
        quote!(std::collections::BTreeMap<String, #value>)
    }
    fn boxed(&mut self, inner: Inner<'t>) -> TokenStream {
        let inner = inner.fold(self);
        quote!(Box<#inner>)
    }
}

fn rust_scalar(rust: RustScalar) -> TokenStream {
    match rust {
        RustScalar::String => quote!(String),
        RustScalar::Bool => quote!(bool),
        RustScalar::I64 => quote!(i64),
        RustScalar::F32 => quote!(f32),
        RustScalar::F64 => quote!(f64),
        RustScalar::Json => quote!(serde_json::Value),
        // By the dependency's own name: the path holds in every emitted
        // file, the crate's tests included.
        RustScalar::DateTime => quote!(atlas_admin_runtime::DateTime),
    }
}
