//! A recorded request matched to the spec's operation by method and path.
//! Where several templates match, the one with the most literal text wins
//! (`/clusters/{name}:pause` over `/clusters/{name}`), as in the fake.

use super::recording::RequestPath;
use crate::drift::ptr;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Param,
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
        let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
            return Operations(ops);
        };
        let mut templates: Vec<&String> = paths.keys().collect();
        templates.sort();
        for template in templates {
            for method in METHODS {
                let Some(op) = paths[template].get(method) else {
                    continue;
                };
                let pieces = pieces(template);
                let literal_len = pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Literal(l) => l.len(),
                        Piece::Param => 0,
                    })
                    .sum();
                ops.push(Operation {
                    id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map_or_else(|| format!("{} {template}", method.to_uppercase()), str::to_string),
                    pointer: ptr("", &["paths", template, method]),
                    template: template.clone(),
                    method: method.to_uppercase(),
                    pieces,
                    literal_len,
                });
            }
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
        let mut best: Option<&Operation> = None;
        for op in self.0.iter().filter(|o| o.method == method) {
            let pieces: Vec<Piece> = if mangled {
                op.pieces.iter().map(mangle).collect()
            } else {
                op.pieces.clone()
            };
            if matches(&pieces, text.as_bytes(), !mangled) && best.is_none_or(|b| op.literal_len > b.literal_len) {
                best = Some(op);
            }
        }
        best
    }
}

/// `/groups/{groupId}/clusters` -> literal `/groups/`, a parameter,
/// literal `/clusters`.
fn pieces(template: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        if open > 0 {
            out.push(Piece::Literal(rest[..open].to_string()));
        }
        out.push(Piece::Param);
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
        Piece::Param => Piece::Param,
    }
}

/// Whether the pieces spell `text` exactly, each parameter taking one or
/// more bytes (no `/` when `segments` holds). Backtracks; templates are
/// short.
fn matches(pieces: &[Piece], text: &[u8], segments: bool) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Literal(l), rest)) => text.starts_with(l.as_bytes()) && matches(rest, &text[l.len()..], segments),
        Some((Piece::Param, rest)) => (1..=text.len())
            .take_while(|&n| !segments || text[n - 1] != b'/')
            .any(|n| matches(rest, &text[n..], segments)),
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
            id("GET", "api_atlas_v2_groups_b01_clusters_my_cluster_1").as_deref(),
            Some("getCluster")
        );
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
}
