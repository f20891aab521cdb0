//! `cargo xtask spec drift`: how our spec differs from MongoDB's published
//! one, operation by operation, in structure (after resolving `$ref`s;
//! component names may differ). Prose, operationIds, tags and examples are
//! ours and are not compared.
//!
//! Each finding is classed:
//! - **breaking**: our client would send or decode wrongly (a version we
//!   call is gone or past its sunset; a type, pattern or required flag
//!   changed; a request field became required; an enum value we send was
//!   removed; a response field we require became optional);
//! - **informational**: a newer version, a new optional field, parameter,
//!   enum value or status, a sunset date within the warning window;
//! - **absent**: an operation the published spec does not have (the Cloud
//!   Manager v1.0 ones); never an error.

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

const METHODS: [&str; 8] = ["get", "put", "post", "patch", "delete", "head", "options", "trace"];
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Breaking,
    Informational,
    Absent,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Informational => "informational",
            Severity::Absent => "absent",
        }
    }
}

/// One difference, located in both documents by JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `METHOD /path`.
    pub operation: String,
    /// The media type of the version concerned, if one is.
    pub version: Option<String>,
    pub severity: Severity,
    pub kind: &'static str,
    pub ours: String,
    pub upstream: String,
    pub detail: String,
}

impl Finding {
    pub fn to_json(&self) -> Value {
        json!({
            "operation": self.operation,
            "version": self.version,
            "severity": self.severity.as_str(),
            "kind": self.kind,
            "ours": self.ours,
            "upstream": self.upstream,
            "detail": self.detail,
        })
    }
}

/// Reads a YAML (or JSON) document.
pub fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))
}

/// Today as days since 1970-01-01 (UTC), by the system clock.
pub fn today() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i64)
}

/// `YYYY-MM-DD` as days since 1970-01-01.
fn day_of(date: &str) -> Option<i64> {
    let mut p = date.trim().splitn(3, '-');
    let (y, m, d): (i64, i64, i64) = (
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
        p.next()?.get(..2)?.parse().ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    Some(era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468)
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn ptr(base: &str, tokens: &[&str]) -> String {
    let mut out = base.to_string();
    for t in tokens {
        out.push('/');
        out.push_str(&escape(t));
    }
    out
}

/// A node with its pointer, `$ref`s followed (at most [`MAX_DEPTH`] links).
fn resolve<'a>(doc: &'a Value, mut node: &'a Value, mut at: String) -> (&'a Value, String) {
    for _ in 0..MAX_DEPTH {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else {
            return (node, at);
        };
        let Some(path) = r.strip_prefix('#') else {
            return (node, at);
        };
        match doc.pointer(path) {
            Some(next) => {
                node = next;
                at = path.to_string();
            }
            None => return (node, at),
        }
    }
    (node, at)
}

/// The settings of one comparison.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Days since the epoch that count as today.
    pub today: i64,
    /// A sunset within this many days is reported.
    pub sunset_within: i64,
}

struct Cx<'a> {
    ours: &'a Value,
    up: &'a Value,
    opts: Options,
    out: Vec<Finding>,
    operation: String,
    version: Option<String>,
}

impl Cx<'_> {
    fn add(&mut self, severity: Severity, kind: &'static str, ours: &str, upstream: &str, detail: String) {
        self.out.push(Finding {
            operation: self.operation.clone(),
            version: self.version.clone(),
            severity,
            kind,
            ours: ours.to_string(),
            upstream: upstream.to_string(),
            detail,
        });
    }
}

/// Which way a schema travels: we send requests and decode responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

/// Every difference between `ours` and `upstream`, operation by operation.
pub fn drift(ours: &Value, upstream: &Value, opts: Options) -> Vec<Finding> {
    let mut cx = Cx {
        ours,
        up: upstream,
        opts,
        out: Vec::new(),
        operation: String::new(),
        version: None,
    };
    let empty = serde_json::Map::new();
    let paths = ours.get("paths").and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = paths.keys().collect();
    keys.sort();
    for path in keys {
        for method in METHODS {
            let Some(op) = paths[path].get(method) else { continue };
            cx.operation = format!("{} {path}", method.to_uppercase());
            cx.version = None;
            let optr = ptr("", &["paths", path, method]);
            let up_op = upstream
                .get("paths")
                .and_then(|p| p.get(path))
                .and_then(|i| i.get(method));
            match up_op {
                None => cx.add(
                    Severity::Absent,
                    "operation-not-upstream",
                    &optr,
                    "",
                    "the published spec has no such operation (Cloud Manager v1.0 operations are described from its documentation)".into(),
                ),
                Some(up_op) => operation(&mut cx, path, method, op, up_op, &optr),
            }
        }
    }
    cx.out
}

/// Media type -> (pointer of its content, x-sunset), from the request body
/// and the 2xx responses.
fn versions(op: &Value, optr: &str) -> BTreeMap<String, (String, Option<String>)> {
    let mut out = BTreeMap::new();
    let mut take = |content: Option<&Value>, at: String| {
        let Some(content) = content.and_then(Value::as_object) else {
            return;
        };
        for (media, c) in content {
            if !(media.starts_with("application/vnd.atlas.") || media == "application/json") {
                continue;
            }
            let sunset = c.get("x-sunset").and_then(Value::as_str).map(str::to_string);
            let entry = out.entry(media.clone()).or_insert((ptr(&at, &[media]), None));
            if entry.1.is_none() {
                entry.1 = sunset;
            }
        }
    };
    take(
        op.pointer("/requestBody/content"),
        format!("{optr}/requestBody/content"),
    );
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        for (status, r) in responses {
            if status.starts_with('2') {
                take(r.get("content"), format!("{optr}/responses/{}/content", escape(status)));
            }
        }
    }
    out
}

fn date_of_media(media: &str) -> Option<&str> {
    let rest = media.strip_prefix("application/vnd.atlas.")?;
    let date = rest.get(..10)?;
    day_of(date).map(|_| date)
}

fn operation(cx: &mut Cx<'_>, path: &str, method: &str, op: &Value, up_op: &Value, optr: &str) {
    let _ = (path, method);
    let ours_v = versions(op, optr);
    let up_v = versions(up_op, optr);
    let newest_ours = ours_v.keys().filter_map(|m| date_of_media(m)).max().map(str::to_string);
    for (media, (at, sunset)) in &ours_v {
        cx.version = Some(media.clone());
        let Some((up_at, up_sunset)) = up_v.get(media) else {
            cx.add(
                Severity::Breaking,
                "version-removed",
                at,
                "",
                format!("the published spec no longer lists {media} for this operation"),
            );
            continue;
        };
        for (date, whose, where_) in [(sunset, "our spec", at), (up_sunset, "the published spec", up_at)] {
            let Some(day) = date.as_deref().and_then(day_of) else {
                continue;
            };
            let date = date.as_deref().unwrap_or("");
            if day <= cx.opts.today {
                cx.add(
                    Severity::Breaking,
                    "sunset-passed",
                    if whose == "our spec" { where_ } else { at },
                    up_at,
                    format!("{whose} says Atlas stopped serving {media} on {date}"),
                );
            } else if day - cx.opts.today <= cx.opts.sunset_within && whose == "the published spec" {
                cx.add(
                    Severity::Informational,
                    "sunset-soon",
                    at,
                    up_at,
                    format!("Atlas stops serving {media} on {date}, in {} days", day - cx.opts.today),
                );
            }
        }
        if sunset != up_sunset && up_sunset.is_some() {
            cx.add(
                Severity::Informational,
                "sunset-changed",
                at,
                up_at,
                format!(
                    "x-sunset is {} here and {} upstream",
                    sunset.as_deref().unwrap_or("absent"),
                    up_sunset.as_deref().unwrap_or("absent")
                ),
            );
        }
        // The request body and the success responses of this version.
        bodies(cx, op, up_op, optr, media);
    }
    for (media, (up_at, _)) in &up_v {
        if ours_v.contains_key(media) {
            continue;
        }
        cx.version = Some(media.clone());
        let newer = match (date_of_media(media), &newest_ours) {
            (Some(d), Some(n)) => d > n.as_str(),
            (Some(_), None) => true,
            _ => false,
        };
        let (kind, detail) = if newer {
            (
                "newer-version",
                format!("the published spec has a newer version: {media}"),
            )
        } else {
            ("version-not-ours", format!("the published spec also lists {media}"))
        };
        cx.add(Severity::Informational, kind, optr, up_at, detail);
    }
    cx.version = None;
    parameters(cx, path, method, op, up_op, optr);
    statuses(cx, op, up_op, optr);
}

fn bodies(cx: &mut Cx<'_>, op: &Value, up_op: &Value, optr: &str, media: &str) {
    let schema_of = |o: &Value, at: String| o.get("content")?.get(media)?.get("schema").map(|s| (s.clone(), at));
    if let (Some(rb), Some(up_rb)) = (op.get("requestBody"), up_op.get("requestBody")) {
        let (rb, rb_at) = resolve(cx.ours, rb, format!("{optr}/requestBody"));
        let (up_rb, up_at) = resolve(cx.up, up_rb, format!("{optr}/requestBody"));
        let ours_s = schema_of(rb, ptr(&rb_at, &["content", media, "schema"]));
        let up_s = schema_of(up_rb, ptr(&up_at, &["content", media, "schema"]));
        if let (Some((o, oa)), Some((u, ua))) = (ours_s, up_s) {
            let mut seen = BTreeSet::new();
            schema(cx, &o, &u, oa, ua, Dir::Request, 0, &mut seen);
        }
    }
    let empty = serde_json::Map::new();
    let responses = op.get("responses").and_then(Value::as_object).unwrap_or(&empty);
    for (status, r) in responses {
        if !status.starts_with('2') {
            continue;
        }
        let Some(up_r) = up_op.get("responses").and_then(|r| r.get(status)) else {
            continue;
        };
        let (r, r_at) = resolve(cx.ours, r, ptr(optr, &["responses", status]));
        let (up_r, up_at) = resolve(cx.up, up_r, ptr(optr, &["responses", status]));
        let ours_s = schema_of(r, ptr(&r_at, &["content", media, "schema"]));
        let up_s = schema_of(up_r, ptr(&up_at, &["content", media, "schema"]));
        if let (Some((o, oa)), Some((u, ua))) = (ours_s, up_s) {
            let mut seen = BTreeSet::new();
            schema(cx, &o, &u, oa, ua, Dir::Response, 0, &mut seen);
        }
    }
}

/// `allOf` flattened: the properties and required names of every part.
fn flatten(
    doc: &Value,
    node: &Value,
    at: &str,
    props: &mut BTreeMap<String, (Value, String)>,
    required: &mut BTreeSet<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let (node, at) = resolve(doc, node, at.to_string());
    if let Some(p) = node.get("properties").and_then(Value::as_object) {
        for (k, v) in p {
            props
                .entry(k.clone())
                .or_insert_with(|| (v.clone(), ptr(&at, &["properties", k])));
        }
    }
    if let Some(r) = node.get("required").and_then(Value::as_array) {
        required.extend(r.iter().filter_map(Value::as_str).map(str::to_string));
    }
    if let Some(parts) = node.get("allOf").and_then(Value::as_array) {
        for (i, part) in parts.iter().enumerate() {
            flatten(doc, part, &format!("{at}/allOf/{i}"), props, required, depth + 1);
        }
    }
}

fn type_of(node: &Value) -> Option<&str> {
    node.get("type").and_then(Value::as_str)
}

fn enum_of(node: &Value) -> Option<BTreeSet<String>> {
    node.get("enum").and_then(Value::as_array).map(|a| {
        a.iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect()
    })
}

fn flag(node: &Value, key: &str) -> bool {
    node.get(key).and_then(Value::as_bool).unwrap_or(false)
}

#[allow(clippy::too_many_arguments)]
fn schema(
    cx: &mut Cx<'_>,
    ours: &Value,
    up: &Value,
    oa: String,
    ua: String,
    dir: Dir,
    depth: usize,
    seen: &mut BTreeSet<(String, String)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let (o, oa) = resolve(cx.ours, ours, oa);
    let (u, ua) = resolve(cx.up, up, ua);
    if !seen.insert((oa.clone(), ua.clone())) {
        return;
    }
    let (o, u) = (o.clone(), u.clone());
    let sending = dir == Dir::Request;
    let breaking_if = |b: bool| if b { Severity::Breaking } else { Severity::Informational };
    match (type_of(&o), type_of(&u)) {
        (Some(a), Some(b)) if a != b => {
            cx.add(
                Severity::Breaking,
                "type-changed",
                &oa,
                &ua,
                format!("type is {a} here and {b} upstream"),
            );
            return;
        }
        _ => {}
    }
    if flag(&o, "nullable") != flag(&u, "nullable") {
        // Decoding breaks when a value we expect may now be null; sending
        // breaks when we may send a null it refuses.
        let breaking = if sending {
            flag(&o, "nullable")
        } else {
            flag(&u, "nullable")
        };
        cx.add(
            breaking_if(breaking),
            "nullable-changed",
            &oa,
            &ua,
            format!(
                "nullable is {} here and {} upstream",
                flag(&o, "nullable"),
                flag(&u, "nullable")
            ),
        );
    }
    if let (Some(a), Some(b)) = (
        o.get("pattern").and_then(Value::as_str),
        u.get("pattern").and_then(Value::as_str),
    ) {
        if a != b {
            cx.add(
                breaking_if(sending),
                "pattern-changed",
                &oa,
                &ua,
                format!("pattern {a:?} here, {b:?} upstream"),
            );
        }
    }
    if let (Some(a), Some(b)) = (enum_of(&o), enum_of(&u)) {
        let removed: Vec<&String> = a.difference(&b).collect();
        let added: Vec<&String> = b.difference(&a).collect();
        if !removed.is_empty() {
            cx.add(
                breaking_if(sending),
                "enum-value-removed",
                &oa,
                &ua,
                format!("values the published spec no longer lists: {removed:?}"),
            );
        }
        if !added.is_empty() {
            cx.add(
                Severity::Informational,
                "enum-value-added",
                &oa,
                &ua,
                format!("new values: {added:?}"),
            );
        }
    }
    if let (Some(oi), Some(ui)) = (o.get("items"), u.get("items")) {
        schema(
            cx,
            oi,
            ui,
            format!("{oa}/items"),
            format!("{ua}/items"),
            dir,
            depth + 1,
            seen,
        );
    }
    if let (Some(oi), Some(ui)) = (o.get("additionalProperties"), u.get("additionalProperties")) {
        if oi.is_object() && ui.is_object() {
            let (oap, uap) = (
                format!("{oa}/additionalProperties"),
                format!("{ua}/additionalProperties"),
            );
            schema(cx, oi, ui, oap, uap, dir, depth + 1, seen);
        }
    }
    for key in ["oneOf", "anyOf"] {
        let (a, b) = (
            o.get(key).and_then(Value::as_array),
            u.get(key).and_then(Value::as_array),
        );
        if let (Some(a), Some(b)) = (a, b) {
            if a.len() != b.len() {
                cx.add(
                    Severity::Informational,
                    "variants-changed",
                    &oa,
                    &ua,
                    format!("{key} has {} variants here and {} upstream", a.len(), b.len()),
                );
            }
        }
    }
    let (mut op, mut oreq, mut up, mut ureq) = (BTreeMap::new(), BTreeSet::new(), BTreeMap::new(), BTreeSet::new());
    flatten(cx.ours, &o, &oa, &mut op, &mut oreq, 0);
    flatten(cx.up, &u, &ua, &mut up, &mut ureq, 0);
    for (name, (ov, opa)) in &op {
        match up.get(name) {
            None => {
                let breaking = sending || oreq.contains(name);
                let why = if sending {
                    "we would send a field it does not know"
                } else {
                    "we decode it"
                };
                cx.add(
                    breaking_if(breaking),
                    "property-removed",
                    opa,
                    &ua,
                    format!("the published spec has no property {name:?} ({why})"),
                );
            }
            Some((uv, upa)) => {
                if sending && ureq.contains(name) && !oreq.contains(name) {
                    cx.add(
                        Severity::Breaking,
                        "property-became-required",
                        opa,
                        upa,
                        format!("{name:?} is now required"),
                    );
                }
                if !sending && oreq.contains(name) && !ureq.contains(name) {
                    cx.add(
                        Severity::Breaking,
                        "property-became-optional",
                        opa,
                        upa,
                        format!("{name:?} is required here but optional upstream: decoding fails when it is absent"),
                    );
                }
                let (ovr, uvr) = (
                    resolve(cx.ours, ov, opa.clone()).0.clone(),
                    resolve(cx.up, uv, upa.clone()).0.clone(),
                );
                for key in ["readOnly", "writeOnly"] {
                    if flag(&ovr, key) != flag(&uvr, key) {
                        cx.add(
                            Severity::Informational,
                            "access-changed",
                            opa,
                            upa,
                            format!(
                                "{name:?}: {key} is {} here and {} upstream",
                                flag(&ovr, key),
                                flag(&uvr, key)
                            ),
                        );
                    }
                }
                schema(cx, ov, uv, opa.clone(), upa.clone(), dir, depth + 1, seen);
            }
        }
    }
    for (name, (_, upa)) in &up {
        if op.contains_key(name) {
            continue;
        }
        let required = ureq.contains(name);
        let (severity, kind) = if sending && required {
            (Severity::Breaking, "required-property-missing")
        } else {
            (Severity::Informational, "property-added")
        };
        cx.add(
            severity,
            kind,
            &oa,
            upa,
            format!(
                "the published spec has {} property {name:?}",
                if required { "a required" } else { "an optional" }
            ),
        );
    }
}

/// Parameters of an operation, path-level ones included, by (in, name).
fn params(doc: &Value, path: &str, op: &Value, optr: &str) -> BTreeMap<(String, String), (Value, String)> {
    let mut out = BTreeMap::new();
    let lists = [
        (
            doc.pointer(&ptr("", &["paths", path, "parameters"])),
            ptr("", &["paths", path, "parameters"]),
        ),
        (op.get("parameters"), format!("{optr}/parameters")),
    ];
    for (list, at) in lists {
        let Some(list) = list.and_then(Value::as_array) else {
            continue;
        };
        for (i, p) in list.iter().enumerate() {
            let (p, pa) = resolve(doc, p, format!("{at}/{i}"));
            let key = (
                p.get("in").and_then(Value::as_str).unwrap_or("").to_string(),
                p.get("name").and_then(Value::as_str).unwrap_or("").to_string(),
            );
            out.insert(key, (p.clone(), pa));
        }
    }
    out
}

fn parameters(cx: &mut Cx<'_>, path: &str, method: &str, op: &Value, up_op: &Value, optr: &str) {
    let _ = method;
    let ours = params(cx.ours, path, op, optr);
    let ups = params(cx.up, path, up_op, optr);
    for ((loc, name), (p, pa)) in &ours {
        let Some((u, ua)) = ups.get(&(loc.clone(), name.clone())) else {
            cx.add(
                Severity::Breaking,
                "parameter-removed",
                pa,
                "",
                format!("the published spec has no {loc} parameter {name:?}"),
            );
            continue;
        };
        if flag(u, "required") && !flag(p, "required") {
            cx.add(
                Severity::Breaking,
                "parameter-became-required",
                pa,
                ua,
                format!("{loc} parameter {name:?} is now required"),
            );
        } else if flag(p, "required") != flag(u, "required") {
            cx.add(
                Severity::Informational,
                "parameter-required-changed",
                pa,
                ua,
                format!(
                    "{loc} parameter {name:?}: required is {} here and {} upstream",
                    flag(p, "required"),
                    flag(u, "required")
                ),
            );
        }
        if let (Some(ps), Some(us)) = (p.get("schema"), u.get("schema")) {
            let mut seen = BTreeSet::new();
            schema(
                cx,
                ps,
                us,
                format!("{pa}/schema"),
                format!("{ua}/schema"),
                Dir::Request,
                0,
                &mut seen,
            );
        }
    }
    for ((loc, name), (u, ua)) in &ups {
        if ours.contains_key(&(loc.clone(), name.clone())) {
            continue;
        }
        let required = flag(u, "required");
        cx.add(
            if required {
                Severity::Breaking
            } else {
                Severity::Informational
            },
            if required {
                "required-parameter-missing"
            } else {
                "parameter-added"
            },
            optr,
            ua,
            format!(
                "the published spec has {} {loc} parameter {name:?}",
                if required { "a required" } else { "an optional" }
            ),
        );
    }
}

fn statuses(cx: &mut Cx<'_>, op: &Value, up_op: &Value, optr: &str) {
    let codes = |o: &Value| -> BTreeSet<String> {
        o.get("responses")
            .and_then(Value::as_object)
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (ours, ups) = (codes(op), codes(up_op));
    for code in ups.difference(&ours) {
        cx.add(
            Severity::Informational,
            "status-added",
            &format!("{optr}/responses"),
            &ptr(optr, &["responses", code]),
            format!("the published spec documents status {code}"),
        );
    }
    for code in ours.difference(&ups) {
        cx.add(
            Severity::Informational,
            "status-not-upstream",
            &ptr(optr, &["responses", code]),
            &format!("{optr}/responses"),
            format!("the published spec does not document status {code}"),
        );
    }
}

/// The text report: one line per finding, breaking first, then a count.
pub fn render_text(findings: &[Finding]) -> String {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by(|a, b| (a.severity, &a.operation).cmp(&(b.severity, &b.operation)));
    let mut out = String::new();
    for f in &sorted {
        let _ = writeln!(
            out,
            "{:<13} {:<26} {} {}: {}\n              ours: {}  upstream: {}",
            f.severity.as_str(),
            f.kind,
            f.operation,
            f.version.as_deref().unwrap_or("-"),
            f.detail,
            if f.ours.is_empty() { "-" } else { &f.ours },
            if f.upstream.is_empty() { "-" } else { &f.upstream },
        );
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{} breaking, {} informational, {} operations not in the published spec",
        count(Severity::Breaking),
        count(Severity::Informational),
        count(Severity::Absent)
    );
    out
}

/// The exit status: 0 with no breaking findings, 1 with some (with
/// `strict`, informational ones count too).
pub fn exit_code(findings: &[Finding], strict: bool) -> u8 {
    let failing = findings.iter().any(|f| match f.severity {
        Severity::Breaking => true,
        Severity::Informational => strict,
        Severity::Absent => false,
    });
    u8::from(failing)
}

/// `spec drift` as the command line runs it: the report and the exit status
/// (2 when a file cannot be read or parsed).
pub fn run(ours: &Path, upstream: &Path, json: bool, strict: bool, sunset_within: i64) -> (u8, String) {
    let (o, u) = match (load(ours), load(upstream)) {
        (Ok(o), Ok(u)) => (o, u),
        (Err(e), _) | (_, Err(e)) => return (2, format!("error: {e}\n")),
    };
    let findings = drift(
        &o,
        &u,
        Options {
            today: today(),
            sunset_within,
        },
    );
    let report = if json {
        let all: Vec<Value> = findings.iter().map(Finding::to_json).collect();
        serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
    } else {
        render_text(&findings)
    };
    (exit_code(&findings, strict), report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(day_of("1970-01-01"), Some(0));
        assert_eq!(day_of("2000-03-01"), Some(11_017));
        assert_eq!(day_of("bad"), None);
        assert_eq!(
            date_of_media("application/vnd.atlas.2024-08-05+json"),
            Some("2024-08-05")
        );
        assert_eq!(date_of_media("application/vnd.atlas.preview+json"), None);
    }
}
