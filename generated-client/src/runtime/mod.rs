//! The hand-written runtime that generated operations call: transport,
//! authentication (digest and service accounts), retries, errors.
//!
//! Generated code uses only [`Request`], [`Endpoint`], [`Method`], [`Base`],
//! [`Pattern`], [`ToParam`]/[`QueryParam`], [`Client::send_json`],
//! [`Client::send_empty`], [`Response`] and [`Error`].

mod body;
pub(crate) mod client;
mod digest;
mod error;
mod escape;
mod oauth;
mod paging;
mod request;
mod response;
mod secret;

pub use body::{DEFAULT_MAX_RESPONSE_BYTES, ERROR_BODY_LIMIT};
#[doc(hidden)]
pub use client::{error_from_parts, parse_retry_after};
pub use client::{Client, ClientBuilder, Credentials, RetryPolicy, DEFAULT_BASE_URL, DEFAULT_DEADLINE};
#[doc(hidden)]
pub use digest::parse_challenges_for_tests as parse_www_authenticate;
pub use error::{ApiError, Error, Excerpt};
pub use escape::{escape, Escaped};
pub use oauth::DEFAULT_TOKEN_TIMEOUT;
#[doc(hidden)]
pub use paging::{collect_all, Page, MAX_PAGES};
pub use request::{fields_within, nullable, Base, Endpoint, Method, Pattern, QueryParam, Request, ToParam};
pub use response::{RateLimit, Response};
pub use secret::Secret;

/// Parses the parameters of a Digest header (used by the fake server).
#[cfg(feature = "fake")]
pub(crate) use digest::parse_params as digest_params;
