//! Waiting until a resource settles, as the Atlas CLI's watchers do: after
//! a create, update or delete, poll a GET until a value at a JSONPath is one
//! of the expected ones, or until the GET answers with a given status (404
//! after a delete). Generated `send_and_wait()` methods call this.
//!
//! 429, 503 and connection failures while polling are waited out; any other
//! error ends the wait with that error. Dropping the future cancels it.

use super::{Error, Response};
use serde_json_path::JsonPath;
use std::future::Future;
use std::time::{Duration, Instant};

/// How patiently to poll.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitPolicy {
    /// Before the first poll (default 5 s: a new resource is never ready at once).
    pub first_delay: Duration,
    /// Between the first two polls (default 5 s); then multiplied by
    /// `multiplier` (default 1.5) each time, up to `max_delay` (default 30 s),
    /// each wait jittered down by up to 20%.
    pub interval: Duration,
    pub multiplier: f64,
    pub max_delay: Duration,
    /// The longest the whole wait may take (default 30 minutes, for
    /// clusters); then [`Error::WaitTimeout`].
    pub timeout: Duration,
}

impl Default for WaitPolicy {
    fn default() -> Self {
        WaitPolicy {
            first_delay: Duration::from_secs(5),
            interval: Duration::from_secs(5),
            multiplier: 1.5,
            max_delay: Duration::from_secs(30),
            timeout: Duration::from_secs(30 * 60),
        }
    }
}

impl WaitPolicy {
    /// A policy for tests: no first delay, `interval` between polls, the
    /// given overall timeout.
    pub fn quick(interval: Duration, timeout: Duration) -> Self {
        WaitPolicy {
            first_delay: Duration::ZERO,
            interval,
            multiplier: 1.0,
            max_delay: interval,
            timeout,
        }
    }

    fn delay(&self, poll: u32) -> Duration {
        let grown = self.interval.as_secs_f64() * self.multiplier.max(1.0).powi(poll.min(64) as i32);
        let capped = grown.min(self.max_delay.as_secs_f64()).max(0.0);
        Duration::from_secs_f64(capped * (1.0 - 0.2 * fastrand::f64()))
    }
}

/// Whether a failure while polling is waited out rather than returned.
fn passing(e: &Error) -> bool {
    matches!(e, Error::Transport { .. } | Error::Timeout { .. }) || matches!(e.status(), Some(429 | 503))
}

/// The first value at `path` in `value`, as text.
fn state_at(path: &JsonPath, value: &serde_json::Value) -> Option<String> {
    let node = path.query(value).first()?;
    Some(match node {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// A path parameter of the GET, taken from the first call's response body
/// by JSONPath.
#[doc(hidden)]
pub fn param_from_body<T: serde::Serialize>(
    operation: &'static str,
    response: &Response<T>,
    path: &'static str,
) -> Result<String, Error> {
    let fail = |reason: String| Error::InvalidParameter {
        operation,
        parameter: path,
        reason,
    };
    let compiled = JsonPath::parse(path).map_err(|e| fail(format!("not a JSONPath: {e}")))?;
    let body = serde_json::to_value(response.value()).map_err(|source| Error::Encode { operation, source })?;
    state_at(&compiled, &body).ok_or_else(|| fail("the response has no value there to wait on".into()))
}

async fn poll_loop<T, F, Fut>(
    policy: &WaitPolicy,
    operation: &'static str,
    mut poll: F,
    mut done: impl FnMut(&Result<Response<T>, Error>) -> (bool, Option<String>),
) -> Result<Option<Response<T>>, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    let started = Instant::now();
    let mut last_state = None;
    let mut wait = policy.first_delay;
    let mut n: u32 = 0;
    loop {
        if started.elapsed() + wait > policy.timeout {
            return Err(Error::WaitTimeout {
                operation,
                waited: started.elapsed(),
                last_state,
            });
        }
        tokio::time::sleep(wait).await;
        let result = poll().await;
        let (finished, state) = done(&result);
        tracing::debug!(
            operation,
            poll = n + 1,
            state = state.as_deref().unwrap_or(""),
            finished,
            "waiting"
        );
        if finished {
            return Ok(result.ok());
        }
        match result {
            Err(e) if !passing(&e) => return Err(e),
            _ => last_state = state.or(last_state),
        }
        wait = policy.delay(n);
        n = n.saturating_add(1);
    }
}

/// Polls until the value at `path` in the GET's body is one of `values`;
/// returns the last GET's answer.
#[doc(hidden)]
pub async fn until_match<T, F, Fut>(
    policy: WaitPolicy,
    operation: &'static str,
    poll: F,
    path: &'static str,
    values: &'static [&'static str],
) -> Result<Response<T>, Error>
where
    T: serde::Serialize,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    let compiled = JsonPath::parse(path).map_err(|e| Error::InvalidParameter {
        operation,
        parameter: path,
        reason: format!("not a JSONPath: {e}"),
    })?;
    let got = poll_loop(&policy, operation, poll, |result| match result {
        Ok(r) => {
            let state = serde_json::to_value(r.value())
                .ok()
                .and_then(|v| state_at(&compiled, &v));
            (state.as_deref().is_some_and(|s| values.contains(&s)), state)
        }
        Err(e) => (false, Some(e.to_string())),
    })
    .await?;
    got.ok_or(Error::WaitTimeout {
        operation,
        waited: Duration::ZERO,
        last_state: None,
    })
}

/// Polls until the GET answers with `status` (a success, or an error such
/// as 404 after a delete).
#[doc(hidden)]
pub async fn until_status<T, F, Fut>(
    policy: WaitPolicy,
    operation: &'static str,
    poll: F,
    status: u16,
) -> Result<(), Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    poll_loop(&policy, operation, poll, |result| {
        let got = match result {
            Ok(r) => Some(r.status()),
            Err(e) => e.status(),
        };
        (got == Some(status), got.map(|s| format!("HTTP {s}")))
    })
    .await
    .map(drop)
}
