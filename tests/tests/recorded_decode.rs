//! The recorded answers of the real Atlas (`../shared/recorded/`, skipped
//! with a message when it is missing) decode through our crate: each 2xx
//! JSON answer that matches an operation of `spec/atlas-admin.yaml` goes
//! through the decoder the client uses for that operation and version
//! (leniently: what differs from the model is a deviation; there is none).

use atlas_admin::fake::{FakeSpec, Spec};
use std::collections::BTreeMap;
use xtask::verify::{read_all, version_of, Operations};

#[test]
fn every_recorded_answer_of_our_operations_decodes() {
    let root = xtask::project_root();
    let Some(dir) = atlas_admin_tests::shared_input("recorded/atlas-cli-e2e", "decoding the recorded answers") else {
        return;
    };
    let spec: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(root.join(xtask::SPEC)).unwrap()).unwrap();
    let ops = Operations::of(&spec);
    let table = Spec::operations();
    let recordings = read_all(&[dir]).unwrap();
    let (mut decoded, mut failed, mut deviations) = (BTreeMap::<String, usize>::new(), Vec::new(), 0);
    for rec in &recordings {
        let json = rec.media_type().is_some_and(|m| m.ends_with("json"));
        if !(200..300).contains(&rec.status) || !json || rec.body.is_empty() {
            continue;
        }
        let Some(op) = ops.find(&rec.method, &rec.path) else {
            continue;
        };
        let media = rec.media_type().unwrap_or_default();
        let media = media.as_str();
        let Some(ours) = table.iter().find(|o| o.operation_id == op.id) else {
            panic!("{} is in our spec but not in the crate's table", op.id)
        };
        let version = ours
            .versions
            .iter()
            .find(|v| v.media_type == media || version_of(media) == Some(v.label))
            .unwrap_or_else(|| {
                panic!(
                    "{}: {} answered {media}, which it does not serve",
                    rec.file.display(),
                    op.id
                )
            });
        let Some(decode) = version.decode else { continue };
        match decode(&rec.body) {
            Ok(found) => {
                deviations += found.len();
                *decoded.entry(op.id.clone()).or_default() += 1;
            }
            Err(e) => failed.push(format!("{} ({} {media}): {e}", rec.file.display(), op.id)),
        }
    }
    let total: usize = decoded.values().sum();
    eprintln!(
        "RECORDED_DECODE: {total} answers of {} operations decode, {deviations} deviations: {decoded:?}",
        decoded.len()
    );
    assert!(
        failed.is_empty(),
        "{} recorded answers do not decode:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(
        total > 100 && decoded.len() >= 10,
        "too few recordings reached our operations: {decoded:?}"
    );
    // Our spec follows the evidence: nothing in these answers differs from
    // our models (`cargo xtask spec verify` finds nothing to fix either).
    assert_eq!(deviations, 0, "the recorded answers differ from our models");
}
