//! One call's exchange with Atlas, in stages, each with one job:
//!
//! 1. [`Client::attempt`]: the request of this attempt, with the
//!    authentication of its origin;
//! 2. [`classify`]: what the answer's head asks for (follow a redirect,
//!    answer a digest challenge, fetch a new token, or read the answer);
//! 3. [`Client::read_answer`]: the body, within its cap;
//! 4. [`retry_answer`] and [`retry_connect`]: whether to send again, and
//!    after how long, within the policy and the deadline.
//!
//! [`Client::execute`] is the loop over them; [`Tally`] is all it keeps
//! between attempts.

use super::answer::{retry_after, unwrap_envelope, Raw};
use super::body::{read_capped, ReadError, ERROR_BODY_LIMIT};
use super::client::{Auth, Client};
use super::retry::RetryPolicy;
use crate::auth::digest::{pick_digest, Challenge};
use crate::auth::secret::Secret;
use crate::call::request::{Endpoint, Method, Request};
use crate::error::Error;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
use std::time::{Duration, Instant};
use url::Url;

/// Same-origin redirects followed in one call at the most.
pub(crate) const MAX_REDIRECTS: u32 = 5;
/// `stale=true` digest challenges taken in one call at the most.
pub(crate) const MAX_STALE_REFRESHES: u32 = 3;

/// What one call has spent of its allowances so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Requests sent (or tried), the first included.
    pub(crate) attempts: u32,
    /// Retries after a failed connection, a 429 or a 503.
    pub(crate) retries: u32,
    /// The one fresh answer to a refusal of our credentials was used.
    pub(crate) auth_retried: bool,
    /// `stale=true` challenges answered.
    pub(crate) stale_refreshes: u32,
    /// Redirects followed.
    pub(crate) redirects: u32,
}

/// What an answer's head asks of the loop, before its body is read.
#[derive(Debug, PartialEq)]
pub(crate) enum Head {
    /// Send again to this URL (within the origin).
    Redirect(Url),
    /// Answer this digest challenge and send again (the one retry of a
    /// refusal).
    Challenge(Challenge),
    /// The digest nonce went stale (the key was fine): answer the new one
    /// and send again, without spending the retry.
    StaleNonce(Challenge),
    /// The bearer token was refused: drop it, and send again with a new one.
    TokenRefused,
    /// The answer: read its body.
    Answer,
}

impl Tally {
    /// Counts what `head` spends.
    pub(crate) fn spend(&mut self, head: &Head) {
        match head {
            Head::Redirect(_) => self.redirects += 1,
            Head::StaleNonce(_) => self.stale_refreshes += 1,
            Head::Challenge(_) | Head::TokenRefused => self.auth_retried = true,
            Head::Answer => {}
        }
    }
}

/// What an answer's head asks for: a redirect (3xx but 304) is followed
/// only as [`redirect_verdict`] allows, else it is an error; a 401 is
/// answered once per call (a stale nonce a few times); anything else is
/// the answer. `sent_bearer`: this attempt carried a bearer token.
pub(crate) fn classify(
    endpoint: &Endpoint,
    status: u16,
    headers: &HeaderMap,
    url: &Url,
    auth: &Auth,
    sent_bearer: bool,
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
    if status != 401 {
        return Ok(Head::Answer);
    }
    match auth {
        Auth::Digest(digest) => digest_challenge(operation, headers, digest.has_session(), tally),
        Auth::OAuth(_) if sent_bearer && !tally.auth_retried => Ok(Head::TokenRefused),
        _ => Ok(Head::Answer),
    }
}

/// A 401 under digest: a stale nonce is answered a few times per call
/// (the key was fine), a fresh challenge once; a challenge we cannot
/// answer is an error the first time, and otherwise the 401 is the answer.
fn digest_challenge(
    operation: &'static str,
    headers: &HeaderMap,
    has_session: bool,
    tally: &Tally,
) -> Result<Head, Error> {
    let offered = headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .map(|v| std::str::from_utf8(v.as_bytes()).unwrap_or(""));
    match pick_digest(offered) {
        Ok(c) if c.stale && has_session && tally.stale_refreshes < MAX_STALE_REFRESHES => Ok(Head::StaleNonce(c)),
        Ok(c) if !tally.auth_retried => Ok(Head::Challenge(c)),
        Ok(_) => Ok(Head::Answer),
        Err(reason) if !tally.auth_retried && headers.contains_key(WWW_AUTHENTICATE) => {
            Err(Error::Auth { operation, reason })
        }
        Err(_) => Ok(Head::Answer),
    }
}

/// How long to wait before sending again after `raw`, if at all: 429 and
/// 503 for an idempotent method, while retries are left, as long as
/// `Retry-After` says (or the backoff), never longer than the policy's
/// longest wait, and never if the wait would end at or past the deadline
/// (`remaining`): the caller then gets the answer, with its `Retry-After`.
pub(crate) fn retry_answer(
    raw: &Raw,
    method: Method,
    policy: &RetryPolicy,
    retries: u32,
    remaining: Duration,
) -> Option<Duration> {
    if !(raw.status == 429 || raw.status == 503) || !method.is_idempotent() || retries >= policy.max_retries {
        return None;
    }
    let wait = retry_after(&raw.headers)
        .unwrap_or_else(|| policy.backoff(retries))
        .min(policy.max_delay);
    (wait < remaining).then_some(wait)
}

/// How long to wait before connecting again after a connection failed
/// (nothing reached the server: safe for any method), if retries are left
/// and the wait ends before the deadline.
pub(crate) fn retry_connect(policy: &RetryPolicy, retries: u32, remaining: Duration) -> Option<Duration> {
    if retries >= policy.max_retries {
        return None;
    }
    let wait = policy.backoff(retries);
    (wait < remaining).then_some(wait)
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

/// The request-target that digest signs, as the server will see it.
fn request_target(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

fn sensitive(value: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::Config("credentials contain characters that cannot go in an HTTP header".into()))?;
    v.set_sensitive(true);
    Ok(v)
}

fn until(deadline: tokio::time::Instant) -> Duration {
    deadline.saturating_duration_since(tokio::time::Instant::now())
}

impl Client {
    /// The exchange loop over the stages above: reads at most the
    /// configured cap of any body, and sleeps only within `deadline`.
    pub(crate) async fn execute(&self, request: &Request, deadline: tokio::time::Instant) -> Result<Raw, Error> {
        let endpoint = request.endpoint;
        let operation = endpoint.operation_id;
        let auth = &*self.route(endpoint.base).auth;
        let retry = &self.inner.retry;
        let mut url = self.url(request)?;
        let mut tally = Tally::default();
        loop {
            tally.attempts += 1;
            tracing::Span::current().record("attempts", tally.attempts);
            let (outgoing, bearer) = self.attempt(request, &url, auth).await?;
            let started = Instant::now();
            tracing::debug!(operation, method = endpoint.method.as_str(), url = %url, accept = endpoint.accept, "sending");
            let mut response = match self.inner.http.execute(outgoing).await {
                Ok(response) => response,
                Err(e) if e.is_connect() => match retry_connect(retry, tally.retries, until(deadline)) {
                    Some(wait) => {
                        tally.retries += 1;
                        tracing::debug!(operation, error = %e, ?wait, "connection failed; retrying");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    None => return Err(Error::Transport { operation, source: e }),
                },
                Err(e) if e.is_timeout() => {
                    return Err(Error::Timeout {
                        operation,
                        elapsed: started.elapsed(),
                    })
                }
                Err(source) => return Err(Error::Transport { operation, source }),
            };
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let head = classify(endpoint, status, &headers, &url, auth, bearer.is_some(), &tally)?;
            tally.spend(&head);
            if head != Head::Answer {
                self.follow(operation, status, head, auth, bearer.as_ref(), &mut url);
                // Drain what is small, so the connection can be reused.
                let _ = read_capped(&mut response, ERROR_BODY_LIMIT).await;
                continue;
            }
            let mut raw = self
                .read_answer(operation, &mut response, status, headers, started)
                .await?;
            if request.envelope {
                // Before the retry decision: a 429 or 503 inside an
                // envelope is retried like one without.
                unwrap_envelope(&mut raw);
            }
            if let Some(wait) = retry_answer(&raw, endpoint.method, retry, tally.retries, until(deadline)) {
                tally.retries += 1;
                tracing::debug!(
                    operation,
                    status = raw.status,
                    ?wait,
                    retry = tally.retries,
                    "rate limited or unavailable; retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok(raw);
        }
    }

    /// The request of one attempt: the method, URL, `Accept`, the caller's
    /// headers and body, and the `Authorization` of the origin's
    /// credentials (a digest answer once challenged, or a bearer token,
    /// which is returned so that a refusal can drop it).
    pub(crate) async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        auth: &Auth,
    ) -> Result<(reqwest::Request, Option<Secret>), Error> {
        let endpoint = request.endpoint;
        let mut builder = self
            .inner
            .http
            .request(endpoint.method.to_reqwest(), url.clone())
            .header(ACCEPT, HeaderValue::from_static(endpoint.accept));
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = &request.body {
            let content_type = endpoint.content_type.unwrap_or("application/json");
            builder = builder.header(CONTENT_TYPE, content_type).body(body.clone());
        }
        let mut bearer = None;
        match auth {
            Auth::None => {}
            Auth::Digest(digest) => {
                if let Some(h) = digest.header(endpoint.method.as_str(), &request_target(url)) {
                    builder = builder.header(AUTHORIZATION, sensitive(&h)?);
                }
            }
            Auth::OAuth(oauth) => {
                let token = oauth.token(&self.inner.http, endpoint.operation_id).await?;
                builder = builder.header(AUTHORIZATION, sensitive(&format!("Bearer {}", token.expose()))?);
                bearer = Some(token);
            }
        }
        let outgoing = builder.build().map_err(|source| Error::Transport {
            operation: endpoint.operation_id,
            source,
        })?;
        Ok((outgoing, bearer))
    }

    /// Acts on a head that is not the answer: the next URL, the accepted
    /// challenge, or the dropped token.
    fn follow(
        &self,
        operation: &'static str,
        status: u16,
        head: Head,
        auth: &Auth,
        bearer: Option<&Secret>,
        url: &mut Url,
    ) {
        match head {
            Head::Answer => {}
            Head::Redirect(next) => {
                tracing::debug!(operation, status, location = %next, "following a redirect within the origin");
                *url = next;
            }
            Head::StaleNonce(challenge) | Head::Challenge(challenge) => {
                tracing::debug!(
                    operation,
                    algorithm = challenge.algorithm_name(),
                    stale = challenge.stale,
                    "digest challenge; answering it"
                );
                if let Auth::Digest(digest) = auth {
                    digest.accept(challenge);
                }
            }
            Head::TokenRefused => {
                tracing::debug!(operation, "bearer token refused; fetching a new one");
                if let (Auth::OAuth(oauth), Some(used)) = (auth, bearer) {
                    oauth.invalidate(used);
                }
            }
        }
    }

    /// Reads the answer's body: at most the configured cap for a success,
    /// and [`ERROR_BODY_LIMIT`] for anything else. A read that outlives the
    /// exchange timeout is a [`Error::Timeout`].
    async fn read_answer(
        &self,
        operation: &'static str,
        response: &mut reqwest::Response,
        status: u16,
        headers: HeaderMap,
        started: Instant,
    ) -> Result<Raw, Error> {
        let limit = if (200..300).contains(&status) {
            self.inner.max_response_bytes
        } else {
            ERROR_BODY_LIMIT
        };
        let body = match read_capped(response, limit).await {
            Ok(b) => b,
            Err(ReadError::TooLarge { declared }) => {
                return Err(Error::ResponseTooLarge {
                    operation,
                    status,
                    limit,
                    declared,
                })
            }
            Err(ReadError::Transport(e)) if e.is_timeout() => {
                return Err(Error::Timeout {
                    operation,
                    elapsed: started.elapsed().max(self.inner.timeout),
                })
            }
            Err(ReadError::Transport(source)) => return Err(Error::Transport { operation, source }),
        };
        tracing::debug!(operation, status, elapsed = ?started.elapsed(), "received");
        Ok(Raw { status, headers, body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::digest::DigestAuth;
    use crate::auth::oauth::OAuth;
    use crate::call::request::Base;
    use crate::transport::builder::ClientBuilder;

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

    fn digest() -> Auth {
        Auth::Digest(DigestAuth::new("public".into(), Secret::new("private")))
    }

    fn oauth() -> Auth {
        let token_url = Url::parse("https://cloud.mongodb.com/api/oauth/token").unwrap();
        Auth::OAuth(OAuth::new(
            "id".into(),
            Secret::new("secret"),
            token_url,
            Duration::from_secs(1),
        ))
    }

    fn head(
        status: u16,
        pairs: &[(&'static str, &str)],
        auth: &Auth,
        bearer: bool,
        tally: &Tally,
    ) -> Result<Head, Error> {
        classify(&POST, status, &headers(pairs), &url(), auth, bearer, tally)
    }

    fn raw(status: u16, pairs: &[(&'static str, &str)]) -> Raw {
        Raw {
            status,
            headers: headers(pairs),
            body: bytes::Bytes::new(),
        }
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
        let next = head(307, &[("location", "/api/atlas/v2/other")], &Auth::None, false, &tally).unwrap();
        assert_eq!(
            next,
            Head::Redirect(Url::parse("https://cloud.mongodb.com/api/atlas/v2/other").unwrap())
        );
        let refused = head(
            307,
            &[("location", "https://evil.example/")],
            &Auth::None,
            false,
            &tally,
        )
        .unwrap_err();
        assert!(
            matches!(refused, Error::Redirect { status: 307, ref location, why, .. }
                if location == "https://evil.example/" && why.contains("another origin")),
            "{refused:?}"
        );
        // 304 is an answer, not a redirect; so is every other status.
        for status in [200, 201, 204, 304, 404, 429] {
            assert_eq!(
                head(status, &[], &digest(), true, &tally).unwrap(),
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
        let auth = digest();
        let mut tally = Tally::default();
        let first = head(401, &[("www-authenticate", CHALLENGE)], &auth, false, &tally).unwrap();
        assert!(
            matches!(&first, Head::Challenge(c) if c.nonce == "n1" && !c.stale),
            "{first:?}"
        );
        tally.spend(&first);
        assert!(tally.auth_retried);
        // Refused again with a fresh challenge: the key is wrong; the 401 is the answer.
        assert_eq!(
            head(401, &[("www-authenticate", CHALLENGE)], &auth, false, &tally).unwrap(),
            Head::Answer
        );
    }

    #[test]
    fn a_stale_nonce_is_refreshed_a_few_times_without_spending_the_retry() {
        let auth = digest();
        let mut tally = Tally::default();
        // Without a session, stale=true is an ordinary challenge: it
        // spends the retry.
        let first = head(401, &[("www-authenticate", STALE)], &auth, false, &tally).unwrap();
        assert!(matches!(first, Head::Challenge(_)), "{first:?}");
        let mut fresh = tally;
        fresh.spend(&first);
        assert_eq!((fresh.stale_refreshes, fresh.auth_retried), (0, true));
        if let (Auth::Digest(d), Head::Challenge(c)) = (&auth, first) {
            d.accept(c);
        }
        // With one, it is refreshed a few times for free.
        for _ in 0..MAX_STALE_REFRESHES {
            let next = head(401, &[("www-authenticate", STALE)], &auth, false, &tally).unwrap();
            assert!(matches!(next, Head::StaleNonce(_)), "{next:?}");
            tally.spend(&next);
        }
        assert_eq!(
            (tally.stale_refreshes, tally.auth_retried),
            (MAX_STALE_REFRESHES, false)
        );
        // Past the allowance, a stale challenge spends the one retry, then ends.
        let last = head(401, &[("www-authenticate", STALE)], &auth, false, &tally).unwrap();
        assert!(matches!(last, Head::Challenge(_)), "{last:?}");
        tally.spend(&last);
        assert!(tally.auth_retried);
        assert_eq!(
            head(401, &[("www-authenticate", STALE)], &auth, false, &tally).unwrap(),
            Head::Answer
        );
    }

    #[test]
    fn a_challenge_we_cannot_answer_is_an_auth_error_naming_why() {
        let auth = digest();
        let tally = Tally::default();
        let err = head(401, &[("www-authenticate", r#"Basic realm="x""#)], &auth, false, &tally).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Auth {
                    operation: "createWidget",
                    ..
                }
            ),
            "{err:?}"
        );
        // No challenge at all: the 401 is the answer (with its errorCode).
        assert_eq!(head(401, &[], &auth, false, &tally).unwrap(), Head::Answer);
        let retried = Tally {
            auth_retried: true,
            ..Tally::default()
        };
        assert_eq!(
            head(
                401,
                &[("www-authenticate", r#"Basic realm="x""#)],
                &auth,
                false,
                &retried
            )
            .unwrap(),
            Head::Answer
        );
    }

    #[test]
    fn a_refused_bearer_token_is_replaced_once() {
        let auth = oauth();
        let mut tally = Tally::default();
        assert_eq!(head(401, &[], &auth, true, &tally).unwrap(), Head::TokenRefused);
        // No token was sent (nothing to drop): the 401 is the answer.
        assert_eq!(head(401, &[], &auth, false, &tally).unwrap(), Head::Answer);
        tally.spend(&Head::TokenRefused);
        assert_eq!(head(401, &[], &auth, true, &tally).unwrap(), Head::Answer);
        // Without credentials a 401 is the answer.
        assert_eq!(
            head(401, &[], &Auth::None, false, &Tally::default()).unwrap(),
            Head::Answer
        );
    }

    #[test]
    fn rate_limits_are_retried_for_idempotent_methods_within_the_deadline() {
        let policy = RetryPolicy::default();
        let long = Duration::from_secs(3600);
        let limited = raw(429, &[("retry-after", "2")]);
        assert_eq!(
            retry_answer(&limited, Method::Get, &policy, 0, long),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_answer(&raw(503, &[("retry-after", "1")]), Method::Delete, &policy, 2, long),
            Some(Duration::from_secs(1))
        );
        // Never POST or PATCH again once it reached the server.
        assert_eq!(retry_answer(&limited, Method::Post, &policy, 0, long), None);
        assert_eq!(retry_answer(&limited, Method::Patch, &policy, 0, long), None);
        // Retries used up, or a wait that would pass the deadline.
        assert_eq!(
            retry_answer(&limited, Method::Get, &policy, policy.max_retries, long),
            None
        );
        assert_eq!(
            retry_answer(&limited, Method::Get, &policy, 0, Duration::from_secs(2)),
            None
        );
        // Other statuses are answers.
        for status in [200, 404, 500, 502] {
            assert_eq!(
                retry_answer(&raw(status, &[]), Method::Get, &policy, 0, long),
                None,
                "{status}"
            );
        }
        // Retry-After is capped by the policy; without one, the backoff.
        let far = raw(429, &[("retry-after", "86400")]);
        assert_eq!(
            retry_answer(&far, Method::Get, &policy, 0, long),
            Some(policy.max_delay)
        );
        let bare = retry_answer(&raw(429, &[]), Method::Get, &policy, 1, long).unwrap();
        assert!(bare <= policy.base_delay * 2, "{bare:?}");
    }

    #[test]
    fn a_failed_connection_is_retried_while_retries_and_time_are_left() {
        let policy = RetryPolicy::default();
        let wait = retry_connect(&policy, 0, Duration::from_secs(60)).unwrap();
        assert!(wait <= policy.base_delay, "{wait:?}");
        assert_eq!(
            retry_connect(&policy, policy.max_retries, Duration::from_secs(60)),
            None
        );
        assert_eq!(retry_connect(&policy, 0, Duration::ZERO), None);
        assert_eq!(retry_connect(&RetryPolicy::none(), 0, Duration::from_secs(60)), None);
    }

    fn request() -> Request {
        let mut r = Request::new(&POST);
        r.path("/api/atlas/v2/widgets");
        r.headers.push(("x-request-id", "r-1".into()));
        r.body = Some(bytes::Bytes::from_static(b"{\"name\":\"w\"}"));
        r
    }

    #[tokio::test]
    async fn an_attempt_carries_the_version_the_body_and_no_credential_unasked() {
        let client: Client = ClientBuilder::new().build().unwrap();
        let (sent, bearer) = client.attempt(&request(), &url(), &Auth::None).await.unwrap();
        assert!(bearer.is_none());
        assert_eq!(sent.method(), reqwest::Method::POST);
        assert_eq!(sent.url(), &url());
        let h = sent.headers();
        assert_eq!(h[ACCEPT], POST.accept);
        assert_eq!(h[CONTENT_TYPE], POST.content_type.unwrap());
        assert_eq!(h["x-request-id"], "r-1");
        assert!(!h.contains_key(AUTHORIZATION));
        assert_eq!(sent.body().and_then(|b| b.as_bytes()), Some(&b"{\"name\":\"w\"}"[..]));
        // Digest sends nothing until challenged.
        let auth = digest();
        let (sent, _) = client.attempt(&request(), &url(), &auth).await.unwrap();
        assert!(!sent.headers().contains_key(AUTHORIZATION));
    }

    #[tokio::test]
    async fn a_challenged_attempt_signs_the_request_target_it_sends() {
        let client: Client = ClientBuilder::new().build().unwrap();
        let auth = digest();
        if let Auth::Digest(d) = &auth {
            d.accept(Challenge::parse(CHALLENGE).unwrap());
        }
        let (sent, _) = client.attempt(&request(), &url(), &auth).await.unwrap();
        let value = &sent.headers()[AUTHORIZATION];
        assert!(value.is_sensitive());
        let text = value.to_str().unwrap();
        assert!(text.starts_with("Digest "), "{text}");
        assert!(text.contains(r#"uri="/api/atlas/v2/widgets?pretty=true""#), "{text}");
        assert!(
            text.contains(r#"username="public""#) && text.contains("nc=00000001"),
            "{text}"
        );
    }
}
