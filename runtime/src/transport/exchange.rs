//! One call's exchange with Atlas, in stages, each with one job:
//!
//! 1. [`Transport::attempt`]: the request of this attempt, with the
//!    `Authorization` the origin's auth scheme prepares;
//! 2. [`classify`]: what the answer's head asks for (follow a redirect,
//!    send again after the scheme acted on a 401, or read the answer);
//! 3. [`Transport::read_answer`]: the body, within its cap;
//! 4. [`retry_answer`] and [`retry_connect`]: whether to send again, and
//!    after how long, within the policy and the deadline.
//!
//! [`Transport::execute`] is the loop over them; [`Tally`] is all it keeps
//! between attempts. No stage knows one auth scheme from another. The
//! app's hooks ([`Interceptors`]) see each attempt's request and answer
//! head; with none registered they cost a length check.
//!
//! A call's own [`CallOptions`](crate::call::options::CallOptions) (on the
//! request) choose the retry policy and exchange timeout over the client's.

use super::answer::{unwrap_envelope, Raw};
use super::body::{read_capped, ReadError, ERROR_BODY_LIMIT};
use super::head::{classify, Head, Tally};
use super::http::Http;
use super::intercept::{Interceptors, ResponseHead};
use super::retry::{retry_answer, retry_connect};
use super::route::{same_origin, Route};
use crate::auth::scheme::{Authorization, Bound, Target};
use crate::call::request::Request;
use crate::call::retry_policy::RetryPolicy;
use crate::error::Error;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use std::time::{Duration, Instant};
use url::Url;

/// What the exchange needs of a client: its connections, retry policy,
/// caps and hooks.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) http: Http,
    pub(crate) retry: RetryPolicy,
    /// The longest one HTTP exchange may take.
    pub(crate) timeout: Duration,
    /// The largest success body read.
    pub(crate) max_response_bytes: usize,
    pub(crate) interceptors: Interceptors,
}

/// What stays the same over one call's attempts.
struct Call<'a> {
    operation: &'static str,
    /// The version asked for (in logs).
    accept: &'static str,
    retry: &'a RetryPolicy,
    /// The longest one exchange of this call may take.
    timeout: Duration,
    deadline: tokio::time::Instant,
}

fn until(deadline: tokio::time::Instant) -> Duration {
    deadline.saturating_duration_since(tokio::time::Instant::now())
}

impl Transport {
    /// The exchange loop over the stages above, to `route`: reads at most
    /// the configured cap of any body, and sleeps only within `deadline`.
    pub(crate) async fn execute(
        &self,
        request: &Request,
        route: &Route,
        deadline: tokio::time::Instant,
    ) -> Result<Raw, Error> {
        let endpoint = request.endpoint;
        let operation = endpoint.operation_id;
        let call = Call {
            operation,
            accept: endpoint.accept,
            retry: request.options.retry.as_ref().unwrap_or(&self.retry),
            timeout: request.options.timeout.unwrap_or(self.timeout),
            deadline,
        };
        let auth = route.auth.as_ref();
        let mut url = route.url(request)?;
        let mut tally = Tally::default();
        loop {
            tally.attempts += 1;
            tracing::Span::current().record("attempts", tally.attempts);
            let (outgoing, sent) = self.attempt(request, &url, auth, &call).await?;
            let Some((mut response, started)) = self.send(outgoing, &url, &call, &mut tally).await? else {
                continue;
            };
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            if !self.interceptors.is_empty() {
                self.interceptors.on_response(&ResponseHead {
                    operation,
                    attempt: tally.attempts,
                    method: endpoint.method.as_str(),
                    url: &url,
                    status,
                    headers: &headers,
                    elapsed: started.elapsed(),
                });
            }
            let head = classify(endpoint, status, &headers, &url, auth, sent.as_ref(), &tally)?;
            tally.spend(&head);
            if head != Head::Answer {
                if let Head::Redirect(next) = head {
                    tracing::debug!(operation, status, location = %next, "following a redirect within the origin");
                    url = next;
                }
                // Drain what is small, so the connection can be reused.
                let _ = read_capped(&mut response, ERROR_BODY_LIMIT).await;
                continue;
            }
            let mut raw = self.read_answer(&call, &mut response, status, headers, started).await?;
            if request.envelope {
                // Before the retry decision: a 429 or 503 inside an
                // envelope is retried like one without.
                unwrap_envelope(&mut raw);
            }
            if let Some(wait) = retry_answer(&raw, endpoint.method, call.retry, tally.retries, until(deadline)) {
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

    /// Sends one attempt (shown to the hooks first) to `url`: its answer
    /// and when it was sent, or `None` when a failed connection is tried
    /// again (after the wait, taken here).
    async fn send(
        &self,
        mut outgoing: reqwest::Request,
        url: &Url,
        call: &Call<'_>,
        tally: &mut Tally,
    ) -> Result<Option<(reqwest::Response, Instant)>, Error> {
        let operation = call.operation;
        self.interceptors.on_request(operation, tally.attempts, &mut outgoing);
        let started = Instant::now();
        tracing::debug!(operation, method = outgoing.method().as_str(), url = %url, accept = call.accept, "sending");
        let response = match self.http.for_url(url).execute(outgoing).await {
            Ok(response) => response,
            Err(e) if e.is_connect() => match retry_connect(call.retry, tally.retries, until(call.deadline)) {
                Some(wait) => {
                    tally.retries += 1;
                    tracing::debug!(operation, error = %e, ?wait, "connection failed; retrying");
                    tokio::time::sleep(wait).await;
                    return Ok(None);
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
        // The runtime's own clients follow no redirect; an app's client
        // that does must stay within the origin (it dropped the
        // credentials on the way out, but the answer is another origin's).
        if response.url() != url && !same_origin(response.url(), url) {
            return Err(Error::Config(format!(
                "{operation}: the HTTP client given with http_client followed a redirect from {} to another \
                 origin, {}; give it redirect(reqwest::redirect::Policy::none())",
                url.origin().ascii_serialization(),
                response.url().origin().ascii_serialization(),
            )));
        }
        Ok(Some((response, started)))
    }

    /// The request of one attempt: the method, URL, `Accept`, the caller's
    /// headers and body, and the `Authorization` the origin's scheme
    /// prepared, which is returned so that a refusal can be read against it.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        auth: Option<&Bound>,
        call: &Call<'_>,
    ) -> Result<(reqwest::Request, Option<Authorization>), Error> {
        let endpoint = request.endpoint;
        let mut builder = self
            .http
            .for_url(url)
            .request(endpoint.method.to_reqwest(), url.clone())
            .timeout(call.timeout)
            .header(ACCEPT, HeaderValue::from_static(endpoint.accept));
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = &request.body {
            let content_type = endpoint.content_type.unwrap_or("application/json");
            builder = builder.header(CONTENT_TYPE, content_type).body(body.clone());
        }
        let sent = match auth {
            Some(auth) => {
                let target = Target {
                    operation: endpoint.operation_id,
                    method: endpoint.method,
                    url,
                    http: &self.http,
                    deadline: call.deadline,
                };
                auth.prepare(target).await?
            }
            None => None,
        };
        if let Some(authorization) = &sent {
            builder = builder.header(AUTHORIZATION, authorization.header.clone());
        }
        let outgoing = builder.build().map_err(|source| Error::Transport {
            operation: endpoint.operation_id,
            source,
        })?;
        Ok((outgoing, sent))
    }

    /// Reads the answer's body: at most the configured cap for a success,
    /// and [`ERROR_BODY_LIMIT`] for anything else. A read that outlives the
    /// exchange timeout is a [`Error::Timeout`].
    async fn read_answer(
        &self,
        call: &Call<'_>,
        response: &mut reqwest::Response,
        status: u16,
        headers: HeaderMap,
        started: Instant,
    ) -> Result<Raw, Error> {
        let operation = call.operation;
        let limit = if (200..300).contains(&status) {
            self.max_response_bytes
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
                    elapsed: started.elapsed().max(call.timeout),
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
    use crate::auth::secret::Secret;
    use crate::call::request::{Base, Endpoint, Method};
    use std::sync::Arc;

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

    fn url() -> Url {
        Url::parse("https://cloud.mongodb.com/api/atlas/v2/widgets?pretty=true").unwrap()
    }

    fn transport() -> Transport {
        Transport {
            http: Http::new(reqwest::Client::new(), None),
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
            max_response_bytes: 1024,
            interceptors: Interceptors::default(),
        }
    }

    fn call(retry: &RetryPolicy) -> Call<'_> {
        Call {
            operation: POST.operation_id,
            accept: POST.accept,
            retry,
            timeout: Duration::from_secs(7),
            deadline: tokio::time::Instant::now() + Duration::from_secs(60),
        }
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
        let transport = transport();
        let (sent, authorization) = transport
            .attempt(&request(), &url(), None, &call(&transport.retry))
            .await
            .unwrap();
        assert!(authorization.is_none());
        assert_eq!(sent.method(), reqwest::Method::POST);
        assert_eq!(sent.url(), &url());
        let h = sent.headers();
        assert_eq!(h[ACCEPT], POST.accept);
        assert_eq!(h[CONTENT_TYPE], POST.content_type.unwrap());
        assert_eq!(h["x-request-id"], "r-1");
        assert!(!h.contains_key(AUTHORIZATION));
        assert_eq!(
            sent.timeout(),
            Some(&Duration::from_secs(7)),
            "the call's exchange timeout, per request"
        );
        assert_eq!(sent.body().and_then(|b| b.as_bytes()), Some(&b"{\"name\":\"w\"}"[..]));
        // Digest sends nothing until challenged.
        let digest = Bound::new(
            &url(),
            Arc::new(DigestAuth::new("public".into(), Secret::new("private"))),
        );
        let (sent, _) = transport
            .attempt(&request(), &url(), Some(&digest), &call(&transport.retry))
            .await
            .unwrap();
        assert!(!sent.headers().contains_key(AUTHORIZATION));
    }

    #[tokio::test]
    async fn a_challenged_attempt_signs_the_request_target_it_sends() {
        let scheme = Arc::new(DigestAuth::new("public".into(), Secret::new("private")));
        let digest = Bound::new(&url(), scheme.clone());
        let mut challenge = HeaderMap::new();
        challenge.insert("www-authenticate", HeaderValue::from_static(CHALLENGE));
        let allowance = crate::auth::scheme::Allowance {
            retry: true,
            renew: true,
        };
        digest.refused("createWidget", &challenge, None, allowance).unwrap();
        let transport = transport();
        let (sent, _) = transport
            .attempt(&request(), &url(), Some(&digest), &call(&transport.retry))
            .await
            .unwrap();
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
