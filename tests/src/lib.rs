//! Shared pieces of the end-to-end tests: ids and a fake Atlas set up with
//! every seed resource. Fixture specs live in `fixtures/`.

pub mod hostile_server;
pub mod seed_behaviour;

pub use seed_behaviour::{SeedFake, SeedFakeBuilder};

/// The README's code blocks, each compiled as a doctest of this crate (which
/// has `atlas-admin` with the `fake` feature, tokio, futures-util,
/// serde_json, reqwest and tracing-subscriber, as the README tells an app to
/// add), and run where it can run (against the fake, or offline).
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

use atlas_admin::fake::FakeAtlas;
use atlas_admin::{Client, Credentials, Error, Response, RetryPolicy};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub const ORG: &str = "4888442a3354817a7320eb61";
pub const BUSY_ORG: &str = "5a0a1e7e0f2912c554080adc";
pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";
pub const CLUSTER: &str = "Cluster0";
pub const PROJECT: &str = "5e2211c17a3e5a48f5497de3";
pub const AGENT_KEY: &str = "5d9f7b9c2a7f1b6f2c1a4e3b";
pub const PUBLIC_KEY: &str = "zkpubkey";
pub const PRIVATE_KEY: &str = "6f1e5c8a-private-key-never-logged";
pub const CLIENT_ID: &str = "mdb_sa_id_6f1e5c8a";
pub const CLIENT_SECRET: &str = "mdb_sa_sk_secret-never-logged";

/// A fake with both kinds of credentials and every seed resource.
pub async fn fake() -> FakeAtlas {
    FakeAtlas::builder()
        .api_key(PUBLIC_KEY, PRIVATE_KEY)
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .org(ORG)
        .active_migration(BUSY_ORG)
        .cluster(GROUP, CLUSTER)
        .agent_api_key(PROJECT, AGENT_KEY)
        .start()
        .await
}

/// A fake with the API key only: the generated fake's own state, no seed
/// resources or routes by hand (the lifecycle and waiter tests).
pub async fn bare_fake() -> FakeAtlas {
    FakeAtlas::builder().api_key(PUBLIC_KEY, PRIVATE_KEY).start().await
}

/// A test input from `../shared/` beside the checkout (MongoDB's published
/// spec, the recorded answers), by its path below `shared/`
/// (`"upstream/atlas-admin-v2.yaml"`). When it is missing, outside CI the
/// test skips and says which file and what went unchecked; under `CI=true`
/// it fails naming the file, so a CI run never passes without its inputs.
pub fn shared_input(relative: &str, unchecked: &str) -> Option<PathBuf> {
    input_or_skip(
        xtask::project_root().join("../shared").join(relative),
        unchecked,
        under_ci(),
    )
}

fn input_or_skip(path: PathBuf, unchecked: &str, ci: bool) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let message = format!("{} is missing, so {unchecked} was not checked", path.display());
    assert!(!ci, "under CI=true a missing test input fails: {message}");
    eprintln!("SKIPPED: {message}");
    None
}

/// Whether the tests run under CI (`CI=true`, as `.ci/run` sets it).
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

pub fn digest() -> Credentials {
    Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY)
}

pub fn service_account() -> Credentials {
    Credentials::service_account(CLIENT_ID, CLIENT_SECRET)
}

/// A client of `fake` (also as the Ops Manager host), with quick retries.
pub fn client(fake: &FakeAtlas, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(fake.url())
        .credentials(credentials)
        .retry_policy(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(5),
        })
        .timeout(Duration::from_secs(10))
        .build()
        .expect("valid configuration")
}

/// The call most tests make: revoke employee access to the seed cluster.
pub async fn revoke(client: &Client) -> Result<Response<()>, Error> {
    client
        .clusters()
        .revoke_mongo_employee_access(GROUP, CLUSTER)
        .send()
        .await
}

/// Creates a link token for `ORG` with an empty body (the seed's POST).
pub async fn create_token(client: &Client) -> Result<Response<atlas_admin::models::TargetOrg>, Error> {
    client
        .cloud_migration_service()
        .create_link_token(ORG, atlas_admin::models::TargetOrgRequest::default())
        .send()
        .await
}

/// Writes the standalone crate for `spec` at `out` (`cargo xtask codegen
/// --spec --out`), pinned to the workspace's dependency versions.
pub fn write_standalone(spec: &Path, out: &Path) {
    write_standalone_named(spec, out, None)
}

/// [`write_standalone`] with `--crate-name`.
pub fn write_standalone_named(spec: &Path, out: &Path, crate_name: Option<&str>) {
    write_standalone_with(spec, out, crate_name, &[]);
}

/// [`write_standalone`] with `--crate-name` and `--overlay`s; returns the
/// warnings codegen printed.
pub fn write_standalone_with(
    spec: &Path,
    out: &Path,
    crate_name: Option<&str>,
    overlays: &[std::path::PathBuf],
) -> Vec<String> {
    let root = xtask::project_root();
    let _ = std::fs::remove_dir_all(out);
    let target = xtask::Target::Standalone {
        spec: spec.to_path_buf(),
        out: out.to_path_buf(),
        crate_name: crate_name.map(str::to_string),
        runtime_version: None,
    };
    let (_, warnings) =
        xtask::codegen_with(&root, &target, xtask::Mode::Write, overlays).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("copy Cargo.lock");
    warnings
}

/// Runs `cargo <command> --manifest-path <manifest> <rest...>` with warnings
/// denied. Panics with the output on failure; returns it otherwise.
///
/// Nested builds go into the outer cargo's own target folder (cargo holds
/// its lock only while it builds, not while tests run), with the flags the
/// workspace's build uses, so the dependencies it compiled are reused:
/// a nested `build`/`test` compiles only the runtime and the generated
/// crate, and a nested `check` compiles the dependencies once in check
/// mode (which the workspace's clippy then reuses). The workspace builds
/// dependencies without debug info; nested builds build their own crates
/// so too, and without incremental caches: each is built once, and its
/// tests report what failed in their own words.
///
/// Warnings are denied by reading the output, not by `RUSTFLAGS` (which
/// would give every dependency a build of its own): any `warning` line,
/// from rustc, clippy or cargo, fails the build. Dependencies from
/// crates.io never warn (cargo caps their lints); the runtime and the
/// generated crate are path crates, so theirs show.
pub fn standalone_cargo(args: &[&str], manifest: &Path) -> String {
    let (ok, text) = standalone_cargo_status(args, manifest);
    assert!(ok, "cargo {args:?} failed for {}:\n{text}", manifest.display());
    text
}

/// [`standalone_cargo`] that returns whether cargo succeeded, and its output.
pub fn standalone_cargo_status(args: &[&str], manifest: &Path) -> (bool, String) {
    let (command, rest) = args.split_first().expect("a cargo command");
    let out = Command::new(env!("CARGO"))
        .arg(command)
        .arg("--manifest-path")
        .arg(manifest)
        .args(rest)
        .env("CARGO_TARGET_DIR", outer_target_dir())
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success() && !warns(&text), text)
}

/// Whether cargo's output holds a warning (`warning: ...`, `warning[E...]`).
pub fn warns(output: &str) -> bool {
    output.lines().any(|l| {
        l.trim_start()
            .strip_prefix("warning")
            .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('['))
    })
}

/// The target folder of the cargo that built this test binary
/// (`<target>/debug/deps/<binary>`), else the workspace's `target/`.
fn outer_target_dir() -> PathBuf {
    let exe = std::env::current_exe().ok();
    let target = exe.as_deref().and_then(|e| e.ancestors().nth(3)).map(Path::to_path_buf);
    target
        .filter(|t| t.join("CACHEDIR.TAG").exists())
        .unwrap_or_else(|| xtask::project_root().join("target"))
}

/// Proptest's configuration for `cases` cases: a fixed seed, so CI runs the
/// same cases every time; set `PROPTEST_RNG_SEED` to explore other ones.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    let mut config = proptest::test_runner::Config {
        cases,
        ..proptest::test_runner::Config::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x5eed_a71a5);
    }
    config
}

/// A `MakeWriter` that keeps everything logged, for tests of logs and spans.
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

/// Captures everything logged on this thread, at `level` and above; with
/// `spans`, a line when each span closes (with the fields it recorded).
pub fn capture_logs_with(level: tracing::Level, spans: bool) -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let events = if spans {
        tracing_subscriber::fmt::format::FmtSpan::CLOSE
    } else {
        tracing_subscriber::fmt::format::FmtSpan::NONE
    };
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(level)
        .with_span_events(events)
        .with_ansi(false)
        .finish();
    anchor_interest();
    (captured, tracing::subscriber::set_default(subscriber))
}

/// Keeps every callsite's cached interest at "sometimes" or better for the
/// life of the test process, so that each event asks the subscriber of the
/// thread that emits it.
///
/// tracing caches one interest per callsite, process-wide. While at most one
/// dispatcher is registered, a callsite is judged by the subscriber of the
/// thread that first reaches it: a sibling test without a subscriber caches
/// "never", and a capturing test on another thread then sees nothing from
/// that callsite (`secrets_never_show` lost every runtime event this way
/// when it ran beside a digest test). A second, always-registered
/// dispatcher that answers "sometimes" makes tracing combine the live
/// dispatchers instead, and "never" can no longer be cached.
fn anchor_interest() {
    use tracing::subscriber::{Interest, Subscriber};
    use tracing::{span, Event, Metadata};
    struct Anchor;
    impl Subscriber for Anchor {
        fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
            Interest::sometimes()
        }
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            false
        }
        fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
            span::Id::from_u64(1)
        }
        fn record(&self, _: &span::Id, _: &span::Record<'_>) {}
        fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}
        fn event(&self, _: &Event<'_>) {}
        fn enter(&self, _: &span::Id) {}
        fn exit(&self, _: &span::Id) {}
    }
    static ANCHOR: std::sync::OnceLock<tracing::Dispatch> = std::sync::OnceLock::new();
    ANCHOR.get_or_init(|| tracing::Dispatch::new(Anchor));
}

#[cfg(test)]
mod tests {
    use super::{input_or_skip, warns};

    /// A missing input skips outside CI and fails under it, naming the file.
    #[test]
    fn a_missing_input_skips_only_outside_ci() {
        let missing = std::path::PathBuf::from("/nonexistent/shared/upstream/spec.yaml");
        assert_eq!(input_or_skip(missing.clone(), "drift", false), None);
        let failed = std::panic::catch_unwind(|| input_or_skip(missing, "drift", true)).unwrap_err();
        let message = failed.downcast_ref::<String>().unwrap();
        assert!(message.contains("/nonexistent/shared/upstream/spec.yaml"), "{message}");
        let present = std::env::current_dir().unwrap();
        assert_eq!(input_or_skip(present.clone(), "drift", true), Some(present));
    }

    /// What rustc, clippy and cargo print for a warning fails a nested
    /// build; notes, errors' context and clean output do not.
    #[test]
    fn a_warning_in_cargo_output_is_found() {
        assert!(warns("warning: unused variable: `b`\n --> src/lib.rs:3:9"));
        assert!(warns("   Compiling x v0.1.0\nwarning[E0133]: call to unsafe function"));
        assert!(warns("warning: `growth` (lib) generated 1 warning"));
        assert!(!warns("   Compiling x v0.1.0\n    Finished `dev` profile in 1.2s"));
        assert!(!warns("  = note: `#[warn(unused_variables)]` on by default"));
        assert!(!warns("test warnings_are_kept ... ok"));
    }
}
