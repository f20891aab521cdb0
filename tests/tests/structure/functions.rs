//! No hand-written function is longer than 100 lines (issues #18, #25): a
//! function that does one step fits on a screen or two.

use super::{rust_files, HAND_WRITTEN};
use std::path::Path;

const MAX_LINES: usize = 100;

/// Whether a line starts a function: `fn`, after any of `pub`,
/// `pub(crate)`, `async`, `const`, `unsafe`, `extern "C"`.
fn starts_fn(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    loop {
        let before = rest;
        for word in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "async ",
            "const ",
            "unsafe ",
            "extern \"C\" ",
        ] {
            rest = rest.strip_prefix(word).unwrap_or(rest);
        }
        if rest == before {
            break;
        }
    }
    let name = rest.strip_prefix("fn ")?;
    Some(
        name.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or(""),
    )
}

/// How many lines after a function's first line its body closes, or
/// `None` for a declaration (`fn f(&self);`) or a body on one line.
fn body_end(lines: &[&str], close: &str) -> Option<usize> {
    let mut opened = false;
    for (j, line) in lines.iter().enumerate() {
        let code = line.trim_end();
        if !opened {
            if code.ends_with('}') && code.contains('{') {
                return None;
            }
            if code.ends_with(';') {
                return None;
            }
            opened = code.ends_with('{');
        } else if code == close {
            return Some(j);
        }
    }
    None
}

/// The functions of rustfmt-formatted `text` longer than `max` lines, from
/// the `fn` line to the `}` at the same indentation, as `name (N lines, line L)`.
fn long_functions(text: &str, max: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = starts_fn(line) else { continue };
        let indent = &line[..line.len() - line.trim_start().len()];
        let close = format!("{indent}}}");
        let Some(end) = body_end(&lines[i..], &close) else {
            continue;
        };
        let length = end + 1;
        if length > max {
            found.push(format!("{name} ({length} lines, line {})", i + 1));
        }
    }
    found
}

#[test]
fn no_function_is_longer_than_a_hundred_lines() {
    let root = xtask::project_root();
    let mut found = Vec::new();
    for krate in HAND_WRITTEN {
        for file in rust_files(&root.join(krate)) {
            let text = std::fs::read_to_string(&file).unwrap();
            let at = file.strip_prefix(&root).unwrap_or(Path::new("?")).display().to_string();
            found.extend(
                long_functions(&text, MAX_LINES)
                    .into_iter()
                    .map(|f| format!("{at}: {f}")),
            );
        }
    }
    assert!(
        found.is_empty(),
        "functions over {MAX_LINES} lines:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_length_check_counts_from_fn_to_its_closing_brace() {
    let text = "impl A {\n    pub async fn short() {\n        one();\n    }\n\n    fn long() {\n        a();\n        b();\n        c();\n    }\n}\ntrait T {\n    fn declared(&self);\n}\n";
    assert_eq!(long_functions(text, 4), ["long (5 lines, line 6)"]);
    assert!(long_functions(text, 5).is_empty());
}
