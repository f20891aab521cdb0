//! `Client`: configuration, authentication, retries and decoding around one
//! `reqwest::Client`.

use super::body::{read_capped, ReadError, DEFAULT_MAX_RESPONSE_BYTES, ERROR_BODY_LIMIT};
use super::digest::{pick_digest, DigestAuth};
use super::error::Excerpt;
use super::escape::scrub_serde_message;
use super::oauth::{OAuth, DEFAULT_TOKEN_TIMEOUT};
use super::request::{Base, Request};
use super::{ApiError, Error, Response, Secret};
use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION, RETRY_AFTER, WWW_AUTHENTICATE,
};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use url::Url;

/// Where Atlas lives unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";
const USER_AGENT: &str = concat!("atlas-admin-rs/", env!("CARGO_PKG_VERSION"));
/// The default bound on a whole call, retries and auth rounds included.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(180);
/// Same-origin redirects followed in one call at the most.
const MAX_REDIRECTS: u32 = 5;
/// `stale=true` digest challenges taken in one call at the most.
const MAX_STALE_REFRESHES: u32 = 3;

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

/// The settings a [`ClientBuilder`] collects.
#[derive(Clone, Debug)]
struct Config {
    base_url: String,
    ops_manager_url: Option<String>,
    token_url: Option<String>,
    credentials: Credentials,
    ops_manager_credentials: Option<Credentials>,
    connect_timeout: Duration,
    timeout: Duration,
    token_timeout: Duration,
    deadline: Duration,
    max_response_bytes: usize,
    retry: RetryPolicy,
    user_agent: String,
    allow_insecure_http: bool,
}

/// Builds a client. Start from `Client::builder()`.
///
/// `C` is the client type that [`build`](Self::build) returns: this
/// crate's [`Client`], or the `Client` of a generated crate (which wraps
/// this one and adds a method per tag).
pub struct ClientBuilder<C = Client> {
    config: Config,
    out: std::marker::PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            config: self.config.clone(),
            out: std::marker::PhantomData,
        }
    }
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ClientBuilder").field(&self.config).finish()
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl<C> ClientBuilder<C> {
    /// Every setting at its default.
    pub fn new() -> Self {
        ClientBuilder {
            out: std::marker::PhantomData,
            config: Config {
                base_url: DEFAULT_BASE_URL.to_string(),
                ops_manager_url: None,
                token_url: None,
                credentials: Credentials::None,
                ops_manager_credentials: None,
                connect_timeout: Duration::from_secs(10),
                timeout: Duration::from_secs(60),
                token_timeout: DEFAULT_TOKEN_TIMEOUT,
                deadline: DEFAULT_DEADLINE,
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
                retry: RetryPolicy::default(),
                user_agent: USER_AGENT.to_string(),
                allow_insecure_http: false,
            },
        }
    }

    /// The Atlas base URL (default `https://cloud.mongodb.com`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config.base_url = url.into();
        self
    }

    /// The Cloud Manager / Ops Manager base URL for `/api/public/v1.0`
    /// operations (default: the Atlas base URL). Ops Manager is self-hosted.
    ///
    /// On another origin than the Atlas base URL it gets its own
    /// credentials ([`ops_manager_credentials`](Self::ops_manager_credentials)),
    /// or else its own digest session with the same API key; a service
    /// account's token is never sent there.
    pub fn ops_manager_url(mut self, url: impl Into<String>) -> Self {
        self.config.ops_manager_url = Some(url.into());
        self
    }

    /// The credentials for the Ops Manager base URL, when they differ from
    /// the Atlas ones (an Ops Manager has its own API keys).
    pub fn ops_manager_credentials(mut self, credentials: Credentials) -> Self {
        self.config.ops_manager_credentials = Some(credentials);
        self
    }

    /// The OAuth token endpoint (default: `/api/oauth/token` on the Atlas base URL).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.config.token_url = Some(url.into());
        self
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = credentials;
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
        self.config.connect_timeout = timeout;
        self
    }

    /// The longest one HTTP exchange may take, from sending to the last byte
    /// (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// The longest one service-account token request may take (default 10 s).
    pub fn token_timeout(mut self, timeout: Duration) -> Self {
        self.config.token_timeout = timeout;
        self
    }

    /// The longest a whole call may take: every retry and its wait, token
    /// fetches and digest rounds (default 180 s). A retry whose wait would
    /// pass the deadline is not made; the last answer is returned instead.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.config.deadline = deadline;
        self
    }

    /// The largest success body read (default 32 MiB, see
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](super::DEFAULT_MAX_RESPONSE_BYTES)).
    /// A larger answer is [`Error::ResponseTooLarge`]; reading stops at the
    /// cap. Error bodies and token answers are capped at 64 KiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = limit;
        self
    }

    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.config.retry = retry;
        self
    }

    /// Replaces the default `atlas-admin-rs/<version>` user agent.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    /// Allows credentials over plain `http://` to hosts other than loopback,
    /// and lets plain-http requests use `HTTP_PROXY`. Off by default: only
    /// `https://` and `http://127.0.0.1`-style URLs work, and plain-http
    /// requests never go through a proxy.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.config.allow_insecure_http = allow;
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
        self.config.credentials = match (has_key, has_account) {
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
            self.config.base_url = url;
        }
        if let Some(url) = get("MONGODB_ATLAS_OPS_MANAGER_URL") {
            self.config.ops_manager_url = Some(url);
        }
        Ok(self)
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<C, Error>
    where
        C: From<Client>,
    {
        self.build_runtime().map(C::from)
    }

    fn build_runtime(self) -> Result<Client, Error> {
        let insecure_ok = self.config.allow_insecure_http;
        let parse = |what: &str, raw: &str, has_credentials: bool| -> Result<Url, Error> {
            let url = Url::parse(raw).map_err(|e| Error::Config(format!("{what} {raw:?} is not a URL: {e}")))?;
            match url.scheme() {
                "https" => {}
                "http" if !has_credentials || insecure_ok || is_loopback(&url) => {}
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
            if url.cannot_be_a_base() || url.host().is_none() {
                return Err(Error::Config(format!("{what} {raw:?} has no host")));
            }
            Ok(url)
        };
        let has = |c: &Credentials| !matches!(c, Credentials::None);
        let atlas = parse("base URL", &self.config.base_url, has(&self.config.credentials))?;
        let token_timeout = self.config.token_timeout;
        let make_auth = |credentials: &Credentials, origin: &Url, token_url: Option<&String>| -> Result<Auth, Error> {
            Ok(match credentials {
                Credentials::None => Auth::None,
                Credentials::ApiKey {
                    public_key,
                    private_key,
                } => Auth::Digest(DigestAuth::new(public_key.clone(), private_key.clone())),
                Credentials::ServiceAccount {
                    client_id,
                    client_secret,
                } => {
                    let token_url = match token_url {
                        Some(raw) => parse("token URL", raw, true)?,
                        None => origin
                            .join("/api/oauth/token")
                            .map_err(|e| Error::Config(format!("cannot derive the token URL: {e}")))?,
                    };
                    Auth::OAuth(OAuth::new(
                        client_id.clone(),
                        client_secret.clone(),
                        token_url,
                        token_timeout,
                    ))
                }
            })
        };
        let atlas_auth = Arc::new(make_auth(
            &self.config.credentials,
            &atlas,
            self.config.token_url.as_ref(),
        )?);
        let cloud_manager = match &self.config.ops_manager_url {
            None => Route {
                url: atlas.clone(),
                auth: atlas_auth.clone(),
            },
            Some(raw) => {
                let creds = self
                    .config
                    .ops_manager_credentials
                    .as_ref()
                    .unwrap_or(&self.config.credentials);
                let url = parse("Ops Manager URL", raw, has(creds))?;
                let auth = match &self.config.ops_manager_credentials {
                    Some(own) => Arc::new(make_auth(own, &url, None)?),
                    None if url.origin() == atlas.origin() => atlas_auth.clone(),
                    None => match &self.config.credentials {
                        Credentials::ServiceAccount { .. } => {
                            return Err(Error::Config(format!(
                                "Ops Manager URL {raw:?} is another origin than the Atlas base URL: a service \
                                 account's token is for Atlas and is never sent there; set \
                                 ops_manager_credentials(..) for it"
                            )))
                        }
                        // The same key pair, but a digest session of its own:
                        // no nonce of one host is answered to the other.
                        other => Arc::new(make_auth(other, &url, None)?),
                    },
                };
                Route { url, auth }
            }
        };
        let http = reqwest::Client::builder()
            .user_agent(self.config.user_agent)
            .connect_timeout(self.config.connect_timeout)
            .timeout(self.config.timeout)
            // Redirects are handled in the exchange loop: followed only
            // within the origin, never across.
            .redirect(reqwest::redirect::Policy::none());
        let http = with_proxies(http, self.config.allow_insecure_http)?
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                atlas: Route {
                    url: atlas,
                    auth: atlas_auth,
                },
                cloud_manager,
                retry: self.config.retry,
                timeout: self.config.timeout,
                deadline: self.config.deadline,
                max_response_bytes: self.config.max_response_bytes,
                warned: Mutex::new(BTreeSet::new()),
            }),
        })
    }
}

/// Proxies from the environment, by the plain-http rule: `https://`
/// requests may use `HTTPS_PROXY`/`ALL_PROXY` (a CONNECT tunnel keeps TLS
/// end to end); plain `http://` requests use `HTTP_PROXY` only when
/// insecure http was allowed, because through a proxy the credentials would
/// travel in clear to a host that is not loopback. `NO_PROXY` is honoured.
fn with_proxies(http: reqwest::ClientBuilder, allow_insecure_http: bool) -> Result<reqwest::ClientBuilder, Error> {
    let env = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
    };
    let bad = |name: &str, e: reqwest::Error| Error::Config(format!("{name} is not a usable proxy URL: {e}"));
    let mut http = http.no_proxy();
    if let Some(p) = env(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]) {
        let proxy = reqwest::Proxy::https(p.as_str()).map_err(|e| bad("HTTPS_PROXY", e))?;
        http = http.proxy(proxy.no_proxy(reqwest::NoProxy::from_env()));
    }
    if allow_insecure_http {
        if let Some(p) = env(&["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]) {
            let proxy = reqwest::Proxy::http(p.as_str()).map_err(|e| bad("HTTP_PROXY", e))?;
            http = http.proxy(proxy.no_proxy(reqwest::NoProxy::from_env()));
        }
    }
    Ok(http)
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

/// A base URL and the authentication meant for it.
#[derive(Debug)]
struct Route {
    url: Url,
    auth: Arc<Auth>,
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
    atlas: Route,
    cloud_manager: Route,
    retry: RetryPolicy,
    timeout: Duration,
    deadline: Duration,
    max_response_bytes: usize,
    /// (operation, media type) pairs already warned about as deprecated.
    warned: Mutex<BTreeSet<(&'static str, &'static str)>>,
}

/// A raw answer, after auth, retries and envelope unwrapping.
struct Raw {
    status: u16,
    headers: HeaderMap,
    body: bytes::Bytes,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// [`ClientBuilder::from_env`] with every other setting at its default.
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().from_env()?.build()
    }

    /// Sends a request whose success response has a JSON body.
    pub async fn send_json<T: serde::de::DeserializeOwned>(&self, request: Request) -> Result<Response<T>, Error> {
        let operation = request.endpoint.operation_id;
        let (raw, deprecation, sunset) = self.send_checked(&request).await?;
        let decoded = decode::<T>(&raw.body).map_err(|(path, reason)| Error::Decode {
            operation,
            status: raw.status,
            path,
            reason,
            excerpt: Excerpt::new(raw.status, &raw.body),
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

    /// Sends within the call's deadline, turns error statuses into errors
    /// and checks the version of the answer.
    async fn send_checked(&self, request: &Request) -> Result<(Raw, Option<String>, Option<String>), Error> {
        let endpoint = request.endpoint;
        let operation = endpoint.operation_id;
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
        loop {
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
                let next = url.join(&location).ok();
                let why = match &next {
                    _ if location.is_empty() => "it has no Location",
                    None => "the Location is not a URL",
                    Some(n) if n.scheme() == "http" && url.scheme() == "https" => "it leaves https for http",
                    Some(n) if n.origin() != url.origin() => "it leads to another origin than the configured base URL",
                    Some(_) if !(status == 307 || status == 308 || (method.is_safe() && status != 300)) => {
                        "only 307 and 308 keep the method and body of this request"
                    }
                    Some(_) if redirects >= MAX_REDIRECTS => "too many redirects",
                    Some(_) => "",
                };
                if let (Some(next), "") = (next, why) {
                    let _ = read_capped(&mut response, ERROR_BODY_LIMIT).await;
                    tracing::debug!(operation, status, location = %next, "following a redirect within the origin");
                    url = next;
                    redirects += 1;
                    continue;
                }
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
                                digest.accept(c);
                                true
                            }
                            Ok(c) if !auth_retried => {
                                auth_retried = true;
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

/// The request-target that digest signs, as the server will see it.
fn request_target(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// Decodes JSON; on failure, where (a field path) and serde's message with
/// quoted values hidden.
fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, (Option<String>, String)> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        (Some(path), scrub_serde_message(&e.into_inner().to_string()))
    })?;
    de.end().map_err(|e| (None, scrub_serde_message(&e.to_string())))?;
    Ok(value)
}

fn sensitive(value: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::Config("credentials contain characters that cannot go in an HTTP header".into()))?;
    v.set_sensitive(true);
    Ok(v)
}

/// `Retry-After` as seconds or as an HTTP date. Never panics; an absurd
/// value is left to the retry policy's `max_delay`.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?)
}

/// The text of a `Retry-After` header as a wait.
#[doc(hidden)]
pub fn parse_retry_after(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
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
    let Ok(status) = u16::try_from(status) else {
        return;
    };
    if !(100..600).contains(&status) {
        return;
    }
    let content = map.remove("content").unwrap_or(serde_json::Value::Null);
    raw.status = status;
    raw.body = match content {
        serde_json::Value::Null => bytes::Bytes::new(),
        content => serde_json::to_vec(&content).unwrap_or_default().into(),
    };
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

/// An error answer as an [`Error`]. Never panics, whatever the body.
#[doc(hidden)]
pub fn error_from_parts(
    operation: &'static str,
    sent: &'static str,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Error {
    let doc: Option<ErrorDoc> = serde_json::from_slice(body).ok();
    let Some(doc) = doc else {
        return Error::Decode {
            operation,
            status,
            path: None,
            reason: "the error response is not an Atlas error document".to_string(),
            excerpt: Excerpt::new(status.max(400), body),
        };
    };
    let error_code = doc.error_code.unwrap_or_default();
    if (status == 406 && error_code == "INVALID_VERSION_DATE") || (status == 410 && error_code == "VERSION_GONE") {
        return Error::UnsupportedVersion {
            operation,
            status,
            error_code,
            sent,
            detail: doc.detail,
        };
    }
    Error::Api(Box::new(ApiError {
        operation,
        status,
        error_code,
        reason: doc.reason,
        detail: doc.detail,
        parameters: doc.parameters.unwrap_or_default(),
        retry_after: retry_after(headers),
    }))
}

fn error_from(operation: &'static str, sent: &'static str, raw: &Raw) -> Error {
    error_from_parts(operation, sent, raw.status, &raw.headers, &raw.body)
}
