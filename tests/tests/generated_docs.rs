//! Rustdoc that explains and shows its features (#26 item 6, #27 item 2):
//! every field states what the spec says of it, the method to call comes
//! before its version-pinned siblings, each operation names the feature it
//! needs and links to MongoDB's reference page (only one on mongodb.com),
//! and the generated crate denies missing docs and shows its features on
//! docs.rs.

use atlas_codegen::{generate_from_str, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use syn::{Attribute, Expr, ImplItem, Item, Lit, Meta};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/things/{thingId}:
    get:
      operationId: getThing
      tags: [Things]
      externalDocs:
        url: https://www.mongodb.com/docs/api/doc/atlas-admin-api-v2/operation/operation-getthing
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {$ref: '#/components/schemas/Thing'}
            application/vnd.atlas.2024-05-30+json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        stateName: {type: string, readOnly: true}
        groupId: {type: string, pattern: '^([a-f0-9]{24})$', minLength: 24, maxLength: 24}
        diskSizeGB: {type: number, minimum: 10, maximum: 4096, exclusiveMaximum: true, default: 10}
        createDate: {type: string, format: date-time}
        password: {type: string, writeOnly: true}
"#;

fn generate(spec: &str) -> BTreeMap<PathBuf, String> {
    generate_from_str(spec, &Settings::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn parse(text: &str) -> syn::File {
    syn::parse_file(text).unwrap_or_else(|e| panic!("{e}"))
}

/// The text of an item's `#[doc]` attributes, one line each.
fn doc(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                Expr::Lit(l) => match &l.lit {
                    Lit::Str(s) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// (struct, field, doc) of every named field of every struct in `file`.
fn field_docs(file: &syn::File) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for item in &file.items {
        if let Item::Struct(s) = item {
            for f in &s.fields {
                let name = f.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                out.push((s.ident.to_string(), name, doc(&f.attrs)));
            }
        }
    }
    out
}

fn generated_client(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generated-client")
        .join(relative)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `.rs` file under `dir` of the generated client.
fn generated_files(dir: &str) -> Vec<(PathBuf, String)> {
    let dir = generated_client(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    files.into_iter().map(|p| (p.clone(), read(&p))).collect()
}

/// Letters and digits only, lower case: `diskSizeGB` and `disk_size_gb`
/// agree.
fn squashed(name: &str) -> String {
    name.trim_start_matches("r#")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[test]
fn every_field_of_the_client_states_its_wire_name() {
    let mut fields = 0;
    for (path, text) in generated_files("src/generated/models") {
        for (owner, field, doc) in field_docs(&parse(&text)) {
            let wire = doc
                .split("Wire name `")
                .nth(1)
                .and_then(|rest| rest.split('`').next())
                .unwrap_or_else(|| panic!("{}: {owner}.{field} states no wire name:\n{doc}", path.display()));
            assert_eq!(
                squashed(wire),
                squashed(&field),
                "{}: {owner}.{field} names another wire name",
                path.display()
            );
            fields += 1;
        }
    }
    assert!(fields > 100, "only {fields} fields found");
}

#[test]
fn a_field_states_its_pattern_bounds_default_and_who_sets_it() {
    let files = generate(SPEC);
    let models = &files[Path::new("src/generated/models/mod.rs")];
    let docs: BTreeMap<String, String> = field_docs(&parse(models))
        .into_iter()
        .map(|(_, field, doc)| (field, doc))
        .collect();
    let expect = [
        (
            "state_name",
            "Wire name `stateName`; read-only: set by Atlas, never sent.",
        ),
        (
            "group_id",
            "Wire name `groupId`; pattern `^([a-f0-9]{24})$`; length 24 to 24.",
        ),
        (
            "disk_size_gb",
            "Wire name `diskSizeGB`; at least 10 and less than 4096; default `10`.",
        ),
        ("create_date", "Wire name `createDate`; format `date-time`."),
        (
            "password",
            "Wire name `password`; write-only: Atlas accepts it and never answers with it; sensitive:",
        ),
    ];
    for (field, fact) in expect {
        let doc = &docs[field];
        assert!(doc.contains(fact), "{field}: {doc:?} lacks {fact:?}");
    }
}

/// The methods of each operation group's `impl`, in order.
fn group_methods(file: &syn::File) -> Vec<Vec<String>> {
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(i) if i.trait_.is_none() => Some(i),
            _ => None,
        })
        .filter(|i| {
            i.items
                .iter()
                .any(|m| matches!(m, ImplItem::Fn(f) if f.sig.ident == "new"))
        })
        .map(|i| {
            i.items
                .iter()
                .filter_map(|m| match m {
                    ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// The plain method a pinned one pins: `get_thing_v2023_01_01` and
/// `get_thing_preview` pin `get_thing`.
fn pinned_of(method: &str) -> Option<&str> {
    if let Some(plain) = method.strip_suffix("_preview") {
        return Some(plain);
    }
    let (plain, date) = method.rsplit_once("_v")?;
    let date_like = date.len() == 10 && date.chars().all(|c| c.is_ascii_digit() || c == '_');
    date_like.then_some(plain)
}

#[test]
fn the_method_to_call_comes_before_its_pinned_versions() {
    let mut checked = 0;
    let mut files: Vec<(PathBuf, String)> = generated_files("src/generated/operations");
    files.push((
        PathBuf::from("fixture things.rs"),
        generate(SPEC)[Path::new("src/generated/operations/things.rs")].clone(),
    ));
    for (path, text) in files {
        for methods in group_methods(&parse(&text)) {
            for (i, m) in methods.iter().enumerate() {
                let Some(plain) = pinned_of(m) else { continue };
                let Some(at) = methods.iter().position(|p| p == plain) else {
                    continue;
                };
                assert!(at < i, "{}: {plain} comes after {m}: {methods:?}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 10, "only {checked} pinned methods found");
}

#[test]
fn each_operation_names_its_feature_and_links_to_mongodb() {
    let files = generate(SPEC);
    let things = parse(&files[Path::new("src/generated/operations/things.rs")]);
    let link =
        "[MongoDB's reference](https://www.mongodb.com/docs/api/doc/atlas-admin-api-v2/operation/operation-getthing)";
    let mut methods = 0;
    for item in &things.items {
        let Item::Impl(i) = item else { continue };
        for m in &i.items {
            let ImplItem::Fn(f) = m else { continue };
            if !f.sig.ident.to_string().starts_with("get_thing") {
                continue;
            }
            let doc = doc(&f.attrs);
            assert!(
                doc.contains("Needs the cargo feature `things`."),
                "{}: {doc}",
                f.sig.ident
            );
            assert!(doc.contains(link), "{}: {doc}", f.sig.ident);
            methods += 1;
        }
    }
    assert_eq!(methods, 3, "get_thing and its two pinned versions");
}

#[test]
fn an_external_docs_url_that_could_be_markup_is_refused_at_its_pointer() {
    let pointer = "/paths/~1api~1atlas~1v2~1things~1{thingId}/get/externalDocs/url";
    for url in [
        "http://www.mongodb.com/docs/x",
        "https://www.mongodb.com:8443/docs",
        "https://www.mongodb.com/docs)[x](https://evil.example",
        "'https://www.mongodb.com/docs/<img src=x>'",
    ] {
        let spec = SPEC.replace(
            "https://www.mongodb.com/docs/api/doc/atlas-admin-api-v2/operation/operation-getthing",
            url,
        );
        let Err(e) = generate_from_str(&spec, &Settings::default()) else {
            panic!("{url} was taken");
        };
        assert_eq!(e.pointer, pointer, "{url}: {e}");
        assert!(e.message.contains("https"), "{url}: {e}");
    }
    // A plain https page elsewhere is no reference of MongoDB's: it is left
    // out, never printed as a link.
    for url in [
        "https://www.mongodb.com.evil.example/docs",
        "https://developer.mozilla.org/x",
    ] {
        let spec = SPEC.replace(
            "https://www.mongodb.com/docs/api/doc/atlas-admin-api-v2/operation/operation-getthing",
            url,
        );
        let files = generate_from_str(&spec, &Settings::default()).unwrap_or_else(|e| panic!("{url}: {e}"));
        let host = url.trim_start_matches("https://").split('/').next().unwrap();
        assert!(files.values().all(|text| !text.contains(host)), "{url} was printed");
    }
}

#[test]
fn the_crate_denies_missing_docs_and_shows_features_on_docs_rs() {
    let lib = read(&generated_client("src/lib.rs"));
    for line in ["#![deny(missing_docs)]", "#![cfg_attr(docsrs, feature(doc_cfg))]"] {
        assert!(lib.lines().any(|l| l.trim() == line), "src/lib.rs lacks {line}");
    }
    let manifest: toml::Table =
        toml::from_str(&read(&generated_client("Cargo.toml"))).unwrap_or_else(|e| panic!("{e}"));
    let docs_rs = &manifest["package"]["metadata"]["docs"]["rs"];
    assert_eq!(docs_rs["all-features"].as_bool(), Some(true));
    let args: Vec<&str> = docs_rs["rustdoc-args"]
        .as_array()
        .map(|a| a.iter().filter_map(toml::Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(args, ["--cfg", "docsrs"]);
    // Each tag module and group method shows its feature on docs.rs.
    let operations = read(&generated_client("src/generated/operations/mod.rs"));
    let tags = operations.matches("pub mod ").count();
    let shown = operations.matches("#[cfg_attr(docsrs, doc(cfg(feature = ").count();
    assert!(tags > 0 && shown == 2 * tags, "{shown} doc(cfg) for {tags} tags");
    // Apps name these from the crate root.
    let _: Option<RootNames> = None;
}

/// What apps name from `atlas_admin`'s root: this does not compile if one
/// of them is not re-exported there.
type RootNames = (
    atlas_admin::DeviationKind,
    atlas_admin::Deviation,
    atlas_admin::WaitPolicy,
    atlas_admin::CallOptions,
    atlas_admin::DateTime,
    Box<dyn atlas_admin::Interceptor>,
);
