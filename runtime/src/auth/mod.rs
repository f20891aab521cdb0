//! Authentication: how the client proves who it is. One trait,
//! [`AuthScheme`](scheme::AuthScheme) (`scheme.rs`, which says how to add a
//! scheme), two schemes: HTTP Digest with an API key pair (`digest.rs`) and
//! OAuth 2.0 service accounts (`oauth.rs`); the credentials an app gives
//! and the scheme each is for (`credentials.rs`); `WWW-Authenticate`
//! parsing (`www_authenticate.rs`); and [`Secret`](secret::Secret), which
//! never shows itself.

pub(crate) mod credentials;
pub(crate) mod digest;
pub(crate) mod oauth;
pub(crate) mod scheme;
pub(crate) mod secret;
pub(crate) mod www_authenticate;
