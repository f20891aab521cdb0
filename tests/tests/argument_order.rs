//! One argument order (#26 item 7): on every path of MongoDB's published
//! spec, every method takes its path parameters in the order of the path
//! (`get_org_service_account(org_id, client_id)` and
//! `delete_org_service_account(org_id, client_id)` alike, though the spec
//! lists the second's the other way round), and every builder of a path
//! names each parameter the same way. Read from the operations the
//! generator emits for that spec, in process.

use std::collections::{BTreeMap, BTreeSet};
use syn::visit::Visit;

/// Each builder's path template and path parameters in the order its
/// `send()` writes them into the path: (wire name, builder field).
#[derive(Default)]
struct Builders {
    template: BTreeMap<String, String>,
    in_path: BTreeMap<String, Vec<(String, String)>>,
}

/// The `request.path_param("wire", &b.field, ..)` calls of a `send()`.
#[derive(Default)]
struct PathParams(Vec<(String, String)>);

impl<'ast> Visit<'ast> for PathParams {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.method == "path_param" {
            let args: Vec<&syn::Expr> = call.args.iter().collect();
            if let [syn::Expr::Lit(lit), syn::Expr::Reference(r), ..] = args[..] {
                if let (syn::Lit::Str(wire), syn::Expr::Field(f)) = (&lit.lit, &*r.expr) {
                    if let syn::Member::Named(field) = &f.member {
                        self.0.push((wire.value(), field.to_string()));
                    }
                }
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn read_builders(file: &syn::File, out: &mut Builders) {
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        let Some(builder) = type_name(&block.self_ty) else {
            continue;
        };
        for member in &block.items {
            match member {
                syn::ImplItem::Const(c) if c.ident == "ENDPOINT" => {
                    let syn::Expr::Struct(s) = &c.expr else { continue };
                    for field in &s.fields {
                        let named = matches!(&field.member, syn::Member::Named(n) if n == "path_template");
                        if let (true, syn::Expr::Lit(lit)) = (named, &field.expr) {
                            if let syn::Lit::Str(t) = &lit.lit {
                                out.template.insert(builder.clone(), t.value());
                            }
                        }
                    }
                }
                syn::ImplItem::Fn(f) if f.sig.ident == "send" => {
                    let mut calls = PathParams::default();
                    calls.visit_block(&f.block);
                    out.in_path.insert(builder.clone(), calls.0);
                }
                _ => {}
            }
        }
    }
}

/// Every method that returns a builder: (method, builder, argument names).
fn read_methods(file: &syn::File, builders: &Builders) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        for member in &block.items {
            let syn::ImplItem::Fn(f) = member else { continue };
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let Some(builder) = type_name(ty).filter(|b| builders.template.contains_key(b)) else {
                continue;
            };
            let args = f
                .sig
                .inputs
                .iter()
                .filter_map(|a| match a {
                    syn::FnArg::Typed(t) => match &*t.pat {
                        syn::Pat::Ident(i) => Some(i.ident.to_string()),
                        _ => None,
                    },
                    syn::FnArg::Receiver(_) => None,
                })
                .collect();
            out.push((f.sig.ident.to_string(), builder, args));
        }
    }
    out
}

/// The wire names of a template's parameters, in order.
fn template_params(template: &str) -> Vec<String> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// What is wrong with the operations files: methods taking path
/// parameters out of the path's order, builders naming one differently.
fn disorder(files: &[(String, String)]) -> (usize, Vec<String>) {
    let parsed: Vec<(&String, syn::File)> = files
        .iter()
        .map(|(name, text)| (name, syn::parse_file(text).unwrap_or_else(|e| panic!("{name}: {e}"))))
        .collect();
    let mut builders = Builders::default();
    for (_, file) in &parsed {
        read_builders(file, &mut builders);
    }
    let mut problems = Vec::new();
    let mut names: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (builder, params) in &builders.in_path {
        let template = &builders.template[builder];
        let wires: Vec<&String> = params.iter().map(|(w, _)| w).collect();
        if wires
            .iter()
            .map(|w| w.as_str())
            .ne(template_params(template).iter().map(String::as_str))
        {
            problems.push(format!("{builder}: writes {wires:?} into {template}"));
        }
        for (wire, field) in params {
            names
                .entry((template.clone(), wire.clone()))
                .or_default()
                .insert(field.clone());
        }
    }
    for ((template, wire), fields) in &names {
        if fields.len() > 1 {
            problems.push(format!("{template}: {{{wire}}} is named {fields:?}"));
        }
    }
    let mut methods = 0;
    for (file_name, file) in &parsed {
        for (method, builder, args) in read_methods(file, &builders) {
            methods += 1;
            let in_path: Vec<&String> = builders.in_path[&builder].iter().map(|(_, f)| f).collect();
            let taken: Vec<&String> = args.iter().filter(|a| in_path.contains(a)).collect();
            if taken != in_path {
                let template = &builders.template[&builder];
                problems.push(format!(
                    "{file_name}: {method} takes {taken:?}; {template} has {in_path:?}"
                ));
            }
        }
    }
    (methods, problems)
}

fn operations_files(files: &BTreeMap<std::path::PathBuf, String>) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|(p, _)| p.starts_with("src/generated/operations"))
        .map(|(p, t)| (p.display().to_string(), t.clone()))
        .collect()
}

#[test]
fn every_method_of_the_published_spec_takes_path_parameters_in_path_order() {
    let Some(spec) =
        atlas_admin_tests::shared_input("upstream/atlas-admin-v2.yaml", "the argument order of its methods")
    else {
        return;
    };
    let text = std::fs::read_to_string(spec).unwrap();
    let files = atlas_codegen::generate_from_str(&text, &atlas_codegen::Settings::default()).unwrap();
    let (methods, problems) = disorder(&operations_files(&files));
    eprintln!("{methods} methods checked");
    assert!(methods > 1000, "only {methods} methods found");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The check itself finds a swap: two builders of one path, the second
/// given its parameters in the spec's other order.
#[test]
fn a_spec_listing_path_parameters_out_of_order_still_gives_path_order() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/orgs/{orgId}/serviceAccounts/{clientId}:
    get:
      operationId: getAccount
      tags: [Accounts]
      parameters:
        - {name: orgId, in: path, required: true, schema: {type: string}}
        - {name: clientId, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: ok, content: {"application/vnd.atlas.2023-01-01+json": {}}}
    delete:
      operationId: deleteAccount
      tags: [Accounts]
      parameters:
        - {name: clientId, in: path, required: true, schema: {type: string}}
        - {name: orgId, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: ok, content: {"application/vnd.atlas.2023-01-01+json": {}}}
"#;
    let files = atlas_codegen::generate_from_str(spec, &atlas_codegen::Settings::default()).unwrap();
    let operations = operations_files(&files);
    let (methods, problems) = disorder(&operations);
    assert_eq!(methods, 4, "two operations, each a plain and a pinned method");
    assert!(problems.is_empty(), "{problems:?}");
    // Swapped by hand, the check says so.
    let swapped: Vec<(String, String)> = operations
        .iter()
        .map(|(n, t)| {
            let t = t.replacen(
                "org_id: impl Into<String>,\n        client_id: impl Into<String>,",
                "client_id: impl Into<String>,\n        org_id: impl Into<String>,",
                1,
            );
            (n.clone(), t)
        })
        .collect();
    let (_, problems) = disorder(&swapped);
    assert!(
        problems.iter().any(|p| p.contains("takes [\"client_id\", \"org_id\"]")),
        "{problems:?}"
    );
}
