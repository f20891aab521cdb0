//! Peak memory of walking 100,000 items from the fake: `items()` holds one
//! page at a time, `send_all()` holds every item. Each runs in its own
//! process, so VmHWM is its own.
//!
//! ```sh
//! cargo run --release --manifest-path benches/wire/Cargo.toml -- paging items
//! cargo run --release --manifest-path benches/wire/Cargo.toml -- paging send_all
//! ```
//!
//! The seed spec has no list operation, so the request is built as a
//! generated builder builds it, and walked by the same runtime functions
//! (`pages`, `items`, `collect`) that every generated `items()` and
//! `send_all()` call.

use atlas_admin::fake::{Answer, FakeAtlas};
use atlas_admin::runtime::{self, Base, Endpoint, Method, PageInfo, Request};
use atlas_admin::{Client, Error, Response};
use futures_util::TryStreamExt;
use serde_json::{json, Value};

const ITEMS: usize = 100_000;
const PER_PAGE: usize = 500;
const TEMPLATE: &str = "/api/atlas/v2/groups/{groupId}/things";
const V: &str = "application/vnd.atlas.2023-01-01+json";

static LIST: Endpoint = Endpoint {
    operation_id: "listThings",
    method: Method::Get,
    base: Base::Atlas,
    path_template: TEMPLATE,
    accept: V,
    version: "2023-01-01",
    content_type: None,
    sunset: None,
    newer: &[],
    statuses: &[200],
    sensitive: &[],
};

#[derive(serde::Deserialize, PartialEq, Clone)]
struct Thing {
    id: String,
    name: String,
    labels: Vec<String>,
}

#[derive(serde::Deserialize)]
struct ThingPage {
    results: Vec<Thing>,
    #[serde(rename = "totalCount")]
    total_count: usize,
}

async fn page(client: Client, n: i32) -> Result<Response<ThingPage>, Error> {
    let mut request = Request::new(&LIST);
    request.path("/api/atlas/v2/groups/");
    request.path_param("groupId", &"32b6e34b3d91647abb20e7b8", None)?;
    request.path("/things");
    request.query("pageNum", Some(&n));
    request.query("itemsPerPage", Some(&(PER_PAGE as i32)));
    client.send_json(request).await
}

fn hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

pub async fn paging(how: &str) {
    let fake = FakeAtlas::builder()
        .route("GET", TEMPLATE, &[V], |_, call| {
            let q = call.request.query_pairs();
            let get = |k: &str| q.iter().find(|(n, _)| n == k).and_then(|(_, v)| v.parse::<usize>().ok());
            let (page, per) = (get("pageNum").unwrap_or(1), get("itemsPerPage").unwrap_or(100));
            let results: Vec<Value> = ((page - 1) * per..(page * per).min(ITEMS))
                .map(|i| json!({"id": format!("{i:024x}"), "name": format!("thing-{i}-{}", "x".repeat(120)), "labels": ["a", "b", "c"]}))
                .collect();
            Answer::ok(200, V, Some(json!({"results": results, "totalCount": ITEMS})))
        })
        .start()
        .await;
    let client = Client::builder().base_url(fake.url()).build().unwrap();
    let before = hwm_kib();
    let pages = runtime::pages(
        "listThings",
        Some(1i32),
        move |n| page(client.clone(), n),
        |p: &ThingPage| PageInfo {
            len: p.results.len(),
            total: Some(p.total_count),
            first: p.results.first().cloned(),
        },
    );
    let items = runtime::items(pages, |p: ThingPage| p.results);
    let (count, bytes) = match how {
        "send_all" => {
            let all = runtime::collect(items).await.unwrap();
            (all.len(), all.iter().map(|t| t.id.len() + t.name.len()).sum::<usize>())
        }
        _ => items
            .try_fold((0usize, 0usize), |(n, b), t| async move { Ok((n + 1, b + t.id.len() + t.name.len())) })
            .await
            .unwrap(),
    };
    assert_eq!(count, ITEMS, "every item walked");
    println!(
        "| {how} | {count} items in pages of {PER_PAGE} ({:.1} MiB of text) | {} KiB before the walk | {} KiB peak RSS |",
        bytes as f64 / 1048576.0,
        before,
        hwm_kib()
    );
}
