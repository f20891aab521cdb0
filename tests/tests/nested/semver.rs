//! Models that grow without breaking apps (README, "Models that grow"): a
//! crate generated from `tests/semver/growth.yaml`, then regenerated from
//! it with an optional field, an enum value and a resource version added,
//! still builds and runs `tests/semver/app.rs`, an app written against the
//! first crate. `tests/semver/fragile_*.rs` show what keeps apps from
//! depending on the exact fields and values: struct literals and
//! exhaustive matches of the crate's models do not compile.

use atlas_admin_tests::{standalone_cargo, standalone_cargo_status, write_standalone_named};
use std::path::Path;

fn grown(text: &str) -> String {
    let grown: String = text
        .lines()
        .map(|line| match line.split_once("# grows: ") {
            Some((indent, rest)) => format!("{indent}{rest}\n"),
            None => format!("{line}\n"),
        })
        .collect();
    assert_eq!(
        grown.lines().count(),
        text.lines().count(),
        "growth.yaml changes line by line"
    );
    grown
}

fn write(spec_text: &str, dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let spec = dir.join("growth.yaml");
    std::fs::write(&spec, spec_text).unwrap();
    let out = dir.join("growth");
    write_standalone_named(&spec, &out, Some("growth"));
    let examples = out.join("examples");
    std::fs::create_dir_all(&examples).unwrap();
    let root = xtask::project_root().join("tests/semver");
    for app in ["app.rs", "fragile_literal.rs", "fragile_match.rs"] {
        std::fs::copy(root.join(app), examples.join(app)).unwrap();
    }
    out.join("Cargo.toml")
}

#[test]
fn an_app_built_against_the_crate_still_builds_after_the_spec_grows() {
    let base = std::env::temp_dir().join(format!("atlas-admin-semver-{}", std::process::id()));
    let text = std::fs::read_to_string(xtask::project_root().join("tests/semver/growth.yaml")).unwrap();
    let manifest = write(&text, &base.join("before"));
    standalone_cargo(&["run", "--quiet", "--features", "fake", "--example", "app"], &manifest);
    for (fragile, error) in [("fragile_literal", "E0639"), ("fragile_match", "E0004")] {
        let (ok, report) = standalone_cargo_status(&["build", "--features", "fake", "--example", fragile], &manifest);
        assert!(!ok, "{fragile}.rs compiled:\n{report}");
        assert!(
            report.contains(error),
            "{fragile}.rs failed for another reason than {error}:\n{report}"
        );
    }

    let grown_text = grown(&text);
    assert_ne!(grown_text, text);
    let manifest = write(&grown_text, &base.join("after"));
    let models = std::fs::read_to_string(manifest.with_file_name("src/generated/models/mod.rs")).unwrap()
        + &std::fs::read_to_string(manifest.with_file_name("src/generated/models/widgets.rs")).unwrap_or_default();
    let ops = std::fs::read_to_string(manifest.with_file_name("src/generated/operations/widgets.rs")).unwrap();
    assert!(
        models.contains("pub color: Option<String>") && models.contains("Medium"),
        "the spec did not grow"
    );
    assert!(ops.contains("pub fn get_widget_v2025_01_01"), "no new version");
    standalone_cargo(&["run", "--quiet", "--features", "fake", "--example", "app"], &manifest);
    let _ = std::fs::remove_dir_all(&base);
}
