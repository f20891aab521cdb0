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
