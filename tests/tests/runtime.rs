//! The client runtime on the wire, against the fake Atlas on 127.0.0.1:
//! auth, versions, errors, retries, envelopes and secrets.

use atlas_admin::fake::{FakeAtlas, Fault};
use atlas_admin::models::TargetOrgRequest;
use atlas_admin::{Client, Credentials, Error, RetryPolicy};
use atlas_admin_tests::*;
use std::time::Duration;

const V2023: &str = "application/vnd.atlas.2023-01-01+json";

/// Calls the four seed operations once each.
async fn all_seed_calls(client: &Client) -> Result<(), Error> {
    let token = client
        .cloud_migration_service()
        .create_link_token(
            ORG,
            TargetOrgRequest {
                access_list_ips: Some(vec!["203.0.113.7".into()]),
            },
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

/// Every documented error status reaches the caller typed, with its code.
#[tokio::test]
async fn documented_error_statuses_are_typed_errors() {
    let fake = fake().await;
    let client = Client::builder()
        .base_url(fake.url())
        .credentials(digest())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    // From the fake's state.
    let err = client
        .cloud_migration_service()
        .delete_link_tokens(ORG)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.error_code()),
        (Some(404), Some("RESOURCE_NOT_FOUND")),
        "no link token yet"
    );
    let err = client
        .cloud_migration_service()
        .delete_link_tokens(BUSY_ORG)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert!(err.is_error_code("CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK"));
    let api = err.api_error().unwrap();
    assert_eq!(api.operation, "deleteLinkTokens");
    assert_eq!(api.reason.as_deref(), Some("Conflict"));
    assert!(api.detail.as_deref().unwrap().contains("active migration"));
    assert!(err
        .to_string()
        .starts_with("deleteLinkTokens: HTTP 409 CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK"));
    // Injected, one per status.
    for (status, code) in [
        (400, "VALIDATION_ERROR"),
        (401, "NOT_ORG_GROUP_CREATOR"),
        (403, "CANNOT_CHANGE_GROUP_NAME"),
        (429, "RATE_LIMITED"),
        (500, "UNEXPECTED_ERROR"),
    ] {
        fake.inject(Fault::new(status, code));
        let err = revoke(&client).await.unwrap_err();
        assert_eq!(err.status(), Some(status), "{err}");
        assert!(err.is_error_code(code), "{err}");
    }
}

#[tokio::test]
async fn the_fake_itself_rejects_invalid_ids_with_400() {
    let fake = FakeAtlas::builder().org(ORG).start().await;
    let response = reqwest::Client::new()
        .delete(format!(
            "{}/api/atlas/v2/orgs/not-an-id/liveMigrations/linkTokens",
            fake.url()
        ))
        .header("Accept", V2023)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["errorCode"], "VALIDATION_ERROR");
}

#[tokio::test]
async fn a_429_on_delete_is_retried_after_retry_after() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    fake.inject(Fault::new(429, "RATE_LIMITED").retry_after("1"));
    let started = std::time::Instant::now();
    revoke(&client).await.expect_err("POST: not retried");
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .expect("fake has no fault left");
    assert!(started.elapsed() < Duration::from_millis(900), "the POST did not wait");

    let fake = fake_with_key().await;
    let client = atlas_admin_tests::client(&fake, Credentials::None);
    fake.inject(Fault::new(429, "RATE_LIMITED").retry_after("1"));
    let started = std::time::Instant::now();
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
    let deletes: Vec<_> = fake.requests().into_iter().filter(|r| r.method == "DELETE").collect();
    assert_eq!(deletes.len(), 2, "sent, rate limited, sent again");
}

async fn fake_with_key() -> FakeAtlas {
    FakeAtlas::builder()
        .agent_api_key(PROJECT, AGENT_KEY)
        .cluster(GROUP, CLUSTER)
        .org(ORG)
        .start()
        .await
}

#[tokio::test]
async fn a_429_on_post_is_not_sent_again() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    fake.inject(Fault::new(429, "RATE_LIMITED").retry_after("1"));
    let err = client
        .cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        err.api_error().unwrap().retry_after,
        Some(Duration::from_secs(1)),
        "the caller can wait itself"
    );
    assert_eq!(fake.requests().iter().filter(|r| r.method == "POST").count(), 1);
    assert_eq!(fake.link_token(ORG), None);
}

#[tokio::test]
async fn a_503_with_an_http_date_is_retried_and_retries_are_bounded() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    let soon = httpdate_in(Duration::from_secs(1));
    fake.inject(Fault::new(503, "SERVICE_UNAVAILABLE").retry_after(soon));
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .unwrap();

    fake.inject(Fault::new(503, "SERVICE_UNAVAILABLE").times(10));
    let err = revoke(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    fake.clear_requests();
    let err = client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, "5d9f7b9c2a7f1b6f2c1a4e3c")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(fake.requests().len(), 4, "the first attempt and max_retries = 3");
}

fn httpdate_in(d: Duration) -> String {
    // RFC 7231 IMF-fixdate, computed by hand to keep httpdate out of the tests.
    let secs = (std::time::SystemTime::now() + d)
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let days = secs / 86400;
    let (h, m, s) = ((secs % 86400) / 3600, (secs % 3600) / 60, secs % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil from days (Howard Hinnant).
    let z = days as i64 + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {h:02}:{m:02}:{s:02} GMT",
        months[(month - 1) as usize]
    )
}

#[tokio::test]
async fn envelope_responses_are_unwrapped() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    let token = client
        .cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .envelope(true)
        .send()
        .await
        .unwrap();
    assert_eq!(Some(token.link_token.clone()), fake.link_token(ORG));
    assert_eq!(token.status(), 200, "the status inside the envelope");
    let deleted = client
        .cloud_migration_service()
        .delete_link_tokens(ORG)
        .envelope(true)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let err = client
        .cloud_migration_service()
        .delete_link_tokens(ORG)
        .envelope(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.error_code()),
        (Some(404), Some("RESOURCE_NOT_FOUND"))
    );
    assert_eq!(fake.requests()[0].query.as_deref(), Some("envelope=true"));
}

#[tokio::test]
async fn bad_path_parameters_send_nothing() {
    let fake = fake().await;
    let client = client(&fake, digest());
    let err = client
        .cloud_migration_service()
        .delete_link_tokens("not-a-hex-id")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                operation: "deleteLinkTokens",
                parameter: "orgId",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("does not match the pattern ^([a-f0-9]{24})$"));
    let err = client
        .clusters()
        .revoke_mongo_employee_access(GROUP, "-leading-dash")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                parameter: "clusterName",
                ..
            }
        ),
        "{err:?}"
    );
    let err = client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, "")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                parameter: "API-AGENT-KEY-ID",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(fake.requests().len(), 0);
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    let err = client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, "a/b c?")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        fake.requests()[0].path,
        format!("/api/public/v1.0/groups/{PROJECT}/agentapikeys/a%2Fb%20c%3F")
    );
}

#[tokio::test]
async fn unsupported_and_gone_versions_say_what_was_sent() {
    let fake = FakeAtlas::builder().org(ORG).gone_version(V2023).start().await;
    let client = client(&fake, Credentials::None);
    let err = client
        .cloud_migration_service()
        .delete_link_tokens(ORG)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnsupportedVersion {
                status: 410,
                sent: V2023,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_error_code("VERSION_GONE"));
    assert!(err.to_string().contains("sunset date has passed"), "{err}");

    let fake = fake_with_key().await;
    let client = atlas_admin_tests::client(&fake, Credentials::None);
    fake.inject(Fault::new(406, "INVALID_VERSION_DATE"));
    let err = revoke(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnsupportedVersion {
                status: 406,
                sent: "application/vnd.atlas.2024-08-05+json",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_response_of_another_version_is_an_error() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    fake.inject(Fault::new(200, "").raw_body("application/vnd.atlas.2025-01-01+json", r#"{"linkToken":"x"}"#));
    let err = client
        .cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::VersionMismatch { sent: V2023, received, .. } if received == "application/vnd.atlas.2025-01-01+json"),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_html_page_from_a_proxy_is_a_decode_error_with_an_excerpt() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    fake.inject(Fault::new(502, "").raw_body("text/html", "<html><body>Bad Gateway</body></html>"));
    let err = revoke(&client).await.unwrap_err();
    match &err {
        Error::Decode {
            status: 502, excerpt, ..
        } => {
            assert!(excerpt.expose().contains("Bad Gateway"));
            assert!(
                err.to_string().contains("Bad Gateway"),
                "error bodies are excerpted: {err}"
            );
        }
        other => panic!("{other:?}"),
    }
    fake.inject(Fault::new(200, "").raw_body(V2023, "<html>not json</html>"));
    let err = client
        .cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
}

fn capture_logs() -> (Captured, tracing::subscriber::DefaultGuard) {
    capture_logs_with(tracing::Level::TRACE, false)
}

#[tokio::test]
async fn deprecated_versions_are_logged_once_and_readable() {
    let sunset = "Thu, 31 Dec 2026 00:00:00 GMT";
    let fake = FakeAtlas::builder()
        .org(ORG)
        .deprecate_version(V2023, sunset)
        .start()
        .await;
    let (logs, _guard) = capture_logs();
    let client = client(&fake, Credentials::None);
    let first = client
        .cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap();
    assert_eq!(first.sunset(), Some(sunset));
    assert_eq!(first.deprecation(), Some("true"));
    client
        .cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap();
    let text = logs.text();
    let warnings: Vec<&str> = text.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{text}");
    assert!(warnings[0].contains("createLinkToken") && warnings[0].contains(V2023) && warnings[0].contains(sunset));
    assert_eq!(
        first.rate_limit(),
        Some(atlas_admin::RateLimit {
            limit: 100,
            remaining: 99
        })
    );
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

#[test]
fn configuration_from_the_environment() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    };
    let b = Client::builder()
        .from_lookup(vars(&[
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "p"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "s"),
            ("MONGODB_ATLAS_OPS_MANAGER_URL", "https://om.example.com"),
        ]))
        .unwrap();
    let shown = format!("{b:?}");
    assert!(shown.contains("om.example.com") && shown.contains("ApiKey"), "{shown}");
    b.build().unwrap();
    Client::builder()
        .from_lookup(vars(&[
            ("MONGODB_ATLAS_CLIENT_ID", "i"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "s"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    let err = Client::builder()
        .from_lookup(vars(&[
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "p"),
            ("MONGODB_ATLAS_CLIENT_ID", "i"),
        ]))
        .unwrap_err();
    assert!(err.to_string().contains("set only one"), "{err}");
    let err = Client::builder()
        .from_lookup(vars(&[("MONGODB_ATLAS_PUBLIC_API_KEY", "p")]))
        .unwrap_err();
    assert!(
        err.to_string().contains("MONGODB_ATLAS_PRIVATE_API_KEY is not set"),
        "{err}"
    );
    let err = Client::builder()
        .from_lookup(vars(&[("MONGODB_ATLAS_CLIENT_SECRET", "s")]))
        .unwrap_err();
    assert!(err.to_string().contains("MONGODB_ATLAS_CLIENT_ID is not set"), "{err}");
    let err = Client::builder().from_lookup(vars(&[])).unwrap_err();
    assert!(err.to_string().contains("no credentials"), "{err}");
    let err = Client::builder()
        .from_lookup(vars(&[
            ("MONGODB_ATLAS_CLIENT_ID", "i"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "s"),
            ("MONGODB_ATLAS_BASE_URL", "http://atlas.example.com"),
        ]))
        .unwrap()
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("plain http"), "{err}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hold = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let client = Client::builder()
        .base_url(url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = revoke(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "revokeMongoEmployeeAccess",
                ..
            }
        ),
        "{err:?}"
    );
    hold.abort();
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder()
        .base_url(url)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        })
        .build()
        .unwrap();
    let err = client
        .cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "createLinkToken",
                ..
            }
        ),
        "{err:?}"
    );
}

/// A version past its `x-sunset` date (by the system clock) is logged once
/// per operation and version, naming the newer versions (issue #10).
static PAST_SUNSET: atlas_admin::runtime::Endpoint = atlas_admin::runtime::Endpoint {
    operation_id: "getCluster",
    method: atlas_admin::runtime::Method::Get,
    base: atlas_admin::runtime::Base::Atlas,
    path_template: "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}",
    accept: "application/vnd.atlas.2023-01-01+json",
    content_type: None,
    sunset: Some("2024-06-30"),
    newer: &["get_cluster_v2023_02_01", "get_cluster_v2024_08_05"],
};

fn past_sunset_request() -> atlas_admin::runtime::Request {
    let mut request = atlas_admin::runtime::Request::new(&PAST_SUNSET);
    request.path("/api/atlas/v2/groups/");
    request.path_param("groupId", &GROUP, None).unwrap();
    request.path("/clusters/");
    request.path_param("clusterName", &CLUSTER, None).unwrap();
    request
}

#[tokio::test]
async fn a_version_past_its_sunset_is_logged_once_with_the_newer_versions() {
    let fake = FakeAtlas::builder()
        .route("GET", PAST_SUNSET.path_template, &[PAST_SUNSET.accept], |_, call| {
            atlas_admin::fake::Answer::ok(200, call.accept, Some(serde_json::json!({"name": CLUSTER})))
        })
        .start()
        .await;
    let (logs, _guard) = capture_logs();
    let client = client(&fake, Credentials::None);
    for _ in 0..3 {
        client
            .send_json::<serde_json::Value>(past_sunset_request())
            .await
            .unwrap();
    }
    let text = logs.text();
    let warnings: Vec<&str> = text.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{text}");
    for part in [
        "getCluster",
        "2024-06-30",
        "get_cluster_v2023_02_01, get_cluster_v2024_08_05",
        "past its sunset",
    ] {
        assert!(warnings[0].contains(part), "{part}: {}", warnings[0]);
    }
}

#[tokio::test]
async fn version_gone_names_the_newer_versions() {
    let fake = FakeAtlas::builder()
        .route("GET", PAST_SUNSET.path_template, &[PAST_SUNSET.accept], |_, _| {
            atlas_admin::fake::Answer::ok(200, "application/json", None)
        })
        .gone_version(PAST_SUNSET.accept)
        .start()
        .await;
    let client = client(&fake, Credentials::None);
    let err = client
        .send_json::<serde_json::Value>(past_sunset_request())
        .await
        .unwrap_err();
    match &err {
        Error::UnsupportedVersion { status: 410, newer, .. } => {
            assert_eq!(*newer, ["get_cluster_v2023_02_01", "get_cluster_v2024_08_05"])
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .contains("newer versions in this crate: get_cluster_v2023_02_01, get_cluster_v2024_08_05"),
        "{err}"
    );
}
