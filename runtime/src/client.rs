//! `Client`: the exchange loop around one `reqwest::Client`:
//! authentication, digest challenges, redirects within the origin, retries,
//! the per-call deadline, envelopes and version checks.

use super::answer::{decode, error_from, retry_after, unwrap_envelope, Raw};
use super::body::{read_capped, ReadError, ERROR_BODY_LIMIT};
use super::deviation::{self, DeviationKind};
use super::digest::{pick_digest, DigestAuth};
use super::error::Excerpt;
use super::oauth::OAuth;
use super::request::{Base, Endpoint, Request};
use super::retry::RetryPolicy;
use super::{Error, Response};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;

/// Same-origin redirects followed in one call at the most.
const MAX_REDIRECTS: u32 = 5;
/// `stale=true` digest challenges taken in one call at the most.
const MAX_STALE_REFRESHES: u32 = 3;

#[derive(Debug)]
pub(crate) enum Auth {
    None,
    Digest(DigestAuth),
    OAuth(OAuth),
}

/// A base URL and the authentication meant for it.
#[derive(Debug)]
pub(crate) struct Route {
    pub(crate) url: Url,
    pub(crate) auth: Arc<Auth>,
}

/// A client for the Atlas Administration API. Cheap to clone; clones share
/// connections, the digest nonce and the service-account token.
///
/// Operations hang off one method per tag, e.g.
/// `client.cloud_migration_service().create_link_token(org_id, body).send().await`.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) atlas: Route,
    pub(crate) cloud_manager: Route,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) max_response_bytes: usize,
    /// Deviations from the spec are errors ([`Error::Deviation`]).
    pub(crate) strict: bool,
    /// Writes every call's exchange, when recording.
    pub(crate) recorder: Option<super::record::Recorder>,
    /// (operation, media type, kind of warning) already logged.
    pub(crate) warned: Mutex<BTreeSet<(&'static str, &'static str, &'static str)>>,
}

/// The future a generated `send()` returns: nothing is sent until it is
/// first polled. A named, boxed type keeps generated crates free of one
/// `async` state machine per operation version (cheaper to type-check);
/// the box is one allocation per call.
pub type SendFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

impl Client {
    /// [`Self::send_json`] of `request` as a [`SendFuture`], or the error
    /// that building it met (then nothing is sent). Generated `send()`
    /// calls this.
    #[doc(hidden)]
    pub fn call_json<'a, T>(&'a self, request: Result<Request, Error>) -> SendFuture<'a, Response<T>>
    where
        T: serde::de::DeserializeOwned + Send + 'a,
    {
        Box::pin(async move { self.send_json(request?).await })
    }

    /// [`Self::send_bytes`] as a [`SendFuture`] (see [`Self::call_json`]).
    #[doc(hidden)]
    pub fn call_bytes(&self, request: Result<Request, Error>) -> SendFuture<'_, Response<Vec<u8>>> {
        Box::pin(async move { self.send_bytes(request?).await })
    }

    /// [`Self::send_empty`] as a [`SendFuture`] (see [`Self::call_json`]).
    #[doc(hidden)]
    pub fn call_empty(&self, request: Result<Request, Error>) -> SendFuture<'_, Response<()>> {
        Box::pin(async move { self.send_empty(request?).await })
    }

    /// Sends a request whose success response has a JSON body. The body is
    /// decoded leniently (see [`crate::Deviation`]): what differs from the
    /// spec is on the response, or an error when the client is strict.
    pub async fn send_json<T: serde::de::DeserializeOwned>(&self, request: Request) -> Result<Response<T>, Error> {
        let endpoint = request.endpoint;
        let (raw, deprecation, sunset) = self.send_checked(&request).await?;
        let mut deviations = status_deviation(endpoint, raw.status);
        let (decoded, found) = deviation::gathering(|| decode::<T>(&raw.body));
        let decoded = decoded.map_err(|(path, reason)| Error::Decode {
            operation: endpoint.operation_id,
            status: raw.status,
            path,
            reason,
            excerpt: Excerpt::new(raw.status, &raw.body),
        })?;
        deviations.extend(found);
        self.answer(endpoint, raw, decoded, deprecation, sunset, deviations)
    }

    /// Sends a request whose success response is raw bytes (CSV, gzip).
    pub async fn send_bytes(&self, request: Request) -> Result<Response<Vec<u8>>, Error> {
        let endpoint = request.endpoint;
        let (mut raw, deprecation, sunset) = self.send_checked(&request).await?;
        let deviations = status_deviation(endpoint, raw.status);
        // The value is the body: the response keeps no second copy.
        let value = std::mem::take(&mut raw.body).to_vec();
        self.answer(endpoint, raw, value, deprecation, sunset, deviations)
    }

    /// Sends a request whose success response has no body. A body Atlas
    /// sends anyway is not read as a value, and is a deviation.
    pub async fn send_empty(&self, request: Request) -> Result<Response<()>, Error> {
        let endpoint = request.endpoint;
        let (raw, deprecation, sunset) = self.send_checked(&request).await?;
        let mut deviations = status_deviation(endpoint, raw.status);
        if !raw.body.is_empty() {
            deviations.push(deviation::of_answer(
                DeviationKind::BodyOnEmptyStatus,
                format!("{} bytes on status {}", raw.body.len(), raw.status),
            ));
        }
        self.answer(endpoint, raw, (), deprecation, sunset, deviations)
    }

    /// The response, or (strict) the error its deviations make; each
    /// deviation logged once per operation and version.
    fn answer<T>(
        &self,
        endpoint: &'static Endpoint,
        raw: Raw,
        value: T,
        deprecation: Option<String>,
        sunset: Option<String>,
        deviations: Vec<crate::Deviation>,
    ) -> Result<Response<T>, Error> {
        let version = crate::request::version_label(endpoint.accept);
        if self.inner.strict && !deviations.is_empty() {
            return Err(Error::Deviation {
                operation: endpoint.operation_id,
                version,
                status: raw.status,
                deviations,
            });
        }
        for d in &deviations {
            deviation::warn_once(Some((endpoint.operation_id, version)), d.clone());
        }
        Ok(Response {
            status: raw.status,
            headers: raw.headers,
            value,
            deprecation,
            sunset,
            deviations,
            body: raw.body,
        })
    }

    /// [`Self::checked`] inside the call's tracing span: `atlas_call`, with
    /// `otel.name` and `operation_id` naming the operation, its version,
    /// method and path template; then the attempts, the final status, the
    /// `errorCode` and the time taken. Retries, digest challenges, token
    /// fetches and deprecation warnings are events inside it. No field
    /// holds a credential or a body.
    async fn send_checked(&self, request: &Request) -> Result<(Raw, Option<String>, Option<String>), Error> {
        use tracing::field::Empty;
        use tracing::Instrument as _;
        let endpoint = request.endpoint;
        let span = tracing::info_span!(
            "atlas_call",
            otel.name = endpoint.operation_id,
            operation_id = endpoint.operation_id,
            version = endpoint.accept,
            method = endpoint.method.as_str(),
            path = endpoint.path_template,
            attempts = Empty,
            status = Empty,
            error_code = Empty,
            elapsed_ms = Empty,
        );
        let started = Instant::now();
        let result = self.checked(request).instrument(span.clone()).await;
        match &result {
            Ok((raw, _, _)) => {
                span.record("status", raw.status);
            }
            Err(e) => {
                if let Some(status) = e.status() {
                    span.record("status", status);
                }
                if let Some(code) = e.error_code() {
                    span.record("error_code", super::escape::escape(code).as_str());
                }
            }
        }
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        result
    }

    /// Sends within the call's deadline, turns error statuses into errors
    /// and checks the version of the answer.
    async fn checked(&self, request: &Request) -> Result<(Raw, Option<String>, Option<String>), Error> {
        let endpoint = request.endpoint;
        let operation = endpoint.operation_id;
        if let Some(sunset) = endpoint.sunset {
            if super::sunset::has_passed(sunset, std::time::SystemTime::now()) {
                self.warn_once(endpoint, "past-sunset", || {
                    tracing::warn!(
                        operation,
                        version = endpoint.accept,
                        sunset,
                        newer = %endpoint.newer.join(", "),
                        "this resource version is past its sunset date; Atlas may answer 410 VERSION_GONE: call a newer version"
                    )
                });
            }
        }
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + self.inner.deadline;
        let raw = match tokio::time::timeout_at(deadline, self.execute(request, deadline)).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(Error::Timeout {
                    operation,
                    elapsed: started.elapsed(),
                })
            }
        };
        if let Some(recorder) = &self.inner.recorder {
            self.record(recorder, request, &raw)?;
        }
        if !(200..300).contains(&raw.status) {
            return Err(error_from(endpoint, &raw));
        }
        if let Some(received) = raw.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
            let received = received.split(';').next().unwrap_or("").trim();
            if received.starts_with("application/vnd.atlas.") && !received.eq_ignore_ascii_case(endpoint.accept) {
                return Err(Error::VersionMismatch {
                    operation,
                    sent: endpoint.accept,
                    received: received.to_string(),
                });
            }
        }
        let header = |name: &str| raw.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let deprecation = header("deprecation");
        let sunset = header("sunset");
        if deprecation.is_some() || sunset.is_some() {
            self.warn_once(endpoint, "deprecated", || {
                tracing::warn!(
                    operation,
                    version = endpoint.accept,
                    deprecation = deprecation.as_deref().unwrap_or(""),
                    sunset = sunset.as_deref().unwrap_or(""),
                    "this resource version is deprecated; move to a newer version before its sunset"
                )
            });
        }
        Ok((raw, deprecation, sunset))
    }

    /// Writes one call's exchange (secrets scrubbed by the recorder).
    fn record(&self, recorder: &super::record::Recorder, request: &Request, raw: &Raw) -> Result<(), Error> {
        let endpoint = request.endpoint;
        let url = self.url(request)?;
        let mut request_headers = vec![("accept", endpoint.accept)];
        if let (Some(ct), Some(_)) = (endpoint.content_type, &request.body) {
            request_headers.push(("content-type", ct));
        }
        request_headers.extend(request.headers.iter().map(|(k, v)| (*k, v.as_str())));
        recorder
            .write(&super::record::Exchange {
                operation: endpoint.operation_id,
                version: super::request::version_label(endpoint.accept),
                method: endpoint.method.as_str(),
                path: url.path(),
                query: url.query(),
                request_headers,
                request_body: request.body.as_deref(),
                status: raw.status,
                response_headers: &raw.headers,
                response_body: &raw.body,
            })
            .map(|_| ())
            .map_err(Error::Config)
    }

    /// Runs `warn` the first time `kind` happens for this operation version.
    fn warn_once(&self, endpoint: &Endpoint, kind: &'static str, warn: impl FnOnce()) {
        let first = self.inner.warned.lock().unwrap_or_else(|p| p.into_inner()).insert((
            endpoint.operation_id,
            endpoint.accept,
            kind,
        ));
        if first {
            warn();
        }
    }

    fn route(&self, base: Base) -> &Route {
        match base {
            Base::Atlas => &self.inner.atlas,
            Base::CloudManager => &self.inner.cloud_manager,
        }
    }

    /// The request URL, parsed once: the base, the encoded path and the query.
    fn url(&self, request: &Request) -> Result<Url, Error> {
        let base = self.route(request.endpoint.base).url.as_str().trim_end_matches('/');
        let mut url = String::with_capacity(base.len() + request.path.len() + 16 * request.query.len());
        url.push_str(base);
        url.push_str(&request.path);
        if !request.query.is_empty() {
            url.push('?');
            let start = url.len();
            let mut query = url::form_urlencoded::Serializer::for_suffix(url, start);
            query.extend_pairs(request.query.iter().map(|(k, v)| (*k, v.as_str())));
            url = query.finish();
        }
        Url::parse(&url).map_err(|e| Error::InvalidParameter {
            operation: request.endpoint.operation_id,
            parameter: "(path)",
            reason: format!("the request URL cannot be built: {e}"),
        })
    }

    /// The exchange loop: authentication, challenges, redirects within the
    /// origin, retries. Reads at most the configured cap of any body.
    async fn execute(&self, request: &Request, deadline: tokio::time::Instant) -> Result<Raw, Error> {
        let endpoint = request.endpoint;
        let operation = endpoint.operation_id;
        let route = self.route(endpoint.base);
        let mut url = self.url(request)?;
        let method = endpoint.method;
        let mut retries = 0;
        let mut auth_retried = false;
        let mut stale_refreshes = 0;
        let mut redirects = 0;
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            tracing::Span::current().record("attempts", attempts);
            let mut builder = self
                .inner
                .http
                .request(method.to_reqwest(), url.clone())
                .header(ACCEPT, HeaderValue::from_static(endpoint.accept));
            for (name, value) in &request.headers {
                builder = builder.header(*name, value);
            }
            if let Some(body) = &request.body {
                let content_type = endpoint.content_type.unwrap_or("application/json");
                builder = builder.header(CONTENT_TYPE, content_type).body(body.clone());
            }
            let mut bearer = None;
            match &*route.auth {
                Auth::None => {}
                Auth::Digest(digest) => {
                    if let Some(h) = digest.header(method.as_str(), &request_target(&url)) {
                        builder = builder.header(AUTHORIZATION, sensitive(&h)?);
                    }
                }
                Auth::OAuth(oauth) => {
                    let token = oauth.token(&self.inner.http, operation).await?;
                    builder = builder.header(AUTHORIZATION, sensitive(&format!("Bearer {}", token.expose()))?);
                    bearer = Some(token);
                }
            }
            let started = Instant::now();
            tracing::debug!(operation, method = method.as_str(), url = %url, accept = endpoint.accept, "sending");
            let mut response = match builder.send().await {
                Ok(r) => r,
                Err(e) if e.is_connect() && retries < self.inner.retry.max_retries => {
                    // Nothing reached the server: safe to retry for any method.
                    let wait = self.inner.retry.backoff(retries);
                    if tokio::time::Instant::now() + wait >= deadline {
                        return Err(Error::Transport { operation, source: e });
                    }
                    retries += 1;
                    tracing::debug!(operation, error = %e, ?wait, "connection failed; retrying");
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Err(e) if e.is_timeout() => {
                    return Err(Error::Timeout {
                        operation,
                        elapsed: started.elapsed(),
                    })
                }
                Err(source) => return Err(Error::Transport { operation, source }),
            };
            let status = response.status().as_u16();

            if (300..400).contains(&status) && status != 304 {
                let location = response
                    .headers()
                    .get(LOCATION)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .unwrap_or_default();
                let verdict = redirect_verdict(&url, &location, status, method, redirects);
                if let Ok(next) = verdict {
                    let _ = read_capped(&mut response, ERROR_BODY_LIMIT).await;
                    tracing::debug!(operation, status, location = %next, "following a redirect within the origin");
                    url = next;
                    redirects += 1;
                    continue;
                }
                let why = verdict.err().unwrap_or("");
                return Err(Error::Redirect {
                    operation,
                    status,
                    location,
                    why,
                });
            }

            let headers = std::mem::take(response.headers_mut());
            if status == 401 {
                match &*route.auth {
                    Auth::Digest(digest) => {
                        let offered = headers
                            .get_all(WWW_AUTHENTICATE)
                            .iter()
                            .map(|v| std::str::from_utf8(v.as_bytes()).unwrap_or(""));
                        let retry = match pick_digest(offered) {
                            // A stale nonce: the key was fine. Refresh without
                            // using up the one retry (a few times per call).
                            Ok(c) if c.stale && digest.has_session() && stale_refreshes < MAX_STALE_REFRESHES => {
                                stale_refreshes += 1;
                                tracing::debug!(
                                    operation,
                                    algorithm = c.algorithm_name(),
                                    "digest nonce is stale; answering the new one"
                                );
                                digest.accept(c);
                                true
                            }
                            Ok(c) if !auth_retried => {
                                auth_retried = true;
                                tracing::debug!(
                                    operation,
                                    algorithm = c.algorithm_name(),
                                    "digest challenge; answering it"
                                );
                                digest.accept(c);
                                true
                            }
                            Ok(_) => false,
                            // Challenged, but not in a way we can answer.
                            Err(reason) if !auth_retried && headers.contains_key(WWW_AUTHENTICATE) => {
                                return Err(Error::Auth { operation, reason })
                            }
                            Err(_) => false,
                        };
                        if retry {
                            let _ = read_capped(&mut response, ERROR_BODY_LIMIT).await;
                            continue;
                        }
                    }
                    Auth::OAuth(oauth) if !auth_retried => {
                        if let Some(used) = &bearer {
                            tracing::debug!(operation, "bearer token refused; fetching a new one");
                            oauth.invalidate(used);
                            auth_retried = true;
                            let _ = read_capped(&mut response, ERROR_BODY_LIMIT).await;
                            continue;
                        }
                    }
                    _ => {}
                }
            }

            let limit = if (200..300).contains(&status) {
                self.inner.max_response_bytes
            } else {
                ERROR_BODY_LIMIT
            };
            let body = match read_capped(&mut response, limit).await {
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
            let mut raw = Raw { status, headers, body };
            if request.envelope {
                // Before the retry decision: a 429 or 503 inside an
                // envelope is retried like one without.
                unwrap_envelope(&mut raw);
            }

            if (raw.status == 429 || raw.status == 503)
                && method.is_idempotent()
                && retries < self.inner.retry.max_retries
            {
                let wait = retry_after(&raw.headers)
                    .unwrap_or_else(|| self.inner.retry.backoff(retries))
                    .min(self.inner.retry.max_delay);
                if tokio::time::Instant::now() + wait >= deadline {
                    // Waiting would pass the deadline: the caller gets the
                    // answer (with its Retry-After) now.
                    return Ok(raw);
                }
                retries += 1;
                tracing::debug!(
                    operation,
                    status = raw.status,
                    ?wait,
                    retry = retries,
                    "rate limited or unavailable; retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok(raw);
        }
    }
}

/// Whether a redirect from `from` to `location` is followed: only within
/// the origin (same scheme, host and port: never https to http), only 307
/// and 308 for a method with a body (301/302/303 for safe methods), and at
/// most [`MAX_REDIRECTS`] times. `Err` says why not.
fn redirect_verdict(
    from: &Url,
    location: &str,
    status: u16,
    method: super::Method,
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

/// A 2xx status the operation does not document, as a deviation.
fn status_deviation(endpoint: &Endpoint, status: u16) -> Vec<crate::Deviation> {
    if endpoint.statuses.is_empty() || endpoint.statuses.contains(&status) {
        return Vec::new();
    }
    let listed: Vec<String> = endpoint.statuses.iter().map(u16::to_string).collect();
    vec![deviation::of_answer(
        DeviationKind::UndocumentedStatus,
        format!("{status} (documented: {})", listed.join(", ")),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Method;

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
}
