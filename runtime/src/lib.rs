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
//! [`Pattern`], [`ToParam`]/[`QueryParam`], [`Client::call_json`],
//! [`Client::call_bytes`], [`Client::call_empty`] (which return a
//! [`SendFuture`]), [`pages`]/[`items`]/[`collect`],
//! [`fields_within`], [`FieldIndex`], [`Lenient`], [`required`],
//! [`optional`], [`trial`], [`unknown_enum_value`], [`Absent`], and the
//! re-exported [`serde`] and
//! [`serde_json`] (so a generated crate needs no list of dependencies).

mod answer;
mod body;
mod client;
mod config;
mod de;
mod deviation;
mod digest;
mod error;
mod escape;
mod exchange;
mod oauth;
mod paging;
pub mod record;
mod request;
mod response;
mod retry;
mod secret;
mod ser;
mod sunset;
mod wait;

#[doc(hidden)]
pub use answer::{error_from_parts, parse_retry_after};
pub use body::{DEFAULT_MAX_RESPONSE_BYTES, ERROR_BODY_LIMIT};
pub use client::{Client, SendFuture};
pub use config::{ClientBuilder, Credentials, DEFAULT_BASE_URL, DEFAULT_DEADLINE};
#[doc(hidden)]
pub use de::{FieldIndex, Int32, Int64, Lenient, Wire};
pub use deviation::{decode, decode_strict, Absent, Deviation, DeviationKind};
#[doc(hidden)]
pub use deviation::{optional, required, trial, unknown_enum_value};
pub use retry::RetryPolicy;
#[doc(hidden)]
pub use ser::writes_read_only;

/// Re-exported for generated code: its written-out `Serialize` and
/// `Deserialize` impls name `serde` through the runtime.
#[doc(hidden)]
pub use serde;
/// Re-exported for generated code (`serde_json::Value` fields).
#[doc(hidden)]
pub use serde_json;

#[cfg(feature = "fake")]
pub mod fake;
#[doc(hidden)]
pub use digest::parse_challenges_for_tests as parse_www_authenticate;
pub use error::{ApiError, Error, Excerpt};
pub use escape::{escape, Escaped};
/// Re-exported for generated tests and examples.
#[doc(hidden)]
pub use futures_util;
/// The `Stream` trait of `pages()` and `items()`; use `StreamExt` or
/// `TryStreamExt` from `futures-util` (or `futures`) to consume them.
pub use futures_util::Stream;
pub use oauth::DEFAULT_TOKEN_TIMEOUT;
#[doc(hidden)]
pub use paging::{collect, items, pages, PageInfo};
pub use paging::{Items, Pages, MAX_PAGES};
pub use request::{fields_within, Base, Endpoint, Method, Pattern, QueryParam, Request, ToParam};
pub use response::{RateLimit, Response};
pub use secret::Secret;
pub use wait::WaitPolicy;
#[doc(hidden)]
pub use wait::{param_from_body, until_match, until_status, Acceptors};

/// Parses the parameters of a Digest header (used by the fake server).
#[cfg(feature = "fake")]
pub(crate) use digest::parse_params as digest_params;
