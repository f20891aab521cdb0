//! Every waiter our spec declares, against the generated fake, three ways:
//! - it ends when the resource settles (the fake's own state);
//! - it ends at once, after one poll, on failure: a state it does not
//!   leave (`failure-values`), or an answer it does not wait out (the
//!   errors below were recorded from real Atlas, or are ones it sends);
//! - it gives up at its timeout, naming the last state it saw.
//!
//! The table must name every waiter in `spec/atlas-admin.yaml`: a waiter
//! added there without a row here fails `the_table_covers_every_waiter`.

use atlas_admin::fake::Answer;
use atlas_admin::models::{
    ClusterDescription20240805, DiskBackupOnDemandSnapshotRequest, FlexClusterDescriptionCreate20241113,
    FlexClusterDescriptionUpdate20241113, FlexProviderSettingsCreate20241113, Group, NetworkPermissionEntry,
};
use atlas_admin::runtime::serde_json::{json, Value};
use atlas_admin::runtime::WaitPolicy;
use atlas_admin::{Client, Error};
use atlas_admin_tests::{bare_fake, client, digest};
use std::collections::BTreeSet;
use std::time::Duration;

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";
const ORG: &str = "4888442a3354817a7320eb61";
/// An access-list entry the project holds before the waiter's call (its
/// block sorts first in the project's list).
const HELD: &str = "10.1.2.3";

/// The entries the access-list waiter's call adds: a block and an address.
fn new_entries() -> Vec<NetworkPermissionEntry> {
    vec![
        NetworkPermissionEntry::new().with_cidr_block("192.0.2.0/24"),
        NetworkPermissionEntry::new().with_ip_address("198.51.100.7"),
    ]
}

/// How a row makes its waiter's GET fail.
enum Failure {
    /// The GET answers this body, whose state is one of the failure values.
    State(Value, &'static str),
    /// The GET answers this status and errorCode.
    Error(u16, &'static str),
}

/// One waiter: the operation it follows, the GET it polls, what that GET
/// answers while nothing settles (and the state a timeout then names), and
/// how it fails.
struct Row {
    operation: &'static str,
    poll: &'static str,
    pending: Value,
    last_state: &'static str,
    failure: Failure,
}

fn rows() -> Vec<Row> {
    // A cluster's GET on a flex cluster, and the other way round: both
    // answers are in the recordings.
    let not_a_cluster = || Failure::Error(400, "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API");
    let not_flex = || Failure::Error(400, "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API");
    let refused = || Failure::Error(403, "IP_ADDRESS_NOT_ON_ACCESS_LIST");
    let row = |operation, poll, pending, last_state, failure| Row {
        operation,
        poll,
        pending,
        last_state,
        failure,
    };
    vec![
        row(
            "deleteGroup",
            "getGroup",
            json!({"name": "p", "orgId": ORG}),
            "HTTP 200",
            refused(),
        ),
        row(
            "createGroupCluster",
            "getGroupCluster",
            json!({"name": "c1", "stateName": "CREATING"}),
            "CREATING",
            not_a_cluster(),
        ),
        row(
            "updateGroupCluster",
            "getGroupCluster",
            json!({"name": "c1", "stateName": "UPDATING"}),
            "UPDATING",
            not_a_cluster(),
        ),
        row(
            "deleteGroupCluster",
            "getGroupCluster",
            json!({"name": "c1", "stateName": "DELETING"}),
            "HTTP 200",
            not_a_cluster(),
        ),
        row(
            "createGroupFlexCluster",
            "getGroupFlexCluster",
            json!({"name": "f1", "stateName": "CREATING"}),
            "CREATING",
            not_flex(),
        ),
        row(
            "updateGroupFlexCluster",
            "getGroupFlexCluster",
            json!({"name": "f1", "stateName": "UPDATING"}),
            "UPDATING",
            not_flex(),
        ),
        row(
            "deleteGroupFlexCluster",
            "getGroupFlexCluster",
            json!({"name": "f1", "stateName": "DELETING"}),
            "HTTP 200",
            not_flex(),
        ),
        row(
            "createGroupAccessListEntry",
            "getGroupAccessListStatus",
            json!({"STATUS": "PENDING"}),
            "PENDING",
            Failure::State(json!({"STATUS": "FAILED"}), "FAILED"),
        ),
        row(
            "takeGroupClusterBackupSnapshots",
            "getGroupClusterBackupSnapshot",
            json!({"id": "6a0f00000000000000000009", "status": "inProgress"}),
            "inProgress",
            Failure::State(json!({"id": "6a0f00000000000000000009", "status": "failed"}), "failed"),
        ),
        row(
            "deleteGroupClusterBackupSnapshot",
            "getGroupClusterBackupSnapshot",
            json!({"id": "6a0f00000000000000000009", "status": "completed"}),
            "HTTP 200",
            refused(),
        ),
    ]
}

/// Makes what the waiter needs (plain sends, no GET), then calls the
/// operation and waits.
async fn wait(operation: &str, client: &Client, policy: WaitPolicy) -> Result<(), Error> {
    let clusters = client.clusters();
    let flex = client.flex_clusters();
    let backups = client.cloud_backups();
    let cluster = || ClusterDescription20240805::new().with_name("c1");
    let flex_body =
        || FlexClusterDescriptionCreate20241113::new(FlexProviderSettingsCreate20241113::new()).with_name("f1");
    match operation {
        "deleteGroup" => {
            let made = client.projects().create_group(Group::new("p", ORG)).send().await?;
            let id = made.id.clone().unwrap_or_default();
            client.projects().delete_group(&id).send_and_wait(policy).await
        }
        "createGroupCluster" => clusters
            .create_cluster(GROUP, cluster())
            .send_and_wait(policy)
            .await
            .map(drop),
        "updateGroupCluster" => {
            clusters.create_cluster(GROUP, cluster()).send().await?;
            let change = ClusterDescription20240805::new().with_paused(true);
            clusters
                .update_cluster(GROUP, "c1", change)
                .send_and_wait(policy)
                .await
                .map(drop)
        }
        "deleteGroupCluster" => {
            clusters.create_cluster(GROUP, cluster()).send().await?;
            clusters.delete_cluster(GROUP, "c1").send_and_wait(policy).await
        }
        "createGroupFlexCluster" => flex
            .create_flex_cluster(GROUP, flex_body())
            .send_and_wait(policy)
            .await
            .map(drop),
        "updateGroupFlexCluster" => {
            flex.create_flex_cluster(GROUP, flex_body()).send().await?;
            let change = FlexClusterDescriptionUpdate20241113::new();
            flex.update_flex_cluster(GROUP, "f1", change)
                .send_and_wait(policy)
                .await
                .map(drop)
        }
        "deleteGroupFlexCluster" => {
            flex.create_flex_cluster(GROUP, flex_body()).send().await?;
            flex.delete_flex_cluster(GROUP, "f1").send_and_wait(policy).await
        }
        "createGroupAccessListEntry" => {
            // The project already holds an entry; the call adds two.
            let list = client.project_ip_access_list();
            let held = NetworkPermissionEntry::new().with_ip_address(HELD);
            list.create_access_list_entry(GROUP, vec![held]).send().await?;
            list.create_access_list_entry(GROUP, new_entries())
                .send_and_wait(policy)
                .await
                .map(drop)
        }
        "takeGroupClusterBackupSnapshots" => {
            let request = DiskBackupOnDemandSnapshotRequest::new();
            backups
                .take_snapshots(GROUP, "c1", request)
                .send_and_wait(policy)
                .await
                .map(drop)
        }
        "deleteGroupClusterBackupSnapshot" => {
            let request = DiskBackupOnDemandSnapshotRequest::new();
            let taken = backups.take_snapshots(GROUP, "c1", request).send().await?;
            let body = taken.body_json().unwrap_or_default();
            let id = body.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let delete = backups.delete_cluster_backup_snapshot(GROUP, "c1", &id);
            delete.send_and_wait(policy).await
        }
        other => panic!("{other}: no row of this test calls it"),
    }
}

fn policy(timeout_ms: u64) -> WaitPolicy {
    WaitPolicy::quick(Duration::from_millis(2), Duration::from_millis(timeout_ms))
}

#[test]
fn the_table_covers_every_waiter() {
    let path = xtask::project_root().join("spec/atlas-admin.yaml");
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut declared = BTreeSet::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if op.pointer("/x-xgen-atlascli/watcher").is_some() {
                declared.insert(op["operationId"].as_str().unwrap().to_string());
            }
        }
    }
    let tested: BTreeSet<String> = rows().iter().map(|r| r.operation.to_string()).collect();
    assert_eq!(declared, tested);
}

#[tokio::test]
async fn every_waiter_ends_when_its_resource_settles() {
    for row in rows() {
        let fake = bare_fake().await;
        let done = wait(row.operation, &client(&fake, digest()), policy(5_000)).await;
        assert!(done.is_ok(), "{}: {done:?}", row.operation);
        assert!(
            !fake.calls_of(row.poll).is_empty(),
            "{}: never polled {}",
            row.operation,
            row.poll
        );
    }
}

#[tokio::test]
async fn every_waiter_ends_at_once_on_failure() {
    for row in rows() {
        let fake = bare_fake().await;
        match &row.failure {
            Failure::State(body, _) => fake.answer(row.poll, body),
            Failure::Error(status, code) => fake.respond(row.poll, Answer::error(*status, code, "refused")),
        }
        let err = wait(row.operation, &client(&fake, digest()), policy(5_000))
            .await
            .unwrap_err();
        match (&row.failure, &err) {
            (
                Failure::State(_, want),
                Error::WaitFailed {
                    operation,
                    resource,
                    state,
                },
            ) => {
                assert_eq!(state, want, "{}", row.operation);
                assert_eq!(*operation, row.operation);
                assert!(resource.contains(GROUP), "{}: {resource}", row.operation);
            }
            (Failure::Error(status, code), Error::Api(api)) => {
                assert_eq!(
                    (api.status, api.error_code.as_str()),
                    (*status, *code),
                    "{}",
                    row.operation
                );
                assert_eq!(api.operation, row.poll);
            }
            (_, other) => panic!("{}: {other:?}", row.operation),
        }
        assert_eq!(
            fake.calls_of(row.poll).len(),
            1,
            "{}: polled after the failure",
            row.operation
        );
    }
}

#[tokio::test]
async fn every_waiter_gives_up_at_its_timeout_naming_the_last_state() {
    for row in rows() {
        let fake = bare_fake().await;
        fake.answer(row.poll, &row.pending);
        let err = wait(row.operation, &client(&fake, digest()), policy(60))
            .await
            .unwrap_err();
        let Error::WaitTimeout {
            operation,
            last_state,
            waited,
        } = &err
        else {
            panic!("{}: {err:?}", row.operation)
        };
        assert_eq!(*operation, row.operation);
        assert_eq!(last_state.as_deref(), Some(row.last_state), "{}", row.operation);
        // The deadline, plus the timer's tick and the scheduler's delay: no
        // poll runs past it (this fake answers in a millisecond, so the unit
        // test in runtime/src/wait.rs shows the bound with a 10 s poll).
        assert!(
            *waited < Duration::from_millis(100),
            "{}: waited {waited:?}",
            row.operation
        );
        assert!(!fake.calls_of(row.poll).is_empty(), "{}", row.operation);
    }
}

/// The entries whose status the fake was asked for, in order.
fn polled_entries(fake: &atlas_admin::fake::FakeAtlas) -> Vec<String> {
    fake.calls_of("getGroupAccessListStatus")
        .iter()
        .filter_map(|c| c.operation.as_ref()?.params.get("entryValue").cloned())
        .collect()
}

/// The access-list waiter waits for each entry its request adds, by what
/// the request sent, and for no other entry of the project's list (whose
/// first entry is one the project already held): the second entry is
/// still PENDING when the first is ACTIVE, so it is polled until it too
/// is ACTIVE; FAILED on the second ends the wait naming it.
#[tokio::test]
async fn the_access_list_waiter_waits_for_each_entry_it_adds_and_no_other() {
    let statuses = |states: &[&str]| -> Vec<Value> { states.iter().map(|s| json!({ "STATUS": s })).collect() };
    let fake = bare_fake().await;
    fake.answers("getGroupAccessListStatus", statuses(&["ACTIVE", "PENDING", "ACTIVE"]));
    let client = client(&fake, digest());
    wait("createGroupAccessListEntry", &client, policy(5_000))
        .await
        .unwrap();
    assert_eq!(polled_entries(&fake), ["192.0.2.0/24", "198.51.100.7", "198.51.100.7"]);
    let listed = client
        .project_ip_access_list()
        .list_access_list_entries(GROUP)
        .send()
        .await
        .unwrap();
    let first = listed
        .results
        .as_ref()
        .and_then(|r| r.first())
        .and_then(|e| e.ip_address.clone());
    assert_eq!(
        first.as_deref(),
        Some(HELD),
        "the page the create answers starts with the held entry"
    );

    let fake = bare_fake().await;
    fake.answers("getGroupAccessListStatus", statuses(&["ACTIVE", "FAILED"]));
    let err = wait("createGroupAccessListEntry", &client_of(&fake), policy(5_000))
        .await
        .unwrap_err();
    let Error::WaitFailed { resource, state, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (resource.as_str(), state.as_str()),
        (
            format!("getGroupAccessListStatus {GROUP}/198.51.100.7").as_str(),
            "FAILED"
        )
    );
    assert_eq!(polled_entries(&fake), ["192.0.2.0/24", "198.51.100.7"]);
}

/// The waiter returns the status of each entry it waited for, in the
/// order the request named them; a request naming none waits for nothing.
#[tokio::test]
async fn the_access_list_waiter_answers_one_status_per_entry() {
    let fake = bare_fake().await;
    let client = client(&fake, digest());
    let list = client.project_ip_access_list();
    let got = list
        .create_access_list_entry(GROUP, new_entries())
        .send_and_wait(policy(5_000))
        .await
        .unwrap();
    let states: Vec<Option<&str>> = got.iter().map(|r| r.status.as_ref().map(|s| s.as_str())).collect();
    assert_eq!(states, [Some("ACTIVE"), Some("ACTIVE")]);
    let none = list
        .create_access_list_entry(GROUP, Vec::new())
        .send_and_wait(policy(5_000))
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(polled_entries(&fake), ["192.0.2.0/24", "198.51.100.7"]);
}

fn client_of(fake: &atlas_admin::fake::FakeAtlas) -> Client {
    client(fake, digest())
}
