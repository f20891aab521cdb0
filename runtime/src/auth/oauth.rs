//! Service accounts: OAuth 2.0 client credentials. One token is shared by
//! every request of a client and refreshed shortly before it expires.
//!
//! One fetch at a time: the first caller that finds no fresh token starts a
//! fetch in its own task; every caller that arrives while it runs waits for
//! that same fetch and gets its outcome, success or failure. So 8 concurrent
//! calls against a token endpoint that hangs all fail after one token
//! timeout, not 8, and a cancelled caller never strands the others.

use super::scheme::{Allowance, AuthScheme, Authorization, Prepared, Refusal, Target};
use super::secret::Secret;
use crate::error::Error;
use crate::escape::{excerpt, scrub_serde_message};
use crate::transport::body::{read_capped, ReadError, ERROR_BODY_LIMIT};
use reqwest::header::HeaderMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Refresh this long before the server's expiry, so a token never dies in
/// flight.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// No token is trusted for longer than this, whatever `expires_in` says
/// (Atlas issues one-hour tokens).
pub(crate) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The default timeout of one token request: shorter than a call's.
pub const DEFAULT_TOKEN_TIMEOUT: Duration = Duration::from_secs(10);

/// What waiters of one fetch receive: the token, or why there is none.
type Outcome = Option<Result<Secret, String>>;

#[derive(Debug)]
pub(crate) struct OAuth {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    client_id: String,
    client_secret: Secret,
    token_url: url::Url,
    timeout: Duration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    token: Option<(Secret, Instant)>,
    /// The fetch under way, if any.
    inflight: Option<watch::Receiver<Outcome>>,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Number>,
}

impl OAuth {
    pub(crate) fn new(client_id: String, client_secret: Secret, token_url: url::Url, timeout: Duration) -> Self {
        OAuth {
            shared: Arc::new(Shared {
                client_id,
                client_secret,
                token_url,
                timeout,
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// The cached token, while it is fresh.
    fn fresh(&self) -> Option<Secret> {
        let state = self.shared.lock();
        let (token, fresh_until) = state.token.as_ref()?;
        (Instant::now() < *fresh_until).then(|| token.clone())
    }

    /// A valid bearer token: the cached one, or the outcome of the one fetch
    /// in flight (started here if none is).
    async fn token(&self, http: &reqwest::Client, operation: &'static str) -> Result<Secret, Error> {
        let mut rx = {
            let mut state = self.shared.lock();
            if let Some((token, fresh_until)) = &state.token {
                if Instant::now() < *fresh_until {
                    return Ok(token.clone());
                }
            }
            match &state.inflight {
                Some(rx) => rx.clone(),
                None => {
                    let (tx, rx) = watch::channel(None);
                    state.inflight = Some(rx.clone());
                    let shared = self.shared.clone();
                    let http = http.clone();
                    tracing::debug!(token_url = %shared.token_url, "requesting a service-account token");
                    tokio::spawn(async move {
                        let outcome = shared.fetch(&http).await;
                        let outcome = {
                            let mut state = shared.lock();
                            state.inflight = None;
                            match outcome {
                                Ok((token, lifetime)) => {
                                    state.token = Some((token.clone(), fresh_until(lifetime)));
                                    Ok(token)
                                }
                                Err(reason) => Err(reason),
                            }
                        };
                        let _ = tx.send(Some(outcome));
                    });
                    rx
                }
            }
        };
        let outcome = match rx.wait_for(Option::is_some).await {
            Ok(outcome) => outcome.clone(),
            Err(_) => Some(Err("the token request was abandoned".to_string())),
        };
        match outcome {
            Some(Ok(token)) => Ok(token),
            Some(Err(reason)) => Err(Error::Auth { operation, reason }),
            None => Err(Error::Auth {
                operation,
                reason: "no token".into(),
            }),
        }
    }

    /// Drops `used` if it is still the cached token (a 401 said it is no good).
    fn invalidate(&self, used: &Secret) {
        let mut state = self.shared.lock();
        if state.token.as_ref().is_some_and(|(t, _)| t == used) {
            state.token = None;
        }
    }
}

impl AuthScheme for OAuth {
    /// `Bearer` with the cached token (at once), or with the outcome of the
    /// one fetch in flight.
    fn prepare<'a>(&'a self, target: Target<'a>) -> Prepared<'a> {
        if let Some(token) = self.fresh() {
            return Prepared::Now(bearer(token));
        }
        Prepared::Later(Box::pin(async move {
            bearer(self.token(target.http, target.operation).await?)
        }))
    }

    /// A refused token is dropped (if it is still the cached one) and the
    /// request sent again with a new one, once per call; a 401 to a request
    /// that carried no token is the answer.
    fn refused(
        &self,
        operation: &'static str,
        _headers: &HeaderMap,
        sent: Option<&Authorization>,
        allowance: Allowance,
    ) -> Result<Refusal, Error> {
        match sent.and_then(|a| a.sent.as_ref()) {
            Some(used) if allowance.retry => {
                tracing::debug!(operation, "bearer token refused; fetching a new one");
                self.invalidate(used);
                Ok(Refusal::Retry)
            }
            _ => Ok(Refusal::Answer),
        }
    }
}

/// The `Authorization` of `token`, which is kept to match a refusal.
fn bearer(token: Secret) -> Result<Option<Authorization>, Error> {
    Authorization::new(&format!("Bearer {}", token.expose()), Some(token)).map(Some)
}

/// When to fetch again: `lifetime` (clamped) less a margin, never panicking
/// on overflow.
fn fresh_until(lifetime: Duration) -> Instant {
    let lifetime = lifetime.min(MAX_TOKEN_LIFETIME);
    let margin = if lifetime > REFRESH_MARGIN * 2 {
        REFRESH_MARGIN
    } else {
        lifetime / 2
    };
    let now = Instant::now();
    now.checked_add(lifetime - margin).unwrap_or(now)
}

/// `expires_in` in seconds, clamped to [0, MAX_TOKEN_LIFETIME]; fractions
/// and negative numbers are accepted.
fn lifetime_of(expires_in: Option<&serde_json::Number>) -> Duration {
    let Some(n) = expires_in else {
        return Duration::from_secs(3600);
    };
    let secs = match (n.as_u64(), n.as_f64()) {
        (Some(s), _) => s,
        (None, Some(f)) if f.is_finite() && f > 0.0 => f.min(MAX_TOKEN_LIFETIME.as_secs_f64()) as u64,
        _ => 0,
    };
    Duration::from_secs(secs).min(MAX_TOKEN_LIFETIME)
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// One token request, bounded by its own timeout and a 64 KiB answer.
    async fn fetch(&self, http: &reqwest::Client) -> Result<(Secret, Duration), String> {
        let sent = http
            .post(self.token_url.clone())
            .timeout(self.timeout)
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await;
        let mut response = match sent {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Err(format!(
                    "the token request to {} timed out after {:?}",
                    self.token_url, self.timeout
                ))
            }
            Err(e) => return Err(format!("the token request to {} failed: {e}", self.token_url)),
        };
        let status = response.status();
        if status.is_redirection() {
            return Err(format!(
                "the token endpoint answered HTTP {} (a redirect), which is not followed",
                status.as_u16()
            ));
        }
        let body = match read_capped(&mut response, ERROR_BODY_LIMIT).await {
            Ok(b) => b,
            Err(ReadError::TooLarge { .. }) => {
                return Err(format!("the token response is larger than {ERROR_BODY_LIMIT} bytes"))
            }
            Err(ReadError::Transport(e)) if e.is_timeout() => {
                return Err(format!("the token response timed out after {:?}", self.timeout))
            }
            Err(ReadError::Transport(e)) => return Err(format!("the token response could not be read: {e}")),
        };
        if !status.is_success() {
            return Err(format!(
                "the token endpoint answered HTTP {}: {}",
                status.as_u16(),
                excerpt(&body)
            ));
        }
        // Any JSON content type is accepted (application/json or a vendor type).
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            format!(
                "the token response is not a token document ({})",
                scrub_serde_message(&e.to_string())
            )
        })?;
        if parsed.access_token.is_empty() {
            return Err("the token response has an empty access_token".into());
        }
        Ok((
            Secret::new(parsed.access_token),
            lifetime_of(parsed.expires_in.as_ref()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_odd_lifetimes_never_panic() {
        let max = serde_json::Number::from(u64::MAX);
        assert_eq!(lifetime_of(Some(&max)), MAX_TOKEN_LIFETIME);
        let _ = fresh_until(lifetime_of(Some(&max)));
        let _ = fresh_until(Duration::MAX);
        let neg = serde_json::Number::from(-5i64);
        assert_eq!(lifetime_of(Some(&neg)), Duration::ZERO);
        let frac = serde_json::Number::from_f64(1e300).unwrap();
        assert_eq!(lifetime_of(Some(&frac)), MAX_TOKEN_LIFETIME);
        assert_eq!(lifetime_of(None), Duration::from_secs(3600));
    }

    /// A refused token is dropped only when the call may send again, and
    /// only if it is still the cached one.
    #[test]
    fn a_refused_token_is_dropped_only_when_the_call_offers_a_retry() {
        let url = url::Url::parse("https://cloud.mongodb.com/api/oauth/token").unwrap();
        let oauth = OAuth::new("id".into(), Secret::new("s"), url, DEFAULT_TOKEN_TIMEOUT);
        let cache = |token: &str| {
            oauth.shared.lock().token = Some((Secret::new(token), Instant::now() + Duration::from_secs(600)));
        };
        let sent = Authorization::new("Bearer t1", Some(Secret::new("t1"))).unwrap();
        let none = Allowance {
            retry: false,
            renew: false,
        };
        let headers = HeaderMap::new();
        cache("t1");
        assert_eq!(
            oauth.refused("op", &headers, Some(&sent), none).unwrap(),
            Refusal::Answer
        );
        assert_eq!(oauth.fresh(), Some(Secret::new("t1")), "kept");
        let retry = Allowance { retry: true, ..none };
        // Another token is cached by now (a concurrent call refreshed it): kept.
        cache("t2");
        assert_eq!(
            oauth.refused("op", &headers, Some(&sent), retry).unwrap(),
            Refusal::Retry
        );
        assert_eq!(oauth.fresh(), Some(Secret::new("t2")));
        cache("t1");
        assert_eq!(
            oauth.refused("op", &headers, Some(&sent), retry).unwrap(),
            Refusal::Retry
        );
        assert_eq!(oauth.fresh(), None, "dropped");
        // A request that carried no token: nothing to drop, the 401 is the answer.
        assert_eq!(oauth.refused("op", &headers, None, retry).unwrap(), Refusal::Answer);
    }
}
