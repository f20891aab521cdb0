//! Copied into the crate generated from `fixtures/compositions.yaml` and run
//! there (`tests/tests/nested/standalone.rs`): unions and paging on the wire.

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
    let body = models::PeerUpdate::new().with_comment(None);
    let updated = client.peers().update_peer(G, "p1", body).send().await.unwrap().into_inner();
    assert_eq!(fake.requests().last().unwrap().body, br#"{"comment":null}"#);
    assert!(matches!(updated, models::Peer::AwsPeer(p) if p.vpc_id == "vpc-2"));
    let body = models::PeerUpdate::new().with_label("x");
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
