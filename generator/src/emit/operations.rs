//! Operation groups (one per tag, a method of `Client`) and request
//! builders (one per operation version).

use super::docs::{code, doc_lines, needs_feature, version_text};
use super::tokens::{ident, taken_type, taken_value, type_tokens};
use crate::model::*;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub(crate) fn operations_mod(api: &Api) -> TokenStream {
    let modules = api.tags.iter().map(|t| {
        let module = ident(&t.module);
        let feature = &t.module;
        let doc = doc_lines(&[Some(format!(
            "Operations tagged *{}*: the group [`{}`]({}::{}) and its request builders. {}",
            t.name,
            t.type_name,
            t.module,
            t.type_name,
            needs_feature(feature)
        ))]);
        quote! {
            #doc
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            pub mod #module;
        }
    });
    let accessors = api.tags.iter().map(|t| {
        let module = ident(&t.module);
        let feature = &t.module;
        let ty = ident(&t.type_name);
        let doc = doc_lines(&[
            Some(format!("Operations tagged *{}*. {}", t.name, needs_feature(feature))),
            t.description.clone(),
        ]);
        quote! {
            #doc
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            #[inline]
            pub fn #module(&self) -> #module::#ty<'_> {
                #module::#ty::new(self)
            }
        }
    });
    quote! {
        //! One module per tag of the spec; `Client` has a method per tag
        //! that returns the tag's operation group.
        #(#modules)*

        impl crate::Client {
            #(#accessors)*
        }
    }
}

pub(crate) fn tag_module(tag: &Tag) -> TokenStream {
    let group = ident(&tag.type_name);
    let group_doc = doc_lines(&[
        Some(format!("Operations tagged *{}*.", tag.name)),
        tag.description.clone(),
    ]);
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    for op in &tag.operations {
        let sig = Signature::of(op, &tag.module);
        // The method to call first, then the version-pinned ones.
        let mut pinned = Vec::new();
        for (vi, v) in op.versions.iter().enumerate() {
            let (own, plain) = version_methods(op, &sig, vi, v);
            methods.extend(plain);
            pinned.extend(own);
            builders.push(builder_item(tag, op, v, sig.alias.as_ref(), sunset_note(v).as_ref()));
        }
        methods.extend(pinned);
    }
    let pattern_items = tag.patterns.iter().map(|(name, pat)| {
        let id = ident(name);
        quote! { static #id: runtime::Pattern = runtime::Pattern::new(#pat); }
    });
    let uses_models = tag.uses_models.then(|| {
        quote!(
            use crate::generated::models;
        )
    });
    quote! {
        #uses_models
        use crate::runtime::{self, Error, Response};
        use crate::Client;

        #(#pattern_items)*

        #group_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #group<'a> {
            client: &'a Client,
        }

        impl<'a> #group<'a> {
            #[inline]
            pub(crate) fn new(client: &'a Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }

        #(#builders)*
    }
}

/// What the methods of one operation share: their positional arguments and
/// the lines of their docs.
struct Signature {
    /// `name: Type` of each path parameter, as it is taken.
    path_args: Vec<TokenStream>,
    /// `name: Type` of each required query and header parameter, as it is taken.
    query_args: Vec<TokenStream>,
    /// The names of both, in order (a plain method passes them on).
    arg_names: Vec<Ident>,
    doc_lines: [Option<String>; 5],
    /// After the version's line: MongoDB's reference page, and the
    /// feature the method needs.
    reference: Option<String>,
    feature: String,
    alias: Option<TokenStream>,
    plain_deprecated: Option<TokenStream>,
}

impl Signature {
    fn of(op: &Operation, feature: &str) -> Self {
        let models = quote!(models::);
        let arg = |p: &Param| {
            let n = ident(&p.rust_name);
            let ty = taken_type(p.taken, type_tokens(&p.ty, &models));
            quote!(#n: #ty)
        };
        let path_args = op.path_params.iter().map(arg).collect();
        let query_args = op.required_query_and_headers().map(arg).collect();
        let roles = (!op.roles.is_empty()).then(|| format!("Required roles: {}.", op.roles.join(", ")));
        let errors = (!op.error_statuses.is_empty()).then(|| {
            let list: Vec<String> = op.error_statuses.iter().map(|s| s.to_string()).collect();
            format!("Documented error statuses: {}.", list.join(", "))
        });
        let call_line = Some(format!("`{} {}`", op.method.as_str(), op.path));
        Signature {
            path_args,
            query_args,
            arg_names: op.positional_params().map(|p| ident(&p.rust_name)).collect(),
            doc_lines: [op.summary.clone(), op.description.clone(), call_line, roles, errors],
            // Checked in `lower/facts.rs`: an https URL on mongodb.com in
            // plain URL characters, so it cannot leave the link.
            reference: op
                .reference
                .as_ref()
                .map(|url| format!(" [MongoDB's reference]({url})")),
            feature: needs_feature(feature),
            alias: op.alias.as_ref().map(|a| quote!(#[doc(alias = #a)])),
            plain_deprecated: op.plain_deprecation.as_ref().map(deprecated_attr),
        }
    }

    /// A method's docs: the operation's, with `extra` about the version,
    /// the feature it needs, and MongoDB's reference page.
    fn doc(&self, extra: String) -> TokenStream {
        let [summary, description, call_line, roles, errors] = self.doc_lines.clone();
        let text = doc_lines(&[summary, description, call_line, Some(extra), roles, errors]);
        let feature = format!(" {}", self.feature);
        // Our words and a checked URL: printed as they are, not as prose.
        let reference = self.reference.iter();
        quote! {
            #text
            #[doc = ""]
            #[doc = #feature]
            #(#[doc = ""] #[doc = #reference])*
        }
    }
}

/// The note on a version with a sunset date.
fn sunset_note(v: &Version) -> Option<String> {
    v.sunset
        .as_ref()
        .map(|s| format!("This version is deprecated; Atlas stops serving it on {s}."))
}

/// The methods that build version `vi` of `op`: its own pinned method, and
/// the plain one if it is the default version.
fn version_methods(
    op: &Operation,
    sig: &Signature,
    vi: usize,
    v: &Version,
) -> (Option<TokenStream>, Option<TokenStream>) {
    let models = quote!(models::);
    let builder = ident(&v.builder);
    let body_arg = v.request.as_ref().filter(|b| b.required).map(|b| {
        let ty = type_tokens(&b.ty, &models);
        quote!(body: #ty)
    });
    let args: Vec<&TokenStream> = sig.path_args.iter().chain(&sig.query_args).chain(&body_arg).collect();
    let many = v
        .allow_too_many_arguments
        .then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let alias = &sig.alias;
    let version_doc = format!("Sends `Accept: {}` ({}).", v.accept, version_text(v));
    let ctor = builder_ctor(op, v);
    let mut own = None;
    if let Some(vfn) = &v.fn_name {
        let vfn = ident(vfn);
        let note = sunset_note(v).map(|s| format!(" {s}")).unwrap_or_default();
        let doc = sig.doc(format!("{version_doc}{note}"));
        let deprecated = v.deprecation.as_ref().map(deprecated_attr);
        own = Some(quote! {
            #doc
            #alias
            #deprecated
            #many
            #[inline]
            pub fn #vfn(&self, #(#args),*) -> #builder<'a> { #ctor }
        });
    }
    if vi != op.default_version {
        return (own, None);
    }
    {
        let fname = ident(&op.fn_name);
        let mut extra = version_doc;
        if op.lists_pinned_versions {
            let others: Vec<String> = op
                .versions
                .iter()
                .filter_map(|o| o.fn_name.as_ref().map(|f| format!("[`{f}`](Self::{f})")))
                .collect();
            extra.push_str(&format!(
                " The newest stable version; to pin a version call one of {}.",
                others.join(", ")
            ));
        }
        let doc = sig.doc(extra);
        let body = match &v.fn_name {
            Some(vfn) => {
                let vfn = ident(vfn);
                let arg_names = &sig.arg_names;
                let body_name = body_arg.is_some().then(|| quote!(body));
                quote! { self.#vfn(#(#arg_names,)* #body_name) }
            }
            None => ctor,
        };
        let plain_deprecated = &sig.plain_deprecated;
        let plain = quote! {
            #doc
            #alias
            #plain_deprecated
            #many
            #[inline]
            pub fn #fname(&self, #(#args),*) -> #builder<'a> { #body }
        };
        (own, Some(plain))
    }
}

/// The builder of version `v`, with the method's arguments moved in and
/// every optional input unset.
fn builder_ctor(op: &Operation, v: &Version) -> TokenStream {
    let builder = ident(&v.builder);
    // An argument is moved in as it was taken.
    let moved = |p: &Param| {
        let n = ident(&p.rust_name);
        match p.taken {
            Taken::Into => quote!(#n: #n.into(),),
            Taken::AsIs => quote!(#n,),
        }
    };
    let inits = op.path_params.iter().map(moved);
    let query_inits = op.query_params.iter().chain(&op.header_params).map(|p| {
        if p.required {
            moved(p)
        } else {
            let n = ident(&p.rust_name);
            quote!(#n: None,)
        }
    });
    let body_init = match &v.request {
        Some(b) if b.required => quote!(body,),
        Some(_) => quote!(body: None,),
        None => quote!(),
    };
    quote! {
        #builder {
            client: self.client,
            #(#inits)*
            #(#query_inits)*
            #body_init
            call_options: runtime::CallOptions::default(),
        }
    }
}

/// A method's `#[deprecated]` attribute.
fn deprecated_attr(d: &Deprecated) -> TokenStream {
    match d {
        Deprecated::Note(note) => quote!(#[deprecated(note = #note)]),
        Deprecated::ByApi => quote!(#[deprecated = "this operation is deprecated by the API"]),
    }
}

/// The request builder of one operation version: its fields and setters,
/// `ENDPOINT`, paging and waiting methods, and `send()`.
fn builder_item(
    tag: &Tag,
    op: &Operation,
    v: &Version,
    alias: Option<&TokenStream>,
    sunset: Option<&String>,
) -> TokenStream {
    let models = quote!(models::);
    let builder = ident(&v.builder);
    let (fields, setters) = fields_and_setters(op, v, &models);

    let steps = send_steps(op, v);
    let (output, call) = match v.response_kind() {
        ResponseKind::Bytes => (quote!(Vec<u8>), quote!(call_bytes)),
        ResponseKind::Json(t) => (type_tokens(t, &models), quote!(call_json)),
        ResponseKind::Empty => (quote!(()), quote!(call_empty)),
    };
    let op_id = &op.operation_id;
    let method = ident(op.method.variant());
    let base = ident(op.base.variant());
    let accept = &v.accept;
    let version_name = v.label.name();
    let template = &op.path;
    let content_type = match &v.request {
        Some(b) => {
            let ct = &b.content_type;
            quote!(Some(#ct))
        }
        None => quote!(None),
    };
    let newer = v.newer.iter();
    let statuses = op.success_statuses.iter();
    let sensitive = v.sensitive.iter();
    let sunset_tokens = match &v.sunset {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let builder_doc = builder_doc(tag, op, v, sunset);
    let send_all = paging_methods(v, &models);
    let send_and_wait = op.watcher.as_ref().map(|w| waiter(w, &models));
    let call_options = call_option_setters();
    quote! {
        #builder_doc
        #alias
        #[derive(Debug, Clone)]
        #[must_use = "a request builder does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields)*
            call_options: runtime::CallOptions,
        }

        impl<'a> #builder<'a> {
            /// What this request sends: operation, method, path, media types.
            pub const ENDPOINT: runtime::Endpoint = runtime::Endpoint {
                operation_id: #op_id,
                method: runtime::Method::#method,
                base: runtime::Base::#base,
                path_template: #template,
                accept: #accept,
                version: #version_name,
                content_type: #content_type,
                sunset: #sunset_tokens,
                newer: &[#(#newer),*],
                statuses: &[#(#statuses),*],
                sensitive: &[#(#sensitive),*],
            };

            #(#setters)*

            #call_options

            #send_all

            #send_and_wait

            /// Sends the request and decodes the response: the future
            /// sends nothing until it is first polled (`.send().await`).
            #[inline]
            pub fn send(self) -> runtime::SendFuture<'a, Response<#output>> {
                #[inline]
                fn request(b: &#builder<'_>) -> Result<runtime::Request, Error> {
                    let mut request = runtime::Request::new(&#builder::ENDPOINT);
                    #(#steps)*
                    request.call_options(&b.call_options);
                    Ok(request)
                }
                self.client.#call(request(&self))
            }
        }
    }
}

/// A request builder's docs: which method makes it, at which version,
/// and the version's sunset.
fn builder_doc(tag: &Tag, op: &Operation, v: &Version, sunset: Option<&String>) -> TokenStream {
    doc_lines(&[
        Some(format!(
            "Request builder for [`{}`]({}::{}) at {}: set optional parameters, then `.send().await`.",
            op.operation_id,
            tag.type_name,
            op.method_for(v),
            version_text(v)
        )),
        sunset.cloned(),
    ])
}

/// The setters of a call's own settings (`runtime::CallOptions`), the
/// same in every builder.
fn call_option_setters() -> TokenStream {
    quote! {
            /// The longest one HTTP exchange of this call may take, instead
            /// of the client's `timeout` (see [`runtime::CallOptions`]).
            #[inline]
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.call_options = self.call_options.timeout(timeout);
                self
            }
            /// The longest this whole call may take (retries, token fetches,
            /// and for `send_and_wait` every poll), instead of the client's
            /// `deadline` (see [`runtime::CallOptions`]).
            #[inline]
            pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
                self.call_options = self.call_options.deadline(deadline);
                self
            }
            /// Which failures this call tries again, instead of the
            /// client's policy (see [`runtime::CallOptions`]).
            #[inline]
            pub fn retry_policy(mut self, policy: runtime::RetryPolicy) -> Self {
                self.call_options = self.call_options.retry_policy(policy);
                self
            }
            /// This call's own settings as one value (replacing any set
            /// before).
            #[inline]
            pub fn call_options(mut self, options: runtime::CallOptions) -> Self {
                self.call_options = options;
                self
            }
    }
}

/// A builder's fields (path, query and header parameters, the body) and
/// the setters of the optional ones.
fn fields_and_setters(op: &Operation, v: &Version, models: &TokenStream) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.path_params {
        let n = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, models);
        fields.push(quote!(#n: #ty,));
    }
    let query = op.query_params.iter().map(|p| (p, "query"));
    for (p, place) in query.chain(op.header_params.iter().map(|p| (p, "header"))) {
        let n = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, models);
        if p.required {
            fields.push(quote!(#n: #ty,));
        } else {
            fields.push(quote!(#n: Option<#ty>,));
            let described = doc_lines(&[p.description.as_deref()]);
            let gap = p
                .description
                .as_deref()
                .is_some_and(|d| !d.trim().is_empty())
                .then(|| quote!(#[doc = ""]));
            let sets = format!(" Sets the {} {place} parameter.", code(&p.name));
            let doc = quote!(#described #gap #[doc = #sets]);
            let setter_ty = taken_type(p.taken, ty.clone());
            let value = taken_value(p.taken, quote!(value));
            let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
            setters.push(quote! {
                #doc
                #deprecated
                #[inline]
                pub fn #n(mut self, value: #setter_ty) -> Self {
                    self.#n = Some(#value);
                    self
                }
            });
        }
    }
    match &v.request {
        Some(b) if b.required => {
            let ty = type_tokens(&b.ty, models);
            fields.push(quote!(body: #ty,));
        }
        Some(b) => {
            let ty = type_tokens(&b.ty, models);
            fields.push(quote!(body: Option<#ty>,));
            setters.push(quote! {
                /// The request body (optional for this operation).
                #[inline]
                pub fn body(mut self, value: #ty) -> Self {
                    self.body = Some(value);
                    self
                }
            });
        }
        None => {}
    }
    (fields, setters)
}

/// How `send()` builds the request from the builder `b`: the path,
/// segment by segment, the query and header parameters, the envelope flag
/// and the body.
fn send_steps(op: &Operation, v: &Version) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    for seg in &op.path_segments {
        match seg {
            PathSegment::Literal(text) => steps.push(quote!(request.path(#text);)),
            PathSegment::Param(i) => {
                let p = &op.path_params[*i];
                let wire = &p.name;
                let n = ident(&p.rust_name);
                let pattern = match &p.pattern_const {
                    Some(name) => {
                        let id = ident(name);
                        quote!(Some(&#id))
                    }
                    None => quote!(None),
                };
                steps.push(quote!(request.path_param(#wire, &b.#n, #pattern)?;));
            }
        }
    }
    for p in &op.query_params {
        let wire = &p.name;
        let n = ident(&p.rust_name);
        if p.required {
            steps.push(quote!(request.query(#wire, Some(&b.#n));));
        } else {
            steps.push(quote!(request.query(#wire, b.#n.as_ref());));
        }
    }
    for p in &op.header_params {
        let wire = &p.name;
        let n = ident(&p.rust_name);
        if p.required {
            steps.push(quote!(request.header(#wire, Some(&b.#n))?;));
        } else {
            steps.push(quote!(request.header(#wire, b.#n.as_ref())?;));
        }
    }
    if let Some(name) = &op.envelope_param {
        let n = ident(name);
        steps.push(quote!(request.envelope(b.#n == Some(true));));
    }
    match &v.request {
        Some(b) if b.required => steps.push(quote!(request.json_body(&b.body)?;)),
        Some(_) => steps.push(quote! {
            if let Some(body) = &b.body {
                request.json_body(body)?;
            }
        }),
        None => {}
    }
    steps
}

/// `pages()`, `items()` and `send_all()` of a list operation's builder.
fn paging_methods(v: &Version, models: &TokenStream) -> Option<TokenStream> {
    let pages = v.pages.as_ref()?;
    let item = type_tokens(&pages.item, models);
    let page_ty = match &v.response {
        Some(t) => type_tokens(t, models),
        None => quote!(()),
    };
    let page = ident(&pages.page_param);
    let (len, first, owned) = if pages.results_optional {
        (
            quote!(body.results.as_ref().map_or(0, Vec::len)),
            quote!(body.results.as_ref().and_then(|r| r.first().cloned())),
            quote!(body.results.unwrap_or_default()),
        )
    } else {
        (
            quote!(body.results.len()),
            quote!(body.results.first().cloned()),
            quote!(body.results),
        )
    };
    let total = match &pages.total {
        Some((field, true)) => {
            let f = ident(field);
            quote!(body.#f.and_then(|t| usize::try_from(t).ok()))
        }
        Some((field, false)) => {
            let f = ident(field);
            quote!(usize::try_from(body.#f).ok())
        }
        None => quote!(None),
    };
    Some(quote! {
        /// Every page from `page_num` (default 1) on, as a lazy stream:
        /// nothing is sent until it is polled, and `items_per_page` is
        /// kept. It stops after a page shorter than the largest so far
        /// (the server caps `items_per_page`), at an empty page or at
        /// `totalCount`, so it walks a list read without `totalCount`
        /// (`include_count(false)`) as well; it ends with
        /// [`Error::Paging`] if the server ignores `pageNum`.
        #[inline]
        pub fn pages(self) -> runtime::Pages<'a, #page_ty> {
            let first = self.#page;
            runtime::pages(
                Self::ENDPOINT.operation_id,
                first,
                move |page| self.clone().#page(page).send(),
                |body: &#page_ty| runtime::PageInfo { len: #len, total: #total, first: #first },
            )
        }
        /// The `results` of every page, one by one, as a lazy stream
        /// (at most one page is held at a time).
        #[inline]
        pub fn items(self) -> runtime::Items<'a, #item> {
            runtime::items(self.pages(), |body: #page_ty| #owned)
        }
        /// Every item of every page, collected (see [`items`](Self::items)).
        #[inline]
        pub fn send_all(self) -> runtime::SendFuture<'a, Vec<#item>> {
            runtime::collect(self.items())
        }
    })
}

/// How a waiter gets its GET's arguments: statements before the call is
/// sent (path parameters, the values taken from the request), after it
/// (values from its answer), the tokens passing each to the GET, and the
/// resource's parts as text (for `Error::WaitFailed`).
struct WaitArgs {
    setup: Vec<TokenStream>,
    after: Vec<TokenStream>,
    vars: Vec<Ident>,
    call_args: Vec<TokenStream>,
    parts: Vec<TokenStream>,
    /// The JSONPath over the request body, when the waiter polls once per
    /// value it selects (`value` in `call_args` and `parts`).
    each: Option<String>,
}

fn wait_args(w: &Watcher, models: &TokenStream) -> WaitArgs {
    let mut a = WaitArgs {
        setup: Vec::new(),
        after: Vec::new(),
        vars: Vec::new(),
        call_args: Vec::new(),
        parts: Vec::new(),
        each: None,
    };
    for (i, (arg, ty)) in w.args.iter().zip(&w.arg_types).enumerate() {
        let var = quote::format_ident!("arg{}", i);
        let text = match arg {
            WatchArg::Input(field) => {
                let f = ident(field);
                a.setup
                    .push(quote!(let #var = runtime::ToParam::to_param(&self.#f).into_owned();));
                quote!(#var)
            }
            WatchArg::Body(path) => {
                a.after
                    .push(quote!(let #var = runtime::param_from_body(Self::ENDPOINT.operation_id, &sent, #path)?;));
                quote!(#var)
            }
            WatchArg::Request(path) => {
                a.each = Some(path.clone());
                let values = quote!(runtime::params_from_request(Self::ENDPOINT.operation_id, &self.body, #path)?);
                a.setup.push(quote!(let each = #values;));
                a.call_args.push(match ty {
                    Some(name) => {
                        let ty = ident(name);
                        quote!(#models #ty::from(value))
                    }
                    None => quote!(value.to_string()),
                });
                a.parts.push(quote!(value));
                continue;
            }
        };
        a.call_args.push(match ty {
            Some(name) => {
                let ty = ident(name);
                quote!(#models #ty::from(#text.as_str()))
            }
            None => quote!(#text.clone()),
        });
        a.parts.push(quote!(#var.as_str()));
        a.vars.push(var);
    }
    a
}

/// `send_and_wait()` of a builder whose operation has a watcher: send, then
/// poll the watcher's GET until its expectation holds (for each resource
/// the request made, when a `request:` source names them).
fn waiter(w: &Watcher, models: &TokenStream) -> TokenStream {
    let module = ident(&w.get_module);
    let get_fn = ident(&w.get_fn);
    let gate = w.gate.as_ref().map(|feature| quote!(#[cfg(feature = #feature)]));
    let a = wait_args(w, models);
    let get = format!("{} at {}", w.get_operation_id, w.get_version);
    let call_args = &a.call_args;
    let value = a.each.as_ref().map(|_| quote!(value: &str));
    let poll = quote! {
        move |#value| client.#module().#get_fn(#(#call_args),*).call_options(options.clone()).send()
    };
    let ty = match &w.get_response {
        Some(t) => type_tokens(t, models),
        None => quote!(()),
    };
    let (setup, after) = (&a.setup, &a.after);
    let head = quote! {
        let client = self.client;
        let options = self.call_options.clone();
        let deadline = client.wait_deadline(&options);
        #(#setup)*
        let sent = self.send().await?;
        let _ = &sent;
        #(#after)*
    };
    let (doc, signature, body) = match &w.expect {
        Expect::Match { path, values, failures } => match_wait(w, &a, &ty, poll, (path, values, failures)),
        Expect::Status(code) => {
            let doc = format!(
                " Sends the request, then polls `{get}` until it answers HTTP {code} (see `WaitPolicy`), or `Error::WaitTimeout` (`Error::DeadlineExceeded` when the call's deadline, which covers the request and every poll, comes first)."
            );
            let body = quote!(runtime::until_status(policy, deadline, Self::ENDPOINT.operation_id, #poll, #code).await);
            (doc, quote!(Result<(), Error>), body)
        }
    };
    quote! {
        #[doc = #doc]
        #gate
        #[inline]
        pub async fn send_and_wait(self, policy: runtime::WaitPolicy) -> #signature {
            #head
            #body
        }
    }
}

/// The doc, return type and last statement of a waiter on a match: one
/// GET until it matches, or (`request:`) each resource the request made.
fn match_wait(
    w: &Watcher,
    a: &WaitArgs,
    ty: &TokenStream,
    poll: TokenStream,
    (path, values, failures): (&String, &Vec<String>, &Vec<String>),
) -> (String, TokenStream, TokenStream) {
    let get = format!("{} at {}", w.get_operation_id, w.get_version);
    let (vals, fails) = (values.iter(), failures.iter());
    let acceptors = quote!(runtime::Acceptors { path: #path, success: &[#(#vals),*], failure: &[#(#fails),*] });
    let failing = match failures.as_slice() {
        [] => String::new(),
        f => format!(
            " One of {} ends the wait at once with `Error::WaitFailed`.",
            f.join(", ")
        ),
    };
    let bound = "`Error::WaitTimeout` (`Error::DeadlineExceeded` when the call's deadline, which covers the request and every poll, comes first)";
    let get_id = &w.get_operation_id;
    let parts = &a.parts;
    let vars = &a.vars;
    if let Some(each) = &a.each {
        let doc = format!(
            " Sends the request, then polls `{get}` for each value `{each}` selects in the request body (each resource it makes, not the others the answer may list), until `{path}` is one of {} for every one, all within the one wait (see `WaitPolicy`); returns the last answer of that GET for each, in the request's order, or {bound}.{failing} A request that names nothing is not waited for.",
            values.join(", ")
        );
        let body = quote! {
            let resource = {
                #(let #vars = #vars.clone();)*
                move |value: &str| format!("{} {}", #get_id, [#(#parts),*].join("/"))
            };
            runtime::until_each_match(policy, deadline, Self::ENDPOINT.operation_id, each, #poll, #acceptors, resource).await
        };
        return (doc, quote!(Result<Vec<Response<#ty>>, Error>), body);
    }
    let doc = format!(
        " Sends the request, then polls `{get}` until `{path}` is one of {} (see `WaitPolicy`); returns the last answer of that GET, or {bound}.{failing}",
        values.join(", ")
    );
    let resource = if parts.is_empty() {
        quote!(String::from(#get_id))
    } else {
        quote!(format!("{} {}", #get_id, [#(#parts),*].join("/")))
    };
    let body = quote! {
        let resource = #resource;
        runtime::until_match(policy, deadline, Self::ENDPOINT.operation_id, #poll, #acceptors, resource).await
    };
    (doc, quote!(Result<Response<#ty>, Error>), body)
}
