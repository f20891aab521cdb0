//! When a failed exchange is tried again, and how long to wait first: the
//! decisions the exchange loop takes by the app's [`RetryPolicy`].

use super::answer::{retry_after, Raw};
use crate::call::request::Method;
use crate::call::retry_policy::RetryPolicy;
use std::time::Duration;

/// How long to wait before sending again after `raw`, if at all: 429 and
/// 503 for an idempotent method, while retries are left, as long as
/// `Retry-After` says (or the backoff), never longer than the policy's
/// longest wait, and never if the wait would end at or past the deadline
/// (`remaining`): the caller then gets the answer, with its `Retry-After`.
pub(crate) fn retry_answer(
    raw: &Raw,
    method: Method,
    policy: &RetryPolicy,
    retries: u32,
    remaining: Duration,
) -> Option<Duration> {
    if !(raw.status == 429 || raw.status == 503) || !method.is_idempotent() || retries >= policy.max_retries {
        return None;
    }
    let wait = retry_after(&raw.headers)
        .unwrap_or_else(|| policy.backoff(retries))
        .min(policy.max_delay);
    (wait < remaining).then_some(wait)
}

/// How long to wait before connecting again after a connection failed
/// (nothing reached the server: safe for any method), if retries are left
/// and the wait ends before the deadline.
pub(crate) fn retry_connect(policy: &RetryPolicy, retries: u32, remaining: Duration) -> Option<Duration> {
    if retries >= policy.max_retries {
        return None;
    }
    let wait = policy.backoff(retries);
    (wait < remaining).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn raw(status: u16, pairs: &[(&'static str, &str)]) -> Raw {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_str(value).unwrap());
        }
        Raw {
            status,
            headers,
            body: bytes::Bytes::new(),
        }
    }

    #[test]
    fn rate_limits_are_retried_for_idempotent_methods_within_the_deadline() {
        let policy = RetryPolicy::default();
        let long = Duration::from_secs(3600);
        let limited = raw(429, &[("retry-after", "2")]);
        assert_eq!(
            retry_answer(&limited, Method::Get, &policy, 0, long),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_answer(&raw(503, &[("retry-after", "1")]), Method::Delete, &policy, 2, long),
            Some(Duration::from_secs(1))
        );
        // Never POST or PATCH again once it reached the server.
        assert_eq!(retry_answer(&limited, Method::Post, &policy, 0, long), None);
        assert_eq!(retry_answer(&limited, Method::Patch, &policy, 0, long), None);
        // Retries used up, or a wait that would pass the deadline.
        assert_eq!(
            retry_answer(&limited, Method::Get, &policy, policy.max_retries, long),
            None
        );
        assert_eq!(
            retry_answer(&limited, Method::Get, &policy, 0, Duration::from_secs(2)),
            None
        );
        // Other statuses are answers.
        for status in [200, 404, 500, 502] {
            assert_eq!(
                retry_answer(&raw(status, &[]), Method::Get, &policy, 0, long),
                None,
                "{status}"
            );
        }
        // Retry-After is capped by the policy; without one, the backoff.
        let far = raw(429, &[("retry-after", "86400")]);
        assert_eq!(
            retry_answer(&far, Method::Get, &policy, 0, long),
            Some(policy.max_delay)
        );
        let bare = retry_answer(&raw(429, &[]), Method::Get, &policy, 1, long).unwrap();
        assert!(bare <= policy.base_delay * 2, "{bare:?}");
    }

    #[test]
    fn a_failed_connection_is_retried_while_retries_and_time_are_left() {
        let policy = RetryPolicy::default();
        let wait = retry_connect(&policy, 0, Duration::from_secs(60)).unwrap();
        assert!(wait <= policy.base_delay, "{wait:?}");
        assert_eq!(
            retry_connect(&policy, policy.max_retries, Duration::from_secs(60)),
            None
        );
        assert_eq!(retry_connect(&policy, 0, Duration::ZERO), None);
        assert_eq!(retry_connect(&RetryPolicy::none(), 0, Duration::from_secs(60)), None);
    }
}
