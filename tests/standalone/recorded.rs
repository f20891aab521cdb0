//! Run inside a crate generated from MongoDB's published spec (copied in by
//! `tests/tests/nested/upstream.rs` as `tests/recorded.rs`): every real Atlas
//! answer recorded by the Atlas CLI (2xx, JSON) must decode into the type of
//! its operation version, exactly as the client decodes it, whatever it does
//! that the spec does not say. `recorded.json` beside `Cargo.toml` lists the
//! answers with the operation (method, path template) `spec verify` matched.
//! Each, written back with `Serialize` and decoded again, is the same value
//! (`round_trips.rs`, written beside this file from the generated
//! builders): nothing Atlas sent that the model holds is lost, read-only
//! fields included. And one recorded folder replays through the client
//! (`replay/`, copied there from `../shared/recorded`).

use std::collections::BTreeMap;

use atlas_admin::fake::{FakeSpec, Spec};
use atlas_admin::runtime::serde_json::{self, Value};

#[test]
fn every_recorded_answer_decodes() {
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/recorded.json")).unwrap())
            .unwrap();
    let operations = Spec::operations();
    let (mut decoded, mut failed) = (0, Vec::new());
    let mut deviations: BTreeMap<String, usize> = BTreeMap::new();
    for case in &cases {
        let text = |k: &str| case[k].as_str().unwrap_or_default();
        let (file, method, template, media) = (text("file"), text("method"), text("template"), text("mediaType"));
        let Some(op) = operations.iter().find(|o| o.method == method && o.path == template) else {
            failed.push(format!("{file}: no operation {method} {template} in the route table"));
            continue;
        };
        let Some(version) = op.versions.iter().find(|v| v.media_type == media) else {
            failed.push(format!("{file}: {} serves no version {media}", op.operation_id));
            continue;
        };
        let Some(decode) = version.decode else {
            // Documented without a body: the client's send_empty takes the
            // answer and records the body as a deviation, as here.
            decoded += 1;
            *deviations.entry("body-on-empty-status".to_string()).or_default() += 1;
            continue;
        };
        match decode(text("body").as_bytes()) {
            Ok(found) => {
                decoded += 1;
                for d in found {
                    *deviations.entry(d.kind.as_str().to_string()).or_default() += 1;
                }
            }
            Err(why) => failed.push(format!("{file}: {} {media}: {why}", op.operation_id)),
        }
    }
    let kinds: Vec<String> = deviations.iter().map(|(k, n)| format!("{k}={n}")).collect();
    println!(
        "RECORDED: {decoded} answers decoded, {} failed; deviations recorded: {}",
        failed.len(),
        if kinds.is_empty() {
            "none".to_string()
        } else {
            kinds.join(" ")
        }
    );
    assert!(
        failed.is_empty(),
        "recorded answers that do not decode:\n{}",
        failed.join("\n")
    );
    assert!(decoded > 0, "no recorded answer was decoded");
}

/// `decode(encode(decode(answer))) == decode(answer)` for every recorded
/// answer of an operation version that answers JSON.
#[test]
fn every_recorded_answer_round_trips() {
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/recorded.json")).unwrap())
            .unwrap();
    let (mut same, mut no_json, mut failed) = (0, 0, Vec::new());
    for case in &cases {
        let text = |k: &str| case[k].as_str().unwrap_or_default();
        let (file, method, template, media) = (text("file"), text("method"), text("template"), text("mediaType"));
        match crate::round_trips::check(method, template, media, text("body").as_bytes()) {
            Some(Ok(())) => same += 1,
            Some(Err(why)) => failed.push(format!("{file}: {method} {template} {media}: {why}")),
            // Documented without a JSON body (the decoding test counts it).
            None => no_json += 1,
        }
    }
    println!(
        "ROUND_TRIP: {same} answers written back and decoded to the same value, {} failed ({no_json} of operations that answer no JSON)",
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "answers that do not round-trip:\n{}",
        failed.join("\n")
    );
    assert!(same > 0, "no recorded answer was round-tripped");
}

/// The Atlas CLI's recordings of one flex cluster's life, replayed by the
/// fake through the client generated from the published spec: create, get,
/// list, then delete and wait (the waiter polls the GET until Atlas says
/// 404), each answer the one Atlas sent.
#[tokio::test]
async fn a_recorded_flex_cluster_lifecycle_replays_through_the_client() {
    use atlas_admin::fake::FakeAtlas;
    use atlas_admin::runtime::WaitPolicy;
    use std::time::Duration;
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/replay/TestFlexCluster");
    let fake = FakeAtlas::builder().replay(folder).start().await;
    let client = atlas_admin::Client::builder().base_url(fake.url()).build().unwrap();
    let (group, name) = ("b0123456789abcdef012345b", "cluster-83");
    let flex = client.flex_clusters();
    let body = serde_json::from_value(serde_json::json!({
        "name": name,
        "providerSettings": {"backingProviderName": "AWS", "regionName": "US_EAST_1"}
    }))
    .unwrap();
    let created = flex.create_flex_cluster(group, body).send().await.unwrap();
    assert_eq!((created.status(), created.name.as_deref()), (201, Some(name)));
    let got = flex.get_flex_cluster(group, name).send().await.unwrap();
    assert_eq!(got.group_id.as_deref(), Some(group));
    let listed = flex.list_flex_clusters(group).send().await.unwrap().into_inner();
    assert!(listed
        .results
        .unwrap_or_default()
        .iter()
        .any(|c| c.name.as_deref() == Some(name)));
    let quick = WaitPolicy {
        first_delay: Duration::from_millis(1),
        interval: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        timeout: Duration::from_secs(10),
        ..WaitPolicy::default()
    };
    flex.delete_flex_cluster(group, name)
        .send_and_wait(quick)
        .await
        .unwrap();
    // The CLI first tried the dedicated-cluster paths (answered 400): this
    // client never asked for them.
    let unused = fake.unused_recordings();
    assert_eq!(unused.len(), 2, "{unused:?}");
    assert!(
        unused
            .iter()
            .all(|f| f.to_string_lossy().contains("_clusters_cluster-83_1")),
        "{unused:?}"
    );
    // Nothing is left for the flex cluster: the error names the closest.
    let err = flex.get_flex_cluster(group, name).send().await.unwrap_err();
    assert_eq!((err.status(), err.error_code()), (Some(501), Some("NO_RECORDING_LEFT")));
    let detail = err.api_error().and_then(|e| e.detail.clone()).unwrap_or_default();
    assert!(
        detail.contains("flexClusters_cluster-83_2.snaphost (GET 404, used)"),
        "{detail}"
    );
    println!(
        "REPLAY: flex cluster lifecycle: {} requests answered from recordings, {} recordings unused",
        fake.api_request_count() - 1,
        unused.len()
    );
}
