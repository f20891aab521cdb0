//! The app's own `reqwest::Client` (issue #26, item 5): it carries the
//! calls it may carry, the runtime's exchange timeout still bounds each
//! request, and the origin rules for credentials hold with it (with a
//! proxy: `proxy.rs`).

use atlas_admin::{Client, ClientBuilder, Error, RetryPolicy};
use atlas_admin_tests::hostile_server::{HostileServer, RawRequest, Script};
use atlas_admin_tests::{service_account, AGENT_KEY, PROJECT};
use std::time::{Duration, Instant};

/// The app's client: a header of its own on every request (so the server
/// tells its requests apart), and reqwest's default redirect policy.
fn app_client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-pool", reqwest::header::HeaderValue::from_static("app"));
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

/// A server with a token endpoint and a call that answers 204.
async fn server() -> HostileServer {
    HostileServer::start(|r| {
        if r.path() == "/api/oauth/token" {
            Script::json(200, "application/json", r#"{"access_token":"tok","expires_in":3600}"#)
        } else {
            Script::status(204)
        }
    })
    .await
}

fn builder(url: String) -> ClientBuilder {
    Client::builder()
        .base_url(url)
        .credentials(service_account())
        .retry_policy(RetryPolicy::none())
        .http_client(app_client())
}

async fn delete(client: &Client) -> Result<(), Error> {
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .map(drop)
}

fn from_app(r: &RawRequest) -> bool {
    r.header("x-pool") == Some("app")
}

#[tokio::test]
async fn the_apps_client_carries_calls_except_plain_http_credentials() {
    // Plain http allowed by the app: its client carries the token request
    // and the call.
    let allowed = server().await;
    let client = builder(allowed.url()).allow_insecure_http(true).build().unwrap();
    delete(&client).await.unwrap();
    let requests = allowed.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(from_app), "{requests:?}");
    // Not allowed (a loopback base): the runtime's own connections carry
    // them, so no proxy the app's client knows sees the credentials.
    let loopback = server().await;
    let client = builder(loopback.url()).build().unwrap();
    delete(&client).await.unwrap();
    let requests = loopback.requests();
    assert_eq!(requests.len(), 2);
    assert!(!requests.iter().any(from_app), "{requests:?}");
    let user_agent = requests[1].header("user-agent").unwrap_or_default();
    assert!(user_agent.starts_with("atlas-admin-rs/"), "{user_agent}");
}

#[tokio::test]
async fn the_exchange_timeout_bounds_each_request_of_the_apps_client() {
    let server = HostileServer::start(|r| {
        if r.path() == "/api/oauth/token" {
            Script::json(200, "application/json", r#"{"access_token":"tok","expires_in":3600}"#)
        } else {
            Script::Hang
        }
    })
    .await;
    // The app's client has no timeout of its own.
    let client = builder(server.url())
        .allow_insecure_http(true)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = delete(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(server.requests().iter().all(from_app));
}

#[tokio::test]
async fn an_apps_client_that_follows_a_redirect_elsewhere_carries_no_credentials_and_fails() {
    let elsewhere = HostileServer::start(|_| Script::status(204)).await;
    let target = format!("{}/stolen", elsewhere.url());
    let server = HostileServer::start(move |r| {
        if r.path() == "/api/oauth/token" {
            Script::json(200, "application/json", r#"{"access_token":"tok","expires_in":3600}"#)
        } else {
            Script::status(307).header("Location", &target)
        }
    })
    .await;
    let client = builder(server.url()).allow_insecure_http(true).build().unwrap();
    let err = delete(&client).await.unwrap_err();
    let Error::Config(text) = &err else { panic!("{err:?}") };
    assert!(
        text.contains("deleteAgentApiKey") && text.contains("another origin") && text.contains("Policy::none"),
        "{text}"
    );
    // reqwest followed it (the app's policy), without the bearer token.
    let stolen = elsewhere.requests();
    assert_eq!(stolen.len(), 1, "{stolen:?}");
    assert_eq!(stolen[0].header("authorization"), None, "{stolen:?}");
}
