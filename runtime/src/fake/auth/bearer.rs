//! The fake's service accounts: the OAuth token endpoint (client
//! credentials with HTTP Basic) and the check of the bearer tokens it
//! issued, each good until it expires or `FakeAtlas::expire_tokens`.

use crate::fake::wire::{error_doc, reply, RecordedRequest, Reply};
use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// What the fake accepts as service accounts, and the tokens it issues.
#[derive(Clone, Debug, Default)]
pub(in crate::fake) struct AccountConfig {
    /// Client id -> client secret.
    pub(in crate::fake) accounts: BTreeMap<String, String>,
    /// The content type of token responses (default `application/json`).
    pub(in crate::fake) content_type: Option<String>,
    /// `expires_in` of issued tokens, in seconds (default 3600).
    pub(in crate::fake) lifetime: Option<u64>,
}

/// The tokens issued: token -> expiry.
#[derive(Debug, Default)]
pub(in crate::fake) struct Tokens(BTreeMap<String, Instant>);

impl Tokens {
    /// Expires every token issued.
    pub(in crate::fake) fn clear(&mut self) {
        self.0.clear();
    }
}

/// What the token endpoint reads and changes of the fake: the service
/// accounts, the tokens issued, and the counter that numbers them.
pub(in crate::fake) struct Session<'a> {
    pub(in crate::fake) config: &'a AccountConfig,
    pub(in crate::fake) tokens: &'a mut Tokens,
    pub(in crate::fake) counter: &'a mut u64,
}

/// The token endpoint: a token for a known service account asking for
/// `client_credentials`.
pub(in crate::fake) fn token(s: Session<'_>, r: &RecordedRequest) -> Reply {
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
    if s.config.accounts.get(id).map(String::as_str) != Some(secret) {
        return unauthorized();
    }
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&r.body).into_owned().collect();
    if !form.iter().any(|(k, v)| k == "grant_type" && v == "client_credentials") {
        let body = json!({"error": "unsupported_grant_type"});
        return reply(400, Some("application/json"), body.to_string().into_bytes());
    }
    *s.counter += 1;
    let value = format!("fake-token-{}", s.counter);
    let lifetime = s.config.lifetime.unwrap_or(3600);
    // A lifetime too long for `Instant` never expires.
    let expiry = Instant::now()
        .checked_add(Duration::from_secs(lifetime))
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 86_400));
    s.tokens.0.insert(value.clone(), expiry);
    let ct = s
        .config
        .content_type
        .clone()
        .unwrap_or_else(|| "application/json".into());
    let body = json!({"access_token": value, "token_type": "Bearer", "expires_in": lifetime});
    reply(200, Some(&ct), body.to_string().into_bytes())
}

/// `None` when `token` (after `Bearer `) was issued and has not expired;
/// otherwise the 401 to send.
pub(super) fn check(tokens: &Tokens, token: &str) -> Option<Reply> {
    match tokens.0.get(token) {
        Some(expiry) if *expiry > Instant::now() => None,
        _ => {
            let body = error_doc(401, "UNAUTHORIZED", "The bearer token is invalid or expired.");
            let mut reply = reply(401, Some("application/json"), body.to_string().into_bytes());
            reply
                .headers_mut()
                .insert("WWW-Authenticate", "Bearer".parse().expect("valid header"));
            Some(reply)
        }
    }
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
