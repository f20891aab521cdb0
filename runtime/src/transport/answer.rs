//! Reading what came back: JSON decoding that says where it failed,
//! `Retry-After`, envelopes, and Atlas error documents.

use crate::call::request::Endpoint;
use crate::error::{ApiError, Error, Excerpt};
use crate::escape::scrub_serde_message;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::time::{Duration, SystemTime};

/// A raw answer, after auth, retries and envelope unwrapping.
pub(crate) struct Raw {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
}

/// Decodes JSON; on failure, where (a field path) and serde's message with
/// quoted values hidden.
/// The path is tracked only to explain a failure: a body that decodes pays
/// for plain `serde_json` alone.
///
/// A body that is not JSON at all is read as text where it can be
/// ([`as_text`]).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, (Option<String>, String)> {
    match serde_json::from_slice::<T>(body) {
        Ok(value) => Ok(value),
        Err(plain) => {
            if let Some(value) = as_text(body, &plain) {
                return Ok(value);
            }
            let mut de = serde_json::Deserializer::from_slice(body);
            let path = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => Some(e.path().to_string()),
                Ok(_) => None,
            };
            Err((path, scrub_serde_message(&plain.to_string())))
        }
    }
}

/// The first bytes of a JSON object, array or string.
const JSON_OPENERS: &[u8] = b"{[\"";

/// A body that failed to decode because it is not JSON at all, and does not
/// open like a JSON object, array or string (so a truncated document stays
/// an error), read as one JSON string: Atlas answers some certificates as
/// text under a `+json` media type. Recorded as a deviation; only a model
/// that is a string takes it.
fn as_text<T: serde::de::DeserializeOwned>(body: &[u8], failed: &serde_json::Error) -> Option<T> {
    let opens_json = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| JSON_OPENERS.contains(b));
    let not_json = matches!(
        failed.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    ) && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err();
    if opens_json || !not_json {
        return None;
    }
    let value = T::deserialize(serde_json::Value::String(std::str::from_utf8(body).ok()?.to_owned())).ok()?;
    crate::call::deviation::text_for_json(body.len());
    Some(value)
}

/// `Retry-After` as seconds or as an HTTP date. Never panics; an absurd
/// value is left to the retry policy's `max_delay`.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?)
}

/// The text of a `Retry-After` header as a wait.
#[doc(hidden)]
pub fn parse_retry_after(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    if let Ok(secs) = raw.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(raw).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// `{status, content}` -> the content, with the status it carries.
pub(crate) fn unwrap_envelope(raw: &mut Raw) {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice::<serde_json::Value>(&raw.body) else {
        return;
    };
    let Some(status) = map.get("status").and_then(|s| s.as_u64()) else {
        return;
    };
    let Ok(status) = u16::try_from(status) else {
        return;
    };
    if !(100..600).contains(&status) {
        return;
    }
    let content = map.remove("content").unwrap_or(serde_json::Value::Null);
    raw.status = status;
    raw.body = match content {
        serde_json::Value::Null => bytes::Bytes::new(),
        content => serde_json::to_vec(&content).unwrap_or_default().into(),
    };
}

#[derive(serde::Deserialize)]
struct ErrorDoc {
    #[serde(default, rename = "errorCode")]
    error_code: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    parameters: Option<Vec<serde_json::Value>>,
}

/// An error answer as an [`Error`]. Never panics, whatever the body.
#[doc(hidden)]
pub fn error_from_parts(
    operation: &'static str,
    sent: &'static str,
    newer: &'static [&'static str],
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Error {
    let doc: Option<ErrorDoc> = serde_json::from_slice(body).ok();
    let Some(doc) = doc else {
        return Error::Decode {
            operation,
            status,
            path: None,
            reason: "the error response is not an Atlas error document".to_string(),
            excerpt: Excerpt::new(status.max(400), body),
        };
    };
    let error_code = doc.error_code.unwrap_or_default();
    if (status == 406 && error_code == "INVALID_VERSION_DATE") || (status == 410 && error_code == "VERSION_GONE") {
        return Error::UnsupportedVersion {
            operation,
            status,
            error_code,
            sent,
            detail: doc.detail,
            newer,
        };
    }
    Error::Api(Box::new(ApiError {
        operation,
        status,
        error_code,
        reason: doc.reason,
        detail: doc.detail,
        parameters: doc.parameters.unwrap_or_default(),
        retry_after: retry_after(headers),
    }))
}

pub(crate) fn error_from(endpoint: &Endpoint, raw: &Raw) -> Error {
    error_from_parts(
        endpoint.operation_id,
        endpoint.accept,
        endpoint.newer,
        raw.status,
        &raw.headers,
        &raw.body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::deviation::{gathering, DeviationKind};

    #[test]
    fn text_under_a_json_media_type_is_read_as_a_string_and_recorded() {
        let pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let (text, found) = gathering(|| decode::<String>(pem));
        assert_eq!(text.ok().as_deref(), Some(std::str::from_utf8(pem).unwrap()));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, DeviationKind::TextForJson);
        // Not where the model is no string, and never for broken JSON.
        assert!(decode::<Vec<String>>(pem).is_err());
        let (broken, found) = gathering(|| decode::<String>(br#""unterminated"#));
        assert!(broken.is_err() && found.is_empty());
    }
}
