//! The one trait every way of authenticating implements, and the binding
//! of a scheme to the origin its credentials are for.
//!
//! A scheme does two things, as smithy-rs's signers and identity
//! resolvers do between them, kept to what Atlas needs:
//! - [`AuthScheme::prepare`]: the `Authorization` of one request (a digest
//!   answer once challenged, a bearer token fetched when none is fresh), or
//!   nothing yet;
//! - [`AuthScheme::refused`]: what a 401 to a request it prepared means:
//!   send again (after answering a challenge, or dropping a refused token),
//!   or the 401 is the answer.
//!
//! The exchange knows no scheme by name: it asks the [`Bound`] scheme of a
//! request's base URL, keeps the [`Authorization`] it sent, and spends the
//! call's allowances as [`Refusal`] says, within what [`Allowance`] offered.
//!
//! # Adding a scheme
//! 1. A file in `auth/` with a type that implements [`AuthScheme`] (see
//!    `digest.rs` and `oauth.rs`); its state is its own (a nonce, a token),
//!    shared by every call of a client and its clones.
//! 2. Its credentials: a variant of [`Credentials`](super::credentials::Credentials)
//!    and its arm in `Credentials::scheme`, which builds it for an origin
//!    (the builder calls it; add a shorthand on `ClientBuilder` if apps need one).
//! 3. Its counterpart in the fake: a file in `fake/auth/` that checks it
//!    (with its configuration and state, as `fake/auth/digest.rs`), its arm
//!    in `fake/auth/gate.rs`, and a setter on `FakeAtlasBuilder`.
//!
//! A scheme never sees a request for another origin than the one it was
//! built for: [`Bound`] refuses before asking it.

use super::secret::Secret;
use crate::call::request::Method;
use crate::error::Error;
use crate::transport::http::Http;
use reqwest::header::{HeaderMap, HeaderValue};
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use url::Url;

/// The request a scheme prepares credentials for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// Where the request goes (within the scheme's origin).
    pub(crate) url: &'a Url,
    /// The client's connections, for a scheme that fetches tokens.
    pub(crate) http: &'a Http,
    /// Where the call must end: a scheme that waits (a token endpoint's
    /// `Retry-After`) gives up at once on a wait that would pass it.
    pub(crate) deadline: tokio::time::Instant,
}

/// What a scheme put on one request: the `Authorization` value (marked
/// sensitive, so no log shows it), and the credential it carried when a
/// refusal must be matched against it (a bearer token).
#[derive(Debug, Clone)]
pub(crate) struct Authorization {
    pub(crate) header: HeaderValue,
    pub(crate) sent: Option<Secret>,
}

impl Authorization {
    /// `value` as a sensitive header value; `sent` is kept for
    /// [`AuthScheme::refused`].
    pub(crate) fn new(value: &str, sent: Option<Secret>) -> Result<Self, Error> {
        let mut header = HeaderValue::from_str(value)
            .map_err(|_| Error::Config("credentials contain characters that cannot go in an HTTP header".into()))?;
        header.set_sensitive(true);
        Ok(Authorization { header, sent })
    }
}

/// [`AuthScheme::prepare`]'s answer: known at once (a cached nonce or
/// token: no allocation), or after a fetch.
pub(crate) enum Prepared<'a> {
    Now(Result<Option<Authorization>, Error>),
    Later(Pin<Box<dyn Future<Output = Result<Option<Authorization>, Error>> + Send + 'a>>),
}

impl Prepared<'_> {
    async fn resolve(self) -> Result<Option<Authorization>, Error> {
        match self {
            Prepared::Now(result) => result,
            Prepared::Later(future) => future.await,
        }
    }
}

/// What one call may still spend on a 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Allowance {
    /// The call's one retry after a refusal of its credentials is unspent.
    pub(crate) retry: bool,
    /// A renewal is left: sending again after the server accepted the
    /// credentials but not their session (a stale nonce).
    pub(crate) renew: bool,
}

/// What a scheme makes of a 401 to a request it prepared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The scheme has acted on it (answered the challenge, dropped the
    /// token): send again, spending the call's one retry.
    Retry,
    /// The scheme renewed its session: send again, spending a renewal.
    Renew,
    /// The 401 is the answer.
    Answer,
}

/// One way of proving who the client is. Shared by every call of a client
/// (and its clones), so its state is behind locks held only briefly.
pub(crate) trait AuthScheme: Debug + Send + Sync {
    /// The `Authorization` of one request to `target`, or `None` (digest
    /// before its first challenge). Only ever asked for a URL of the
    /// scheme's origin.
    fn prepare<'a>(&'a self, target: Target<'a>) -> Prepared<'a>;

    /// A 401 (with its `headers`) to a request this scheme prepared
    /// (`sent`: what it put on it). Returns [`Refusal::Retry`] only if
    /// `allowance.retry`, and [`Refusal::Renew`] only if `allowance.renew`
    /// (the exchange takes anything else as the answer), after acting on
    /// it; an error when the challenge cannot be answered at all.
    fn refused(
        &self,
        operation: &'static str,
        headers: &HeaderMap,
        sent: Option<&Authorization>,
        allowance: Allowance,
    ) -> Result<Refusal, Error>;
}

/// A scheme and the origin (scheme, host, port) its credentials are for.
/// Two base URLs of one origin share one `Bound` (one digest session, one
/// token); another origin gets a scheme of its own.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    origin: Url,
    scheme: Arc<dyn AuthScheme>,
}

impl Bound {
    pub(crate) fn new(origin: &Url, scheme: Arc<dyn AuthScheme>) -> Self {
        Bound {
            origin: origin.clone(),
            scheme,
        }
    }

    /// Whether `url` is of this origin (compared without allocating).
    fn covers(&self, url: &Url) -> bool {
        url.scheme() == self.origin.scheme()
            && url.host() == self.origin.host()
            && url.port_or_known_default() == self.origin.port_or_known_default()
    }

    /// The scheme's `Authorization` for `target`; an error, without asking
    /// the scheme, for a URL of another origin.
    pub(crate) async fn prepare(&self, target: Target<'_>) -> Result<Option<Authorization>, Error> {
        if !self.covers(target.url) {
            return Err(Error::Auth {
                operation: target.operation,
                reason: format!(
                    "the credentials for {} are not sent to {}",
                    self.origin.origin().ascii_serialization(),
                    target.url.origin().ascii_serialization()
                ),
            });
        }
        self.scheme.prepare(target).resolve().await
    }

    /// [`AuthScheme::refused`], held to `allowance`: what it did not offer
    /// is the answer.
    pub(crate) fn refused(
        &self,
        operation: &'static str,
        headers: &HeaderMap,
        sent: Option<&Authorization>,
        allowance: Allowance,
    ) -> Result<Refusal, Error> {
        Ok(match self.scheme.refused(operation, headers, sent, allowance)? {
            Refusal::Retry if allowance.retry => Refusal::Retry,
            Refusal::Renew if allowance.renew => Refusal::Renew,
            Refusal::Retry | Refusal::Renew | Refusal::Answer => Refusal::Answer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A scheme that counts what it is asked and asks for everything.
    #[derive(Debug, Default)]
    struct Greedy {
        prepared: AtomicU32,
    }

    impl AuthScheme for Greedy {
        fn prepare<'a>(&'a self, _: Target<'a>) -> Prepared<'a> {
            self.prepared.fetch_add(1, Ordering::Relaxed);
            Prepared::Now(Authorization::new("Greedy yes", None).map(Some))
        }

        fn refused(
            &self,
            _: &'static str,
            _: &HeaderMap,
            _: Option<&Authorization>,
            a: Allowance,
        ) -> Result<Refusal, Error> {
            Ok(if a.renew { Refusal::Renew } else { Refusal::Retry })
        }
    }

    fn target<'a>(url: &'a Url, http: &'a Http) -> Target<'a> {
        Target {
            operation: "getGroup",
            method: Method::Get,
            url,
            http,
            deadline: tokio::time::Instant::now() + std::time::Duration::from_secs(60),
        }
    }

    #[tokio::test]
    async fn a_scheme_is_never_asked_for_another_origin() {
        let greedy = Arc::new(Greedy::default());
        let bound = Bound::new(&Url::parse("https://cloud.mongodb.com/").unwrap(), greedy.clone());
        let http = Http::new(reqwest::Client::new(), None);
        let same = Url::parse("https://cloud.mongodb.com:443/api/atlas/v2/groups?x=1").unwrap();
        let sent = bound.prepare(target(&same, &http)).await.unwrap().unwrap();
        assert!(sent.header.is_sensitive());
        assert_eq!(greedy.prepared.load(Ordering::Relaxed), 1);
        for other in [
            "http://cloud.mongodb.com/api/atlas/v2/groups",
            "https://cloud.mongodb.com:8443/api/atlas/v2/groups",
            "https://evil.example/api/atlas/v2/groups",
            "https://cloud.mongodb.com.evil.example/",
        ] {
            let url = Url::parse(other).unwrap();
            let err = bound.prepare(target(&url, &http)).await.unwrap_err();
            assert!(
                matches!(&err, Error::Auth { operation: "getGroup", reason }
                    if reason.contains("https://cloud.mongodb.com") && reason.contains("are not sent to")),
                "{other}: {err:?}"
            );
        }
        assert_eq!(greedy.prepared.load(Ordering::Relaxed), 1, "never asked");
    }

    #[test]
    fn a_refusal_gets_no_more_than_the_call_offered() {
        let bound = Bound::new(
            &Url::parse("https://cloud.mongodb.com/").unwrap(),
            Arc::new(Greedy::default()),
        );
        let refused = |retry, renew| {
            bound
                .refused("getGroup", &HeaderMap::new(), None, Allowance { retry, renew })
                .unwrap()
        };
        assert_eq!(refused(true, true), Refusal::Renew);
        assert_eq!(refused(true, false), Refusal::Retry);
        assert_eq!(refused(false, false), Refusal::Answer, "a retry not offered");
        let stingy = Allowance {
            retry: false,
            renew: false,
        };
        // A scheme that asks for a renewal it was not offered gets the answer.
        #[derive(Debug)]
        struct Renewer;
        impl AuthScheme for Renewer {
            fn prepare<'a>(&'a self, _: Target<'a>) -> Prepared<'a> {
                Prepared::Now(Ok(None))
            }
            fn refused(
                &self,
                _: &'static str,
                _: &HeaderMap,
                _: Option<&Authorization>,
                _: Allowance,
            ) -> Result<Refusal, Error> {
                Ok(Refusal::Renew)
            }
        }
        let renewer = Bound::new(&Url::parse("https://cloud.mongodb.com/").unwrap(), Arc::new(Renewer));
        assert_eq!(
            renewer.refused("getGroup", &HeaderMap::new(), None, stingy).unwrap(),
            Refusal::Answer
        );
    }
}
