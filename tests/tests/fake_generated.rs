//! The fake generated from a spec: every operation version of each fixture
//! spec called through its generated client (the emitted
//! `tests/every_operation.rs`), and the checks, state convention, steering
//! and request log on the `resources` fixture
//! (`tests/standalone/fake_state.rs`, run inside that crate).

use atlas_admin_tests::{standalone_cargo, write_standalone};
use std::path::PathBuf;

fn root() -> PathBuf {
    xtask::project_root()
}

#[test]
fn every_operation_of_every_fixture_answers_through_the_fake() {
    let base = std::env::temp_dir().join(format!("atlas-admin-fake-every-{}", std::process::id()));
    for fixture in [
        "resources",
        "versions",
        "enums_nullable",
        "keywords",
        "compositions",
        "header_enum",
        "reserved_names",
        "sunsets",
        "short_names",
        "watchers",
    ] {
        let out = base.join(fixture);
        write_standalone(&root().join(format!("tests/fixtures/{fixture}.yaml")), &out);
        let manifest = out.join("Cargo.toml");
        let mut args = vec!["test", "--quiet", "--features", "fake", "--test", "every_operation"];
        if fixture == "resources" {
            // The checks, the state convention, steering and the request log
            // (one build with the every-operation test).
            std::fs::copy(
                root().join("tests/standalone/fake_state.rs"),
                out.join("tests/fake_state.rs"),
            )
            .unwrap();
            args.extend(["--test", "fake_state"]);
        }
        args.extend(["--", "--nocapture"]);
        let report = standalone_cargo(&args, &manifest);
        if fixture == "resources" {
            // Both test binaries ran: the every-operation one and fake_state's 5.
            assert!(report.contains("test result: ok. 5 passed"), "{report}");
        }
        // One line per tag; libtest's progress dots may precede it.
        let lines: Vec<&str> = report
            .lines()
            .filter_map(|l| l.find("EVERY_OPERATION").map(|i| &l[i..]))
            .collect();
        assert!(!lines.is_empty(), "{fixture}: no every-operation report:\n{report}");
        for line in lines {
            eprintln!("{fixture}: {line}");
            assert!(line.ends_with(" 0 failed"), "{fixture}: {line}");
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}
