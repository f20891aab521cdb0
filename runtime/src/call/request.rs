//! The small, fixed set of items generated operations call.

use super::options::CallOptions;
use crate::error::Error;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;
use std::sync::OnceLock;

/// HTTP methods of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// Methods that only read (RFC 9110): a redirect may turn them into a GET.
    pub fn is_safe(self) -> bool {
        matches!(self, Method::Get | Method::Head | Method::Options | Method::Trace)
    }

    /// Methods that may be sent again after the server saw them (RFC 9110).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Put => reqwest::Method::PUT,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
            Method::Head => reqwest::Method::HEAD,
            Method::Options => reqwest::Method::OPTIONS,
            Method::Trace => reqwest::Method::TRACE,
        }
    }
}

/// Which configured base URL an operation goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The Atlas Administration API (`/api/atlas/v2`).
    Atlas,
    /// The Cloud Manager / Ops Manager public API (`/api/public/v1.0`).
    CloudManager,
}

/// Everything fixed about one version of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub operation_id: &'static str,
    pub method: Method,
    pub base: Base,
    pub path_template: &'static str,
    /// Sent as `Accept`: the exact media type of this version.
    pub accept: &'static str,
    /// The version's name in logs and errors: its date (`2024-08-05`),
    /// `preview`, or the media type of an unversioned operation.
    pub version: &'static str,
    /// Sent as `Content-Type` with a body.
    pub content_type: Option<&'static str>,
    /// The documented sunset date of this version (`YYYY-MM-DD`), if it is
    /// deprecated. Calling it after that date logs a warning.
    pub sunset: Option<&'static str>,
    /// The methods of this operation's newer versions, oldest first: named
    /// in that warning and in [`Error::UnsupportedVersion`].
    pub newer: &'static [&'static str],
    /// The operation's documented 2xx statuses: another 2xx is decoded
    /// all the same, and recorded as a [`Deviation`](super::deviation::Deviation).
    pub statuses: &'static [u16],
    /// The wire names of the sensitive fields this version's request and
    /// response bodies can hold (as the generator settled them): a
    /// recording scrubs their values.
    pub sensitive: &'static [&'static str],
}

/// A spec `pattern` for a parameter, compiled on first use.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    pub fn source(&self) -> &'static str {
        self.source
    }

    /// `None` when the pattern itself cannot be compiled here (then nothing
    /// is rejected on its account).
    fn matches(&self, value: &str) -> Option<bool> {
        self.compiled
            .get_or_init(|| regex::Regex::new(self.source).ok())
            .as_ref()
            .map(|re| re.is_match(value))
    }
}

/// A value that can stand in a path segment, a query string or a header.
/// Strings and enums lend their text; numbers format into a new one.
pub trait ToParam {
    fn to_param(&self) -> Cow<'_, str>;
}

impl ToParam for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToParam for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

macro_rules! to_param_display {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
to_param_display!(bool, i32, i64, f32, f64);

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

/// A query parameter value: one value, or an array sent as repeated keys.
pub trait QueryParam {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>);
}

impl<T: ToParam> QueryParam for T {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, self.to_param().into_owned()));
    }
}

impl<T: ToParam> QueryParam for Vec<T> {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.extend(self.iter().map(|v| (name, v.to_param().into_owned())));
    }
}

/// Whether `value` is an object whose every property is in `known` (used to
/// pick the variant of a `oneOf` without a discriminator).
pub fn fields_within(value: &serde_json::Value, known: &[&str]) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.keys().all(|k| known.contains(&k.as_str())))
}

/// RFC 3986 unreserved characters stay; everything else is escaped.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A request being assembled by a generated `send()`.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Encoded once; a retry sends the same bytes (cloning is a refcount).
    pub(crate) body: Option<bytes::Bytes>,
    pub(crate) envelope: bool,
    /// What this call sets for itself (timeout, deadline, retries).
    pub(crate) options: CallOptions,
}

impl Request {
    pub fn new(endpoint: &'static Endpoint) -> Self {
        Request {
            endpoint,
            path: String::with_capacity(endpoint.path_template.len() + 32),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            envelope: false,
            options: CallOptions::default(),
        }
    }

    /// The settings this call overrides (a builder's `.timeout(..)`,
    /// `.deadline(..)`, `.retry_policy(..)`).
    pub fn call_options(&mut self, options: &CallOptions) {
        self.options.clone_from(options);
    }

    /// Appends literal path text from the spec.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Checks a path parameter against its pattern and appends it,
    /// percent-encoded as exactly one segment. Nothing is sent when this
    /// fails.
    ///
    /// Refused whatever the spec's pattern says: the empty value, `.` and
    /// `..`, which would address another resource (`DELETE .../keys/..` is
    /// the parent). Everything else is encoded: `/`, `?`, `#`, `%`, spaces,
    /// CR/LF and every non-ASCII byte become `%XX`, so the server decodes
    /// the segment back to exactly the caller's value.
    pub fn path_param(
        &mut self,
        name: &'static str,
        value: &dyn ToParam,
        pattern: Option<&Pattern>,
    ) -> Result<(), Error> {
        let value = value.to_param();
        let invalid = |reason: String| Error::InvalidParameter {
            operation: self.endpoint.operation_id,
            parameter: name,
            reason,
        };
        if value.is_empty() {
            return Err(invalid("must not be empty".to_string()));
        }
        if value == "." || value == ".." {
            return Err(invalid(format!(
                "{value:?} is a dot segment: it would address another resource than the one named"
            )));
        }
        if let Some(pattern) = pattern {
            if pattern.matches(&value) == Some(false) {
                return Err(invalid(format!(
                    "{value:?} does not match the pattern {}",
                    pattern.source()
                )));
            }
        }
        self.path.extend(utf8_percent_encode(&value, SEGMENT));
        Ok(())
    }

    /// Adds a query parameter when it has a value.
    pub fn query<T: QueryParam + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            value.append_to(name, &mut self.query);
        }
    }

    /// Adds a header parameter when it has a value.
    pub fn header<T: ToParam + ?Sized>(&mut self, name: &'static str, value: Option<&T>) -> Result<(), Error> {
        if let Some(value) = value {
            let value = value.to_param();
            if reqwest::header::HeaderValue::from_str(&value).is_err() {
                return Err(Error::InvalidParameter {
                    operation: self.endpoint.operation_id,
                    parameter: name,
                    reason: format!("{value:?} cannot be sent in an HTTP header"),
                });
            }
            self.headers.push((name, value.into_owned()));
        }
        Ok(())
    }

    /// Whether the caller asked for `envelope=true`; the response is then
    /// unwrapped from `{status, content}`.
    pub fn envelope(&mut self, on: bool) {
        self.envelope = on;
    }

    /// Encodes the body once, without its read-only fields (the one place
    /// they are left out: `ser.rs`); retries send the same bytes.
    pub fn json_body<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = super::ser::sending(|| serde_json::to_vec(body)).map_err(|source| Error::Encode {
            operation: self.endpoint.operation_id,
            source,
        })?;
        self.body = Some(bytes.into());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static EP: Endpoint = Endpoint {
        operation_id: "op",
        method: Method::Get,
        base: Base::Atlas,
        path_template: "/x/{id}",
        accept: "application/json",
        version: "application/json",
        content_type: None,
        sunset: None,
        newer: &[],
        statuses: &[200],
        sensitive: &[],
    };
    static HEX: Pattern = Pattern::new("^([a-f0-9]{24})$");

    #[test]
    fn path_params_are_checked_and_encoded() {
        let mut r = Request::new(&EP);
        r.path("/x/");
        r.path_param("name", &"a b/c", None).unwrap();
        assert_eq!(r.path, "/x/a%20b%2Fc");
        let err = r.path_param("orgId", &"nope", Some(&HEX)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "op: invalid parameter `orgId`: \"nope\" does not match the pattern ^([a-f0-9]{24})$"
        );
        assert!(r.path_param("orgId", &"", None).is_err());
        for dots in [".", ".."] {
            let err = r.path_param("key", &dots, None).unwrap_err();
            assert!(err.to_string().contains("dot segment"), "{err}");
        }
        r.path_param("key", &"...", None).unwrap();
        r.path_param("key", &"%2e%2e", None).unwrap();
        assert!(r.path.ends_with("c...%252e%252e"), "{}", r.path);
        r.path_param("orgId", &"0123456789abcdef01234567", Some(&HEX)).unwrap();
    }

    #[test]
    fn arrays_repeat_their_key() {
        let mut r = Request::new(&EP);
        r.query("ip", Some(&vec!["1.2.3.4".to_string(), "5.6.7.8".to_string()]));
        r.query::<bool>("pretty", None);
        r.query("envelope", Some(&true));
        assert_eq!(
            r.query,
            [
                ("ip", "1.2.3.4".into()),
                ("ip", "5.6.7.8".into()),
                ("envelope", "true".into())
            ]
        );
    }
}
