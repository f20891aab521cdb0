//! What a [`ClientBuilder`](super::builder::ClientBuilder) makes a client
//! of: the checked settings ([`Parts`]), and the trait a client type is
//! made from them by ([`FromParts`]). Here, between the builder and the
//! client, so that neither file imports the other's: `client.rs` names
//! the builder (`Client::builder()`), and the builder names neither.

use super::exchange::Transport;
use super::route::Route;
use crate::features::record::Recorder;
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

/// A client's checked settings and shared state, as the builder made them.
/// Opaque: only this crate reads it.
#[derive(Debug)]
pub struct Parts {
    /// Connections, retries, caps and hooks: what the exchange needs.
    pub(crate) transport: Transport,
    pub(crate) atlas: Route,
    pub(crate) cloud_manager: Route,
    /// The bound on a whole call, when the app set one (else a request
    /// gets [`DEFAULT_DEADLINE`](super::builder::DEFAULT_DEADLINE), and a
    /// wait its `WaitPolicy`'s timeout).
    pub(crate) deadline: Option<Duration>,
    /// Deviations from the spec are errors ([`Error::Deviation`](crate::Error::Deviation)).
    pub(crate) strict: bool,
    /// Writes every call's exchange, when recording.
    pub(crate) recorder: Option<Recorder>,
    /// (operation, media type, kind of warning) already logged.
    pub(crate) warned: Mutex<BTreeSet<(&'static str, &'static str, &'static str)>>,
}

/// What [`ClientBuilder::build`](super::builder::ClientBuilder::build)
/// returns. Implemented for every type that is `From<Client>`: this
/// crate's `Client`, and a generated crate's, which wraps it.
pub trait FromParts: Sized {
    #[doc(hidden)]
    fn from_parts(parts: Parts) -> Self;
}
