//! What reaches the caller when Atlas, a proxy or the caller's own input
//! is wrong: typed API errors, invalid path parameters (nothing sent),
//! undecodable bodies, and envelopes.

use super::*;

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

/// `send()` returns a `Send` future that sends nothing until it is polled;
/// dropping it unpolled sends nothing at all.
#[tokio::test]
async fn a_send_future_sends_nothing_until_it_is_polled() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    let pending = client.clusters().revoke_mongo_employee_access(GROUP, CLUSTER).send();
    let delete = client.agent_api_keys().delete_agent_api_key(PROJECT, AGENT_KEY).send();
    tokio::task::yield_now().await;
    assert!(fake.requests().is_empty(), "nothing sent before polling");
    drop(delete);
    fn is_send<T: Send>(_: &T) {}
    is_send(&pending);
    pending.await.unwrap();
    let sent = fake.requests();
    assert_eq!(sent.len(), 1, "only the polled future sent: {sent:?}");
    assert!(
        sent[0].path.ends_with(":revokeMongoDBEmployeeAccess"),
        "{}",
        sent[0].path
    );
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
    let err = create_token(&client).await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
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
    assert_eq!(token.status(), 201, "the status inside the envelope");
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
