//! Copied into the crate generated from `fixtures/versions.yaml` and run there
//! (`tests/tests/nested/standalone.rs`): both versions of one operation over HTTP.

use atlas_admin::fake::FakeAtlas;
use atlas_admin::{models, Client};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

#[tokio::test]
#[allow(deprecated)] // the old version is called on purpose (its sunset is set)
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
    assert_eq!(old, models::WidgetV1::new("w1").with_size_gb(3));
    assert_eq!(fake.requests()[0].header("accept"), Some("application/vnd.atlas.2023-01-01+json"));

    let new: models::Widget20240530 = client.widgets().get_widget(GROUP, "w1").include_count(true).send().await.unwrap().into_inner();
    assert_eq!(new.dimensions.width, 1.5);
    assert_eq!(new.labels.unwrap()["a"], "b");
    let r = &fake.requests()[1];
    assert_eq!(r.header("accept"), Some("application/vnd.atlas.2024-05-30+json"));
    assert_eq!(r.query.as_deref(), Some("includeCount=true"));

    let err = client.widgets().get_widget_preview(GROUP, "w1").send().await.unwrap_err();
    assert!(err.is_error_code("INVALID_VERSION_DATE"), "{err}");

    let body = models::WidgetV1::new("w2");
    let saved = client.widgets().update_widget_v2023_01_01(GROUP, "w1", body).send().await.unwrap();
    assert_eq!(saved.name, "w2");
    let r = &fake.requests()[3];
    assert_eq!(r.header("content-type"), Some("application/vnd.atlas.2023-01-01+json"));
    assert_eq!(r.body, br#"{"name":"w2"}"#);
}
