//! The fake's route table (`src/generated/fake.rs`: every operation version
//! of the spec as data for the runtime's fake) and the every-operation test
//! (`tests/every_operation.rs`). Prints what `lower/fake.rs` settled.

use super::tokens::{ident, type_tokens};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

fn table_name(tag: &Tag) -> proc_macro2::Ident {
    ident(&tag.fake_table)
}

fn item_tokens(item: &FakeItem) -> TokenStream {
    let kind = &item.kind;
    let parents = &item.parents;
    let named_by = &item.named_by;
    let derived = item.derived.iter().map(|d| {
        let (field, from) = (&d.field, &d.from);
        let rule = match d.rule {
            Derivation::AddressBlock => quote!(Derivation::AddressBlock),
        };
        quote!(Derived { field: #field, from: #from, rule: #rule })
    });
    quote!(Item { kind: #kind, parents: &[#(#parents),*], named_by: &[#(#named_by),*], derived: &[#(#derived),*] })
}

fn fresh_tokens(f: &FreshKey) -> TokenStream {
    let (prefix, width, hex, suffix) = (&f.prefix, f.width, f.hex, &f.suffix);
    quote!(Fresh { prefix: #prefix, width: #width, hex: #hex, suffix: #suffix })
}

fn role_tokens(role: &FakeRole) -> TokenStream {
    match role {
        FakeRole::Stateless => quote!(Role::Stateless),
        FakeRole::Create {
            item,
            key_fields,
            fresh,
            carried,
        } => {
            let item = item_tokens(item);
            let fresh = fresh.iter().map(fresh_tokens);
            quote!(Role::Create { item: #item, key_fields: &[#(#key_fields),*], fresh: &[#(#fresh),*], carried: &[#(#carried),*] })
        }
        FakeRole::CreateEach { item, carried } => {
            let item = item_tokens(item);
            quote!(Role::CreateEach { item: #item, carried: &[#(#carried),*] })
        }
        FakeRole::Read { item, keys } => {
            let item = item_tokens(item);
            quote!(Role::Read { item: #item, keys: &[#(#keys),*] })
        }
        FakeRole::ReadBelow { item, keys } => {
            let item = item_tokens(item);
            quote!(Role::ReadBelow { item: #item, keys: &[#(#keys),*] })
        }
        FakeRole::Update { item, keys } => {
            let item = item_tokens(item);
            quote!(Role::Update { item: #item, keys: &[#(#keys),*] })
        }
        FakeRole::Delete { item, keys } => {
            let item = item_tokens(item);
            quote!(Role::Delete { item: #item, keys: &[#(#keys),*] })
        }
        FakeRole::List { item } => {
            let item = item_tokens(item);
            quote!(Role::List { item: #item })
        }
    }
}

fn segment_tokens(seg: &RouteSegment) -> TokenStream {
    match seg {
        RouteSegment::Literal(text) => quote!(Segment::Literal(#text)),
        RouteSegment::Param { name, prefix, suffix } => {
            quote!(Segment::Param { name: #name, prefix: #prefix, suffix: #suffix })
        }
    }
}

fn operation_tokens(op: &Operation) -> TokenStream {
    let models = quote!(models::);
    let id = &op.operation_id;
    let method = op.method.as_str();
    let path = &op.path;
    let segments = op.route.iter().map(segment_tokens);
    let params = op.path_params.iter().map(|p| {
        let name = &p.name;
        let pattern = match &p.pattern {
            Some(pat) => quote!(Some(#pat)),
            None => quote!(None),
        };
        quote!(PathParam { name: #name, pattern: #pattern })
    });
    let role = role_tokens(&op.fake_role);
    let versions = op.versions.iter().map(|v| {
        let media = &v.accept;
        let label = v.label.name();
        let json = v.format.is_json();
        let sunset = match &v.sunset {
            Some(s) => quote!(Some(#s)),
            None => quote!(None),
        };
        let status = proc_macro2::Literal::u16_unsuffixed(v.status);
        let answer = match &v.fake_answer {
            Some(a) => quote!(Some(#a)),
            None => quote!(None),
        };
        let body = match &v.request {
            Some(b) => {
                let ty = type_tokens(&b.ty, &models);
                let required = b.required;
                quote!(Some(BodyCheck { required: #required, decode: decodes::<#ty> }))
            }
            None => quote!(None),
        };
        let decode = match &v.response {
            Some(ty) => {
                let ty = type_tokens(ty, &models);
                quote!(Some(decodes_answer::<#ty>))
            }
            None => quote!(None),
        };
        let write_only = v.write_only.iter().map(|path| quote!(&[#(#path),*]));
        quote! {
            OperationVersion {
                media_type: #media, label: #label, json: #json, sunset: #sunset, status: #status, answer: #answer, body: #body, decode: #decode,
                write_only: &[#(#write_only),*],
            }
        }
    });
    quote! {
        Operation {
            operation_id: #id,
            method: #method,
            path: #path,
            segments: &[#(#segments),*],
            params: &[#(#params),*],
            role: #role,
            versions: &[#(#versions),*],
        }
    }
}

/// `src/generated/fake.rs`.
pub(crate) fn fake_module(api: &Api) -> TokenStream {
    let tables = api.tags.iter().map(|tag| {
        let name = table_name(tag);
        let feature = &tag.module;
        let ops = tag.operations.iter().map(operation_tokens);
        quote! {
            #[cfg(feature = #feature)]
            static #name: &[Operation] = &[#(#ops),*];
        }
    });
    let extend = api.tags.iter().map(|tag| {
        let name = table_name(tag);
        let feature = &tag.module;
        quote! {
            #[cfg(feature = #feature)]
            all.extend(#name);
        }
    });
    quote! {
        //! A fake Atlas that serves every operation of this crate's spec:
        //! the route table below (written by the generator from the same
        //! spec as the client) on the runtime's server. Enabled by the
        //! `fake` feature.
        #![allow(unused_imports, clippy::all)]

        use crate::models;
        use crate::runtime::serde_json;
        pub use atlas_admin_runtime::fake::{
            decodes, decodes_answer, sunset_passed, Answer, BodyCheck, Call, Derivation, Derived, Fault, FakeSpec, Fresh, Item, NoSpec,
            Operation, OperationCall, OperationVersion, PathParam, RecordedRequest, Role, Segment, Store,
        };

        /// This crate's spec, as the fake serves it.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Spec;

        /// A fake Atlas serving every operation of this crate's spec:
        /// `FakeAtlas::builder()...start().await`.
        pub type FakeAtlas = atlas_admin_runtime::fake::FakeAtlas<Spec>;
        /// Configures a [`FakeAtlas`].
        pub type FakeAtlasBuilder = atlas_admin_runtime::fake::FakeAtlasBuilder<Spec>;

        impl FakeSpec for Spec {
            fn operations() -> Vec<&'static Operation> {
                #[allow(unused_mut)]
                let mut all: Vec<&'static Operation> = Vec::new();
                #(#extend)*
                all
            }
        }

        #(#tables)*
    }
}

/// The every-operation test's calls of each version of `op`, with the
/// sample arguments and body, each outcome recorded.
fn operation_calls(op: &Operation, module: &proc_macro2::Ident, models: &TokenStream) -> Vec<TokenStream> {
    let required: Vec<&Param> = op.positional_params().collect();
    op.versions
        .iter()
        .map(|v| {
            let args = required.iter().zip(&op.fake_args).map(|(p, sample)| match sample {
                FakeArg::Text(s) => quote!(String::from(#s)),
                FakeArg::Decoded(text) => {
                    let ty = type_tokens(&p.ty, models);
                    quote!(serde_json::from_str::<#ty>(#text).expect("a sample argument decodes"))
                }
            });
            let body = v.request.as_ref().zip(v.fake_body.as_ref()).map(|(b, text)| {
                let ty = type_tokens(&b.ty, models);
                quote!(serde_json::from_str::<#ty>(#text).expect("the sample body decodes"))
            });
            let method = ident(op.method_for(v));
            let label = format!("{} {}", op.operation_id, v.accept);
            let sunset = match &v.sunset {
                Some(s) => quote!(Some(#s)),
                None => quote!(None),
            };
            quote! {
                let outcome = client.#module().#method(#(#args,)* #body).send().await.map(|_| ());
                report.record(#label, #sunset, outcome);
            }
        })
        .collect()
}

/// `tests/every_operation.rs`: calls every operation version through the
/// client against the fake, one test per tag, each outcome recorded in the
/// runtime's `fake::Report`.
pub(crate) fn every_operation_test(api: &Api, crate_ident: &str) -> TokenStream {
    let krate = ident(crate_ident);
    let models = quote!(#krate::models::);
    let tests = api.tags.iter().map(|tag| {
        let test = ident(&format!("every_operation_of_{}", tag.module));
        let feature = &tag.module;
        let module = ident(&tag.module);
        let calls = tag
            .operations
            .iter()
            .flat_map(|op| operation_calls(op, &module, &models));
        quote! {
            #[cfg(feature = #feature)]
            #[tokio::test]
            async fn #test() {
                let fake = FakeAtlas::builder().api_key(KEY, SECRET).stateless().start().await;
                let client = client(&fake);
                let mut report = Report::default();
                #(#calls)*
                report.finish(#feature);
            }
        }
    });
    quote! {
        //! Every operation version of this crate's spec, called through the
        //! client against the fake (`FakeAtlas`, stateless): each must
        //! answer a typed `Ok`, and a version past its sunset (by today's
        //! date) must be refused with 410.
        #![cfg(feature = "fake")]
        #![allow(deprecated, unused_imports, clippy::all)]

        // Formatted by the generator; `cargo fmt` leaves it alone.
        #[rustfmt::skip]
        mod every_operation {
        use #krate::fake::FakeAtlas;
        use #krate::runtime::fake::Report;
        use #krate::runtime::serde_json;

        const KEY: &str = "every-operation-key";
        const SECRET: &str = "every-operation-secret";

        fn client(fake: &FakeAtlas) -> #krate::Client {
            #krate::Client::builder()
                .base_url(fake.url())
                .ops_manager_url(fake.url())
                .api_key(KEY, SECRET)
                .build()
                .expect("a client for the fake")
        }

        #(#tests)*
        }
    }
}
