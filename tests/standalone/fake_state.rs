//! Copied into the crate generated from `fixtures/resources.yaml` and run there
//! (`tests/tests/nested/fake_generated.rs`): the generated fake's checks, its state
//! convention, steering and request log, through the generated client.

use atlas_admin::fake::{Answer, FakeAtlas};
use atlas_admin::models::{Size, Widget, WidgetRequest, WidgetUpdate};
use atlas_admin::runtime::{self, serde_json};
use atlas_admin::Client;
use serde_json::json;

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";

async fn fake() -> (FakeAtlas, Client) {
    let fake = FakeAtlas::builder().api_key("k", "s").start().await;
    let client = Client::builder().base_url(fake.url()).api_key("k", "s").build().unwrap();
    (fake, client)
}

fn widget(name: &str, size: Size) -> WidgetRequest {
    WidgetRequest::new(name, size)
}

#[tokio::test]
async fn create_get_list_update_delete_then_not_found() {
    let (_fake, client) = fake().await;
    let w = client.widgets();
    let created = w.create_widget(GROUP, widget("w1", Size::Small)).send().await.unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.value().name, "w1");
    // Fields the request did not give come from the schema, formats kept.
    assert_eq!(created.value().created_at.as_str(), "2026-01-01T00:00:00Z");
    w.create_widget(GROUP, widget("w2", Size::Large)).send().await.unwrap();

    let got = w.get_widget(GROUP, "w1").send().await.unwrap().into_inner();
    assert_eq!((got.name.as_str(), &got.size), ("w1", &Size::Small));

    let all = w.list_widgets(GROUP).send().await.unwrap().into_inner();
    let names: Vec<&str> = all.results.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["w1", "w2"]);
    assert_eq!(all.total_count, Some(2));
    let page = w.list_widgets(GROUP).items_per_page(1).page_num(2).send().await.unwrap().into_inner();
    assert_eq!(page.results.len(), 1);
    assert_eq!(page.results[0].name, "w2");
    // Another group's collection is its own.
    let other = w.list_widgets("5f0a1b2c3d4e5f6a7b8c9d0f").send().await.unwrap().into_inner();
    assert_eq!(other.total_count, Some(0));

    let changed = w
        .update_widget(GROUP, "w1", WidgetUpdate::new().with_size(Size::Large))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((changed.name.as_str(), &changed.size), ("w1", &Size::Large));
    assert_eq!(w.get_widget(GROUP, "w1").send().await.unwrap().value().size, Size::Large);

    let deleted = w.delete_widget(GROUP, "w1").send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    let gone = w.get_widget(GROUP, "w1").send().await.unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
    assert!(gone.is_error_code("RESOURCE_NOT_FOUND"), "{gone}");
    assert_eq!(w.delete_widget(GROUP, "w1").send().await.unwrap_err().status(), Some(404));
    let names: Vec<String> = w
        .list_widgets(GROUP)
        .send()
        .await
        .unwrap()
        .into_inner()
        .results
        .into_iter()
        .map(|x| x.name)
        .collect();
    assert_eq!(names, ["w2"]);
    // Creating what exists is a conflict.
    let twice = w.create_widget(GROUP, widget("w2", Size::Small)).send().await.unwrap_err();
    assert_eq!(twice.status(), Some(409), "{twice}");
}

#[tokio::test]
async fn what_nothing_creates_answers_without_state() {
    let (_fake, client) = fake().await;
    // The spec's example is a complete document: it is the answer.
    let settings = client.widgets().get_widget_settings(GROUP).send().await.unwrap().into_inner();
    assert!(settings.enabled);
    assert_eq!(settings.owner, "owner@example.com");
    assert_eq!(settings.limit, Some(5));
}

static GET_WIDGET_WRONG_VERSION: runtime::Endpoint = runtime::Endpoint {
    operation_id: "getWidget",
    method: runtime::Method::Get,
    base: runtime::Base::Atlas,
    path_template: "/api/atlas/v2/groups/{groupId}/widgets/{widgetName}",
    accept: "application/vnd.atlas.2099-01-01+json",
    version: "2099-01-01",
    content_type: None,
    sunset: None,
    newer: &[],
    statuses: &[200],
    sensitive: &[],
};

static GET_WIDGET: runtime::Endpoint = runtime::Endpoint {
    accept: "application/vnd.atlas.2024-05-30+json",
    version: "2024-05-30",
    ..GET_WIDGET_WRONG_VERSION
};

static CREATE_WIDGET: runtime::Endpoint = runtime::Endpoint {
    operation_id: "createWidget",
    method: runtime::Method::Post,
    path_template: "/api/atlas/v2/groups/{groupId}/widgets",
    accept: "application/vnd.atlas.2024-05-30+json",
    version: "2024-05-30",
    content_type: Some("application/vnd.atlas.2024-05-30+json"),
    ..GET_WIDGET_WRONG_VERSION
};

/// A request the generated client would never send (it checks patterns and
/// versions first), sent through the runtime as it is.
async fn raw(client: &Client, endpoint: &'static runtime::Endpoint, name: &str, body: Option<serde_json::Value>) -> runtime::Error {
    let mut request = runtime::Request::new(endpoint);
    request.path("/api/atlas/v2/groups/");
    request.path_param("groupId", &GROUP, None).unwrap();
    request.path("/widgets");
    if !name.is_empty() {
        request.path("/");
        request.path_param("widgetName", &name, None).unwrap();
    }
    if let Some(body) = body {
        request.json_body(&body).unwrap();
    }
    client.send_json::<serde_json::Value>(request).await.unwrap_err()
}

#[tokio::test]
async fn the_checks_atlas_makes() {
    let (fake, client) = fake().await;
    client.widgets().create_widget(GROUP, widget("w1", Size::Small)).send().await.unwrap();
    // A version the operation does not serve: 406.
    let e = raw(&client, &GET_WIDGET_WRONG_VERSION, "w1", None).await;
    assert_eq!((e.status(), e.error_code()), (Some(406), Some("INVALID_VERSION_DATE")), "{e}");
    // A version past its sunset (2025-06-01): 410.
    #[allow(deprecated)]
    let e = client.widgets().get_widget_v2023_01_01(GROUP, "w1").send().await.unwrap_err();
    assert_eq!((e.status(), e.error_code()), (Some(410), Some("VERSION_GONE")), "{e}");
    // A path parameter outside its pattern: 400.
    let e = raw(&client, &GET_WIDGET, "Not_A_Name", None).await;
    assert_eq!(e.status(), Some(400), "{e}");
    assert!(e.to_string().contains("widgetName"), "{e}");
    // A body that does not decode as the request model: 400.
    let e = raw(&client, &CREATE_WIDGET, "", Some(json!({"name": 5, "size": "SMALL"}))).await;
    assert_eq!((e.status(), e.error_code()), (Some(400), Some("INVALID_JSON")), "{e}");
    let e = raw(&client, &CREATE_WIDGET, "", Some(json!({"size": "SMALL"}))).await;
    assert_eq!(e.status(), Some(400), "a required field is missing: {e}");
    // None of the refused requests reached an operation.
    assert_eq!(fake.requests().iter().filter(|r| r.operation.is_some()).count(), 1);
    // Authentication, as before: wrong keys get 401.
    let stranger = Client::builder().base_url(fake.url()).api_key("k", "wrong").build().unwrap();
    let e = stranger.widgets().get_widget(GROUP, "w1").send().await.unwrap_err();
    assert_eq!(e.status(), Some(401), "{e}");
}

#[tokio::test]
async fn answers_set_by_a_test_queue_and_the_log_records_calls() {
    let state = |s: &str| Widget::new("2026-11-23T00:00:00Z".parse().unwrap(), "w9", Size::Small, s.into());
    let fake = FakeAtlas::builder()
        .api_key("k", "s")
        .answers("getWidget", [state("CREATING"), state("CREATING"), state("IDLE")])
        .answer("getWidgetSettings", json!({"enabled": false, "owner": "ops@example.com"}))
        .start()
        .await;
    let client = Client::builder().base_url(fake.url()).api_key("k", "s").build().unwrap();
    let w = client.widgets();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let got = w.get_widget(GROUP, "w9").send().await.unwrap().into_inner();
        seen.push(got.state_name.as_str().to_string());
    }
    assert_eq!(seen, ["CREATING", "CREATING", "IDLE", "IDLE"]);
    assert!(!w.get_widget_settings(GROUP).send().await.unwrap().value().enabled);

    // Set while running: one operation's answer, as an error.
    fake.respond(
        "deleteWidget",
        Answer::error(409, "CANNOT_DELETE_WIDGET", "The widget is in use."),
    );
    let e = w.delete_widget(GROUP, "w9").send().await.unwrap_err();
    assert!(e.is_error_code("CANNOT_DELETE_WIDGET"), "{e}");

    w.create_widget(GROUP, widget("w10", Size::Large)).send().await.unwrap();
    let calls = fake.calls_of("createWidget");
    assert_eq!(calls.len(), 1);
    let call = calls[0].operation.as_ref().unwrap();
    assert_eq!(call.version, "2024-05-30");
    assert_eq!(call.params.get("groupId").map(String::as_str), Some(GROUP));
    assert_eq!(call.body, Some(json!({"name": "w10", "size": "LARGE"})));
    let requests = fake.requests();
    let ids: Vec<&str> = requests.iter().filter_map(|r| r.operation_id()).collect();
    assert_eq!(ids.iter().filter(|i| **i == "getWidget").count(), 4);
}

#[test]
#[should_panic(expected = "serves no operation")]
fn steering_an_unknown_operation_is_a_mistake_named_at_once() {
    let _ = FakeAtlas::builder().answer("getWidgit", json!({}));
}
