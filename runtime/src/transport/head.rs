//! What an answer's head asks of the exchange loop, before its body is
//! read: follow a redirect within the origin, send again after the
//! origin's auth scheme acted on a 401, or read the answer; and what each
//! spends of the call's allowances ([`Tally`]).

use crate::auth::scheme::{Allowance, Authorization, Bound, Refusal};
use crate::call::request::{Endpoint, Method};
use crate::error::Error;
use reqwest::header::{HeaderMap, LOCATION};
use url::Url;

/// Same-origin redirects followed in one call at the most.
pub(crate) const MAX_REDIRECTS: u32 = 5;
/// Renewals of an auth session (`stale=true` digest challenges) in one
/// call at the most.
pub(crate) const MAX_RENEWALS: u32 = 3;

/// What one call has spent of its allowances so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Requests sent (or tried), the first included.
    pub(crate) attempts: u32,
    /// Retries after a failed connection, a 429 or a 503.
    pub(crate) retries: u32,
    /// The one fresh answer to a refusal of our credentials was used.
    pub(crate) auth_retried: bool,
    /// Auth sessions renewed (stale nonces answered).
    pub(crate) renewals: u32,
    /// Redirects followed.
    pub(crate) redirects: u32,
}

/// What an answer's head asks of the loop, before its body is read.
#[derive(Debug, PartialEq)]
pub(crate) enum Head {
    /// Send again to this URL (within the origin).
    Redirect(Url),
    /// The scheme acted on a refusal (answered a challenge, dropped a
    /// token): send again; the call's one retry of a refusal.
    Reauthorize,
    /// The scheme renewed its session (a stale nonce; the key was fine):
    /// send again without spending the retry.
    Renew,
    /// The answer: read its body.
    Answer,
}

impl Tally {
    /// Counts what `head` spends.
    pub(crate) fn spend(&mut self, head: &Head) {
        match head {
            Head::Redirect(_) => self.redirects += 1,
            Head::Renew => self.renewals += 1,
            Head::Reauthorize => self.auth_retried = true,
            Head::Answer => {}
        }
    }

    /// What a 401 may still spend.
    fn allowance(&self) -> Allowance {
        Allowance {
            retry: !self.auth_retried,
            renew: self.renewals < MAX_RENEWALS,
        }
    }
}

/// What an answer's head asks for: a redirect (3xx but 304) is followed
/// only as [`redirect_verdict`] allows, else it is an error; a 401 is for
/// the origin's scheme (`auth`, which prepared `sent`) to read, within the
/// call's allowances; anything else is the answer.
pub(crate) fn classify(
    endpoint: &Endpoint,
    status: u16,
    headers: &HeaderMap,
    url: &Url,
    auth: Option<&Bound>,
    sent: Option<&Authorization>,
    tally: &Tally,
) -> Result<Head, Error> {
    let operation = endpoint.operation_id;
    if (300..400).contains(&status) && status != 304 {
        let location = headers
            .get(LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        return redirect_verdict(url, &location, status, endpoint.method, tally.redirects)
            .map(Head::Redirect)
            .map_err(|why| Error::Redirect {
                operation,
                status,
                location,
                why,
            });
    }
    let Some(auth) = auth.filter(|_| status == 401) else {
        return Ok(Head::Answer);
    };
    Ok(match auth.refused(operation, headers, sent, tally.allowance())? {
        Refusal::Retry => Head::Reauthorize,
        Refusal::Renew => Head::Renew,
        Refusal::Answer => Head::Answer,
    })
}

/// Whether a redirect from `from` to `location` is followed: only within
/// the origin (same scheme, host and port: never https to http), only 307
/// and 308 for a method with a body (301/302/303 for safe methods), and at
/// most [`MAX_REDIRECTS`] times. `Err` says why not.
pub(crate) fn redirect_verdict(
    from: &Url,
    location: &str,
    status: u16,
    method: Method,
    redirects: u32,
) -> Result<Url, &'static str> {
    if location.is_empty() {
        return Err("it has no Location");
    }
    let next = from.join(location).map_err(|_| "the Location is not a URL")?;
    if next.scheme() == "http" && from.scheme() == "https" {
        return Err("it leaves https for http");
    }
    if next.origin() != from.origin() {
        return Err("it leads to another origin than the configured base URL");
    }
    if !(status == 307 || status == 308 || (method.is_safe() && status != 300)) {
        return Err("only 307 and 308 keep the method and body of this request");
    }
    if redirects >= MAX_REDIRECTS {
        return Err("too many redirects");
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::digest::DigestAuth;
    use crate::auth::oauth::OAuth;
    use crate::auth::secret::Secret;
    use crate::call::request::Base;
    use reqwest::header::HeaderValue;
    use std::sync::Arc;
    use std::time::Duration;

    static POST: Endpoint = Endpoint {
        operation_id: "createWidget",
        method: Method::Post,
        base: Base::Atlas,
        path_template: "/api/atlas/v2/widgets",
        accept: "application/vnd.atlas.2024-05-30+json",
        version: "2024-05-30",
        content_type: Some("application/vnd.atlas.2024-05-30+json"),
        sunset: None,
        newer: &[],
        statuses: &[201],
        sensitive: &[],
    };

    const CHALLENGE: &str =
        r#"Digest realm="MMS Public API", domain="", nonce="n1", algorithm=MD5, qop="auth", stale=false"#;
    const STALE: &str =
        r#"Digest realm="MMS Public API", domain="", nonce="n2", algorithm=MD5, qop="auth", stale=true"#;

    fn url() -> Url {
        Url::parse("https://cloud.mongodb.com/api/atlas/v2/widgets?pretty=true").unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    /// A digest scheme bound to the test's origin, and the scheme itself.
    fn digest() -> (Bound, Arc<DigestAuth>) {
        let scheme = Arc::new(DigestAuth::new("public".into(), Secret::new("private")));
        (Bound::new(&url(), scheme.clone()), scheme)
    }

    fn oauth() -> Bound {
        let token_url = Url::parse("https://cloud.mongodb.com/api/oauth/token").unwrap();
        let scheme = OAuth::new(
            "id".into(),
            Secret::new("secret"),
            token_url,
            Duration::from_secs(1),
            crate::call::retry_policy::RetryPolicy::default(),
        );
        Bound::new(&url(), Arc::new(scheme))
    }

    fn head(
        status: u16,
        pairs: &[(&'static str, &str)],
        auth: Option<&Bound>,
        sent: Option<&Authorization>,
        tally: &Tally,
    ) -> Result<Head, Error> {
        classify(&POST, status, &headers(pairs), &url(), auth, sent, tally)
    }

    #[test]
    fn redirects_stay_in_the_origin_and_on_https() {
        let from = Url::parse("https://cloud.mongodb.com/api/atlas/v2/groups/g").unwrap();
        let v = |loc: &str, status: u16, method: Method| redirect_verdict(&from, loc, status, method, 0);
        assert_eq!(
            v("/api/atlas/v2/groups/h", 307, Method::Post).unwrap().as_str(),
            "https://cloud.mongodb.com/api/atlas/v2/groups/h"
        );
        assert_eq!(
            v("http://cloud.mongodb.com/x", 307, Method::Get),
            Err("it leaves https for http")
        );
        assert_eq!(
            v("https://evil.example/x", 308, Method::Get),
            Err("it leads to another origin than the configured base URL")
        );
        assert_eq!(
            v("https://cloud.mongodb.com:8443/x", 307, Method::Get),
            Err("it leads to another origin than the configured base URL")
        );
        assert_eq!(
            v("/x", 302, Method::Post),
            Err("only 307 and 308 keep the method and body of this request")
        );
        assert!(v("/x", 302, Method::Get).is_ok());
        assert_eq!(v("", 307, Method::Get), Err("it has no Location"));
        assert_eq!(
            redirect_verdict(&from, "/x", 307, Method::Get, MAX_REDIRECTS),
            Err("too many redirects")
        );
    }

    #[test]
    fn a_redirect_is_followed_or_refused_with_its_reason() {
        let tally = Tally::default();
        let next = head(307, &[("location", "/api/atlas/v2/other")], None, None, &tally).unwrap();
        assert_eq!(
            next,
            Head::Redirect(Url::parse("https://cloud.mongodb.com/api/atlas/v2/other").unwrap())
        );
        let refused = head(307, &[("location", "https://evil.example/")], None, None, &tally).unwrap_err();
        assert!(
            matches!(refused, Error::Redirect { status: 307, ref location, why, .. }
                if location == "https://evil.example/" && why.contains("another origin")),
            "{refused:?}"
        );
        // 304 is an answer, not a redirect; so is every other status.
        let (auth, _) = digest();
        for status in [200, 201, 204, 304, 404, 429] {
            assert_eq!(
                head(status, &[("www-authenticate", CHALLENGE)], Some(&auth), None, &tally).unwrap(),
                Head::Answer,
                "{status}"
            );
        }
        let mut spent = Tally::default();
        spent.spend(&next);
        assert_eq!(spent.redirects, 1);
    }

    #[test]
    fn a_digest_challenge_is_answered_once_per_call() {
        let (auth, scheme) = digest();
        let mut tally = Tally::default();
        let first = head(401, &[("www-authenticate", CHALLENGE)], Some(&auth), None, &tally).unwrap();
        assert_eq!(first, Head::Reauthorize);
        let answer = scheme.header("POST", "/api/atlas/v2/widgets").unwrap();
        assert!(answer.contains(r#"nonce="n1""#), "the challenge was taken: {answer}");
        tally.spend(&first);
        assert!(tally.auth_retried);
        // Refused again with a fresh challenge: the key is wrong; the 401 is the answer.
        assert_eq!(
            head(401, &[("www-authenticate", CHALLENGE)], Some(&auth), None, &tally).unwrap(),
            Head::Answer
        );
    }

    #[test]
    fn a_stale_nonce_is_renewed_a_few_times_without_spending_the_retry() {
        let (auth, _) = digest();
        let stale = |tally: &Tally| head(401, &[("www-authenticate", STALE)], Some(&auth), None, tally).unwrap();
        let mut tally = Tally::default();
        // Without a session, stale=true is an ordinary challenge: it
        // spends the retry (and starts the session).
        let first = stale(&tally);
        assert_eq!(first, Head::Reauthorize);
        let mut fresh = tally;
        fresh.spend(&first);
        assert_eq!((fresh.renewals, fresh.auth_retried), (0, true));
        // With one, it is renewed a few times for free.
        for _ in 0..MAX_RENEWALS {
            let next = stale(&tally);
            assert_eq!(next, Head::Renew);
            tally.spend(&next);
        }
        assert_eq!((tally.renewals, tally.auth_retried), (MAX_RENEWALS, false));
        // Past the allowance, a stale challenge spends the one retry, then ends.
        let last = stale(&tally);
        assert_eq!(last, Head::Reauthorize);
        tally.spend(&last);
        assert_eq!(stale(&tally), Head::Answer);
    }

    #[test]
    fn a_challenge_we_cannot_answer_is_an_auth_error_naming_why() {
        let (auth, _) = digest();
        let basic = [("www-authenticate", r#"Basic realm="x""#)];
        let tally = Tally::default();
        let err = head(401, &basic, Some(&auth), None, &tally).unwrap_err();
        assert!(
            matches!(&err, Error::Auth { operation: "createWidget", reason } if reason.contains("Basic")),
            "{err:?}"
        );
        // No challenge at all: the 401 is the answer (with its errorCode).
        assert_eq!(head(401, &[], Some(&auth), None, &tally).unwrap(), Head::Answer);
        let retried = Tally {
            auth_retried: true,
            ..Tally::default()
        };
        assert_eq!(head(401, &basic, Some(&auth), None, &retried).unwrap(), Head::Answer);
    }

    #[test]
    fn a_refused_bearer_token_is_replaced_once() {
        let auth = oauth();
        let sent = Authorization::new("Bearer t1", Some(Secret::new("t1"))).unwrap();
        let mut tally = Tally::default();
        assert_eq!(
            head(401, &[], Some(&auth), Some(&sent), &tally).unwrap(),
            Head::Reauthorize
        );
        // No token was sent (nothing to drop): the 401 is the answer.
        assert_eq!(head(401, &[], Some(&auth), None, &tally).unwrap(), Head::Answer);
        tally.spend(&Head::Reauthorize);
        assert_eq!(head(401, &[], Some(&auth), Some(&sent), &tally).unwrap(), Head::Answer);
        // Without credentials a 401 is the answer.
        assert_eq!(head(401, &[], None, None, &Tally::default()).unwrap(), Head::Answer);
    }
}
