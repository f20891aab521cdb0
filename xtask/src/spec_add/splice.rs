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
    let empty: Vec<(usize, String)> = keys
        .iter()
        .map(|(indent, key)| (*indent, format!("{key}: {{}}")))
        .collect();
    let mut out = String::with_capacity(text.len() + 1);
    for l in text.lines() {
        if empty.iter().any(|(indent, e)| l.trim() == e && indent_of(l) == *indent) {
            out.push_str(l.trim_end().trim_end_matches("{}").trim_end().trim_end_matches(':'));
            out.push(':');
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    out
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

/// `components` (name -> value) added to `section` of `components:`, after
/// what the section holds, in the map's order; the section (and
/// `components:`) made where missing.
pub(super) fn put_components(text: &str, section: &str, components: &Map<String, Value>) -> Result<String, String> {
    let text = open_empty(text, &[(0, "components"), (2, section)]);
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = key_line(&lines, 0, lines.len(), 0, "components") else {
        let mut comp = Map::new();
        comp.insert(section.to_string(), Value::Object(components.clone()));
        return Ok(splice(
            &lines,
            lines.len(),
            0,
            &block("components", &Value::Object(comp), 0)?,
        ));
    };
    let comp_end = block_end(&lines, at, 0);
    match key_line(&lines, at + 1, comp_end, 2, section) {
        Some(sec) => {
            let blocks = components
                .iter()
                .map(|(name, value)| block(name, value, 4))
                .collect::<Result<String, String>>()?;
            Ok(splice(&lines, block_end(&lines, sec, 2), 0, &blocks))
        }
        None => Ok(splice(
            &lines,
            comp_end,
            0,
            &block(section, &Value::Object(components.clone()), 2)?,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn two() -> Map<String, Value> {
        let Value::Object(m) = json!({"B": {"type": "string"}, "A": {"type": "integer"}}) else {
            unreachable!()
        };
        m
    }

    /// Components go after what their section holds, the section and
    /// `components:` made where missing; comments stay.
    #[test]
    fn components_go_at_the_end_of_their_section() {
        let has = "# top\nopenapi: 3.0.3\ncomponents:\n  schemas:\n    Z: {type: boolean}\n  # after\n";
        let text = put_components(has, "schemas", &two()).unwrap();
        assert!(text.starts_with("# top\n") && text.contains("  # after\n"), "{text}");
        let names: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
            .collect();
        assert_eq!(names, ["    Z: {type: boolean}", "    A:", "    B:"], "{text}");
        let parsed: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(parsed["components"]["schemas"]["Z"], json!({"type": "boolean"}));
        assert_eq!(parsed["components"]["schemas"]["A"], json!({"type": "integer"}));

        for (text, section) in [
            ("openapi: 3.0.3\n", "schemas"),
            ("openapi: 3.0.3\ncomponents: {}\n", "schemas"),
            ("openapi: 3.0.3\ncomponents:\n  schemas: {}\n", "schemas"),
            (
                "openapi: 3.0.3\ncomponents:\n  schemas:\n    Z: {type: boolean}\n",
                "responses",
            ),
        ] {
            let out = put_components(text, section, &two()).unwrap();
            let parsed: Value = serde_yaml::from_str(&out).unwrap();
            assert_eq!(parsed["components"][section], Value::Object(two()), "{out}");
            assert_eq!(parsed["openapi"], "3.0.3");
        }
    }
}
