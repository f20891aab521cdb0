//! MongoDB's words left upstream: prose, examples, changelogs and
//! documentation links taken out of what `spec add` brings in; a response's
//! description is its status's reason phrase, a response component's its
//! name in words.

use serde_json::Value;

/// What `spec add` leaves out of everything it brings in: our spec says
/// everything in its own words, so MongoDB's prose, examples, changelog and
/// documentation links stay upstream. Structure (`deprecated`, `x-sunset`,
/// `x-xgen-operation-id-override`, ...) comes in.
pub(super) const LEFT_OUT: [&str; 8] = [
    "description",
    "summary",
    "example",
    "examples",
    "title",
    "externalDocs",
    "x-xgen-changelog",
    "x-xgen-docs-url",
];

/// `value` without MongoDB's words ([`LEFT_OUT`]); the keys of a
/// `properties` map are names, kept whatever they are. A response, which
/// must have a description, gets its status's reason phrase.
pub(super) fn without_prose(value: &Value, in_names: bool) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| in_names || !LEFT_OUT.contains(&k.as_str()))
                .map(|(k, v)| {
                    let names = !in_names && k == "properties";
                    let v = if !in_names && k == "responses" {
                        responses_described(v)
                    } else {
                        without_prose(v, names)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| without_prose(v, false)).collect()),
        other => other.clone(),
    }
}

/// An operation's `responses` without prose, each with the reason phrase
/// of its status as its description (`default`: "Error").
fn responses_described(responses: &Value) -> Value {
    let Value::Object(map) = responses else {
        return without_prose(responses, false);
    };
    Value::Object(
        map.iter()
            .map(|(status, r)| {
                let mut r = without_prose(r, false);
                if let (Value::Object(obj), false) = (&mut r, r_is_ref(responses, status)) {
                    obj.insert("description".into(), Value::String(reason_phrase(status).into()));
                }
                (status.clone(), r)
            })
            .collect(),
    )
}

fn r_is_ref(responses: &Value, status: &str) -> bool {
    responses.get(status).and_then(|r| r.get("$ref")).is_some()
}

/// `notFound` as `Not Found`.
pub(super) fn words(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            out.push(' ');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

/// The reason phrase of an HTTP status (RFC 9110).
fn reason_phrase(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "No Content",
        "400" => "Bad Request",
        "401" => "Unauthorized",
        "402" => "Payment Required",
        "403" => "Forbidden",
        "404" => "Not Found",
        "405" => "Method Not Allowed",
        "406" => "Not Acceptable",
        "409" => "Conflict",
        "410" => "Gone",
        "429" => "Too Many Requests",
        "500" => "Internal Server Error",
        "503" => "Service Unavailable",
        s if s.starts_with('2') => "Success",
        _ => "Error",
    }
}
