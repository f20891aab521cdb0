//! [`RetryPolicy`]: which failures an app wants tried again, set on the
//! client or for one call (`CallOptions`). The decisions taken by it are
//! the exchange loop's (`transport/retry.rs`).

use std::time::Duration;

/// Which failures are tried again, how often and how patiently.
///
/// 429 and 503 answers are retried for idempotent methods (GET, PUT,
/// DELETE, ...), waiting as long as `Retry-After` says or else an exponential
/// backoff with full jitter. POST and PATCH are never sent again once they
/// reached the server. A connection that failed before the request was sent
/// is retried for every method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retries.
    pub max_retries: u32,
    /// The first backoff step; doubled per attempt.
    pub base_delay: Duration,
    /// No single wait is longer than this, whatever `Retry-After` says.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}
