//! The README's first example, in full: `generated-client/examples/lifecycle.rs`
//! run against the generated fake Atlas. Each step is checked in the fake's
//! request log: what was sent, in order, and that every waiter polled.

// The example's `main` is for `cargo run`; its cfg names atlas-admin's feature.
#[allow(dead_code, unexpected_cfgs)]
#[path = "../../generated-client/examples/lifecycle.rs"]
mod lifecycle;

use atlas_admin::runtime::WaitPolicy;
use atlas_admin_tests::{bare_fake, client, digest};
use std::time::Duration;

const ORG: &str = "4888442a3354817a7320eb61";

#[tokio::test]
async fn the_lifecycle_runs_against_the_fake_step_by_step() {
    let fake = bare_fake().await;
    let client = client(&fake, digest());
    let policy = WaitPolicy::quick(Duration::from_millis(5), Duration::from_secs(5));
    let made = lifecycle::lifecycle(&client, ORG, policy).await.unwrap();

    assert_eq!(made.cluster, "demo-cluster");
    assert_eq!(made.cluster_state, "IDLE");
    // The fake's answer to a create carries the path parameters of the
    // resource, as Atlas's does.
    assert_eq!(made.cluster_group_id.as_ref(), Some(&made.group_id));
    assert_eq!(made.access_list_status, "ACTIVE");
    assert_eq!(made.snapshot_status, "completed");
    assert!(made.connection_string.is_some(), "{made:?}");
    assert_eq!(made.clusters_listed, ["demo-cluster"]);
    assert_eq!(made.group_id.len(), 24, "a project id as Atlas makes them: {made:?}");

    let calls: Vec<String> = fake
        .requests()
        .iter()
        .filter_map(|r| r.operation.as_ref().map(|o| o.operation_id.clone()))
        .collect();
    let order = [
        "createGroup",
        "createGroupCluster",
        "getGroupCluster",
        "createGroupDatabaseUser",
        "createGroupAccessListEntry",
        "getGroupAccessListStatus",
        "getGroupCluster",
        "takeGroupClusterBackupSnapshots",
        "getGroupClusterBackupSnapshot",
        "listGroupClusters",
        "deleteGroupClusterBackupSnapshot",
        "getGroupClusterBackupSnapshot",
        "deleteGroupAccessListEntry",
        "deleteGroupDatabaseUser",
        "deleteGroupCluster",
        "getGroupCluster",
        "deleteGroup",
        "getGroup",
    ];
    assert_eq!(calls, order);
    // The cluster was created in the project the first step made, and the
    // create's answer carried it (the waiter read `groupId` and `name` there).
    let create = fake.calls_of("createGroupCluster");
    let params = &create[0].operation.as_ref().unwrap().params;
    assert_eq!(params.get("groupId"), Some(&made.group_id));
    // The deletes were waited for until the GET answered 404.
    let last = fake.requests().last().unwrap().clone();
    assert_eq!(last.operation.as_ref().unwrap().operation_id, "getGroup");
}

/// A database user is kept under both parts of its key (its database and
/// its name): read back, 409 when made twice, 404 once deleted.
#[tokio::test]
async fn database_users_are_kept_under_their_two_part_key() {
    use atlas_admin::models::{
        CloudDatabaseUser, CloudDatabaseUserDatabaseName, DatabaseUserRole, DatabaseUserRoleRoleName,
    };
    let fake = bare_fake().await;
    let client = client(&fake, digest());
    let users = client.database_users();
    let group = "5f0a1b2c3d4e5f6a7b8c9d0e";
    let user = || {
        let role = DatabaseUserRole::new("admin", DatabaseUserRoleRoleName::Read);
        CloudDatabaseUser::new(CloudDatabaseUserDatabaseName::Admin, vec![role], "ann")
    };
    users.create_database_user(group, user()).send().await.unwrap();
    let read = users.get_database_user(group, "admin", "ann").send().await.unwrap();
    assert_eq!(read.username, "ann");
    assert_eq!(read.group_id.as_deref(), Some(group), "the answer carries the project");
    let twice = users.create_database_user(group, user()).send().await.unwrap_err();
    assert_eq!(twice.status(), Some(409), "{twice}");
    let other_db = users
        .get_database_user(group, "$external", "ann")
        .send()
        .await
        .unwrap_err();
    assert_eq!(other_db.status(), Some(404), "{other_db}");
    let listed = users.list_database_users(group).send().await.unwrap();
    assert_eq!(listed.results.as_ref().map(Vec::len), Some(1));
    users.delete_database_user(group, "admin", "ann").send().await.unwrap();
    let gone = users.get_database_user(group, "admin", "ann").send().await.unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
}

/// Access-list entries are created as a list and kept one by one, each
/// under the address, CIDR block or security group it holds: the create
/// answers the project's whole list, each entry reads back and carries the
/// project, and a deleted one is gone while the others stay.
#[tokio::test]
async fn access_list_entries_are_kept_each_under_what_it_names() {
    use atlas_admin::models::NetworkPermissionEntry;
    let fake = bare_fake().await;
    let client = client(&fake, digest());
    let list = client.project_ip_access_list();
    let group = "5f0a1b2c3d4e5f6a7b8c9d0e";
    let block = NetworkPermissionEntry::new()
        .with_cidr_block("192.0.2.0/24")
        .with_comment("office");
    let address = NetworkPermissionEntry::new().with_ip_address("198.51.100.7");
    let page = list
        .create_access_list_entry(group, vec![block, address])
        .send()
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(2), "{page:?}");

    let read = list.get_access_list_entry(group, "192.0.2.0/24").send().await.unwrap();
    assert_eq!(read.comment.as_deref(), Some("office"));
    assert_eq!(read.group_id.as_deref(), Some(group), "the entry carries the project");
    let by_address = list.get_access_list_entry(group, "198.51.100.7").send().await.unwrap();
    assert_eq!(by_address.ip_address.as_deref(), Some("198.51.100.7"));
    // As at Atlas, an address is also its /32 block: answered with it, read
    // by either, and naming no field it was not given (no sample group).
    assert_eq!(by_address.cidr_block.as_deref(), Some("198.51.100.7/32"));
    assert_eq!(by_address.aws_security_group, None, "{by_address:?}");
    let by_block = list
        .get_access_list_entry(group, "198.51.100.7/32")
        .send()
        .await
        .unwrap();
    assert_eq!(by_block.ip_address.as_deref(), Some("198.51.100.7"));
    let listed = list.list_access_list_entries(group).send().await.unwrap();
    let blocks: Vec<(Option<String>, Option<String>, Option<String>)> = listed
        .results
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.cidr_block, e.ip_address, e.aws_security_group))
        .collect();
    assert_eq!(
        blocks,
        [
            (Some("192.0.2.0/24".into()), None, None),
            (Some("198.51.100.7/32".into()), Some("198.51.100.7".into()), None),
        ]
    );
    // Its status reads the store: ACTIVE for an entry, 404 for none.
    let status = list.get_access_list_status(group, "198.51.100.7").send().await.unwrap();
    assert_eq!(status.status.as_ref().map(|s| s.as_str()), Some("ACTIVE"));
    let no_status = list
        .get_access_list_status(group, "203.0.113.1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(no_status.status(), Some(404), "{no_status}");
    let elsewhere = list
        .get_access_list_entry("6a0f0a1b2c3d4e5f6a7b8c9d", "198.51.100.7")
        .send()
        .await
        .unwrap_err();
    assert_eq!(elsewhere.status(), Some(404), "another project's list: {elsewhere}");

    list.delete_access_list_entry(group, "192.0.2.0/24")
        .send()
        .await
        .unwrap();
    let gone = list
        .get_access_list_entry(group, "192.0.2.0/24")
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
    let again = list
        .delete_access_list_entry(group, "192.0.2.0/24")
        .send()
        .await
        .unwrap_err();
    assert_eq!(again.status(), Some(404), "{again}");
    let left = list.list_access_list_entries(group).send().await.unwrap();
    let left: Vec<Option<String>> = left
        .results
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.ip_address)
        .collect();
    assert_eq!(left, [Some("198.51.100.7".to_string())]);
    // Deleted by its block, the address's entry is gone under either name.
    list.delete_access_list_entry(group, "198.51.100.7/32")
        .send()
        .await
        .unwrap();
    let gone = list
        .get_access_list_entry(group, "198.51.100.7")
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");

    let nameless = list
        .create_access_list_entry(group, vec![NetworkPermissionEntry::new().with_comment("no address")])
        .send()
        .await
        .unwrap_err();
    assert_eq!(nameless.status(), Some(400), "{nameless}");
    assert_eq!(nameless.error_code(), Some("VALIDATION_ERROR"));
}
