//! The README's "Testing your app" example, on the seed crate's generated
//! fake: one answer overridden with a typed model, a recorded call asserted
//! on, and a queued sequence.

use atlas_admin::fake::{Answer, FakeAtlas};
use atlas_admin::models::{TargetOrg, TargetOrgRequest};
use atlas_admin::Client;
use serde_json::json;

const ORG: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";

fn client(fake: &FakeAtlas) -> Client {
    Client::builder()
        .base_url(fake.url())
        .ops_manager_url(fake.url())
        .api_key("pub", "priv")
        .build()
        .unwrap()
}

/// A link token through the generated client.
async fn link_token(client: &Client) -> String {
    client
        .cloud_migration_service()
        .create_link_token(ORG, TargetOrgRequest::default())
        .send()
        .await
        .unwrap()
        .into_inner()
        .link_token
}

#[tokio::test]
async fn readme_example_overrides_an_answer_and_reads_the_log() {
    let fake = FakeAtlas::builder()
        .api_key("pub", "priv")
        .answer("createLinkToken", TargetOrg::new("tok-1"))
        .start()
        .await;
    let client = client(&fake);
    assert_eq!(link_token(&client).await, "tok-1");
    let call = fake.calls_of("createLinkToken")[0].operation.clone().unwrap();
    assert_eq!(
        (call.version.as_str(), call.params["orgId"].as_str()),
        ("2023-01-01", ORG)
    );
    assert_eq!(call.body, Some(json!({})));
}

#[tokio::test]
async fn without_steering_every_seed_operation_answers_its_generated_value() {
    let fake = FakeAtlas::builder().api_key("pub", "priv").start().await;
    let client = client(&fake);
    assert!(!link_token(&client).await.is_empty());
    client
        .cloud_migration_service()
        .delete_link_tokens(ORG)
        .send()
        .await
        .unwrap();
    client
        .clusters()
        .revoke_mongo_employee_access(ORG, "cluster0")
        .send()
        .await
        .unwrap();
    client
        .agent_api_keys()
        .delete_agent_api_key(ORG, "key-1")
        .send()
        .await
        .unwrap();
    let ids: Vec<String> = fake
        .requests()
        .iter()
        .filter_map(|r| r.operation_id().map(str::to_string))
        .collect();
    assert_eq!(
        ids,
        [
            "createLinkToken",
            "deleteLinkTokens",
            "revokeMongoEmployeeAccess",
            "deleteAgentApiKey"
        ]
    );
}

#[tokio::test]
async fn a_queued_sequence_then_an_error_set_while_running() {
    let fake = FakeAtlas::builder()
        .api_key("pub", "priv")
        .answers(
            "createLinkToken",
            [json!({"linkToken": "a"}), json!({"linkToken": "b"})],
        )
        .start()
        .await;
    let client = client(&fake);
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(link_token(&client).await);
    }
    assert_eq!(got, ["a", "b", "b"]);
    let svc = client.cloud_migration_service();
    fake.respond(
        "deleteLinkTokens",
        Answer::error(409, "CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK", "busy"),
    );
    let e = svc.delete_link_tokens(ORG).send().await.unwrap_err();
    assert!(
        e.is_error_code("CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK"),
        "{e}"
    );
}
