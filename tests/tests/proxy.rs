//! `HTTP_PROXY` never sees a credential meant for a plain-http (loopback)
//! base URL (issue #8, item 4). A test binary of its own: it sets
//! environment variables, which every test of a process would share.

use atlas_admin::{Client, Error};
use atlas_admin_tests::hostile_server::{HostileServer, Script};
use atlas_admin_tests::*;

#[tokio::test]
async fn a_proxy_from_the_environment_never_carries_plain_http_credentials() {
    let proxy = HostileServer::start(|_| Script::status(502)).await;
    let server = HostileServer::start(|r| {
        if r.target.ends_with("/api/oauth/token") {
            Script::json(200, "application/json", r#"{"access_token":"tok","expires_in":3600}"#)
        } else {
            Script::status(204)
        }
    })
    .await;
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::set_var(name, proxy.url());
    }
    for name in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(name);
    }
    let client = Client::builder()
        .base_url(server.url())
        .credentials(service_account())
        .build()
        .unwrap();
    let sent: Result<_, Error> = client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await;
    sent.unwrap();
    assert_eq!(proxy.request_count(), 0, "the proxy saw {:?}", proxy.requests());
    assert_eq!(
        server.request_count(),
        2,
        "token request and call went straight to the base URL"
    );
}

/// An agent key whose DELETE the server redirects to another origin.
const MOVED_KEY: &str = "5d9f7b9c2a7f1b6f2c1a4e3c";

/// The app's own client with a proxy for everything (issue #26, item 5):
/// credentials for a plain-http (loopback) base never reach the proxy, and
/// a redirect to another origin is not followed with them.
#[tokio::test]
async fn an_apps_client_with_a_proxy_never_carries_plain_http_credentials() {
    let proxy = HostileServer::start(|_| Script::status(502)).await;
    let elsewhere = HostileServer::start(|_| Script::status(204)).await;
    let target = format!("{}/elsewhere", elsewhere.url());
    let server = HostileServer::start(move |r| {
        if r.target.ends_with("/api/oauth/token") {
            Script::json(200, "application/json", r#"{"access_token":"tok","expires_in":3600}"#)
        } else if r.target.contains(MOVED_KEY) {
            Script::status(307).header("Location", &target)
        } else {
            Script::status(204)
        }
    })
    .await;
    let proxied = reqwest::Client::builder()
        .proxy(reqwest::Proxy::all(proxy.url()).unwrap())
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.url())
        .credentials(service_account())
        .http_client(proxied)
        .build()
        .unwrap();
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(proxy.request_count(), 0, "the proxy saw {:?}", proxy.requests());
    assert_eq!(
        server.request_count(),
        2,
        "token request and call went straight to the base URL"
    );
    // A redirect to another origin is refused, not followed.
    let err = client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, MOVED_KEY)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirect { status: 307, .. }), "{err:?}");
    assert_eq!(elsewhere.request_count(), 0);
    assert_eq!(proxy.request_count(), 0);
}
