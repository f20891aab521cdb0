//! What a running fake remembers: its configuration, nonces, tokens,
//! queued faults, compiled patterns and the request log.

use super::auth::bearer::Tokens;
use super::auth::digest::Nonces;
use super::builder::Config;
use super::fault::Fault;
use super::wire::RecordedRequest;
use std::collections::BTreeMap;

pub(super) struct State {
    pub(super) config: Config,
    /// Compiled path-parameter patterns of the spec (`None`: not a regex).
    pub(super) patterns: BTreeMap<&'static str, Option<regex::Regex>>,
    /// The digest nonces issued.
    pub(super) nonces: Nonces,
    /// The bearer tokens issued.
    pub(super) tokens: Tokens,
    /// Numbers nonces and tokens.
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
