//! One error type for everything a call can fail with.

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
        "{operation}: HTTP {status} {error_code}: the server does not serve `{sent}`{hint}",
        hint = version_hint(*status)
    )]
    UnsupportedVersion {
        operation: &'static str,
        status: u16,
        error_code: String,
        /// The media type sent as `Accept`.
        sent: &'static str,
        detail: Option<String>,
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
    /// The request did not complete within the configured timeout.
    #[error("{operation}: timed out after {elapsed:?}")]
    Timeout { operation: &'static str, elapsed: Duration },
    /// The request could not be sent or the response could not be read.
    #[error("{operation}: transport error: {source}")]
    Transport {
        operation: &'static str,
        #[source]
        source: reqwest::Error,
    },
    /// The response body is not what the spec describes (for example an
    /// HTML page from a proxy). Carries the status and the start of the body.
    #[error("{operation}: HTTP {status}: undecodable response body ({reason}); body starts with {excerpt:?}")]
    Decode {
        operation: &'static str,
        status: u16,
        reason: String,
        excerpt: String,
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

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if !self.error_code.is_empty() {
            write!(f, " {}", self.error_code)?;
        }
        match (&self.detail, &self.reason) {
            (Some(detail), _) if !detail.is_empty() => write!(f, ": {detail}"),
            (_, Some(reason)) => write!(f, ": {reason}"),
            _ => Ok(()),
        }
    }
}

impl Error {
    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnsupportedVersion { status, .. } | Error::Decode { status, .. } => Some(*status),
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
    /// # fn f(err: atlas_admin::Error) {
    /// if err.is_error_code("RESOURCE_NOT_FOUND") { /* already gone */ }
    /// # }
    /// ```
    pub fn is_error_code(&self, code: &str) -> bool {
        self.error_code() == Some(code)
    }

    /// The Atlas error document, for API errors.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}
