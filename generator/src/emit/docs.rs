//! Rustdoc text: paragraphs of spec prose (made inert by `prose`) and our
//! own sentences, as `#[doc]` lines.

use crate::model::*;
use crate::prose;
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines from paragraphs, blank-line separated.
pub(crate) fn doc_lines<S: AsRef<str>>(paragraphs: &[Option<S>]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().flatten() {
        let p = p.as_ref().trim();
        if p.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        // Markdown: a line that continues a list item is indented under it,
        // so rustdoc (and clippy's doc_lazy_continuation) read it as part of
        // the item. No other indentation is kept: four spaces would open a
        // code block, which rustdoc runs as a doctest (see `prose`).
        let mut item_indent: Option<usize> = None;
        for line in p.lines().map(str::trim_end) {
            if line.trim().is_empty() {
                item_indent = None;
                lines.push(String::new());
            } else if let Some(marker) = list_marker(line.trim_start()) {
                item_indent = Some(marker);
                lines.push(prose::doc_line(line, 0));
            } else {
                lines.push(prose::doc_line(line, item_indent.unwrap_or(0)));
            }
        }
    }
    let lines = lines
        .iter()
        .map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #(#[doc = #lines])* }
}

/// The width of a Markdown list marker (`- `, `* `, `1. `) opening `line`.
pub(crate) fn list_marker(line: &str) -> Option<usize> {
    let body = line.trim_start();
    let lead = line.len() - body.len();
    if body.starts_with("- ") || body.starts_with("* ") || body.starts_with("+ ") {
        return Some(lead + 2);
    }
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && body[digits..].starts_with(". ") {
        return Some(lead + digits + 2);
    }
    None
}

pub(crate) fn version_text(v: &Version) -> String {
    match &v.label {
        VersionLabel::Date(d) => format!("resource version {d}"),
        VersionLabel::Preview => "the preview version".to_string(),
        VersionLabel::Unversioned => "the unversioned API".to_string(),
    }
}

/// `text` as an inert Markdown code span: control characters and
/// backticks as visible escapes (`\u{60}`), so the span is always one
/// backtick on each side and nothing in it can close it. Spec text in a
/// code span renders as written: no HTML, no link, no emphasis.
pub(crate) fn code(text: &str) -> String {
    let text = prose::comment_line(text).replace('`', "\\u{60}");
    if text.is_empty() {
        return "` `".to_string();
    }
    format!("`{text}`")
}

/// One line of what the spec states of a field, as facts: its wire name,
/// format, pattern, bounds, lengths, default, whether Atlas sets it or only
/// accepts it, and whether it is a secret. Every piece of spec text in it
/// is a [`code`] span; the rest is our words.
pub(crate) fn field_facts(f: &Field) -> String {
    let facts = &f.facts;
    let mut parts = vec![format!("wire name {}", code(&f.name))];
    if let Some(format) = &facts.format {
        parts.push(format!("format {}", code(format)));
    }
    if let Some(pattern) = &facts.pattern {
        parts.push(format!("pattern {}", code(pattern)));
    }
    let bounds: Vec<String> = [
        facts
            .minimum
            .map(|(m, exclusive)| bound(m, exclusive, "greater than", "at least")),
        facts
            .maximum
            .map(|(m, exclusive)| bound(m, exclusive, "less than", "at most")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !bounds.is_empty() {
        parts.push(bounds.join(" and "));
    }
    if let Some(range) = span(facts.min_length, facts.max_length) {
        parts.push(format!("length {range}"));
    }
    if let Some(range) = span(facts.min_items, facts.max_items) {
        parts.push(format!("items {range}"));
    }
    if let Some(default) = &facts.default {
        parts.push(format!("default {}", code(default)));
    }
    if f.read_only {
        parts.push("read-only: set by Atlas, never sent".to_string());
    }
    if f.write_only {
        parts.push("write-only: Atlas accepts it and never answers with it".to_string());
    }
    if f.sensitive {
        parts.push("sensitive: `Debug` prints a mask in its place".to_string());
    }
    let mut line = parts.join("; ");
    if let Some(first) = line.get(..1) {
        line.replace_range(..1, &first.to_ascii_uppercase());
    }
    format!(" {line}.")
}

/// `at least 1`, `less than 100`: a bound as the spec writes it.
fn bound(value: f64, exclusive: bool, strict: &str, inclusive: &str) -> String {
    format!("{} {value}", if exclusive { strict } else { inclusive })
}

/// `1 to 64`, `at least 1`, `at most 64`.
fn span(min: Option<usize>, max: Option<usize>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{min} to {max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    }
}

/// A Rust type name as words: `AwsHardwareSpec20240805` is
/// `Aws Hardware Spec 20240805` (for a model the spec does not describe).
pub(crate) fn words(name: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in name.chars() {
        if let Some(p) = prev {
            let new_word = (c.is_ascii_uppercase() && !p.is_ascii_uppercase())
                || (c.is_ascii_digit() && !p.is_ascii_digit())
                || (!c.is_ascii_digit() && p.is_ascii_digit());
            if new_word {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// The feature an item needs, in words (its `doc(cfg)` shows it on
/// docs.rs too).
pub(crate) fn needs_feature(feature: &str) -> String {
    format!("Needs the cargo feature `{feature}`.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_text_in_a_code_span_stays_in_it() {
        assert_eq!(code("stateName"), "`stateName`");
        assert_eq!(code("a`b"), "`a\\u{60}b`");
        assert_eq!(code("```"), "`\\u{60}\\u{60}\\u{60}`");
        assert_eq!(code(""), "` `");
        assert_eq!(code("<b>\n"), "`<b>\\n`");
    }

    #[test]
    fn names_become_words() {
        assert_eq!(words("AwsHardwareSpec20240805"), "Aws Hardware Spec 20240805");
        assert_eq!(words("DiskBackupReplicaSet"), "Disk Backup Replica Set");
    }
}
