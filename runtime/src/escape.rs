//! Text that came from a server is data: before it lands in an error
//! message or a log line, control characters (CR, LF, ESC, ...) are escaped,
//! so a hostile answer cannot forge a log line or drive a terminal.

use std::fmt;

/// Displays `text` with every control character escaped (`\n`, `\r`,
/// `\u{1b}`); everything else is shown as it is.
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if is_invisible(c) {
                write!(f, "{}", c.escape_default())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

/// Controls, line and paragraph separators, and the bidirectional
/// overrides and isolates ("Trojan Source") that reorder what a reader sees.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}'
        )
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// [`Escaped`] into a new `String`.
pub fn escape(text: &str) -> String {
    Escaped(text).to_string()
}

/// The start of a body, for error messages: at most 200 characters, with
/// control characters escaped.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let head: String = text.chars().take(200).collect();
    let mut out = escape(&head);
    if text.chars().nth(200).is_some() {
        out.push('…');
    }
    out
}

/// serde's message with the contents of quoted strings hidden: serde quotes
/// the offending value (`invalid type: string "…", expected u64`), and in a
/// success body that value can be a secret (a link token, a new API key).
pub(crate) fn scrub_serde_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_quotes = false;
    let mut hidden = 0usize;
    for c in message.chars() {
        match (in_quotes, c) {
            (false, '"') => {
                in_quotes = true;
                hidden = 0;
                out.push('"');
            }
            (true, '"') => {
                in_quotes = false;
                out.push_str(&format!("<{hidden} characters hidden>\""));
            }
            (true, _) => hidden += 1,
            (false, c) => out.push(c),
        }
    }
    if in_quotes {
        out.push_str(&format!("<{hidden} characters hidden>"));
    }
    escape(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_forge_a_line() {
        assert_eq!(escape("a\r\nINFO forged"), "a\\r\\nINFO forged");
        assert_eq!(escape("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(escape("café ok"), "café ok");
        assert_eq!(escape("admin\u{202e}txt.exe"), "admin\\u{202e}txt.exe");
    }

    #[test]
    fn serde_values_are_hidden() {
        assert_eq!(
            scrub_serde_message("invalid type: string \"mdb_secret\", expected u64 at line 1 column 12"),
            "invalid type: string \"<10 characters hidden>\", expected u64 at line 1 column 12"
        );
        assert_eq!(
            scrub_serde_message("missing field `linkToken`"),
            "missing field `linkToken`"
        );
    }

    #[test]
    fn excerpts_are_short_and_escaped() {
        let long = "x".repeat(500);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), 201);
        assert_eq!(excerpt(b"<h1>502</h1>\r\n"), "<h1>502</h1>\\r\\n");
    }
}
