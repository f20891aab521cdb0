//! The validated model between the spec and the tokens. Every name here is a
//! settled Rust name and every choice made; emission only prints. The
//! model holds types and answers questions about them; the passes that
//! settle it live in `lower/`. [`TypeRef`] and the one walk over it:
//! `model/type_ref.rs`.

pub mod type_ref;

use std::collections::BTreeMap;
use type_ref::TypeRef;

#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    /// Operation groups, one per tag, ordered by module name.
    pub tags: Vec<Tag>,
    /// Every named type, keyed (and so ordered) by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Component schema name -> the Rust type it became.
    pub components: BTreeMap<String, String>,
    /// Per named type: how it is derived and which features compile it.
    pub usage: BTreeMap<String, TypeUsage>,
    /// What the generator passed over, with where (watchers it refused).
    pub warnings: Vec<crate::error::Error>,
}

/// After a create, update or delete: which GET to poll and what ends the
/// wait (`x-xgen-atlascli.watcher`, validated).
#[derive(Debug, Clone)]
pub struct Watcher {
    pub get_operation_id: String,
    /// The GET's tag module (and cargo feature) and its version method.
    pub get_module: String,
    /// The cargo feature the waiter needs beyond its own tag's: the GET's,
    /// when it lives in another tag.
    pub gate: Option<String>,
    pub get_fn: String,
    pub get_version: String,
    /// What that GET version answers (the waiter returns it).
    pub get_response: Option<TypeRef>,
    /// The GET's arguments, in order.
    pub args: Vec<WatchArg>,
    /// For each argument, the string enum it becomes (`From<&str>`), if not text.
    pub arg_types: Vec<Option<String>>,
    pub expect: Expect,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchArg {
    /// A path parameter of the call, by its builder field.
    Input(String),
    /// A JSONPath into the call's response body.
    Body(String),
    /// A JSONPath into the call's request body (`request:`): what a create
    /// of several resources made, one value each (an access list's
    /// entries); the waiter polls the GET with each. At most one argument
    /// of a watcher is one, and its expectation is a match.
    Request(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// The value at `path` in the GET's body is one of `values`; one of
    /// `failures` (our spec's `failure-values`) ends the wait with an error
    /// at once.
    Match {
        path: String,
        values: Vec<String>,
        failures: Vec<String>,
    },
    /// The GET answers with this status.
    Status(u16),
}

/// Decisions about one named type, settled in `lower/usage.rs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeUsage {
    /// Every field can be defaulted, so the type derives `Default`.
    pub derive_default: bool,
    pub gate: Gate,
    /// The tag module whose models file holds the type, when one tag alone
    /// uses it (`models/<module>.rs`, compiled only with that feature);
    /// `None`: `models/mod.rs` (several tags, every tag, or none).
    pub home: Option<String>,
    /// The `#[cfg]` the type's items carry: none in its tag's own file
    /// (the file's module is gated), else its gate.
    pub item_gate: Option<Gate>,
    /// Reached from a request (body or parameter): has `new` and its
    /// setters (otherwise only with the `fake` feature, to steer answers).
    pub sent: bool,
    /// Reached from a response: always derives `Deserialize`. Otherwise it
    /// does only with the `fake` feature, which decodes requests with it.
    pub received: bool,
}

impl TypeUsage {
    /// Whether the type has `Serialize` without a feature: it is sent, or
    /// received (an app stores, caches or prints what Atlas answered and
    /// writes it back whole, read-only fields included).
    pub fn serialized(&self) -> bool {
        self.sent || self.received
    }
}

/// Which cargo features compile an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Every tag uses it: no `#[cfg]`.
    Always,
    /// These tag features (one is enough).
    Features(Vec<String>),
    /// No operation uses it: only with `full`.
    Full,
}

#[derive(Debug, Clone)]
pub struct Tag {
    /// The tag as the spec spells it.
    pub name: String,
    pub description: Option<String>,
    /// Module under `operations`, and the `Client` method that returns the group.
    pub module: String,
    /// The group type, `operations::<module>::<type_name>`.
    pub type_name: String,
    pub operations: Vec<Operation>,
    /// Whether any operation names a model: in a path, query or header
    /// parameter, a body or a response (the tag's module then imports
    /// `models`).
    pub uses_models: bool,
    /// One `static` per distinct path pattern of the tag's operations:
    /// (constant name, pattern), in order of first use.
    pub patterns: Vec<(String, String)>,
    /// Some model is used by this tag alone, so `models/<module>.rs` exists.
    pub has_own_models: bool,
    /// The fake's route table of this tag: a `static` in
    /// `generated/fake.rs` (`OPERATIONS_<MODULE>`).
    pub fake_table: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "patch" => Method::Patch,
            "head" => Method::Head,
            "options" => Method::Options,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }

    /// The runtime's `Method` variant of this method.
    pub fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Put => "Put",
            Method::Post => "Post",
            Method::Delete => "Delete",
            Method::Patch => "Patch",
            Method::Head => "Head",
            Method::Options => "Options",
            Method::Trace => "Trace",
        }
    }
}

/// Which configured base URL an operation is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// Atlas Administration API v2 (`/api/atlas/...`).
    Atlas,
    /// Cloud Manager / Ops Manager public API (`/api/public/...`).
    CloudManager,
}

impl Base {
    /// The runtime's `Base` variant of this base.
    pub fn variant(self) -> &'static str {
        match self {
            Base::Atlas => "Atlas",
            Base::CloudManager => "CloudManager",
        }
    }
}

/// Why a method is `#[deprecated]`, settled once per method: a sunset note
/// wins over the operation's own flag (an item takes one attribute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deprecated {
    /// When Atlas stops serving a version, and what to call instead.
    Note(String),
    /// The spec marks the operation deprecated.
    ByApi,
}

/// What a version's `send()` returns, and so which runtime call it makes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResponseKind<'a> {
    /// A JSON body of this type (`call_json`).
    Json(&'a TypeRef),
    /// Bytes as they came: CSV, gzip (`call_bytes`).
    Bytes,
    /// No body (`call_empty`).
    Empty,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: String,
    pub method: Method,
    pub path: String,
    pub base: Base,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub roles: Vec<String>,
    /// Path segments in order: literal text and parameters.
    pub path_segments: Vec<PathSegment>,
    /// The path as the fake routes it: one entry per `/`-separated segment.
    pub route: Vec<RouteSegment>,
    /// In the order the path names them (`lower/operations.rs`), so
    /// every method of one path takes them in the same order.
    pub path_params: Vec<Param>,
    pub query_params: Vec<Param>,
    pub header_params: Vec<Param>,
    /// Ordered oldest first; previews and unversioned last.
    pub versions: Vec<Version>,
    /// Index into `versions` of the version the plain method calls.
    pub default_version: usize,
    /// Documented non-2xx statuses (`default` is not listed).
    pub error_statuses: Vec<u16>,
    /// Documented 2xx statuses, ascending: another 2xx is a deviation.
    pub success_statuses: Vec<u16>,
    /// Method on the tag group that calls the default version.
    pub fn_name: String,
    /// `x-xgen-atlascli` as written, with its pointer (resolved into
    /// `watcher` once every operation is known).
    pub watcher_raw: Option<(serde_json::Value, String)>,
    pub watcher: Option<Watcher>,
    /// The operationId, when methods are named from its short override
    /// (emitted as `#[doc(alias)]`, so rustdoc search finds both).
    pub alias: Option<String>,
    /// Why the plain method is deprecated: the default version's sunset
    /// note when every stable version has a sunset, else the spec's flag.
    pub plain_deprecation: Option<Deprecated>,
    /// The plain method's docs list the version-pinned methods (there is
    /// more than one version, or the default one has its own method).
    pub lists_pinned_versions: bool,
    /// The Rust name of the boolean `envelope` query parameter, if the
    /// operation has one (its answers are then unwrapped).
    pub envelope_param: Option<String>,
    /// What the operation does to the fake's state (`lower/fake.rs`).
    pub fake_role: FakeRole,
    /// Sample arguments of its methods (path parameters, then required
    /// query and header parameters), for the emitted every-operation test.
    pub fake_args: Vec<FakeArg>,
    /// MongoDB's reference page for the operation (`externalDocs.url`):
    /// an `https` URL on mongodb.com, checked in `lower/facts.rs`.
    pub reference: Option<String>,
}

/// A sample argument of the every-operation test, settled in `lower/fake.rs`.
#[derive(Debug, Clone, PartialEq)]
pub enum FakeArg {
    /// Text, passed as a `String`.
    Text(String),
    /// Any other value: its JSON text, decoded into the parameter's type.
    Decoded(String),
}

/// How a method, constructor or setter takes a value, settled per
/// parameter (`lower/operations.rs`) and per field (`lower/schemas.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// `impl Into<String>`, stored with `.into()`: a caller passes `&str`
    /// or `String`.
    Into,
    /// As its type.
    AsIs,
}

#[derive(Debug, Clone)]
pub enum PathSegment {
    Literal(String),
    /// Index into `path_params`.
    Param(usize),
}

/// One `/`-separated segment of an operation's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteSegment {
    Literal(String),
    /// A path parameter (its name on the wire) with the literal text
    /// around it in its segment (`{clusterName}:pause`).
    Param {
        name: String,
        prefix: String,
        suffix: String,
    },
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub pattern: Option<String>,
    /// The tag's `static` holding `pattern` (path parameters only).
    pub pattern_const: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// `x-key-fields` of a path parameter: the item's fields whose value it
    /// is (an access-list entry's `cidrBlock`, `ipAddress` or
    /// `awsSecurityGroup`). Empty: the fake derives the field from the name.
    pub key_fields: Vec<KeyField>,
    /// How its method argument (a path parameter, a required query or
    /// header one) or its setter (an optional one) takes it.
    pub taken: Taken,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum VersionLabel {
    /// `application/vnd.atlas.YYYY-MM-DD+json`
    Date(String),
    /// `application/vnd.atlas.preview+json`
    Preview,
    /// Plain `application/json`: no resource versions (Cloud Manager v1.0).
    Unversioned,
}

impl VersionLabel {
    /// The version's name in logs, errors and the fake's steering: its
    /// date, `preview`, or the media type of an unversioned operation.
    pub fn name(&self) -> &str {
        match self {
            VersionLabel::Date(d) => d,
            VersionLabel::Preview => "preview",
            VersionLabel::Unversioned => "application/json",
        }
    }
}

/// How a response body is encoded (the media type's `+suffix`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Json,
    /// `+csv`: returned as bytes.
    Csv,
    /// `+gzip`: returned as bytes.
    Gzip,
}

impl Format {
    /// Whether the body is JSON (else it is handed over as bytes).
    pub fn is_json(self) -> bool {
        self == Format::Json
    }
}

/// A list response that can be walked page by page.
#[derive(Debug, Clone)]
pub struct Pages {
    /// The element type of `results`.
    pub item: TypeRef,
    /// Whether `results` is an `Option<Vec<_>>` field.
    pub results_optional: bool,
    /// `totalCount` field: (Rust name, optional).
    pub total: Option<(String, bool)>,
    /// The builder setter of the `pageNum` query parameter.
    pub page_param: String,
}

impl Operation {
    /// The required query and header parameters: after the path
    /// parameters, the positional arguments of every method.
    pub fn required_query_and_headers(&self) -> impl Iterator<Item = &Param> {
        self.query_params
            .iter()
            .chain(&self.header_params)
            .filter(|p| p.required)
    }

    /// Every positional argument of the methods, in order: the path
    /// parameters, then the required query and header parameters.
    pub fn positional_params(&self) -> impl Iterator<Item = &Param> {
        self.path_params.iter().chain(self.required_query_and_headers())
    }

    /// The method that calls exactly version `v`: its own, or the plain one
    /// of an unversioned operation.
    pub fn method_for<'s>(&'s self, v: &'s Version) -> &'s str {
        v.fn_name.as_deref().unwrap_or(&self.fn_name)
    }
}

impl Version {
    /// What `send()` returns: bytes for a version that is not JSON, else
    /// the decoded body, or nothing.
    pub fn response_kind(&self) -> ResponseKind<'_> {
        match &self.response {
            _ if self.format != Format::Json => ResponseKind::Bytes,
            Some(t) => ResponseKind::Json(t),
            None => ResponseKind::Empty,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Version {
    pub label: VersionLabel,
    pub format: Format,
    pub pages: Option<Pages>,
    /// The exact media type sent as `Accept`.
    pub accept: String,
    pub request: Option<Body>,
    /// The decoded success body; `None` when the success response has none.
    pub response: Option<TypeRef>,
    /// `x-sunset` of this version, when the spec gives one.
    pub sunset: Option<String>,
    /// The request builder type for this version.
    pub builder: String,
    /// Method on the tag group that calls exactly this version; `None` for
    /// unversioned operations, whose plain method is the only one.
    pub fn_name: Option<String>,
    /// Why this version's method is deprecated, if it is.
    pub deprecation: Option<Deprecated>,
    /// The method takes more arguments than clippy's
    /// `too_many_arguments` allows (`&self` counted); they are the
    /// operation's required inputs, which a builder cannot take instead.
    pub allow_too_many_arguments: bool,
    /// Methods of the newer stable versions of the same format, oldest
    /// first (named in run-time warnings and errors).
    pub newer: Vec<String>,
    /// The documented success status.
    pub status: u16,
    /// The spec's example of the success body, if it gives one.
    pub example: Option<serde_json::Value>,
    /// The fake's answer, as JSON text: the example where it is a complete
    /// document, else a value built from the schema (`lower/fake.rs`).
    pub fake_answer: Option<String>,
    /// A sample request body (JSON text) when the body is required.
    pub fake_body: Option<String>,
    /// The wire names of the sensitive fields its request and response
    /// bodies can hold, sorted: what a recording of a call scrubs
    /// (`lower/sensitive.rs`).
    pub sensitive: Vec<String>,
    /// Where its answer can hold a write-only field: each a path of wire
    /// names from the top of the answer, `*` standing for every item of a
    /// list or value of a map. The fake answers without them
    /// (`lower/write_only.rs`).
    pub write_only: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Body {
    /// The exact media type sent as `Content-Type`.
    pub content_type: String,
    pub ty: TypeRef,
    pub required: bool,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Struct(Struct),
    Enum(Enum),
    OneOf(OneOf),
    Alias(Alias),
}

impl TypeDef {
    /// The types a definition holds: a struct's fields, a union's
    /// variants, an alias's target (an enum holds none).
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeDef::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeDef::OneOf(o) => o.variants.iter().map(|v| &v.ty).collect(),
            TypeDef::Alias(a) => vec![&a.target],
            TypeDef::Enum(_) => Vec::new(),
        }
    }
}

/// `oneOf`/`anyOf`, or a base schema whose discriminator maps to subtypes.
/// Decodes by the discriminator when there is one; otherwise by the first
/// variant that knows every property of the document, then the first that
/// decodes. Anything else lands in the catch-all, so nothing fails to decode.
#[derive(Debug, Clone)]
pub struct OneOf {
    pub name: String,
    pub doc: Option<String>,
    pub variants: Vec<Variant>,
    pub discriminator: Option<Discriminator>,
    /// The `Variant(serde_json::Value)` for documents no variant matches.
    pub catch_all: String,
}

#[derive(Debug, Clone)]
pub struct Discriminator {
    pub property: String,
    /// (value, variant index)
    pub values: Vec<(String, usize)>,
    /// `false` when the spec gives no mapping and values are schema names:
    /// then a value not among them is decoded as if there were no
    /// discriminator, since servers often send other values.
    pub explicit: bool,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub ty: TypeRef,
    /// When the variant is a named struct: its wire field names. A document
    /// with no other fields is tried on this variant first.
    pub known_fields: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub name: String,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
    pub deprecated: bool,
    /// The arguments of `new` (indices into `fields`): the fields that must
    /// be sent, in the order of their wire names, so that a spec that lists
    /// its properties in another order never swaps two of them.
    pub constructor: Vec<usize>,
    /// `new` takes more arguments than clippy's `too_many_arguments`
    /// allows: they are the fields that must be sent.
    pub allow_too_many_arguments: bool,
}

impl Struct {
    /// The arguments of `new`, in [`Struct::constructor`] order.
    pub fn constructor_fields(&self) -> impl Iterator<Item = &Field> {
        self.constructor.iter().filter_map(|&i| self.fields.get(i))
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub presence: Presence,
    /// The spec allows `null` (`nullable: true`): decoding takes it as
    /// absent without a deviation, also where `presence` does not show it
    /// (a read-only field is `Optional` either way).
    pub null_allowed: bool,
    /// Sent by the server only: left out of request bodies (the client
    /// never sends it), written everywhere else (an answer written back
    /// keeps it).
    pub read_only: bool,
    /// Sent by the client only (`writeOnly`): Atlas never answers with it,
    /// and neither does the fake.
    pub write_only: bool,
    /// A secret (`lower/sensitive.rs`): `Debug` prints a mask in its place
    /// and recordings scrub its value.
    pub sensitive: bool,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// What the schema says of its values, for the fake's sample answers.
    pub hints: Hints,
    /// What the schema says of its values, as its rustdoc states it
    /// (`lower/facts.rs`).
    pub facts: Facts,
    /// The chainable setter of an optional field (`with_name`).
    pub setter: String,
    /// How `new` (a field that must be sent) or the setter (an optional
    /// one) takes it.
    pub taken: Taken,
}

impl Field {
    /// An argument of a struct's `new`: the fields that must be sent
    /// (a required nullable one as an `Option`). The others start unset and
    /// have a `with_` setter, so an added optional field breaks no caller.
    pub fn in_constructor(&self) -> bool {
        matches!(self.presence, Presence::Required | Presence::RequiredNullable)
    }

    /// Whether the field has a `with_` setter: every optional one (a
    /// read-only one too, for answers a test gives the fake).
    pub fn has_setter(&self) -> bool {
        !self.in_constructor()
    }
}

/// A schema's `format`, `pattern`, `example` and `minimum`: not part of the
/// Rust type, but what a sample value must respect.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    pub format: Option<String>,
    pub pattern: Option<String>,
    pub example: Option<serde_json::Value>,
    pub minimum: Option<f64>,
    /// Of a list: what its `items` schema says of each item (a list of ids
    /// with their pattern).
    pub item: Option<Box<Hints>>,
}

/// What a field's schema (through its `$ref`) says of its values, as
/// written: its rustdoc states each one set (`emit/docs.rs`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub format: Option<String>,
    pub pattern: Option<String>,
    /// (bound, exclusive)
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    /// Of a string.
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// Of a list.
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    /// The schema's `default`, as JSON text.
    pub default: Option<String>,
}

/// How a field may be absent or null on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`
    Required,
    /// `Option<T>`: may be absent (also read-only and write-only fields).
    Optional,
    /// `Option<T>`, sent as `null` when `None`: required but nullable.
    RequiredNullable,
    /// `Option<Option<T>>`: absent (`None`), `null` (`Some(None)`) or a
    /// value, so a PATCH can tell "leave alone" from "clear".
    OptionalNullable,
}

/// A string enum. Values the spec does not list decode into the catch-all
/// variant, so a new server-side value never breaks decoding.
#[derive(Debug, Clone)]
pub struct Enum {
    pub name: String,
    pub doc: Option<String>,
    /// (variant, wire value), in spec order.
    pub variants: Vec<(String, String)>,
    /// The `Variant(String)` that holds values the spec does not list.
    pub catch_all: String,
}

#[derive(Debug, Clone)]
pub struct Alias {
    pub name: String,
    pub doc: Option<String>,
    pub target: TypeRef,
}

/// What an operation does to the fake's state. Settled in `lower/fake.rs`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FakeRole {
    #[default]
    Stateless,
    /// A POST to the item's collection; the answer's `key_fields` name it
    /// (one, or several: a database user's database and name), each made by
    /// its `fresh` when the request does not give it. The answer carries
    /// the `carried` path parameters as fields.
    Create {
        item: FakeItem,
        key_fields: Vec<String>,
        fresh: Vec<FreshKey>,
        carried: Vec<String>,
    },
    /// A POST of a list of items to their collection (an access list):
    /// each is stored under the first of the item's `named_by` it holds,
    /// and the answer is the collection's page.
    CreateEach {
        item: FakeItem,
        carried: Vec<String>,
    },
    /// The path parameter `key` names the item.
    Read {
        item: FakeItem,
        keys: Vec<String>,
    },
    /// A GET of a path below the item (its status, with no parameter of
    /// its own): answers while the item is stored.
    ReadBelow {
        item: FakeItem,
        keys: Vec<String>,
    },
    Update {
        item: FakeItem,
        keys: Vec<String>,
    },
    Delete {
        item: FakeItem,
        keys: Vec<String>,
    },
    List {
        item: FakeItem,
    },
}

/// How the fake makes a key a create's request does not give: `prefix`, a
/// counter of `width` digits (0: unpadded), `suffix`; checked against the
/// patterns of the field and of the item's path parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreshKey {
    pub prefix: String,
    pub width: u8,
    pub hex: bool,
    pub suffix: String,
}

/// A kind of resource the fake stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeItem {
    /// The item's path template: the kind's name in the store.
    pub kind: String,
    /// The path parameters (wire names) that name its parents, outermost
    /// first.
    pub parents: Vec<String>,
    /// For an item named by one of several fields (an access-list entry):
    /// those fields, in the order tried (`x-key-fields`); empty otherwise.
    pub named_by: Vec<String>,
    /// Fields made from another when an item lacks them (`x-key-fields`).
    pub derived: Vec<DerivedField>,
}

/// A field of an item made from another of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedField {
    pub field: String,
    pub from: String,
    pub rule: Derivation,
}

/// How a derived field is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derivation {
    /// `address-block-of`: the block of one IP address (`/32`, `/128`).
    AddressBlock,
}

/// One field of a path parameter's `x-key-fields`: a field of the item
/// whose value the parameter is, and what it is made from when an item
/// lacks it (`{name: cidrBlock, address-block-of: ipAddress}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyField {
    pub name: String,
    pub derived: Option<(String, Derivation)>,
}
