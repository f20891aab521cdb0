//! Hooks an app registers to observe calls ([`Interceptor`], as
//! aws-sdk-rust's interceptors, kept to heads): each attempt's request
//! just before it is sent, and each answer's head as it arrives.
//!
//! What a hook sees has its credentials masked: the request carries them
//! already (the digest answer or bearer token of that attempt), and the
//! hook sees `authorization: ***`. A hook may add headers, but none that
//! carries credentials or that the runtime sets itself (see
//! [`RequestHead::insert_header`]). Token requests of a service account
//! are not shown: they carry its secret, and are no call's attempt.

use crate::error::Error;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Observes every attempt of every call of a client, in the order hooks
/// were registered ([`ClientBuilder::interceptor`](super::builder::ClientBuilder::interceptor)).
/// Both methods do nothing by default; a hook runs on the task of the call,
/// so it should be quick (count, log, add a header).
///
/// ```
/// use atlas_admin_runtime::{Interceptor, RequestHead, ResponseHead};
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// #[derive(Default)]
/// struct Metrics { answers: AtomicU64 }
///
/// impl Interceptor for Metrics {
///     fn on_request(&self, request: &mut RequestHead<'_>) {
///         let _ = request.insert_header("x-request-source", "billing-sync");
///     }
///     fn on_response(&self, response: &ResponseHead<'_>) {
///         self.answers.fetch_add(1, Ordering::Relaxed);
///         let _ = (response.operation(), response.status(), response.elapsed());
///     }
/// }
/// ```
pub trait Interceptor: Send + Sync + 'static {
    /// Just before an attempt is sent (the first, and each retry, redirect
    /// and answer to a challenge): its method, URL and headers, the
    /// credentials among them masked. The hook may add headers.
    fn on_request(&self, request: &mut RequestHead<'_>) {
        let _ = request;
    }

    /// When an attempt's answer head arrives (every status: a challenge, a
    /// redirect, a 429 about to be retried, the answer): its status,
    /// headers and the time since the attempt was sent. A failed
    /// connection has no answer, and no call here.
    fn on_response(&self, response: &ResponseHead<'_>) {
        let _ = response;
    }
}

/// A hook shared with the app (`Arc<Metrics>`), so it can read what the
/// hook gathered while the client uses it.
impl<T: Interceptor> Interceptor for Arc<T> {
    fn on_request(&self, request: &mut RequestHead<'_>) {
        (**self).on_request(request);
    }

    fn on_response(&self, response: &ResponseHead<'_>) {
        (**self).on_response(response);
    }
}

/// The hooks of a client, in the order registered.
#[derive(Clone, Default)]
pub(crate) struct Interceptors(Vec<Arc<dyn Interceptor>>);

impl std::fmt::Debug for Interceptors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} interceptor(s)", self.0.len())
    }
}

impl Interceptors {
    pub(crate) fn push(&mut self, hook: Arc<dyn Interceptor>) {
        self.0.push(hook);
    }

    /// Shows each hook `request` (nothing is built when there are none).
    pub(crate) fn on_request(&self, operation: &'static str, attempt: u32, request: &mut reqwest::Request) {
        if self.0.is_empty() {
            return;
        }
        let mut head = RequestHead {
            operation,
            attempt,
            request,
        };
        for hook in &self.0 {
            hook.on_request(&mut head);
        }
    }

    /// Shows each hook the answer's head.
    pub(crate) fn on_response(&self, head: &ResponseHead<'_>) {
        for hook in &self.0 {
            hook.on_response(head);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a hook is shown instead of a credential.
pub const MASKED: &str = "***";

/// Headers that carry credentials: masked when shown, never set by a hook.
const CREDENTIALS: [&str; 4] = ["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// Headers the runtime sets itself (the version, the body, the host),
/// which a hook may not set either.
const RUNTIME_OWNED: [&str; 5] = ["accept", "content-type", "content-length", "host", "transfer-encoding"];

/// `value` as a hook may see it: masked if it is a credential.
fn shown<'a>(name: &str, value: &'a HeaderValue) -> &'a str {
    if value.is_sensitive() || CREDENTIALS.iter().any(|c| c.eq_ignore_ascii_case(name)) {
        return MASKED;
    }
    value.to_str().unwrap_or("<not visible ASCII>")
}

/// Every header of `map` as a hook may see it.
fn shown_all(map: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    map.iter()
        .map(|(name, value)| (name.as_str(), shown(name.as_str(), value)))
}

/// One attempt's request as a hook sees it: credentials masked.
pub struct RequestHead<'a> {
    operation: &'static str,
    attempt: u32,
    request: &'a mut reqwest::Request,
}

impl RequestHead<'_> {
    /// The operation's id (`getGroupCluster`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The how-manieth request of this call this is, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    pub fn method(&self) -> &str {
        self.request.method().as_str()
    }

    pub fn url(&self) -> &Url {
        self.request.url()
    }

    /// A header's value (the first, if several), [`MASKED`] for a credential.
    pub fn header(&self, name: &str) -> Option<&str> {
        Some(shown(name, self.request.headers().get(name)?))
    }

    /// Every header, credentials [`MASKED`].
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        shown_all(self.request.headers())
    }

    /// Adds a header to this attempt. Refused ([`Error::InvalidParameter`]
    /// naming the header): a name or value HTTP does not allow; a header
    /// that carries credentials (`Authorization`, `Proxy-Authorization`,
    /// `Cookie`: the runtime alone puts credentials on a request, only for
    /// their origin); one the runtime sets (`Accept`, `Content-Type`,
    /// `Content-Length`, `Host`, `Transfer-Encoding`); and one the request
    /// already has (an operation's header parameter).
    pub fn insert_header(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        let refuse = |reason: &str| Error::InvalidParameter {
            operation: self.operation,
            parameter: name,
            reason: format!("an interceptor cannot add this header: {reason}"),
        };
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| refuse("not a header name"))?;
        if CREDENTIALS.contains(&header.as_str()) {
            return Err(refuse("it carries credentials"));
        }
        if RUNTIME_OWNED.contains(&header.as_str()) {
            return Err(refuse("the runtime sets it"));
        }
        if self.request.headers().contains_key(&header) {
            return Err(refuse("the request has it already"));
        }
        let value = HeaderValue::from_str(value).map_err(|_| refuse("the value cannot be sent in a header"))?;
        self.request.headers_mut().insert(header, value);
        Ok(())
    }
}

impl std::fmt::Debug for RequestHead<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestHead")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("method", &self.method())
            .field("url", &self.url().as_str())
            .field("headers", &self.headers().collect::<Vec<_>>())
            .finish()
    }
}

/// One attempt's answer head as a hook sees it: credentials masked.
pub struct ResponseHead<'a> {
    pub(crate) operation: &'static str,
    pub(crate) attempt: u32,
    pub(crate) method: &'static str,
    pub(crate) url: &'a Url,
    pub(crate) status: u16,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) elapsed: Duration,
}

impl ResponseHead<'_> {
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The how-manieth request of this call this answers, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The method of the request this answers.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The URL of the request this answers.
    pub fn url(&self) -> &Url {
        self.url
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    /// A header's value (the first, if several), [`MASKED`] for a credential.
    pub fn header(&self, name: &str) -> Option<&str> {
        Some(shown(name, self.headers.get(name)?))
    }

    /// Every header, credentials (`Set-Cookie`) [`MASKED`].
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        shown_all(self.headers)
    }

    /// From sending the request to the answer's head.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

impl std::fmt::Debug for ResponseHead<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseHead")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .field("elapsed", &self.elapsed)
            .field("headers", &self.headers().collect::<Vec<_>>())
            .finish()
    }
}
