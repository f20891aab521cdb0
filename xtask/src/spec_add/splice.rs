//! Our spec edited as YAML text: a block put where it belongs (under
//! `paths:` or `components:`), so the file's comments and formatting stay.

use serde_json::{Map, Value};

/// `value` as YAML under `key`, indented by `indent` spaces.
fn block(key: &str, value: &Value, indent: usize) -> Result<String, String> {
    let mut map = Map::new();
    map.insert(key.to_string(), value.clone());
    let yaml = serde_yaml::to_string(&Value::Object(map)).map_err(|e| e.to_string())?;
    let pad = " ".repeat(indent);
    Ok(yaml.lines().map(|l| format!("{pad}{l}\n")).collect())
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The line index where the block that starts at `start` (a key at
/// `indent`) ends: the next non-blank, non-comment line indented `indent`
/// or less, or the end.
fn block_end(lines: &[&str], start: usize, indent: usize) -> usize {
    (start + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            !l.trim().is_empty() && !l.trim_start().starts_with('#') && indent_of(l) <= indent
        })
        .unwrap_or(lines.len())
}

/// The line of `key:` at `indent` within lines `from..to`.
fn key_line(lines: &[&str], from: usize, to: usize, indent: usize, key: &str) -> Option<usize> {
    let quoted = serde_yaml::to_string(&Value::String(key.to_string())).ok()?;
    let quoted = quoted.trim_end();
    (from..to).find(|&i| {
        let l = lines[i];
        indent_of(l) == indent && {
            let t = l.trim_start();
            [key, quoted].iter().any(|k| {
                t.strip_prefix(k)
                    .and_then(|r| r.strip_prefix(':'))
                    .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace))
            })
        }
    })
}

fn splice(lines: &[&str], at: usize, remove: usize, insert: &str) -> String {
    let mut out = String::new();
    for l in &lines[..at] {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(insert);
    for l in &lines[at + remove..] {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// `key: {}` (an empty flow mapping) as `key:` for the `(indent, key)`
/// pairs given, so a block can go under it. Nothing else is touched.
fn open_empty(text: &str, keys: &[(usize, &str)]) -> String {
    text.lines()
        .map(|l| {
            let opened = keys
                .iter()
                .any(|(indent, key)| indent_of(l) == *indent && l.trim() == format!("{key}: {{}}"));
            if opened {
                format!(
                    "{}:\n",
                    l.trim_end().trim_end_matches("{}").trim_end().trim_end_matches(':')
                )
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

pub(super) fn put_operation(text: &str, path: &str, method: &str, op: &Value) -> Result<String, String> {
    let text = open_empty(text, &[(0, "paths")]);
    let lines: Vec<&str> = text.lines().collect();
    let paths = key_line(&lines, 0, lines.len(), 0, "paths").ok_or("our spec has no `paths:`")?;
    let paths_end = block_end(&lines, paths, 0);
    match key_line(&lines, paths + 1, paths_end, 2, path) {
        Some(item) => {
            let item_end = block_end(&lines, item, 2);
            match key_line(&lines, item + 1, item_end, 4, method) {
                Some(m) => {
                    let m_end = block_end(&lines, m, 4);
                    Ok(splice(&lines, m, m_end - m, &block(method, op, 4)?))
                }
                None => Ok(splice(&lines, item_end, 0, &block(method, op, 4)?)),
            }
        }
        None => {
            let mut item = Map::new();
            item.insert(method.to_string(), op.clone());
            Ok(splice(&lines, paths_end, 0, &block(path, &Value::Object(item), 2)?))
        }
    }
}

pub(super) fn put_component(text: &str, section: &str, name: &str, value: &Value) -> Result<String, String> {
    let text = open_empty(text, &[(0, "components"), (2, section)]);
    let lines: Vec<&str> = text.lines().collect();
    let Some(components) = key_line(&lines, 0, lines.len(), 0, "components") else {
        let mut sec = Map::new();
        sec.insert(name.to_string(), value.clone());
        let mut comp = Map::new();
        comp.insert(section.to_string(), Value::Object(sec));
        return Ok(splice(
            &lines,
            lines.len(),
            0,
            &block("components", &Value::Object(comp), 0)?,
        ));
    };
    let comp_end = block_end(&lines, components, 0);
    match key_line(&lines, components + 1, comp_end, 2, section) {
        Some(sec) => {
            let sec_end = block_end(&lines, sec, 2);
            Ok(splice(&lines, sec_end, 0, &block(name, value, 4)?))
        }
        None => {
            let mut sec = Map::new();
            sec.insert(name.to_string(), value.clone());
            Ok(splice(&lines, comp_end, 0, &block(section, &Value::Object(sec), 2)?))
        }
    }
}
