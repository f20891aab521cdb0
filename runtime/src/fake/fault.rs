//! Failures the fake answers with instead of serving a request.

/// A failure the fake answers with instead of serving a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(super) status: u16,
    pub(super) error_code: String,
    pub(super) retry_after: Option<String>,
    pub(super) method: Option<String>,
    pub(super) path_contains: Option<String>,
    pub(super) times: u32,
    pub(super) raw_body: Option<(String, String)>,
}

impl Fault {
    /// Answer the next authenticated request with `status` and an Atlas
    /// error document carrying `error_code`.
    pub fn new(status: u16, error_code: impl Into<String>) -> Self {
        Fault {
            status,
            error_code: error_code.into(),
            retry_after: None,
            method: None,
            path_contains: None,
            times: 1,
            raw_body: None,
        }
    }

    /// Adds `Retry-After` (seconds or an HTTP date).
    pub fn retry_after(mut self, value: impl Into<String>) -> Self {
        self.retry_after = Some(value.into());
        self
    }

    /// Only for requests with this method whose path contains `path_part`.
    pub fn on(mut self, method: &str, path_part: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self.path_contains = Some(path_part.to_string());
        self
    }

    /// For this many matching requests (default 1).
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    /// Answer with this body and content type instead of an error document
    /// (for example an HTML page from a proxy).
    pub fn raw_body(mut self, content_type: &str, body: &str) -> Self {
        self.raw_body = Some((content_type.to_string(), body.to_string()));
        self
    }

    pub(super) fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m == method)
            && self.path_contains.as_deref().is_none_or(|p| path.contains(p))
    }
}
