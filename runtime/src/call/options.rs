//! What one call may set for itself alone: [`CallOptions`], which every
//! generated request builder carries and sets with its `.timeout(..)`,
//! `.deadline(..)`, `.retry_policy(..)` and `.call_options(..)` methods.

use super::retry_policy::RetryPolicy;
use std::time::Duration;

/// Settings of one call that override the client's for that call alone
/// (as aws-sdk-rust's per-operation config and google-cloud-rust's
/// `RequestOptions` do). Unset, each is the client's.
///
/// A request builder sets them one by one:
///
/// ```ignore
/// client.clusters().get_cluster(group, name)
///     .timeout(Duration::from_secs(5))      // one exchange
///     .deadline(Duration::from_secs(20))    // the whole call
///     .retry_policy(RetryPolicy::none())    // sent once
///     .send().await?;
/// ```
///
/// or takes a set made once: `.call_options(CallOptions::default().deadline(..))`.
/// For `pages()`, `items()` and `send_all()` they apply to each page's
/// request; for `send_and_wait()` to the first request and every poll, and
/// its deadline bounds the whole wait.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// The longest one HTTP exchange of this call may take, from sending
    /// to the last byte (instead of
    /// [`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest this whole call may take: retries and their waits, token
    /// fetches and digest rounds; for `send_and_wait()`, the first request
    /// and every poll (instead of
    /// [`ClientBuilder::deadline`](crate::ClientBuilder::deadline)). When it
    /// passes, the call ends with [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded).
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Which failures this call tries again (instead of
    /// [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy));
    /// [`RetryPolicy::none()`] sends it once.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}
