//! `cargo xtask spec drift` (issue #10): each kind of drift is found and
//! classed, exit statuses follow the classes, and our spec shows no
//! breaking drift against MongoDB's published spec.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use xtask::drift::{drift, exit_code, run, Finding, Options, Severity};

const V1: &str = "application/vnd.atlas.2023-01-01+json";
const V2: &str = "application/vnd.atlas.2024-08-05+json";
/// 2026-11-23 as days since 1970-01-01: findings do not depend on the clock.
const TODAY: i64 = 20_780;

fn opts() -> Options {
    Options {
        today: TODAY,
        sunset_within: 90,
    }
}

/// A spec with one operation: a path pattern, a request with an enum and an
/// optional field, a response with a required field.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/api/atlas/v2/groups/{groupId}/things": {"post": {
            "operationId": "createThing",
            "parameters": [{"name": "groupId", "in": "path", "required": true,
                            "schema": {"type": "string", "pattern": "^([a-f0-9]{24})$"}}],
            "requestBody": {"required": true, "content": {V1: {"schema": {"$ref": "#/components/schemas/ThingRequest"}}}},
            "responses": {
                "201": {"description": "created", "content": {V1: {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "400": {"description": "bad"}
            }
        }}},
        "components": {"schemas": {
            "ThingRequest": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "size": {"type": "string", "enum": ["S", "M", "L"]},
                "note": {"type": "string"}
            }},
            "Thing": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "state": {"type": "string", "enum": ["IDLE", "CREATING"]}
            }}
        }}
    })
}

/// `base()` changed by `f` (the "published" side; component names differ
/// on purpose to show structure is what counts).
fn upstream(f: impl FnOnce(&mut Value)) -> Value {
    let mut u = base();
    let text = u
        .to_string()
        .replace("ThingRequest", "CreateThingRequestView")
        .replace("\"Thing\"", "\"ThingView\"")
        .replace("schemas/Thing\"", "schemas/ThingView\"");
    u = serde_json::from_str(&text).unwrap();
    f(&mut u);
    u
}

fn kinds(findings: &[Finding], severity: Severity) -> Vec<&'static str> {
    findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| f.kind)
        .collect()
}

const OP: &str = "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1things/post";

#[test]
fn identical_structure_under_other_component_names_is_no_drift() {
    let findings = drift(&base(), &upstream(|_| {}), opts());
    assert!(findings.is_empty(), "{findings:#?}");
}

/// What changed upstream, the change, and the finding it must produce.
type Case = (&'static str, Box<dyn Fn(&mut Value)>, Severity, &'static str);

#[test]
fn each_kind_of_drift_is_found_and_classed() {
    let cases: Vec<Case> = vec![
        (
            "a version we call is removed",
            Box::new(|u: &mut Value| {
                let op = u.pointer_mut(OP).unwrap();
                for at in ["/requestBody/content", "/responses/201/content"] {
                    let c = op.pointer_mut(at).unwrap().as_object_mut().unwrap();
                    let v = c.remove(V1).unwrap();
                    c.insert(V2.into(), v);
                }
            }),
            Severity::Breaking,
            "version-removed",
        ),
        (
            "its sunset has passed",
            Box::new(|u: &mut Value| {
                u.pointer_mut(&format!("{OP}/responses/201/content/{}", V1.replace('/', "~1")))
                    .unwrap()["x-sunset"] = json!("2025-01-01");
            }),
            Severity::Breaking,
            "sunset-passed",
        ),
        (
            "its sunset is near",
            Box::new(|u: &mut Value| {
                u.pointer_mut(&format!("{OP}/responses/201/content/{}", V1.replace('/', "~1")))
                    .unwrap()["x-sunset"] = json!("2027-01-01");
            }),
            Severity::Informational,
            "sunset-soon",
        ),
        (
            "a newer version exists",
            Box::new(|u: &mut Value| {
                let c = u
                    .pointer_mut(&format!("{OP}/responses/201/content"))
                    .unwrap()
                    .as_object_mut()
                    .unwrap();
                let v = c[V1].clone();
                c.insert(V2.into(), v);
            }),
            Severity::Informational,
            "newer-version",
        ),
        (
            "a path pattern changed",
            Box::new(|u: &mut Value| {
                u.pointer_mut(&format!("{OP}/parameters/0/schema")).unwrap()["pattern"] = json!("^[0-9]+$");
            }),
            Severity::Breaking,
            "pattern-changed",
        ),
        (
            "a request field became required",
            Box::new(|u: &mut Value| {
                u["components"]["schemas"]["CreateThingRequestView"]["required"] = json!(["name", "note"]);
            }),
            Severity::Breaking,
            "property-became-required",
        ),
        (
            "an enum value we send was removed",
            Box::new(|u: &mut Value| {
                u["components"]["schemas"]["CreateThingRequestView"]["properties"]["size"]["enum"] = json!(["S", "M"]);
            }),
            Severity::Breaking,
            "enum-value-removed",
        ),
        (
            "a response field we require became optional",
            Box::new(|u: &mut Value| {
                u["components"]["schemas"]["ThingView"]["required"] = json!([]);
            }),
            Severity::Breaking,
            "property-became-optional",
        ),
        (
            "a response field changed type",
            Box::new(|u: &mut Value| {
                u["components"]["schemas"]["ThingView"]["properties"]["id"] = json!({"type": "integer"});
            }),
            Severity::Breaking,
            "type-changed",
        ),
        (
            "a new enum value in a response",
            Box::new(|u: &mut Value| {
                u["components"]["schemas"]["ThingView"]["properties"]["state"]["enum"] =
                    json!(["IDLE", "CREATING", "DELETING"]);
            }),
            Severity::Informational,
            "enum-value-added",
        ),
        (
            "a new optional response field",
            Box::new(|u: &mut Value| {
                u["components"]["schemas"]["ThingView"]["properties"]["labels"] = json!({"type": "object"});
            }),
            Severity::Informational,
            "property-added",
        ),
        (
            "a new required query parameter",
            Box::new(|u: &mut Value| {
                u.pointer_mut(&format!("{OP}/parameters"))
                    .unwrap()
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "region", "in": "query", "required": true, "schema": {"type": "string"}}));
            }),
            Severity::Breaking,
            "required-parameter-missing",
        ),
        (
            "a new documented status",
            Box::new(|u: &mut Value| {
                u.pointer_mut(&format!("{OP}/responses")).unwrap()["409"] = json!({"description": "conflict"});
            }),
            Severity::Informational,
            "status-added",
        ),
    ];
    for (what, change, severity, kind) in cases {
        let findings = drift(&base(), &upstream(change), opts());
        let found = kinds(&findings, severity);
        assert!(
            found.contains(&kind),
            "{what}: expected {severity:?} {kind}, got {findings:#?}"
        );
        let f = findings.iter().find(|f| f.kind == kind).unwrap();
        assert!(
            f.ours.starts_with('/') && (f.upstream.starts_with('/') || f.upstream.is_empty()),
            "{f:?}"
        );
        assert_eq!(f.operation, "POST /api/atlas/v2/groups/{groupId}/things");
        assert_eq!(
            exit_code(&findings, false),
            u8::from(severity == Severity::Breaking),
            "{what}"
        );
        assert_eq!(exit_code(&findings, true), 1, "{what}: --strict fails on anything");
    }
}

#[test]
fn operations_the_published_spec_lacks_are_listed_not_failed() {
    let mut ours = base();
    ours["paths"]["/api/public/v1.0/groups/{PROJECT-ID}/agentapikeys/{KEY}"] =
        json!({"delete": {"operationId": "deleteAgentApiKey", "responses": {"204": {"description": "gone"}}}});
    let findings = drift(&ours, &upstream(|_| {}), opts());
    assert_eq!(kinds(&findings, Severity::Absent), ["operation-not-upstream"]);
    assert_eq!(exit_code(&findings, true), 0);
}

fn temp(name: &str, value: &Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-drift-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_yaml::to_string(value).unwrap()).unwrap();
    path
}

#[test]
fn the_command_reports_text_or_json_and_exits_by_class() {
    let ours = temp("ours.yaml", &base());
    let up = temp(
        "up.yaml",
        &upstream(|u| {
            u["components"]["schemas"]["ThingView"]["required"] = json!([]);
        }),
    );
    let (code, text) = run(&ours, &up, false, false, 90);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("breaking") && text.contains("property-became-optional"),
        "{text}"
    );
    let (code, json) = run(&ours, &up, true, false, 90);
    assert_eq!(code, 1);
    let all: Vec<Value> = serde_json::from_str(&json).unwrap();
    let f = all.iter().find(|f| f["kind"] == "property-became-optional").unwrap();
    for key in ["operation", "version", "severity", "kind", "ours", "upstream", "detail"] {
        assert!(f.get(key).is_some(), "{key} missing in {f}");
    }
    assert_eq!(f["version"], V1);
    let (code, text) = run(&ours, Path::new("/nonexistent/spec.yaml"), false, false, 90);
    assert_eq!(code, 2, "{text}");
    std::fs::write(&up, "openapi: [unclosed").unwrap();
    assert_eq!(run(&ours, &up, false, false, 90).0, 2);
}

/// Our spec against MongoDB's published spec: no breaking drift.
#[test]
fn our_spec_has_no_breaking_drift_against_the_published_spec() {
    let root = xtask::project_root();
    let Some(published) =
        atlas_admin_tests::shared_input("upstream/atlas-admin-v2.yaml", "drift against the published spec")
    else {
        return;
    };
    let (code, report) = run(&root.join(xtask::SPEC), &published, false, false, 90);
    eprintln!("{report}");
    assert_eq!(code, 0, "breaking drift:\n{report}");
}

/// Where our spec departs from the published one on the evidence of
/// recorded answers (`x-evidence` on our node), the departure is
/// informational; without it, the same departure in a request is breaking.
/// A read-only property that upstream lacks is never sent, so never breaks
/// a request.
#[test]
fn evidence_and_read_only_departures_are_not_breaking() {
    let up = upstream(|_| {});
    let mut ours = base();
    let size = &mut ours["components"]["schemas"]["ThingRequest"]["properties"]["size"];
    size["enum"] = json!(["S", "M", "L", "XL"]);
    let breaking = |ours: &Value| kinds(&drift(ours, &up, opts()), Severity::Breaking);
    assert_eq!(breaking(&ours), ["enum-value-removed"]);
    ours["components"]["schemas"]["ThingRequest"]["properties"]["size"]["x-evidence"] =
        json!("Recorded answers carry XL.");
    assert!(breaking(&ours).is_empty());
    let props = &mut ours["components"]["schemas"]["ThingRequest"]["properties"];
    props["made"] = json!({"type": "string", "readOnly": true});
    assert!(breaking(&ours).is_empty());
    ours["components"]["schemas"]["ThingRequest"]["properties"]["made"]["readOnly"] = json!(false);
    assert_eq!(breaking(&ours), ["property-removed"]);
}
