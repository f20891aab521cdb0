//! Copied into the crate generated from `fixtures/watchers.yaml` and run there
//! (`tests/tests/nested/standalone.rs`): waiters on the wire.

use atlas_admin::fake::{Answer, FakeAtlas, Fault};
use atlas_admin::runtime::WaitPolicy;
use atlas_admin::{models, Client, Error};
use atlas_admin::runtime::serde_json::json;
use std::time::Duration;

const V: &str = "application/vnd.atlas.2024-08-05+json";
const ITEM: &str = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}";

/// Clusters that become IDLE after three GETs (except "stuck"), and whose
/// deletion turns into 404 after two.
async fn fake() -> FakeAtlas {
    FakeAtlas::builder()
        .route("POST", "/api/atlas/v2/groups/{groupId}/clusters", &[V], |store, call| {
            let name = call.json().and_then(|b| b["name"].as_str().map(str::to_string)).unwrap_or_default();
            store.insert(format!("polls/{name}"), json!(0));
            Answer::ok(201, V, Some(json!({"name": name, "stateName": "CREATING"})))
        })
        .route("GET", ITEM, &[V], |store, call| {
            let name = call.param("clusterName").to_string();
            let Some(polls) = store.get(&format!("polls/{name}")).and_then(|p| p.as_i64()) else {
                return Answer::not_found("cluster");
            };
            let polls = polls + 1;
            if store.contains(&format!("deleting/{name}")) && polls >= 2 {
                store.remove(&format!("polls/{name}"));
                return Answer::not_found("cluster");
            }
            store.insert(format!("polls/{name}"), json!(polls));
            let state = if polls >= 3 && name != "stuck" { "IDLE" } else { "CREATING" };
            Answer::ok(200, V, Some(json!({"name": name, "stateName": state})))
        })
        .route("DELETE", ITEM, &[V], |store, call| {
            let name = call.param("clusterName").to_string();
            store.insert(format!("deleting/{name}"), json!(true));
            store.insert(format!("polls/{name}"), json!(0));
            Answer::ok(202, V, None)
        })
        .start()
        .await
}

fn quick() -> WaitPolicy {
    WaitPolicy::quick(Duration::from_millis(5), Duration::from_secs(5))
}

fn cluster(name: &str) -> models::Cluster {
    models::Cluster::new(name)
}

#[tokio::test]
async fn a_created_cluster_is_waited_for_until_idle() {
    let fake = fake().await;
    let client = Client::builder().base_url(fake.url()).build().unwrap();
    let idle = client.clusters().create_cluster("g1", cluster("c1")).send_and_wait(quick()).await.unwrap();
    assert_eq!(idle.state_name.as_deref(), Some("IDLE"));
    let gets = fake.requests().iter().filter(|r| r.method == "GET").count();
    assert_eq!(gets, 3, "CREATING, CREATING, IDLE");
    assert!(fake.requests().iter().all(|r| r.header("accept") == Some(V)));
}

#[tokio::test]
async fn a_deleted_cluster_is_waited_for_until_404() {
    let fake = fake().await;
    let client = Client::builder().base_url(fake.url()).build().unwrap();
    client.clusters().create_cluster("g1", cluster("c2")).send().await.unwrap();
    client.clusters().delete_cluster("g1", "c2").send_and_wait(quick()).await.unwrap();
    assert_eq!(fake.requests().last().unwrap().method, "GET");
}

#[tokio::test]
async fn a_wait_that_never_settles_times_out_with_the_last_state() {
    let fake = fake().await;
    let client = Client::builder().base_url(fake.url()).build().unwrap();
    let policy = WaitPolicy::quick(Duration::from_millis(5), Duration::from_millis(200));
    let err = client.clusters().create_cluster("g1", cluster("stuck")).send_and_wait(policy).await.unwrap_err();
    match err {
        Error::WaitTimeout { last_state, waited, .. } => {
            assert_eq!(last_state.as_deref(), Some("CREATING"));
            assert!(waited <= Duration::from_millis(400), "{waited:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_503_while_polling_is_waited_out() {
    let fake = fake().await;
    let client = Client::builder()
        .base_url(fake.url())
        .retry_policy(atlas_admin::RetryPolicy::none())
        .build()
        .unwrap();
    fake.inject(Fault::new(503, "SERVICE_UNAVAILABLE").on("GET", "/clusters/c3").times(2));
    let idle = client.clusters().create_cluster("g1", cluster("c3")).send_and_wait(quick()).await.unwrap();
    assert_eq!(idle.state_name.as_deref(), Some("IDLE"));
}

#[tokio::test]
async fn any_other_error_ends_the_wait() {
    let fake = fake().await;
    let client = Client::builder().base_url(fake.url()).build().unwrap();
    fake.inject(Fault::new(403, "FORBIDDEN").on("GET", "/clusters/c4"));
    let err = client.clusters().create_cluster("g1", cluster("c4")).send_and_wait(quick()).await.unwrap_err();
    assert!(err.is_error_code("FORBIDDEN"), "{err}");
}
