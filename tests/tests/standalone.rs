//! `cargo xtask codegen --spec FILE --out DIR` writes a complete crate that
//! builds outside this workspace with warnings denied. Each fixture spec
//! goes through it; the versions fixture's crate then calls both versions
//! of one operation over HTTP and gets each version's own type back.
//!
//! The crates are written to a temporary folder and built into
//! `target/standalone`, so dependencies are compiled once and reused.

use atlas_admin_tests::{standalone_cargo, standalone_cargo_status, write_standalone, write_standalone_named};
use std::path::PathBuf;

/// A test placed in the generated versions crate: it only compiles if each
/// version has the shape its schema gives.
const VERSIONS_WIRE_TEST: &str = r##"
use atlas_admin::fake::FakeAtlas;
use atlas_admin::{models, Client};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

#[tokio::test]
#[allow(deprecated)] // the old version is called on purpose (its sunset is set)
async fn each_version_has_its_own_type_and_media_type() {
    let path = format!("/api/atlas/v2/groups/{GROUP}/widgets/w1");
    let fake = FakeAtlas::builder()
        .canned("GET", &path, "application/vnd.atlas.2023-01-01+json", 200, r#"{"name":"w1","sizeGB":3}"#)
        .canned("GET", &path, "application/vnd.atlas.2024-05-30+json", 200,
            r#"{"displayName":"w1","dimensions":{"width":1.5,"height":2},"labels":{"a":"b"},"new":1}"#)
        .canned("POST", &path, "application/vnd.atlas.2023-01-01+json", 200, r#"{"name":"w2"}"#)
        .start()
        .await;
    let client = Client::builder().base_url(fake.url()).build().unwrap();

    let old: models::WidgetV1 = client.widgets().get_widget_v2023_01_01(GROUP, "w1").send().await.unwrap().into_inner();
    assert_eq!(old, models::WidgetV1 { name: "w1".into(), size_gb: Some(3) });
    assert_eq!(fake.requests()[0].header("accept"), Some("application/vnd.atlas.2023-01-01+json"));

    let new: models::Widget20240530 = client.widgets().get_widget(GROUP, "w1").include_count(true).send().await.unwrap().into_inner();
    assert_eq!(new.dimensions.width, 1.5);
    assert_eq!(new.labels.unwrap()["a"], "b");
    let r = &fake.requests()[1];
    assert_eq!(r.header("accept"), Some("application/vnd.atlas.2024-05-30+json"));
    assert_eq!(r.query.as_deref(), Some("includeCount=true"));

    let err = client.widgets().get_widget_preview(GROUP, "w1").send().await.unwrap_err();
    assert!(err.is_error_code("INVALID_VERSION_DATE"), "{err}");

    let body = models::WidgetV1 { name: "w2".into(), size_gb: None };
    let saved = client.widgets().update_widget_v2023_01_01(GROUP, "w1", body).send().await.unwrap();
    assert_eq!(saved.name, "w2");
    let r = &fake.requests()[3];
    assert_eq!(r.header("content-type"), Some("application/vnd.atlas.2023-01-01+json"));
    assert_eq!(r.body, br#"{"name":"w2"}"#);
}
"##;

/// A test placed in the generated compositions crate: allOf and polymorphic
/// bases, oneOf with and without a discriminator, enum unions as query
/// arrays, tri-state nullable PATCH fields, headers, CSV and gzip, pages.
const COMPOSITIONS_WIRE_TEST: &str = r##"
use atlas_admin::fake::FakeAtlas;
use atlas_admin::runtime::serde_json;
use atlas_admin::{models, Client};

const G: &str = "g1";
const V: &str = "application/vnd.atlas.2023-01-01+json";

/// A fake list of `n` AWS peers that honours pageNum and itemsPerPage (or
/// ignores pageNum, for the error case).
fn peers_route(n: usize, honour_page_num: bool) -> FakeAtlas {
    let template = "/api/atlas/v2/groups/{groupId}/peers";
    let builder = FakeAtlas::builder().route("GET", template, &[V], move |_, call| {
        let q = call.request.query_pairs();
        let get = |k: &str| q.iter().find(|(n, _)| n == k).and_then(|(_, v)| v.parse::<usize>().ok());
        let per = get("itemsPerPage").unwrap_or(100);
        let page = if honour_page_num { get("pageNum").unwrap_or(1) } else { 1 };
        let results: Vec<_> = ((page - 1) * per..(page * per).min(n))
            .map(|i| serde_json::json!({"providerName": "AWS", "id": format!("p{i}"), "vpcId": "v"}))
            .collect();
        atlas_admin::fake::Answer::ok(200, V, Some(serde_json::json!({"results": results, "totalCount": n})))
    });
    start_blocking(builder)
}

fn start_blocking(b: atlas_admin::fake::FakeAtlasBuilder) -> FakeAtlas {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(b.start()))
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_and_items_are_lazy_streams() {
    use atlas_admin::runtime::futures_util::{StreamExt, TryStreamExt};
    let fake = peers_route(7, true);
    let client = Client::builder().base_url(fake.url()).build().unwrap();
    let mut pages = client.peers().list_peers(G).items_per_page(3).pages();
    assert!(fake.requests().is_empty(), "nothing is sent before the stream is polled");
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.results.as_ref().map(Vec::len), Some(3));
    assert_eq!(fake.requests().len(), 1, "one page at a time");
    drop(pages);
    fake.clear_requests();
    let ids: Vec<String> = client
        .peers()
        .list_peers(G)
        .items_per_page(3)
        .items()
        .map_ok(|p| match p {
            models::BasePeer::AwsPeer(p) => p.id.unwrap_or_default(),
            other => format!("{other:?}"),
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["p0", "p1", "p2", "p3", "p4", "p5", "p6"]);
    let requests = fake.requests();
    assert_eq!(requests.len(), 3, "stops at totalCount: pages 1, 2, 3");
    assert!(requests.iter().all(|r| r.query_pairs().contains(&("itemsPerPage".into(), "3".into()))));
    assert_eq!(requests[2].query_pairs().iter().find(|(k, _)| k == "pageNum").unwrap().1, "3");
    assert_eq!(client.peers().list_peers(G).items_per_page(3).send_all().await.unwrap().len(), 7);

    // A server that ignores pageNum: an error, not an endless walk.
    let stuck = peers_route(7, false);
    let client = Client::builder().base_url(stuck.url()).build().unwrap();
    let err = client.peers().list_peers(G).items_per_page(3).send_all().await.unwrap_err();
    assert!(matches!(err, atlas_admin::Error::Paging { .. }), "{err}");
    assert_eq!(stuck.requests().len(), 2);
}

#[tokio::test]
async fn compositions_on_the_wire() {
    let peers = format!("/api/atlas/v2/groups/{G}/peers");
    let fake = FakeAtlas::builder()
        .canned("GET", &format!("{peers}?pageNum=1&eventType=PEER_CREATED&eventType=SOMETHING_NEW"), V, 200,
            r#"{"results":[{"providerName":"AWS","id":"p1","vpcId":"vpc-1"},{"providerName":"AZURE","id":"p2","vnetName":"net"}],"totalCount":3}"#)
        .canned("GET", &format!("{peers}?pageNum=2&eventType=PEER_CREATED&eventType=SOMETHING_NEW"), V, 200,
            r#"{"results":[{"providerName":"GCP","id":"p3","network":"n"}],"totalCount":3}"#)
        .canned("PATCH", &format!("{peers}/p1"), V, 200, r#"{"providerName":"AWS","vpcId":"vpc-2"}"#)
        .canned("GET", &format!("/api/atlas/v2/groups/{G}/notifications/n1"), V, 200, r#"{"channelName":"ops","delayMin":5}"#)
        .canned("GET", "/api/atlas/v2/orgs/o1/invoices/i1", "application/vnd.atlas.2023-01-01+csv", 200, "id,amount\n1,100\n")
        .canned("GET", &format!("/api/atlas/v2/groups/{G}/logs/mongod.gz"), "application/vnd.atlas.2023-02-01+gzip", 200, "GZIPBYTES")
        .start()
        .await;
    let client = Client::builder().base_url(fake.url()).build().unwrap();

    // Every page, decoded by the discriminator of the polymorphic base.
    let all = client
        .peers()
        .list_peers(G)
        .event_type(vec![models::EventType::PeerCreated, models::EventType::from("SOMETHING_NEW")])
        .use_effective_fields(true)
        .send_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert!(matches!(&all[0], models::BasePeer::AwsPeer(p) if p.vpc_id == "vpc-1" && p.id.as_deref() == Some("p1")));
    assert!(matches!(&all[1], models::BasePeer::AzurePeer(p) if p.vnet_name.as_deref() == Some("net")));
    assert!(matches!(&all[2], models::BasePeer::Unknown(v) if v["providerName"] == "GCP"));
    assert_eq!(serde_json::to_value(&all[2]).unwrap()["network"], "n", "an unknown subtype is kept whole");
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("use-effective-fields"), Some("true"));

    // PATCH: absent, null and set are three different bodies.
    let body = models::PeerUpdate { comment: Some(None), label: None };
    let updated = client.peers().update_peer(G, "p1", body).send().await.unwrap().into_inner();
    assert_eq!(fake.requests().last().unwrap().body, br#"{"comment":null}"#);
    assert!(matches!(updated, models::Peer::AwsPeer(p) if p.vpc_id == "vpc-2"));
    let body = models::PeerUpdate { comment: None, label: Some("x".into()) };
    client.peers().update_peer(G, "p1", body).send().await.unwrap();
    assert_eq!(fake.requests().last().unwrap().body, br#"{"label":"x"}"#);
    let decoded: models::PeerUpdate = serde_json::from_str(r#"{"comment":null}"#).unwrap();
    assert_eq!(decoded.comment, Some(None));
    let decoded: models::PeerUpdate = serde_json::from_str("{}").unwrap();
    assert_eq!(decoded.comment, None);

    // oneOf without a discriminator: the variant that knows every property.
    let n = client.peers().get_notification(G, "n1").send().await.unwrap().into_inner();
    assert!(matches!(n, models::Notification::SlackNotification(s) if s.channel_name == "ops"));

    // A subtype that only inherits decodes as itself, not as its union.
    let s: models::Schedule = serde_json::from_str(r#"{"type":"DEFAULT"}"#).unwrap();
    assert!(matches!(&s, models::Schedule::DefaultSchedule(d) if d.type_ == models::ScheduleType::Default));
    let s: models::Schedule = serde_json::from_str(r#"{"type":"DAILY","hour":3}"#).unwrap();
    assert!(matches!(&s, models::Schedule::DailySchedule(d) if d.hour == Some(3)));
    assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"type":"DAILY","hour":3}"#);

    // CSV and gzip come back as bytes, asked for with their own media type.
    let csv = client.invoices().get_invoice_v2023_01_01_csv("o1", "i1").send().await.unwrap();
    assert_eq!(csv.into_inner(), b"id,amount\n1,100\n");
    assert_eq!(fake.requests().last().unwrap().header("accept"), Some("application/vnd.atlas.2023-01-01+csv"));
    let gz = client.invoices().download_log(G, "mongod").send().await.unwrap();
    assert_eq!(gz.into_inner(), b"GZIPBYTES");
    // The plain method of an operation with JSON and CSV is the JSON one.
    assert_eq!(atlas_admin::operations::invoices::GetInvoiceV2023_01_01::ENDPOINT.accept, V);
    assert_eq!(client.invoices().get_invoice("o1", "i1").send().await.unwrap_err().status(), Some(406));
}
"##;

/// A test placed in the generated watchers crate: waiters against the fake.
const WATCHERS_WIRE_TEST: &str = r##"
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
    models::Cluster { name: name.into(), state_name: None }
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
"##;

fn root() -> PathBuf {
    xtask::project_root()
}

#[test]
fn fixture_specs_become_crates_that_build_warning_free() {
    let base = std::env::temp_dir().join(format!("atlas-admin-standalone-{}", std::process::id()));
    for fixture in [
        "versions",
        "enums_nullable",
        "keywords",
        "compositions",
        "header_enum",
        "reserved_names",
    ] {
        let spec = root().join(format!("tests/fixtures/{fixture}.yaml"));
        let out = base.join(fixture);
        // Pinned to the workspace's dependency versions: no surprise upgrades.
        write_standalone(&spec, &out);
        let manifest = out.join("Cargo.toml");
        assert!(std::fs::read_to_string(&manifest).unwrap().starts_with("# @generated"));
        let wire = match fixture {
            "versions" => Some(VERSIONS_WIRE_TEST),
            "compositions" => Some(COMPOSITIONS_WIRE_TEST),
            "watchers" => Some(WATCHERS_WIRE_TEST),
            _ => None,
        };
        match wire {
            Some(test) => {
                std::fs::create_dir_all(out.join("tests")).unwrap();
                std::fs::write(out.join("tests/wire.rs"), test).unwrap();
                standalone_cargo(&["test", "--quiet", "--features", "fake", "--test", "wire"], &manifest);
            }
            None => {
                standalone_cargo(&["build", "--quiet"], &manifest);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// `--crate-name` gives a crate whose doctests name it (they said
/// `atlas_admin::` whatever the name), and whose manifest depends on the
/// runtime by a relative path: nothing is copied.
#[test]
fn a_renamed_crate_passes_its_doctests() {
    let out = std::env::temp_dir().join(format!("atlas-admin-renamed-{}", std::process::id()));
    write_standalone_named(
        &root().join("tests/fixtures/versions.yaml"),
        &out,
        Some("widget-client"),
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"widget-client\""), "{manifest}");
    let dep = manifest.lines().find(|l| l.starts_with("atlas-admin-runtime")).unwrap();
    assert!(dep.contains("path = \"../") && dep.ends_with("runtime\" }"), "{dep}");
    let files: Vec<String> = walk(&out.join("src"));
    assert!(
        files.iter().all(|f| f == "lib.rs" || f.starts_with("generated/")),
        "{files:?}"
    );
    let text = standalone_cargo(&["test", "--doc"], &out.join("Cargo.toml"));
    assert!(text.contains("widget_client"), "the doctest names the crate: {text}");
    let _ = std::fs::remove_dir_all(&out);
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(
                walk(&p)
                    .into_iter()
                    .map(|f| format!("{}/{f}", e.file_name().to_string_lossy())),
            );
        } else {
            out.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    out
}

/// Each tag of the seed crate compiles alone, warnings denied (the models
/// file once warned about an unused serde import), and so does no tag.
#[test]
fn every_tag_of_the_seed_crate_builds_alone_warning_free() {
    let manifest = root().join("generated-client/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let full = text.lines().find(|l| l.starts_with("full = [")).unwrap();
    let tags: Vec<&str> = full.split('"').skip(1).step_by(2).collect();
    assert_eq!(tags, ["agent_api_keys", "cloud_migration_service", "clusters"]);
    for tag in tags.iter().chain(&[""]) {
        standalone_cargo(
            &["check", "--quiet", "--no-default-features", "--features", tag],
            &manifest,
        );
    }
}

/// A call to a version past its sunset does not build with warnings denied:
/// the deprecation note names the date and the version to move to
/// (issue #10). The newest version builds clean.
#[test]
fn calling_a_sunset_version_warns_at_build_time() {
    let out = std::env::temp_dir().join(format!("atlas-admin-sunsets-{}", std::process::id()));
    write_standalone(&root().join("tests/fixtures/sunsets.yaml"), &out);
    std::fs::create_dir_all(out.join("examples")).unwrap();
    let call = |method: &str| {
        format!(
            "fn main() {{\n    let client = atlas_admin::Client::builder().build().unwrap();\n    \
             let _request = client.clusters().{method}(\"g\", \"c\");\n}}\n"
        )
    };
    std::fs::write(out.join("examples/old.rs"), call("get_cluster_v2023_01_01")).unwrap();
    std::fs::write(out.join("examples/new.rs"), call("get_cluster")).unwrap();
    let manifest = out.join("Cargo.toml");
    let (ok, text) = standalone_cargo_status(&["build", "--quiet", "--example", "old"], &manifest);
    assert!(
        !ok,
        "a call to a sunset version must not build with -D warnings:\n{text}"
    );
    assert!(
        text.contains("Atlas stops serving 2023-01-01 of getCluster on 2024-06-30; use get_cluster_v2024_08_05"),
        "{text}"
    );
    standalone_cargo(&["build", "--quiet", "--example", "new"], &manifest);
    let _ = std::fs::remove_dir_all(&out);
}
