//! One tracing span per call (issue #11): its fields, the events inside it
//! (retries with their wait, digest challenges, token fetches,
//! deprecation warnings), and no secret anywhere in what is logged.

use atlas_admin::fake::{FakeAtlas, Fault};
use atlas_admin::models::TargetOrgRequest;
use atlas_admin::{Credentials, Error};
use atlas_admin_tests::*;

/// Everything at DEBUG and above, with a line when each span closes (which
/// carries the fields recorded during the call).
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    capture_logs_with(tracing::Level::DEBUG, true)
}

/// The line where the span of `operation` closed.
fn closed<'t>(text: &'t str, operation: &str, nth: usize) -> &'t str {
    text.lines()
        .filter(|l| l.contains("close") && l.contains(&format!("operation_id=\"{operation}\"")))
        .nth(nth)
        .unwrap_or_else(|| panic!("no close line {nth} for {operation}:\n{text}"))
}

#[tokio::test]
async fn each_call_is_one_span_with_its_fields_and_events_and_no_secrets() {
    let fake = fake().await;
    let (logs, _guard) = capture();

    // Success with digest: the first exchange meets a challenge.
    let digest_client = client(&fake, digest());
    revoke(&digest_client).await.unwrap();

    // A retry: 429 once, with Retry-After.
    fake.inject(
        Fault::new(429, "RATE_LIMITED")
            .retry_after("0")
            .on("DELETE", "linkTokens"),
    );
    let sa = client(&fake, service_account());
    sa.cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap();
    sa.cloud_migration_service()
        .delete_link_tokens(ORG)
        .send()
        .await
        .unwrap();

    // A 409 with its errorCode.
    let err = sa
        .cloud_migration_service()
        .delete_link_tokens(BUSY_ORG)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)));

    // A token refresh: the server forgets its tokens, the client fetches anew.
    fake.expire_tokens();
    revoke(&sa).await.unwrap();

    let text = logs.text();
    let revoke_digest = closed(&text, "revokeMongoEmployeeAccess", 0);
    for part in [
        "atlas_call",
        "otel.name=\"revokeMongoEmployeeAccess\"",
        "version=\"application/vnd.atlas.2024-08-05+json\"",
        "method=\"POST\"",
        "path=\"/api/atlas/v2/groups/{groupId}/clusters/{clusterName}:revokeMongoDBEmployeeAccess\"",
        "attempts=2",
        "status=204",
        "elapsed_ms=",
    ] {
        assert!(revoke_digest.contains(part), "{part} in {revoke_digest}");
    }
    assert!(
        text.lines()
            .any(|l| l.contains("atlas_call") && l.contains("digest challenge")),
        "{text}"
    );

    let retried = closed(&text, "deleteLinkTokens", 0);
    assert!(
        retried.contains("attempts=2") && retried.contains("status=204"),
        "{retried}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("atlas_call") && l.contains("retrying") && l.contains("wait=")),
        "the retry and its wait are inside the span:\n{text}"
    );

    let conflict = closed(&text, "deleteLinkTokens", 1);
    assert!(conflict.contains("status=409"), "{conflict}");
    assert!(
        conflict.contains("error_code=\"CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK\""),
        "{conflict}"
    );

    assert!(
        text.lines()
            .any(|l| l.contains("atlas_call") && l.contains("requesting a service-account token")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("atlas_call") && l.contains("bearer token refused")),
        "{text}"
    );
    let refreshed = closed(&text, "revokeMongoEmployeeAccess", 1);
    assert!(
        refreshed.contains("attempts=2") && refreshed.contains("status=204"),
        "{refreshed}"
    );

    for secret in [
        PRIVATE_KEY,
        CLIENT_SECRET,
        "fake-token-",
        "fake-link-token-",
        "Authorization",
        "Bearer fake",
        "response=\"",
    ] {
        assert!(!text.contains(secret), "{secret:?} must not be logged:\n{text}");
    }
}

#[tokio::test]
async fn deprecation_warnings_are_inside_the_span() {
    let fake = FakeAtlas::builder()
        .org(ORG)
        .deprecate_version("application/vnd.atlas.2023-01-01+json", "Thu, 31 Dec 2026 00:00:00 GMT")
        .start()
        .await;
    let (logs, _guard) = capture();
    client(&fake, Credentials::None)
        .cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap();
    let text = logs.text();
    assert!(
        text.lines()
            .any(|l| l.contains("WARN") && l.contains("atlas_call") && l.contains("deprecated")),
        "{text}"
    );
}

#[tokio::test]
async fn deviations_are_logged_once_per_operation_version_type_field_and_kind() {
    use atlas_admin::fake::Answer;
    let answer = serde_json::json!({"linkToken": "tok-secret-value", "surpriseField": 1});
    let fake = FakeAtlas::builder()
        .respond(
            "createLinkToken",
            Answer::ok(201, "application/vnd.atlas.2023-01-01+json", Some(answer)),
        )
        .start()
        .await;
    let client = atlas_admin::Client::builder().base_url(fake.url()).build().unwrap();
    let (logs, _guard) = capture();
    for _ in 0..3 {
        let token = create_token(&client).await.unwrap();
        assert_eq!(token.deviations().len(), 1, "every response lists its deviations");
    }
    let text = logs.text();
    let warned: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("the answer differs from the spec"))
        .collect();
    assert_eq!(warned.len(), 1, "{text}");
    for field in [
        "operation=\"createLinkToken\"",
        "version=\"2023-01-01\"",
        "kind=\"unknown-property\"",
        "type_name=\"TargetOrg\"",
        "field=surpriseField",
    ] {
        assert!(warned[0].contains(field), "{field} missing: {}", warned[0]);
    }
    assert!(
        !text.contains("tok-secret-value"),
        "a value of the answer was logged:\n{text}"
    );
}
