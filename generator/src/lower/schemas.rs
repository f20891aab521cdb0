//! Schemas -> types: component schemas (named in sorted order), inline
//! schemas, enums, `allOf` flattening, `oneOf`/`anyOf` and discriminators.

use super::arguments;
use super::facts;
use super::refs::MAX_DEPTH;
use super::sensitive;
use super::state::Lower;
use crate::error::{Error, Pointer};
use crate::model::type_ref::{walk, Fold, Inner, Scalar, TypeRef};
use crate::model::*;
use crate::names::{camel, claim_sorted, snake, variant, Namespace};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};
use std::collections::BTreeSet;

type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

impl<'a> Lower<'a> {
    pub(crate) fn component_schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.api.components.iter().flat_map(|c| c.schemas.iter())
    }

    /// Names every component schema first (sorted, so the spec's order does
    /// not matter), then lowers each.
    pub(crate) fn components(&mut self) -> Result<(), Error> {
        let mut names: Vec<&String> = self.component_schemas().map(|(n, _)| n).collect();
        names.sort();
        for name in names {
            // Sorted: where two meet after case conversion, the later name
            // gets the suffix, whatever the spec's order.
            let rust = self.type_names.claim(&camel(name));
            self.components.insert(name.clone(), rust);
        }
        let mut schemas: Vec<_> = self.component_schemas().collect();
        schemas.sort_by(|a, b| a.0.cmp(b.0));
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

    pub(crate) fn type_of(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        ptr: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, ptr),
            ReferenceOr::Item(schema) => self.type_of_item(schema, ptr, hint),
        }
    }

    pub(crate) fn type_of_boxed(
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
    pub(crate) fn type_of_item(&mut self, schema: &'a Schema, ptr: &Pointer, hint: &str) -> Result<TypeRef, Error> {
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
                let name = self.type_names.claim_at(&camel(hint), ptr, &ptr.to_string())?;
                self.inline.insert(ptr.to_string(), TypeRef::Named(name.clone()));
                self.define(&name, schema, ptr)?;
                TypeRef::Named(name)
            }
        };
        self.inline.insert(ptr.to_string(), ty.clone());
        Ok(ty)
    }

    /// Schemas that need no type of their own: scalars, lists, maps, free-form JSON.
    pub(crate) fn primitive(&mut self, schema: &'a Schema, ptr: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        let shape = shape(schema);
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => match &t.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => TypeRef::DateTime,
                _ => TypeRef::String,
            },
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
            SchemaKind::Any(a) if a.typ.as_deref() == Some("string") => match a.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                _ => TypeRef::String,
            },
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

    /// What a property's schema (through its `$ref`) says of its values.
    fn hints(&self, schema: &ReferenceOr<Box<Schema>>) -> Hints {
        let reference;
        let schema = match schema {
            ReferenceOr::Item(s) => Some(&**s),
            ReferenceOr::Reference { reference: r } => {
                reference = ReferenceOr::Reference { reference: r.clone() };
                self.resolve_schema(&reference)
            }
        };
        let Some(schema) = schema else {
            return Hints::default();
        };
        let (format, pattern, minimum) = match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                let format = match &t.format {
                    VariantOrUnknownOrEmpty::Item(f) => Some(format!("{f:?}").to_ascii_lowercase()),
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                (format, t.pattern.clone(), None)
            }
            SchemaKind::Type(Type::Integer(t)) => (None, None, t.minimum.map(|m| m as f64)),
            SchemaKind::Type(Type::Number(t)) => (None, None, t.minimum),
            _ => (None, None, None),
        };
        let item = match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => a.items.as_ref().map(|i| Box::new(self.hints(i))),
            _ => None,
        };
        Hints {
            format,
            pattern,
            example: schema.schema_data.example.clone(),
            minimum,
            item,
        }
    }

    /// What a property's schema (through its `$ref`) states of its values,
    /// for its rustdoc.
    fn facts(&self, schema: &ReferenceOr<Box<Schema>>) -> Facts {
        let reference;
        let resolved = match schema {
            ReferenceOr::Item(s) => Some(&**s),
            ReferenceOr::Reference { reference: r } => {
                reference = ReferenceOr::Reference { reference: r.clone() };
                self.resolve_schema(&reference)
            }
        };
        resolved.map(facts::of).unwrap_or_default()
    }

    /// Defines `name` from a schema whose [`kind`] needs a named type.
    pub(crate) fn define(&mut self, name: &str, schema: &'a Schema, ptr: &Pointer) -> Result<(), Error> {
        let doc = schema.schema_data.description.clone();
        match self.kind(schema, ptr)? {
            Kind::StringEnum(values) => self.insert_enum(name, doc, values),
            Kind::Struct | Kind::AllOf => self.define_struct(name, schema, ptr)?,
            Kind::OneOf if self.enum_union(schema).is_some() => {
                // Every part is a string enum: one enum of all their values.
                let values = self.enum_union(schema).unwrap_or_default();
                self.insert_enum(name, doc, values);
            }
            // A polymorphic base has no parts: its variants come from the
            // discriminator mapping alone.
            Kind::OneOf | Kind::Polymorphic => self.define_union(name, schema, ptr)?,
            Kind::Primitive | Kind::AliasTo(_) => {
                return Err(Error::at(
                    ptr,
                    "internal error: a schema without a shape of its own was given a name",
                ))
            }
        }
        Ok(())
    }

    /// A struct of the schema's properties (`allOf` flattened), or an alias
    /// of free-form JSON when it has none.
    fn define_struct(&mut self, name: &str, schema: &'a Schema, ptr: &Pointer) -> Result<(), Error> {
        let doc = schema.schema_data.description.clone();
        let mut props = Vec::new();
        let mut required = BTreeSet::new();
        self.flatten(schema, ptr, name, &mut props, &mut required, 0)?;
        if props.is_empty() {
            let target = TypeRef::Json;
            let alias = Alias {
                name: name.to_string(),
                doc,
                target,
            };
            self.types.insert(name.to_string(), TypeDef::Alias(alias));
            return Ok(());
        }
        let wires: Vec<&str> = props.iter().map(|p| p.wire.as_str()).collect();
        let rust_names = claim_sorted(&mut Namespace::default(), &wires, snake);
        let mut fields = Vec::new();
        for (prop, rust_name) in props.into_iter().zip(rust_names) {
            let is_required = required.contains(&prop.wire);
            fields.push(self.field(prop, rust_name, is_required)?);
        }
        for (i, r) in shape(schema).required.iter().enumerate() {
            if !fields.iter().any(|f| &f.name == r) && matches!(kind(schema, ptr)?, Kind::Struct) {
                return Err(Error::at(
                    &ptr.push("required").push(i),
                    format!("required property {r:?} is not among the properties"),
                ));
            }
        }
        let deprecated = schema.schema_data.deprecated;
        let constructor = constructor(&fields);
        let def = Struct {
            name: name.to_string(),
            doc,
            // `&self` is not counted: `new` takes none.
            allow_too_many_arguments: arguments::too_many(constructor.len()),
            constructor,
            fields,
            deprecated,
        };
        self.types.insert(name.to_string(), TypeDef::Struct(def));
        Ok(())
    }

    /// One property as a field: its type, and whether it must be there.
    fn field(&mut self, prop: Prop<'a>, rust_name: String, required: bool) -> Result<Field, Error> {
        let hint = format!("{}{}", prop.owner, camel(&prop.wire));
        let ty = self.type_of_boxed(prop.schema, &prop.ptr, &hint)?;
        let data = match prop.schema {
            ReferenceOr::Item(s) => Some(&s.schema_data),
            ReferenceOr::Reference { .. } => None,
        };
        let flag = |f: fn(&openapiv3::SchemaData) -> bool| data.is_some_and(f);
        let (read_only, write_only, nullable) = (flag(|d| d.read_only), flag(|d| d.write_only), flag(|d| d.nullable));
        let presence = match (required, nullable) {
            _ if read_only || write_only => Presence::Optional,
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        };
        let hints = self.hints(prop.schema);
        let marked = match data {
            Some(d) => sensitive::marked(&d.extensions, &prop.ptr)?,
            None => None,
        };
        Ok(Field {
            sensitive: sensitive::field(&prop.wire, &ty, hints.format.as_deref(), marked),
            name: prop.wire,
            taken: arguments::field(&ty, presence),
            ty,
            presence,
            null_allowed: nullable,
            read_only,
            write_only,
            doc: data.and_then(|d| d.description.clone()),
            deprecated: flag(|d| d.deprecated),
            hints,
            facts: self.facts(prop.schema),
            setter: format!("with_{}", rust_name.trim_matches('_')),
            rust_name,
        })
    }

    /// A union of the `oneOf` (or `anyOf`) parts and the discriminator's
    /// mapping, with a catch-all for what none of them decodes.
    fn define_union(&mut self, name: &str, schema: &'a Schema, ptr: &Pointer) -> Result<(), Error> {
        let sh = shape(schema);
        let (parts, key) = (sh.one_of, sh.one_of_key);
        let mut variants = Vec::new();
        let mut names = Namespace::default();
        for (i, part) in parts.iter().enumerate() {
            let pptr = ptr.push(key).push(i);
            let ty = self.type_of(part, &pptr, &format!("{name}Variant{}", i + 1))?;
            // A variant that is the union itself would decode forever.
            if variants.iter().any(|v: &Variant| v.ty == ty) || self.resolves_to(&ty, name) {
                continue;
            }
            variants.push(Variant {
                name: names.claim_at(&variant_name(&ty), &pptr, &pptr.to_string())?,
                ty,
                known_fields: None,
            });
        }
        let discriminator = self.discriminator(schema, ptr, &mut variants, &mut names, name)?;
        let catch_all = names.claim("Unknown");
        let def = OneOf {
            name: name.to_string(),
            doc: schema.schema_data.description.clone(),
            variants,
            discriminator,
            catch_all,
        };
        self.types.insert(name.to_string(), TypeDef::OneOf(def));
        Ok(())
    }

    /// [`kind`], with `allOf` of a single object schema read as a subtype
    /// (a struct with the base's properties), not as an alias: the base may
    /// be a union that lists this very schema.
    pub(crate) fn kind(&self, schema: &'a Schema, ptr: &Pointer) -> Result<Kind<'a>, Error> {
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
    /// Values that meet after case conversion (`WARNING`, `warning`) are
    /// told apart by a suffix, given in the order of the values' text.
    pub(crate) fn insert_enum(&mut self, name: &str, doc: Option<String>, values: Vec<String>) {
        let mut names = Namespace::default();
        let wires: Vec<&str> = values.iter().map(String::as_str).collect();
        let rust = claim_sorted(&mut names, &wires, |v| {
            if v.is_empty() {
                "Empty".to_string()
            } else {
                variant(v)
            }
        });
        let variants = rust.into_iter().zip(values).collect();
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
    pub(crate) fn resolves_to(&self, ty: &TypeRef, name: &str) -> bool {
        let mut cur = ty;
        for _ in 0..MAX_DEPTH {
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
    pub(crate) fn enum_union(&self, schema: &'a Schema) -> Option<Vec<String>> {
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
    pub(crate) fn discriminator(
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
                        let vptr = mptr.push(value);
                        variants.push(Variant {
                            name: names.claim_at(&variant_name(&ty), &vptr, &vptr.to_string())?,
                            ty,
                            known_fields: None,
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
    pub(crate) fn flatten(
        &self,
        schema: &'a Schema,
        ptr: &Pointer,
        owner: &str,
        props: &mut Vec<Prop<'a>>,
        required: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(Error::at(
                ptr,
                format!("allOf nests more than {MAX_DEPTH} deep (a cycle?)"),
            ));
        }
        let sh = shape(schema);
        for (i, part) in sh.all_of.iter().enumerate() {
            let pptr = ptr.push("allOf").push(i);
            match part {
                ReferenceOr::Reference { reference } => {
                    let (rust, s, cptr) = self.schema_target(reference, &pptr)?;
                    self.flatten(s, &cptr, &rust, props, required, depth + 1)?;
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
}

/// The arguments of a struct's `new` (indices into `fields`): the fields
/// that must be sent, in the order of their wire names, so that a spec that
/// lists its properties in another order never swaps two of them.
fn constructor(fields: &[Field]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].in_constructor()).collect();
    order.sort_by(|&a, &b| fields[a].name.cmp(&fields[b].name));
    order
}

/// One property on its way into a struct, with the schema that owns it
/// (which names its inline types).
pub(crate) struct Prop<'a> {
    wire: String,
    schema: &'a ReferenceOr<Box<Schema>>,
    ptr: Pointer,
    owner: String,
}

/// What decides a schema's Rust shape, whichever `SchemaKind` openapiv3
/// chose (a schema mixing `type` with a composition is `Any`).
#[derive(Default)]
pub(crate) struct Shape<'s> {
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

pub(crate) fn shape(schema: &Schema) -> Shape<'_> {
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

pub(crate) enum Kind<'s> {
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

pub(crate) fn kind<'s>(schema: &'s Schema, ptr: &Pointer) -> Result<Kind<'s>, Error> {
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
pub(crate) fn variant_name(ty: &TypeRef) -> String {
    walk(ty, &mut VariantName)
}

struct VariantName;

impl<'t> Fold<'t> for VariantName {
    type Out = String;
    fn scalar(&mut self, scalar: Scalar) -> String {
        match scalar {
            Scalar::String => "Text",
            Scalar::Bool => "Boolean",
            Scalar::I32 | Scalar::I64 => "Integer",
            Scalar::F32 | Scalar::F64 => "Number",
            Scalar::Json => "Json",
            Scalar::DateTime => "DateTime",
        }
        .into()
    }
    fn named(&mut self, name: &'t str) -> String {
        name.to_string()
    }
    fn list(&mut self, _: Inner<'t>) -> String {
        "List".into()
    }
    fn map(&mut self, _: Inner<'t>) -> String {
        "Map".into()
    }
    fn boxed(&mut self, inner: Inner<'t>) -> String {
        inner.fold(self)
    }
}

/// Gives each union variant that is a named struct its wire field names
/// (once every type is lowered).
pub(crate) fn settle_variant_fields(types: &mut std::collections::BTreeMap<String, TypeDef>) {
    let fields: std::collections::BTreeMap<String, Vec<String>> = types
        .iter()
        .filter_map(|(n, t)| match t {
            TypeDef::Struct(s) => Some((n.clone(), s.fields.iter().map(|f| f.name.clone()).collect())),
            _ => None,
        })
        .collect();
    for t in types.values_mut() {
        let TypeDef::OneOf(o) = t else { continue };
        for v in &mut o.variants {
            if let TypeRef::Named(n) = &v.ty {
                v.known_fields = fields.get(n).cloned();
            }
        }
    }
}
