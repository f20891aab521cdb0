//! Resource versions: unsupported (406) and gone (410) versions,
//! answers of another version, deprecation and sunset warnings.

use super::*;

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
    let err = create_token(&client).await.unwrap_err();
    assert!(
        matches!(&err, Error::VersionMismatch { sent: V2023, received, .. } if received == "application/vnd.atlas.2025-01-01+json"),
        "{err:?}"
    );
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
    let first = create_token(&client).await.unwrap();
    assert_eq!(first.sunset(), Some(sunset));
    assert_eq!(first.deprecation(), Some("true"));
    create_token(&client).await.unwrap();
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

/// A version past its `x-sunset` date (by the system clock) is logged once
/// per operation and version, naming the newer versions (issue #10).
static PAST_SUNSET: atlas_admin::runtime::Endpoint = atlas_admin::runtime::Endpoint {
    operation_id: "getCluster",
    method: atlas_admin::runtime::Method::Get,
    base: atlas_admin::runtime::Base::Atlas,
    path_template: "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}",
    accept: "application/vnd.atlas.2023-01-01+json",
    version: "2023-01-01",
    content_type: None,
    sunset: Some("2024-06-30"),
    newer: &["get_cluster_v2023_02_01", "get_cluster_v2024_08_05"],
    statuses: &[200],
    sensitive: &[],
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
