//! Models: one Rust type per schema (structs, string enums, unions),
//! gated by the features of the tags that use them.

use super::docs::{code, doc_lines, field_facts, words};
use super::tokens::{ident, lenient_tokens, taken_type, taken_value, type_tokens};
use crate::model::*;
use crate::prose;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// `#[cfg(...)]` for an item, as the model gated it.
pub(crate) fn gate(gate: &Gate) -> TokenStream {
    match gate {
        Gate::Always => quote!(),
        Gate::Features(t) if t.len() == 1 => {
            let t = t.iter();
            quote!(#[cfg(#(feature = #t)*)])
        }
        Gate::Features(t) => {
            let t = t.iter();
            quote!(#[cfg(any(#(feature = #t),*))])
        }
        Gate::Full => quote!(#[cfg(feature = "full")]),
    }
}

/// `#[cfg_attr(docsrs, doc(cfg(...)))]` for an item, as the model gated
/// it: docs.rs shows the features it needs.
pub(crate) fn doc_cfg(gate: &Gate) -> TokenStream {
    match gate {
        Gate::Always => quote!(),
        Gate::Features(t) if t.len() == 1 => {
            let t = t.iter();
            quote!(#[cfg_attr(docsrs, doc(cfg(#(feature = #t)*)))])
        }
        Gate::Features(t) => {
            let t = t.iter();
            quote!(#[cfg_attr(docsrs, doc(cfg(any(#(feature = #t),*))))])
        }
        Gate::Full => quote!(#[cfg_attr(docsrs, doc(cfg(feature = "full")))]),
    }
}

/// A model with the decisions the model made about it.
pub(crate) struct ModelItem<'a> {
    def: &'a TypeDef,
    usage: &'a TypeUsage,
}

/// The models whose home is `home` (`None`: `models/mod.rs`).
pub(crate) fn models_items<'a>(api: &'a Api, home: Option<&str>) -> Vec<ModelItem<'a>> {
    api.types
        .iter()
        .filter_map(|(name, def)| {
            Some(ModelItem {
                def,
                usage: api.usage.get(name)?,
            })
        })
        .filter(|m| m.usage.home.as_deref() == home)
        .collect()
}

pub(crate) fn models_head(api: &Api) -> TokenStream {
    let title = prose::doc_line(
        &format!("Request and response models of *{}*: one type per schema.", api.title),
        1,
    );
    let own = api.tags.iter().filter(|t| t.has_own_models).map(|t| {
        let module = ident(&t.module);
        let feature = &t.module;
        quote! {
            #[cfg(feature = #feature)]
            mod #module;
            #[cfg(feature = #feature)]
            pub use #module::*;
        }
    });
    quote! {
        #![doc = #title]
        //!
        //! Models that one tag alone uses live in that tag's file, which is
        //! not even parsed without its feature; the rest live here.
        // serde comes through the runtime: a generated crate has no
        // dependency but `atlas-admin-runtime`. (Unused when a feature set
        // compiles no model.)
        #[allow(unused_imports)]
        use crate::runtime::{serde::{self, Deserialize, Serialize}, serde_json};

        #(#own)*
    }
}

/// The head of `models/<module>.rs`: the models only `tag` uses.
pub(crate) fn tag_models_head(tag: &Tag) -> TokenStream {
    let title = prose::doc_line(
        &format!(
            "Models only the operations tagged *{}* use (cargo feature `{}`).",
            tag.name, tag.module
        ),
        1,
    );
    quote! {
        #![doc = #title]
        #[allow(unused_imports)]
        use super::*;
    }
}

pub(crate) fn model_tokens(m: &ModelItem<'_>) -> TokenStream {
    let none = TokenStream::new();
    let items: Vec<TokenStream> = match m.def {
        TypeDef::Struct(s) => struct_items(s, m.usage),
        TypeDef::Enum(e) => enum_items(e),
        TypeDef::OneOf(o) => one_of_items(o, m.usage),
        TypeDef::Alias(a) => {
            let name = ident(&a.name);
            let doc = doc_lines(&[a
                .doc
                .clone()
                .or_else(|| Some(format!("The *{}* type.", words(&a.name))))]);
            let target = type_tokens(&a.target, &none);
            vec![quote! { #doc pub type #name = #target; }]
        }
    };
    let gate = m.usage.item_gate.as_ref().map(gate).unwrap_or_default();
    let doc_cfg = doc_cfg(&m.usage.gate);
    quote! { #(#gate #doc_cfg #items)* }
}

/// `#[cfg(feature = "fake")]` for an item the crate needs only in the
/// fake's direction.
fn fake_only(used: bool) -> TokenStream {
    if used {
        quote!()
    } else {
        quote!(#[cfg(feature = "fake")] #[cfg_attr(docsrs, doc(cfg(feature = "fake")))])
    }
}

/// A struct, and its serde impls written out rather than derived: a map of
/// the fields present, in field order. `Serialize` when the type is sent or
/// received, `Deserialize` when it is received, both with the `fake`
/// feature. `Debug` is derived, or written out with a mask for each
/// sensitive field. A crate
/// of a few thousand models then type-checks far less code than
/// serde_derive's per-struct visitors would give it.
pub(crate) fn struct_items(s: &Struct, usage: &TypeUsage) -> Vec<TokenStream> {
    let none = TokenStream::new();
    let name = ident(&s.name);
    let doc = doc_lines(&[s
        .doc
        .clone()
        .or_else(|| Some(format!("The *{}* object.", words(&s.name))))]);
    let default = usage.derive_default.then(|| quote!(Default,));
    let deprecated = s.deprecated.then(|| quote!(#[deprecated]));
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let inner = type_tokens(&f.ty, &none);
        let (ty, presence_doc) = match f.presence {
            Presence::Required => (inner, None),
            Presence::Optional => (quote!(Option<#inner>), None),
            Presence::RequiredNullable => (quote!(Option<#inner>), Some("Always sent; `None` is sent as `null`.")),
            Presence::OptionalNullable => (
                quote!(Option<Option<#inner>>),
                Some("`None`: absent (left alone); `Some(None)`: `null` (cleared); `Some(Some(v))`: set."),
            ),
        };
        // The spec's words, then its facts (already inert: not prose).
        let described = doc_lines(&[f.doc.as_deref()]);
        let gap = f
            .doc
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty())
            .then(|| quote!(#[doc = ""]));
        let facts = field_facts(f);
        let presence = doc_lines(&[None, presence_doc]);
        let presence_gap = presence_doc.map(|_| quote!(#[doc = ""]));
        let doc = quote!(#described #gap #[doc = #facts] #presence_gap #presence);
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        quote! { #doc #deprecated pub #fname: #ty, }
    });
    let how = if usage.sent {
        " Built with `new` (the fields that must be sent) and a `with_` setter for each optional one."
    } else {
        " With the `fake` feature (to steer the fake's answers), built with `new` (the required fields) and a \
         `with_` setter for each optional one."
    };
    let constructor = constructor(s, fake_only(usage.sent));
    // A struct holding a secret writes its `Debug` out, with the mask.
    let masked = s.fields.iter().any(|f| f.sensitive);
    let debug_derive = (!masked).then(|| quote!(Debug,));
    let mut items = vec![
        quote! {
            #doc
            #[doc = ""]
            #[doc = #how]
            #deprecated
            #[derive(#debug_derive Clone, PartialEq, #default)]
            #[non_exhaustive]
            pub struct #name { #(#fields)* }
        },
        constructor,
        serialize_struct(s, fake_only(usage.serialized())),
        deserialize_struct(s, fake_only(usage.received)),
        absent_impl(
            &s.name,
            {
                let fields = s.fields.iter().map(|f| ident(&f.rust_name));
                quote!(Self { #(#fields: crate::runtime::Absent::absent(),)* })
            },
            fake_only(usage.received),
        ),
    ];
    if masked {
        items.insert(1, debug_masked(s));
    }
    items
}

/// What `Debug` prints in place of a sensitive field's value, as
/// aws-sdk-rust does.
const SENSITIVE_MASK: &str = "*** Sensitive Data Redacted ***";

/// `Debug` of a struct with a sensitive field: as derived, but each
/// sensitive field shows [`SENSITIVE_MASK`], set or not.
fn debug_masked(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let type_name = &s.name;
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let shown = &f.rust_name;
        if f.sensitive {
            quote!(.field(#shown, &#SENSITIVE_MASK))
        } else {
            quote!(.field(#shown, &self.#fname))
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#fields)*
                    .finish()
            }
        }
    }
}

/// A struct's `new` (its required fields, by wire name) and `with_` setters
/// (each optional field): how an app builds it (a received-only struct,
/// to steer the fake: behind `gate`), so that a field added later,
/// optional, breaks no caller (the struct is `#[non_exhaustive]`, so no
/// caller writes a struct literal).
fn constructor(s: &Struct, gate: TokenStream) -> TokenStream {
    let none = TokenStream::new();
    let args = s.constructor_fields().map(|f| {
        let fname = ident(&f.rust_name);
        let inner = type_tokens(&f.ty, &none);
        let ty = match f.presence {
            Presence::RequiredNullable => quote!(Option<#inner>),
            Presence::Required | Presence::Optional | Presence::OptionalNullable => inner,
        };
        let ty = taken_type(f.taken, ty);
        quote!(#fname: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        match (f.in_constructor(), f.taken) {
            (true, Taken::AsIs) => quote!(#fname,),
            (true, Taken::Into) => quote!(#fname: #fname.into(),),
            (false, _) => quote!(#fname: None,),
        }
    });
    let setters = s.fields.iter().filter(|f| f.has_setter()).map(|f| {
        let fname = ident(&f.rust_name);
        let setter = ident(&f.setter);
        let inner = type_tokens(&f.ty, &none);
        let ty = match f.presence {
            Presence::OptionalNullable => quote!(Option<#inner>),
            Presence::Required | Presence::Optional | Presence::RequiredNullable => inner,
        };
        let ty = taken_type(f.taken, ty);
        let value = taken_value(f.taken, quote!(value));
        let doc = format!(" Sets `{}`.", f.name);
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #[doc = #doc]
            #deprecated
            #[inline]
            #[must_use]
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#fname = Some(#value);
                self
            }
        }
    });
    let name = ident(&s.name);
    let many = s
        .allow_too_many_arguments
        .then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #gate
        impl #name {
            /// The fields that must be sent; every optional one unset.
            #[inline]
            #[must_use]
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* }
            }
            #(#setters)*
        }
    }
}

/// `Serialize`: each field under its wire name; an absent optional field
/// is left out, a read-only one too in a request body (the runtime says
/// when it encodes one: `writes_read_only`), `None` of a required nullable
/// field is `null`, `Some(None)` of an optional nullable one is `null`.
fn serialize_struct(s: &Struct, gate: TokenStream) -> TokenStream {
    let name = ident(&s.name);
    let entries: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.rust_name);
            let wire = &f.name;
            match f.presence {
                // Never sent; written everywhere else (an answer written
                // back keeps what Atlas set).
                _ if f.read_only => quote! {
                    if crate::runtime::writes_read_only() {
                        if let Some(value) = &self.#fname {
                            map.serialize_entry(#wire, value)?;
                        }
                    }
                },
                Presence::Required | Presence::RequiredNullable => quote! {
                    map.serialize_entry(#wire, &self.#fname)?;
                },
                Presence::Optional | Presence::OptionalNullable => quote! {
                    if let Some(value) = &self.#fname {
                        map.serialize_entry(#wire, value)?;
                    }
                },
            }
        })
        .collect();
    let map = if entries.is_empty() {
        quote!(map)
    } else {
        quote!(mut map)
    };
    quote! {
        #gate
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let #map = serializer.serialize_map(None)?;
                #(#entries)*
                map.end()
            }
        }
    }
}

/// `Deserialize`: one pass over the object's keys, each matched to its
/// field by position in the field list (`runtime::FieldIndex`). Lenient,
/// as Atlas really answers: an unknown key is skipped, a required field
/// absent or `null` takes its `Absent` value, `null` of an optional
/// non-nullable field is `None`; each is recorded as a deviation
/// (`runtime::required`, `runtime::optional`). `null` of an optional
/// nullable field is `Some(None)`.
fn deserialize_struct(s: &Struct, gate: TokenStream) -> TokenStream {
    let none = TokenStream::new();
    let name = ident(&s.name);
    let type_name = &s.name;
    let expecting = format!("an object ({})", s.name);
    let wires: Vec<&String> = s.fields.iter().map(|f| &f.name).collect();
    let locals: Vec<Ident> = (0..s.fields.len()).map(|i| ident(&format!("f{i}"))).collect();
    // Every local is `Option<Option<T>>`: absent, `null`, or a value.
    let decls = s.fields.iter().zip(&locals).map(|(f, local)| {
        let inner = type_tokens(&f.ty, &none);
        quote!(let mut #local: Option<Option<#inner>> = None;)
    });
    let arms = s.fields.iter().zip(&locals).enumerate().map(|(i, (f, local))| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        if f.ty.has_integer_leaf() {
            let wire = lenient_tokens(&f.ty);
            quote!(Some(#i) => #local = Some(map.next_value::<crate::runtime::Lenient<Option<#wire>>>()?.0),)
        } else {
            quote!(Some(#i) => #local = Some(map.next_value()?),)
        }
    });
    let inits = s.fields.iter().zip(&locals).map(|(f, local)| {
        let fname = ident(&f.rust_name);
        let wire = &f.name;
        match f.presence {
            Presence::Required => {
                quote!(#fname: crate::runtime::required::<_, A::Error>(#local, #type_name, #wire)?,)
            }
            Presence::RequiredNullable => {
                quote!(#fname: crate::runtime::required::<_, A::Error>(#local.map(Some), #type_name, #wire)?,)
            }
            // The spec allows null here (a read-only nullable field): no deviation.
            Presence::Optional if f.null_allowed => quote!(#fname: #local.flatten(),),
            Presence::Optional => quote!(#fname: crate::runtime::optional(#local, #type_name, #wire),),
            Presence::OptionalNullable => quote!(#fname: #local,),
        }
    });
    quote! {
        #gate
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = #name;
                    #[inline]
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #(#decls)*
                        while let Some(key) = map.next_key_seed(crate::runtime::FieldIndex(#type_name, &[#(#wires),*]))? {
                            match key {
                                #(#arms)*
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(#name { #(#inits)* })
                    }
                }
                deserializer.deserialize_map(V)
            }
        }
    }
}

/// `runtime::Absent`: the value a required field of this type takes when
/// an answer leaves it out. A struct's fields are each absent; an enum or
/// union is its catch-all, holding nothing Atlas sent.
fn absent_impl(name: &str, value: TokenStream, gate: TokenStream) -> TokenStream {
    let name = ident(name);
    quote! {
        #gate
        impl crate::runtime::Absent for #name {
            #[inline]
            fn absent() -> Self {
                #value
            }
        }
    }
}

pub(crate) fn enum_items(e: &Enum) -> Vec<TokenStream> {
    let name = ident(&e.name);
    let type_name = &e.name;
    let doc = doc_lines(&[e
        .doc
        .clone()
        .or_else(|| Some(format!("The values of *{}*: a string enum.", words(&e.name))))]);
    let variants: Vec<Ident> = e.variants.iter().map(|(v, _)| ident(v)).collect();
    let values: Vec<&String> = e.variants.iter().map(|(_, w)| w).collect();
    let variant_docs = values.iter().map(|v| {
        if v.is_empty() {
            " The empty string.".to_string()
        } else {
            format!(" {}", code(v))
        }
    });
    let other = ident(&e.catch_all);
    vec![
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(#[doc = #variant_docs] #variants,)*
                /// A value this client does not know: kept as sent.
                #other(String),
            }
        },
        quote! {
            impl #name {
                /// The value as it is sent on the wire.
                #[inline]
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#variants => #values,)*
                        Self::#other(value) => value,
                    }
                }
            }
        },
        quote! {
            impl From<&str> for #name {
                #[inline]
                fn from(value: &str) -> Self {
                    match value {
                        #(#values => Self::#variants,)*
                        other => Self::#other(other.to_owned()),
                    }
                }
            }
        },
        quote! {
            impl std::fmt::Display for #name {
                #[inline]
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        },
        quote! {
            impl crate::runtime::ToParam for #name {
                #[inline]
                fn to_param(&self) -> std::borrow::Cow<'_, str> {
                    std::borrow::Cow::Borrowed(self.as_str())
                }
            }
        },
        quote! {
            impl Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        },
        quote! {
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = Self::from(String::deserialize(deserializer)?.as_str());
                    if let Self::#other(unknown) = &value {
                        crate::runtime::unknown_enum_value(#type_name, unknown);
                    }
                    Ok(value)
                }
            }
        },
        absent_impl(&e.name, quote!(Self::#other(String::new())), TokenStream::new()),
    ]
}

pub(crate) fn one_of_items(o: &OneOf, usage: &TypeUsage) -> Vec<TokenStream> {
    let none = TokenStream::new();
    let name = ident(&o.name);
    let doc = doc_lines(&[o
        .doc
        .clone()
        .or_else(|| Some(format!("*{}*: one of several documents.", words(&o.name))))]);
    let variants: Vec<Ident> = o.variants.iter().map(|v| ident(&v.name)).collect();
    let variant_docs = o
        .variants
        .iter()
        .map(|v| format!(" A document decoded as `{}`.", v.name));
    let tys: Vec<TokenStream> = o.variants.iter().map(|v| type_tokens(&v.ty, &none)).collect();
    let other = ident(&o.catch_all);
    let body = match &o.discriminator {
        Some(d) => tagged_decoder(o, d),
        None => untagged_decoder(o),
    };
    let how = decoding_doc(o);
    let serialize_gate = fake_only(usage.serialized());
    let deserialize_gate = fake_only(usage.received);
    vec![
        quote! {
            #doc
            #[doc = ""]
            #[doc = #how]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#[doc = #variant_docs] #variants(Box<#tys>),)*
                /// A document no variant matches: kept as sent.
                #other(serde_json::Value),
            }
        },
        // As the variant's own document (untagged).
        quote! {
            #serialize_gate
            impl Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(Self::#variants(value) => value.serialize(serializer),)*
                        Self::#other(value) => value.serialize(serializer),
                    }
                }
            }
        },
        quote! {
            #deserialize_gate
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = serde_json::Value::deserialize(deserializer)?;
                    #body
                }
            }
        },
        absent_impl(
            &o.name,
            quote!(Self::#other(serde_json::Value::Null)),
            deserialize_gate.clone(),
        ),
    ]
}

/// Decoding without a discriminator (or past an implicit one): variants
/// are tried strictly first (a required field absent fails one), so that
/// leniency never picks the wrong variant: the first that knows every
/// property, then the first that decodes; then a variant that knows every
/// property is taken leniently; else the catch-all.
fn untagged_decoder(o: &OneOf) -> TokenStream {
    let other = ident(&o.catch_all);
    let exact = o.variants.iter().filter_map(|v| {
        let known = v.known_fields.as_ref()?;
        let variant = ident(&v.name);
        Some((
            quote! {
                if crate::runtime::fields_within(&value, &[#(#known),*]) {
                    if let Ok(v) = crate::runtime::trial(|| serde_json::from_value(value.clone())) {
                        return Ok(Self::#variant(Box::new(v)));
                    }
                }
            },
            quote! {
                if crate::runtime::fields_within(&value, &[#(#known),*]) {
                    if let Ok(v) = serde_json::from_value(value.clone()) {
                        return Ok(Self::#variant(Box::new(v)));
                    }
                }
            },
        ))
    });
    let (exact, exact_lenient): (Vec<TokenStream>, Vec<TokenStream>) = exact.unzip();
    let loose = o.variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote! {
            if let Ok(v) = crate::runtime::trial(|| serde_json::from_value(value.clone())) {
                return Ok(Self::#variant(Box::new(v)));
            }
        }
    });
    quote! {
        #(#exact)*
        #(#loose)*
        #(#exact_lenient)*
        Ok(Self::#other(value))
    }
}

/// Decoding by the discriminator's value: each mapped value to its variant;
/// another to the catch-all (explicit mapping) or the untagged decoder.
fn tagged_decoder(o: &OneOf, d: &Discriminator) -> TokenStream {
    let other = ident(&o.catch_all);
    let property = &d.property;
    let arms = o.variants.iter().enumerate().filter_map(|(i, v)| {
        let vals: Vec<&String> = d.values.iter().filter(|(_, vi)| *vi == i).map(|(val, _)| val).collect();
        if vals.is_empty() {
            return None;
        }
        let variant = ident(&v.name);
        Some(quote! {
            Some(#(#vals)|*) => serde_json::from_value(value).map(|v| Self::#variant(Box::new(v))),
        })
    });
    let fallback = if d.explicit {
        quote!(return Ok(Self::#other(value)))
    } else {
        let untagged = untagged_decoder(o);
        quote!({ #untagged })
    };
    quote! {
        let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
        let decoded = match tag.as_deref() {
            #(#arms)*
            _ => #fallback,
        };
        decoded.map_err(serde::de::Error::custom)
    }
}

/// The doc line that says how a union is decoded.
fn decoding_doc(o: &OneOf) -> String {
    match &o.discriminator {
        Some(d) if d.explicit => {
            format!(
                " Decoded by its `{}` property; an unknown value is kept in [`Self::{}`].",
                d.property, o.catch_all
            )
        }
        Some(d) => format!(
            " Decoded by its `{}` property when that names a variant's schema, else as the first variant that \
             knows every property of the document, else the first that decodes, else kept in [`Self::{}`].",
            d.property, o.catch_all
        ),
        None => format!(
            " Decoded as the first variant that knows every property of the document, else the first that \
             decodes, else kept in [`Self::{}`].",
            o.catch_all
        ),
    }
}
