//! What the rustdoc of a field and of an operation states, settled here:
//! a field's format, pattern, bounds, lengths and default as its schema
//! writes them ([`Facts`]), and an operation's link to MongoDB's reference
//! page (`externalDocs.url`), which is data: only an `https` URL on
//! mongodb.com, in characters that cannot end a Markdown link, is taken;
//! anything else is an error at its JSON pointer.

use crate::error::{Error, Pointer};
use crate::model::Facts;
use openapiv3::{IntegerFormat, NumberFormat, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

/// The facts a schema states of its values.
pub(crate) fn of(schema: &Schema) -> Facts {
    let mut facts = Facts {
        default: schema.schema_data.default.as_ref().map(|v| v.to_string()),
        ..Facts::default()
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) => {
            facts.format = format_name(&t.format, string_format);
            facts.pattern = t.pattern.clone();
            (facts.min_length, facts.max_length) = (t.min_length, t.max_length);
        }
        SchemaKind::Type(Type::Integer(t)) => {
            facts.format = format_name(&t.format, integer_format);
            facts.minimum = t.minimum.map(|m| (m as f64, t.exclusive_minimum));
            facts.maximum = t.maximum.map(|m| (m as f64, t.exclusive_maximum));
        }
        SchemaKind::Type(Type::Number(t)) => {
            facts.format = format_name(&t.format, number_format);
            facts.minimum = t.minimum.map(|m| (m, t.exclusive_minimum));
            facts.maximum = t.maximum.map(|m| (m, t.exclusive_maximum));
        }
        SchemaKind::Type(Type::Array(t)) => (facts.min_items, facts.max_items) = (t.min_items, t.max_items),
        SchemaKind::Any(a) => {
            facts.format = a.format.clone();
            facts.pattern = a.pattern.clone();
            facts.minimum = a.minimum.map(|m| (m, a.exclusive_minimum.unwrap_or(false)));
            facts.maximum = a.maximum.map(|m| (m, a.exclusive_maximum.unwrap_or(false)));
            (facts.min_length, facts.max_length) = (a.min_length, a.max_length);
            (facts.min_items, facts.max_items) = (a.min_items, a.max_items);
        }
        SchemaKind::Type(Type::Object(_) | Type::Boolean(_))
        | SchemaKind::OneOf { .. }
        | SchemaKind::AllOf { .. }
        | SchemaKind::AnyOf { .. }
        | SchemaKind::Not { .. } => {}
    }
    facts
}

/// A `format` as the spec spells it.
fn format_name<F>(format: &VariantOrUnknownOrEmpty<F>, known: fn(&F) -> &'static str) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(f) => Some(known(f).to_string()),
        VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(f: &StringFormat) -> &'static str {
    match f {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

fn integer_format(f: &IntegerFormat) -> &'static str {
    match f {
        IntegerFormat::Int32 => "int32",
        IntegerFormat::Int64 => "int64",
    }
}

fn number_format(f: &NumberFormat) -> &'static str {
    match f {
        NumberFormat::Float => "float",
        NumberFormat::Double => "double",
    }
}

/// An operation's `externalDocs.url`: MongoDB's reference page for it when
/// it is an `https` URL on mongodb.com or mongodb.org (`dochub.mongodb.org`
/// links, as the published spec has, redirect to the docs); a well-formed
/// `https` URL elsewhere is not a reference and is left out. A URL that is
/// not `https`, or whose characters could end a Markdown link or open HTML,
/// is an error at its pointer: spec text never lands in rustdoc as markup.
pub(crate) fn reference(op: &openapiv3::Operation, ptr: &Pointer) -> Result<Option<String>, Error> {
    let Some(docs) = &op.external_docs else {
        return Ok(None);
    };
    let Some(host) = plain_https_host(&docs.url) else {
        return Err(Error::at(
            &ptr.push("externalDocs").push("url"),
            format!(
                "externalDocs.url must be an https URL (https://www.mongodb.com/docs/...) without a user or port, \
                 in plain URL characters; {:?} is not",
                docs.url
            ),
        ));
    };
    Ok(on_mongodb(host).then(|| docs.url.clone()))
}

/// Whether `url` is MongoDB's: `https://` on mongodb.com or mongodb.org or
/// a host under them, in plain URL characters (what the tests ask).
#[cfg(test)]
fn is_mongodb_reference(url: &str) -> bool {
    plain_https_host(url).is_some_and(on_mongodb)
}

/// The host of an `https://` URL without user or port whose characters
/// neither end a Markdown link nor open HTML or a code span (no space, `(`,
/// `)`, `<`, `>`, `` ` ``, quotes, backslashes, controls).
fn plain_https_host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let plain = url
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&*+,;=%".contains(c));
    (plain && !host.is_empty() && host.split('.').all(is_label)).then_some(host)
}

/// mongodb.com, mongodb.org, or a host under either.
fn on_mongodb(host: &str) -> bool {
    ["mongodb.com", "mongodb.org"].iter().any(|domain| {
        host == *domain
            || host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1)
    })
}

/// A DNS label: letters, digits and inner hyphens.
fn is_label(label: &str) -> bool {
    !label.is_empty()
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_pages_on_mongodb_com_are_references() {
        assert!(is_mongodb_reference(
            "https://www.mongodb.com/docs/api/doc/atlas-admin-api-v2/operation/operation-listclusters"
        ));
        assert!(is_mongodb_reference("https://mongodb.com/docs?x=1#top"));
        assert!(is_mongodb_reference(
            "https://dochub.mongodb.org/core/index-definitions-fts"
        ));
        for url in [
            "http://www.mongodb.com/docs",
            "https://www.mongodb.com.evil.example/docs",
            "https://evilmongodb.com/docs",
            "https://www.mongodb.com@evil.example/docs",
            "https://www.mongodb.com:8443/docs",
            "https://.mongodb.com/docs",
            "https://www.mongodb.com/docs) [x](https://evil.example",
            "https://www.mongodb.com/docs/<script>",
            "https://www.mongodb.com/docs/`code`",
            "https://www.mongodb.com/docs/a b",
            "https://www.mongodb.com/docs/\n# heading",
            "javascript:alert(1)",
            "",
        ] {
            assert!(!is_mongodb_reference(url), "{url:?}");
        }
    }

    #[test]
    fn facts_are_read_as_the_schema_writes_them() {
        let schema: Schema = serde_yaml::from_str(
            "{type: string, format: date-time, pattern: '^[a-z]+$', minLength: 1, maxLength: 64, default: abc}",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let facts = of(&schema);
        assert_eq!(facts.format.as_deref(), Some("date-time"));
        assert_eq!(facts.pattern.as_deref(), Some("^[a-z]+$"));
        assert_eq!((facts.min_length, facts.max_length), (Some(1), Some(64)));
        assert_eq!(facts.default.as_deref(), Some("\"abc\""));
        let schema: Schema = serde_yaml::from_str("{type: integer, minimum: 1, maximum: 500, exclusiveMaximum: true}")
            .unwrap_or_else(|e| panic!("{e}"));
        let facts = of(&schema);
        assert_eq!(
            (facts.minimum, facts.maximum),
            (Some((1.0, false)), Some((500.0, true)))
        );
    }
}
