//! `atlas-admin`: a typed async client for the MongoDB Atlas Administration
//! API (v2) and the Cloud Manager / Ops Manager public API (v1.0).
//!
//! ```no_run
//! # fn run() -> Result<(), atlas_admin::Error> {
//! use atlas_admin::{Client, RetryPolicy};
//!
//! // From MONGODB_ATLAS_* environment variables ...
//! let client = Client::from_env()?;
//! // ... or spelled out.
//! let client = Client::builder()
//!     .service_account("mdb_sa_id_...", "mdb_sa_sk_...")
//!     .retry_policy(RetryPolicy { max_retries: 5, ..RetryPolicy::default() })
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! Each tag of the spec is a method of [`Client`] returning its operation
//! group; each operation returns a request builder: optional parameters are
//! setters, and `.send().await` returns a typed [`Response`]. See the README
//! for a full example.
//!
//! Models live in [`models`], operation groups and request builders in
//! [`operations`] (one module per tag). Everything under `generated/` is
//! produced by `cargo xtask codegen`; the runtime is hand-written.

pub mod runtime;

// Produced by `cargo xtask codegen`: formatted by prettyplease, not rustfmt.
#[rustfmt::skip]
// Serde derives touch `#[deprecated]` fields of deprecated schemas.
#[allow(deprecated)]
mod generated;

#[cfg(feature = "fake")]
pub mod fake;

pub use generated::{models, operations};
pub use runtime::{ApiError, Client, ClientBuilder, Credentials, Error, RateLimit, Response, RetryPolicy, Secret};
