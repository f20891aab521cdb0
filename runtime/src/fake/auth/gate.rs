//! Which check a request meets: the scheme its `Authorization` names, or a
//! digest challenge when it names none the fake knows.

use super::{bearer, digest};
use crate::fake::state::State;
use crate::fake::wire::{RecordedRequest, Reply};

/// `None` when the request may proceed (or the fake checks no
/// credentials); otherwise the 401 to send.
pub(in crate::fake) fn authenticate(s: &mut State, r: &RecordedRequest) -> Option<Reply> {
    let config = &s.config;
    if config.digest.keys.is_empty() && config.bearer.accounts.is_empty() {
        return None;
    }
    let auth = r.header("authorization").unwrap_or("");
    if let Some(token) = auth.strip_prefix("Bearer ") {
        return bearer::check(&s.tokens, token);
    }
    let mut session = digest::Session {
        config: &s.config.digest,
        nonces: &mut s.nonces,
        counter: &mut s.counter,
    };
    match auth.strip_prefix("Digest ") {
        Some(params) => digest::check(&mut session, r, params),
        None => Some(digest::challenge(&mut session, false)),
    }
}
