//! Paths and operations -> tags, operations, parameters, bodies,
//! responses; names claimed so that they never depend on spec order.

use super::arguments;
use super::paths::{route, split_path};
use super::state::Lower;
use super::versions::{label_suffix, media_type_for, sunset_of, version_label};
use crate::error::{Error, Pointer};
use crate::model::type_ref::{walk, Fold, Inner, Scalar, TypeRef};
use crate::model::*;
use crate::names::{self, camel, snake, Namespace};
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, StatusCode, Type};
use std::collections::{BTreeMap, BTreeSet};

impl<'a> Lower<'a> {
    pub(crate) fn operations(&mut self) -> Result<Vec<Tag>, Error> {
        let mut tags: BTreeMap<String, TagAcc> = BTreeMap::new();
        let mut modules = Namespace::default();
        // `Client` methods of the runtime that a tag accessor must not shadow.
        // ... and cargo feature names the generated manifest already uses.
        for taken in names::CLIENT_SCOPE.iter().chain(names::MODELS_MOD_SCOPE) {
            modules.claim(taken);
        }
        let mut seen_ids: BTreeMap<String, Pointer> = BTreeMap::new();
        let tag_docs: BTreeMap<&str, Option<String>> = self
            .api
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.description.clone()))
            .collect();

        // Paths in sorted order (methods come in a fixed order): the output
        // never depends on the order of the spec.
        let mut paths: Vec<_> = self.api.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in paths {
            let pptr = Pointer::root().push("paths").push(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(Error::at(&pptr.push("$ref"), "unsupported: a path item given by $ref"));
                }
            };
            for (method, op) in item.iter() {
                let optr = pptr.push(method);
                let method =
                    Method::parse(method).ok_or_else(|| Error::at(&optr, format!("unknown HTTP method {method:?}")))?;
                let Some(id) = op.operation_id.clone() else {
                    return Err(Error::at(
                        &optr,
                        "operation has no operationId; every operation needs one to name its method",
                    ));
                };
                if let Some(first) = seen_ids.get(&id) {
                    return Err(Error::at(
                        &optr.push("operationId"),
                        format!("duplicate operationId {id:?}; first used at {first}"),
                    ));
                }
                seen_ids.insert(id.clone(), optr.push("operationId"));
                let Some(tag_name) = op.tags.first().cloned() else {
                    return Err(Error::at(
                        &optr,
                        "operation has no tags; its first tag names its operation group",
                    ));
                };
                if !tags.contains_key(&tag_name) {
                    let tptr = optr.push("tags").push("0");
                    let description = tag_docs.get(tag_name.as_str()).cloned().flatten();
                    let acc = new_tag(&tag_name, description, &tptr, &mut modules)?;
                    tags.insert(tag_name.clone(), acc);
                }
                let acc = tags.get_mut(&tag_name).expect("inserted above");
                let at = OperationAt {
                    path,
                    shared_params: &item.parameters,
                    method,
                    op,
                    ptr: optr,
                };
                let lowered = self.operation(&at, &mut acc.methods, &mut acc.types)?;
                acc.tag.operations.push(lowered);
            }
        }
        let mut out: Vec<Tag> = tags.into_values().map(|a| a.tag).collect();
        out.sort_by(|a, b| a.module.cmp(&b.module));
        Ok(out)
    }

    /// One operation: its parameters, versions and names.
    pub(crate) fn operation(
        &mut self,
        at: &OperationAt<'a>,
        methods: &mut Namespace,
        builders: &mut Namespace,
    ) -> Result<Operation, Error> {
        let (path, method, op, optr) = (at.path, at.method, at.op, &at.ptr);
        let id = op.operation_id.clone().unwrap_or_default();
        let (path_params, query_params, header_params) = self.parameters(at, &camel(&id))?;
        let path_segments = split_path(path, &path_params, optr)?;
        let route = route(path, optr)?;
        let (versions, error_statuses, success_statuses) = self.versions(at, &camel(&id))?;

        let names = OperationNames::of(op, &id, optr);
        let named = |r: Result<String, String>| r.map_err(|m| Error::at(&names.ptr, m));
        let fn_name = named(methods.claim_for(&snake(&names.source), &names.owner))?;
        let mut out_versions = self.named_versions(versions, &names, methods, builders, &query_params)?;
        let default_version = default_version(&out_versions);
        let plain_note = settle_sunsets(&id, &fn_name, &mut out_versions, default_version);
        let plain_deprecation = settle_deprecation(plain_note, op.deprecated);
        let required_inputs =
            path_params.len() + query_params.iter().chain(&header_params).filter(|p| p.required).count();
        for v in &mut out_versions {
            v.deprecation = settle_deprecation(v.deprecation.take().and_then(note_text), op.deprecated);
            let body = usize::from(v.request.as_ref().is_some_and(|b| b.required));
            // `&self`, then the arguments.
            v.allow_too_many_arguments = arguments::too_many(1 + required_inputs + body);
        }
        let lists_pinned_versions =
            out_versions.len() > 1 || out_versions.get(default_version).is_some_and(|v| v.fn_name.is_some());
        let roles = op
            .extensions
            .get("x-rolesRequirements")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|r| r.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let alias = names.alias;
        let envelope_param = query_params
            .iter()
            .find(|p| p.name == "envelope" && p.ty == TypeRef::Bool)
            .map(|p| p.rust_name.clone());
        Ok(Operation {
            operation_id: id,
            method,
            path: path.to_string(),
            base: if path.starts_with("/api/public/") {
                Base::CloudManager
            } else {
                Base::Atlas
            },
            summary: op.summary.clone(),
            description: op.description.clone(),
            roles,
            path_segments,
            route,
            path_params,
            query_params,
            header_params,
            versions: out_versions,
            default_version,
            error_statuses,
            success_statuses,
            fn_name,
            watcher_raw: op
                .extensions
                .get("x-xgen-atlascli")
                .map(|v| (v.clone(), optr.push("x-xgen-atlascli").to_string())),
            watcher: None,
            alias,
            plain_deprecation,
            lists_pinned_versions,
            envelope_param,
            fake_role: FakeRole::Stateless,
            fake_args: Vec::new(),
            reference: super::facts::reference(op, optr)?,
        })
    }

    /// Each version with its builder and method names claimed, and its
    /// pages (a JSON list answer).
    fn named_versions(
        &self,
        versions: BTreeMap<(VersionLabel, Format), VersionAcc>,
        names: &OperationNames,
        methods: &mut Namespace,
        builders: &mut Namespace,
        query_params: &[Param],
    ) -> Result<Vec<Version>, Error> {
        let named = |r: Result<String, String>| r.map_err(|m| Error::at(&names.ptr, m));
        let (camel_name, owner) = (camel(&names.source), &names.owner);
        let unversioned = versions.len() == 1 && versions.contains_key(&(VersionLabel::Unversioned, Format::Json));
        let mut out = Vec::new();
        for ((label, format), acc) in versions {
            let (type_suffix, fn_suffix) = match format {
                Format::Json => (String::new(), String::new()),
                Format::Csv => ("Csv".to_string(), "_csv".to_string()),
                Format::Gzip => ("Gzip".to_string(), "_gzip".to_string()),
            };
            let suffix = label_suffix(&label);
            let (builder, vfn) = if unversioned {
                (named(builders.claim_for(&camel_name, owner))?, None)
            } else {
                let fn_name = format!("{}_{}{fn_suffix}", snake(&names.source), suffix.to_lowercase());
                (
                    named(builders.claim_for(&format!("{camel_name}{suffix}{type_suffix}"), owner))?,
                    Some(named(methods.claim_for(&fn_name, owner))?),
                )
            };
            let pages = match (&acc.response, format) {
                (Some(TypeRef::Named(n)), Format::Json) => self.pages(n, query_params),
                _ => None,
            };
            out.push(Version {
                label,
                format,
                pages,
                accept: acc.accept,
                request: acc.request,
                response: acc.response,
                sunset: acc.sunset,
                builder,
                fn_name: vfn,
                deprecation: None,
                allow_too_many_arguments: false,
                newer: Vec::new(),
                status: acc.status.unwrap_or(200),
                example: acc.example,
                fake_answer: None,
                fake_body: None,
                sensitive: Vec::new(),
                write_only: Vec::new(),
            });
        }
        Ok(out)
    }

    /// The operation's parameters by location (path, query, header); its
    /// own override the path item's by (name, in). Path parameters come in
    /// the order of the path.
    fn parameters(&mut self, at: &OperationAt<'a>, op_camel: &str) -> Result<ParamsByLocation, Error> {
        let (path, shared_params, op, optr) = (at.path, at.shared_params, at.op, &at.ptr);
        // Parameters: the operation's own override the path item's by (name, in).
        let mut params: Vec<(Pointer, &Parameter)> = Vec::new();
        let path_ptr = Pointer::root().push("paths").push(path);
        for (i, p) in shared_params.iter().enumerate() {
            let ptr = path_ptr.push("parameters").push(i);
            params.push((ptr.clone(), self.parameter(p, &ptr)?));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let ptr = optr.push("parameters").push(i);
            let p = self.parameter(p, &ptr)?;
            let key = (p.parameter_data_ref().name.clone(), location(p));
            params.retain(|(_, q)| (q.parameter_data_ref().name.clone(), location(q)) != key);
            params.push((ptr, p));
        }

        let mut arg_names = Namespace::reserved(names::BUILDER_SCOPE);
        let mut path_params = Vec::new();
        let mut query_params = Vec::new();
        let mut header_params = Vec::new();
        for (ptr, p) in params {
            let data = p.parameter_data_ref();
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(s) => s,
                ParameterSchemaOrContent::Content(_) => {
                    return Err(Error::at(
                        &ptr.push("content"),
                        "unsupported: a parameter described by `content`; use `schema`",
                    ));
                }
            };
            let sptr = ptr.push("schema");
            let hint = format!("{op_camel}{}", camel(&data.name));
            let ty = self.type_of(schema, &sptr, &hint)?;
            let pattern = self.resolve_schema(schema).and_then(|s| match &s.schema_kind {
                SchemaKind::Type(Type::String(st)) => st.pattern.clone(),
                _ => None,
            });
            let in_path = matches!(p, Parameter::Path { .. });
            let param = Param {
                taken: arguments::param(&ty, in_path, data.required),
                name: data.name.clone(),
                rust_name: arg_names.claim_at(&snake(&data.name), &ptr, &ptr.to_string())?,
                ty,
                required: data.required,
                pattern,
                pattern_const: None,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                key_fields: super::fake::key_fields(&data.extensions, &ptr)?,
            };
            match p {
                Parameter::Path { .. } => {
                    if !data.required {
                        return Err(Error::at(
                            &ptr.push("required"),
                            "a path parameter must be required: true",
                        ));
                    }
                    if !walk(&param.ty, &mut Sendable { in_path: true }) {
                        return Err(Error::at(
                            &sptr,
                            "unsupported: a path parameter must be a string, an integer or a string enum",
                        ));
                    }
                    path_params.push(param);
                }
                Parameter::Query { .. } => query_params.push(param),
                Parameter::Header { .. } if walk(&param.ty, &mut Sendable { in_path: false }) => {
                    header_params.push(param)
                }
                Parameter::Header { .. } | Parameter::Cookie { .. } => {
                    return Err(Error::at(
                        &ptr.push("in"),
                        format!("unsupported: {} parameters are not supported yet", location(p)),
                    ));
                }
            }
        }
        // In the order of the path, whatever order the spec lists them in:
        // every method of a path takes them alike (one that the path does
        // not name goes last; `split_path` refuses it).
        path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.name)).unwrap_or(usize::MAX));
        Ok((path_params, query_params, header_params))
    }

    /// The operation's versions, from the request body and the success
    /// responses (a version only one of them lists borrows the other's),
    /// and its documented error statuses.
    fn versions(&mut self, at: &OperationAt<'a>, op_camel: &str) -> Result<(Versions, Vec<u16>, Vec<u16>), Error> {
        let (op, optr) = (at.op, &at.ptr);
        let mut versions = Versions::new();
        self.request_versions(at, op_camel, &mut versions)?;
        let (error_statuses, success_statuses) = self.response_versions(at, op_camel, &mut versions)?;
        if versions.is_empty() {
            return Err(Error::at(
                &optr.push("responses"),
                "no media type on any 2xx response or the request body: cannot tell which version to ask for",
            ));
        }
        if op.request_body.is_some() {
            fill_bodies(&mut versions);
        }
        for ((label, _), acc) in versions.iter_mut() {
            if acc.accept.is_empty() {
                acc.accept = media_type_for(label);
            }
            if let Some(b) = &mut acc.request {
                b.content_type = acc.accept.clone();
            }
        }
        // The status of versions that no success response lists (a body
        // only): the first 2xx.
        let first_listed = op
            .responses
            .responses
            .keys()
            .map(status_code)
            .find(|c| (200..300).contains(c));
        for acc in versions.values_mut() {
            acc.status = acc.status.or(first_listed);
        }
        Ok((versions, error_statuses, success_statuses))
    }

    /// The versions of the request body's media types, with its type.
    fn request_versions(&mut self, at: &OperationAt<'a>, op_camel: &str, versions: &mut Versions) -> Result<(), Error> {
        let Some(body) = &at.op.request_body else {
            return Ok(());
        };
        let bptr = at.ptr.push("requestBody");
        let body = self.request_body(body, &bptr)?;
        for (media, content) in &body.content {
            let mptr = bptr.push("content").push(media);
            let (label, format) = version_label(media, &mptr)?;
            if format != Format::Json {
                return Err(Error::at(&mptr, "unsupported: a request body that is not JSON"));
            }
            let Some(schema) = &content.schema else {
                return Err(Error::at(&mptr, "a request body media type needs a schema"));
            };
            let hint = format!("{op_camel}Request{}", label_suffix(&label));
            let ty = self.type_of(schema, &mptr.push("schema"), &hint)?;
            let acc = versions.entry((label, format)).or_default();
            acc.accept = media.clone();
            acc.sunset = acc.sunset.take().or_else(|| sunset_of(&content.extensions));
            acc.request = Some(Body {
                content_type: media.clone(),
                ty,
                required: body.required,
            });
        }
        Ok(())
    }

    /// The versions of the 2xx responses' media types, with their types,
    /// statuses and examples; gives the error statuses and the 2xx ones.
    fn response_versions(
        &mut self,
        at: &OperationAt<'a>,
        op_camel: &str,
        versions: &mut Versions,
    ) -> Result<(Vec<u16>, Vec<u16>), Error> {
        let mut error_statuses = Vec::new();
        let mut success_statuses = BTreeSet::new();
        let mut success_seen = BTreeSet::new();
        for (status, response) in &at.op.responses.responses {
            let rptr = at.ptr.push("responses").push(status);
            let code = status_code(status);
            if !(200..300).contains(&code) {
                error_statuses.push(code);
                continue;
            }
            success_statuses.insert(code);
            let response = self.response(response, &rptr)?;
            for (media, content) in &response.content {
                let mptr = rptr.push("content").push(media);
                let (label, format) = version_label(media, &mptr)?;
                let ty = match &content.schema {
                    Some(_) if format != Format::Json => None,
                    Some(schema) => {
                        let hint = format!("{op_camel}Response{}", label_suffix(&label));
                        Some(self.type_of(schema, &mptr.push("schema"), &hint)?)
                    }
                    None => None,
                };
                let label = (label, format);
                let acc = versions.entry(label.clone()).or_default();
                if !success_seen.insert(label) {
                    // A second 2xx for the same version (e.g. 200 and 202):
                    // the first one listed with a body decides the type.
                    if acc.response.is_none() {
                        acc.response = ty;
                    }
                    continue;
                }
                acc.accept = media.clone();
                acc.sunset = acc.sunset.take().or_else(|| sunset_of(&content.extensions));
                acc.response = ty;
                acc.status = Some(code);
                acc.example = content.example.clone();
            }
        }
        Ok((error_statuses, success_statuses.into_iter().collect()))
    }

    /// A list response (`results` plus a `pageNum` query parameter) can be
    /// walked page by page.
    pub(crate) fn pages(&self, response: &str, query: &[Param]) -> Option<Pages> {
        let page_param = query.iter().find(|p| p.name == "pageNum" && is_integer(&p.ty))?;
        let TypeDef::Struct(st) = self.types.get(response)? else {
            return None;
        };
        let results = st.fields.iter().find(|f| f.name == "results")?;
        let TypeRef::Vec(item) = &results.ty else { return None };
        let total = st
            .fields
            .iter()
            .find(|f| f.name == "totalCount" && is_integer(&f.ty))
            .map(|f| (f.rust_name.clone(), f.presence != Presence::Required));
        Some(Pages {
            item: (**item).clone(),
            results_optional: results.presence != Presence::Required,
            total,
            page_param: page_param.rust_name.clone(),
        })
    }
}

/// Whether the type is an integer (of either format), not a list of them.
fn is_integer(ty: &TypeRef) -> bool {
    ty.scalar().is_some_and(Scalar::is_integer)
}

/// Whether a path parameter (`in_path`) or a header of the type can be
/// sent: text, an integer, a date-time or a string enum; a header also a
/// flag.
struct Sendable {
    in_path: bool,
}

impl<'t> Fold<'t> for Sendable {
    type Out = bool;
    fn scalar(&mut self, scalar: Scalar) -> bool {
        match scalar {
            // A date-time as its text (`ToParam`).
            Scalar::String | Scalar::I32 | Scalar::I64 | Scalar::DateTime => true,
            Scalar::Bool => !self.in_path,
            Scalar::F32 | Scalar::F64 | Scalar::Json => false,
        }
    }
    /// A named type: a string enum, sent by `ToParam`.
    fn named(&mut self, _: &'t str) -> bool {
        true
    }
    fn list(&mut self, _: Inner<'t>) -> bool {
        false
    }
    fn map(&mut self, _: Inner<'t>) -> bool {
        false
    }
    fn boxed(&mut self, _: Inner<'t>) -> bool {
        false
    }
}

pub(crate) fn location(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn status_code(status: &StatusCode) -> u16 {
    match status {
        StatusCode::Code(c) => *c,
        StatusCode::Range(r) => r * 100,
    }
}

/// A version that only the responses list still needs a request body when
/// the operation takes one: the nearest older version's schema (sent under
/// the version's own media type); versions older than the first with a
/// body take the oldest body.
fn fill_bodies(versions: &mut Versions) {
    let first = versions.values().find_map(|a| a.request.clone());
    let mut last_body: Option<Body> = None;
    for acc in versions.values_mut() {
        match &acc.request {
            Some(b) => last_body = Some(b.clone()),
            None => acc.request = last_body.clone().or_else(|| first.clone()),
        }
    }
}

/// A tag on its way into the model, with the names claimed in it.
struct TagAcc {
    tag: Tag,
    methods: Namespace,
    types: Namespace,
}

/// The tag `name` (first named at `tptr`), its module claimed in `modules`.
fn new_tag(name: &str, description: Option<String>, tptr: &Pointer, modules: &mut Namespace) -> Result<TagAcc, Error> {
    let module = modules
        .claim_for(&snake(name), &tptr.to_string())
        .map_err(|m| Error::at(tptr, m))?;
    let mut types = Namespace::reserved(names::TAG_MODULE_SCOPE);
    let type_name = types.claim(&camel(name));
    Ok(TagAcc {
        tag: Tag {
            description,
            name: name.to_string(),
            type_name,
            operations: Vec::new(),
            uses_models: false,
            patterns: Vec::new(),
            has_own_models: false,
            fake_table: names::fake_table(&module),
            module,
        },
        methods: Namespace::reserved(names::GROUP_SCOPE),
        types,
    })
}

/// Where an operation's method names come from. Methods and builders take
/// the short name MongoDB's SDKs use (`x-xgen-operation-id-override`) when
/// there is one; the operationId stays in `ENDPOINT` and becomes a rustdoc
/// alias.
struct OperationNames {
    /// The name the method names are made from.
    source: String,
    /// Where it is written, and its text as a claim's owner.
    ptr: Pointer,
    owner: String,
    alias: Option<String>,
}

impl OperationNames {
    fn of(op: &openapiv3::Operation, id: &str, optr: &Pointer) -> Self {
        let short = op
            .extensions
            .get("x-xgen-operation-id-override")
            .and_then(|v| v.as_str())
            .filter(|s| !s.trim().is_empty() && *s != id)
            .map(str::to_string);
        let ptr = match &short {
            Some(_) => optr.push("x-xgen-operation-id-override"),
            None => optr.push("operationId"),
        };
        let alias = short
            .as_ref()
            .filter(|_| id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map(|_| id.to_string());
        OperationNames {
            source: short.unwrap_or_else(|| id.to_string()),
            owner: ptr.to_string(),
            ptr,
            alias,
        }
    }
}

/// The version the plain method calls: the newest dated JSON one, else the
/// newest dated one, else the first.
fn default_version(versions: &[Version]) -> usize {
    let dated = |v: &Version| matches!(v.label, VersionLabel::Date(_));
    versions
        .iter()
        .rposition(|v| dated(v) && v.format == Format::Json)
        .or_else(|| versions.iter().rposition(dated))
        .unwrap_or(0)
}

/// Sunset dates reach the compiler: each version with an `x-sunset` gets a
/// `#[deprecated]` note naming the date and the newest version to move to,
/// and the list of its newer versions; the plain method's note (returned)
/// is set only when no stable version without a sunset remains.
pub(crate) fn settle_sunsets(
    operation_id: &str,
    plain_fn: &str,
    versions: &mut [Version],
    default_version: usize,
) -> Option<String> {
    let date = |v: &Version| match &v.label {
        VersionLabel::Date(d) => Some(d.clone()),
        _ => None,
    };
    let method = |v: &Version| v.fn_name.clone().unwrap_or_else(|| plain_fn.to_string());
    let snapshot: Vec<(Option<String>, Format, Option<String>, String)> = versions
        .iter()
        .map(|v| (date(v), v.format, v.sunset.clone(), method(v)))
        .collect();
    for (i, v) in versions.iter_mut().enumerate() {
        let (Some(mine), format) = (snapshot[i].0.clone(), snapshot[i].1) else {
            continue;
        };
        let newer: Vec<&(Option<String>, Format, Option<String>, String)> = snapshot
            .iter()
            .filter(|(d, f, _, _)| *f == format && d.as_ref().is_some_and(|d| *d > mine))
            .collect();
        v.newer = newer.iter().map(|n| n.3.clone()).collect();
        let Some(sunset) = &v.sunset else {
            continue;
        };
        // The newest version without a sunset, else the newest at all.
        let target = newer
            .iter()
            .rev()
            .find(|n| n.2.is_none())
            .or_else(|| newer.last())
            .map(|n| n.3.clone());
        v.deprecation = Some(Deprecated::Note(match target {
            Some(t) => format!("Atlas stops serving {mine} of {operation_id} on {sunset}; use {t}"),
            None => format!(
                "Atlas stops serving {mine} of {operation_id} on {sunset}; this crate has no newer version of it"
            ),
        }));
    }
    let stable: Vec<&Version> = versions.iter().filter(|v| date(v).is_some()).collect();
    if !stable.is_empty() && stable.iter().all(|v| v.sunset.is_some()) {
        versions
            .get(default_version)
            .and_then(|v| v.deprecation.clone())
            .and_then(note_text)
    } else {
        None
    }
}

fn note_text(d: Deprecated) -> Option<String> {
    match d {
        Deprecated::Note(note) => Some(note),
        Deprecated::ByApi => None,
    }
}

/// A method's deprecation: its sunset note, which wins over the
/// operation's own flag (one `#[deprecated]` per item).
fn settle_deprecation(note: Option<String>, deprecated: bool) -> Option<Deprecated> {
    match note {
        Some(note) => Some(Deprecated::Note(note)),
        None => deprecated.then_some(Deprecated::ByApi),
    }
}

/// Where an operation is in the spec: its path item, method and pointer.
pub(crate) struct OperationAt<'a> {
    pub(crate) path: &'a str,
    pub(crate) shared_params: &'a [ReferenceOr<Parameter>],
    pub(crate) method: Method,
    pub(crate) op: &'a openapiv3::Operation,
    pub(crate) ptr: Pointer,
}

/// Path, query and header parameters.
type ParamsByLocation = (Vec<Param>, Vec<Param>, Vec<Param>);

/// What one version gathers from the request body and the success responses.
#[derive(Default)]
struct VersionAcc {
    accept: String,
    request: Option<Body>,
    response: Option<TypeRef>,
    sunset: Option<String>,
    status: Option<u16>,
    example: Option<serde_json::Value>,
}

type Versions = BTreeMap<(VersionLabel, Format), VersionAcc>;
