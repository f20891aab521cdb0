//! Each seed operation, sent by the generated client to a real HTTP server
//! on 127.0.0.1: method, path, query and the exact version headers.

use atlas_admin::fake::RecordedRequest;
use atlas_admin::models::TargetOrgRequest;
use atlas_admin::Client;
use atlas_admin_tests::*;

/// The request that was served (the last one: digest sends a challenge first).
fn served(fake: &atlas_admin::fake::FakeAtlas) -> RecordedRequest {
    fake.requests().pop().expect("the fake received a request")
}

#[tokio::test]
async fn create_link_token() {
    let fake = fake().await;
    let client = client(&fake, digest());
    let body = TargetOrgRequest::new().with_access_list_ips(vec!["203.0.113.7".into(), "198.51.100.0".into()]);
    let token = client
        .cloud_migration_service()
        .create_link_token(ORG, body)
        .pretty(true)
        .send()
        .await
        .unwrap();
    // 201, as real Atlas answers (our spec follows the recordings).
    assert_eq!(token.status(), 201);
    assert!(token.deviations().is_empty(), "{:?}", token.deviations());
    assert_eq!(Some(token.link_token.clone()), fake.link_token(ORG));
    let r = served(&fake);
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, format!("/api/atlas/v2/orgs/{ORG}/liveMigrations/linkTokens"));
    assert_eq!(r.query.as_deref(), Some("pretty=true"));
    assert_eq!(r.header("accept"), Some("application/vnd.atlas.2023-01-01+json"));
    assert_eq!(r.header("content-type"), Some("application/vnd.atlas.2023-01-01+json"));
    assert!(r.header("user-agent").unwrap().starts_with("atlas-admin-rs/"));
    let sent: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"accessListIps": ["203.0.113.7", "198.51.100.0"]})
    );
}

#[tokio::test]
async fn delete_link_tokens() {
    let fake = fake().await;
    let client = client(&fake, digest());
    let group = client.cloud_migration_service();
    group
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap();
    let deleted = group.delete_link_tokens(ORG).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(fake.link_token(ORG), None);
    let r = served(&fake);
    assert_eq!(r.method, "DELETE");
    assert_eq!(r.path, format!("/api/atlas/v2/orgs/{ORG}/liveMigrations/linkTokens"));
    assert_eq!(r.query, None, "no optional parameter set, none sent");
    assert_eq!(r.header("accept"), Some("application/vnd.atlas.2023-01-01+json"));
    assert_eq!(r.header("content-type"), None, "no body, no content type");
}

#[tokio::test]
async fn revoke_mongo_employee_access() {
    let fake = fake().await;
    let client = client(&fake, digest());
    let done = client
        .clusters()
        .revoke_mongo_employee_access(GROUP, CLUSTER)
        .envelope(false)
        .pretty(true)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 204);
    let r = served(&fake);
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.path,
        format!("/api/atlas/v2/groups/{GROUP}/clusters/{CLUSTER}:revokeMongoDBEmployeeAccess")
    );
    assert_eq!(
        r.query_pairs(),
        [
            ("envelope".to_string(), "false".to_string()),
            ("pretty".into(), "true".into())
        ]
    );
    assert_eq!(r.header("accept"), Some("application/vnd.atlas.2024-08-05+json"));
}

#[tokio::test]
async fn delete_agent_api_key_goes_to_the_ops_manager_host() {
    let atlas = fake().await;
    let ops_manager = fake().await;
    let client = Client::builder()
        .base_url(atlas.url())
        .ops_manager_url(ops_manager.url())
        .credentials(digest())
        .build()
        .unwrap();
    let done = client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .pretty(true)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert_eq!(
        atlas.requests().len(),
        0,
        "Cloud Manager v1.0 calls use the Ops Manager base URL"
    );
    assert!(ops_manager.agent_api_keys().is_empty());
    let r = served(&ops_manager);
    assert_eq!(r.method, "DELETE");
    assert_eq!(
        r.path,
        format!("/api/public/v1.0/groups/{PROJECT}/agentapikeys/{AGENT_KEY}")
    );
    assert_eq!(r.query.as_deref(), Some("pretty=true"));
    assert_eq!(r.header("accept"), Some("application/json"), "v1.0 is unversioned");
}

/// Pinning a version calls exactly that version.
#[tokio::test]
async fn versioned_methods_send_their_own_media_type() {
    let fake = fake().await;
    let client = client(&fake, digest());
    client
        .cloud_migration_service()
        .create_link_token_v2023_01_01(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap();
    assert_eq!(
        served(&fake).header("accept"),
        Some("application/vnd.atlas.2023-01-01+json")
    );
    client
        .clusters()
        .revoke_mongo_employee_access_v2024_08_05(GROUP, CLUSTER)
        .send()
        .await
        .unwrap();
    assert_eq!(
        served(&fake).header("accept"),
        Some("application/vnd.atlas.2024-08-05+json")
    );
}
