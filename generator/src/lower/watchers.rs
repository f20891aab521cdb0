//! `x-xgen-atlascli.watcher` (the Atlas CLI's overlay, or our own spec):
//! after a create, update or delete, which GET to poll and what ends the
//! wait. A watcher that names an unknown operation, one that is not a GET,
//! a version the GET does not serve, or a parameter the GET does not take
//! gets no waiter: it becomes a warning with its JSON pointer.
//!
//! A parameter's source is `input:NAME` (a path parameter of the call),
//! `body:$.path` (the call's answer) or, our own, `request:<JSONPath>` (the
//! call's request body: one poll target per value, for a create that makes
//! several resources). A `request:` source the generator cannot honour is
//! an error at its pointer, not a waiter passed over: only our spec writes
//! one.

use crate::error::{pointer_token, Error};
use crate::model::type_ref::{walk, Fold, Inner, Scalar, TypeRef};
use crate::model::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// What a GET offers a watcher.
struct Target {
    module: String,
    method: Method,
    /// Date label -> the version method and its response (JSON versions only).
    versions: BTreeMap<String, (String, Option<TypeRef>)>,
    /// Path parameters: (wire name, type), in order.
    path: Vec<(String, TypeRef)>,
    required_query: Vec<String>,
}

/// Resolves every operation's watcher; returns the warnings, or the error
/// of a `request:` source it cannot honour.
pub(crate) fn settle(tags: &mut [Tag], types: &BTreeMap<String, TypeDef>) -> Result<Vec<Error>, Error> {
    let mut targets: BTreeMap<String, Target> = BTreeMap::new();
    for tag in tags.iter() {
        for op in &tag.operations {
            let versions = op
                .versions
                .iter()
                .filter(|v| v.format == Format::Json)
                .filter_map(|v| match &v.label {
                    VersionLabel::Date(d) => Some((
                        d.clone(),
                        (
                            v.fn_name.clone().unwrap_or_else(|| op.fn_name.clone()),
                            v.response.clone(),
                        ),
                    )),
                    _ => None,
                })
                .collect();
            targets.insert(
                op.operation_id.clone(),
                Target {
                    module: tag.module.clone(),
                    method: op.method,
                    versions,
                    path: op.path_params.iter().map(|p| (p.name.clone(), p.ty.clone())).collect(),
                    required_query: op
                        .query_params
                        .iter()
                        .filter(|p| p.required)
                        .map(|p| p.name.clone())
                        .collect(),
                },
            );
        }
    }
    let mut warnings = Vec::new();
    for tag in tags.iter_mut() {
        for op in &mut tag.operations {
            let Some((raw, at)) = op.watcher_raw.take() else {
                continue;
            };
            check_request_source(op, &raw, &at)?;
            match resolve(op, &raw, &targets, types) {
                Ok(mut w) => {
                    w.gate = (w.get_module != tag.module).then(|| w.get_module.clone());
                    op.watcher = Some(w);
                }
                Err((field, message)) => warnings.push(Error {
                    pointer: format!("{at}{field}"),
                    message: format!("watcher of {} gets no waiter: {message}", op.operation_id),
                }),
            }
        }
    }
    Ok(warnings)
}

/// The watcher's `request:` source, if it has one, is one the waiter can
/// honour: a JSONPath (RFC 9535) over a request body every version of
/// `op` sends, the only such source of the watcher, waited on by a match
/// (each value polled until its state is one of the values).
fn check_request_source(op: &Operation, raw: &Value, at: &str) -> Result<(), Error> {
    let Some(params) = raw.pointer("/watcher/get/params").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut first: Option<&String> = None;
    for (name, source) in params {
        let Some(path) = source.as_str().and_then(|s| s.strip_prefix("request:")) else {
            continue;
        };
        let fail = |message: String| Error {
            pointer: format!("{at}{}", param_pointer(name)),
            message: format!("watcher of {}: {message}", op.operation_id),
        };
        if let Some(other) = first {
            return Err(fail(format!(
                "only one parameter can take a request: source, and {other:?} does"
            )));
        }
        first = Some(name);
        if let Err(e) = serde_json_path::JsonPath::parse(path) {
            return Err(fail(format!("request:{path} is not a JSONPath (RFC 9535): {e}")));
        }
        if let Some(v) = op.versions.iter().find(|v| v.request.is_none()) {
            return Err(fail(format!(
                "{} sends no request body at {} to take {path:?} from",
                op.operation_id, v.accept
            )));
        }
        if raw.pointer("/watcher/expect/match").is_none() {
            return Err(fail(format!(
                "request:{path} gives one value per resource made, to wait until each matches, but the watcher expects no match"
            )));
        }
    }
    Ok(())
}

/// Why a watcher gets no waiter: the pointer below `x-xgen-atlascli`, and
/// the reason.
type Refusal = (String, String);

/// The watcher, or (the pointer below `x-xgen-atlascli`, why not).
fn resolve(
    op: &Operation,
    raw: &Value,
    targets: &BTreeMap<String, Target>,
    types: &BTreeMap<String, TypeDef>,
) -> Result<Watcher, Refusal> {
    let w = raw
        .get("watcher")
        .ok_or(("".to_string(), "no `watcher` in it".to_string()))?;
    let get_id = text(
        w.pointer("/get/operation-id"),
        "/watcher/get/operation-id",
        "get.operation-id",
    )?;
    let version = text(w.pointer("/get/version"), "/watcher/get/version", "get.version")?;
    let (target, get_fn, get_response) = target_of(targets, &get_id, &version)?;
    let (args, arg_types) = watch_args(op, w, &get_id, target, types)?;
    let expect = expectation(w, &get_id, get_response.is_some())?;
    Ok(Watcher {
        get_operation_id: get_id,
        get_module: target.module.clone(),
        gate: None,
        get_fn,
        get_version: version,
        get_response,
        args,
        arg_types,
        expect,
    })
}

/// The text at `v`, or a refusal at `at` saying `what` is missing.
fn text(v: Option<&Value>, at: &str, what: &str) -> Result<String, Refusal> {
    v.and_then(Value::as_str)
        .map(str::to_string)
        .ok_or((at.to_string(), format!("{what} is missing or not text")))
}

/// The GET a watcher polls at `version`: the operation, the version's
/// method and its response.
fn target_of<'t>(
    targets: &'t BTreeMap<String, Target>,
    get_id: &str,
    version: &str,
) -> Result<(&'t Target, String, Option<TypeRef>), Refusal> {
    let target = targets.get(get_id).ok_or((
        "/watcher/get/operation-id".into(),
        format!("it names {get_id:?}, which this spec does not have"),
    ))?;
    if target.method != Method::Get {
        return Err((
            "/watcher/get/operation-id".into(),
            format!(
                "it names {get_id}, a {} operation, not a GET to poll",
                target.method.as_str()
            ),
        ));
    }
    let (get_fn, get_response) = target.versions.get(version).cloned().ok_or((
        "/watcher/get/version".into(),
        format!("{get_id} does not serve version {version:?}"),
    ))?;
    if let Some(q) = target.required_query.first() {
        return Err((
            "/watcher/get".into(),
            format!("{get_id} needs query parameter {q:?}, which a watcher cannot give"),
        ));
    }
    Ok((target, get_fn, get_response))
}

fn param_pointer(name: &str) -> String {
    format!("/watcher/get/params/{}", pointer_token(name))
}

/// Where each of the GET's path parameters comes from (an input of `op`,
/// or a JSONPath into its answer), and the enum type of each that is one.
fn watch_args(
    op: &Operation,
    w: &Value,
    get_id: &str,
    target: &Target,
    types: &BTreeMap<String, TypeDef>,
) -> Result<(Vec<WatchArg>, Vec<Option<String>>), Refusal> {
    let empty = serde_json::Map::new();
    let params = w.pointer("/get/params").and_then(Value::as_object).unwrap_or(&empty);
    if let Some(name) = params.keys().find(|n| !target.path.iter().any(|(p, _)| p == *n)) {
        return Err((param_pointer(name), format!("{get_id} takes no parameter {name:?}")));
    }
    let mut args = Vec::new();
    let mut arg_types = Vec::new();
    for (name, ty) in &target.path {
        let at = param_pointer(name);
        let source = params.get(name).and_then(Value::as_str).ok_or((
            at.clone(),
            format!("it gives no value for {get_id}'s parameter {name:?}"),
        ))?;
        match walk(ty, &mut ArgType { types }) {
            Some(arg_type) => arg_types.push(arg_type),
            None => {
                return Err((
                    at,
                    format!("{get_id}'s parameter {name:?} is neither text nor a string enum"),
                ))
            }
        }
        args.push(watch_arg(op, source, at)?);
    }
    Ok((args, arg_types))
}

/// What a waiter passes for a GET's path parameter of the type: text
/// (`Some(None)`), or a string enum made from text (`From<&str>`,
/// `Some(Some(name))`); `None`: neither, so no waiter.
struct ArgType<'a> {
    types: &'a BTreeMap<String, TypeDef>,
}

impl<'t> Fold<'t> for ArgType<'_> {
    type Out = Option<Option<String>>;
    fn scalar(&mut self, scalar: Scalar) -> Self::Out {
        match scalar {
            Scalar::String => Some(None),
            Scalar::Bool | Scalar::I32 | Scalar::I64 | Scalar::F32 | Scalar::F64 | Scalar::Json | Scalar::DateTime => {
                None
            }
        }
    }
    fn named(&mut self, name: &'t str) -> Self::Out {
        matches!(self.types.get(name), Some(TypeDef::Enum(_))).then(|| Some(name.to_string()))
    }
    fn list(&mut self, _: Inner<'t>) -> Self::Out {
        None
    }
    fn map(&mut self, _: Inner<'t>) -> Self::Out {
        None
    }
    fn boxed(&mut self, _: Inner<'t>) -> Self::Out {
        None
    }
}

/// `input:NAME` (a path parameter of `op`), `body:$.path` (its answer) or
/// `request:<JSONPath>` (its request body, checked before).
fn watch_arg(op: &Operation, source: &str, at: String) -> Result<WatchArg, Refusal> {
    if let Some(path) = source.strip_prefix("request:") {
        return Ok(WatchArg::Request(path.to_string()));
    }
    if let Some(input) = source.strip_prefix("input:") {
        let field = op.path_params.iter().find(|p| p.name == input).ok_or((
            at.clone(),
            format!("input:{input} is not a path parameter of {}", op.operation_id),
        ))?;
        return Ok(WatchArg::Input(field.rust_name.clone()));
    }
    let Some(path) = source.strip_prefix("body:") else {
        return Err((
            at,
            format!("{source:?} is none of input:NAME, body:$.path and request:$.path"),
        ));
    };
    if !path.starts_with('$') {
        return Err((at, format!("{path:?} is not a JSONPath")));
    }
    let has_body = op
        .versions
        .iter()
        .all(|v| matches!(v.response, Some(TypeRef::Named(_))));
    if !has_body {
        return Err((
            at,
            format!("{} answers no JSON body to take {path:?} from", op.operation_id),
        ));
    }
    Ok(WatchArg::Body(path.to_string()))
}

/// What ends the wait: a JSONPath match (the GET must answer a body), with
/// the values that end it in failure, or an HTTP status.
fn expectation(w: &Value, get_id: &str, get_has_body: bool) -> Result<Expect, Refusal> {
    if let Some(m) = w.pointer("/expect/match") {
        let path = text(m.get("path"), "/watcher/expect/match/path", "expect.match.path")?;
        if !path.starts_with('$') {
            return Err((
                "/watcher/expect/match/path".into(),
                format!("{path:?} is not a JSONPath"),
            ));
        }
        let values: Vec<String> = m
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        if values.is_empty() {
            return Err(("/watcher/expect/match/values".into(), "no values to wait for".into()));
        }
        // Our extension: states the resource does not leave by itself.
        let failures: Vec<String> = match m.get("failure-values") {
            None => Vec::new(),
            Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
                a.iter().filter_map(Value::as_str).map(str::to_string).collect()
            }
            Some(_) => {
                return Err((
                    "/watcher/expect/match/failure-values".into(),
                    "failure-values must be a list of text".into(),
                ))
            }
        };
        if let Some(both) = failures.iter().find(|f| values.contains(f)) {
            return Err((
                "/watcher/expect/match/failure-values".into(),
                format!("{both:?} is both a value to wait for and a failure"),
            ));
        }
        if !get_has_body {
            return Err((
                "/watcher/expect/match".into(),
                format!("{get_id} answers no body to match"),
            ));
        }
        return Ok(Expect::Match { path, values, failures });
    }
    let Some(code) = w.pointer("/expect/http-code").and_then(Value::as_u64) else {
        return Err((
            "/watcher/expect".into(),
            "it expects neither a match nor an http-code".into(),
        ));
    };
    let code = u16::try_from(code).ok().filter(|c| (100..600).contains(c)).ok_or((
        "/watcher/expect/http-code".into(),
        format!("{code} is not an HTTP status"),
    ))?;
    Ok(Expect::Status(code))
}
