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
