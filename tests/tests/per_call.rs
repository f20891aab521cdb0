//! Per-call settings (issue #26, item 4): a request builder's
//! `.timeout(..)`, `.deadline(..)` and `.retry_policy(..)` override the
//! client's for that call alone; and a call's deadline, the client's or its
//! own, bounds a `send_and_wait()` as a whole, the first request and every
//! poll, whichever ends first, it or the `WaitPolicy`.

use atlas_admin::fake::{FakeAtlas, Fault};
use atlas_admin::models::ClusterDescription20240805;
use atlas_admin::runtime::serde_json::json;
use atlas_admin::runtime::{CallOptions, WaitPolicy};
use atlas_admin::{Client, Credentials, Error, RetryPolicy};
use atlas_admin_tests::hostile_server::{HostileServer, Script};
use atlas_admin_tests::{bare_fake, client, digest, SeedFakeBuilder, AGENT_KEY, ORG, PROJECT};
use std::time::{Duration, Instant};

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";

/// A client of `url` with a patient timeout and deadline: what a call
/// sets for itself is what ends it.
fn patient(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .credentials(Credentials::None)
        .timeout(Duration::from_secs(30))
        .deadline(Duration::from_secs(60))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_call_timeout_shorter_than_the_clients_ends_a_hanging_exchange() {
    let server = HostileServer::start(|_| Script::Hang).await;
    let client = patient(&server.url());
    let started = Instant::now();
    let err = client
        .cloud_migration_service()
        .delete_link_tokens(ORG)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "deleteLinkTokens",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn a_call_deadline_ends_the_call_however_patient_the_client() {
    let server = HostileServer::start(|_| Script::Hang).await;
    let client = patient(&server.url());
    let started = Instant::now();
    let err = client
        .cloud_migration_service()
        .delete_link_tokens(ORG)
        .deadline(Duration::from_millis(400))
        .send()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    let Error::DeadlineExceeded { deadline, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*deadline, Duration::from_millis(400));
    assert!(err.to_string().contains("deadline of 400ms passed"), "{err}");
    assert!(
        elapsed >= Duration::from_millis(400) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn a_call_retry_policy_of_no_retries_sends_once_where_the_clients_would_retry() {
    // A fake that asks for no credentials: every request is one attempt.
    let fake = FakeAtlas::builder().agent_api_key(PROJECT, AGENT_KEY).start().await;
    let client = client(&fake, Credentials::None);
    let delete = || client.agent_api_keys().delete_agent_api_key(PROJECT, AGENT_KEY);
    fake.inject(Fault::new(503, "SERVICE_UNAVAILABLE").times(10));
    let err = delete().retry_policy(RetryPolicy::none()).send().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(fake.requests().len(), 1, "sent once");
    fake.clear_requests();
    let err = delete().send().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        fake.requests().len(),
        4,
        "the client's policy: the first attempt and 3 retries"
    );
    // The same settings as one value, shared by several calls.
    fake.clear_requests();
    let once = CallOptions::default().retry_policy(RetryPolicy::none());
    delete().call_options(once.clone()).send().await.unwrap_err();
    delete().call_options(once).send().await.unwrap_err();
    assert_eq!(fake.requests().len(), 2);
}

/// A cluster that stays CREATING: only a time bound ends its wait.
async fn creating_cluster() -> FakeAtlas {
    let fake = bare_fake().await;
    fake.answer("getGroupCluster", json!({"name": "c1", "stateName": "CREATING"}));
    fake
}

/// Creates the cluster with `options`, then waits until it is IDLE.
async fn create(client: &Client, options: CallOptions, policy: WaitPolicy) -> Result<(), Error> {
    client
        .clusters()
        .create_cluster(GROUP, ClusterDescription20240805::new().with_name("c1"))
        .call_options(options)
        .send_and_wait(policy)
        .await
        .map(drop)
}

/// Asserts that `err` is the deadline `of` passing, with the last state the
/// polls saw, and that it came about `of` after `started`.
fn assert_cut_at_the_deadline(err: &Error, of: Duration, started: Instant) {
    let elapsed = started.elapsed();
    let Error::DeadlineExceeded {
        operation,
        deadline,
        last_state,
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*operation, *deadline, last_state.as_deref()),
        ("createGroupCluster", of, Some("CREATING"))
    );
    assert!(err.to_string().contains("deadline of"), "{err}");
    assert!(
        elapsed >= of - Duration::from_millis(150) && elapsed < of + Duration::from_millis(600),
        "{elapsed:?} for a deadline of {of:?}"
    );
}

#[tokio::test]
async fn a_call_deadline_cuts_a_wait_short() {
    let fake = creating_cluster().await;
    let client = client(&fake, digest());
    let policy = WaitPolicy::quick(Duration::from_millis(50), Duration::from_secs(60));
    let started = Instant::now();
    let err = client
        .clusters()
        .create_cluster(GROUP, ClusterDescription20240805::new().with_name("c1"))
        .deadline(Duration::from_secs(1))
        .send_and_wait(policy)
        .await
        .unwrap_err();
    assert_cut_at_the_deadline(&err, Duration::from_secs(1), started);
    assert!(fake.calls_of("getGroupCluster").len() > 3, "it polled until then");
}

/// The case: `client.deadline(1 s)` ran on past 6 s, because it
/// bounded each poll and not the wait.
#[tokio::test]
async fn the_clients_deadline_bounds_a_wait_as_a_whole() {
    let fake = creating_cluster().await;
    let client = Client::builder()
        .base_url(fake.url())
        .credentials(digest())
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let policy = WaitPolicy::quick(Duration::from_millis(50), Duration::from_secs(60));
    let started = Instant::now();
    let err = create(&client, CallOptions::default(), policy.clone())
        .await
        .unwrap_err();
    assert_cut_at_the_deadline(&err, Duration::from_secs(1), started);
    // The call's own deadline wins over the client's, longer or shorter.
    let fake = creating_cluster().await;
    let client = Client::builder()
        .base_url(fake.url())
        .credentials(digest())
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let longer = CallOptions::default().deadline(Duration::from_millis(1500));
    let err = create(&client, longer, policy).await.unwrap_err();
    assert_cut_at_the_deadline(&err, Duration::from_millis(1500), started);
}

/// The policy's timeout still ends a wait when it comes first, with the
/// error it always had.
#[tokio::test]
async fn a_wait_timeout_before_the_deadline_is_still_a_wait_timeout() {
    let fake = creating_cluster().await;
    let client = client(&fake, digest());
    let policy = WaitPolicy::quick(Duration::from_millis(50), Duration::from_millis(400));
    let patient = CallOptions::default().deadline(Duration::from_secs(30));
    let err = create(&client, patient, policy).await.unwrap_err();
    assert!(matches!(err, Error::WaitTimeout { .. }), "{err:?}");
}
