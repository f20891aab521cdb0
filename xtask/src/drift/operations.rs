//! Operation by operation: resource versions and their sunsets, the
//! bodies of each version, parameters and documented statuses.

use super::context::Cx;
use super::finding::Severity;
use super::schema::{flag, schema, Dir};
use crate::json::{ptr, resolve};
use atlas_admin_recordings::dates::day_of;
use atlas_codegen::pointer_token;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

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
                take(
                    r.get("content"),
                    format!("{optr}/responses/{}/content", pointer_token(status)),
                );
            }
        }
    }
    out
}

pub(super) fn date_of_media(media: &str) -> Option<&str> {
    let rest = media.strip_prefix("application/vnd.atlas.")?;
    let date = rest.get(..10)?;
    day_of(date).map(|_| date)
}

pub(super) fn operation(cx: &mut Cx<'_>, path: &str, op: &Value, up_op: &Value, optr: &str) {
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
    parameters(cx, path, op, up_op, optr);
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

fn parameters(cx: &mut Cx<'_>, path: &str, op: &Value, up_op: &Value, optr: &str) {
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

pub(super) fn statuses(cx: &mut Cx<'_>, op: &Value, up_op: &Value, optr: &str) {
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
