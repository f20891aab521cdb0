//! `cargo xtask codegen --spec FILE --out DIR` writes a complete crate that
//! builds outside this workspace with warnings denied. Each fixture spec
//! goes through it; a fixture with a wire test in `tests/standalone/`
//! (`versions_wire.rs`, `compositions_wire.rs`, `watchers_wire.rs`) runs it
//! inside its crate, over HTTP against the generated fake.
//!
//! The crates are written to a temporary folder and built into the outer
//! cargo's target folder, so the workspace's dependencies are reused.

use atlas_admin_tests::{standalone_cargo, standalone_cargo_status, write_standalone, write_standalone_named};
use std::path::PathBuf;

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
        "watchers",
        "parameterless",
    ] {
        let spec = root().join(format!("tests/fixtures/{fixture}.yaml"));
        let out = base.join(fixture);
        // Pinned to the workspace's dependency versions: no surprise upgrades.
        write_standalone(&spec, &out);
        let manifest = out.join("Cargo.toml");
        assert!(std::fs::read_to_string(&manifest).unwrap().starts_with("# @generated"));
        // A fixture with a wire test (`tests/standalone/<fixture>_wire.rs`)
        // runs it inside its crate; the others are checked.
        let wire = root().join(format!("tests/standalone/{fixture}_wire.rs"));
        if wire.exists() {
            std::fs::copy(&wire, out.join("tests/wire.rs")).unwrap();
            let report = standalone_cargo(
                &["test", "--features", "fake", "--test", "wire", "--", "--test-threads=2"],
                &manifest,
            );
            let passed = report
                .lines()
                .find_map(|l| l.strip_prefix("test result: ok. "))
                .and_then(|l| l.split_whitespace().next()?.parse::<usize>().ok());
            eprintln!("{fixture}: wire test: {passed:?} passed");
            assert!(
                passed.is_some_and(|n| n > 0),
                "{fixture}: the wire test ran nothing:\n{report}"
            );
        } else {
            standalone_cargo(&["check", "--quiet"], &manifest);
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
    let text = standalone_cargo(&["test", "--doc", "--features", "fake"], &out.join("Cargo.toml"));
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
    assert_eq!(
        tags,
        [
            "agent_api_keys",
            "cloud_backups",
            "cloud_migration_service",
            "clusters",
            "database_users",
            "flex_clusters",
            "organizations",
            "project_ip_access_list",
            "projects",
            "service_accounts"
        ]
    );
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
    let (ok, text) = standalone_cargo_status(&["check", "--quiet", "--example", "old"], &manifest);
    assert!(
        !ok,
        "a call to a sunset version must not build with -D warnings:\n{text}"
    );
    assert!(
        text.contains("Atlas stops serving 2023-01-01 of getCluster on 2024-06-30; use get_cluster_v2024_08_05"),
        "{text}"
    );
    standalone_cargo(&["check", "--quiet", "--example", "new"], &manifest);
    let _ = std::fs::remove_dir_all(&out);
}
