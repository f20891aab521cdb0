//! What routes work with: the request as a handler sees it ([`Call`]),
//! the state the routes share ([`Store`]), and what they answer ([`Answer`]).

use super::wire::{error_doc, RecordedRequest};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a route answers: status, content type, a JSON body or raw bytes,
/// extra headers. Envelopes and pretty-printing are applied after.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub(super) status: u16,
    pub(super) content_type: Option<String>,
    pub(super) body: Option<Value>,
    /// A body that is not JSON (CSV, gzip), sent as it is.
    pub(super) raw: Option<Vec<u8>>,
    pub(super) headers: Vec<(String, String)>,
}

impl Answer {
    /// An Atlas error document: `{error, errorCode, detail, reason, parameters}`.
    pub fn error(status: u16, code: &str, detail: &str) -> Self {
        Answer {
            status,
            content_type: Some("application/json".into()),
            body: Some(error_doc(status, code, detail)),
            raw: None,
            headers: Vec::new(),
        }
    }

    /// A success answer of `content_type` with a JSON body, or none.
    pub fn ok(status: u16, content_type: &str, body: Option<Value>) -> Self {
        Answer {
            status,
            content_type: Some(content_type.into()),
            body,
            raw: None,
            headers: Vec::new(),
        }
    }

    /// A success answer whose body is bytes (CSV, gzip).
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Answer {
            raw: Some(body),
            ..Answer::ok(status, content_type, None)
        }
    }

    /// 404 `RESOURCE_NOT_FOUND`.
    pub fn not_found(what: &str) -> Self {
        Answer::error(404, "RESOURCE_NOT_FOUND", &format!("Cannot find resource {what}."))
    }

    /// 400 `VALIDATION_ERROR` for a parameter value.
    pub fn invalid(parameter: &str, value: &str) -> Self {
        Answer::error(400, "VALIDATION_ERROR", &format!("{parameter} {value:?} is not valid."))
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn status(&self) -> u16 {
        self.status
    }
}

/// State shared by the routes of one fake: JSON values under string keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Store {
    pub(super) values: BTreeMap<String, Value>,
}

impl Store {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.values.insert(key.into(), value)
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.values.remove(key)
    }

    /// Keys starting with `prefix`, in order.
    pub fn keys_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .range(prefix.to_string()..)
            .map(|(k, _)| k.as_str())
            .take_while(move |k| k.starts_with(prefix))
    }

    /// A number that grows with every call, for ids and tokens.
    pub fn next_id(&mut self) -> u64 {
        let n = self.values.get("#counter").and_then(Value::as_u64).unwrap_or(0) + 1;
        self.values.insert("#counter".into(), Value::from(n));
        n
    }
}

/// One request as a route handler sees it.
#[derive(Debug)]
pub struct Call<'a> {
    pub request: &'a RecordedRequest,
    /// Path parameters by their name in the template, percent-decoded.
    pub params: BTreeMap<String, String>,
    /// The `Accept` the request named (one of the route's media types).
    pub accept: &'a str,
}

impl Call<'_> {
    /// A path parameter (empty if the template has none of that name).
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or("")
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.request.body).ok()
    }
}

pub(super) type Handler = Arc<dyn Fn(&mut Store, &Call<'_>) -> Answer + Send + Sync>;

#[derive(Clone)]
pub(super) struct Route {
    pub(super) method: String,
    pub(super) segments: Vec<super::route::Segment<String>>,
    pub(super) media_types: Vec<String>,
    pub(super) handler: Handler,
}
