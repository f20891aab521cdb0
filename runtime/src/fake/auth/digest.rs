//! The fake's HTTP Digest: API key pairs, challenges (MD5 or SHA-256,
//! `qop=auth`), nonces good for a number of uses, and the check of an
//! answer (realm, request-target, `nc` never reused, response).

use crate::auth::www_authenticate::parse_params;
use crate::fake::wire::{error_doc, reply, RecordedRequest, Reply};
use md5::Md5;
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, BTreeSet};

const REALM: &str = "MMS Public API";

/// What the fake accepts with digest, and how it challenges.
#[derive(Clone, Debug, Default)]
pub(in crate::fake) struct DigestConfig {
    /// Public key -> private key.
    pub(in crate::fake) keys: BTreeMap<String, String>,
    /// Challenge with `algorithm=SHA-256` instead of MD5.
    pub(in crate::fake) sha256: bool,
    /// A nonce is good for this many requests, then answered `stale=true`.
    pub(in crate::fake) nonce_max_uses: Option<u32>,
}

/// The nonces issued: nonce -> (uses, `nc` values seen).
#[derive(Debug, Default)]
pub(in crate::fake) struct Nonces(BTreeMap<String, (u32, BTreeSet<u32>)>);

fn hash(sha256: bool, data: &str) -> String {
    let bytes: Vec<u8> = if sha256 {
        Sha256::digest(data.as_bytes()).to_vec()
    } else {
        Md5::digest(data.as_bytes()).to_vec()
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What one digest check reads and changes of the fake: its digest
/// configuration, the nonces issued, and the counter that numbers them.
pub(in crate::fake) struct Session<'a> {
    pub(in crate::fake) config: &'a DigestConfig,
    pub(in crate::fake) nonces: &'a mut Nonces,
    pub(in crate::fake) counter: &'a mut u64,
}

/// A 401 with a new nonce (`stale`: the key was fine, the nonce was not).
pub(super) fn challenge(s: &mut Session<'_>, stale: bool) -> Reply {
    *s.counter += 1;
    let nonce = format!("fake-nonce-{}", s.counter);
    s.nonces.0.insert(nonce.clone(), (0, BTreeSet::new()));
    let alg = if s.config.sha256 { "SHA-256" } else { "MD5" };
    let header = format!(
        "Digest realm=\"{REALM}\", domain=\"\", nonce=\"{nonce}\", algorithm={alg}, qop=\"auth\", stale={stale}"
    );
    let body = error_doc(401, "UNAUTHORIZED", "You are not authorized for this resource.");
    let mut r = reply(401, Some("application/json"), body.to_string().into_bytes());
    r.headers_mut()
        .insert("WWW-Authenticate", header.parse().expect("valid header"));
    r
}

/// `None` when the digest answer `params` (after `Digest `) is good for
/// `r`; otherwise the challenge to send.
pub(super) fn check(s: &mut Session<'_>, r: &RecordedRequest, params: &str) -> Option<Reply> {
    let p = parse_params(params);
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    let Some(password) = s.config.keys.get(get("username")).cloned() else {
        return Some(challenge(s, false));
    };
    let nonce = get("nonce").to_string();
    let max_uses = s.config.nonce_max_uses;
    let Some((uses, seen)) = s.nonces.0.get_mut(&nonce) else {
        return Some(challenge(s, true));
    };
    if max_uses.is_some_and(|m| *uses >= m) {
        return Some(challenge(s, true));
    }
    let Ok(nc) = u32::from_str_radix(get("nc"), 16) else {
        return Some(challenge(s, false));
    };
    let target = match &r.query {
        Some(q) => format!("{}?{q}", r.path),
        None => r.path.clone(),
    };
    if get("realm") != REALM || get("uri") != target || get("qop") != "auth" || !seen.insert(nc) {
        return Some(challenge(s, false));
    }
    *uses += 1;
    let sha = s.config.sha256;
    let ha1 = hash(sha, &format!("{}:{REALM}:{password}", get("username")));
    let ha2 = hash(sha, &format!("{}:{target}", r.method));
    let expected = hash(
        sha,
        &format!("{ha1}:{nonce}:{}:{}:auth:{ha2}", get("nc"), get("cnonce")),
    );
    if get("response") != expected {
        return Some(challenge(s, false));
    }
    None
}
