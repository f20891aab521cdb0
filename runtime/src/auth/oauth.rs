//! Service accounts: OAuth 2.0 client credentials. One token is shared by
//! every request of a client and refreshed shortly before it expires.
//!
//! One fetch at a time: the first caller that finds no fresh token starts a
//! fetch in its own task; every caller that arrives while it runs waits for
//! that same fetch and gets its outcome, success or failure. So 8 concurrent
//! calls against a token endpoint that hangs all fail after one token
//! timeout, not 8, and a cancelled caller never strands the others.
//!
//! The token endpoint allows few requests a minute (10 for Atlas) and
//! answers 429 past that. The fetch waits out a 429 or 503 by the client's
//! retry policy (`Retry-After` if given, capped at its longest wait), still
//! one fetch for every waiter; a caller whose deadline comes before the
//! next try fails at once, with the 429 in its error.

use super::scheme::{Allowance, AuthScheme, Authorization, Prepared, Refusal, Target};
use super::secret::Secret;
use crate::call::retry_policy::RetryPolicy;
use crate::error::Error;
use crate::escape::{excerpt, scrub_serde_message};
use crate::transport::answer::retry_after;
use crate::transport::body::{read_capped, ReadError, ERROR_BODY_LIMIT};
use crate::transport::http::Http;
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

/// What waiters of one fetch see of it.
#[derive(Debug, Clone)]
enum Fetching {
    /// A token request is under way.
    Running,
    /// The endpoint answered 429 or 503 (`reason`); the next try is at `until`.
    Waiting {
        until: tokio::time::Instant,
        reason: String,
    },
    /// The token, or why there is none.
    Done(Result<Secret, String>),
}

/// Why one token request failed.
enum Failure {
    /// 429 or 503: tried again, after `retry_after` if the server said.
    Limited {
        reason: String,
        retry_after: Option<Duration>,
    },
    Final(String),
}

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
    /// How 429 and 503 answers are waited out.
    retry: RetryPolicy,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    token: Option<(Secret, Instant)>,
    /// The fetch under way, if any.
    inflight: Option<watch::Receiver<Fetching>>,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Number>,
}

impl OAuth {
    pub(crate) fn new(
        client_id: String,
        client_secret: Secret,
        token_url: url::Url,
        timeout: Duration,
        retry: RetryPolicy,
    ) -> Self {
        OAuth {
            shared: Arc::new(Shared {
                client_id,
                client_secret,
                token_url,
                timeout,
                retry,
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
    /// in flight (started here if none is), unless the fetch waits out a
    /// 429 past `deadline`.
    async fn token(&self, target: &Target<'_>) -> Result<Secret, Error> {
        let operation = target.operation;
        let mut rx = {
            let mut state = self.shared.lock();
            if let Some((token, fresh_until)) = &state.token {
                if Instant::now() < *fresh_until {
                    return Ok(token.clone());
                }
            }
            match &state.inflight {
                Some(rx) => rx.clone(),
                None => self.start(target.http, &mut state),
            }
        };
        loop {
            let reason = match &*rx.borrow_and_update() {
                Fetching::Done(Ok(token)) => return Ok(token.clone()),
                Fetching::Done(Err(reason)) => reason.clone(),
                Fetching::Waiting { until, reason } if *until >= target.deadline => {
                    format!("{reason}; its next try would come after this call's deadline")
                }
                Fetching::Running | Fetching::Waiting { .. } => String::new(),
            };
            if !reason.is_empty() {
                return Err(Error::Auth { operation, reason });
            }
            if rx.changed().await.is_err() {
                return Err(Error::Auth {
                    operation,
                    reason: "the token request was abandoned".into(),
                });
            }
        }
    }

    /// Starts the one fetch, in a task of its own, whose progress `state`
    /// keeps for the callers that come while it runs.
    fn start(&self, http: &Http, state: &mut State) -> watch::Receiver<Fetching> {
        let (tx, rx) = watch::channel(Fetching::Running);
        state.inflight = Some(rx.clone());
        let shared = self.shared.clone();
        let http = http.for_url(&shared.token_url).clone();
        tracing::debug!(token_url = %shared.token_url, "requesting a service-account token");
        tokio::spawn(async move {
            let outcome = shared.fetch_patiently(&http, &tx).await;
            let outcome = {
                let mut state = shared.lock();
                state.inflight = None;
                outcome.map(|(token, lifetime)| {
                    state.token = Some((token.clone(), fresh_until(lifetime)));
                    token
                })
            };
            let _ = tx.send(Fetching::Done(outcome));
        });
        rx
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
        Prepared::Later(Box::pin(async move { bearer(self.token(&target).await?) }))
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

    /// Token requests until one gives a token or fails for good: a 429 or
    /// 503 is tried again by the retry policy, after its `Retry-After` (at
    /// most the policy's longest wait), which `progress` tells the waiters.
    async fn fetch_patiently(
        &self,
        http: &reqwest::Client,
        progress: &watch::Sender<Fetching>,
    ) -> Result<(Secret, Duration), String> {
        let mut retries = 0;
        loop {
            let (reason, retry_after) = match self.fetch(http).await {
                Ok(token) => return Ok(token),
                Err(Failure::Final(reason)) => return Err(reason),
                Err(Failure::Limited { reason, .. }) if retries >= self.retry.max_retries => return Err(reason),
                Err(Failure::Limited { reason, retry_after }) => (reason, retry_after),
            };
            let wait = retry_after
                .unwrap_or_else(|| self.retry.backoff(retries))
                .min(self.retry.max_delay);
            tracing::debug!(token_url = %self.token_url, ?wait, "the token endpoint is limiting requests; waiting");
            // A wait past any clock's reach (a policy without a cap) is a day.
            let now = tokio::time::Instant::now();
            let until = now
                .checked_add(wait)
                .unwrap_or_else(|| now + Duration::from_secs(24 * 3600));
            let _ = progress.send(Fetching::Waiting { until, reason });
            tokio::time::sleep_until(until).await;
            retries += 1;
            let _ = progress.send(Fetching::Running);
        }
    }

    /// One token request, bounded by its own timeout and a 64 KiB answer.
    async fn fetch(&self, http: &reqwest::Client) -> Result<(Secret, Duration), Failure> {
        let sent = http
            .post(self.token_url.clone())
            .timeout(self.timeout)
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await;
        let fail = |reason: String| Err(Failure::Final(reason));
        let mut response = match sent {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return fail(format!(
                    "the token request to {} timed out after {:?}",
                    self.token_url, self.timeout
                ))
            }
            Err(e) => return fail(format!("the token request to {} failed: {e}", self.token_url)),
        };
        let status = response.status();
        if status.is_redirection() {
            return fail(format!(
                "the token endpoint answered HTTP {} (a redirect), which is not followed",
                status.as_u16()
            ));
        }
        let body = match read_capped(&mut response, ERROR_BODY_LIMIT).await {
            Ok(b) => b,
            Err(ReadError::TooLarge { .. }) => {
                return fail(format!("the token response is larger than {ERROR_BODY_LIMIT} bytes"))
            }
            Err(ReadError::Transport(e)) if e.is_timeout() => {
                return fail(format!("the token response timed out after {:?}", self.timeout))
            }
            Err(ReadError::Transport(e)) => return fail(format!("the token response could not be read: {e}")),
        };
        if !status.is_success() {
            let reason = format!(
                "the token endpoint answered HTTP {}: {}",
                status.as_u16(),
                excerpt(&body)
            );
            return match status.as_u16() {
                429 | 503 => Err(Failure::Limited {
                    reason,
                    retry_after: retry_after(response.headers()),
                }),
                _ => fail(reason),
            };
        }
        // Any JSON content type is accepted (application/json or a vendor type).
        let parsed: TokenResponse = match serde_json::from_slice(&body) {
            Ok(parsed) => parsed,
            Err(e) => {
                return fail(format!(
                    "the token response is not a token document ({})",
                    scrub_serde_message(&e.to_string())
                ))
            }
        };
        if parsed.access_token.is_empty() {
            return fail("the token response has an empty access_token".into());
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
        let oauth = OAuth::new(
            "id".into(),
            Secret::new("s"),
            url,
            DEFAULT_TOKEN_TIMEOUT,
            RetryPolicy::default(),
        );
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
