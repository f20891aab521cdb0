//! Which route serves a request: canned answers, then the routes given by
//! hand, then the operations of the spec; the version check of hand-given
//! routes (406, 410, `Deprecation`/`Sunset`).

use super::answer::{Answer, Call};
use super::operations::{decoded_segments, match_template, serve};
use super::state::State;
use super::wire::{OperationCall, RecordedRequest};
use serde_json::Value;

/// Checks `Accept` against the versions a route serves.
fn check_version(s: &State, r: &RecordedRequest, serves: &[&str]) -> Result<Vec<(String, String)>, Answer> {
    let accept = r.header("accept").unwrap_or("");
    if s.config.gone.contains(accept) {
        return Err(Answer::error(
            410,
            "VERSION_GONE",
            &format!("The version {accept} is no longer served."),
        ));
    }
    if !serves.contains(&accept) {
        return Err(Answer::error(
            406,
            "INVALID_VERSION_DATE",
            &format!(
                "The Accept header {accept:?} names no version this resource serves: {}.",
                serves.join(", ")
            ),
        ));
    }
    Ok(match s.config.deprecated.get(accept) {
        Some(sunset) => vec![("Deprecation".into(), "true".into()), ("Sunset".into(), sunset.clone())],
        None => Vec::new(),
    })
}

/// The answer to `r`, and the operation of the spec it called, if any.
pub(super) fn route(s: &mut State, r: &RecordedRequest) -> (Answer, Option<OperationCall>) {
    if let Some(answer) = by_hand(s, r) {
        return (answer, None);
    }
    serve(s, r).unwrap_or_else(|| (Answer::not_found(&r.path), None))
}

/// Canned answers and routes given by hand, which come before the spec's.
fn by_hand(s: &mut State, r: &RecordedRequest) -> Option<Answer> {
    let with_query = r.query.as_ref().map(|q| format!("{}?{q}", r.path));
    let canned = with_query
        .and_then(|p| s.config.canned.get(&(r.method.clone(), p)))
        .or_else(|| s.config.canned.get(&(r.method.clone(), r.path.clone())));
    if let Some(versions) = canned {
        let accept = r.header("accept").unwrap_or("");
        return Some(match versions.iter().find(|c| c.media_type == accept) {
            Some(c) if c.media_type.ends_with("json") => {
                let body = (!c.body.is_empty())
                    .then(|| serde_json::from_str(&c.body).unwrap_or(Value::String(c.body.clone())));
                Answer::ok(c.status, &c.media_type, body)
            }
            Some(c) => {
                let mut answer = Answer::ok(c.status, &c.media_type, None);
                answer.raw = Some(c.body.clone().into_bytes());
                answer
            }
            None => {
                let served: Vec<&str> = versions.iter().map(|c| c.media_type.as_str()).collect();
                Answer::error(
                    406,
                    "INVALID_VERSION_DATE",
                    &format!("Serves only {}.", served.join(", ")),
                )
            }
        });
    }
    let segments = decoded_segments(&r.path);
    let found = s.config.routes.iter().find_map(|route| {
        if route.method != r.method {
            return None;
        }
        let template: Vec<&str> = route.segments.iter().map(String::as_str).collect();
        match_template(&template, &segments).map(|params| (route.clone(), params))
    });
    let (route, params) = found?;
    let served: Vec<&str> = route.media_types.iter().map(String::as_str).collect();
    let headers = match check_version(s, r, &served) {
        Ok(h) => h,
        Err(a) => return Some(a),
    };
    let accept = r.header("accept").unwrap_or("");
    let call = Call {
        request: r,
        params,
        accept,
    };
    let mut answer = (route.handler)(&mut s.config.store, &call);
    answer.headers.extend(headers);
    Some(answer)
}
