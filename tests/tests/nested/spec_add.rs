//! `cargo xtask spec add` (issue #10): operations imported from the
//! published spec into a copy of ours in a temporary folder; what is
//! committed to `spec/` stays in our own words.

use serde_json::{json, Value};
use xtask::drift::{drift, Options, Severity};
use xtask::spec_add::{add, Options as AddOptions};

fn published() -> Option<Value> {
    let path = atlas_admin_tests::shared_input("upstream/atlas-admin-v2.yaml", "spec add against the published spec")?;
    Some(xtask::json::load(&path).unwrap())
}

fn ours_text() -> String {
    std::fs::read_to_string(xtask::project_root().join(xtask::SPEC)).unwrap()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn operations_come_in_whole_and_a_second_run_changes_nothing() {
    let Some(up) = published() else { return };
    let ours = ours_text();
    let wanted = ids(&["getGroupBackupExportBucket", "listGroupBackupExportBuckets"]);
    let (text, report) = add(&ours, &up, &wanted, &AddOptions::today()).unwrap();
    assert_eq!(report.added.len(), 2, "{report:?}");
    assert!(!report.reused.is_empty(), "shared components are reused: {report:?}");
    assert!(
        text.starts_with("# The subset of the MongoDB Atlas"),
        "our comments stay"
    );
    // Every version of the operation came along.
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let content = spec
        .pointer("/paths/~1api~1atlas~1v2~1groups~1{groupId}~1backup~1exportBuckets~1{exportBucketId}/get/responses/200/content")
        .unwrap()
        .as_object()
        .unwrap();
    let up_content = up
        .pointer("/paths/~1api~1atlas~1v2~1groups~1{groupId}~1backup~1exportBuckets~1{exportBucketId}/get/responses/200/content")
        .unwrap()
        .as_object()
        .unwrap();
    assert_eq!(
        content.keys().collect::<Vec<_>>(),
        up_content.keys().collect::<Vec<_>>()
    );

    let (again, report) = add(&text, &up, &wanted, &AddOptions::today()).unwrap();
    assert_eq!(again, text, "a second run changes nothing");
    assert_eq!(report.unchanged.len(), 2);

    // It generates, and shows no breaking drift for what was added.
    atlas_codegen::generate_from_str(&text, &atlas_codegen::Settings::default()).unwrap();
    let findings = drift(
        &spec,
        &up,
        Options {
            today: atlas_admin_recordings::dates::today(),
            sunset_within: 90,
        },
    );
    let breaking: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Breaking).collect();
    assert!(breaking.is_empty(), "{breaking:#?}");

    // And the crate builds, warnings denied.
    let dir = std::env::temp_dir().join(format!("atlas-spec-add-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("spec.yaml"), &text).unwrap();
    atlas_admin_tests::write_standalone(&dir.join("spec.yaml"), &dir.join("crate"));
    atlas_admin_tests::standalone_cargo(&["check", "--quiet"], &dir.join("crate/Cargo.toml"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `spec add` leaves out a version Atlas no longer serves, and says so;
/// `--with-sunset` still imports it. What it writes shows no
/// `sunset-passed` drift.
#[test]
fn versions_past_their_sunset_are_left_out_unless_asked() {
    let Some(up) = published() else { return };
    let ours = ours_text();
    let id = ids(&["getFederationSettingIdentityProvider"]);
    let gone = "application/vnd.atlas.2023-01-01+json";
    let (text, report) = add(&ours, &up, &id, &AddOptions::today()).unwrap();
    assert_eq!(
        report.left_out,
        [format!(
            "getFederationSettingIdentityProvider {gone} (sunset 2025-01-01)"
        )]
    );
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let op = &spec["paths"]
        ["/api/atlas/v2/federationSettings/{federationSettingsId}/identityProviders/{identityProviderId}"]["get"];
    let versions: Vec<&String> = op["responses"]["200"]["content"].as_object().unwrap().keys().collect();
    assert_eq!(versions, ["application/vnd.atlas.2023-11-15+json"]);
    let options = Options {
        today: atlas_admin_recordings::dates::today(),
        sunset_within: 90,
    };
    let passed: Vec<_> = drift(&spec, &up, options)
        .into_iter()
        .filter(|f| f.kind == "sunset-passed")
        .collect();
    assert!(passed.is_empty(), "{passed:#?}");

    let with = AddOptions {
        with_sunset: true,
        ..AddOptions::today()
    };
    let (text, report) = add(&ours, &up, &id, &with).unwrap();
    assert!(report.left_out.is_empty());
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let op = &spec["paths"]
        ["/api/atlas/v2/federationSettings/{federationSettingsId}/identityProviders/{identityProviderId}"]["get"];
    assert!(op["responses"]["200"]["content"].get(gone).is_some());
}

#[test]
fn unknown_and_present_operations_are_refused() {
    let Some(up) = published() else { return };
    let ours = ours_text();
    let err = add(&ours, &up, &ids(&["getGroupClustr"]), &AddOptions::today()).unwrap_err();
    assert!(err.contains("closest: getGroupCluster"), "{err}");
    // Our createLinkToken sits where the published createOrgLiveMigrationLinkToken does.
    let (path, _) = up
        .get("paths")
        .unwrap()
        .as_object()
        .unwrap()
        .iter()
        .find(|(p, _)| p.ends_with("/liveMigrations/linkTokens"))
        .unwrap();
    let id = up["paths"][path]["post"]["operationId"].as_str().unwrap().to_string();
    let err = add(&ours, &up, &[id], &AddOptions::today()).unwrap_err();
    assert!(err.contains("--replace"), "{err}");
}

/// A name taken by a different structure gets a clear, deterministic name;
/// an equal structure under another name is reused.
#[test]
fn clashing_names_and_equal_structures() {
    let ours = "# ours\nopenapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name: {type: string}\n    Mine:\n      type: object\n      description: ours, in our words\n      properties:\n        size: {type: integer}\n";
    let up = json!({
        "openapi": "3.0.3", "info": {"title": "u", "version": "1"},
        "paths": {"/api/atlas/v2/things": {"get": {
            "operationId": "listThings",
            "responses": {"200": {"description": "ok", "content": {"application/vnd.atlas.2023-01-01+json": {
                "schema": {"type": "object", "properties": {
                    "thing": {"$ref": "#/components/schemas/Thing"},
                    "other": {"$ref": "#/components/schemas/Other"}
                }}
            }}}}
        }}},
        "components": {"schemas": {
            "Thing": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "Other": {"type": "object", "description": "theirs", "properties": {"size": {"type": "integer"}}}
        }}
    });
    let (text, report) = add(ours, &up, &ids(&["listThings"]), &AddOptions::today()).unwrap();
    assert_eq!(report.new_components, ["#/components/schemas/ThingUpstream"]);
    assert_eq!(report.reused, ["#/components/schemas/Mine"]);
    assert!(
        text.contains("$ref: '#/components/schemas/ThingUpstream'")
            || text.contains("$ref: \"#/components/schemas/ThingUpstream\"")
            || text.contains("$ref: \\#/components/schemas/ThingUpstream"),
        "{text}"
    );
    assert!(text.starts_with("# ours\n"));
    let (again, _) = add(&text, &up, &ids(&["listThings"]), &AddOptions::today()).unwrap();
    assert_eq!(again, text);
}

/// A batch whose components hold discriminated unions (the alert
/// configurations: `HostMetricThreshold`'s mapping names 160 variants of
/// four structures, which come in as four components) imported twice: the
/// second run finds every component the first one added and changes nothing.
#[test]
fn a_batch_with_discriminated_unions_imported_twice_changes_nothing() {
    let Some(up) = published() else { return };
    let wanted = ids(&[
        "createGroupAlertConfig",
        "deleteGroupAlertConfig",
        "getGroupAlertConfig",
        "listAlertConfigMatcherFieldNames",
        "listGroupAlertConfigs",
        "toggleGroupAlertConfig",
        "updateGroupAlertConfig",
    ]);
    let (text, first) = add(&ours_text(), &up, &wanted, &AddOptions::today()).unwrap();
    assert_eq!(first.added.len(), wanted.len(), "{first:?}");
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let mapped = spec["components"]["schemas"]
        .as_object()
        .unwrap()
        .values()
        .filter(|s| s.pointer("/discriminator/mapping").is_some())
        .count();
    assert!(mapped > 0, "the batch brings discriminated unions in");

    let (again, second) = add(&text, &up, &wanted, &AddOptions::today()).unwrap();
    assert!(second.new_components.is_empty(), "{:?}", second.new_components);
    assert!(second.added.is_empty(), "{:?}", second.added);
    assert_eq!(second.unchanged.len(), wanted.len());
    assert!(again == text, "a second run changes nothing");
}
