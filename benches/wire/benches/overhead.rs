//! Criterion: one call through atlas-admin against the same request sent
//! with raw reqwest, both to the fake Atlas on 127.0.0.1 (no auth).
//!
//! `cargo bench --manifest-path benches/wire/Cargo.toml`

use atlas_admin::fake::FakeAtlas;

#[path = "../../../tests/src/seed_behaviour.rs"]
#[allow(dead_code)]
mod seed_behaviour;

use seed_behaviour::SeedFakeBuilder;
use atlas_admin::{Client, RetryPolicy};
use criterion::{criterion_group, criterion_main, Criterion};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const CLUSTER: &str = "Cluster0";

fn overhead(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let fake = rt.block_on(FakeAtlas::builder().cluster(GROUP, CLUSTER).start());
    let client = Client::builder()
        .base_url(fake.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let http = reqwest::Client::builder()
        .user_agent("atlas-admin-rs/0.1.0")
        .build()
        .unwrap();
    let url = format!(
        "{}/api/atlas/v2/groups/{GROUP}/clusters/{CLUSTER}:revokeMongoDBEmployeeAccess",
        fake.url()
    );
    let mut group = c.benchmark_group("revoke_mongo_employee_access");
    group.bench_function("atlas-admin", |b| {
        b.to_async(&rt).iter(|| async {
            client
                .clusters()
                .revoke_mongo_employee_access(GROUP, CLUSTER)
                .send()
                .await
                .unwrap();
        })
    });
    group.bench_function("raw reqwest", |b| {
        b.to_async(&rt).iter(|| async {
            let r = http
                .post(&url)
                .header("Accept", "application/vnd.atlas.2024-08-05+json")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 204);
        })
    });
    group.finish();
    // The fake logs every request; keep it from growing across samples.
    fake.clear_requests();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
