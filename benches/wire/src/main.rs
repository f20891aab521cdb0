//! Wire benchmarks of atlas-admin against the fake Atlas on 127.0.0.1,
//! printed as Markdown for BENCHMARKS.md:
//!
//! ```sh
//! cargo run --release --manifest-path benches/wire/Cargo.toml -- all
//! cargo run --release --manifest-path benches/wire/Cargo.toml -- memory ours   # or: memory raw
//! ```
//!
//! Every loop is bounded; every server is on loopback and stops with the process.

mod paging;
mod soak;

#[path = "../../../tests/src/seed_behaviour.rs"]
#[allow(dead_code)]
mod seed_behaviour;

use seed_behaviour::SeedFakeBuilder;

use atlas_admin::fake::FakeAtlas;
use atlas_admin::{Client, RetryPolicy};
use md5::{Digest, Md5};
use std::sync::Arc;
use std::time::{Duration, Instant};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const CLUSTER: &str = "Cluster0";
const ACCEPT: &str = "application/vnd.atlas.2024-08-05+json";

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn md5(s: &str) -> String {
    hex(&Md5::digest(s.as_bytes()))
}

fn param<'a>(header: &'a str, key: &str) -> &'a str {
    let start = header
        .find(&format!("{key}=\""))
        .map(|i| i + key.len() + 2)
        .unwrap_or(0);
    let end = header[start..].find('"').map_or(start, |e| start + e);
    &header[start..end]
}

/// The Go SDK's way: every call is sent bare, meets a 401 challenge, and is
/// sent again with a fresh digest. Two exchanges per call.
async fn naive_digest_call(http: &reqwest::Client, base: &str, user: &str, pass: &str) -> u16 {
    let path = format!("/api/atlas/v2/groups/{GROUP}/clusters/{CLUSTER}:revokeMongoDBEmployeeAccess");
    let url = format!("{base}{path}");
    let first = http.post(&url).header("Accept", ACCEPT).send().await.expect("send");
    let challenge = first.headers()["www-authenticate"].to_str().unwrap().to_string();
    let (realm, nonce) = (param(&challenge, "realm"), param(&challenge, "nonce"));
    let ha1 = md5(&format!("{user}:{realm}:{pass}"));
    let ha2 = md5(&format!("POST:{path}"));
    let cnonce = "0a4f113b";
    let response = md5(&format!("{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}"));
    let auth = format!(
        "Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{path}\", algorithm=MD5, \
         response=\"{response}\", qop=auth, nc=00000001, cnonce=\"{cnonce}\""
    );
    let second = http
        .post(&url)
        .header("Accept", ACCEPT)
        .header("Authorization", auth)
        .send()
        .await
        .expect("send");
    second.status().as_u16()
}

async fn exchanges() {
    const CALLS: usize = 20;
    let fake = FakeAtlas::builder()
        .api_key("pub", "priv")
        .cluster(GROUP, CLUSTER)
        .start()
        .await;
    let client = Client::builder()
        .base_url(fake.url())
        .api_key("pub", "priv")
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..CALLS {
        client
            .clusters()
            .revoke_mongo_employee_access(GROUP, CLUSTER)
            .send()
            .await
            .unwrap();
    }
    let ours_time = started.elapsed();
    let ours = fake.api_request_count();

    let fake = FakeAtlas::builder()
        .api_key("pub", "priv")
        .cluster(GROUP, CLUSTER)
        .start()
        .await;
    let http = reqwest::Client::new();
    let started = Instant::now();
    for _ in 0..CALLS {
        assert_eq!(naive_digest_call(&http, &fake.url(), "pub", "priv").await, 204);
    }
    let naive_time = started.elapsed();
    let naive = fake.api_request_count();
    println!("| client | calls | HTTP exchanges (counted by the server) | wall time |");
    println!("|---|---|---|---|");
    println!(
        "| atlas-admin (nonce reused, nc counts up) | {CALLS} | **{ours}** | {:.1} ms |",
        ms(ours_time)
    );
    println!(
        "| naive digest (challenge every call, the Go SDK's way) | {CALLS} | **{naive}** | {:.1} ms |",
        ms(naive_time)
    );
}

async fn tokens() {
    let fake = FakeAtlas::builder()
        .service_account("id", "secret")
        .cluster(GROUP, CLUSTER)
        .start()
        .await;
    let client = Client::builder()
        .base_url(fake.url())
        .service_account("id", "secret")
        .build()
        .unwrap();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.clusters().revoke_mongo_employee_access(GROUP, CLUSTER).send().await })
        })
        .collect();
    for c in calls {
        c.await.unwrap().unwrap();
    }
    println!(
        "50 concurrent calls on a cold client with a service account: **{} token request(s)**, {} API requests.",
        fake.token_request_count(),
        fake.api_request_count()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[derive(Clone, Copy, PartialEq)]
enum Who {
    Ours,
    Raw,
}

/// One call of the measured kind (no auth: the transport overhead alone).
async fn call(who: Who, client: &Client, http: &reqwest::Client, url: &str) {
    match who {
        Who::Ours => {
            client
                .clusters()
                .revoke_mongo_employee_access(GROUP, CLUSTER)
                .send()
                .await
                .unwrap();
        }
        Who::Raw => {
            let r = http.post(url).header("Accept", ACCEPT).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 204);
        }
    }
}

struct Run {
    latencies: Vec<Duration>,
    wall: Duration,
}

async fn run(who: Who, fake: &FakeAtlas, concurrency: usize, per_task: usize) -> Run {
    let client = Client::builder()
        .base_url(fake.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    // The same request as the client sends, user agent included.
    let http = reqwest::Client::builder()
        .user_agent("atlas-admin-rs/0.1.0")
        .build()
        .unwrap();
    let url = Arc::new(format!(
        "{}/api/atlas/v2/groups/{GROUP}/clusters/{CLUSTER}:revokeMongoDBEmployeeAccess",
        fake.url()
    ));
    for _ in 0..50 {
        call(who, &client, &http, &url).await; // warm connections
    }
    fake.clear_requests();
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, http, url) = (client.clone(), http.clone(), url.clone());
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let t = Instant::now();
                    call(who, &client, &http, &url).await;
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let wall = started.elapsed();
    fake.clear_requests();
    latencies.sort();
    Run { latencies, wall }
}

fn median<T: Copy + PartialOrd>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

async fn overhead() {
    let fake = FakeAtlas::builder().cluster(GROUP, CLUSTER).start().await;
    println!("| concurrency | requests per run | client | median latency | p99 latency | throughput (req/s) |");
    println!("|---|---|---|---|---|---|");
    for (concurrency, per_task) in [(1usize, 3000usize), (64, 300)] {
        // Alternate the two clients, five runs each; report medians of runs:
        // (client, median latencies µs, p99 latencies µs, throughputs).
        type Samples = (Who, Vec<f64>, Vec<f64>, Vec<f64>);
        let mut results: Vec<Samples> = vec![(Who::Ours, vec![], vec![], vec![]), (Who::Raw, vec![], vec![], vec![])];
        for _ in 0..5 {
            for r in results.iter_mut() {
                let run = run(r.0, &fake, concurrency, per_task).await;
                let n = run.latencies.len();
                r.1.push(run.latencies[n / 2].as_secs_f64() * 1e6);
                r.2.push(run.latencies[n * 99 / 100].as_secs_f64() * 1e6);
                r.3.push(n as f64 / run.wall.as_secs_f64());
            }
        }
        let total = concurrency * per_task;
        let mut tput = [0.0; 2];
        for (i, (who, med, p99, thr)) in results.into_iter().enumerate() {
            let name = if who == Who::Ours { "atlas-admin" } else { "raw reqwest" };
            tput[i] = median(thr.clone());
            println!(
                "| {concurrency} | {total} | {name} | {:.0} µs | {:.0} µs | {:.0} |",
                median(med),
                median(p99),
                median(thr)
            );
        }
        println!(
            "| {concurrency} | | **atlas-admin / raw throughput** | | | **{:.1}%** |",
            tput[0] / tput[1] * 100.0
        );
    }
}

fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

async fn memory(who: Who) {
    let fake = FakeAtlas::builder().cluster(GROUP, CLUSTER).start().await;
    let _ = run(who, &fake, 64, 300).await;
    let name = if who == Who::Ours { "atlas-admin" } else { "raw reqwest" };
    println!(
        "| {name} | 19,200 calls at concurrency 64 (fake server in the same process) | {} KiB |",
        vm_hwm_kb()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str).unwrap_or("all") {
        "exchanges" => exchanges().await,
        "tokens" => tokens().await,
        "overhead" => overhead().await,
        "profile" => {
            let fake = FakeAtlas::builder().cluster(GROUP, CLUSTER).start().await;
            let who = if args.get(1).map(String::as_str) == Some("raw") {
                Who::Raw
            } else {
                Who::Ours
            };
            let r = run(who, &fake, 64, 2000).await;
            println!("{:.0} req/s", r.latencies.len() as f64 / r.wall.as_secs_f64());
        }
        "memory" => {
            memory(if args.get(1).map(String::as_str) == Some("raw") {
                Who::Raw
            } else {
                Who::Ours
            })
            .await
        }
        "paging" => paging::paging(args.get(1).map(String::as_str).unwrap_or("items")).await,
        "soak" => {
            let calls = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
            let concurrency = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(64);
            soak::soak(calls, concurrency).await
        }
        "all" => {
            println!("### Digest round trips\n");
            exchanges().await;
            println!("\n### Service-account tokens\n");
            tokens().await;
            println!("\n### Per-call overhead against raw reqwest\n");
            overhead().await;
        }
        other => eprintln!("unknown benchmark {other:?}: exchanges, tokens, overhead, memory [ours|raw], soak [CALLS] [CONCURRENCY], all"),
    }
}
