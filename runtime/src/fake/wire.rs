//! HTTP pieces the fake's parts share: the recorded request, replies and
//! Atlas error documents.

use http_body_util::Full;
use hyper::body::Bytes;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// One request as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    pub query: Option<String>,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The operation of the spec it called, once its checks passed.
    pub operation: Option<OperationCall>,
}

/// A request as a call of one operation of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationCall {
    pub operation_id: String,
    /// The version's date (`2024-08-05`), or the media type of an
    /// unversioned operation.
    pub version: String,
    /// Path parameters by name, percent-decoded.
    pub params: BTreeMap<String, String>,
    /// The body, decoded as JSON.
    pub body: Option<Value>,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Decoded query pairs, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect()
    }

    /// The operation id this request called (a generated operation).
    pub fn operation_id(&self) -> Option<&str> {
        self.operation.as_ref().map(|o| o.operation_id.as_str())
    }

    pub(super) fn is_token_request(&self) -> bool {
        self.path == "/api/oauth/token"
    }
}

pub(super) type Reply = hyper::Response<Full<Bytes>>;

pub(super) fn reply(status: u16, content_type: Option<&str>, body: Vec<u8>) -> Reply {
    let mut builder = hyper::Response::builder()
        .status(status)
        .header("RateLimit-Limit", "100")
        .header("RateLimit-Remaining", "99");
    if let Some(ct) = content_type {
        builder = builder.header("Content-Type", ct);
    }
    builder.body(Full::new(Bytes::from(body))).expect("valid response")
}

fn reason(status: u16) -> &'static str {
    hyper::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error")
}

pub(super) fn error_doc(status: u16, code: &str, detail: &str) -> Value {
    json!({"detail": detail, "error": status, "errorCode": code, "parameters": [], "reason": reason(status)})
}
