//! One error type for everything a call can fail with.

use crate::call::deviation::Deviation;
use crate::escape::{escape, excerpt, Escaped};
use std::fmt;
use std::time::Duration;

/// What went wrong with a call. Every variant names the operation; API
/// errors carry the HTTP status and Atlas's `errorCode`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Atlas answered with an error status and (usually) an error document.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The server does not serve the resource version this client asked for:
    /// 406 `INVALID_VERSION_DATE`, or 410 `VERSION_GONE` after its sunset.
    #[error(
        "{operation}: HTTP {status} {code}: the server does not serve `{sent}`{hint}{newer}",
        code = Escaped(error_code),
        hint = version_hint(*status),
        newer = newer_hint(newer)
    )]
    UnsupportedVersion {
        operation: &'static str,
        status: u16,
        error_code: String,
        /// The media type sent as `Accept`.
        sent: &'static str,
        detail: Option<String>,
        /// The methods of the operation's newer versions in this crate.
        newer: &'static [&'static str],
    },
    /// A parameter was rejected before anything was sent.
    #[error("{operation}: invalid parameter `{parameter}`: {reason}")]
    InvalidParameter {
        operation: &'static str,
        parameter: &'static str,
        reason: String,
    },
    /// The client could not be built from the settings it was given.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// Authentication failed before Atlas could answer the call itself: the
    /// token endpoint refused the service account, or a digest challenge
    /// could not be answered.
    #[error("{operation}: authentication failed: {reason}")]
    Auth { operation: &'static str, reason: String },
    /// One HTTP exchange passed its `timeout` (the client's, or the
    /// call's own), from sending to the last byte of the answer.
    #[error("{operation}: timed out after {elapsed:?}")]
    Timeout { operation: &'static str, elapsed: Duration },
    /// The whole call passed its `deadline` (the client's, or the call's
    /// own): retries and their waits, token fetches and digest rounds
    /// included, and for a `send_and_wait()` the first request and every
    /// poll.
    #[error("{operation}: the call's deadline of {deadline:?} passed{state}",
        state = last_state.as_deref().map(|s| format!("; last state seen: {}", escape(s))).unwrap_or_default())]
    DeadlineExceeded {
        operation: &'static str,
        deadline: Duration,
        /// For a `send_and_wait()`: the last value seen at the watched
        /// path, or the last status, if a poll answered.
        last_state: Option<String>,
    },
    /// The request could not be sent or the response could not be read.
    #[error("{operation}: transport error: {source}")]
    Transport {
        operation: &'static str,
        #[source]
        source: reqwest::Error,
    },
    /// The response body is not what the spec describes (for example an
    /// HTML page from a proxy, or JSON of another shape).
    ///
    /// `Display` and `Debug` show where decoding failed (`path`, `reason`)
    /// but never the body of a success answer: it can hold secrets (a link
    /// token, a new API key). [`Error::body_excerpt`] gives the start of the
    /// body on purpose, for debugging. Error answers (4xx/5xx) show their
    /// excerpt, escaped.
    #[error("{operation}: HTTP {status}: undecodable response body{at}: {reason}{shown}",
        at = DecodeAt(path),
        shown = ShownExcerpt(excerpt))]
    Decode {
        operation: &'static str,
        status: u16,
        /// Where in the document decoding failed (`results[3].name`), when known.
        path: Option<String>,
        /// serde's message, with quoted values hidden.
        reason: String,
        excerpt: Excerpt,
    },
    /// The answer is larger than the configured cap
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)
    /// for success bodies, 64 KiB for error bodies and token answers).
    /// Reading stopped at the cap, or before reading when `Content-Length`
    /// already said more.
    #[error("{operation}: HTTP {status}: the response body is larger than the {limit}-byte limit{declared}",
        declared = declared.map(|n| format!(" (Content-Length: {n})")).unwrap_or_default())]
    ResponseTooLarge {
        operation: &'static str,
        status: u16,
        limit: usize,
        /// What `Content-Length` announced, when it did.
        declared: Option<u64>,
    },
    /// The server redirected to another origin (or from https to http).
    /// Such redirects are never followed: credentials and bodies go only to
    /// the configured base URLs.
    #[error("{operation}: HTTP {status} redirect to {location} was not followed: {why}",
        location = Escaped(location))]
    Redirect {
        operation: &'static str,
        status: u16,
        /// The `Location` header, as sent.
        location: String,
        why: &'static str,
    },
    /// A `send_and_wait()` gave up: the resource did not settle within the
    /// wait policy's timeout.
    #[error("{operation}: still waiting after {waited:?}; last state seen: {state}",
        state = last_state.as_deref().map(escape).unwrap_or_else(|| "none".into()))]
    WaitTimeout {
        operation: &'static str,
        waited: Duration,
        /// The last value seen at the watched path, or the last status.
        last_state: Option<String>,
    },
    /// A `send_and_wait()` ended at once: the resource reached a state that
    /// the spec says it does not leave by itself (`FAILED`).
    #[error("{operation}: {resource} reached {state}, a state it does not leave by itself; the wait ends",
        resource = escape(resource), state = escape(state))]
    WaitFailed {
        operation: &'static str,
        /// The polled resource: its GET and path parameters.
        resource: String,
        /// The value seen at the watched path.
        state: String,
    },
    /// Walking the pages of a list did not end: the server seems to ignore
    /// `pageNum`, or the list exceeds the page limit.
    #[error("{operation}: paging stopped after {pages} pages: {reason}")]
    Paging {
        operation: &'static str,
        pages: u32,
        reason: String,
    },
    /// A strict client ([`ClientBuilder::strict`](crate::ClientBuilder::strict))
    /// got an answer that differs from the spec: each difference, named.
    #[error(
        "{operation} {version}: status {status}: the answer differs from the spec: {}",
        ShownDeviations(deviations)
    )]
    Deviation {
        operation: &'static str,
        version: &'static str,
        status: u16,
        deviations: Vec<Deviation>,
    },
    /// The response names another resource version than the one asked for.
    #[error("{operation}: asked for `{sent}` but the response is `{received}`")]
    VersionMismatch {
        operation: &'static str,
        sent: &'static str,
        received: String,
    },
    /// The request body could not be encoded as JSON.
    #[error("{operation}: cannot encode the request body: {source}")]
    Encode {
        operation: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

fn newer_hint(newer: &[&str]) -> String {
    if newer.is_empty() {
        String::new()
    } else {
        format!(" (newer versions in this crate: {})", newer.join(", "))
    }
}

fn version_hint(status: u16) -> &'static str {
    if status == 410 {
        " any more (its sunset date has passed); call a newer version of this operation"
    } else {
        "; call a version this operation lists (see its `_vYYYY_MM_DD` methods)"
    }
}

/// An error document from Atlas: `{error, errorCode, detail, reason, parameters}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub status: u16,
    /// Atlas's machine-readable code, such as `RESOURCE_NOT_FOUND`; empty if
    /// the body had none.
    pub error_code: String,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub parameters: Vec<serde_json::Value>,
    /// `Retry-After` of a 429 or 503, when the server sent one.
    pub retry_after: Option<Duration>,
}

/// Server text is escaped: a CR/LF in `detail` cannot forge a log line.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if !self.error_code.is_empty() {
            write!(f, " {}", Escaped(&self.error_code))?;
        }
        match (&self.detail, &self.reason) {
            (Some(detail), _) if !detail.is_empty() => write!(f, ": {}", Escaped(detail)),
            (_, Some(reason)) => write!(f, ": {}", Escaped(reason)),
            _ => Ok(()),
        }
    }
}

/// The start of an undecodable body. Its `Debug` hides the text of a
/// success answer; [`Excerpt::expose`] returns it on purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct Excerpt {
    text: String,
    shown: bool,
}

impl Excerpt {
    /// `status` decides whether formatting shows the text: only for errors.
    pub(crate) fn new(status: u16, body: &[u8]) -> Self {
        Excerpt {
            text: excerpt(body),
            shown: status >= 400,
        }
    }

    /// The first 200 characters of the body, control characters escaped.
    pub fn expose(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.shown {
            fmt::Debug::fmt(&self.text, f)
        } else {
            write!(f, "<success body hidden: {} characters>", self.text.chars().count())
        }
    }
}

struct DecodeAt<'a>(&'a Option<String>);

impl fmt::Display for DecodeAt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(path) if !path.is_empty() && path != "." => write!(f, " at `{}`", Escaped(path)),
            _ => Ok(()),
        }
    }
}

struct ShownExcerpt<'a>(&'a Excerpt);

impl fmt::Display for ShownExcerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.shown {
            write!(f, "; body starts with {:?}", self.0.text)
        } else {
            Ok(())
        }
    }
}

/// Deviations as one line: `required-absent Role.cluster; ...`.
struct ShownDeviations<'a>(&'a [Deviation]);

impl fmt::Display for ShownDeviations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl Error {
    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnsupportedVersion { status, .. }
            | Error::Decode { status, .. }
            | Error::Deviation { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Atlas's `errorCode`, if the server sent one.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Error::Api(e) if !e.error_code.is_empty() => Some(&e.error_code),
            Error::UnsupportedVersion { error_code, .. } => Some(error_code),
            _ => None,
        }
    }

    /// `true` if Atlas answered with this `errorCode`.
    ///
    /// ```
    /// # fn f(err: atlas_admin_runtime::Error) {
    /// if err.is_error_code("RESOURCE_NOT_FOUND") { /* already gone */ }
    /// # }
    /// ```
    pub fn is_error_code(&self, code: &str) -> bool {
        self.error_code() == Some(code)
    }

    /// The start of an undecodable body ([`Error::Decode`]), on purpose:
    /// `Display` and `Debug` never show a success body.
    pub fn body_excerpt(&self) -> Option<&str> {
        match self {
            Error::Decode { excerpt, .. } => Some(excerpt.expose()),
            _ => None,
        }
    }

    /// The Atlas error document, for API errors.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}
