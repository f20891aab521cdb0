//! What a successful call returns: the typed value plus what the headers say.

use crate::call::deviation::Deviation;
use reqwest::header::HeaderMap;

/// A decoded success response. Derefs to the value.
///
/// `Debug` shows the typed value (whose sensitive fields print a mask) and
/// the body's length, never the body as sent: it can hold a secret (a
/// link token, a new service-account secret).
#[derive(Clone)]
pub struct Response<T> {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) value: T,
    pub(crate) deprecation: Option<String>,
    pub(crate) sunset: Option<String>,
    pub(crate) deviations: Vec<Deviation>,
    /// The body as Atlas sent it (JSON answers, and a body on a status
    /// documented as empty); shares the buffer that was read.
    pub(crate) body: bytes::Bytes,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("value", &self.value)
            .field("deprecation", &self.deprecation)
            .field("sunset", &self.sunset)
            .field("deviations", &self.deviations)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// `RateLimit-Limit` and `RateLimit-Remaining` of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u64,
    pub remaining: u64,
}

impl<T> Response<T> {
    pub fn into_inner(self) -> T {
        self.value
    }

    pub fn value(&self) -> &T {
        &self.value
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Deprecation` header: set when the version called is deprecated.
    pub fn deprecation(&self) -> Option<&str> {
        self.deprecation.as_deref()
    }

    /// The `Sunset` header: when the version called stops being served.
    pub fn sunset(&self) -> Option<&str> {
        self.sunset.as_deref()
    }

    /// Where this answer differs from the spec (a required field absent,
    /// an unknown property, an undocumented status, ...), each once, in
    /// order; empty when it follows the spec. See [`crate::Deviation`].
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The answer's JSON exactly as Atlas sent it, read-only fields,
    /// properties the spec does not define and a body on a status
    /// documented as empty included; `None` for CSV, gzip, no body, or a
    /// body that is not JSON. Waiters read states and ids from it.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        if self.body.is_empty() {
            return None;
        }
        serde_json::from_slice(&self.body).ok()
    }

    pub fn rate_limit(&self) -> Option<RateLimit> {
        let get = |name: &str| self.headers.get(name)?.to_str().ok()?.trim().parse().ok();
        Some(RateLimit {
            limit: get("ratelimit-limit")?,
            remaining: get("ratelimit-remaining")?,
        })
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
