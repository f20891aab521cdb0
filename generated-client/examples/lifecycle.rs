//! The Atlas lifecycle an automation runs, end to end, against the
//! generated fake Atlas (`cargo run -p atlas-admin --example lifecycle
//! --features fake`): create a project; create a cluster and wait until it
//! is IDLE; add a database user; add an access-list entry and wait until it
//! is ACTIVE; read the connection string; take a snapshot and wait for it;
//! list what was made; delete it all, waiting where Atlas is asynchronous.
//!
//! `lifecycle` takes any client: point one at Atlas with `Client::from_env()`
//! and the same steps run there. `tests/tests/lifecycle.rs` runs them
//! against the fake and checks what each step sent.

use atlas_admin::models::{
    CloudDatabaseUser, CloudDatabaseUserDatabaseName, ClusterDescription20240805, DatabaseUserRole,
    DatabaseUserRoleRoleName, DiskBackupOnDemandSnapshotRequest, Group, NetworkPermissionEntry,
};
use atlas_admin::runtime::futures_util::TryStreamExt;
use atlas_admin::runtime::WaitPolicy;
use atlas_admin::{Client, Error};

/// What the lifecycle made, as Atlas named it.
#[derive(Debug)]
pub struct Made {
    pub group_id: String,
    pub cluster: String,
    /// The project the cluster's answer names.
    pub cluster_group_id: Option<String>,
    pub cluster_state: String,
    pub connection_string: Option<String>,
    pub access_list_status: String,
    pub snapshot_id: String,
    pub snapshot_status: String,
    /// The clusters of the project, as `list_clusters().items()` walked them.
    pub clusters_listed: Vec<String>,
}

/// Runs the lifecycle in organization `org_id`, waiting with `policy`.
pub async fn lifecycle(client: &Client, org_id: &str, policy: WaitPolicy) -> Result<Made, Error> {
    // 1. A project.
    let project = client
        .projects()
        .create_group(Group::new("lifecycle-demo", org_id))
        .send()
        .await?;
    let group_id = project.id.clone().unwrap_or_default();

    // 2. A cluster, waited for until IDLE.
    let clusters = client.clusters();
    let spec = ClusterDescription20240805::new().with_name("demo-cluster");
    let cluster = clusters
        .create_cluster(&group_id, spec)
        .send_and_wait(policy.clone())
        .await?;
    let name = cluster.name.clone().unwrap_or_default();
    let cluster_group_id = cluster.group_id.clone();
    let cluster_state = cluster
        .state_name
        .as_ref()
        .map(|s| s.as_str().to_string())
        .unwrap_or_default();

    // 3. A database user.
    let role = DatabaseUserRole::new("admin", DatabaseUserRoleRoleName::ReadWriteAnyDatabase);
    let user = CloudDatabaseUser::new(CloudDatabaseUserDatabaseName::Admin, vec![role], "demo-user")
        .with_password("use a secret store for this");
    client
        .database_users()
        .create_database_user(&group_id, user)
        .send()
        .await?;

    // 4. An access-list entry, waited for until ACTIVE (the waiter polls
    // each entry the request adds, one status per entry).
    let entry = NetworkPermissionEntry::new()
        .with_cidr_block("192.0.2.0/24")
        .with_comment("office");
    let statuses = client
        .project_ip_access_list()
        .create_access_list_entry(&group_id, vec![entry])
        .send_and_wait(policy.clone())
        .await?;
    let access_list_status = statuses
        .first()
        .and_then(|s| s.status.as_ref())
        .map(|s| s.as_str().to_string())
        .unwrap_or_default();

    // 5. The connection string.
    let read = clusters.get_cluster(&group_id, &name).send().await?;
    let connection_string = read.connection_strings.as_ref().and_then(|c| c.standard_srv.clone());

    // 6. A snapshot, waited for until completed (a failed one is an error).
    let backups = client.cloud_backups();
    let request = DiskBackupOnDemandSnapshotRequest::new()
        .with_description("before the change")
        .with_retention_in_days(1);
    let done = backups
        .take_snapshots(&group_id, &name, request)
        .send_and_wait(policy.clone())
        .await?;
    let snapshot_id = snapshot_id_of(&done.body_json());
    let snapshot_status = snapshot_id_status(&done.body_json());

    // 7. What was made, walked page by page.
    let clusters_listed: Vec<String> = clusters
        .list_clusters(&group_id)
        .items()
        .map_ok(|c| c.name.unwrap_or_default())
        .try_collect()
        .await?;

    // 8. All of it deleted, waiting where Atlas is asynchronous.
    backups
        .delete_cluster_backup_snapshot(&group_id, &name, &snapshot_id)
        .send_and_wait(policy.clone())
        .await?;
    client
        .project_ip_access_list()
        .delete_access_list_entry(&group_id, "192.0.2.0/24")
        .send()
        .await?;
    client
        .database_users()
        .delete_database_user(&group_id, "admin", "demo-user")
        .send()
        .await?;
    clusters
        .delete_cluster(&group_id, &name)
        .send_and_wait(policy.clone())
        .await?;
    client.projects().delete_group(&group_id).send_and_wait(policy).await?;

    Ok(Made {
        group_id,
        cluster: name,
        cluster_group_id,
        cluster_state,
        connection_string,
        access_list_status,
        snapshot_id,
        snapshot_status,
        clusters_listed,
    })
}

/// A snapshot's id, from the answer as Atlas sent it (a snapshot is a
/// replica set's or a sharded cluster's; both carry `id`).
fn snapshot_id_of(body: &Option<atlas_admin::runtime::serde_json::Value>) -> String {
    let id = body.as_ref().and_then(|b| b.get("id")).and_then(|v| v.as_str());
    id.unwrap_or_default().to_string()
}

fn snapshot_id_status(body: &Option<atlas_admin::runtime::serde_json::Value>) -> String {
    let status = body.as_ref().and_then(|b| b.get("status")).and_then(|v| v.as_str());
    status.unwrap_or_default().to_string()
}

#[cfg(feature = "fake")]
#[tokio::main]
async fn main() -> Result<(), Error> {
    use atlas_admin::fake::FakeAtlas;
    let fake = FakeAtlas::builder()
        .api_key("demo-public", "demo-private")
        .start()
        .await;
    let client = Client::builder()
        .base_url(fake.url())
        .api_key("demo-public", "demo-private")
        .build()?;
    let policy = WaitPolicy::quick(std::time::Duration::from_millis(10), std::time::Duration::from_secs(5));
    let made = lifecycle(&client, "4888442a3354817a7320eb61", policy).await?;
    println!("{made:#?}");
    Ok(())
}

#[cfg(not(feature = "fake"))]
fn main() {
    eprintln!("this example runs against the fake: cargo run -p atlas-admin --example lifecycle --features fake");
}
