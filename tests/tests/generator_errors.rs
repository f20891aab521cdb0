//! Malformed or unsupported specs: the generator answers with the JSON
//! pointer of the offending node and says what is wrong. Nothing panics.

use atlas_codegen::{generate_from_str, Settings};

const BASE: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/things/{thingId}:
    get:
      operationId: getThing
      tags: [Things]
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
"#;

fn error_for(spec: &str) -> atlas_codegen::Error {
    match generate_from_str(spec, &Settings::default()) {
        Ok(_) => panic!("expected an error for:\n{spec}"),
        Err(e) => e,
    }
}

#[test]
fn the_base_spec_is_fine() {
    generate_from_str(BASE, &Settings::default()).unwrap();
}

#[test]
fn dangling_ref() {
    let spec = BASE.replace("'#/components/schemas/Thing'", "'#/components/schemas/Nope'");
    let e = error_for(&spec);
    assert_eq!(
        e.pointer,
        "/paths/~1api~1atlas~1v2~1things~1{thingId}/get/responses/200/content/application~1vnd.atlas.2023-01-01+json/schema/$ref"
    );
    assert!(e.message.contains("dangling $ref \"#/components/schemas/Nope\""), "{e}");
}

#[test]
fn dangling_ref_inside_a_schema() {
    let spec = BASE.replace("name: {type: string}", "name: {$ref: '#/components/schemas/Missing'}");
    let e = error_for(&spec);
    assert_eq!(e.pointer, "/components/schemas/Thing/properties/name/$ref");
    assert!(e
        .to_string()
        .starts_with("spec error at /components/schemas/Thing/properties/name/$ref: dangling $ref"));
}

#[test]
fn duplicate_operation_id() {
    let spec = BASE.replace(
        "components:",
        "  /api/atlas/v2/other:\n    delete:\n      operationId: getThing\n      tags: [Things]\n      responses:\n        \"204\": {description: x, content: {application/vnd.atlas.2023-01-01+json: {}}}\ncomponents:",
    );
    let e = error_for(&spec);
    // Paths are read in sorted order, so the report is the same whatever
    // the order of the spec.
    assert_eq!(e.pointer, "/paths/~1api~1atlas~1v2~1things~1{thingId}/get/operationId");
    assert!(
        e.message.contains(
            "duplicate operationId \"getThing\"; first used at /paths/~1api~1atlas~1v2~1other/delete/operationId"
        ),
        "{e}"
    );
}

#[test]
fn unsupported_media_type() {
    let spec = BASE.replace("application/vnd.atlas.2023-01-01+json:", "text/plain:");
    let e = error_for(&spec);
    assert_eq!(
        e.pointer,
        "/paths/~1api~1atlas~1v2~1things~1{thingId}/get/responses/200/content/text~1plain"
    );
    assert!(e.message.contains("unsupported media type \"text/plain\""), "{e}");
}

#[test]
fn unsupported_schema_construct() {
    let spec = BASE.replace("name: {type: string}", "name: {not: {type: string}}");
    let e = error_for(&spec);
    assert_eq!(e.pointer, "/components/schemas/Thing/properties/name");
    assert!(e.message.contains("unsupported schema construct: not"), "{e}");
}

#[test]
fn wrong_type_in_the_document() {
    let spec = BASE.replace("operationId: getThing", "operationId: [getThing]");
    let e = error_for(&spec);
    assert_eq!(e.pointer, "/paths/~1api~1atlas~1v2~1things~1{thingId}/get/operationId");
    assert!(e.message.starts_with("not a valid OpenAPI 3.0 document here"), "{e}");
}

#[test]
fn undeclared_path_parameter() {
    let spec = BASE.replace("{thingId}:", "{thingId}/{partId}:");
    let e = error_for(&spec);
    assert_eq!(
        e.pointer,
        "/paths/~1api~1atlas~1v2~1things~1{thingId}~1{partId}/get/parameters"
    );
    assert!(e.message.contains("no path parameter \"partId\" is declared"), "{e}");
}

#[test]
fn two_parameters_in_one_path_segment() {
    let spec = BASE
        .replace("{thingId}:", "{thingId}-{partId}:")
        .replace(
            "- {name: thingId, in: path, required: true, schema: {type: string}}",
            "- {name: thingId, in: path, required: true, schema: {type: string}}\n        - {name: partId, in: path, required: true, schema: {type: string}}",
        );
    let e = error_for(&spec);
    assert_eq!(e.pointer, "/paths/~1api~1atlas~1v2~1things~1{thingId}-{partId}/get");
    assert!(e.message.contains("holds more than one parameter"), "{e}");
}

#[test]
fn parameters_that_meet_after_case_conversion() {
    let spec = BASE.replace(
        "- {name: thingId, in: path, required: true, schema: {type: string}}",
        "- {name: thingId, in: path, required: true, schema: {type: string}}\n        - {name: thing_id, in: query, schema: {type: string}}",
    );
    let e = error_for(&spec);
    assert_eq!(e.pointer, "/paths/~1api~1atlas~1v2~1things~1{thingId}/get/parameters/1");
    assert!(
        e.message.contains("`thing_id` would be used twice")
            && e.message.contains("/get/parameters/0")
            && e.message.contains("/get/parameters/1"),
        "{e}"
    );
}

#[test]
fn inline_types_that_meet_after_case_conversion() {
    // `Thing.specs` and `ThingSpecs`'s hint meet: an inline object of a
    // property is named from its owner and the property.
    let spec = BASE.replace(
        "        name: {type: string}\n",
        "        name: {type: string}\n        specs: {type: object, properties: {a: {type: string}}}\n        Specs: {type: object, properties: {b: {type: string}}}\n",
    );
    let e = error_for(&spec);
    assert!(e.message.contains("`ThingSpecs` would be used twice"), "{e}");
    assert!(e.pointer.starts_with("/components/schemas/Thing/properties/"), "{e}");
}

/// A key twice in one map is refused with its line, never a panic (openapiv3
/// panics on one inside a `$ref`-or-item).
#[test]
fn a_key_twice_in_one_map() {
    let spec = BASE.replace(
        "- {name: thingId, in: path, required: true, schema: {type: string}}",
        "- name: thingId\n          description: one\n          in: path\n          required: true\n          description: two\n          schema: {type: string}",
    );
    let e = error_for(&spec);
    assert!(e.message.contains("duplicate entry with key \"description\""), "{e}");
    assert!(e.message.contains("line "), "{e}");
}

#[test]
fn missing_operation_id_and_tags() {
    let e = error_for(&BASE.replace("      operationId: getThing\n", ""));
    assert_eq!(e.pointer, "/paths/~1api~1atlas~1v2~1things~1{thingId}/get");
    assert!(e.message.contains("no operationId"), "{e}");
    let e = error_for(&BASE.replace("      tags: [Things]\n", ""));
    assert!(e.message.contains("no tags"), "{e}");
}

#[test]
fn required_property_that_does_not_exist() {
    let spec = BASE.replace(
        "      properties:\n        name:",
        "      required: [nmae]\n      properties:\n        name:",
    );
    let e = error_for(&spec);
    assert_eq!(e.pointer, "/components/schemas/Thing/required/0");
    assert!(e.message.contains("\"nmae\""), "{e}");
}

#[test]
fn not_yaml_at_all() {
    let e = error_for("openapi: 3.0.3\ninfo: [unclosed\n");
    assert_eq!(e.pointer, "");
    assert!(e.message.starts_with("not a valid YAML document"), "{e}");
    assert!(e.message.contains("line"), "the YAML position is given: {e}");
}

#[test]
fn openapi_3_1_is_refused() {
    let e = error_for(&BASE.replace("openapi: 3.0.3", "openapi: 3.1.0"));
    assert_eq!(e.pointer, "/openapi");
}

/// Two operationIds that meet after case conversion used to become `x` and
/// `x2` in path order, so swapping two paths swapped which endpoint
/// `get_thing()` called. Now it is an error that names both.
#[test]
fn operation_names_that_meet_after_case_conversion() {
    let spec = BASE.replace(
        "components:",
        "  /api/atlas/v2/other:\n    get:\n      operationId: get_thing\n      tags: [Things]\n      responses:\n        \"204\": {description: x, content: {application/vnd.atlas.2023-01-01+json: {}}}\ncomponents:",
    );
    let e = error_for(&spec);
    assert!(e.message.contains("`get_thing`"), "{e}");
    assert!(
        e.to_string().contains("/paths/~1api~1atlas~1v2~1other/get/operationId")
            && e.to_string()
                .contains("/paths/~1api~1atlas~1v2~1things~1{thingId}/get/operationId"),
        "names both: {e}"
    );
}

#[test]
fn tags_that_meet_after_case_conversion() {
    let spec = BASE.replace(
        "components:",
        "  /api/atlas/v2/other:\n    get:\n      operationId: other\n      tags: [things]\n      responses:\n        \"204\": {description: x, content: {application/vnd.atlas.2023-01-01+json: {}}}\ncomponents:",
    );
    let e = error_for(&spec);
    assert!(e.message.contains("`things`"), "{e}");
    assert!(e.to_string().contains("/tags/0"), "{e}");
}

/// Spec text that would escape into the manifest, a comment or a doctest is
/// made inert (issue #8, item 10).
#[test]
fn spec_text_cannot_escape_into_the_manifest_or_doctests() {
    let spec = BASE
        .replace(
            "tags: [Things]",
            "tags: [\"x\\n[patch.crates-io]\\nserde = { path = \\\"/tmp/evil\\\" }\"]\n      description: \"ok\\n```\\nstd::process::exit(1);\\n```\\n    indented();\\n<script>alert(1)</script> */ \\\"# \\r\"",
        );
    let files = generate_from_str(&spec, &Settings::default()).unwrap();
    let manifest = &files[std::path::Path::new("Cargo.toml")];
    assert!(!manifest.contains("\n[patch"), "{manifest}");
    assert!(manifest.contains("x\\n[patch.crates-io]"), "{manifest}");
    for (path, text) in &files {
        for line in text.lines() {
            let doc = line
                .trim_start()
                .strip_prefix("///")
                .or_else(|| line.trim_start().strip_prefix("//!"));
            if let Some(doc) = doc {
                let doc = doc.strip_prefix(' ').unwrap_or(doc);
                if path.ends_with("src/lib.rs") && (doc == "```no_run" || doc == "```") {
                    continue; // the crate's own example, not spec text
                }
                assert!(
                    !doc.starts_with("```") && !doc.starts_with("~~~"),
                    "{}: {line}",
                    path.display()
                );
                assert!(!doc.starts_with("    "), "{}: {line}", path.display());
                assert!(
                    !doc.replace("\\<", "").contains("<script"),
                    "raw HTML: {}: {line}",
                    path.display()
                );
                assert!(!doc.contains('\r'), "{}: {line:?}", path.display());
            }
        }
    }
    let bad = generate_from_str(BASE, &Settings::default().with_crate_name("x\"\n[patch]")).unwrap_err();
    assert!(bad.message.contains("not a valid package name"), "{bad}");
}

/// A short name (`x-xgen-operation-id-override`) that meets another
/// operation's name is an error naming both pointers.
#[test]
fn short_names_that_collide() {
    let spec = BASE.replace(
        "components:",
        "  /api/atlas/v2/other:\n    get:\n      operationId: getOtherThing\n      x-xgen-operation-id-override: getThing\n      tags: [Things]\n      responses:\n        \"204\": {description: x, content: {application/vnd.atlas.2023-01-01+json: {}}}\ncomponents:",
    );
    let e = error_for(&spec);
    assert!(
        e.to_string()
            .contains("/paths/~1api~1atlas~1v2~1other/get/x-xgen-operation-id-override"),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("/paths/~1api~1atlas~1v2~1things~1{thingId}/get/operationId"),
        "{e}"
    );
}

/// A watcher that names a PATCH to poll (as the published overlay does for
/// clusters) gets no waiter: a warning with its pointer, and generation
/// goes on.
#[test]
fn unsound_watchers_are_warnings_not_waiters() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/watchers.yaml")).unwrap();
    let api = atlas_codegen::parse(&text).unwrap();
    let (files, warnings) = atlas_codegen::generate_with_warnings(&api, &Settings::default()).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].pointer,
        "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1clusters~1{clusterName}/patch/x-xgen-atlascli/watcher/get/operation-id"
    );
    assert!(warnings[0].message.contains("not a GET"), "{}", warnings[0]);
    let clusters = &files[std::path::Path::new("src/generated/operations/clusters.rs")];
    assert_eq!(
        clusters.matches("pub async fn send_and_wait").count(),
        2,
        "create and delete only"
    );
}

/// `allOf` follows one `$ref` to a component's schema (the one resolver,
/// `lower/refs.rs`); a `$ref` to a `$ref` is refused at its pointer.
#[test]
fn all_of_a_ref_to_a_ref_is_refused_at_its_pointer() {
    let spec = BASE.replace(
        "    Thing:\n      type: object\n      properties:\n        name: {type: string}",
        "    Thing:\n      allOf:\n        - {$ref: '#/components/schemas/Alias'}\n    Alias: {$ref: '#/components/schemas/Base'}\n    Base:\n      type: object\n      properties:\n        name: {type: string}",
    );
    assert_ne!(spec, BASE);
    let e = error_for(&spec);
    assert_eq!(e.pointer, "/components/schemas/Thing/allOf/0/$ref", "{e}");
    assert!(e.message.contains("allOf of a $ref that is itself a $ref"), "{e}");
}

#[test]
fn key_fields_that_are_not_a_list_of_names() {
    for bad in ["x-key-fields: name", "x-key-fields: []", "x-key-fields: [name, 3]"] {
        let spec = BASE.replace(
            "{name: thingId, in: path, required: true, schema: {type: string}}",
            &format!("{{name: thingId, in: path, required: true, schema: {{type: string}}, {bad}}}"),
        );
        let e = error_for(&spec);
        assert_eq!(
            e.pointer, "/paths/~1api~1atlas~1v2~1things~1{thingId}/get/parameters/0/x-key-fields",
            "{bad}"
        );
        assert!(e.message.contains("a list of the item's field names"), "{e}");
    }
}

/// A create of several things whose waiter polls each one the request
/// names (`request:`, our own source): the spec the tests below break.
const EACH: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/groups/{groupId}/things:
    post:
      operationId: addThings
      tags: [Things]
      x-xgen-atlascli:
        watcher:
          get:
            version: "2023-01-01"
            operation-id: getThing
            params:
              groupId: input:groupId
              thingId: "request:$[*]['name','alias']"
          expect:
            match: {path: $.state, values: [READY], failure-values: [BROKEN]}
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/vnd.atlas.2023-01-01+json:
            schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}
      responses:
        "201":
          description: OK
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}
  /api/atlas/v2/groups/{groupId}/things/{thingId}:
    get:
      operationId: getThing
      tags: [Things]
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string}}
        - {name: thingId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
        alias: {type: string}
        state: {type: string, readOnly: true}
"#;

const EACH_SOURCE: &str = "/paths/~1api~1atlas~1v2~1groups~1{groupId}~1things/post/x-xgen-atlascli/watcher/get/params";

/// A `request:` source makes a waiter that polls the GET once per value
/// the request names; one the generator cannot honour is an error at its
/// pointer (not a waiter passed over with a warning, as a published
/// watcher's flaws are): a JSONPath that does not parse, an operation that
/// sends no body, a second such source, a watcher that expects a status.
#[test]
fn a_request_source_waits_for_each_value_or_is_an_error_at_its_pointer() {
    let api = atlas_codegen::parse(EACH).unwrap();
    let (files, warnings) = atlas_codegen::generate_with_warnings(&api, &Settings::default()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let ops = &files[std::path::Path::new("src/generated/operations/things.rs")];
    assert!(ops.contains("runtime::until_each_match("), "{ops}");
    assert!(ops.contains("\"$[*]['name','alias']\""), "{ops}");
    let cases = [
        (
            EACH.replace("$[*]['name','alias']", "$[*]['name'"),
            "thingId",
            "is not a JSONPath (RFC 9535)",
        ),
        (
            EACH.replace("input:groupId", "\"request:$[*].group\""),
            "thingId",
            "only one parameter can take a request: source, and \"groupId\" does",
        ),
        (
            EACH.replace(
                "match: {path: $.state, values: [READY], failure-values: [BROKEN]}",
                "http-code: 404",
            ),
            "thingId",
            "but the watcher expects no match",
        ),
        (
            EACH.replace("      requestBody:\n        required: true\n", "      x-no-body:\n        required: true\n")
                .replace(
                    "          application/vnd.atlas.2023-01-01+json:\n            schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}\n      responses:",
                    "      responses:",
                ),
            "thingId",
            "addThings sends no request body at application/vnd.atlas.2023-01-01+json",
        ),
    ];
    for (spec, param, message) in cases {
        assert_ne!(spec, EACH);
        let e = error_for(&spec);
        assert_eq!(e.pointer, format!("{EACH_SOURCE}/{param}"), "{e}");
        assert!(e.message.contains(message), "{e}");
        assert!(e.message.starts_with("watcher of addThings: "), "{e}");
    }
}
