//! What a running fake remembers: its configuration, nonces, tokens,
//! queued faults, compiled patterns and the request log.

use super::builder::Config;
use super::fault::Fault;
use super::wire::RecordedRequest;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

pub(super) struct State {
    pub(super) config: Config,
    /// Compiled path-parameter patterns of the spec (`None`: not a regex).
    pub(super) patterns: BTreeMap<&'static str, Option<regex::Regex>>,
    /// nonce -> (uses, nc values seen).
    pub(super) nonces: BTreeMap<String, (u32, BTreeSet<u32>)>,
    /// bearer token -> expiry.
    pub(super) tokens: BTreeMap<String, Instant>,
    pub(super) counter: u64,
    pub(super) faults: Vec<Fault>,
    pub(super) requests: Vec<RecordedRequest>,
    /// Which recorded answers were served, when replaying.
    pub(super) replay: Option<super::replay::Replay>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("requests", &self.requests.len())
            .finish_non_exhaustive()
    }
}
