//! What an app authenticates with ([`Credentials`]), and the scheme each
//! kind of credentials is for: the one place a scheme is registered.

use super::digest::DigestAuth;
use super::oauth::OAuth;
use super::scheme::{AuthScheme, Bound};
use super::secret::Secret;
use crate::call::retry_policy::RetryPolicy;
use crate::error::Error;
use crate::transport::route::checked_url;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

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

    /// Whether these credentials prove anything (they are not `None`).
    pub(crate) fn is_some(&self) -> bool {
        !matches!(self, Credentials::None)
    }

    /// The scheme these credentials authenticate with at `setup.base`,
    /// bound to its origin; `None` without credentials. A new scheme is
    /// registered here: its variant's arm builds it.
    pub(crate) fn scheme(&self, setup: &Setup<'_>) -> Result<Option<Bound>, Error> {
        let scheme: Arc<dyn AuthScheme> = match self {
            Credentials::None => return Ok(None),
            Credentials::ApiKey {
                public_key,
                private_key,
            } => Arc::new(DigestAuth::new(public_key.clone(), private_key.clone())),
            Credentials::ServiceAccount { .. } if setup.reused => {
                return Err(Error::Config(format!(
                    "Ops Manager URL {:?} is another origin than the Atlas base URL: a service account's token \
                     is for Atlas and is never sent there; set ops_manager_credentials(..) for it",
                    setup.base.as_str()
                )))
            }
            Credentials::ServiceAccount {
                client_id,
                client_secret,
            } => {
                let token_url = match setup.token_url {
                    Some(raw) => checked_url("token URL", raw, true, setup.allow_insecure_http)?,
                    None => setup
                        .base
                        .join("/api/oauth/token")
                        .map_err(|e| Error::Config(format!("cannot derive the token URL: {e}")))?,
                };
                Arc::new(OAuth::new(
                    client_id.clone(),
                    client_secret.clone(),
                    token_url,
                    setup.token_timeout,
                    setup.token_retry.clone(),
                ))
            }
        };
        Ok(Some(Bound::new(setup.base, scheme)))
    }
}

/// Where and how a scheme is set up (from the builder's settings).
#[derive(Debug)]
pub(crate) struct Setup<'a> {
    /// The base URL the credentials are for: the scheme's origin.
    pub(crate) base: &'a Url,
    /// The token endpoint given by hand, as configured (default: the
    /// origin's `/api/oauth/token`).
    pub(crate) token_url: Option<&'a str>,
    pub(crate) token_timeout: Duration,
    /// How a token request waits out a 429 or 503 (the client's policy).
    pub(crate) token_retry: &'a RetryPolicy,
    pub(crate) allow_insecure_http: bool,
    /// The credentials were given for Atlas and are reused at another
    /// origin (an Ops Manager without credentials of its own): a digest
    /// key may start a session of its own there; a token never goes.
    pub(crate) reused: bool,
}
