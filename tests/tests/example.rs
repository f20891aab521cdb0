//! `cargo run -p atlas-admin --example seed_ops` against the fake Atlas:
//! credentials and base URLs from the environment, the four calls in order,
//! exit 0 on success and 1 with the status and errorCode on an API error.
//!
//! The example is built into `target/standalone` (shared with the
//! standalone-crate test) so this nested cargo never waits on the outer one.

use atlas_admin_tests::*;
use std::process::{Command, Output};

async fn run_example(base_url: String, org: &str) -> Output {
    let org = org.to_string();
    tokio::task::spawn_blocking(move || {
        let root = xtask::project_root();
        Command::new(env!("CARGO"))
            .args([
                "run",
                "--quiet",
                "-p",
                "atlas-admin",
                "--example",
                "seed_ops",
                "--manifest-path",
            ])
            .arg(root.join("Cargo.toml"))
            .args(["--", "--org-id", &org, "--group-id", GROUP, "--cluster", CLUSTER])
            .args([
                "--project-id",
                PROJECT,
                "--agent-key-id",
                AGENT_KEY,
                "--access-list-ip",
                "203.0.113.7",
            ])
            .env("CARGO_TARGET_DIR", root.join("target/standalone"))
            .env("RUSTFLAGS", "-D warnings")
            .env("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC_KEY)
            .env("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE_KEY)
            .env("MONGODB_ATLAS_BASE_URL", &base_url)
            .env("MONGODB_ATLAS_OPS_MANAGER_URL", &base_url)
            .env_remove("MONGODB_ATLAS_CLIENT_ID")
            .env_remove("MONGODB_ATLAS_CLIENT_SECRET")
            .output()
            .expect("cargo runs")
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_ops_example_calls_the_four_operations() {
    let fake = fake().await;
    let out = run_example(fake.url(), ORG).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("created link token: fake-link-token-"), "{stdout}");
    let calls: Vec<String> = fake
        .requests()
        .iter()
        .filter(|r| r.header("authorization").is_some())
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        calls,
        [
            format!("POST /api/atlas/v2/orgs/{ORG}/liveMigrations/linkTokens"),
            format!("DELETE /api/atlas/v2/orgs/{ORG}/liveMigrations/linkTokens"),
            format!("POST /api/atlas/v2/groups/{GROUP}/clusters/{CLUSTER}:revokeMongoDBEmployeeAccess"),
            format!("DELETE /api/public/v1.0/groups/{PROJECT}/agentapikeys/{AGENT_KEY}"),
        ]
    );

    let fake = atlas_admin_tests::fake().await;
    let out = run_example(fake.url(), BUSY_ORG).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("HTTP 409 CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK"),
        "{stderr}"
    );
}
