//! The waiters our spec declares, each against the generated fake: it ends
//! when the resource settles, ends at once on a state it does not leave
//! (`failure-values`), and gives up at its timeout naming the last state.
//! (The lifecycle test covers the cluster create and delete, the
//! access-list entry, the snapshot take and delete and the project delete
//! succeeding.)

use atlas_admin::fake::FakeAtlas;
use atlas_admin::models::{
    ClusterDescription20240805, DiskBackupOnDemandSnapshotRequest, FlexClusterDescriptionCreate20241113,
    FlexClusterDescriptionUpdate20241113, FlexProviderSettingsCreate20241113, NetworkPermissionEntry,
};
use atlas_admin::runtime::{serde_json::json, WaitPolicy};
use atlas_admin::{Client, Error};
use std::time::Duration;

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";

fn policy(timeout_ms: u64) -> WaitPolicy {
    WaitPolicy::quick(Duration::from_millis(2), Duration::from_millis(timeout_ms))
}

fn client(fake: &FakeAtlas) -> Client {
    Client::builder()
        .base_url(fake.url())
        .api_key("k", "s")
        .build()
        .unwrap()
}

async fn fake() -> FakeAtlas {
    FakeAtlas::builder().api_key("k", "s").start().await
}

#[tokio::test]
async fn cluster_update_and_flex_cluster_create_update_delete_settle() {
    let fake = fake().await;
    let client = client(&fake);
    let made = client
        .clusters()
        .create_cluster(GROUP, ClusterDescription20240805::new().with_name("c1"))
        .send()
        .await
        .unwrap();
    assert_eq!(made.name.as_deref(), Some("c1"));
    let updated = client
        .clusters()
        .update_cluster(GROUP, "c1", ClusterDescription20240805::new().with_paused(true))
        .send_and_wait(policy(5_000))
        .await
        .unwrap();
    assert_eq!(updated.state_name.as_ref().map(|s| s.as_str()), Some("IDLE"));

    let flex = client.flex_clusters();
    let body = FlexClusterDescriptionCreate20241113::new(FlexProviderSettingsCreate20241113::new()).with_name("f1");
    let created = flex
        .create_flex_cluster(GROUP, body)
        .send_and_wait(policy(5_000))
        .await
        .unwrap();
    assert_eq!(created.name.as_deref(), Some("f1"));
    flex.update_flex_cluster(GROUP, "f1", FlexClusterDescriptionUpdate20241113::new())
        .send_and_wait(policy(5_000))
        .await
        .unwrap();
    flex.delete_flex_cluster(GROUP, "f1")
        .send_and_wait(policy(5_000))
        .await
        .unwrap();
    let polls: Vec<String> = fake
        .requests()
        .iter()
        .filter_map(|r| r.operation.as_ref().map(|o| o.operation_id.clone()))
        .filter(|id| id.starts_with("getGroup"))
        .collect();
    assert_eq!(
        polls,
        [
            "getGroupCluster",
            "getGroupFlexCluster",
            "getGroupFlexCluster",
            "getGroupFlexCluster"
        ]
    );
}

#[tokio::test]
async fn a_failed_snapshot_and_a_failed_entry_end_the_wait_at_once() {
    let fake = fake().await;
    fake.answers(
        "getGroupClusterBackupSnapshot",
        [
            json!({"id": "6a0f00000000000000000009", "status": "queued"}),
            json!({"id": "6a0f00000000000000000009", "status": "failed"}),
        ],
    );
    fake.answer("getGroupAccessListStatus", json!({"STATUS": "FAILED"}));
    let client = client(&fake);
    let err = client
        .cloud_backups()
        .take_snapshots(GROUP, "c1", DiskBackupOnDemandSnapshotRequest::new())
        .send_and_wait(policy(3_000))
        .await
        .unwrap_err();
    let Error::WaitFailed { resource, state, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(state, "failed");
    assert!(
        resource.starts_with("getGroupClusterBackupSnapshot 5f0a1b2c3d4e5f6a7b8c9d0e/c1/"),
        "{resource}"
    );
    assert_eq!(
        fake.calls_of("getGroupClusterBackupSnapshot").len(),
        2,
        "no poll after the failure"
    );

    let entry = NetworkPermissionEntry::new().with_cidr_block("192.0.2.0/24");
    let err = client
        .project_ip_access_list()
        .create_access_list_entry(GROUP, vec![entry])
        .send_and_wait(policy(3_000))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::WaitFailed { state, .. } if state == "FAILED"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_cluster_that_never_settles_times_out_naming_its_last_state() {
    let fake = fake().await;
    fake.answer("getGroupCluster", json!({"name": "c1", "stateName": "CREATING"}));
    let client = client(&fake);
    let err = client
        .clusters()
        .create_cluster(GROUP, ClusterDescription20240805::new().with_name("c1"))
        .send_and_wait(policy(50))
        .await
        .unwrap_err();
    let Error::WaitTimeout { last_state, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(last_state.as_deref(), Some("CREATING"));
}
