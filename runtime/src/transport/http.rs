//! The connections calls go over: the runtime's own `reqwest::Client`, or
//! the app's ([`ClientBuilder::http_client`](super::builder::ClientBuilder::http_client)),
//! and which of them carries a given URL.

use crate::error::Error;
use std::time::Duration;
use url::Url;

/// The HTTP clients of one runtime client (clones share their pools).
#[derive(Debug, Clone)]
pub(crate) struct Http {
    /// What requests go over: the app's client, or the runtime's own.
    main: reqwest::Client,
    /// Plain-http URLs go over this one instead, when `main` is the app's
    /// and insecure http was not allowed: the runtime's own, with no proxy
    /// and no redirects, so a credential for a loopback base never travels
    /// in clear to a proxy the app's client knows.
    direct: Option<reqwest::Client>,
}

/// The settings of a client the runtime builds itself.
pub(crate) struct Own<'a> {
    pub(crate) user_agent: &'a str,
    pub(crate) connect_timeout: Duration,
    pub(crate) allow_insecure_http: bool,
}

impl Http {
    pub(crate) fn new(main: reqwest::Client, direct: Option<reqwest::Client>) -> Self {
        Http { main, direct }
    }

    /// The runtime's own client, by `own`'s settings and the proxies of
    /// the environment.
    pub(crate) fn own(own: &Own<'_>) -> Result<Self, Error> {
        Ok(Http::new(build(own, own.allow_insecure_http)?, None))
    }

    /// The app's `client`; and when `plain_http` (a configured URL is plain
    /// http) and insecure http is not allowed, a direct client of the
    /// runtime's own for those URLs.
    pub(crate) fn app(client: reqwest::Client, own: &Own<'_>, plain_http: bool) -> Result<Self, Error> {
        let direct = if plain_http && !own.allow_insecure_http {
            Some(build(own, false)?)
        } else {
            None
        };
        Ok(Http::new(client, direct))
    }

    /// The client that carries a request to `url`.
    pub(crate) fn for_url(&self, url: &Url) -> &reqwest::Client {
        match &self.direct {
            Some(direct) if url.scheme() == "http" => direct,
            _ => &self.main,
        }
    }
}

/// A client of the runtime's own: its user agent and connect timeout,
/// redirects left to the exchange loop (followed only within the origin),
/// proxies by [`with_proxies`]. The exchange timeout is set per request.
fn build(own: &Own<'_>, plain_http_proxy: bool) -> Result<reqwest::Client, Error> {
    let http = reqwest::Client::builder()
        .user_agent(own.user_agent)
        .connect_timeout(own.connect_timeout)
        .redirect(reqwest::redirect::Policy::none());
    with_proxies(http, plain_http_proxy)?
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
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
