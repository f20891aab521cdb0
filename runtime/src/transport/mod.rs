//! The client and its exchanges with Atlas: configuration and the builder
//! (`builder.rs`), what it makes a client of (`parts.rs`: the checked
//! settings, and `FromParts`, so the builder names no client type), the
//! [`Client`](client::Client) and what a call does around the exchange
//! (`client.rs`), the connections (`http.rs`: the runtime's own
//! `reqwest::Client` or the app's), the app's hooks (`intercept.rs`),
//! where calls go (`route.rs`: a base URL and its auth scheme), the
//! exchange loop (`exchange.rs`) and what an answer's head asks of it
//! (`head.rs`), retries (`retry.rs`), bodies read under a cap (`body.rs`)
//! and what an answer says (`answer.rs`: decoding, `Retry-After`,
//! envelopes, error documents).

pub(crate) mod answer;
pub(crate) mod body;
pub(crate) mod builder;
pub(crate) mod client;
pub(crate) mod exchange;
pub(crate) mod head;
pub(crate) mod http;
pub(crate) mod intercept;
pub(crate) mod parts;
pub(crate) mod retry;
pub(crate) mod route;
