//! Copied into the crate generated from `fixtures/resources.yaml` and run there
//! (`tests/tests/nested/fake_generated.rs`): answers that differ from the spec, as
//! real Atlas sends them, decode through the generated client; each
//! difference is on the response, and a strict client refuses them.

use atlas_admin::fake::{Answer, FakeAtlas};
use atlas_admin::models::{Size, Widget, WidgetRequest};
use atlas_admin::runtime::{self, serde_json, DeviationKind};
use atlas_admin::{Client, Error};
use serde_json::{json, Value};

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";
const V: &str = "application/vnd.atlas.2024-05-30+json";

/// A fake answering `getWidget` with `status` and `body`, and a client
/// (strict or not) for it.
async fn answering(op: &str, status: u16, body: Value, strict: bool) -> (FakeAtlas, Client) {
    let fake = FakeAtlas::builder()
        .respond(op, Answer::ok(status, V, Some(body)))
        .start()
        .await;
    let client = Client::builder().base_url(fake.url()).strict(strict).build().unwrap();
    (fake, client)
}

fn kinds(deviations: &[runtime::Deviation]) -> Vec<(DeviationKind, &str, &str)> {
    deviations.iter().map(|d| (d.kind, d.type_name, d.field.as_ref())).collect()
}

#[tokio::test]
async fn a_required_field_left_out_takes_its_absent_value_and_is_reported() {
    let body = json!({"name": "w1", "stateName": "IDLE"});
    let (_fake, client) = answering("getWidget", 200, body.clone(), false).await;
    let got = client.widgets().get_widget(GROUP, "w1").send().await.unwrap();
    assert_eq!(got.name, "w1");
    // Nothing Atlas sent: the enum's catch-all holding "", and empty text.
    assert_eq!(got.size, Size::Unknown(String::new()));
    assert_eq!((got.created_at.as_str(), got.created_at.timestamp()), ("", None));
    assert_eq!(
        kinds(got.deviations()),
        vec![
            (DeviationKind::RequiredAbsent, "Widget", "createdAt"),
            (DeviationKind::RequiredAbsent, "Widget", "size"),
        ]
    );
    // Users decoding stored JSON get the same, with the deviations if they ask.
    let stored: Widget = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(stored, got.into_inner());
    let (_, found) = runtime::decode::<Widget>(body.to_string().as_bytes()).unwrap();
    assert_eq!(found.len(), 2);
    let strict = runtime::decode_strict::<Widget>(body.to_string().as_bytes()).unwrap_err();
    assert!(strict.to_string().contains("required-absent Widget.size"), "{strict}");
}

#[tokio::test]
async fn unknown_properties_and_enum_values_are_kept_out_and_reported() {
    let body = json!({"name": "w1", "size": "HUGE", "stateName": "IDLE", "createdAt": "2026-01-01T00:00:00Z", "color": "red"});
    let (_fake, client) = answering("getWidget", 200, body, false).await;
    let got = client.widgets().get_widget(GROUP, "w1").send().await.unwrap();
    assert_eq!(got.size, Size::Unknown("HUGE".into()));
    assert_eq!(
        kinds(got.deviations()),
        vec![
            (DeviationKind::UnknownProperty, "Widget", "color"),
            (DeviationKind::UnknownEnumValue, "Size", "HUGE"),
        ]
    );
}

#[tokio::test]
async fn null_where_not_nullable_is_none_or_absent_and_reported() {
    // `retiredAt` is nullable (and read-only): its null is no deviation.
    let body = json!({"id": null, "name": null, "size": "SMALL", "stateName": "IDLE", "createdAt": "2026-01-01T00:00:00Z", "retiredAt": null});
    let (_fake, client) = answering("getWidget", 200, body, false).await;
    let got = client.widgets().get_widget(GROUP, "w1").send().await.unwrap();
    assert_eq!((got.id.as_deref(), got.name.as_str(), got.retired_at.as_ref()), (None, "", None));
    assert_eq!(
        kinds(got.deviations()),
        vec![
            (DeviationKind::NullNotNullable, "Widget", "id"),
            (DeviationKind::NullNotNullable, "Widget", "name"),
        ]
    );
}

#[tokio::test]
async fn undocumented_statuses_and_bodies_on_empty_statuses_are_reported() {
    // getWidget documents 200 only.
    let body = json!({"name": "w1", "size": "SMALL", "stateName": "IDLE", "createdAt": "2026-01-01T00:00:00Z"});
    let (_fake, client) = answering("getWidget", 201, body, false).await;
    let got = client.widgets().get_widget(GROUP, "w1").send().await.unwrap();
    assert_eq!(got.status(), 201);
    assert_eq!(
        kinds(got.deviations()),
        vec![(DeviationKind::UndocumentedStatus, "", "201 (documented: 200)")]
    );
    // deleteWidget documents 204 without a body; Atlas answers 202 with one.
    let (_fake, client) = answering("deleteWidget", 202, json!({"stateName": "DELETING"}), false).await;
    let gone = client.widgets().delete_widget(GROUP, "w1").send().await.unwrap();
    let found = kinds(gone.deviations());
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0], (DeviationKind::UndocumentedStatus, "", "202 (documented: 204)"));
    assert_eq!(found[1].0, DeviationKind::BodyOnEmptyStatus);
}

#[tokio::test]
async fn integers_past_their_format_or_written_as_fractions_are_kept_and_reported() {
    let body = json!({"enabled": true, "owner": "ops@example.com", "limit": 30.0, "maxWidgets": 3000000000u64});
    let fake = FakeAtlas::builder()
        .respond("getWidgetSettings", Answer::ok(200, V, Some(body)))
        .start()
        .await;
    let client = Client::builder().base_url(fake.url()).build().unwrap();
    let got = client.widgets().get_widget_settings(GROUP).send().await.unwrap();
    // Every integer is an i64: nothing Atlas sent is lost.
    assert_eq!((got.limit, got.max_widgets), (Some(30), Some(3_000_000_000)));
    assert_eq!(
        kinds(got.deviations()),
        vec![
            (DeviationKind::NumberPastFormat, "", "int32"),
            (DeviationKind::IntegerAsFraction, "", "int64"),
        ]
    );
}

#[tokio::test]
async fn a_strict_client_refuses_any_deviation_naming_it() {
    let (_fake, client) = answering("getWidget", 200, json!({"name": "w1", "stateName": "IDLE"}), true).await;
    let err = client.widgets().get_widget(GROUP, "w1").send().await.unwrap_err();
    let Error::Deviation { operation, status, deviations, .. } = &err else {
        panic!("not a deviation error: {err:?}");
    };
    assert_eq!((*operation, *status, deviations.len()), ("getWidget", 200, 2));
    let text = err.to_string();
    assert!(text.contains("getWidget 2024-05-30: status 200"), "{text}");
    assert!(text.contains("required-absent Widget.size"), "{text}");
    // An answer that follows the spec is fine.
    let body = json!({"name": "w1", "size": "SMALL", "stateName": "IDLE", "createdAt": "2026-01-01T00:00:00Z"});
    let (_fake, client) = answering("getWidget", 200, body, true).await;
    assert!(client.widgets().get_widget(GROUP, "w1").send().await.unwrap().deviations().is_empty());
}

static CREATE_WIDGET: runtime::Endpoint = runtime::Endpoint {
    operation_id: "createWidget",
    method: runtime::Method::Post,
    base: runtime::Base::Atlas,
    path_template: "/api/atlas/v2/groups/{groupId}/widgets",
    accept: V,
    version: "2024-05-30",
    content_type: Some(V),
    sunset: None,
    newer: &[],
    statuses: &[201],
    sensitive: &[],
};

/// The status a fake answers to a create with `body` as it is (the typed
/// client could not send a body missing a required field).
async fn create(fake: &FakeAtlas, body: Value) -> u16 {
    let client = Client::builder().base_url(fake.url()).build().unwrap();
    let mut request = runtime::Request::new(&CREATE_WIDGET);
    request.path("/api/atlas/v2/groups/");
    request.path_param("groupId", &GROUP, None).unwrap();
    request.path("/widgets");
    request.json_body(&body).unwrap();
    match client.send_json::<Value>(request).await {
        Ok(r) => r.status(),
        Err(e) => e.status().unwrap_or(0),
    }
}

#[tokio::test]
async fn the_fake_refuses_bodies_missing_required_fields_and_when_strict_unknown_ones() {
    let lenient = FakeAtlas::builder().start().await;
    assert_eq!(create(&lenient, json!({"name": "w1"})).await, 400, "size is required");
    assert_eq!(create(&lenient, json!({"name": "w2", "size": "SMALL", "color": "red"})).await, 201);
    let strict = FakeAtlas::builder().strict().start().await;
    assert_eq!(create(&strict, json!({"name": "w2", "size": "SMALL", "color": "red"})).await, 400);
    assert_eq!(create(&strict, json!({"name": "w3", "size": "SMALL"})).await, 201);
    // Through the client, a strict fake still takes what the client sends.
    let client = Client::builder().base_url(strict.url()).build().unwrap();
    let made = client
        .widgets()
        .create_widget(GROUP, WidgetRequest::new("w4", Size::Large))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
}
