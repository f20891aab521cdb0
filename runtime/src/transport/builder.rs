//! Configuration: credentials, retry policy, timeouts, caps, the app's
//! own HTTP client and hooks, and the builder that checks them and makes a
//! client of them (through [`FromParts`]: this file names no client type).

use super::body::DEFAULT_MAX_RESPONSE_BYTES;
use super::exchange::Transport;
use super::http::{Http, Own};
use super::intercept::{Interceptor, Interceptors};
use super::parts::{FromParts, Parts};
use super::route::{checked_url, Route};
use crate::auth::credentials::{Credentials, Setup};
use crate::auth::oauth::DEFAULT_TOKEN_TIMEOUT;
use crate::call::retry_policy::RetryPolicy;
use crate::error::Error;
use crate::features::record::Recorder;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

/// Where Atlas lives unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";
const USER_AGENT: &str = concat!("atlas-admin-rs/", env!("CARGO_PKG_VERSION"));
/// The bound on one request's call (retries and auth rounds included)
/// when no deadline is set, on the client or the call.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(180);
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
    /// Set by the app (else [`DEFAULT_DEADLINE`] for a request).
    deadline: Option<Duration>,
    max_response_bytes: usize,
    strict: bool,
    record_to: Option<std::path::PathBuf>,
    retry: RetryPolicy,
    user_agent: String,
    allow_insecure_http: bool,
    /// The app's own client, if it brought one.
    http_client: Option<reqwest::Client>,
    interceptors: Interceptors,
}

/// Builds a client. Start from `Client::builder()`.
///
/// `C` is the client type that [`build`](Self::build) returns: this
/// crate's `Client`, or the `Client` of a generated crate (which wraps
/// this one and adds a method per tag).
pub struct ClientBuilder<C> {
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
                deadline: None,
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
                strict: false,
                record_to: None,
                retry: RetryPolicy::default(),
                user_agent: USER_AGENT.to_string(),
                allow_insecure_http: false,
                http_client: None,
                interceptors: Interceptors::default(),
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

    /// The longest connecting may take (default 10 s). Not applied to a
    /// client given with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// The longest one HTTP exchange may take, from sending to the last byte
    /// (default 60 s); set on each request, so it holds with a client given
    /// with [`http_client`](Self::http_client) too. A call may set its own
    /// (a request builder's `.timeout(..)`).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// The longest one service-account token request may take (default 10 s).
    pub fn token_timeout(mut self, timeout: Duration) -> Self {
        self.config.token_timeout = timeout;
        self
    }

    /// The longest a whole call may take, from start to result: every
    /// retry and its wait, token fetches (a 429 of the token endpoint
    /// waited out) and digest rounds; for a `send_and_wait()`, the first
    /// request and every poll, whichever ends first, this or the
    /// `WaitPolicy`'s timeout. When it passes, the call ends with
    /// [`Error::DeadlineExceeded`]. A retry whose wait would pass it is not
    /// made; the last answer is returned instead. A call may set its own (a
    /// request builder's `.deadline(..)`).
    ///
    /// Unset, a request's call gets [`DEFAULT_DEADLINE`] (180 s), and a
    /// `send_and_wait()` is bounded by its `WaitPolicy` alone (each of its
    /// requests by 180 s).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.config.deadline = Some(deadline);
        self
    }

    /// The largest success body read (default 32 MiB, see
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]).
    /// A larger answer is [`Error::ResponseTooLarge`]; reading stops at the
    /// cap. Error bodies and token answers are capped at 64 KiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = limit;
        self
    }

    /// Strict answers: an answer that differs from the spec (a required
    /// field absent, `null` where not nullable, an unknown property or
    /// enum value, an undocumented 2xx status, a body on a status
    /// documented as empty) is [`Error::Deviation`]
    /// instead of a [`Response`](crate::Response) that lists its
    /// [`deviations`](crate::Response::deviations). Off by default: for a
    /// CI that wants to catch drift between the spec and Atlas.
    pub fn strict(mut self, strict: bool) -> Self {
        self.config.strict = strict;
        self
    }

    /// Records every call into `dir` (created if needed): the request as
    /// sent and the answer it got, one JSON file a call, secrets scrubbed
    /// first (see [`crate::record`]). For tests: replay the folder with the
    /// fake (`FakeAtlasBuilder::replay`). A file that cannot be written
    /// fails the call with [`Error::Config`].
    pub fn record_to(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.config.record_to = Some(dir.into());
        self
    }

    /// Which failures are tried again (default [`RetryPolicy::default`]);
    /// a call may set its own (a request builder's `.retry_policy(..)`).
    /// A service account's token request waits out a 429 or 503 by it too.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.config.retry = retry;
        self
    }

    /// Replaces the default `atlas-admin-rs/<version>` user agent. Not
    /// applied to a client given with [`http_client`](Self::http_client).
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

    /// Sends over the app's own `reqwest::Client`: its TLS roots, DNS
    /// resolver, connection pool and proxies. Then
    /// [`connect_timeout`](Self::connect_timeout),
    /// [`user_agent`](Self::user_agent) and the proxy variables of the
    /// environment are the client's business, not applied here;
    /// [`timeout`](Self::timeout) (and a call's own) is still applied to
    /// each request, and credentials still go only to their origin.
    ///
    /// Give it `redirect(reqwest::redirect::Policy::none())`: the runtime
    /// follows redirects itself, within the origin. A client that follows
    /// one to another origin drops the credentials on the way (reqwest
    /// does), and the call ends with [`Error::Redirect`].
    ///
    /// A plain-http URL (loopback, such as the fake) is not sent over it
    /// unless [`allow_insecure_http`](Self::allow_insecure_http): its
    /// proxies would see the credentials in clear. The runtime's own
    /// connections, without a proxy, carry it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.config.http_client = Some(client);
        self
    }

    /// Registers a hook that sees every attempt's request (credentials
    /// masked; it may add headers) and every answer's head: see
    /// [`Interceptor`]. Several may be registered; they run in that order.
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.config.interceptors.push(Arc::new(interceptor));
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
        C: FromParts,
    {
        self.config.parts().map(C::from_parts)
    }
}

impl Config {
    /// The checked settings a client is made of.
    fn parts(&self) -> Result<Parts, Error> {
        let atlas = self.atlas_route()?;
        let cloud_manager = match &self.ops_manager_url {
            None => Route {
                url: atlas.url.clone(),
                auth: atlas.auth.clone(),
            },
            Some(raw) => self.cloud_manager_route(raw, &atlas)?,
        };
        let own = Own {
            user_agent: &self.user_agent,
            connect_timeout: self.connect_timeout,
            allow_insecure_http: self.allow_insecure_http,
        };
        let http = match &self.http_client {
            None => Http::own(&own)?,
            Some(app) => {
                let token_url = self.token_url.as_deref().and_then(|t| Url::parse(t).ok());
                let plain = [Some(&atlas.url), Some(&cloud_manager.url), token_url.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|url| url.scheme() == "http");
                Http::app(app.clone(), &own, plain)?
            }
        };
        let recorder = match &self.record_to {
            Some(dir) => Some(Recorder::new(dir).map_err(Error::Config)?),
            None => None,
        };
        Ok(Parts {
            transport: Transport {
                http,
                retry: self.retry.clone(),
                timeout: self.timeout,
                max_response_bytes: self.max_response_bytes,
                interceptors: self.interceptors.clone(),
            },
            atlas,
            cloud_manager,
            deadline: self.deadline,
            strict: self.strict,
            recorder,
            warned: Mutex::new(BTreeSet::new()),
        })
    }

    /// Where a scheme for `base` is set up; `reused`: with the Atlas
    /// credentials at another origin.
    fn setup<'a>(&'a self, base: &'a Url, token_url: Option<&'a str>, reused: bool) -> Setup<'a> {
        Setup {
            base,
            token_url,
            token_timeout: self.token_timeout,
            token_retry: &self.retry,
            allow_insecure_http: self.allow_insecure_http,
            reused,
        }
    }

    /// The Atlas base URL and its credentials' scheme.
    fn atlas_route(&self) -> Result<Route, Error> {
        let url = checked_url(
            "base URL",
            &self.base_url,
            self.credentials.is_some(),
            self.allow_insecure_http,
        )?;
        let auth = self
            .credentials
            .scheme(&self.setup(&url, self.token_url.as_deref(), false))?;
        Ok(Route { url, auth })
    }

    /// The Cloud Manager route at `raw`: its own credentials if set; else
    /// the Atlas scheme where the origin is the same (one digest session,
    /// one token); else the Atlas credentials in a scheme of their own (no
    /// nonce of one host is answered to the other), which a service
    /// account refuses: its token is never sent to another origin.
    fn cloud_manager_route(&self, raw: &str, atlas: &Route) -> Result<Route, Error> {
        let own = self.ops_manager_credentials.as_ref();
        let creds = own.unwrap_or(&self.credentials);
        let url = checked_url("Ops Manager URL", raw, creds.is_some(), self.allow_insecure_http)?;
        let auth = match own {
            Some(own) => own.scheme(&self.setup(&url, None, false))?,
            None if url.origin() == atlas.url.origin() => atlas.auth.clone(),
            None => self.credentials.scheme(&self.setup(&url, None, true))?,
        };
        Ok(Route { url, auth })
    }
}
