//! Service accounts: OAuth 2.0 client credentials. One token is shared by
//! every request of a client and refreshed shortly before it expires; a cold
//! client with many concurrent calls makes exactly one token request.

use super::{Error, Secret};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Refresh this long before the server's expiry, so a token never dies in
/// flight.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub(crate) struct OAuth {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) token_url: url::Url,
    token: Mutex<Option<(Secret, Instant)>>,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl OAuth {
    pub(crate) fn new(client_id: String, client_secret: Secret, token_url: url::Url) -> Self {
        OAuth {
            client_id,
            client_secret,
            token_url,
            token: Mutex::new(None),
        }
    }

    /// A valid bearer token, fetched if there is none or it is about to expire.
    pub(crate) async fn token(&self, http: &reqwest::Client, operation: &'static str) -> Result<Secret, Error> {
        let mut slot = self.token.lock().await;
        if let Some((token, fresh_until)) = slot.as_ref() {
            if Instant::now() < *fresh_until {
                return Ok(token.clone());
            }
        }
        let (token, lifetime) = self.fetch(http, operation).await?;
        let margin = if lifetime > REFRESH_MARGIN * 2 {
            REFRESH_MARGIN
        } else {
            lifetime / 2
        };
        *slot = Some((token.clone(), Instant::now() + lifetime - margin));
        Ok(token)
    }

    /// Drops `used` if it is still the cached token (a 401 said it is no good).
    pub(crate) async fn invalidate(&self, used: &Secret) {
        let mut slot = self.token.lock().await;
        if slot.as_ref().is_some_and(|(t, _)| t == used) {
            *slot = None;
        }
    }

    async fn fetch(&self, http: &reqwest::Client, operation: &'static str) -> Result<(Secret, Duration), Error> {
        tracing::debug!(token_url = %self.token_url, client_id = %self.client_id, "requesting a service-account token");
        let response = http
            .post(self.token_url.clone())
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await
            .map_err(|e| Error::Auth {
                operation,
                reason: format!("token request to {} failed: {e}", self.token_url),
            })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| Error::Auth {
            operation,
            reason: format!("token response could not be read: {e}"),
        })?;
        if !status.is_success() {
            return Err(Error::Auth {
                operation,
                reason: format!(
                    "the token endpoint answered HTTP {}: {}",
                    status.as_u16(),
                    super::client::excerpt(&body)
                ),
            });
        }
        // Any JSON content type is accepted (application/json or a vendor type).
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| Error::Auth {
            operation,
            reason: format!("the token response is not a token document ({e})"),
        })?;
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600));
        Ok((Secret::new(parsed.access_token), lifetime))
    }
}
