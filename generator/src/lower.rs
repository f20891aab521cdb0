//! `openapiv3::OpenAPI` -> [`model::Api`]: resolve references, validate, and
//! settle every Rust name. All failures carry the JSON pointer of the node.

use crate::error::{Error, Pointer};
use crate::model::*;
use crate::names::{self, camel, snake, variant, Namespace};
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
    let components = std::mem::take(&mut cx.components);
    box_cycles(&mut types);
    Ok(Api {
        title: api.info.title.clone(),
        tags,
        types,
        components,
    })
}

struct Lower<'a> {
    api: &'a OpenAPI,
    types: BTreeMap<String, TypeDef>,
    /// Inline schema (by pointer) -> its type, so a node lowers once.
    inline: BTreeMap<String, TypeRef>,
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
            inline: BTreeMap::new(),
            type_names: Namespace::reserved(names::MODEL_SCOPE),
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
                ReferenceOr::Item(schema) => match self.kind(schema, &ptr)? {
                    Kind::Primitive | Kind::AliasTo(_) => {
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
                    _ => {
                        self.inline.insert(ptr.to_string(), TypeRef::Named(rust.clone()));
                        self.define(&rust, schema, &ptr)?;
                    }
                },
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

    fn type_of(&mut self, schema: &'a ReferenceOr<Schema>, ptr: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, ptr),
            ReferenceOr::Item(schema) => self.type_of_item(schema, ptr, hint),
        }
    }

    fn type_of_boxed(
        &mut self,
        schema: &'a ReferenceOr<Box<Schema>>,
        ptr: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, ptr),
            ReferenceOr::Item(schema) => self.type_of_item(schema, ptr, hint),
        }
    }

    /// The type of an inline schema; objects, enums and compositions become
    /// named types called after `hint`. The same node always gets the same
    /// type, however many `allOf`s pull it in.
    fn type_of_item(&mut self, schema: &'a Schema, ptr: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        if let Some(known) = self.inline.get(&ptr.to_string()) {
            return Ok(known.clone());
        }
        let ty = match self.kind(schema, ptr)? {
            Kind::Primitive => self.primitive(schema, ptr, hint)?,
            Kind::AliasTo(part) => {
                let (key, part) = part;
                self.type_of(part, &ptr.push(key).push(0), hint)?
            }
            _ => {
                let name = self.type_names.claim(&camel(hint));
                self.inline.insert(ptr.to_string(), TypeRef::Named(name.clone()));
                self.define(&name, schema, ptr)?;
                TypeRef::Named(name)
            }
        };
        self.inline.insert(ptr.to_string(), ty.clone());
        Ok(ty)
    }

    /// Schemas that need no type of their own: scalars, lists, maps, free-form JSON.
    fn primitive(&mut self, schema: &'a Schema, ptr: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        let shape = shape(schema);
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
            _ if shape.items.is_some() || shape.typ == Some("array") => {
                let item = match shape.items {
                    Some(items) => self.type_of_boxed(items, &ptr.push("items"), &format!("{hint}Item"))?,
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            SchemaKind::Any(a) if a.typ.as_deref() == Some("string") => TypeRef::String,
            SchemaKind::Any(a) if a.typ.as_deref() == Some("boolean") => TypeRef::Bool,
            SchemaKind::Any(a) if a.typ.as_deref() == Some("integer") => TypeRef::I64,
            SchemaKind::Any(a) if a.typ.as_deref() == Some("number") => TypeRef::F64,
            _ => match shape.additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value = self.type_of(value, &ptr.push("additionalProperties"), &format!("{hint}Value"))?;
                    TypeRef::Map(Box::new(value))
                }
                _ => TypeRef::Json,
            },
        })
    }

    /// Defines `name` from a schema whose [`kind`] needs a named type.
    fn define(&mut self, name: &str, schema: &'a Schema, ptr: &Pointer) -> Result<(), Error> {
        let doc = schema.schema_data.description.clone();
        let deprecated = schema.schema_data.deprecated;
        match self.kind(schema, ptr)? {
            Kind::StringEnum(values) => self.insert_enum(name, doc, values),
            Kind::Struct | Kind::AllOf => {
                let mut props = Vec::new();
                let mut required = BTreeSet::new();
                self.flatten(schema, ptr, name, &mut props, &mut required, 0)?;
                if props.is_empty() {
                    self.types.insert(
                        name.to_string(),
                        TypeDef::Alias(Alias {
                            name: name.to_string(),
                            doc,
                            target: TypeRef::Json,
                        }),
                    );
                    return Ok(());
                }
                let mut field_names = Namespace::default();
                let mut fields = Vec::new();
                for prop in props {
                    let rust_name = field_names.claim(&snake(&prop.wire));
                    let hint = format!("{}{}", prop.owner, camel(&prop.wire));
                    let ty = self.type_of_boxed(prop.schema, &prop.ptr, &hint)?;
                    let data = match prop.schema {
                        ReferenceOr::Item(s) => Some(&s.schema_data),
                        ReferenceOr::Reference { .. } => None,
                    };
                    let flag = |f: fn(&openapiv3::SchemaData) -> bool| data.is_some_and(f);
                    let (read_only, write_only, nullable) =
                        (flag(|d| d.read_only), flag(|d| d.write_only), flag(|d| d.nullable));
                    let presence = match (required.contains(&prop.wire), nullable) {
                        _ if read_only || write_only => Presence::Optional,
                        (true, false) => Presence::Required,
                        (true, true) => Presence::RequiredNullable,
                        (false, false) => Presence::Optional,
                        (false, true) => Presence::OptionalNullable,
                    };
                    fields.push(Field {
                        name: prop.wire,
                        rust_name,
                        ty,
                        presence,
                        read_only,
                        doc: data.and_then(|d| d.description.clone()),
                        deprecated: flag(|d| d.deprecated),
                    });
                }
                for (i, r) in shape(schema).required.iter().enumerate() {
                    if !fields.iter().any(|f| &f.name == r) && matches!(kind(schema, ptr)?, Kind::Struct) {
                        return Err(Error::at(
                            &ptr.push("required").push(i),
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
                        deprecated,
                    }),
                );
            }
            Kind::OneOf if self.enum_union(schema).is_some() => {
                // Every part is a string enum: one enum of all their values.
                let values = self.enum_union(schema).unwrap_or_default();
                self.insert_enum(name, doc, values);
            }
            // A polymorphic base has no parts: its variants come from the
            // discriminator mapping alone.
            Kind::OneOf | Kind::Polymorphic => {
                let sh = shape(schema);
                let (parts, key) = (sh.one_of, sh.one_of_key);
                let mut variants = Vec::new();
                let mut names = Namespace::default();
                for (i, part) in parts.iter().enumerate() {
                    let ty = self.type_of(part, &ptr.push(key).push(i), &format!("{name}Variant{}", i + 1))?;
                    // A variant that is the union itself would decode forever.
                    if variants.iter().any(|v: &Variant| v.ty == ty) || self.resolves_to(&ty, name) {
                        continue;
                    }
                    variants.push(Variant {
                        name: names.claim(&variant_name(&ty)),
                        ty,
                    });
                }
                let discriminator = self.discriminator(schema, ptr, &mut variants, &mut names, name)?;
                let catch_all = names.claim("Unknown");
                self.types.insert(
                    name.to_string(),
                    TypeDef::OneOf(OneOf {
                        name: name.to_string(),
                        doc,
                        variants,
                        discriminator,
                        catch_all,
                    }),
                );
            }
            Kind::Primitive | Kind::AliasTo(_) => {
                return Err(Error::at(
                    ptr,
                    "internal error: a schema without a shape of its own was given a name",
                ))
            }
        }
        Ok(())
    }

    /// [`kind`], with `allOf` of a single object schema read as a subtype
    /// (a struct with the base's properties), not as an alias: the base may
    /// be a union that lists this very schema.
    fn kind(&self, schema: &'a Schema, ptr: &Pointer) -> Result<Kind<'a>, Error> {
        let k = kind(schema, ptr)?;
        if let Kind::AliasTo((_, part)) = &k {
            if let Some(target) = self.resolve_schema(part) {
                let sh = shape(target);
                if sh.properties.is_some() || !sh.all_of.is_empty() || target.schema_data.discriminator.is_some() {
                    return Ok(Kind::AllOf);
                }
            }
        }
        Ok(k)
    }

    /// Defines a string enum; each value gets a variant, plus the catch-all.
    fn insert_enum(&mut self, name: &str, doc: Option<String>, values: Vec<String>) {
        let mut names = Namespace::default();
        let variants = values
            .into_iter()
            .map(|v| {
                (
                    names.claim(&if v.is_empty() { "Empty".to_string() } else { variant(&v) }),
                    v,
                )
            })
            .collect();
        let catch_all = names.claim("Unknown");
        self.types.insert(
            name.to_string(),
            TypeDef::Enum(Enum {
                name: name.to_string(),
                doc,
                variants,
                catch_all,
            }),
        );
    }

    /// Whether `ty` is `name` or an alias chain ending there.
    fn resolves_to(&self, ty: &TypeRef, name: &str) -> bool {
        let mut cur = ty;
        for _ in 0..32 {
            match cur {
                TypeRef::Named(n) if n == name => return true,
                TypeRef::Named(n) => match self.types.get(n) {
                    Some(TypeDef::Alias(a)) => cur = &a.target,
                    _ => return false,
                },
                _ => return false,
            }
        }
        false
    }

    /// The values of a `oneOf` whose parts are all string enums, in order.
    fn enum_union(&self, schema: &'a Schema) -> Option<Vec<String>> {
        let mut values = Vec::new();
        for part in shape(schema).one_of {
            let part = self.resolve_schema(part)?;
            match kind(part, &Pointer::root()).ok()? {
                Kind::StringEnum(v) => {
                    for x in v {
                        if !values.contains(&x) {
                            values.push(x);
                        }
                    }
                }
                _ => return None,
            }
        }
        Some(values)
    }

    /// The discriminator of a `oneOf` or polymorphic base: each mapped value
    /// to a variant (added if the `oneOf` did not list its type). Without a
    /// mapping, each variant's schema name is its value.
    fn discriminator(
        &mut self,
        schema: &'a Schema,
        ptr: &Pointer,
        variants: &mut Vec<Variant>,
        names: &mut Namespace,
        self_name: &str,
    ) -> Result<Option<Discriminator>, Error> {
        let Some(d) = &schema.schema_data.discriminator else {
            return Ok(None);
        };
        let mut values = Vec::new();
        if d.mapping.is_empty() {
            for (i, v) in variants.iter().enumerate() {
                if let TypeRef::Named(n) = &v.ty {
                    if let Some((original, _)) = self.components.iter().find(|(_, r)| *r == n) {
                        values.push((original.clone(), i));
                    }
                }
            }
        } else {
            let mptr = ptr.push("discriminator").push("mapping");
            for (value, target) in &d.mapping {
                let ty = self.schema_ref(target, &mptr.push(value))?;
                if self.resolves_to(&ty, self_name) {
                    // A base mapped to itself has no subtype to decode into:
                    // such documents land in the catch-all.
                    continue;
                }
                let index = match variants.iter().position(|v| v.ty == ty) {
                    Some(i) => i,
                    None => {
                        variants.push(Variant {
                            name: names.claim(&variant_name(&ty)),
                            ty,
                        });
                        variants.len() - 1
                    }
                };
                values.push((value.clone(), index));
            }
        }
        Ok(Some(Discriminator {
            property: d.property_name.clone(),
            values,
            explicit: !d.mapping.is_empty(),
        }))
    }

    /// The properties of a schema and of everything its `allOf` pulls in,
    /// in order; a later property of the same name replaces an earlier one.
    fn flatten(
        &self,
        schema: &'a Schema,
        ptr: &Pointer,
        owner: &str,
        props: &mut Vec<Prop<'a>>,
        required: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > 32 {
            return Err(Error::at(ptr, "allOf nests more than 32 deep (a cycle?)"));
        }
        let sh = shape(schema);
        for (i, part) in sh.all_of.iter().enumerate() {
            let pptr = ptr.push("allOf").push(i);
            match part {
                ReferenceOr::Reference { reference } => {
                    let TypeRef::Named(rust) = self.schema_ref(reference, &pptr)? else {
                        return Err(Error::at(&pptr, "internal error: a schema $ref that names no type"));
                    };
                    let name = reference.trim_start_matches(SCHEMA_PREFIX);
                    let target = self.api.components.as_ref().and_then(|c| c.schemas.get(name));
                    match target {
                        Some(ReferenceOr::Item(s)) => {
                            let cptr = Pointer::root().push("components").push("schemas").push(name);
                            self.flatten(s, &cptr, &rust, props, required, depth + 1)?;
                        }
                        _ => {
                            return Err(Error::at(
                                &pptr.push("$ref"),
                                "unsupported: allOf of a $ref that is itself a $ref",
                            ))
                        }
                    }
                }
                ReferenceOr::Item(s) => self.flatten(s, &pptr, owner, props, required, depth + 1)?,
            }
        }
        for (wire, schema) in sh.properties.into_iter().flatten() {
            let prop = Prop {
                wire: wire.clone(),
                schema,
                ptr: ptr.push("properties").push(wire),
                owner: owner.to_string(),
            };
            match props.iter_mut().find(|p| p.wire == *wire) {
                Some(existing) => *existing = prop,
                None => props.push(prop),
            }
        }
        required.extend(sh.required.iter().cloned());
        Ok(())
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
        // ... and cargo feature names the generated manifest already uses.
        for taken in names::CLIENT_SCOPE {
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
                    let module = modules
                        .claim_for(&snake(&tag_name), &tptr.to_string())
                        .map_err(|m| Error::at(&tptr, m))?;
                    let mut types = Namespace::reserved(names::TAG_MODULE_SCOPE);
                    let type_name = types.claim(&camel(&tag_name));
                    tags.insert(
                        tag_name.clone(),
                        TagAcc {
                            tag: Tag {
                                description: tag_docs.get(tag_name.as_str()).cloned().flatten(),
                                name: tag_name.clone(),
                                module,
                                type_name,
                                operations: Vec::new(),
                                uses_models: false,
                            },
                            methods: Namespace::reserved(names::GROUP_SCOPE),
                            types,
                        },
                    );
                }
                let acc = tags.get_mut(&tag_name).expect("inserted above");
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
        for tag in &mut out {
            tag.settle_uses_models();
        }
        out.sort_by(|a, b| a.module.cmp(&b.module));
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        shared_params: &'a [ReferenceOr<Parameter>],
        method: Method,
        op: &'a openapiv3::Operation,
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
                Parameter::Header { .. }
                    if matches!(
                        param.ty,
                        TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::Named(_)
                    ) =>
                {
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
        let path_segments = split_path(path, &path_params, optr)?;

        // Versions, from the request body and the success responses.
        #[derive(Default)]
        struct Acc {
            accept: String,
            request: Option<Body>,
            response: Option<TypeRef>,
            sunset: Option<String>,
        }
        let mut versions: BTreeMap<(VersionLabel, Format), Acc> = BTreeMap::new();
        if let Some(body) = &op.request_body {
            let bptr = optr.push("requestBody");
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
                let label = (label, format);
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
        for ((label, _), acc) in versions.iter_mut() {
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

        let idptr = optr.push("operationId");
        let owner = idptr.to_string();
        let named = |r: Result<String, String>| r.map_err(|m| Error::at(&idptr, m));
        let fn_name = named(methods.claim_for(&snake(&id), &owner))?;
        let unversioned = versions.len() == 1 && versions.contains_key(&(VersionLabel::Unversioned, Format::Json));
        let mut out_versions = Vec::new();
        for ((label, format), acc) in versions {
            let (type_suffix, fn_suffix) = match format {
                Format::Json => (String::new(), String::new()),
                Format::Csv => ("Csv".to_string(), "_csv".to_string()),
                Format::Gzip => ("Gzip".to_string(), "_gzip".to_string()),
            };
            let suffix = label_suffix(&label);
            let (builder, vfn) = if unversioned {
                (named(builders.claim_for(&op_camel, &owner))?, None)
            } else {
                (
                    named(builders.claim_for(&format!("{op_camel}{suffix}{type_suffix}"), &owner))?,
                    Some(named(methods.claim_for(
                        &format!("{}_{}{fn_suffix}", snake(&id), suffix.to_lowercase()),
                        &owner,
                    ))?),
                )
            };
            let pages = match (&acc.response, format) {
                (Some(TypeRef::Named(n)), Format::Json) => self.pages(n, &query_params),
                _ => None,
            };
            out_versions.push(Version {
                label,
                format,
                pages,
                accept: acc.accept,
                request: acc.request,
                response: acc.response,
                sunset: acc.sunset,
                builder,
                fn_name: vfn,
            });
        }
        let dated = |v: &Version| matches!(v.label, VersionLabel::Date(_));
        let default_version = out_versions
            .iter()
            .rposition(|v| dated(v) && v.format == Format::Json)
            .or_else(|| out_versions.iter().rposition(dated))
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
            header_params,
            versions: out_versions,
            default_version,
            error_statuses,
            fn_name,
        })
    }

    /// A list response (`results` plus a `pageNum` query parameter) can be
    /// walked page by page.
    fn pages(&self, response: &str, query: &[Param]) -> Option<Pages> {
        let page_param = query
            .iter()
            .find(|p| p.name == "pageNum" && matches!(p.ty, TypeRef::I32 | TypeRef::I64))?;
        let TypeDef::Struct(st) = self.types.get(response)? else {
            return None;
        };
        let results = st.fields.iter().find(|f| f.name == "results")?;
        let TypeRef::Vec(item) = &results.ty else { return None };
        let total = st
            .fields
            .iter()
            .find(|f| f.name == "totalCount" && matches!(f.ty, TypeRef::I32 | TypeRef::I64))
            .map(|f| (f.rust_name.clone(), f.presence != Presence::Required));
        Some(Pages {
            item: (**item).clone(),
            results_optional: results.presence != Presence::Required,
            total,
            page_param: page_param.rust_name.clone(),
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

/// Reads the resource version and the encoding out of a media type.
fn version_label(media: &str, ptr: &Pointer) -> Result<(VersionLabel, Format), Error> {
    if media == "application/json" {
        return Ok((VersionLabel::Unversioned, Format::Json));
    }
    if let Some(rest) = media.strip_prefix("application/vnd.atlas.") {
        let parsed = [("+json", Format::Json), ("+csv", Format::Csv), ("+gzip", Format::Gzip)]
            .into_iter()
            .find_map(|(suffix, format)| rest.strip_suffix(suffix).map(|v| (v, format)));
        if let Some((version, format)) = parsed {
            if version == "preview" {
                return Ok((VersionLabel::Preview, format));
            }
            if is_date(version) {
                return Ok((VersionLabel::Date(version.to_string()), format));
            }
        }
    }
    Err(Error::at(
        ptr,
        format!(
            "unsupported media type {media:?}: expected application/json or \
             application/vnd.atlas.<YYYY-MM-DD or preview>+<json, csv or gzip>"
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

type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

/// One property on its way into a struct, with the schema that owns it
/// (which names its inline types).
struct Prop<'a> {
    wire: String,
    schema: &'a ReferenceOr<Box<Schema>>,
    ptr: Pointer,
    owner: String,
}

/// What decides a schema's Rust shape, whichever `SchemaKind` openapiv3
/// chose (a schema mixing `type` with a composition is `Any`).
#[derive(Default)]
struct Shape<'s> {
    one_of: &'s [ReferenceOr<Schema>],
    one_of_key: &'static str,
    all_of: &'s [ReferenceOr<Schema>],
    properties: Option<&'s Properties>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    typ: Option<&'s str>,
    not: bool,
}

fn shape(schema: &Schema) -> Shape<'_> {
    let mut sh = Shape {
        one_of_key: "oneOf",
        ..Shape::default()
    };
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => sh.one_of = one_of,
        SchemaKind::AnyOf { any_of } => (sh.one_of, sh.one_of_key) = (any_of, "anyOf"),
        SchemaKind::AllOf { all_of } => sh.all_of = all_of,
        SchemaKind::Not { .. } => sh.not = true,
        SchemaKind::Type(Type::Object(o)) => {
            sh.properties = Some(&o.properties).filter(|p| !p.is_empty());
            sh.required = &o.required;
            sh.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => sh.items = a.items.as_ref(),
        SchemaKind::Type(_) => {}
        SchemaKind::Any(a) => {
            if !a.any_of.is_empty() {
                (sh.one_of, sh.one_of_key) = (&a.any_of, "anyOf");
            }
            if !a.one_of.is_empty() {
                (sh.one_of, sh.one_of_key) = (&a.one_of, "oneOf");
            }
            sh.all_of = &a.all_of;
            sh.properties = Some(&a.properties).filter(|p| !p.is_empty());
            sh.required = &a.required;
            sh.additional = a.additional_properties.as_ref();
            sh.items = a.items.as_ref();
            sh.typ = a.typ.as_deref();
            sh.not = a.not.is_some();
        }
    }
    sh
}

enum Kind<'s> {
    /// A scalar, list, map or free-form value: no type of its own.
    Primitive,
    /// `allOf` of one part and nothing else: the part's type.
    AliasTo((&'static str, &'s ReferenceOr<Schema>)),
    StringEnum(Vec<String>),
    Struct,
    AllOf,
    /// `oneOf` or `anyOf`.
    OneOf,
    /// Properties plus a discriminator mapping to subtypes.
    Polymorphic,
}

fn kind<'s>(schema: &'s Schema, ptr: &Pointer) -> Result<Kind<'s>, Error> {
    let sh = shape(schema);
    if sh.not {
        return Err(Error::at(ptr, "unsupported schema construct: not is not supported yet"));
    }
    if !sh.one_of.is_empty() {
        return Ok(Kind::OneOf);
    }
    let mapped = schema
        .schema_data
        .discriminator
        .as_ref()
        .is_some_and(|d| !d.mapping.is_empty());
    if mapped && sh.all_of.is_empty() {
        return Ok(Kind::Polymorphic);
    }
    if !sh.all_of.is_empty() {
        if sh.all_of.len() == 1 && sh.properties.is_none() {
            return Ok(Kind::AliasTo(("allOf", &sh.all_of[0])));
        }
        return Ok(Kind::AllOf);
    }
    if let SchemaKind::Type(Type::String(s)) = &schema.schema_kind {
        let mut seen = BTreeSet::new();
        let values: Vec<String> = s
            .enumeration
            .iter()
            .flatten()
            .filter(|v| seen.insert(v.to_string()))
            .cloned()
            .collect();
        if !values.is_empty() {
            return Ok(Kind::StringEnum(values));
        }
    }
    if sh.properties.is_some() {
        return Ok(Kind::Struct);
    }
    Ok(Kind::Primitive)
}

/// A variant's name from its type.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::String => "Text".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Json => "Json".into(),
        TypeRef::Vec(_) => "List".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Boxed(inner) => variant_name(inner),
    }
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
            TypeDef::Enum(_) | TypeDef::OneOf(_) => Vec::new(),
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
