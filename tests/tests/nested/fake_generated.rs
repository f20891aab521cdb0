//! The fake generated from a spec: every operation version of each fixture
//! spec called through its generated client (the emitted
//! `tests/every_operation.rs`), and the checks, state convention, steering
//! and request log on the `resources` fixture
//! (`tests/standalone/fake_state.rs`, run inside that crate), and answers
//! that differ from the spec (`tests/standalone/deviations.rs`), and
//! recording then replaying (`tests/standalone/record_replay.rs`), likewise.

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
        "parameterless",
    ] {
        let out = base.join(fixture);
        write_standalone(&root().join(format!("tests/fixtures/{fixture}.yaml")), &out);
        let manifest = out.join("Cargo.toml");
        let mut args = vec!["test", "--quiet", "--features", "fake", "--test", "every_operation"];
        // (`--nocapture` below lets the standalone tests' report lines through.)
        if fixture == "resources" {
            // The checks, the state convention, steering and the request log
            // (one build with the every-operation test).
            for test in ["fake_state", "deviations", "record_replay"] {
                std::fs::copy(
                    root().join(format!("tests/standalone/{test}.rs")),
                    out.join(format!("tests/{test}.rs")),
                )
                .unwrap();
                args.extend(["--test", test]);
            }
        }
        args.extend(["--", "--nocapture"]);
        let report = standalone_cargo(&args, &manifest);
        if fixture == "resources" {
            // Every test binary ran: the every-operation one, fake_state's 5,
            // deviations' 7 and record_replay's one (its line).
            for passed in ["5 passed", "7 passed"] {
                assert!(report.contains(&format!("test result: ok. {passed}")), "{report}");
            }
            assert!(report.contains("RECORD_REPLAY: 6 calls"), "{report}");
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
