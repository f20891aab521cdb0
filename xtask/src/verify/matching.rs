//! A recorded request matched to the spec's operation by method and path.
//! Where several templates match, the one with the most literal text wins
//! (`/clusters/{name}:pause` over `/clusters/{name}`), as in the fake.

use crate::json::ptr;
use crate::methods::operations_of;
use atlas_admin_recordings::RequestPath;
use serde_json::Value;

/// One piece of a path template.
#[derive(Debug, Clone)]
enum Piece {
    Literal(String),
    /// A parameter, with the `pattern` its value must fit, if the spec
    /// gives one.
    Param(Option<regex::Regex>),
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId`, else `METHOD /path`.
    pub id: String,
    /// The JSON pointer of the operation object.
    pub pointer: String,
    /// The path template, as the spec writes it.
    pub template: String,
    /// Upper case.
    pub method: String,
    pieces: Vec<Piece>,
    literal_len: usize,
}

pub struct Operations(Vec<Operation>);

impl Operations {
    /// Every operation of the spec, in sorted order of paths.
    pub fn of(spec: &Value) -> Operations {
        let mut ops = Vec::new();
        for o in operations_of(spec) {
            let pieces = pieces(o.path, &patterns(spec, o.item, o.op));
            let literal_len = pieces
                .iter()
                .map(|p| match p {
                    Piece::Literal(l) => l.len(),
                    Piece::Param(_) => 0,
                })
                .sum();
            ops.push(Operation {
                id: o
                    .op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{} {}", o.method.to_uppercase(), o.path), str::to_string),
                pointer: ptr("", &["paths", o.path, o.method]),
                template: o.path.to_string(),
                method: o.method.to_uppercase(),
                pieces,
                literal_len,
            });
        }
        Operations(ops)
    }

    /// The operation a request went to: same method, a template that
    /// matches the path, the most literal one of those.
    pub fn find(&self, method: &str, path: &RequestPath) -> Option<&Operation> {
        let (text, mangled) = match path {
            RequestPath::Exact(p) => (p.split('?').next().unwrap_or(p).to_string(), false),
            RequestPath::Mangled(p) => (format!("_{p}"), true),
        };
        // In a mangled path (`_` for each `/`) a parameter's value holds no
        // `_` (ids and names as Atlas makes them), so that
        // `groups_<id>_backupCompliancePolicy` is never read as
        // `groups/{groupId}`: a request the spec does not have matches
        // nothing rather than the wrong operation.
        let stop: &[u8] = if mangled { b"_" } else { b"/" };
        self.most_literal(method, &text, mangled, stop)
    }

    fn most_literal(&self, method: &str, text: &str, mangled: bool, stop: &[u8]) -> Option<&Operation> {
        let mut best: Option<&Operation> = None;
        for op in self.0.iter().filter(|o| o.method == method) {
            let pieces: Vec<Piece> = if mangled {
                op.pieces.iter().map(mangle).collect()
            } else {
                op.pieces.clone()
            };
            if matches(&pieces, text.as_bytes(), stop) && best.is_none_or(|b| op.literal_len > b.literal_len) {
                best = Some(op);
            }
        }
        best
    }
}

/// The `pattern` of each path parameter of `op` (and of its path item),
/// by name, `$ref`s to `#/components/parameters` resolved.
fn patterns(spec: &Value, item: &Value, op: &Value) -> std::collections::BTreeMap<String, regex::Regex> {
    let listed = [item, op]
        .into_iter()
        .filter_map(|v| v.get("parameters")?.as_array())
        .flatten();
    listed
        .filter_map(|p| match p.get("$ref").and_then(Value::as_str) {
            Some(r) => spec.pointer(r.strip_prefix('#')?),
            None => Some(p),
        })
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?;
            let pattern = p.pointer("/schema/pattern")?.as_str()?;
            Some((name.to_string(), regex::Regex::new(pattern).ok()?))
        })
        .collect()
}

/// `/groups/{groupId}/clusters` -> literal `/groups/`, a parameter,
/// literal `/clusters`.
fn pieces(template: &str, patterns: &std::collections::BTreeMap<String, regex::Regex>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        if open > 0 {
            out.push(Piece::Literal(rest[..open].to_string()));
        }
        let name = &rest[open + 1..open + close];
        out.push(Piece::Param(patterns.get(name).cloned()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Literal(rest.to_string()));
    }
    out
}

/// The CLI's file names write each `/` and `:` as `_`.
fn mangle(piece: &Piece) -> Piece {
    match piece {
        Piece::Literal(l) => Piece::Literal(l.replace(['/', ':'], "_")),
        Piece::Param(p) => Piece::Param(p.clone()),
    }
}

/// Whether the pieces spell `text` exactly, each parameter taking one or
/// more bytes, none of them `stop`, that fit its pattern. Backtracks;
/// templates are short.
fn matches(pieces: &[Piece], text: &[u8], stop: &[u8]) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Literal(l), rest)) => text.starts_with(l.as_bytes()) && matches(rest, &text[l.len()..], stop),
        Some((Piece::Param(pattern), rest)) => (1..=text.len())
            .take_while(|&n| !stop.contains(&text[n - 1]))
            .filter(|&n| {
                let value = String::from_utf8_lossy(&text[..n]);
                pattern.as_ref().is_none_or(|re| re.is_match(&value))
            })
            .any(|n| matches(rest, &text[n..], stop)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({ "paths": {
            "/api/atlas/v2/groups/{groupId}/clusters": { "get": { "operationId": "listClusters" }, "post": { "operationId": "createCluster" } },
            "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}": { "get": { "operationId": "getCluster" } },
            "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}:pause": { "post": { "operationId": "pause" } },
            "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/status": { "get": { "operationId": "status" } }
        }})
    }

    #[test]
    fn exact_paths_match_one_segment_per_parameter_and_the_most_literal_template() {
        let ops = Operations::of(&spec());
        let id = |m: &str, p: &str| ops.find(m, &RequestPath::Exact(p.into())).map(|o| o.id.clone());
        assert_eq!(
            id("GET", "/api/atlas/v2/groups/g1/clusters/c1").as_deref(),
            Some("getCluster")
        );
        assert_eq!(
            id("GET", "/api/atlas/v2/groups/g1/clusters/c1/status").as_deref(),
            Some("status")
        );
        assert_eq!(
            id("POST", "/api/atlas/v2/groups/g1/clusters/c1:pause").as_deref(),
            Some("pause")
        );
        assert_eq!(
            id("GET", "/api/atlas/v2/groups/g1/clusters?pageNum=2").as_deref(),
            Some("listClusters")
        );
        assert_eq!(id("DELETE", "/api/atlas/v2/groups/g1/clusters"), None);
        assert_eq!(id("GET", "/api/atlas/v2/groups//clusters"), None);
    }

    #[test]
    fn mangled_cli_names_match_too() {
        let ops = Operations::of(&spec());
        let id = |m: &str, p: &str| ops.find(m, &RequestPath::Mangled(p.into())).map(|o| o.id.clone());
        assert_eq!(
            id("GET", "api_atlas_v2_groups_b01_clusters_my-cluster-1").as_deref(),
            Some("getCluster")
        );
        // A value that does not fit its parameter's pattern is no match.
        let spec = json!({ "paths": { "/api/atlas/v2/groups/{groupId}/users/{db}/{user}": { "get": {
            "operationId": "getUser",
            "parameters": [{ "name": "db", "in": "path", "schema": { "type": "string", "pattern": "^(admin|\\$external)$" } }]
        } } } });
        let users = Operations::of(&spec);
        let user = |p: &str| users.find("GET", &RequestPath::Mangled(p.into())).map(|o| o.id.clone());
        assert_eq!(
            user("api_atlas_v2_groups_b01_users_admin_u1").as_deref(),
            Some("getUser")
        );
        assert_eq!(user("api_atlas_v2_groups_b01_users_u1_certs"), None);
        // A longer path of an operation the spec lacks is no operation.
        assert_eq!(id("GET", "api_atlas_v2_groups_b01_clusters_c1_backup_schedule"), None);
        assert_eq!(id("GET", "api_atlas_v2_groups_b01_clusters_c1_statusX_y"), None);
        assert_eq!(
            id("GET", "api_atlas_v2_groups_b01_clusters_c1_status").as_deref(),
            Some("status")
        );
        assert_eq!(
            id("POST", "api_atlas_v2_groups_b01_clusters_c1_pause").as_deref(),
            Some("pause")
        );
        assert_eq!(
            id("POST", "api_atlas_v2_groups_b01_clusters").as_deref(),
            Some("createCluster")
        );
    }

    /// `spec verify` once knew five methods, so a recorded HEAD or OPTIONS
    /// answer never matched its operation.
    #[test]
    fn every_method_openapi_allows_matches() {
        let spec = json!({ "paths": { "/api/atlas/v2/groups/{groupId}": {
            "head": { "operationId": "headGroup" },
            "options": { "operationId": "optionsGroup" },
            "trace": { "operationId": "traceGroup" }
        } } });
        let ops = Operations::of(&spec);
        for (method, id) in [
            ("HEAD", "headGroup"),
            ("OPTIONS", "optionsGroup"),
            ("TRACE", "traceGroup"),
        ] {
            let exact = ops.find(method, &RequestPath::Exact("/api/atlas/v2/groups/g1".into()));
            assert_eq!(exact.map(|o| o.id.as_str()), Some(id), "{method}");
            let mangled = ops.find(method, &RequestPath::Mangled("api_atlas_v2_groups_g1".into()));
            assert_eq!(mangled.map(|o| o.id.as_str()), Some(id), "{method}");
        }
        assert!(ops
            .find("GET", &RequestPath::Exact("/api/atlas/v2/groups/g1".into()))
            .is_none());
    }
}
