//! Authentication: how the client proves who it is. HTTP Digest with an
//! API key pair (`digest.rs`), OAuth 2.0 service accounts (`oauth.rs`),
//! and the [`Secret`](secret::Secret) that carries a private key or a
//! client secret without ever showing it.

pub(crate) mod digest;
pub(crate) mod oauth;
pub(crate) mod secret;
