//! Copied into the crate generated from `fixtures/resources.yaml` and run there
//! (`tests/tests/nested/fake_generated.rs`): calls recorded against the fake with
//! `record_to` replay, without it, to the same results; no credential
//! reaches the files.

use atlas_admin::fake::FakeAtlas;
use atlas_admin::models::{Size, WidgetRequest, WidgetUpdate};
use atlas_admin::Client;
use std::path::{Path, PathBuf};

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";

/// A life cycle; each outcome as text (status and value, or the error).
async fn script(client: &Client) -> Vec<String> {
    let w = client.widgets();
    let mut seen = Vec::new();
    let request = WidgetRequest::new("w1", Size::Small);
    let made = w.create_widget(GROUP, request).send().await.unwrap();
    seen.push(format!("{} {:?}", made.status(), made.value()));
    let got = w.get_widget(GROUP, "w1").send().await.unwrap();
    seen.push(format!("{} {:?}", got.status(), got.value()));
    let changed = w
        .update_widget(GROUP, "w1", WidgetUpdate::new().with_size(Size::Large))
        .send()
        .await
        .unwrap();
    seen.push(format!("{} {:?}", changed.status(), changed.value()));
    let listed = w.list_widgets(GROUP).send().await.unwrap();
    seen.push(format!("{} {:?}", listed.status(), listed.value()));
    let gone = w.delete_widget(GROUP, "w1").send().await.unwrap();
    seen.push(format!("{}", gone.status()));
    let missing = w.get_widget(GROUP, "w1").send().await.unwrap_err();
    seen.push(format!("{:?} {:?}", missing.status(), missing.error_code()));
    seen
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    all.sort();
    all
}

#[tokio::test]
async fn calls_recorded_against_the_fake_replay_without_it_to_the_same_results() {
    let dir = std::env::temp_dir().join(format!("atlas-record-replay-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let fake = FakeAtlas::builder().api_key("pub-key", "priv-key-secret").start().await;
    let recording = Client::builder()
        .base_url(fake.url())
        .api_key("pub-key", "priv-key-secret")
        .record_to(&dir)
        .build()
        .unwrap();
    let first = script(&recording).await;
    drop(fake);

    let written = files(&dir);
    assert_eq!(written.len(), 6, "one file a call: {written:?}");
    assert!(written[0].ends_with("00001-createWidget.json"), "{written:?}");
    for file in &written {
        let text = std::fs::read_to_string(file).unwrap();
        for secret in ["priv-key-secret", "Digest", "authorization"] {
            assert!(!text.contains(secret), "{secret} in {}:\n{text}", file.display());
        }
    }

    let replaying = FakeAtlas::builder().replay(&dir).start().await;
    let client = Client::builder().base_url(replaying.url()).build().unwrap();
    let second = script(&client).await;
    assert_eq!(first, second);
    assert!(replaying.unused_recordings().is_empty());
    println!("RECORD_REPLAY: {} calls recorded and replayed to the same results", second.len());
    let _ = std::fs::remove_dir_all(&dir);
}
