//! `cargo xtask codegen --spec FILE --out DIR` writes a complete crate that
//! builds outside this workspace with warnings denied. Each fixture spec
//! goes through it; the versions fixture's crate then calls both versions
//! of one operation over HTTP and gets each version's own type back.
//!
//! The crates are written to a temporary folder and built into
//! `target/standalone`, so dependencies are compiled once and reused.

use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::{codegen, Mode, Target};

/// A test placed in the generated versions crate: it only compiles if each
/// version has the shape its schema gives.
const VERSIONS_WIRE_TEST: &str = r##"
use atlas_admin::fake::FakeAtlas;
use atlas_admin::{models, Client};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

#[tokio::test]
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

fn root() -> PathBuf {
    xtask::project_root()
}

fn cargo(args: &[&str], manifest: &Path) {
    let status = Command::new(env!("CARGO"))
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", root().join("target/standalone"))
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo {args:?} failed for {}", manifest.display());
}

#[test]
fn fixture_specs_become_crates_that_build_warning_free() {
    let base = std::env::temp_dir().join(format!("atlas-admin-standalone-{}", std::process::id()));
    for fixture in ["versions", "enums_nullable", "keywords"] {
        let spec = root().join(format!("tests/fixtures/{fixture}.yaml"));
        let out = base.join(fixture);
        let _ = std::fs::remove_dir_all(&out);
        codegen(&root(), &Target::Standalone { spec, out: out.clone(), crate_name: None }, Mode::Write).unwrap();
        // The same dependency versions as the workspace: no surprise upgrades.
        std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
        let manifest = out.join("Cargo.toml");
        assert!(std::fs::read_to_string(&manifest).unwrap().starts_with("# @generated"));
        if fixture == "versions" {
            std::fs::create_dir_all(out.join("tests")).unwrap();
            std::fs::write(out.join("tests/wire.rs"), VERSIONS_WIRE_TEST).unwrap();
            cargo(&["test", "--quiet", "--features", "fake", "--test", "wire"], &manifest);
        } else {
            cargo(&["build", "--quiet"], &manifest);
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}
