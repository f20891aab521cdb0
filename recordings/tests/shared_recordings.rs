//! The readers against the real answers in `../shared/recorded/` (the
//! Atlas CLI's recordings of the real Atlas), read at test time, never
//! copied. Missing: skipped with a message, but a failure under `CI=true`.

use atlas_admin_recordings::folder::{files, read_all};
use atlas_admin_recordings::{Recording, RequestPath};
use std::path::PathBuf;

/// `../shared/recorded` beside the workspace, or `None` (skipped) when it
/// is missing outside CI.
fn shared_recorded() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/recorded");
    if dir.is_dir() {
        return Some(dir);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let message = format!(
        "{} is missing, so the readers were not run on real recordings",
        dir.display()
    );
    assert!(!ci, "under CI=true a missing test input fails: {message}");
    eprintln!("SKIPPED: {message}");
    None
}

fn all() -> Option<Vec<Recording>> {
    let dir = shared_recorded()?;
    Some(read_all(&[dir]).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn every_cli_recording_reads() {
    let Some(all) = all() else { return };
    assert_eq!(all.len(), 443, "the README of ../shared/recorded counts 443 answers");
    for r in &all {
        let RequestPath::Mangled(path) = &r.path else {
            panic!("{}: a .snaphost is read as the CLI's", r.file.display())
        };
        assert!(path.starts_with("api_"), "{}: {path}", r.file.display());
        assert!(r.sequence >= 1, "{}: no call counter", r.file.display());
        assert!(
            ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&r.method.as_str()),
            "{}",
            r.file.display()
        );
        assert!((100..600).contains(&r.status));
        assert!(
            r.header("date").is_some(),
            "{}: every dump has a Date",
            r.file.display()
        );
    }
}

#[test]
fn json_bodies_are_whole_and_lengths_agree() {
    let Some(all) = all() else { return };
    let mut json = 0;
    for r in &all {
        if let Some(length) = r.header("content-length") {
            assert_eq!(length.parse::<usize>().ok(), Some(r.body.len()), "{}", r.file.display());
        }
        let media = r.media_type().unwrap_or_default();
        let plain_json =
            media == "application/json" || media.starts_with("application/vnd.atlas.") && media.ends_with("+json");
        if plain_json && !r.body.is_empty() && r.header("content-encoding").is_none() {
            // Atlas answers a certificate request with PEM text under a JSON
            // media type; every other JSON-typed body is whole JSON.
            if !r.body.starts_with(b"-----BEGIN") {
                serde_json::from_slice::<serde_json::Value>(&r.body)
                    .unwrap_or_else(|e| panic!("{}: {e}", r.file.display()));
                json += 1;
            }
        }
    }
    assert!(json > 200, "only {json} JSON bodies");
}

#[test]
fn the_recorded_digest_challenges_are_there() {
    let Some(all) = all() else { return };
    let challenges: Vec<&Recording> = all
        .iter()
        .filter(|r| r.status == 401 && r.header("www-authenticate").is_some_and(|v| v.starts_with("Digest ")))
        .collect();
    assert_eq!(
        challenges.len(),
        7,
        "the README counts seven 401s with a Digest challenge"
    );
}

#[test]
fn the_folder_walk_finds_only_recordings() {
    let Some(dir) = shared_recorded() else { return };
    let found = files(&dir).unwrap();
    assert_eq!(found.len(), 443);
    assert!(found.windows(2).all(|w| w[0] < w[1]), "sorted, each once");
    assert!(found.iter().all(|f| f.extension().is_some_and(|e| e == "snaphost")));
}
