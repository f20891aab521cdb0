//! The fake's checks of credentials, one file a scheme, each with what it
//! is configured with and what it remembers: `digest.rs` (API keys:
//! challenges, nonces and their `nc`), `bearer.rs` (service accounts: the
//! token endpoint and the tokens it issued). `gate.rs` sends a request to
//! the check its `Authorization` names. A scheme added to the client
//! (`crate::auth::scheme`) gets its counterpart here: a file, its arm in
//! `gate.rs`, its configuration on the builder and its state.

pub(in crate::fake) mod bearer;
pub(in crate::fake) mod digest;
pub(in crate::fake) mod gate;
