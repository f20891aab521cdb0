//! The route table a generated crate gives its fake: every operation of the
//! spec it was generated from, as data. The generator writes it (in the
//! generated crate's `fake` module); the fake serves it with
//! `operations.rs`. Nothing here is written by hand per operation.

pub use super::route::Segment;
use crate::call::deviation::{gathering, trial, Deviation};
use crate::features::sunset::has_passed;
use crate::transport::answer::decode;
use serde::de::DeserializeOwned;

/// The operations a fake serves: implemented by a generated crate's
/// `fake::Spec`, so that `atlas_admin::fake::FakeAtlas::builder()` knows
/// every operation of that crate's spec.
pub trait FakeSpec: Clone + Default + Send + Sync + 'static {
    /// Every operation compiled in (the crate's tag features decide).
    fn operations() -> Vec<&'static Operation>;
}

/// No generated operations: only routes and canned answers given by hand.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSpec;

impl FakeSpec for NoSpec {
    fn operations() -> Vec<&'static Operation> {
        Vec::new()
    }
}

/// One operation of the spec. Written by the generator.
#[derive(Debug)]
pub struct Operation {
    pub operation_id: &'static str,
    /// `GET`, `POST`, ...
    pub method: &'static str,
    /// The path template, `{name}` for each path parameter: for messages,
    /// never parsed.
    pub path: &'static str,
    /// The path as the fake matches it, settled by the generator.
    pub segments: &'static [Segment],
    /// Path parameters with their spec patterns (a value that does not
    /// match is answered 400).
    pub params: &'static [PathParam],
    /// What the operation does to the fake's state.
    pub role: Role,
    pub versions: &'static [OperationVersion],
}

/// A path parameter and the pattern the spec gives it.
#[derive(Debug)]
pub struct PathParam {
    pub name: &'static str,
    pub pattern: Option<&'static str>,
}

/// One version (media type) an operation serves.
#[derive(Debug)]
pub struct OperationVersion {
    /// The exact `Accept` that selects it.
    pub media_type: &'static str,
    /// The version's name in steering and in [`OperationCall`]s
    /// (`2024-08-05`, `preview`, or the media type when unversioned).
    ///
    /// [`OperationCall`]: super::OperationCall
    pub label: &'static str,
    /// Whether it answers JSON; else bytes (CSV, gzip).
    pub json: bool,
    /// `x-sunset`: past this date the fake answers 410 `VERSION_GONE`;
    /// before it, the answer carries `Deprecation` and `Sunset`.
    pub sunset: Option<&'static str>,
    /// The documented success status.
    pub status: u16,
    /// The answer, as JSON text: the spec's example where it is a complete
    /// document, else a value built from the schema. `None`: no body.
    pub answer: Option<&'static str>,
    /// How a request body is checked: it must decode as this version's
    /// request model.
    pub body: Option<BodyCheck>,
    /// Decodes an answer of this version as the client does (leniently,
    /// see [`crate::decode`]): its deviations, or why it does not decode.
    /// `None`: the version answers no JSON body.
    pub decode: Option<Decoder>,
    /// Where an answer of this version can hold a write-only field (a
    /// database user's `password`): each a path of property names from the
    /// top, `*` for every item of an array or value of an object. Atlas
    /// never answers with one, so the fake leaves them out of the answers
    /// it builds (its samples, stored items, lists, typed answers a test
    /// gives it), though a create stores what the request sent.
    pub write_only: &'static [&'static [&'static str]],
}

/// `doc` without the values at `paths` (see
/// [`OperationVersion::write_only`]).
pub(crate) fn strip(doc: &mut serde_json::Value, paths: &[&[&str]]) {
    for path in paths {
        strip_path(doc, path);
    }
}

fn strip_path(doc: &mut serde_json::Value, path: &[&str]) {
    use serde_json::Value;
    let Some((step, rest)) = path.split_first() else {
        return;
    };
    match (doc, *step) {
        (Value::Array(items), "*") => items.iter_mut().for_each(|v| strip_path(v, rest)),
        (Value::Object(map), "*") => map.values_mut().for_each(|v| strip_path(v, rest)),
        (Value::Object(map), name) if rest.is_empty() => {
            map.remove(name);
        }
        (Value::Object(map), name) => {
            if let Some(v) = map.get_mut(name) {
                strip_path(v, rest);
            }
        }
        _ => {}
    }
}

/// Decodes a body as one model: what in it differs from the model, or why
/// it does not decode.
pub type Decoder = fn(&[u8]) -> Result<Vec<Deviation>, String>;

/// How the fake checks a request body.
#[derive(Debug)]
pub struct BodyCheck {
    /// A request without a body is answered 400.
    pub required: bool,
    /// Decodes the body as the request model: the error says why not; a
    /// body that decodes gives what in it differs from the model (a strict
    /// fake refuses those too).
    pub decode: Decoder,
}

/// What an operation does to the fake's state, decided by the generator
/// from the paths: a POST to a collection whose item path has a GET, and
/// whose answer names the item's key, creates; GET, PATCH, PUT and DELETE
/// of that item read, change and remove; a GET below it reads while it is
/// there; a GET of the collection lists. Everything else answers its
/// generated value without state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Stateless,
    /// POST to the collection of `item`: the answer's `key_fields` name it
    /// (one, or several: a database user's database and name); the answer
    /// carries the path parameters `carried` as fields of the same name
    /// (`groupId`), as Atlas's answers do. A key field the request does not
    /// give is made by its `fresh` (one per key field).
    Create {
        item: Item,
        key_fields: &'static [&'static str],
        fresh: &'static [Fresh],
        carried: &'static [&'static str],
    },
    /// POST of a list of items to the collection of `item` (an access
    /// list): each is stored under the first of the item's
    /// [`named_by`](Item::named_by) fields it holds (its derived fields
    /// filled first), with the `carried` path parameters; the answer is the
    /// collection's page.
    CreateEach {
        item: Item,
        carried: &'static [&'static str],
    },
    /// The path parameters `keys` name the item.
    Read {
        item: Item,
        keys: &'static [&'static str],
    },
    /// A GET of a path below the item (its status): the generated answer
    /// while the item is stored, 404 when it is not.
    ReadBelow {
        item: Item,
        keys: &'static [&'static str],
    },
    /// PATCH or PUT: the body's fields replace the stored ones.
    Update {
        item: Item,
        keys: &'static [&'static str],
    },
    Delete {
        item: Item,
        keys: &'static [&'static str],
    },
    /// A GET of the collection of `item`: stored items as `results`.
    List {
        item: Item,
    },
}

/// A kind of resource the fake stores, as the generator settled it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// The item's path template, as the kind's name in the store (never
    /// parsed).
    pub kind: &'static str,
    /// The path parameters that name the item's parents, outermost first
    /// (`groupId` of a cluster).
    pub parents: &'static [&'static str],
    /// For an item named by one of several fields (an access-list entry:
    /// its `cidrBlock`, `ipAddress` or `awsSecurityGroup`), those fields in
    /// the order tried; empty for others. An item shows only those it
    /// holds (the generated answer's others are left out).
    pub named_by: &'static [&'static str],
    /// Fields the fake fills from another when an item lacks them (an
    /// access-list entry's `cidrBlock` from its `ipAddress`, as Atlas
    /// does); a path value naming the other field finds the item too.
    pub derived: &'static [Derived],
}

/// A field of an item made from another of its fields (see
/// [`Item::derived`]): `x-key-fields` in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derived {
    pub field: &'static str,
    pub from: &'static str,
    pub rule: Derivation,
}

/// How a [`Derived`] field is made from the other's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derivation {
    /// The block of one IP address: `/32` after an IPv4 address, `/128`
    /// after an IPv6 one; nothing from text that is neither.
    AddressBlock,
}

impl Derivation {
    pub fn apply(self, from: &str) -> Option<String> {
        match self {
            Derivation::AddressBlock => match from.parse::<std::net::IpAddr>().ok()? {
                std::net::IpAddr::V4(_) => Some(format!("{from}/32")),
                std::net::IpAddr::V6(_) => Some(format!("{from}/128")),
            },
        }
    }
}

/// How the fake makes a key the request of a create does not give (a
/// project's `id`, a service account's `clientId`): `prefix`, the fake's
/// counter, `suffix`. The generator built it from a value that matches the
/// patterns the spec gives the field and the item's path parameter, and
/// checked that what it makes matches them too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fresh {
    pub prefix: &'static str,
    /// The counter's digits, zero-padded (it wraps past them); 0: as many
    /// as it takes.
    pub width: u8,
    /// Lower-case hexadecimal digits, else decimal.
    pub hex: bool,
    pub suffix: &'static str,
}

impl Fresh {
    /// The key made with counter value `n`.
    pub fn make(&self, n: u64) -> String {
        let width = usize::from(self.width);
        let radix: u64 = if self.hex { 16 } else { 10 };
        let n = match radix.checked_pow(u32::from(self.width)) {
            Some(limit) if width > 0 => n % limit,
            _ => n,
        };
        let counter = if self.hex {
            format!("{n:0width$x}")
        } else {
            format!("{n:0width$}")
        };
        format!("{}{counter}{}", self.prefix, self.suffix)
    }
}

/// Whether `bytes` decode as `T`, as a request body must: a required
/// field absent (or `null`) is an error, as at Atlas; what else differs
/// from the model is returned. The body check of generated operations.
pub fn decodes<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<Deviation>, String> {
    let (result, found) = gathering(|| trial(|| serde_json::from_slice::<T>(bytes)));
    result.map(|_| found).map_err(|e| e.to_string())
}

/// Decodes an answer as `T` as the client does: the deviations found, or
/// why it does not decode (with the field path).
pub fn decodes_answer<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<Deviation>, String> {
    let (result, found) = gathering(|| decode::<T>(bytes));
    match result {
        Ok(_) => Ok(found),
        Err((path, reason)) => Err(format!("at {}: {reason}", path.as_deref().unwrap_or("the top"))),
    }
}

/// Whether a version's sunset date (`YYYY-MM-DD`) has passed by the system
/// clock: the fake then answers 410 `VERSION_GONE` (and the emitted
/// every-operation test expects that).
pub fn sunset_passed(date: &str) -> bool {
    has_passed(date, std::time::SystemTime::now())
}
