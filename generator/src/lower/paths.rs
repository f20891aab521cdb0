//! An operation's path template -> its segments: for the client, literal
//! text and parameters in order; for the fake, one entry per `/`-separated
//! segment, each a literal or one parameter with the text around it.

use crate::error::{Error, Pointer};
use crate::model::*;
use std::collections::BTreeSet;

pub(crate) fn split_path(path: &str, params: &[Param], optr: &Pointer) -> Result<Vec<PathSegment>, Error> {
    let mut out = Vec::new();
    let mut rest = path;
    let mut used = BTreeSet::new();
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(PathSegment::Literal(rest[..open].to_string()));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(Error::at(optr, format!("path {path:?} has an unclosed '{{'")));
        };
        let name = &rest[open + 1..open + close];
        let Some(index) = params.iter().position(|p| p.name == name) else {
            return Err(Error::at(
                &optr.push("parameters"),
                format!("path template names {{{name}}} but no path parameter {name:?} is declared"),
            ));
        };
        used.insert(index);
        out.push(PathSegment::Param(index));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(PathSegment::Literal(rest.to_string()));
    }
    if let Some(unused) = params.iter().enumerate().find(|(i, _)| !used.contains(i)) {
        return Err(Error::at(
            &optr.push("parameters"),
            format!(
                "path parameter {:?} does not appear in the path {path:?}",
                unused.1.name
            ),
        ));
    }
    Ok(out)
}

/// The path as the fake routes it. A segment holds at most one parameter
/// (a path the fake could not split unambiguously is refused here, at the
/// operation's pointer). `split_path` has checked the names.
pub(crate) fn route(path: &str, optr: &Pointer) -> Result<Vec<RouteSegment>, Error> {
    path.trim_start_matches('/')
        .split('/')
        .map(|seg| {
            let Some(open) = seg.find('{') else {
                return Ok(RouteSegment::Literal(seg.to_string()));
            };
            let close = seg[open..].find('}').map_or(seg.len(), |c| c + open);
            let suffix = seg.get(close + 1..).unwrap_or("");
            if suffix.contains(['{', '}']) || close == seg.len() {
                return Err(Error::at(
                    optr,
                    format!("the path segment {seg:?} of {path:?} holds more than one parameter; one per segment is supported"),
                ));
            }
            Ok(RouteSegment::Param {
                name: seg[open + 1..close].to_string(),
                prefix: seg[..open].to_string(),
                suffix: suffix.to_string(),
            })
        })
        .collect()
}
