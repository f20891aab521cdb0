//! HTTP Digest (RFC 7616) with a cached nonce: after the first challenge,
//! every request carries `Authorization` up front with an increasing `nc`,
//! so N calls cost N+1 exchanges instead of 2N.

use super::Secret;
use md5::Md5;
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;
use std::sync::Mutex;

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

/// Parses the `key=value, key="quoted"` list after the scheme name.
pub(crate) fn parse_params(s: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',')).collect();
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            break;
        }
        if chars.next_if_eq(&'=').is_none() {
            out.insert(key, String::new());
            continue;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| *c != ','))
                .collect::<String>()
                .trim()
                .to_string();
        }
        out.insert(key, value);
    }
    out
}

impl Challenge {
    /// Reads the Digest challenge out of a `WWW-Authenticate` header value.
    pub fn parse(header: &str) -> Result<Challenge, String> {
        let rest = header
            .trim_start()
            .strip_prefix("Digest ")
            .or_else(|| header.trim_start().strip_prefix("digest "))
            .ok_or_else(|| {
                format!(
                    "the server asked for {:?}, not Digest",
                    header.split_whitespace().next().unwrap_or("")
                )
            })?;
        let params = parse_params(rest);
        let nonce = params
            .get("nonce")
            .cloned()
            .ok_or("the Digest challenge has no nonce")?;
        let algorithm = match params.get("algorithm") {
            None => Algorithm::Md5,
            Some(a) => Algorithm::parse(a).ok_or_else(|| format!("unsupported digest algorithm {a:?}"))?,
        };
        // Some servers write `op="auth"`; treat a missing qop as "auth" only
        // when nothing else is offered, as RFC 2069 servers do without it.
        let qop = params.get("qop").or_else(|| params.get("op"));
        let qop_auth = match qop {
            Some(q) => q.split(',').any(|q| q.trim().eq_ignore_ascii_case("auth")),
            None => false,
        };
        if qop.is_some() && !qop_auth {
            return Err(format!("unsupported digest qop {:?}", qop.unwrap_or(&String::new())));
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
        let cnonce = format!("{:016x}", fastrand::u64(..));
        Some(challenge.authorize(&self.username, self.password.expose(), method, uri, nc, &cnonce))
    }

    /// Takes a new challenge; later requests answer it.
    pub(crate) fn accept(&self, challenge: Challenge) {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Some((challenge, 0));
    }
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
}
