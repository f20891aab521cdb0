//! Received models round-trip (#26 item 2): what Atlas answered, written
//! back with `Serialize`, keeps everything the model holds, read-only
//! fields included (`decode(encode(decode(answer))) == decode(answer)`),
//! and that needs no feature. Only a request body leaves read-only fields
//! out. (Over every recorded Atlas answer: `tests/tests/nested/upstream.rs`.)

use atlas_admin::models::{ClusterDescription20240805, ClusterDescription20240805StateName};
use atlas_admin_tests::*;
use serde_json::{json, Value};

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";

/// A cluster as Atlas answers it: read-only ids, dates, state and
/// connection strings beside what an app sets.
fn answer() -> Value {
    json!({
        "clusterType": "REPLICASET",
        "connectionStrings": {"standardSrv": "mongodb+srv://cluster0.ab1cd.mongodb.net"},
        "createDate": "2024-05-06T07:08:09Z",
        "groupId": GROUP,
        "id": "6630a1b2c3d4e5f6a7b8c9d0",
        "mongoDBVersion": "7.0.12",
        "name": "Cluster0",
        "paused": false,
        "stateName": "IDLE",
        "links": [{"href": "https://cloud.mongodb.com/api/atlas/v2/groups/x/clusters/Cluster0", "rel": "self"}]
    })
}

/// The answer's read-only properties (and `connectionStrings`, whose
/// properties are).
const READ_ONLY: [&str; 6] = ["createDate", "groupId", "id", "mongoDBVersion", "stateName", "links"];

#[test]
fn a_received_cluster_round_trips_with_its_read_only_fields() {
    let decoded: ClusterDescription20240805 = serde_json::from_value(answer()).unwrap();
    assert_eq!(decoded.state_name, Some(ClusterDescription20240805StateName::Idle));
    let encoded = serde_json::to_value(&decoded).unwrap();
    for field in READ_ONLY.iter().chain(&["connectionStrings"]) {
        assert_eq!(encoded.get(field), answer().get(field), "{field} in {encoded}");
    }
    assert_eq!(encoded, answer(), "every property the model holds is written back");
    let again: ClusterDescription20240805 = serde_json::from_value(encoded).unwrap();
    assert_eq!(again, decoded);
}

/// The one place read-only fields are left out: the body the client sends,
/// though the app built it from an answer that holds them. The fake, which
/// answers with a typed model, writes them.
#[tokio::test]
async fn a_request_body_holds_no_read_only_field_and_a_typed_answer_all_of_them() {
    let fake = bare_fake().await;
    let client = client(&fake, digest());
    let cluster: ClusterDescription20240805 = serde_json::from_value(answer()).unwrap();
    client
        .clusters()
        .create_cluster(GROUP, cluster.clone())
        .send()
        .await
        .unwrap();
    let calls = fake.calls_of("createGroupCluster");
    let sent = calls[0].operation.as_ref().and_then(|o| o.body.clone()).unwrap();
    for field in READ_ONLY {
        assert!(sent.get(field).is_none(), "{field} was sent: {sent}");
    }
    assert_eq!(sent.get("connectionStrings"), Some(&json!({})), "{sent}");
    assert_eq!(
        (&sent["name"], &sent["clusterType"]),
        (&json!("Cluster0"), &json!("REPLICASET"))
    );
    // Encoding the body did not change how the same value is written after.
    assert_eq!(serde_json::to_value(&cluster).unwrap(), answer());

    fake.answer("getGroupCluster", cluster.clone());
    let got = client.clusters().get_cluster(GROUP, "Cluster0").send().await.unwrap();
    assert_eq!(
        got.body_json(),
        Some(answer()),
        "the fake answers every field it was given"
    );
    assert_eq!(got.into_inner(), cluster);
}

/// `Serialize` of every model is compiled without the `fake` feature: no
/// generated `impl Serialize` sits behind it.
#[test]
fn no_serialize_impl_needs_the_fake_feature() {
    let dir = xtask::project_root().join("generated-client/src/generated/models");
    let mut impls = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("impl Serialize for "))
        {
            impls += 1;
            let gate = if i > 0 { lines[i - 1] } else { "" };
            assert!(
                !gate.contains("feature = \"fake\""),
                "{}: {line} is gated: {gate}",
                entry.path().display()
            );
        }
    }
    assert!(impls > 100, "only {impls} Serialize impls found in {}", dir.display());
}
