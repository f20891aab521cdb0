//! Text from the spec is data. Before it lands in generated output it is
//! made inert for the place it lands in:
//! - rustdoc (Markdown): no control characters (a bare CR breaks the build),
//!   no code fences or indented code blocks (rustdoc would compile and run
//!   them as doctests), no raw HTML (`<` is escaped outside code spans);
//! - a one-line comment (`//` in Rust, `#` in TOML): no line breaks or other
//!   control characters, so nothing after them becomes code or config.
//!
//! String literals need nothing here: `quote` escapes them.

/// Characters that change how text reads rather than what it says:
/// controls, line and paragraph separators, and the bidirectional overrides
/// and isolates of "Trojan Source" (rustc refuses them in comments).
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}'
        )
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Control characters as visible escapes (`\r`, `\u{1b}`, `\u{202e}`).
fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// One line of a `//` or `#` comment.
pub fn comment_line(text: &str) -> String {
    escape_controls(text)
}

/// One line of Markdown for a `#[doc]` attribute, as it will be rendered:
/// `indent` spaces of our choosing (list continuations), then the line with
/// its own leading white space removed, fences neutralised, control
/// characters and `<` (outside code spans) escaped.
pub fn doc_line(line: &str, indent: usize) -> String {
    let body = escape_controls(line.trim());
    let mut out = " ".repeat(indent);
    if body.starts_with("```") || body.starts_with("~~~") {
        out.push('\\');
    }
    let mut in_code = false;
    for c in body.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("\\<"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_from_the_spec_becomes_code() {
        assert_eq!(comment_line("x\n[patch.crates-io]"), "x\\n[patch.crates-io]");
        assert_eq!(doc_line("```", 0), "\\```");
        assert_eq!(doc_line("    panic!()", 0), "panic!()");
        assert_eq!(doc_line("~~~rust", 2), "  \\~~~rust");
        assert_eq!(doc_line("a\rb */ \"#", 0), "a\\rb */ \"#");
        assert_eq!(doc_line("<script>`Vec<u8>`", 0), "\\<script>`Vec<u8>`");
        assert_eq!(doc_line("a\u{202e}b\u{2066}", 0), "a\\u{202e}b\\u{2066}");
    }
}
