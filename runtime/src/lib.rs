//! `atlas-admin-runtime`: the hand-written runtime of clients generated
//! from an Atlas Administration API spec by `atlas-codegen` (such as
//! `atlas-admin`): transport, authentication (HTTP Digest with API keys,
//! OAuth 2.0 service accounts), retries, deadlines, errors, paging, and with
//! the `fake` feature a fake Atlas for tests.
//!
//! Apps use it through a generated crate, which re-exports what they need
//! (`Client`, `ClientBuilder`, `Error`, `Response`, `RetryPolicy`, ...).
//!
//! # What generated code calls
//! Generated crates depend on this crate alone for everything that is not
//! generated. They call a small, fixed set of items, hidden from these docs
//! or documented as such: [`Request`], [`Endpoint`], [`Method`], [`Base`],
//! [`Pattern`], [`ToParam`]/[`QueryParam`], [`CallOptions`] (each request
//! builder's own settings), [`Client::call_json`],
//! [`Client::call_bytes`], [`Client::call_empty`] (which return a
//! [`SendFuture`]), [`pages`]/[`items`]/[`collect`],
//! [`Client::wait_deadline`] with [`until_match`]/[`until_status`],
//! [`fields_within`], [`FieldIndex`], [`Lenient`], [`required`],
//! [`optional`], [`trial`], [`unknown_enum_value`], [`Absent`], and the
//! re-exported [`serde`] and
//! [`serde_json`] (so a generated crate needs no list of dependencies).

mod auth;
mod call;
mod error;
mod escape;
#[cfg(feature = "fake")]
pub mod fake;
mod features;
mod response;
mod transport;

pub use auth::credentials::Credentials;
#[doc(hidden)]
pub use auth::digest::parse_challenges_for_tests as parse_www_authenticate;
pub use auth::oauth::DEFAULT_TOKEN_TIMEOUT;
pub use auth::secret::Secret;
pub use call::date_time::{DateTime, DateTimeError, Timestamp};
#[doc(hidden)]
pub use call::de::{FieldIndex, Int32, Int64, Lenient, Wire};
pub use call::deviation::{decode, decode_strict, Absent, Deviation, DeviationKind};
#[doc(hidden)]
pub use call::deviation::{optional, required, trial, unknown_enum_value};
pub use call::options::CallOptions;
pub use call::request::{fields_within, Base, Endpoint, Method, Pattern, QueryParam, Request, ToParam};
pub use call::retry_policy::RetryPolicy;
#[doc(hidden)]
pub use call::ser::writes_read_only;
pub use error::{ApiError, Error, Excerpt};
pub use escape::{escape, Escaped};
#[doc(hidden)]
pub use features::paging::{collect, items, pages, PageInfo};
pub use features::paging::{Items, Pages, MAX_PAGES};
pub use features::record;
pub use features::wait::WaitPolicy;
#[doc(hidden)]
pub use features::wait::{
    param_from_body, params_from_request, until_each_match, until_match, until_status, Acceptors, Deadline,
};
pub use response::{RateLimit, Response};
#[doc(hidden)]
pub use transport::answer::{error_from_parts, parse_retry_after};
pub use transport::body::{DEFAULT_MAX_RESPONSE_BYTES, ERROR_BODY_LIMIT};
pub use transport::builder::{ClientBuilder, DEFAULT_BASE_URL, DEFAULT_DEADLINE};
pub use transport::client::{Client, SendFuture};
pub use transport::intercept::{Interceptor, RequestHead, ResponseHead, MASKED};
pub use transport::parts::FromParts;

/// The date-time crate of [`Timestamp`], for apps that compute with one
/// (`chrono::TimeDelta`) without adding it themselves.
pub use chrono;
/// Re-exported for generated tests and examples.
#[doc(hidden)]
pub use futures_util;
/// The `Stream` trait of `pages()` and `items()`; use `StreamExt` or
/// `TryStreamExt` from `futures-util` (or `futures`) to consume them.
pub use futures_util::Stream;
/// Re-exported for generated code: its written-out `Serialize` and
/// `Deserialize` impls name `serde` through the runtime.
#[doc(hidden)]
pub use serde;
/// Re-exported for generated code (`serde_json::Value` fields).
#[doc(hidden)]
pub use serde_json;
