//! The fake's checks of credentials: the OAuth token endpoint, digest
//! challenges and their answers, bearer tokens.

use super::state::State;
use super::wire::{error_doc, reply, RecordedRequest, Reply};
use md5::Md5;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

const REALM: &str = "MMS Public API";

pub(super) fn token(s: &mut State, r: &RecordedRequest) -> Reply {
    let unauthorized = || {
        let body = json!({"error": "invalid_client", "error_description": "unknown client or wrong secret"});
        reply(401, Some("application/json"), body.to_string().into_bytes())
    };
    let Some(basic) = r.header("authorization").and_then(|h| h.strip_prefix("Basic ")) else {
        return unauthorized();
    };
    let Some(decoded) = base64_decode(basic.trim()) else {
        return unauthorized();
    };
    let decoded = String::from_utf8_lossy(&decoded).into_owned();
    let Some((id, secret)) = decoded.split_once(':') else {
        return unauthorized();
    };
    if s.config.service_accounts.get(id).map(String::as_str) != Some(secret) {
        return unauthorized();
    }
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&r.body).into_owned().collect();
    if !form.iter().any(|(k, v)| k == "grant_type" && v == "client_credentials") {
        let body = json!({"error": "unsupported_grant_type"});
        return reply(400, Some("application/json"), body.to_string().into_bytes());
    }
    s.counter += 1;
    let value = format!("fake-token-{}", s.counter);
    let lifetime = s.config.token_lifetime.unwrap_or(3600);
    // A lifetime too long for `Instant` never expires.
    let expiry = Instant::now()
        .checked_add(Duration::from_secs(lifetime))
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 86_400));
    s.tokens.insert(value.clone(), expiry);
    let ct = s
        .config
        .token_content_type
        .clone()
        .unwrap_or_else(|| "application/json".into());
    let body = json!({"access_token": value, "token_type": "Bearer", "expires_in": lifetime});
    reply(200, Some(&ct), body.to_string().into_bytes())
}

fn hash(sha256: bool, data: &str) -> String {
    let bytes: Vec<u8> = if sha256 {
        Sha256::digest(data.as_bytes()).to_vec()
    } else {
        Md5::digest(data.as_bytes()).to_vec()
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn challenge(s: &mut State, stale: bool) -> Reply {
    s.counter += 1;
    let nonce = format!("fake-nonce-{}", s.counter);
    s.nonces.insert(nonce.clone(), (0, BTreeSet::new()));
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

/// `None` when the request may proceed; otherwise the 401 to send.
pub(super) fn authenticate(s: &mut State, r: &RecordedRequest) -> Option<Reply> {
    if s.config.api_keys.is_empty() && s.config.service_accounts.is_empty() {
        return None;
    }
    let auth = r.header("authorization").unwrap_or("");
    if let Some(token) = auth.strip_prefix("Bearer ") {
        return match s.tokens.get(token) {
            Some(expiry) if *expiry > Instant::now() => None,
            _ => {
                let body = error_doc(401, "UNAUTHORIZED", "The bearer token is invalid or expired.");
                let mut reply = reply(401, Some("application/json"), body.to_string().into_bytes());
                reply
                    .headers_mut()
                    .insert("WWW-Authenticate", "Bearer".parse().expect("valid header"));
                Some(reply)
            }
        };
    }
    let Some(params) = auth.strip_prefix("Digest ") else {
        return Some(challenge(s, false));
    };
    let p = crate::auth::www_authenticate::parse_params(params);
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    let Some(password) = s.config.api_keys.get(get("username")).cloned() else {
        return Some(challenge(s, false));
    };
    let nonce = get("nonce").to_string();
    let max_uses = s.config.nonce_max_uses;
    let Some((uses, seen)) = s.nonces.get_mut(&nonce) else {
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

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}
