//! The hand-written runtime that generated operations call: transport,
//! authentication (digest and service accounts), retries, errors.
//!
//! Generated code uses only [`Request`], [`Endpoint`], [`Method`], [`Base`],
//! [`Pattern`], [`ToParam`]/[`QueryParam`], [`Client::send_json`],
//! [`Client::send_empty`], [`Response`] and [`Error`].

pub(crate) mod client;
mod digest;
mod error;
mod oauth;
mod request;
mod response;
mod secret;

pub use client::{Client, ClientBuilder, Credentials, RetryPolicy, DEFAULT_BASE_URL};
pub use error::{ApiError, Error};
pub use request::{fields_within, nullable, Base, Endpoint, Method, Pattern, QueryParam, Request, ToParam};
pub use response::{RateLimit, Response};
pub use secret::Secret;

/// Parses the parameters of a Digest header (used by the fake server).
#[cfg(feature = "fake")]
pub(crate) use digest::parse_params as digest_params;
