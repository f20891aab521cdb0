//! `cargo run -p atlas-admin --example seed_ops` against the fake Atlas:
//! credentials and base URLs from the environment, the four calls in order,
//! exit 0 on success and 1 with the status and errorCode on an API error.
//!
//! `cargo test --workspace` builds the example beside this test's binary
//! (`target/debug/examples/seed_ops`), and the test runs that binary. When
//! it is missing or older than a source it was built from (this test run
//! alone, after an edit), a nested cargo builds it (the outer cargo holds
//! its lock only while it builds).

use atlas_admin_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folder of the profile this test binary was built in
/// (`target/debug`), where the outer cargo puts the examples.
fn profile_dir() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let profile = exe.parent().and_then(Path::parent).ok_or("no target folder")?;
    Ok(profile.to_path_buf())
}

fn example_path(profile: &Path) -> PathBuf {
    profile
        .join("examples")
        .join(format!("seed_ops{}", std::env::consts::EXE_SUFFIX))
}

/// The example's binary, built by the outer cargo, if it is up to date.
fn built_example() -> Result<PathBuf, String> {
    let profile = profile_dir()?;
    let binary = example_path(&profile);
    let built = std::fs::metadata(&binary)
        .and_then(|m| m.modified())
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let deps = std::fs::read_to_string(profile.join("examples/seed_ops.d")).map_err(|e| e.to_string())?;
    // `target: source source ...`, spaces in paths escaped as `\ `.
    let sources = deps.split_once(": ").map_or("", |(_, s)| s).replace("\\ ", "\0");
    for source in sources.split_whitespace().map(|s| s.replace('\0', " ")) {
        let changed = std::fs::metadata(&source).and_then(|m| m.modified());
        if changed.map_or(true, |t| t > built) {
            return Err(format!("{source} changed after {} was built", binary.display()));
        }
    }
    Ok(binary)
}

/// The example's binary: the outer cargo's, or one built now.
fn example_binary() -> PathBuf {
    match built_example() {
        Ok(binary) => binary,
        Err(why) => {
            eprintln!("building the example ({why})");
            let root = xtask::project_root();
            let manifest = root.join("generated-client/Cargo.toml");
            standalone_cargo(&["build", "--quiet", "--example", "seed_ops"], &manifest);
            example_path(&profile_dir().expect("a target folder"))
        }
    }
}

async fn run_example(base_url: String, org: &str) -> Output {
    let org = org.to_string();
    tokio::task::spawn_blocking(move || {
        Command::new(example_binary())
            .args(["--org-id", &org, "--group-id", GROUP, "--cluster", CLUSTER])
            .args([
                "--project-id",
                PROJECT,
                "--agent-key-id",
                AGENT_KEY,
                "--access-list-ip",
                "203.0.113.7",
            ])
            .env("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC_KEY)
            .env("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE_KEY)
            .env("MONGODB_ATLAS_BASE_URL", &base_url)
            .env("MONGODB_ATLAS_OPS_MANAGER_URL", &base_url)
            .env_remove("MONGODB_ATLAS_CLIENT_ID")
            .env_remove("MONGODB_ATLAS_CLIENT_SECRET")
            .output()
            .expect("the example runs")
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
