//! Waiting until a resource settles, as the Atlas CLI's watchers do: after
//! a create, update or delete, poll a GET until a value at a JSONPath is one
//! of the expected ones, or until the GET answers with a given status (404
//! after a delete). Generated `send_and_wait()` methods call this.
//!
//! 429, 503 and connection failures while polling are waited out; any other
//! error ends the wait with that error. Dropping the future cancels it.
//!
//! A wait ends by its [`WaitPolicy`]'s timeout ([`Error::WaitTimeout`]) or
//! by the call's [`Deadline`] ([`Error::DeadlineExceeded`]), whichever
//! comes first; the deadline started before the first request.

use crate::error::Error;
use crate::response::Response;
use serde_json_path::JsonPath;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

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

/// Where a call must end: an instant, and the deadline it came from.
/// Generated `send_and_wait()` gets one from `Client::wait_deadline`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub(crate) at: Instant,
    pub(crate) of: Duration,
}

impl Deadline {
    /// `of` from now (a deadline past any clock's reach is a century away).
    pub(crate) fn after(of: Duration) -> Self {
        let now = Instant::now();
        let at = now
            .checked_add(of)
            .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600));
        Deadline { at, of }
    }
}

/// Whether a failure while polling is waited out rather than returned: a
/// poll's own timeout or deadline among them (the wait has its own).
fn passing(e: &Error) -> bool {
    matches!(
        e,
        Error::Transport { .. } | Error::Timeout { .. } | Error::DeadlineExceeded { .. }
    ) || matches!(e.status(), Some(429 | 503))
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
pub fn param_from_body<T>(
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
    // What Atlas sent, not the typed value re-encoded: that leaves out the
    // read-only fields (ids, states) a waiter reads.
    let body = response
        .body_json()
        .ok_or_else(|| fail("the response has no JSON body to wait on".into()))?;
    state_at(&compiled, &body).ok_or_else(|| fail("the response has no value there to wait on".into()))
}

/// What one poll's answer means for the wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Not settled yet: poll again.
    Pending,
    /// Settled as waited for.
    Done,
    /// In a state it does not leave by itself: stop, with an error.
    Failed,
}

async fn poll_loop<T, F, Fut>(
    bounds: Bounds,
    mut poll: F,
    mut done: impl FnMut(&Result<Response<T>, Error>) -> (Verdict, Option<String>),
) -> Result<(Verdict, Option<Response<T>>, Option<String>), Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    let operation = bounds.operation;
    let mut last_state = None;
    let mut wait = bounds.policy.first_delay;
    let mut n: u32 = 0;
    loop {
        if Instant::now().checked_add(wait).is_none_or(|t| t > bounds.end) {
            return Err(bounds.out_of_time(last_state));
        }
        tokio::time::sleep(wait).await;
        // A poll gets only the time left: a slow answer (retries, a long
        // read) does not carry the wait past its end.
        let Ok(result) = tokio::time::timeout_at(bounds.end, poll()).await else {
            return Err(bounds.out_of_time(last_state));
        };
        let (verdict, state) = done(&result);
        tracing::debug!(
            operation,
            poll = n + 1,
            state = state.as_deref().unwrap_or(""),
            verdict = ?verdict,
            "waiting"
        );
        if verdict != Verdict::Pending {
            return Ok((verdict, result.ok(), state));
        }
        match result {
            Err(e) if !passing(&e) => return Err(e),
            _ => last_state = state.or(last_state),
        }
        wait = bounds.policy.delay(n);
        n = n.saturating_add(1);
    }
}

/// When a wait ends: its policy's timeout from its start, or the call's
/// deadline, whichever comes first.
struct Bounds {
    operation: &'static str,
    policy: WaitPolicy,
    started: Instant,
    end: Instant,
    /// The deadline, when it comes before the policy's timeout.
    deadline: Option<Deadline>,
}

impl Bounds {
    fn new(policy: WaitPolicy, deadline: Option<Deadline>, operation: &'static str) -> Self {
        let started = Instant::now();
        let timeout = Deadline::after(policy.timeout).at;
        let deadline = deadline.filter(|d| d.at < timeout);
        Bounds {
            operation,
            policy,
            started,
            end: deadline.map_or(timeout, |d| d.at),
            deadline,
        }
    }

    /// The error of a wait that ran out of time, naming `last_state`.
    fn out_of_time(&self, last_state: Option<String>) -> Error {
        match self.deadline {
            Some(d) => Error::DeadlineExceeded {
                operation: self.operation,
                deadline: d.of,
                last_state,
            },
            None => Error::WaitTimeout {
                operation: self.operation,
                waited: self.started.elapsed(),
                last_state,
            },
        }
    }
}

/// What a waiter on a JSONPath looks for: the values that end the wait,
/// and those that end it with [`Error::WaitFailed`].
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Acceptors {
    pub path: &'static str,
    pub success: &'static [&'static str],
    pub failure: &'static [&'static str],
}

/// Polls until the value at `path` in the GET's body is one of the
/// success values (returns the last GET's answer), or one of the failure
/// values (an error naming the state and `resource`, at once).
#[doc(hidden)]
pub async fn until_match<T, F, Fut>(
    policy: WaitPolicy,
    deadline: Option<Deadline>,
    operation: &'static str,
    poll: F,
    acceptors: Acceptors,
    resource: String,
) -> Result<Response<T>, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    let Acceptors { path, success, failure } = acceptors;
    let compiled = JsonPath::parse(path).map_err(|e| Error::InvalidParameter {
        operation,
        parameter: path,
        reason: format!("not a JSONPath: {e}"),
    })?;
    let bounds = Bounds::new(policy, deadline, operation);
    let (verdict, got, state) = poll_loop(bounds, poll, |result| match result {
        Ok(r) => {
            let state = r.body_json().and_then(|v| state_at(&compiled, &v));
            let verdict = match state.as_deref() {
                Some(s) if success.contains(&s) => Verdict::Done,
                Some(s) if failure.contains(&s) => Verdict::Failed,
                _ => Verdict::Pending,
            };
            (verdict, state)
        }
        Err(e) => (Verdict::Pending, Some(e.to_string())),
    })
    .await?;
    match (verdict, got) {
        (Verdict::Done, Some(r)) => Ok(r),
        (_, _) if verdict == Verdict::Failed => Err(Error::WaitFailed {
            operation,
            resource,
            state: state.unwrap_or_default(),
        }),
        _ => Err(Error::WaitTimeout {
            operation,
            waited: Duration::ZERO,
            last_state: None,
        }),
    }
}

/// Polls until the GET answers with `status` (a success, or an error such
/// as 404 after a delete).
#[doc(hidden)]
pub async fn until_status<T, F, Fut>(
    policy: WaitPolicy,
    deadline: Option<Deadline>,
    operation: &'static str,
    poll: F,
    status: u16,
) -> Result<(), Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    poll_loop(Bounds::new(policy, deadline, operation), poll, |result| {
        let got = match result {
            Ok(r) => Some(r.status()),
            Err(e) => e.status(),
        };
        let verdict = if got == Some(status) {
            Verdict::Done
        } else {
            Verdict::Pending
        };
        (verdict, got.map(|s| format!("HTTP {s}")))
    })
    .await
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use std::sync::{Arc, Mutex};

    /// A typed value that re-encodes to nothing: what a model whose fields
    /// are all read-only looks like to `Serialize`.
    #[derive(Debug, Clone, PartialEq)]
    struct Opaque;

    type Polled = Result<Response<Opaque>, Error>;

    fn answer(status: u16, body: &str) -> Polled {
        Ok(Response {
            status,
            headers: Default::default(),
            value: Opaque,
            deprecation: None,
            sunset: None,
            deviations: Vec::new(),
            body: bytes::Bytes::copy_from_slice(body.as_bytes()),
        })
    }

    fn api_error(status: u16, code: &str) -> Polled {
        Err(Error::Api(Box::new(ApiError {
            operation: "getCluster",
            status,
            error_code: code.into(),
            reason: None,
            detail: None,
            parameters: Vec::new(),
            retry_after: None,
        })))
    }

    /// One scripted poll: an answer (status, body) or an Atlas error.
    #[derive(Clone, Copy)]
    enum Step {
        Answer(u16, &'static str),
        Fails(u16, &'static str),
    }

    /// A poll that takes `steps` in turn (the last one again and again),
    /// and counts its calls.
    fn script(steps: Vec<Step>) -> (impl FnMut() -> std::future::Ready<Polled>, Arc<Mutex<usize>>) {
        let calls = Arc::new(Mutex::new(0));
        let counter = calls.clone();
        let poll = move || {
            let mut n = counter.lock().unwrap();
            let step = steps[(*n).min(steps.len() - 1)];
            *n += 1;
            std::future::ready(match step {
                Step::Answer(status, body) => answer(status, body),
                Step::Fails(status, code) => api_error(status, code),
            })
        };
        (poll, calls)
    }

    const IDLE: Acceptors = Acceptors {
        path: "$.stateName",
        success: &["IDLE"],
        failure: &["FAILED"],
    };

    fn quick(timeout_ms: u64) -> WaitPolicy {
        WaitPolicy::quick(Duration::from_millis(1), Duration::from_millis(timeout_ms))
    }

    #[test]
    fn parameters_come_from_the_body_as_sent_read_only_fields_included() {
        let sent = answer(201, r#"{"groupId": "g1", "name": "c1", "n": 3}"#).unwrap();
        assert_eq!(param_from_body("createCluster", &sent, "$.groupId").unwrap(), "g1");
        assert_eq!(param_from_body("createCluster", &sent, "$.n").unwrap(), "3");
        let missing = param_from_body("createCluster", &sent, "$.id").unwrap_err();
        assert!(missing.to_string().contains("no value there"), "{missing}");
        let empty = answer(202, "").unwrap();
        assert!(param_from_body("deleteCluster", &empty, "$.id").is_err());
    }

    #[tokio::test]
    async fn a_match_ends_the_wait_with_that_answer() {
        let (poll, calls) = script(vec![
            Step::Answer(200, r#"{"stateName": "CREATING"}"#),
            Step::Answer(200, r#"{"stateName": "CREATING"}"#),
            Step::Answer(200, r#"{"stateName": "IDLE", "id": "x"}"#),
        ]);
        let got = until_match(quick(5_000), None, "createCluster", poll, IDLE, "g1/c1".into())
            .await
            .unwrap();
        assert_eq!(got.body_json().unwrap()["id"], "x");
        assert_eq!(*calls.lock().unwrap(), 3);
    }

    #[tokio::test]
    async fn a_wait_past_its_timeout_names_the_last_state() {
        let (poll, calls) = script(vec![Step::Answer(200, r#"{"stateName": "CREATING"}"#)]);
        let err = until_match(quick(30), None, "createCluster", poll, IDLE, "g1/c1".into())
            .await
            .unwrap_err();
        let Error::WaitTimeout { last_state, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(last_state.as_deref(), Some("CREATING"));
        assert!(*calls.lock().unwrap() > 1, "it polled until the timeout");
    }

    /// A poll still running at the deadline is abandoned there: the wait
    /// ends at its timeout, not when a slow answer comes.
    #[tokio::test]
    async fn a_slow_poll_does_not_carry_the_wait_past_its_deadline() {
        let started = Instant::now();
        let slow = || async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            answer(200, r#"{"stateName": "IDLE"}"#)
        };
        let err = until_match(quick(100), None, "createCluster", slow, IDLE, "c1".into())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::WaitTimeout { .. }), "{err:?}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "waited {:?}",
            started.elapsed()
        );
    }

    /// The call's deadline ends the wait when it comes before the policy's
    /// timeout (and a slow poll with it), naming the deadline and the last
    /// state; a later deadline leaves the policy's timeout to end it.
    #[tokio::test]
    async fn the_deadline_ends_the_wait_when_it_comes_first() {
        let (poll, _) = script(vec![Step::Answer(200, r#"{"stateName": "CREATING"}"#)]);
        let started = Instant::now();
        let deadline = Deadline::after(Duration::from_millis(300));
        let err = until_match(quick(60_000), Some(deadline), "createCluster", poll, IDLE, "c1".into())
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        let Error::DeadlineExceeded {
            operation,
            deadline,
            last_state,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(
            (*operation, *deadline, last_state.as_deref()),
            ("createCluster", Duration::from_millis(300), Some("CREATING"))
        );
        assert!(err.to_string().contains("deadline of 300ms passed"), "{err}");
        assert!(
            elapsed > Duration::from_millis(250) && elapsed < Duration::from_millis(600),
            "{elapsed:?}"
        );
        let slow = || async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            answer(200, r#"{"stateName": "IDLE"}"#)
        };
        let started = Instant::now();
        let deadline = Deadline::after(Duration::from_millis(200));
        let err = until_status(quick(60_000), Some(deadline), "deleteCluster", slow, 404)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
        assert!(
            started.elapsed() < Duration::from_millis(600),
            "{:?}",
            started.elapsed()
        );
        let (poll, _) = script(vec![Step::Answer(200, r#"{"stateName": "CREATING"}"#)]);
        let late = Deadline::after(Duration::from_secs(60));
        let err = until_match(quick(100), Some(late), "createCluster", poll, IDLE, "c1".into())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::WaitTimeout { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn a_503_is_waited_out_and_any_other_error_ends_the_wait() {
        let (poll, calls) = script(vec![
            Step::Fails(503, "SERVICE_UNAVAILABLE"),
            Step::Answer(200, r#"{"stateName": "IDLE"}"#),
        ]);
        until_match(quick(5_000), None, "createCluster", poll, IDLE, "g1/c1".into())
            .await
            .unwrap();
        assert_eq!(*calls.lock().unwrap(), 2);
        let (poll, calls) = script(vec![
            Step::Fails(403, "FORBIDDEN"),
            Step::Answer(200, r#"{"stateName": "IDLE"}"#),
        ]);
        let err = until_match(quick(5_000), None, "createCluster", poll, IDLE, "g1/c1".into())
            .await
            .unwrap_err();
        assert!(err.is_error_code("FORBIDDEN"), "{err:?}");
        assert_eq!(*calls.lock().unwrap(), 1);
    }

    #[tokio::test]
    async fn a_failure_state_ends_the_wait_at_once_naming_the_state_and_the_resource() {
        let (poll, calls) = script(vec![
            Step::Answer(200, r#"{"stateName": "CREATING"}"#),
            Step::Answer(200, r#"{"stateName": "FAILED"}"#),
            Step::Answer(200, r#"{"stateName": "IDLE"}"#),
        ]);
        let err = until_match(
            quick(60_000),
            None,
            "createCluster",
            poll,
            IDLE,
            "getCluster g1/c1".into(),
        )
        .await
        .unwrap_err();
        let Error::WaitFailed {
            operation,
            resource,
            state,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(
            (*operation, resource.as_str(), state.as_str()),
            ("createCluster", "getCluster g1/c1", "FAILED")
        );
        assert!(err.to_string().contains("getCluster g1/c1 reached FAILED"), "{err}");
        assert_eq!(*calls.lock().unwrap(), 2, "no poll after the failure");
    }

    #[tokio::test]
    async fn a_delete_is_waited_for_until_the_status() {
        let (poll, calls) = script(vec![
            Step::Answer(200, "{}"),
            Step::Answer(200, "{}"),
            Step::Fails(404, "RESOURCE_NOT_FOUND"),
        ]);
        until_status(quick(5_000), None, "deleteCluster", poll, 404)
            .await
            .unwrap();
        assert_eq!(*calls.lock().unwrap(), 3);
    }
}
