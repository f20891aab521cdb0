//! `Client`: configuration, authentication, retries and decoding around one
//! `reqwest::Client`.

use super::digest::{Challenge, DigestAuth};
use super::oauth::OAuth;
use super::request::{Base, Request};
use super::{ApiError, Error, Response, Secret};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use url::Url;

/// Where Atlas lives unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";
const USER_AGENT: &str = concat!("atlas-admin-rs/", env!("CARGO_PKG_VERSION"));

/// How the client proves who it is.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Credentials {
    /// An API key pair, sent with HTTP Digest.
    ApiKey { public_key: String, private_key: Secret },
    /// A service account: OAuth 2.0 client credentials for bearer tokens.
    ServiceAccount { client_id: String, client_secret: Secret },
    /// No authentication (for tests against servers that need none).
    None,
}

impl Credentials {
    pub fn api_key(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Credentials::ApiKey {
            public_key: public_key.into(),
            private_key: Secret::new(private_key),
        }
    }

    pub fn service_account(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credentials::ServiceAccount {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
        }
    }
}

/// Which failures are tried again, how often and how patiently.
///
/// 429 and 503 answers are retried for idempotent methods (GET, PUT,
/// DELETE, ...), waiting as long as `Retry-After` says or else an exponential
/// backoff with full jitter. POST and PATCH are never sent again once they
/// reached the server. A connection that failed before the request was sent
/// is retried for every method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retries.
    pub max_retries: u32,
    /// The first backoff step; doubled per attempt.
    pub base_delay: Duration,
    /// No single wait is longer than this, whatever `Retry-After` says.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Builds a [`Client`]. Start from [`Client::builder`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    base_url: String,
    ops_manager_url: Option<String>,
    token_url: Option<String>,
    credentials: Credentials,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    allow_insecure_http: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_string(),
            ops_manager_url: None,
            token_url: None,
            credentials: Credentials::None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            user_agent: USER_AGENT.to_string(),
            allow_insecure_http: false,
        }
    }
}

impl ClientBuilder {
    /// The Atlas base URL (default `https://cloud.mongodb.com`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The Cloud Manager / Ops Manager base URL for `/api/public/v1.0`
    /// operations (default: the Atlas base URL). Ops Manager is self-hosted.
    pub fn ops_manager_url(mut self, url: impl Into<String>) -> Self {
        self.ops_manager_url = Some(url.into());
        self
    }

    /// The OAuth token endpoint (default: `/api/oauth/token` on the Atlas base URL).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Shorthand for [`Credentials::api_key`].
    pub fn api_key(self, public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        self.credentials(Credentials::api_key(public_key, private_key))
    }

    /// Shorthand for [`Credentials::service_account`].
    pub fn service_account(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials(Credentials::service_account(client_id, client_secret))
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest one HTTP exchange may take, from sending to the last byte.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the default `atlas-admin-rs/<version>` user agent.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Allows credentials over plain `http://` to hosts other than loopback.
    /// Off by default: only `https://` and `http://127.0.0.1`-style URLs work.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Reads the configuration from environment variables: an API key pair
    /// (`MONGODB_ATLAS_PUBLIC_API_KEY`, `MONGODB_ATLAS_PRIVATE_API_KEY`) or a
    /// service account (`MONGODB_ATLAS_CLIENT_ID`, `MONGODB_ATLAS_CLIENT_SECRET`),
    /// and optionally `MONGODB_ATLAS_BASE_URL` and `MONGODB_ATLAS_OPS_MANAGER_URL`.
    pub fn from_env(self) -> Result<Self, Error> {
        self.from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with another source of variables.
    pub fn from_lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let public = get("MONGODB_ATLAS_PUBLIC_API_KEY");
        let private = get("MONGODB_ATLAS_PRIVATE_API_KEY");
        let id = get("MONGODB_ATLAS_CLIENT_ID");
        let secret = get("MONGODB_ATLAS_CLIENT_SECRET");
        let has_key = public.is_some() || private.is_some();
        let has_account = id.is_some() || secret.is_some();
        self.credentials = match (has_key, has_account) {
            (true, true) => {
                return Err(Error::Config(
                    "both an API key (MONGODB_ATLAS_PUBLIC_API_KEY/MONGODB_ATLAS_PRIVATE_API_KEY) and a service \
                     account (MONGODB_ATLAS_CLIENT_ID/MONGODB_ATLAS_CLIENT_SECRET) are set; set only one"
                        .into(),
                ))
            }
            (true, false) => match (public, private) {
                (Some(p), Some(s)) => Credentials::api_key(p, s),
                (None, _) => return Err(Error::Config("MONGODB_ATLAS_PUBLIC_API_KEY is not set".into())),
                (_, None) => return Err(Error::Config("MONGODB_ATLAS_PRIVATE_API_KEY is not set".into())),
            },
            (false, true) => match (id, secret) {
                (Some(i), Some(s)) => Credentials::service_account(i, s),
                (None, _) => return Err(Error::Config("MONGODB_ATLAS_CLIENT_ID is not set".into())),
                (_, None) => return Err(Error::Config("MONGODB_ATLAS_CLIENT_SECRET is not set".into())),
            },
            (false, false) => {
                return Err(Error::Config(
                    "no credentials: set MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY, or \
                     MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET"
                        .into(),
                ))
            }
        };
        if let Some(url) = get("MONGODB_ATLAS_BASE_URL") {
            self.base_url = url;
        }
        if let Some(url) = get("MONGODB_ATLAS_OPS_MANAGER_URL") {
            self.ops_manager_url = Some(url);
        }
        Ok(self)
    }

    pub fn build(self) -> Result<Client, Error> {
        let has_credentials = !matches!(self.credentials, Credentials::None);
        let parse = |what: &str, raw: &str| -> Result<Url, Error> {
            let url = Url::parse(raw).map_err(|e| Error::Config(format!("{what} {raw:?} is not a URL: {e}")))?;
            match url.scheme() {
                "https" => {}
                "http" if !has_credentials || self.allow_insecure_http || is_loopback(&url) => {}
                "http" => {
                    return Err(Error::Config(format!(
                        "{what} {raw:?} is plain http: credentials would travel unencrypted; use https, \
                         or call allow_insecure_http(true) if you really mean it"
                    )))
                }
                other => {
                    return Err(Error::Config(format!(
                        "{what} {raw:?} has unsupported scheme {other:?}"
                    )))
                }
            }
            Ok(url)
        };
        let atlas = parse("base URL", &self.base_url)?;
        let cloud_manager = match &self.ops_manager_url {
            Some(raw) => parse("Ops Manager URL", raw)?,
            None => atlas.clone(),
        };
        let auth = match self.credentials {
            Credentials::None => Auth::None,
            Credentials::ApiKey {
                public_key,
                private_key,
            } => Auth::Digest(DigestAuth::new(public_key, private_key)),
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => {
                let token_url = match &self.token_url {
                    Some(raw) => parse("token URL", raw)?,
                    None => atlas
                        .join("/api/oauth/token")
                        .map_err(|e| Error::Config(format!("cannot derive the token URL: {e}")))?,
                };
                Auth::OAuth(OAuth::new(client_id, client_secret, token_url))
            }
        };
        let http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                atlas,
                cloud_manager,
                auth,
                retry: self.retry,
                timeout: self.timeout,
                warned: Mutex::new(BTreeSet::new()),
            }),
        })
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[derive(Debug)]
enum Auth {
    None,
    Digest(DigestAuth),
    OAuth(OAuth),
}

/// A client for the Atlas Administration API. Cheap to clone; clones share
/// connections, the digest nonce and the service-account token.
///
/// Operations hang off one method per tag, e.g.
/// `client.cloud_migration_service().create_link_token(org_id, body).send().await`.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    atlas: Url,
    cloud_manager: Url,
    auth: Auth,
    retry: RetryPolicy,
    timeout: Duration,
    /// (operation, media type) pairs already warned about as deprecated.
    warned: Mutex<BTreeSet<(&'static str, &'static str)>>,
}

/// A raw answer, after auth and retries.
struct Raw {
    status: u16,
    headers: HeaderMap,
    body: bytes::Bytes,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// [`ClientBuilder::from_env`] with every other setting at its default.
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().from_env()?.build()
    }

    /// Sends a request whose success response has a JSON body.
    pub async fn send_json<T: serde::de::DeserializeOwned>(&self, request: Request) -> Result<Response<T>, Error> {
        let operation = request.endpoint.operation_id;
        let (raw, deprecation, sunset) = self.send_checked(&request).await?;
        let decoded = serde_json::from_slice::<T>(&raw.body).map_err(|e| Error::Decode {
            operation,
            status: raw.status,
            reason: e.to_string(),
            excerpt: excerpt(&raw.body),
        })?;
        Ok(Response {
            status: raw.status,
            headers: raw.headers,
            value: decoded,
            deprecation,
            sunset,
        })
    }

    /// Sends a request whose success response is raw bytes (CSV, gzip).
    pub async fn send_bytes(&self, request: Request) -> Result<Response<Vec<u8>>, Error> {
        let (raw, deprecation, sunset) = self.send_checked(&request).await?;
        Ok(Response {
            status: raw.status,
            headers: raw.headers,
            value: raw.body.to_vec(),
            deprecation,
            sunset,
        })
    }

    /// Sends a request whose success response has no body.
    pub async fn send_empty(&self, request: Request) -> Result<Response<()>, Error> {
        let (raw, deprecation, sunset) = self.send_checked(&request).await?;
        Ok(Response {
            status: raw.status,
            headers: raw.headers,
            value: (),
            deprecation,
            sunset,
        })
    }

    /// Sends, unwraps an envelope, turns error statuses into errors and
    /// checks the version of the answer.
    async fn send_checked(&self, request: &Request) -> Result<(Raw, Option<String>, Option<String>), Error> {
        let endpoint = request.endpoint;
        let operation = endpoint.operation_id;
        let mut raw = self.execute(request).await?;
        if request.envelope {
            unwrap_envelope(&mut raw);
        }
        if !(200..300).contains(&raw.status) {
            return Err(error_from(operation, endpoint.accept, &raw));
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
            let first = self
                .inner
                .warned
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert((operation, endpoint.accept));
            if first {
                tracing::warn!(
                    operation,
                    version = endpoint.accept,
                    deprecation = deprecation.as_deref().unwrap_or(""),
                    sunset = sunset.as_deref().unwrap_or(""),
                    "this resource version is deprecated; move to a newer version before its sunset"
                );
            }
        }
        Ok((raw, deprecation, sunset))
    }

    /// The request URL as one string: reqwest parses it once, as it would a
    /// URL given by hand.
    fn url(&self, request: &Request) -> String {
        let base = match request.endpoint.base {
            Base::Atlas => &self.inner.atlas,
            Base::CloudManager => &self.inner.cloud_manager,
        };
        let base = base.as_str().trim_end_matches('/');
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
        url
    }

    /// The exchange loop: authentication, challenges and retries.
    async fn execute(&self, request: &Request) -> Result<Raw, Error> {
        let endpoint = request.endpoint;
        let operation = endpoint.operation_id;
        let url = self.url(request);
        // The request-target that digest signs, as the server will see it.
        let uri = || match Url::parse(&url) {
            Ok(u) => match u.query() {
                Some(q) => format!("{}?{q}", u.path()),
                None => u.path().to_string(),
            },
            Err(_) => request.path.clone(),
        };
        let method = endpoint.method;
        let mut retries = 0;
        let mut auth_retried = false;
        loop {
            let mut builder = self
                .inner
                .http
                .request(method.to_reqwest(), url.as_str())
                .header(ACCEPT, HeaderValue::from_static(endpoint.accept));
            for (name, value) in &request.headers {
                builder = builder.header(*name, value);
            }
            if let Some(body) = &request.body {
                let content_type = endpoint.content_type.unwrap_or("application/json");
                builder = builder.header(CONTENT_TYPE, content_type).body(body.clone());
            }
            let mut bearer = None;
            match &self.inner.auth {
                Auth::None => {}
                Auth::Digest(digest) => {
                    if let Some(h) = digest.header(method.as_str(), &uri()) {
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
            tracing::debug!(operation, method = method.as_str(), %url, accept = endpoint.accept, "sending");
            let mut response = match builder.send().await {
                Ok(r) => r,
                Err(e) if e.is_connect() && retries < self.inner.retry.max_retries => {
                    // Nothing reached the server: safe to retry for any method.
                    let wait = self.inner.retry.backoff(retries);
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
            let headers = std::mem::take(response.headers_mut());
            let body = match response.bytes().await {
                Ok(b) => b,
                Err(e) if e.is_timeout() => {
                    return Err(Error::Timeout {
                        operation,
                        elapsed: started.elapsed().max(self.inner.timeout),
                    })
                }
                Err(source) => return Err(Error::Transport { operation, source }),
            };
            tracing::debug!(operation, status, elapsed = ?started.elapsed(), "received");

            if status == 401 && !auth_retried {
                match &self.inner.auth {
                    Auth::Digest(digest) => {
                        if let Some(challenge) = headers.get(WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()) {
                            let challenge =
                                Challenge::parse(challenge).map_err(|reason| Error::Auth { operation, reason })?;
                            digest.accept(challenge);
                            auth_retried = true;
                            continue;
                        }
                    }
                    Auth::OAuth(oauth) => {
                        if let Some(used) = &bearer {
                            oauth.invalidate(used).await;
                            auth_retried = true;
                            continue;
                        }
                    }
                    Auth::None => {}
                }
            }
            if (status == 429 || status == 503) && method.is_idempotent() && retries < self.inner.retry.max_retries {
                let wait = retry_after(&headers)
                    .unwrap_or_else(|| self.inner.retry.backoff(retries))
                    .min(self.inner.retry.max_delay);
                retries += 1;
                tracing::debug!(
                    operation,
                    status,
                    ?wait,
                    retry = retries,
                    "rate limited or unavailable; retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok(Raw { status, headers, body });
        }
    }
}

fn sensitive(value: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::Config("credentials contain characters that cannot go in an HTTP header".into()))?;
    v.set_sensitive(true);
    Ok(v)
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = raw.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(raw).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// `{status, content}` -> the content, with the status it carries.
fn unwrap_envelope(raw: &mut Raw) {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice::<serde_json::Value>(&raw.body) else {
        return;
    };
    let Some(status) = map.get("status").and_then(|s| s.as_u64()) else {
        return;
    };
    let content = map.remove("content").unwrap_or(serde_json::Value::Null);
    raw.status = u16::try_from(status).unwrap_or(raw.status);
    raw.body = match content {
        serde_json::Value::Null => bytes::Bytes::new(),
        content => serde_json::to_vec(&content).unwrap_or_default().into(),
    };
}

/// The start of a body, for error messages: at most 200 characters.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[derive(serde::Deserialize)]
struct ErrorDoc {
    #[serde(default, rename = "errorCode")]
    error_code: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    parameters: Option<Vec<serde_json::Value>>,
}

fn error_from(operation: &'static str, sent: &'static str, raw: &Raw) -> Error {
    let doc: Option<ErrorDoc> = serde_json::from_slice(&raw.body).ok();
    let Some(doc) = doc else {
        return Error::Decode {
            operation,
            status: raw.status,
            reason: "the error response is not an Atlas error document".to_string(),
            excerpt: excerpt(&raw.body),
        };
    };
    let error_code = doc.error_code.unwrap_or_default();
    if (raw.status == 406 && error_code == "INVALID_VERSION_DATE")
        || (raw.status == 410 && error_code == "VERSION_GONE")
    {
        return Error::UnsupportedVersion {
            operation,
            status: raw.status,
            error_code,
            sent,
            detail: doc.detail,
        };
    }
    Error::Api(Box::new(ApiError {
        operation,
        status: raw.status,
        error_code,
        reason: doc.reason,
        detail: doc.detail,
        parameters: doc.parameters.unwrap_or_default(),
        retry_after: retry_after(&raw.headers),
    }))
}
