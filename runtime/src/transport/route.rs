//! Where calls go: a base URL with the authentication bound to its origin,
//! the URL of one request, and which URLs credentials may travel to.

use crate::auth::scheme::Bound;
use crate::call::request::Request;
use crate::error::Error;
use url::Url;

/// A base URL and the authentication meant for it (`None`: no credentials).
#[derive(Debug)]
pub(crate) struct Route {
    pub(crate) url: Url,
    pub(crate) auth: Option<Bound>,
}

impl Route {
    /// The request URL, parsed once: the base, the encoded path and the query.
    pub(crate) fn url(&self, request: &Request) -> Result<Url, Error> {
        let base = self.url.as_str().trim_end_matches('/');
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
}

/// `raw` as the URL of `what`: https, or plain http where no credential
/// travels, to loopback, or where the caller allowed it; with a host.
pub(crate) fn checked_url(what: &str, raw: &str, has_credentials: bool, insecure_ok: bool) -> Result<Url, Error> {
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
}

/// Whether `a` and `b` are of one origin: scheme, host and port (compared
/// without allocating).
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
