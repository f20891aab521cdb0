//! Walking a list with `includeCount=false` (issue #26, item 8): Atlas
//! advises it for large lists, which otherwise fail with
//! `TIMEOUT_WHILE_PAGING`, and then answers without `totalCount`. Atlas
//! also caps `itemsPerPage`, so a page shorter than the size asked for is
//! not the last; one shorter than the pages the server has been sending is.

use atlas_admin::{Client, Credentials};
use atlas_admin_tests::hostile_server::{HostileServer, RawRequest, Script};
use std::collections::BTreeMap;

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";
/// Atlas's cap in this test: fewer than the 500 asked for.
const CAP: usize = 3;

/// The query of `r` as a map.
fn query(r: &RawRequest) -> BTreeMap<String, String> {
    let q = r.target.split_once('?').map_or("", |(_, q)| q);
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A server listing `clusters` clusters, at most [`CAP`] a page, never
/// with `totalCount`.
async fn lister(clusters: usize) -> HostileServer {
    HostileServer::start(move |r| {
        let page: usize = query(r).get("pageNum").and_then(|n| n.parse().ok()).unwrap_or(1);
        let names: Vec<String> = (page.saturating_sub(1) * CAP..(page * CAP).min(clusters))
            .map(|i| format!(r#"{{"name":"c{i}"}}"#))
            .collect();
        let body = format!(r#"{{"links":[],"results":[{}]}}"#, names.join(","));
        let accept = r.header("accept").unwrap_or("application/json").to_string();
        Script::json(200, &accept, &body)
    })
    .await
}

async fn names(server: &HostileServer) -> Vec<String> {
    let client = Client::builder()
        .base_url(server.url())
        .credentials(Credentials::None)
        .build()
        .unwrap();
    let all = client
        .clusters()
        .list_clusters(GROUP)
        .include_count(false)
        .items_per_page(500)
        .send_all()
        .await
        .unwrap();
    all.into_iter().map(|c| c.name.unwrap_or_default()).collect()
}

#[tokio::test]
async fn a_short_page_ends_a_list_without_total_count() {
    let server = lister(7).await;
    let expected: Vec<String> = (0..7).map(|i| format!("c{i}")).collect();
    assert_eq!(names(&server).await, expected);
    let requests = server.requests();
    let pages: Vec<String> = requests.iter().map(|r| query(r)["pageNum"].clone()).collect();
    assert_eq!(pages, ["1", "2", "3"], "pages of 3, 3 and 1: the short one is the last");
    for r in &requests {
        let q = query(r);
        assert_eq!(
            (q["includeCount"].as_str(), q["itemsPerPage"].as_str()),
            ("false", "500")
        );
    }
}

#[tokio::test]
async fn a_list_that_ends_on_a_full_page_ends_at_the_empty_one() {
    let server = lister(6).await;
    assert_eq!(names(&server).await.len(), 6);
    assert_eq!(server.request_count(), 3, "pages of 3, 3, then an empty one");
}
