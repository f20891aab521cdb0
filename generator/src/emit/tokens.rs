//! Names and types as tokens: what every emitting room prints with.

use crate::model::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The runtime's reading of an integer-leaf type (`TypeRef::has_integer_leaf`):
/// `runtime::Int32` or `runtime::Int64` at the leaf, in the same lists,
/// maps and boxes.
pub(crate) fn lenient_tokens(t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::I32 => quote!(crate::runtime::Int32),
        TypeRef::Vec(inner) => {
            let inner = lenient_tokens(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = lenient_tokens(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = lenient_tokens(inner);
            quote!(Box<#inner>)
        }
        _ => quote!(crate::runtime::Int64),
    }
}

pub(crate) fn type_tokens(t: &TypeRef, models: &TokenStream) -> TokenStream {
    match t {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        // Atlas sends int32 fields past 2^31: every integer is an i64.
        TypeRef::I32 => quote!(i64),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Named(n) => {
            let n = ident(n);
            quote!(#models #n)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, models);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, models);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner, models);
            quote!(Box<#inner>)
        }
    }
}
