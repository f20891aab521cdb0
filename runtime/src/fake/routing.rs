//! Which route serves a request: recorded answers when replaying, else
//! canned answers, then the routes given by hand, then the operations of
//! the spec.

use super::answer::{Answer, Call};
use super::operations::serve;
use super::route::{decoded_segments, match_route};
use super::state::State;
use super::versions::check_version;
use super::wire::{OperationCall, RecordedRequest};
use serde_json::Value;

/// The answer to `r`, and the operation of the spec it called, if any.
pub(super) fn route(s: &mut State, r: &RecordedRequest) -> (Answer, Option<OperationCall>) {
    if let Some(replay) = &mut s.replay {
        return (replay.answer(r), None);
    }
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
        let serves: Vec<(&str, Option<&str>)> = versions.iter().map(|c| (c.media_type.as_str(), None)).collect();
        let (c, headers) = match check_version(&s.config, "this resource", accept, &serves) {
            Ok((i, headers)) => (&versions[i], headers),
            Err(refused) => return Some(refused),
        };
        let mut answer = if c.json {
            let body =
                (!c.body.is_empty()).then(|| serde_json::from_str(&c.body).unwrap_or(Value::String(c.body.clone())));
            Answer::ok(c.status, &c.media_type, body)
        } else {
            Answer::bytes(c.status, &c.media_type, c.body.clone().into_bytes())
        };
        answer.headers.extend(headers);
        return Some(answer);
    }
    let segments = decoded_segments(&r.path);
    let found = s.config.routes.iter().find_map(|route| {
        if route.method != r.method {
            return None;
        }
        match_route(&route.segments, &segments).map(|params| (route.clone(), params))
    });
    let (route, params) = found?;
    let serves: Vec<(&str, Option<&str>)> = route.media_types.iter().map(|m| (m.as_str(), None)).collect();
    let accept = r.header("accept").unwrap_or("");
    let headers = match check_version(&s.config, "this resource", accept, &serves) {
        Ok((_, headers)) => headers,
        Err(refused) => return Some(refused),
    };
    let call = Call {
        request: r,
        params,
        accept,
    };
    let mut answer = (route.handler)(&mut s.config.store, &call);
    answer.headers.extend(headers);
    Some(answer)
}
