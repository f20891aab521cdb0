//! A fake Atlas for tests: a real HTTP/1.1 server on `127.0.0.1:0` that
//! serves the seed operations with state, checks digest and bearer
//! credentials, issues service-account tokens, enforces resource versions,
//! wraps envelopes, injects failures on demand and logs every request.
//!
//! ```no_run
//! # async fn run() {
//! use atlas_admin::fake::FakeAtlas;
//! let fake = FakeAtlas::builder().api_key("pub", "priv").org("4888442a3354817a7320eb61").start().await;
//! let client = atlas_admin::Client::builder()
//!     .base_url(fake.url())
//!     .api_key("pub", "priv")
//!     .build()
//!     .unwrap();
//! // ... call the client, then look at fake.requests().
//! # }
//! ```
//!
//! Enabled by the `fake` cargo feature.

mod server;

pub use server::{Answer, Call, FakeAtlas, FakeAtlasBuilder, Fault, RecordedRequest, Store};
