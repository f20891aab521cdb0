//! HTTP Digest (RFC 7616) with a cached nonce: after the first challenge,
//! every request carries `Authorization` up front with an increasing `nc`,
//! so N calls cost N+1 exchanges instead of 2N.

use super::scheme::{Allowance, AuthScheme, Authorization, Prepared, Refusal, Target};
use super::secret::Secret;
use super::www_authenticate::parse_challenges;
use crate::error::Error;
use crate::escape::escape;
use md5::Md5;
use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;
use std::sync::Mutex;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl Algorithm {
    fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_uppercase().as_str() {
            "MD5" => Algorithm::Md5,
            "MD5-SESS" => Algorithm::Md5Sess,
            "SHA-256" => Algorithm::Sha256,
            "SHA-256-SESS" => Algorithm::Sha256Sess,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    fn hash(self, data: &str) -> String {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => hex(&Md5::digest(data.as_bytes())),
            Algorithm::Sha256 | Algorithm::Sha256Sess => hex(&Sha256::digest(data.as_bytes())),
        }
    }

    /// SHA-256 beats MD5 when a server offers both.
    fn strength(self) -> u8 {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => 0,
            Algorithm::Sha256 | Algorithm::Sha256Sess => 1,
        }
    }

    fn is_sess(self) -> bool {
        matches!(self, Algorithm::Md5Sess | Algorithm::Sha256Sess)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A parsed `WWW-Authenticate: Digest ...` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    pub algorithm: Algorithm,
    /// Whether the server offered `qop=auth` (the only qop we use).
    pub qop_auth: bool,
    /// `stale=true`: the nonce expired but the credentials were fine.
    pub stale: bool,
}

/// Picks the Digest challenge to answer among every challenge of every
/// `WWW-Authenticate` header: scheme names match without regard to case,
/// SHA-256 is preferred over MD5, and challenges we cannot answer
/// (unknown algorithm or qop) are passed over.
pub(crate) fn pick_digest<'a>(headers: impl IntoIterator<Item = &'a str>) -> Result<Challenge, String> {
    let mut offered = Vec::new();
    let mut best: Option<Challenge> = None;
    let mut last_error = None;
    for header in headers {
        for raw in parse_challenges(header) {
            if !raw.scheme.eq_ignore_ascii_case("digest") {
                offered.push(raw.scheme);
                continue;
            }
            match Challenge::from_params(&raw.params) {
                Ok(c) => {
                    let better = match &best {
                        None => true,
                        Some(b) => c.algorithm.strength() > b.algorithm.strength(),
                    };
                    if better {
                        best = Some(c);
                    }
                }
                Err(e) => last_error = Some(e),
            }
        }
    }
    best.ok_or_else(|| match last_error {
        Some(e) => e,
        None if offered.is_empty() => "the 401 answer carries no WWW-Authenticate challenge".to_string(),
        None => format!(
            "the server asked for {}, not Digest",
            offered
                .iter()
                .map(|s| format!("{:?}", escape(s)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

impl Challenge {
    /// Reads the Digest challenge out of a `WWW-Authenticate` header value
    /// (which may hold several challenges).
    #[cfg(test)]
    pub fn parse(header: &str) -> Result<Challenge, String> {
        pick_digest([header])
    }

    fn from_params(params: &BTreeMap<String, String>) -> Result<Challenge, String> {
        let nonce = params
            .get("nonce")
            .cloned()
            .ok_or("the Digest challenge has no nonce")?;
        let algorithm = match params.get("algorithm") {
            None => Algorithm::Md5,
            Some(a) => Algorithm::parse(a).ok_or_else(|| format!("unsupported digest algorithm {:?}", escape(a)))?,
        };
        // Some servers write `op="auth"`; treat a missing qop as "auth" only
        // when nothing else is offered, as RFC 2069 servers do without it.
        let qop = params.get("qop").or_else(|| params.get("op"));
        let qop_auth = match qop {
            Some(q) => q.split(',').any(|q| q.trim().eq_ignore_ascii_case("auth")),
            None => false,
        };
        if qop.is_some() && !qop_auth {
            return Err(format!(
                "unsupported digest qop {:?}",
                escape(qop.map_or("", String::as_str))
            ));
        }
        Ok(Challenge {
            realm: params.get("realm").cloned().unwrap_or_default(),
            nonce,
            opaque: params.get("opaque").cloned(),
            algorithm,
            qop_auth,
            stale: params.get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
        })
    }

    /// The name of the challenge's algorithm (`MD5`, `SHA-256`, ...).
    pub(crate) fn algorithm_name(&self) -> &'static str {
        self.algorithm.name()
    }

    /// The `Authorization` header value for one request.
    pub fn authorize(&self, username: &str, password: &str, method: &str, uri: &str, nc: u32, cnonce: &str) -> String {
        let alg = self.algorithm;
        let mut ha1 = alg.hash(&format!("{username}:{}:{password}", self.realm));
        if alg.is_sess() {
            ha1 = alg.hash(&format!("{ha1}:{}:{cnonce}", self.nonce));
        }
        let ha2 = alg.hash(&format!("{method}:{uri}"));
        let nc = format!("{nc:08x}");
        let response = if self.qop_auth {
            alg.hash(&format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", self.nonce))
        } else {
            alg.hash(&format!("{ha1}:{}:{ha2}", self.nonce))
        };
        let mut h = format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}, response=\"{response}\"",
            quote(username),
            quote(&self.realm),
            quote(&self.nonce),
            quote(uri),
            alg.name()
        );
        if self.qop_auth {
            h.push_str(&format!(", qop=auth, nc={nc}, cnonce=\"{cnonce}\""));
        }
        if let Some(opaque) = &self.opaque {
            h.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
        }
        h
    }
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The API key pair and the nonce it currently answers with. Shared by all
/// concurrent requests of one client; the lock is held only to count.
#[derive(Debug)]
pub(crate) struct DigestAuth {
    pub(crate) username: String,
    pub(crate) password: Secret,
    session: Mutex<Option<(Challenge, u32)>>,
}

impl DigestAuth {
    pub(crate) fn new(username: String, password: Secret) -> Self {
        DigestAuth {
            username,
            password,
            session: Mutex::new(None),
        }
    }

    /// `Authorization` for a request, if a challenge is cached.
    pub(crate) fn header(&self, method: &str, uri: &str) -> Option<String> {
        let (challenge, nc) = {
            let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
            let (challenge, nc) = session.as_mut()?;
            *nc += 1;
            (challenge.clone(), *nc)
        };
        let cnonce = cnonce();
        Some(challenge.authorize(&self.username, self.password.expose(), method, uri, nc, &cnonce))
    }

    /// Whether a challenge is cached (requests then carry `Authorization`).
    pub(crate) fn has_session(&self) -> bool {
        self.session.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }

    /// Takes a new challenge; later requests answer it.
    pub(crate) fn accept(&self, challenge: Challenge) {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Some((challenge, 0));
    }
}

impl AuthScheme for DigestAuth {
    /// The answer to the cached challenge, with the next `nc`; nothing
    /// before the first challenge.
    fn prepare<'a>(&'a self, target: Target<'a>) -> Prepared<'a> {
        let answer = self.header(target.method.as_str(), &request_target(target.url));
        Prepared::Now(answer.map(|h| Authorization::new(&h, None)).transpose())
    }

    /// A stale nonce is renewed (the key was fine) while renewals are
    /// left and a session exists; a fresh challenge is answered once per
    /// call; a challenge that cannot be answered is an error the first
    /// time; anything else leaves the 401 as the answer.
    fn refused(
        &self,
        operation: &'static str,
        headers: &HeaderMap,
        _sent: Option<&Authorization>,
        allowance: Allowance,
    ) -> Result<Refusal, Error> {
        let offered = headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .map(|v| std::str::from_utf8(v.as_bytes()).unwrap_or(""));
        let (challenge, refusal) = match pick_digest(offered) {
            Ok(c) if c.stale && allowance.renew && self.has_session() => (c, Refusal::Renew),
            Ok(c) if allowance.retry => (c, Refusal::Retry),
            Ok(_) => return Ok(Refusal::Answer),
            Err(reason) if allowance.retry && headers.contains_key(WWW_AUTHENTICATE) => {
                return Err(Error::Auth { operation, reason })
            }
            Err(_) => return Ok(Refusal::Answer),
        };
        tracing::debug!(
            operation,
            algorithm = challenge.algorithm_name(),
            stale = challenge.stale,
            "digest challenge; answering it"
        );
        self.accept(challenge);
        Ok(refusal)
    }
}

/// The request-target that digest signs, as the server will see it.
fn request_target(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// A client nonce: 128 bits from the operating system's CSPRNG. If that
/// fails (it does not on supported platforms), fall back to a value mixed
/// from the clock and a counter, which is still unique per request.
fn cnonce() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes = (t ^ (u128::from(n) << 64)).to_le_bytes();
    }
    hex(&bytes)
}

/// [`parse_challenges`] then [`pick_digest`], for property tests: the number
/// of challenges read and whether a Digest one could be answered.
#[doc(hidden)]
pub fn parse_challenges_for_tests(header: &str) -> (usize, bool) {
    (parse_challenges(header).len(), pick_digest([header]).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_atlas_challenge() {
        let c = Challenge::parse(
            r#"Digest realm="MMS Public API", domain="", nonce="abc/123+=", algorithm=MD5, qop="auth", stale=false"#,
        )
        .unwrap();
        assert_eq!(c.realm, "MMS Public API");
        assert_eq!(c.nonce, "abc/123+=");
        assert_eq!(c.algorithm, Algorithm::Md5);
        assert!(c.qop_auth && !c.stale);
        let c = Challenge::parse(r#"Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth,auth-int", stale=TRUE"#)
            .unwrap();
        assert_eq!(c.algorithm, Algorithm::Sha256);
        assert!(c.stale);
        assert!(Challenge::parse("Basic realm=x").unwrap_err().contains("Basic"));
        assert!(Challenge::parse(r#"Digest nonce="n", algorithm=SHA-512"#).is_err());
    }

    #[test]
    fn several_challenges_in_one_header_are_kept_apart() {
        let all = parse_challenges(
            r#"Bearer realm="atlas", error="invalid_token", DIGEST realm="r", nonce="n1", qop="auth""#,
        );
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(all[0].scheme, "Bearer");
        assert_eq!(all[0].params["realm"], "atlas");
        assert!(!all[0].params.contains_key("nonce"), "no merging: {all:?}");
        assert_eq!(all[1].params["nonce"], "n1");
        let c = Challenge::parse(r#"Bearer realm="atlas", DIGEST realm="r", nonce="n1", qop="auth""#).unwrap();
        assert_eq!(c.nonce, "n1");
        let t = parse_challenges("Negotiate abc==, Basic realm=x");
        assert_eq!(t[0].params[""], "abc==");
        assert_eq!(t[1].scheme, "Basic");
    }

    #[test]
    fn sha256_is_preferred_across_headers() {
        let c = pick_digest([
            r#"Digest realm="r", nonce="md5", algorithm=MD5, qop="auth""#,
            r#"Digest realm="r", nonce="sha", algorithm=SHA-256, qop="auth""#,
        ])
        .unwrap();
        assert_eq!((c.nonce.as_str(), c.algorithm), ("sha", Algorithm::Sha256));
        assert!(pick_digest(["Bearer realm=x"]).unwrap_err().contains("Bearer"));
    }

    #[test]
    fn client_nonces_are_random_and_long() {
        let (a, b) = (cnonce(), cnonce());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    /// The worked example of RFC 7616 section 3.9.1 (MD5 and SHA-256).
    #[test]
    fn rfc7616_example() {
        let mut c = Challenge {
            realm: "http-auth@example.org".into(),
            nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v".into(),
            opaque: Some("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS".into()),
            algorithm: Algorithm::Md5,
            qop_auth: true,
            stale: false,
        };
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let h = c.authorize("Mufasa", "Circle of Life", "GET", "/dir/index.html", 1, cnonce);
        assert!(h.contains("response=\"8ca523f5e9506fed4657c9700eebdbec\""), "{h}");
        c.algorithm = Algorithm::Sha256;
        let h = c.authorize("Mufasa", "Circle of Life", "GET", "/dir/index.html", 1, cnonce);
        assert!(
            h.contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""),
            "{h}"
        );
        assert!(h.contains("nc=00000001"));
    }

    fn challenged(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(WWW_AUTHENTICATE, value.parse().unwrap());
        headers
    }

    /// A refusal the call may not answer leaves the session as it was:
    /// no challenge is taken that no request will answer.
    #[test]
    fn a_refusal_is_acted_on_only_when_the_call_offers_it() {
        let digest = DigestAuth::new("public".into(), Secret::new("private"));
        let none = Allowance {
            retry: false,
            renew: false,
        };
        let first = challenged(r#"Digest realm="r", nonce="n1", qop="auth""#);
        assert_eq!(digest.refused("op", &first, None, none).unwrap(), Refusal::Answer);
        assert!(!digest.has_session());
        let retry = Allowance { retry: true, ..none };
        assert_eq!(digest.refused("op", &first, None, retry).unwrap(), Refusal::Retry);
        let stale = challenged(r#"Digest realm="r", nonce="n2", qop="auth", stale=true"#);
        assert_eq!(digest.refused("op", &stale, None, none).unwrap(), Refusal::Answer);
        let kept = digest.header("GET", "/x").unwrap();
        assert!(kept.contains(r#"nonce="n1""#), "{kept}");
        let renew = Allowance { renew: true, ..none };
        assert_eq!(digest.refused("op", &stale, None, renew).unwrap(), Refusal::Renew);
        let renewed = digest.header("GET", "/x").unwrap();
        assert!(
            renewed.contains(r#"nonce="n2""#) && renewed.contains("nc=00000001"),
            "{renewed}"
        );
    }
}
