//! A fake Atlas for tests: a real HTTP/1.1 server on `127.0.0.1:0` that
//! checks digest and bearer credentials, issues service-account tokens,
//! enforces resource versions (406, 410, `Deprecation`/`Sunset`), wraps
//! envelopes, injects failures on demand and logs every request. What it
//! serves: every operation of a generated crate's spec ([`FakeSpec`], the
//! route table the generator writes; see `operations.rs` for the checks and
//! the state convention, `steer.rs` for answers a test sets), after routes
//! given by hand (a path template, its versions, and a handler over a
//! [`Store`] the routes share) and canned answers. Apps use it through the
//! generated crate: `atlas_admin::fake::FakeAtlas::builder()`.
//!
//! ```no_run
//! # async fn run() {
//! use atlas_admin_runtime::fake::{Answer, FakeAtlas};
//! use serde_json::json;
//! let fake = FakeAtlas::<atlas_admin_runtime::fake::NoSpec>::builder()
//!     .api_key("pub", "priv")
//!     .route("GET", "/api/atlas/v2/groups/{groupId}", &["application/vnd.atlas.2023-01-01+json"], |_, call| {
//!         Answer::ok(200, call.accept, Some(json!({"id": call.param("groupId")})))
//!     })
//!     .start()
//!     .await;
//! let client = atlas_admin_runtime::Client::builder()
//!     .base_url(fake.url())
//!     .api_key("pub", "priv")
//!     .build()
//!     .unwrap();
//! // ... call the client, then look at fake.requests().
//! # }
//! ```
//!
//! Enabled by the `fake` cargo feature.

mod answer;
mod auth;
mod builder;
mod fault;
mod harness;
mod operations;
mod replay;
mod route;
mod routing;
mod server;
mod spec;
mod state;
mod steer;
mod versions;
mod wire;

pub use answer::{Answer, Call, Store};
pub use builder::FakeAtlasBuilder;
pub use fault::Fault;
pub use harness::Report;
pub use server::FakeAtlas;
pub use spec::{
    decodes, decodes_answer, sunset_passed, BodyCheck, Decoder, Derivation, Derived, FakeSpec, Fresh, Item, NoSpec,
    Operation, OperationVersion, PathParam, Role, Segment,
};
pub use wire::{OperationCall, RecordedRequest};
