//! Authentication on the wire: HTTP Digest (nonce reuse, stale nonces,
//! SHA-256, wrong keys) and service accounts (one token for many calls,
//! refresh, refusal), and secrets that never show.

use super::*;

/// Calls the four seed operations once each.
async fn all_seed_calls(client: &Client) -> Result<(), Error> {
    let token = client
        .cloud_migration_service()
        .create_link_token(
            ORG,
            TargetOrgRequest::new().with_access_list_ips(vec!["203.0.113.7".into()]),
        )
        .send()
        .await?;
    assert!(token.link_token.starts_with("fake-link-token-"));
    client.cloud_migration_service().delete_link_tokens(ORG).send().await?;
    revoke(client).await?;
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await?;
    Ok(())
}

#[tokio::test]
async fn every_seed_operation_works_with_digest() {
    let fake = fake().await;
    all_seed_calls(&client(&fake, digest())).await.unwrap();
    let requests = fake.requests();
    assert!(
        requests[0].header("authorization").is_none(),
        "the first request meets the challenge"
    );
    assert!(requests[1..]
        .iter()
        .all(|r| r.header("authorization").unwrap().starts_with("Digest ")));
    assert_eq!(fake.token_request_count(), 0);
}

#[tokio::test]
async fn every_seed_operation_works_with_a_service_account() {
    let fake = fake().await;
    all_seed_calls(&client(&fake, service_account())).await.unwrap();
    assert_eq!(fake.token_request_count(), 1);
    assert_eq!(
        fake.api_request_count(),
        4,
        "no challenge round trips with a bearer token"
    );
    let api: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path != "/api/oauth/token")
        .collect();
    assert!(api
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer fake-token-1")));
    let token_request = &fake.requests()[0];
    assert_eq!(token_request.method, "POST");
    assert_eq!(token_request.body, b"grant_type=client_credentials");
    assert!(token_request.header("authorization").unwrap().starts_with("Basic "));
}

#[tokio::test]
async fn digest_reuses_the_nonce_n_calls_cost_n_plus_one_exchanges() {
    let fake = fake().await;
    let client = client(&fake, digest());
    for _ in 0..20 {
        revoke(&client).await.unwrap();
    }
    assert_eq!(fake.api_request_count(), 21);
    // nc increases with every request on the one nonce.
    let ncs: Vec<String> = fake.requests()[1..]
        .iter()
        .map(|r| {
            let h = r.header("authorization").unwrap();
            h.split(", ").find_map(|p| p.strip_prefix("nc=")).unwrap().to_string()
        })
        .collect();
    assert_eq!(ncs.first().map(String::as_str), Some("00000001"));
    assert_eq!(ncs.last().map(String::as_str), Some("00000014"));
}

#[tokio::test]
async fn digest_takes_a_stale_nonce_and_retries_once() {
    let fake = FakeAtlas::builder()
        .api_key(PUBLIC_KEY, PRIVATE_KEY)
        .cluster(GROUP, CLUSTER)
        .nonce_max_uses(5)
        .start()
        .await;
    let client = client(&fake, digest());
    for _ in 0..10 {
        revoke(&client).await.unwrap();
    }
    // 1 first challenge + 10 calls + 1 stale challenge after the 5th use.
    assert_eq!(fake.api_request_count(), 12);
}

#[tokio::test]
async fn digest_sha256_and_wrong_keys() {
    let fake = FakeAtlas::builder()
        .api_key(PUBLIC_KEY, PRIVATE_KEY)
        .cluster(GROUP, CLUSTER)
        .digest_sha256()
        .start()
        .await;
    client(&fake, digest())
        .clusters()
        .revoke_mongo_employee_access(GROUP, CLUSTER)
        .send()
        .await
        .unwrap();
    assert!(fake.requests()[1]
        .header("authorization")
        .unwrap()
        .contains("algorithm=SHA-256"));

    let wrong = client(&fake, Credentials::api_key(PUBLIC_KEY, "not-the-key"));
    let err = revoke(&wrong).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.is_error_code("UNAUTHORIZED"), "{err}");
}

#[tokio::test]
async fn concurrent_digest_calls_share_the_nonce() {
    let fake = fake().await;
    let client = client(&fake, digest());
    revoke(&client).await.unwrap();
    let calls = (0..32).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { revoke(&client).await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(fake.api_request_count(), 2 + 32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_on_a_cold_client_make_one_token_request() {
    let fake = fake().await;
    let client = client(&fake, service_account());
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { revoke(&client).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(fake.token_request_count(), 1);
    assert_eq!(fake.api_request_count(), 50);
}

#[tokio::test]
async fn a_rejected_token_is_replaced_once() {
    let fake = fake().await;
    let client = client(&fake, service_account());
    revoke(&client).await.unwrap();
    fake.expire_tokens();
    revoke(&client).await.unwrap();
    assert_eq!(fake.token_request_count(), 2);
    assert_eq!(
        fake.api_request_count(),
        3,
        "one 401, then the retry with the new token"
    );
}

#[tokio::test]
async fn tokens_with_a_vendor_content_type_are_accepted() {
    let fake = FakeAtlas::builder()
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .cluster(GROUP, CLUSTER)
        .token_content_type("application/vnd.atlas.2023-01-01+json;charset=utf-8")
        .start()
        .await;
    client(&fake, service_account())
        .clusters()
        .revoke_mongo_employee_access(GROUP, CLUSTER)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn short_lived_tokens_are_refreshed_before_they_expire() {
    let fake = FakeAtlas::builder()
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .cluster(GROUP, CLUSTER)
        .token_lifetime(2)
        .start()
        .await;
    let client = client(&fake, service_account());
    revoke(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    revoke(&client).await.unwrap();
    assert_eq!(
        fake.token_request_count(),
        2,
        "refreshed within the last half of its life"
    );
    assert_eq!(fake.api_request_count(), 2, "never sent an expired token");
}

#[tokio::test]
async fn a_refused_service_account_is_an_auth_error() {
    let fake = fake().await;
    let client = client(&fake, Credentials::service_account(CLIENT_ID, "wrong"));
    let err = revoke(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Auth {
                operation: "revokeMongoEmployeeAccess",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("HTTP 401"), "{err}");
    assert_eq!(fake.api_request_count(), 0);
}

/// Whether each request to `fake` carried a digest answer.
fn answered(fake: &FakeAtlas) -> Vec<bool> {
    fake.requests()
        .iter()
        .map(|r| r.header("authorization").is_some())
        .collect()
}

/// An Ops Manager URL of the Atlas origin shares the Atlas digest session:
/// one challenge serves both base URLs. Of another origin, the same key
/// starts a session of its own there.
#[tokio::test]
async fn one_origin_one_digest_session() {
    let atlas = fake().await;
    let shared = Client::builder()
        .base_url(atlas.url())
        .ops_manager_url(format!("{}/", atlas.url()))
        .credentials(digest())
        .build()
        .unwrap();
    revoke(&shared).await.unwrap();
    delete_key(&shared).await.unwrap();
    assert_eq!(answered(&atlas), [false, true, true], "one challenge for both");

    let atlas = fake().await;
    let ops = fake().await;
    let apart = Client::builder()
        .base_url(atlas.url())
        .ops_manager_url(ops.url())
        .credentials(digest())
        .build()
        .unwrap();
    revoke(&apart).await.unwrap();
    delete_key(&apart).await.unwrap();
    assert_eq!(answered(&atlas), [false, true]);
    assert_eq!(answered(&ops), [false, true], "no Atlas nonce is answered there");
}

async fn delete_key(client: &Client) -> Result<(), Error> {
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .map(|_| ())
}

#[tokio::test]
async fn secrets_never_show() {
    let (logs, _guard) = capture_logs();
    for credentials in [digest(), service_account()] {
        let fake = fake().await;
        let client = client(&fake, credentials.clone());
        all_seed_calls(&client).await.unwrap_or_else(|e| panic!("{e}"));
        // Errors of every kind that involve the credentials.
        let wrong = match credentials {
            Credentials::ApiKey { .. } => Credentials::api_key(PUBLIC_KEY, format!("{PRIVATE_KEY}-x")),
            _ => Credentials::service_account(CLIENT_ID, format!("{CLIENT_SECRET}-x")),
        };
        let err = atlas_admin_tests::client(&fake, wrong.clone())
            .clusters()
            .revoke_mongo_employee_access(GROUP, CLUSTER)
            .send()
            .await
            .unwrap_err();
        let shown = format!("{client:?} {credentials:?} {wrong:?} {err} {err:?}");
        for secret in [PRIVATE_KEY, CLIENT_SECRET] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
    let text = logs.text();
    assert!(text.contains("sending"), "debug logs were captured: {text}");
    for secret in [PRIVATE_KEY, CLIENT_SECRET, "fake-token-"] {
        assert!(!text.contains(secret), "{secret} leaked into the logs");
    }
}

#[test]
fn credentials_never_go_over_plain_http_to_other_hosts() {
    let err = Client::builder()
        .base_url("http://atlas.example.com")
        .credentials(digest())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("plain http"), "{err}");
    let err = Client::builder()
        .ops_manager_url("http://opsmanager.example.com:8080")
        .credentials(service_account())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("Ops Manager URL"), "{err}");
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .credentials(digest())
        .build()
        .unwrap();
    Client::builder()
        .base_url("http://localhost:9")
        .credentials(digest())
        .build()
        .unwrap();
    Client::builder()
        .base_url("http://atlas.example.com")
        .credentials(digest())
        .allow_insecure_http(true)
        .build()
        .unwrap();
    let err = Client::builder().base_url("not a url").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)));
}
