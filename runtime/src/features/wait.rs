//! Waiting until a resource settles, as the Atlas CLI's watchers do: after
//! a create, update or delete, poll a GET until a value at a JSONPath is one
//! of the expected ones, or until the GET answers with a given status (404
//! after a delete). Generated `send_and_wait()` methods call this.
//!
//! A create that makes several resources (an access list's entries) is
//! waited for resource by resource: the values a GET is polled with come
//! from the request (`request:` in a watcher), and every one of them must
//! settle within the one wait ([`until_each_match`]).
//!
//! 429, 503 and connection failures while polling are waited out; any other
//! error ends the wait with that error. Dropping the future cancels it.
//!
//! A wait ends by its [`WaitPolicy`]'s timeout ([`Error::WaitTimeout`]) or
//! by the call's [`Deadline`] ([`Error::DeadlineExceeded`]), whichever
//! comes first; the deadline started before the first request.

use crate::call::ser::sending;
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

/// The values a GET's path parameter takes, one poll target each, from
/// the request body as it is sent: the text of every node `path` selects
/// (a JSONPath; a union such as `$[*]['ipAddress','cidrBlock']` takes
/// whichever field each item holds), in order, each once. A number is
/// taken as its text; `null` selects nothing; an object or a list is an
/// error, as is a body that does not encode.
#[doc(hidden)]
pub fn params_from_request<B: serde::Serialize + ?Sized>(
    operation: &'static str,
    body: &B,
    path: &'static str,
) -> Result<Vec<String>, Error> {
    let fail = |reason: String| Error::InvalidParameter {
        operation,
        parameter: path,
        reason,
    };
    let compiled = JsonPath::parse(path).map_err(|e| fail(format!("not a JSONPath: {e}")))?;
    let sent = sending(|| serde_json::to_value(body)).map_err(|source| Error::Encode { operation, source })?;
    let mut values: Vec<String> = Vec::new();
    for node in compiled.query(&sent).all() {
        let value = match node {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => continue,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                return Err(fail(format!("it selects {node} in the request, which is not text")))
            }
        };
        if !values.contains(&value) {
            values.push(value);
        }
    }
    Ok(values)
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
        bounds.pause(wait, &last_state).await?;
        let result = bounds.run(poll(), &last_state).await?;
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

    /// Sleeps `wait` before the next poll, or fails at once when that would
    /// end past the wait's end.
    async fn pause(&self, wait: Duration, last_state: &Option<String>) -> Result<(), Error> {
        if Instant::now().checked_add(wait).is_none_or(|t| t > self.end) {
            return Err(self.out_of_time(last_state.clone()));
        }
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// One poll, given only the time left: a slow answer (retries, a long
    /// read) does not carry the wait past its end.
    async fn run<T>(
        &self,
        poll: impl Future<Output = Result<Response<T>, Error>>,
        last_state: &Option<String>,
    ) -> Result<Result<Response<T>, Error>, Error> {
        tokio::time::timeout_at(self.end, poll)
            .await
            .map_err(|_| self.out_of_time(last_state.clone()))
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

impl Acceptors {
    fn compile(&self, operation: &'static str) -> Result<JsonPath, Error> {
        JsonPath::parse(self.path).map_err(|e| Error::InvalidParameter {
            operation,
            parameter: self.path,
            reason: format!("not a JSONPath: {e}"),
        })
    }

    /// What one poll's answer means, and the state it names (an error's
    /// text when it failed).
    fn judge<T>(&self, compiled: &JsonPath, result: &Result<Response<T>, Error>) -> (Verdict, Option<String>) {
        match result {
            Ok(r) => {
                let state = r.body_json().and_then(|v| state_at(compiled, &v));
                let verdict = match state.as_deref() {
                    Some(s) if self.success.contains(&s) => Verdict::Done,
                    Some(s) if self.failure.contains(&s) => Verdict::Failed,
                    _ => Verdict::Pending,
                };
                (verdict, state)
            }
            Err(e) => (Verdict::Pending, Some(e.to_string())),
        }
    }
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
    let compiled = acceptors.compile(operation)?;
    let bounds = Bounds::new(policy, deadline, operation);
    let (verdict, got, state) = poll_loop(bounds, poll, |result| acceptors.judge(&compiled, result)).await?;
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

/// [`until_match`] for each of `values` (what a create made, from its
/// request: see [`params_from_request`]), all within the one wait: each
/// round polls every value not yet settled, `poll(value)`; the wait ends
/// when each has reached a success value (their last answers, in the
/// order of `values`), or at once when one reaches a failure value
/// ([`Error::WaitFailed`] naming `resource(value)`). A timeout names the
/// last state seen. No values: nothing to wait for.
#[doc(hidden)]
pub async fn until_each_match<T, F, Fut>(
    policy: WaitPolicy,
    deadline: Option<Deadline>,
    operation: &'static str,
    values: Vec<String>,
    mut poll: F,
    acceptors: Acceptors,
    resource: impl Fn(&str) -> String,
) -> Result<Vec<Response<T>>, Error>
where
    F: FnMut(&str) -> Fut,
    Fut: Future<Output = Result<Response<T>, Error>>,
{
    let compiled = acceptors.compile(operation)?;
    let bounds = Bounds::new(policy, deadline, operation);
    let mut settled: Vec<Option<Response<T>>> = values.iter().map(|_| None).collect();
    let mut last_state = None;
    let mut wait = bounds.policy.first_delay;
    let mut round: u32 = 0;
    while settled.iter().any(Option::is_none) {
        bounds.pause(wait, &last_state).await?;
        for (value, slot) in values.iter().zip(settled.iter_mut()).filter(|(_, s)| s.is_none()) {
            let result = bounds.run(poll(value), &last_state).await?;
            let (verdict, state) = acceptors.judge(&compiled, &result);
            tracing::debug!(
                operation,
                round = round + 1,
                value = value.as_str(),
                state = state.as_deref().unwrap_or(""),
                verdict = ?verdict,
                "waiting"
            );
            match (verdict, result) {
                (Verdict::Done, result) => *slot = result.ok(),
                (Verdict::Failed, _) => {
                    return Err(Error::WaitFailed {
                        operation,
                        resource: resource(value),
                        state: state.unwrap_or_default(),
                    })
                }
                (Verdict::Pending, Err(e)) if !passing(&e) => return Err(e),
                (Verdict::Pending, _) => last_state = state.or(last_state),
            }
        }
        wait = bounds.policy.delay(round);
        round = round.saturating_add(1);
    }
    Ok(settled.into_iter().flatten().collect())
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

    /// The values polled, in order.
    type Log = Arc<Mutex<Vec<String>>>;

    /// The status polls of an access list: per entry, its own script.
    fn scripts(entries: Vec<(&'static str, Vec<Step>)>) -> (impl FnMut(&str) -> std::future::Ready<Polled>, Log) {
        let polled = Arc::new(Mutex::new(Vec::new()));
        let log = polled.clone();
        let mut turns: std::collections::BTreeMap<&'static str, usize> = Default::default();
        let poll = move |value: &str| {
            log.lock().unwrap().push(value.to_string());
            let Some((name, steps)) = entries.iter().find(|(name, _)| *name == value) else {
                return std::future::ready(api_error(404, "ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND"));
            };
            let n = turns.entry(name).or_default();
            let step = steps[(*n).min(steps.len() - 1)];
            *n += 1;
            std::future::ready(match step {
                Step::Answer(status, body) => answer(status, body),
                Step::Fails(status, code) => api_error(status, code),
            })
        };
        (poll, polled)
    }

    const ACTIVE: Acceptors = Acceptors {
        path: "$.STATUS",
        success: &["ACTIVE"],
        failure: &["FAILED"],
    };
    const PENDING: Step = Step::Answer(200, r#"{"STATUS": "PENDING"}"#);
    const READY: Step = Step::Answer(200, r#"{"STATUS": "ACTIVE"}"#);

    fn entry(value: &str) -> String {
        format!("getGroupAccessListStatus g1/{value}")
    }

    #[test]
    fn the_values_come_from_the_request_each_once_in_order() {
        let path = "$[*]['ipAddress','cidrBlock','awsSecurityGroup']";
        let body = serde_json::json!([
            {"cidrBlock": "192.0.2.0/24", "comment": "office"},
            {"ipAddress": "198.51.100.7"},
            {"awsSecurityGroup": "sg-12345678", "comment": null},
            {"ipAddress": "198.51.100.7", "cidrBlock": null},
        ]);
        let values = params_from_request("createGroupAccessListEntry", &body, path).unwrap();
        assert_eq!(values, ["192.0.2.0/24", "198.51.100.7", "sg-12345678"]);
        let none = params_from_request("createGroupAccessListEntry", &serde_json::json!([]), path).unwrap();
        assert!(none.is_empty());
        let nested = serde_json::json!([{"ipAddress": {"v4": "198.51.100.7"}}]);
        let err = params_from_request("createGroupAccessListEntry", &nested, path).unwrap_err();
        assert!(err.to_string().contains("not text"), "{err}");
        let err = params_from_request("createGroupAccessListEntry", &body, "$[").unwrap_err();
        assert!(err.to_string().contains("not a JSONPath"), "{err}");
    }

    /// Each value is polled until it settles, and only those: a settled
    /// one is not polled again; the answers come back in the order given.
    #[tokio::test]
    async fn each_value_is_waited_for_and_no_other() {
        let (poll, polled) = scripts(vec![
            ("192.0.2.0/24", vec![PENDING, PENDING, PENDING, READY]),
            (
                "198.51.100.7",
                vec![PENDING, Step::Answer(200, r#"{"STATUS": "ACTIVE", "n": 2}"#)],
            ),
            ("203.0.113.9", vec![READY]),
        ]);
        let values = vec!["192.0.2.0/24".to_string(), "198.51.100.7".to_string()];
        let got = until_each_match(
            quick(5_000),
            None,
            "createGroupAccessListEntry",
            values,
            poll,
            ACTIVE,
            entry,
        )
        .await
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].body_json().unwrap()["n"], 2);
        let polled = polled.lock().unwrap().clone();
        let count = |v: &str| polled.iter().filter(|p| *p == v).count();
        assert_eq!((count("192.0.2.0/24"), count("198.51.100.7")), (4, 2), "{polled:?}");
        assert_eq!(count("203.0.113.9"), 0, "{polled:?}");
        let (poll, polled) = scripts(Vec::new());
        let got: Vec<Response<Opaque>> = until_each_match(
            quick(5_000),
            None,
            "createGroupAccessListEntry",
            Vec::new(),
            poll,
            ACTIVE,
            entry,
        )
        .await
        .unwrap();
        assert!(got.is_empty() && polled.lock().unwrap().is_empty());
    }

    /// A failure of one value ends the wait at once, naming that value; a
    /// value that never settles ends it at the timeout, or at the call's
    /// deadline when that comes first, naming the last state.
    #[tokio::test]
    async fn one_failure_or_the_end_of_the_wait_ends_the_wait_for_all() {
        let (poll, polled) = scripts(vec![
            ("192.0.2.0/24", vec![PENDING]),
            (
                "198.51.100.7",
                vec![PENDING, Step::Answer(200, r#"{"STATUS": "FAILED"}"#)],
            ),
        ]);
        let values = vec!["192.0.2.0/24".to_string(), "198.51.100.7".to_string()];
        let err = until_each_match(
            quick(5_000),
            None,
            "createGroupAccessListEntry",
            values.clone(),
            poll,
            ACTIVE,
            entry,
        )
        .await
        .unwrap_err();
        let Error::WaitFailed { resource, state, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            (resource.as_str(), state.as_str()),
            ("getGroupAccessListStatus g1/198.51.100.7", "FAILED")
        );
        assert_eq!(polled.lock().unwrap().len(), 4, "no poll after the failure");

        let (poll, _) = scripts(vec![("192.0.2.0/24", vec![READY]), ("198.51.100.7", vec![PENDING])]);
        let err = until_each_match(
            quick(50),
            None,
            "createGroupAccessListEntry",
            values.clone(),
            poll,
            ACTIVE,
            entry,
        )
        .await
        .unwrap_err();
        let Error::WaitTimeout { last_state, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(last_state.as_deref(), Some("PENDING"));

        let (poll, _) = scripts(vec![("192.0.2.0/24", vec![PENDING]), ("198.51.100.7", vec![PENDING])]);
        let deadline = Deadline::after(Duration::from_millis(100));
        let started = Instant::now();
        let err = until_each_match(
            quick(60_000),
            Some(deadline),
            "createGroupAccessListEntry",
            values,
            poll,
            ACTIVE,
            entry,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
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
