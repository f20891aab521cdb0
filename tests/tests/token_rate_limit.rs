//! The service-account token endpoint allows 10 requests a minute and
//! answers 429 past that (MongoDB's Terraform provider fails with `oauth2:
//! cannot fetch token: 429`). Issue #26, item 8: a 429 is waited out within
//! the call's deadline, by its `Retry-After`, and concurrent calls still
//! share one token request.

use atlas_admin::runtime::futures_util::future::join_all;
use atlas_admin::{Client, Error, RetryPolicy};
use atlas_admin_tests::hostile_server::{HostileServer, Script};
use atlas_admin_tests::{service_account, AGENT_KEY, PROJECT};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A server whose token endpoint answers 429 with `Retry-After:
/// retry_after` the first `limited` times, then a token; every call 204.
/// Also returns the count of token requests.
async fn limited_server(limited: usize, retry_after: &'static str) -> (HostileServer, Arc<AtomicUsize>) {
    let tokens = Arc::new(AtomicUsize::new(0));
    let count = tokens.clone();
    let server = HostileServer::start(move |r| {
        if r.path() != "/api/oauth/token" {
            return Script::status(204);
        }
        if count.fetch_add(1, Ordering::SeqCst) < limited {
            let body = r#"{"error":"rate_limited","error_description":"too many token requests"}"#;
            return Script::json(429, "application/json", body).header("Retry-After", retry_after);
        }
        Script::json(200, "application/json", r#"{"access_token":"tok","expires_in":3600}"#)
    })
    .await;
    (server, tokens)
}

fn client(url: String, deadline: Duration) -> Client {
    Client::builder()
        .base_url(url)
        .credentials(service_account())
        .retry_policy(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(5),
        })
        .deadline(deadline)
        .build()
        .unwrap()
}

async fn delete(client: &Client) -> Result<(), Error> {
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .map(drop)
}

#[tokio::test]
async fn a_429_of_the_token_endpoint_is_waited_out_by_one_shared_request() {
    let (server, tokens) = limited_server(1, "1").await;
    let client = client(server.url(), Duration::from_secs(30));
    let started = Instant::now();
    let calls = (0..8).map(|_| delete(&client));
    let results = join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(
        tokens.load(Ordering::SeqCst),
        2,
        "the 429, then the token: one for all 8 calls"
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(4),
        "Retry-After was waited: {elapsed:?}"
    );
    let bearers = server
        .requests()
        .iter()
        .filter(|r| r.header("authorization") == Some("Bearer tok"))
        .count();
    assert_eq!(bearers, 8);
}

#[tokio::test]
async fn a_429_that_outlasts_the_deadline_fails_the_calls_naming_it() {
    let (server, tokens) = limited_server(usize::MAX, "5").await;
    let client = client(server.url(), Duration::from_secs(1));
    let started = Instant::now();
    let results = join_all((0..3).map(|_| delete(&client))).await;
    let elapsed = started.elapsed();
    for result in &results {
        let err = result.as_ref().unwrap_err();
        let Error::Auth { reason, .. } = err else {
            panic!("{err:?}")
        };
        assert!(reason.contains("HTTP 429"), "{reason}");
        assert!(reason.contains("deadline"), "{reason}");
        assert!(reason.contains("too many token requests"), "{reason}");
    }
    assert!(
        elapsed < Duration::from_millis(1500),
        "within the deadline: {elapsed:?}"
    );
    assert_eq!(
        tokens.load(Ordering::SeqCst),
        1,
        "one token request for the three calls"
    );
    assert_eq!(server.request_count(), 1, "no call went out without a token");
}
