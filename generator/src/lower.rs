//! `openapiv3::OpenAPI` -> [`model::Api`]: resolve references, validate, and
//! settle every Rust name. All failures carry the JSON pointer of the node.

use crate::error::{Error, Pointer};
use crate::model::*;
use crate::names::{camel, snake, Namespace};
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response, Schema,
    SchemaKind, StatusCode, Type,
};
use std::collections::{BTreeMap, BTreeSet};

pub fn lower(api: &OpenAPI) -> Result<Api, Error> {
    let mut cx = Lower::new(api);
    cx.components()?;
    let tags = cx.operations()?;
    let mut types = std::mem::take(&mut cx.types);
    box_cycles(&mut types);
    Ok(Api {
        title: api.info.title.clone(),
        tags,
        types,
    })
}

struct Lower<'a> {
    api: &'a OpenAPI,
    types: BTreeMap<String, TypeDef>,
    type_names: Namespace,
    /// Component schema name -> Rust type name.
    components: BTreeMap<String, String>,
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

impl<'a> Lower<'a> {
    fn new(api: &'a OpenAPI) -> Self {
        Lower {
            api,
            types: BTreeMap::new(),
            type_names: Namespace::default(),
            components: BTreeMap::new(),
        }
    }

    fn component_schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.api.components.iter().flat_map(|c| c.schemas.iter())
    }

    /// Names every component schema first (sorted, so the spec's order does
    /// not matter), then lowers each.
    fn components(&mut self) -> Result<(), Error> {
        let mut names: Vec<&String> = self.component_schemas().map(|(n, _)| n).collect();
        names.sort();
        for name in names {
            let rust = self.type_names.claim(&camel(name));
            self.components.insert(name.clone(), rust);
        }
        let schemas: Vec<_> = self.component_schemas().collect();
        for (name, schema) in schemas {
            let ptr = Pointer::root().push("components").push("schemas").push(name);
            let rust = self.components[name].clone();
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.schema_ref(reference, &ptr)?;
                    self.types.insert(
                        rust.clone(),
                        TypeDef::Alias(Alias {
                            name: rust,
                            doc: None,
                            target,
                        }),
                    );
                }
                ReferenceOr::Item(schema) => {
                    if !self.define(&rust, schema, &ptr)? {
                        let target = self.type_of_item(schema, &ptr, &rust)?;
                        let doc = schema.schema_data.description.clone();
                        self.types.insert(
                            rust.clone(),
                            TypeDef::Alias(Alias {
                                name: rust,
                                doc,
                                target,
                            }),
                        );
                    }
                }
            }
        }
        Ok(())
    }

    fn schema_ref(&self, reference: &str, ptr: &Pointer) -> Result<TypeRef, Error> {
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

    /// The schema a reference names, for facts such as `pattern`.
    fn resolve_schema<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        let mut seen = 0;
        let mut cur = schema;
        loop {
            match cur {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference } => {
                    seen += 1;
                    if seen > 32 {
                        return None;
                    }
                    let name = reference.strip_prefix(SCHEMA_PREFIX)?;
                    cur = self.api.components.as_ref()?.schemas.get(name)?;
                }
            }
        }
    }

    fn type_of(&mut self, schema: &ReferenceOr<Schema>, ptr: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, ptr),
            ReferenceOr::Item(schema) => self.type_of_item(schema, ptr, hint),
        }
    }

    fn type_of_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        ptr: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, ptr),
            ReferenceOr::Item(schema) => self.type_of_item(schema, ptr, hint),
        }
    }

    /// The type of an inline schema; objects and enums become named types
    /// called after `hint`.
    fn type_of_item(&mut self, schema: &Schema, ptr: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        if needs_name(schema) {
            let name = self.type_names.claim(&camel(hint));
            let defined = self.define(&name, schema, ptr)?;
            debug_assert!(defined, "needs_name and define agree");
            return Ok(TypeRef::Named(name));
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.type_of_boxed(items, &ptr.push("items"), &format!("{hint}Item"))?,
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            SchemaKind::Type(Type::Object(o)) => self.map_type(o.additional_properties.as_ref(), ptr, hint)?,
            SchemaKind::Any(any) => {
                if any.items.is_some() || any.typ.as_deref() == Some("array") {
                    let item = match &any.items {
                        Some(items) => self.type_of_boxed(items, &ptr.push("items"), &format!("{hint}Item"))?,
                        None => TypeRef::Json,
                    };
                    TypeRef::Vec(Box::new(item))
                } else if let Some(kind) = unsupported_composition(&schema.schema_kind) {
                    return Err(unsupported(ptr, kind));
                } else {
                    self.map_type(any.additional_properties.as_ref(), ptr, hint)?
                }
            }
            kind => {
                return Err(unsupported(ptr, unsupported_composition(kind).unwrap_or("this schema")));
            }
        })
    }

    fn map_type(&mut self, extra: Option<&AdditionalProperties>, ptr: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        Ok(match extra {
            Some(AdditionalProperties::Schema(value)) => {
                let value = self.type_of(value, &ptr.push("additionalProperties"), &format!("{hint}Value"))?;
                TypeRef::Map(Box::new(value))
            }
            _ => TypeRef::Json,
        })
    }

    /// Defines `name` as a struct or enum if the schema is one. Returns
    /// whether it did.
    fn define(&mut self, name: &str, schema: &Schema, ptr: &Pointer) -> Result<bool, Error> {
        if let Some(kind) = unsupported_composition(&schema.schema_kind) {
            return Err(unsupported(ptr, kind));
        }
        let doc = schema.schema_data.description.clone();
        if let Some(values) = string_enum(schema) {
            let mut variants_ns = Namespace::default();
            let mut variants = Vec::new();
            for value in values {
                let wanted = if value.is_empty() {
                    "Empty".to_string()
                } else {
                    camel(&value)
                };
                variants.push((variants_ns.claim(&wanted), value));
            }
            let catch_all = variants_ns.claim("Unknown");
            self.types.insert(
                name.to_string(),
                TypeDef::Enum(Enum {
                    name: name.to_string(),
                    doc,
                    variants,
                    catch_all,
                }),
            );
            return Ok(true);
        }
        let Some((properties, required)) = object_properties(schema) else {
            return Ok(false);
        };
        let mut field_names = Namespace::default();
        let mut fields = Vec::new();
        for (wire, prop) in properties {
            let fptr = ptr.push("properties").push(wire);
            let rust_name = field_names.claim(&snake(wire));
            let ty = self.type_of_boxed(prop, &fptr, &format!("{name}{}", camel(wire)))?;
            let (read_only, nullable, prop_doc, deprecated) = match prop {
                ReferenceOr::Item(s) => (
                    s.schema_data.read_only,
                    s.schema_data.nullable,
                    s.schema_data.description.clone(),
                    s.schema_data.deprecated,
                ),
                ReferenceOr::Reference { .. } => (false, false, None, false),
            };
            let is_required = required.iter().any(|r| r == wire);
            fields.push(Field {
                name: wire.clone(),
                rust_name,
                ty,
                optional: !is_required || nullable || read_only,
                read_only,
                doc: prop_doc,
                deprecated,
            });
        }
        for r in required {
            if !properties.contains_key(r) && !matches!(schema.schema_kind, SchemaKind::Any(_)) {
                let listed = required.iter().position(|x| x == r).unwrap_or(0);
                return Err(Error::at(
                    &ptr.push("required").push(listed),
                    format!("required property {r:?} is not among the properties"),
                ));
            }
        }
        self.types.insert(
            name.to_string(),
            TypeDef::Struct(Struct {
                name: name.to_string(),
                doc,
                fields,
                deprecated: schema.schema_data.deprecated,
            }),
        );
        Ok(true)
    }

    fn operations(&mut self) -> Result<Vec<Tag>, Error> {
        struct TagAcc {
            tag: Tag,
            methods: Namespace,
            types: Namespace,
        }
        let mut tags: BTreeMap<String, TagAcc> = BTreeMap::new();
        let mut modules = Namespace::default();
        // `Client` methods of the runtime that a tag accessor must not shadow.
        for taken in ["builder", "from_env", "config", "clone", "fmt"] {
            modules.claim(taken);
        }
        let mut seen_ids: BTreeMap<String, Pointer> = BTreeMap::new();
        let tag_docs: BTreeMap<&str, Option<String>> = self
            .api
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.description.clone()))
            .collect();

        for (path, item) in &self.api.paths.paths {
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
                let acc = tags.entry(tag_name.clone()).or_insert_with(|| {
                    let module = modules.claim(&snake(&tag_name));
                    let mut types = Namespace::default();
                    let type_name = types.claim(&camel(&tag_name));
                    TagAcc {
                        tag: Tag {
                            description: tag_docs.get(tag_name.as_str()).cloned().flatten(),
                            name: tag_name.clone(),
                            module,
                            type_name,
                            operations: Vec::new(),
                        },
                        methods: Namespace::default(),
                        types,
                    }
                });
                let lowered = self.operation(
                    path,
                    &item.parameters,
                    method,
                    op,
                    &optr,
                    &mut acc.methods,
                    &mut acc.types,
                )?;
                acc.tag.operations.push(lowered);
            }
        }
        let mut out: Vec<Tag> = tags.into_values().map(|a| a.tag).collect();
        out.sort_by(|a, b| a.module.cmp(&b.module));
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        shared_params: &[ReferenceOr<Parameter>],
        method: Method,
        op: &openapiv3::Operation,
        optr: &Pointer,
        methods: &mut Namespace,
        builders: &mut Namespace,
    ) -> Result<Operation, Error> {
        let id = op.operation_id.clone().unwrap_or_default();
        let op_camel = camel(&id);

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

        let mut arg_names = Namespace::default();
        for taken in ["body", "client"] {
            arg_names.claim(taken);
        }
        let mut path_params = Vec::new();
        let mut query_params = Vec::new();
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
            let param = Param {
                name: data.name.clone(),
                rust_name: arg_names.claim(&snake(&data.name)),
                ty,
                required: data.required,
                pattern,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            };
            match p {
                Parameter::Path { .. } => {
                    if !data.required {
                        return Err(Error::at(
                            &ptr.push("required"),
                            "a path parameter must be required: true",
                        ));
                    }
                    if !matches!(
                        param.ty,
                        TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::Named(_)
                    ) {
                        return Err(Error::at(
                            &sptr,
                            "unsupported: a path parameter must be a string, an integer or a string enum",
                        ));
                    }
                    path_params.push(param);
                }
                Parameter::Query { .. } => query_params.push(param),
                Parameter::Header { .. } | Parameter::Cookie { .. } => {
                    return Err(Error::at(
                        &ptr.push("in"),
                        format!("unsupported: {} parameters are not supported yet", location(p)),
                    ));
                }
            }
        }
        let path_segments = split_path(path, &path_params, optr)?;

        // Versions, from the request body and the success responses.
        #[derive(Default)]
        struct Acc {
            accept: String,
            request: Option<Body>,
            response: Option<TypeRef>,
            sunset: Option<String>,
        }
        let mut versions: BTreeMap<VersionLabel, Acc> = BTreeMap::new();
        if let Some(body) = &op.request_body {
            let bptr = optr.push("requestBody");
            let body = self.request_body(body, &bptr)?;
            for (media, content) in &body.content {
                let mptr = bptr.push("content").push(media);
                let label = version_label(media, &mptr)?;
                let Some(schema) = &content.schema else {
                    return Err(Error::at(&mptr, "a request body media type needs a schema"));
                };
                let hint = format!("{op_camel}Request{}", label_suffix(&label));
                let ty = self.type_of(schema, &mptr.push("schema"), &hint)?;
                let acc = versions.entry(label).or_default();
                acc.accept = media.clone();
                acc.sunset = acc.sunset.take().or_else(|| sunset_of(&content.extensions));
                acc.request = Some(Body {
                    content_type: media.clone(),
                    ty,
                    required: body.required,
                });
            }
        }
        let mut error_statuses = Vec::new();
        let mut success_seen = BTreeSet::new();
        for (status, response) in &op.responses.responses {
            let rptr = optr.push("responses").push(status);
            let code = match status {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => r * 100,
            };
            if !(200..300).contains(&code) {
                error_statuses.push(code);
                continue;
            }
            let response = self.response(response, &rptr)?;
            for (media, content) in &response.content {
                let mptr = rptr.push("content").push(media);
                let label = version_label(media, &mptr)?;
                let ty = match &content.schema {
                    Some(schema) => {
                        let hint = format!("{op_camel}Response{}", label_suffix(&label));
                        Some(self.type_of(schema, &mptr.push("schema"), &hint)?)
                    }
                    None => None,
                };
                if !success_seen.insert(label.clone()) {
                    // A second 2xx for the same version (e.g. 200 and 202):
                    // the first one listed with a body decides the type.
                    let acc = versions.entry(label).or_default();
                    if acc.response.is_none() {
                        acc.response = ty;
                    }
                    continue;
                }
                let acc = versions.entry(label).or_default();
                acc.accept = media.clone();
                acc.sunset = acc.sunset.take().or_else(|| sunset_of(&content.extensions));
                acc.response = ty;
            }
        }
        if versions.is_empty() {
            return Err(Error::at(
                &optr.push("responses"),
                "no media type on any 2xx response or the request body: cannot tell which version to ask for",
            ));
        }
        // A version that only the responses list still needs a request body
        // when the operation takes one: use the nearest older version's
        // schema, sent under this version's own media type.
        let body_required = op.request_body.is_some();
        let mut last_body: Option<Body> = None;
        for (label, acc) in versions.iter_mut() {
            if acc.accept.is_empty() {
                acc.accept = media_type_for(label);
            }
            match &acc.request {
                Some(b) => last_body = Some(b.clone()),
                None if body_required => {
                    if let Some(b) = &last_body {
                        acc.request = Some(Body {
                            content_type: acc.accept.clone(),
                            ..b.clone()
                        });
                    }
                }
                None => {}
            }
        }
        if body_required {
            // Versions older than the first with a body take the oldest body.
            let first = versions.values().find_map(|a| a.request.clone());
            for acc in versions.values_mut() {
                if acc.request.is_none() {
                    if let Some(b) = &first {
                        acc.request = Some(Body {
                            content_type: acc.accept.clone(),
                            ..b.clone()
                        });
                    }
                }
            }
        }

        let fn_name = methods.claim(&snake(&id));
        let unversioned = versions.len() == 1 && versions.contains_key(&VersionLabel::Unversioned);
        let mut out_versions = Vec::new();
        for (label, acc) in versions {
            let suffix = label_suffix(&label);
            let (builder, vfn) = if unversioned {
                (builders.claim(&op_camel), None)
            } else {
                (
                    builders.claim(&format!("{op_camel}{suffix}")),
                    Some(methods.claim(&format!("{}_{}", snake(&id), suffix.to_lowercase()))),
                )
            };
            out_versions.push(Version {
                label,
                accept: acc.accept,
                request: acc.request,
                response: acc.response,
                sunset: acc.sunset,
                builder,
                fn_name: vfn,
            });
        }
        let default_version = out_versions
            .iter()
            .rposition(|v| matches!(v.label, VersionLabel::Date(_)))
            .unwrap_or(0);

        let roles = op
            .extensions
            .get("x-rolesRequirements")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|r| r.as_str().map(str::to_string)).collect())
            .unwrap_or_default();

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
            deprecated: op.deprecated,
            path_segments,
            path_params,
            query_params,
            versions: out_versions,
            default_version,
            error_statuses,
            fn_name,
        })
    }

    fn parameter<'p>(&self, p: &'p ReferenceOr<Parameter>, ptr: &Pointer) -> Result<&'p Parameter, Error>
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

    fn request_body<'p>(&self, b: &'p ReferenceOr<RequestBody>, ptr: &Pointer) -> Result<&'p RequestBody, Error>
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

    fn response<'p>(&self, r: &'p ReferenceOr<Response>, ptr: &Pointer) -> Result<&'p Response, Error>
    where
        'a: 'p,
    {
        resolve(r, "responses", self.api.components.as_ref().map(|c| &c.responses), ptr)
    }
}

/// Follows a `$ref` into `#/components/<section>/`.
fn resolve<'p, T>(
    item: &'p ReferenceOr<T>,
    section: &str,
    components: Option<&'p indexmap::IndexMap<String, ReferenceOr<T>>>,
    ptr: &Pointer,
) -> Result<&'p T, Error> {
    let mut cur = item;
    let mut at = ptr.clone();
    for _ in 0..32 {
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
    Err(Error::at(&at, "$ref chain longer than 32 links (a cycle?)"))
}

fn location(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn split_path(path: &str, params: &[Param], optr: &Pointer) -> Result<Vec<PathSegment>, Error> {
    let mut out = Vec::new();
    let mut rest = path;
    let mut used = BTreeSet::new();
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(PathSegment::Literal(rest[..open].to_string()));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(Error::at(optr, format!("path {path:?} has an unclosed '{{'")));
        };
        let name = &rest[open + 1..open + close];
        let Some(index) = params.iter().position(|p| p.name == name) else {
            return Err(Error::at(
                &optr.push("parameters"),
                format!("path template names {{{name}}} but no path parameter {name:?} is declared"),
            ));
        };
        used.insert(index);
        out.push(PathSegment::Param(index));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(PathSegment::Literal(rest.to_string()));
    }
    if let Some(unused) = params.iter().enumerate().find(|(i, _)| !used.contains(i)) {
        return Err(Error::at(
            &optr.push("parameters"),
            format!(
                "path parameter {:?} does not appear in the path {path:?}",
                unused.1.name
            ),
        ));
    }
    Ok(out)
}

/// Reads the resource version out of a media type.
fn version_label(media: &str, ptr: &Pointer) -> Result<VersionLabel, Error> {
    if media == "application/json" {
        return Ok(VersionLabel::Unversioned);
    }
    if let Some(rest) = media.strip_prefix("application/vnd.atlas.") {
        if let Some(version) = rest.strip_suffix("+json") {
            if version == "preview" {
                return Ok(VersionLabel::Preview);
            }
            if is_date(version) {
                return Ok(VersionLabel::Date(version.to_string()));
            }
        }
    }
    Err(Error::at(
        ptr,
        format!(
            "unsupported media type {media:?}: expected application/json, \
             application/vnd.atlas.YYYY-MM-DD+json or application/vnd.atlas.preview+json"
        ),
    ))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn media_type_for(label: &VersionLabel) -> String {
    match label {
        VersionLabel::Date(d) => format!("application/vnd.atlas.{d}+json"),
        VersionLabel::Preview => "application/vnd.atlas.preview+json".to_string(),
        VersionLabel::Unversioned => "application/json".to_string(),
    }
}

/// `V2023_01_01`, `Preview`, or nothing for unversioned operations.
fn label_suffix(label: &VersionLabel) -> String {
    match label {
        VersionLabel::Date(d) => format!("V{}", d.replace('-', "_")),
        VersionLabel::Preview => "Preview".to_string(),
        VersionLabel::Unversioned => String::new(),
    }
}

fn sunset_of(ext: &indexmap::IndexMap<String, serde_json::Value>) -> Option<String> {
    ext.get("x-sunset").and_then(|v| v.as_str()).map(str::to_string)
}

fn unsupported(ptr: &Pointer, what: &str) -> Error {
    Error::at(
        ptr,
        format!("unsupported schema construct: {what} is not supported yet"),
    )
}

fn unsupported_composition(kind: &SchemaKind) -> Option<&'static str> {
    match kind {
        SchemaKind::OneOf { .. } => Some("oneOf"),
        SchemaKind::AnyOf { .. } => Some("anyOf"),
        SchemaKind::AllOf { .. } => Some("allOf"),
        SchemaKind::Not { .. } => Some("not"),
        SchemaKind::Any(a) if !a.one_of.is_empty() => Some("oneOf"),
        SchemaKind::Any(a) if !a.any_of.is_empty() => Some("anyOf"),
        SchemaKind::Any(a) if !a.all_of.is_empty() => Some("allOf"),
        SchemaKind::Any(a) if a.not.is_some() => Some("not"),
        _ => None,
    }
}

fn string_enum(schema: &Schema) -> Option<Vec<String>> {
    let values: Vec<String> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().flatten().cloned().collect(),
        _ => return None,
    };
    if values.is_empty() {
        return None;
    }
    let mut seen = BTreeSet::new();
    Some(values.into_iter().filter(|v| seen.insert(v.clone())).collect())
}

type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

fn object_properties(schema: &Schema) -> Option<(&Properties, &Vec<String>)> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Some((&o.properties, &o.required)),
        SchemaKind::Any(a) if !a.properties.is_empty() => Some((&a.properties, &a.required)),
        _ => None,
    }
}

fn needs_name(schema: &Schema) -> bool {
    string_enum(schema).is_some() || object_properties(schema).is_some()
}

/// Boxes the struct fields that close a cycle of directly contained types
/// (a field of type `T` or `Option<T>` inside `T`, or through other structs),
/// which Rust could not lay out. `Vec` and maps already indirect.
fn box_cycles(types: &mut BTreeMap<String, TypeDef>) {
    fn direct(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(n) => Some(n),
            _ => None,
        }
    }
    // Tarjan's strongly connected components over direct containment.
    let names: Vec<String> = types.keys().cloned().collect();
    let index_of: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .map(|n| match &types[n] {
            TypeDef::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| direct(&f.ty))
                .filter_map(|t| index_of.get(t).copied())
                .collect(),
            TypeDef::Alias(a) => direct(&a.target)
                .and_then(|t| index_of.get(t).copied())
                .into_iter()
                .collect(),
            TypeDef::Enum(_) => Vec::new(),
        })
        .collect();
    let comp = tarjan(&edges);
    for (i, name) in names.iter().enumerate() {
        if let Some(TypeDef::Struct(s)) = types.get_mut(name) {
            for f in &mut s.fields {
                if let Some(target) = direct(&f.ty).and_then(|t| index_of.get(t).copied()) {
                    let cyclic = comp[target] == comp[i] && (target != i || edges[i].contains(&i));
                    if cyclic {
                        f.ty = TypeRef::Boxed(Box::new(f.ty.clone()));
                    }
                }
            }
        }
    }
}

/// Component number of each node (iterative Tarjan, no recursion limit).
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&(v, ei)) = work.last() {
            if ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if ei < edges[v].len() {
                let w = edges[v][ei];
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}
