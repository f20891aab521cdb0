//! Rust names for spec names: casing by heck, reserved words, collisions.

use crate::error::{Error, Pointer};
use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words a Rust identifier cannot be (strict and reserved keywords of every
/// edition, plus names that would shadow what generated code relies on).
const RESERVED: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that would shadow the prelude or what `models/` imports.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Serialize",
    "Deserialize",
];

/// Words for punctuation, so enum values such as `<` or `>=` get names.
fn symbol_word(c: char) -> String {
    match c {
        '<' => "Lt".into(),
        '>' => "Gt".into(),
        '=' => "Eq".into(),
        '!' => "Not".into(),
        '+' => "Plus".into(),
        '-' => "Minus".into(),
        '*' => "Star".into(),
        '/' => "Slash".into(),
        '.' => "Dot".into(),
        '%' => "Percent".into(),
        '&' => "And".into(),
        '|' => "Or".into(),
        '~' => "Tilde".into(),
        '_' => "Underscore".into(),
        ' ' => "Space".into(),
        c => format!("U{:X}", c as u32),
    }
}

/// Keeps only characters that may appear in an identifier; anything else
/// separates words.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `snake_case` name for a field, parameter, method or module.
pub fn snake(raw: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s.push_str("value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if RESERVED.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// `SHOUTY_SNAKE_CASE` name for a `static`, from a Rust name.
pub fn shouty(name: &str) -> String {
    name.to_shouty_snake_case()
}

/// The `static` of a tag module that holds its `n`th distinct path
/// pattern (counted from 0, in order of first use).
pub fn pattern_static(n: usize) -> String {
    format!("PATTERN_{n}")
}

/// The `static` of `generated/fake.rs` that holds the route table of the
/// tag whose module is `module`.
pub fn fake_table(module: &str) -> String {
    format!("OPERATIONS_{}", shouty(module))
}

/// `UpperCamelCase` name for a type.
pub fn camel(raw: &str) -> String {
    let mut s = variant(raw);
    if RESERVED_TYPES.contains(&s.as_str()) {
        s.push_str("Model");
    }
    s
}

/// `UpperCamelCase` name for an enum variant.
pub fn variant(raw: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = raw.chars().map(symbol_word).collect();
    }
    if s.is_empty() {
        s.push_str("Value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s.push_str("Value");
    }
    s
}

/// Names the emitted `models/` files use unqualified: a schema may not take them.
pub const MODEL_SCOPE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Vec",
    "String",
    "Box",
    "Result",
    "Ok",
    "Err",
    "BTreeMap",
    "Deserialize",
    "Serialize",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Ord",
    "PartialOrd",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "ToString",
    "Iterator",
    "Self",
    // Type parameters and the visitor of the written-out serde impls.
    "A",
    "D",
    "S",
    "V",
];

/// Names `models/mod.rs` imports, beside which it declares one module per
/// tag with models of its own: a tag module may not take them.
pub const MODELS_MOD_SCOPE: &[&str] = &["serde", "serde_json", "models"];

/// Names a tag's module uses besides its group and builders.
pub const TAG_MODULE_SCOPE: &[&str] = &[
    "Client", "Error", "Response", "Result", "Option", "Vec", "String", "Box", "Some", "None", "Ok", "Err", "Self",
    "Into", "Default", "Clone", "Debug",
];

/// Methods of the generated `Client` (and, through `Deref`, of the
/// runtime's) that a tag accessor must not shadow, and cargo feature names
/// the generated manifest already uses.
pub const CLIENT_SCOPE: &[&str] = &[
    "builder",
    "from_env",
    "config",
    "clone",
    "fmt",
    "default",
    "full",
    "fake",
    "send_json",
    "send_bytes",
    "send_empty",
    "call_json",
    "call_bytes",
    "call_empty",
    "deref",
    "from",
    "into",
    "runtime",
];

/// Methods of an operation group besides its operations.
pub const GROUP_SCOPE: &[&str] = &["new", "clone", "fmt", "client"];

/// Fields and methods of a request builder besides its parameters' setters.
pub const BUILDER_SCOPE: &[&str] = &[
    "body",
    "client",
    "send",
    "send_all",
    "pages",
    "items",
    "send_and_wait",
    // A call's own settings (runtime::CallOptions): the field and its setters.
    "call_options",
    "timeout",
    "deadline",
    "retry_policy",
    "clone",
    "fmt",
    "into",
];

/// The names taken in one Rust namespace. `claim` returns `wanted` if it is
/// free and otherwise the first free `wanted2`, `wanted3`, ... (used where
/// the order of claims is fixed: sorted names, reserved words).
/// [`claim_for`](Self::claim_for) is for names of spec elements whose order
/// the spec decides: a collision there is an error naming both places.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
    /// Names claimed for a spec element, with its JSON pointer.
    owners: std::collections::BTreeMap<String, String>,
}

impl Namespace {
    /// A namespace whose `reserved` names are taken (spec names that meet
    /// them move on to `name2`).
    pub fn reserved(reserved: &[&str]) -> Self {
        let mut ns = Namespace::default();
        for name in reserved {
            ns.claim(name);
        }
        ns
    }

    /// Claims `wanted` for the spec element at `pointer`. A name that only a
    /// reserved word holds moves on to `wanted2`; a name another spec
    /// element holds is an error: which of the two would get the suffix
    /// would depend on the order of the spec.
    pub fn claim_for(&mut self, wanted: &str, pointer: &str) -> Result<String, String> {
        let mut candidate = wanted.to_string();
        let mut n = 1;
        loop {
            if let Some(owner) = self.owners.get(&candidate) {
                return Err(format!(
                    "the Rust name `{candidate}` would be used twice: by {owner} and by {pointer}; rename one \
                     (operationIds and tags must stay distinct after case conversion)"
                ));
            }
            if self.taken.insert(candidate.clone()) {
                self.owners.insert(candidate.clone(), pointer.to_string());
                return Ok(candidate);
            }
            n += 1;
            let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
                "_"
            } else {
                ""
            };
            candidate = format!("{wanted}{sep}{n}");
        }
    }

    /// [`claim_for`](Self::claim_for) of the spec element at `ptr`, whose
    /// collision is an error at `ptr`; `what` names the element in the
    /// message (its pointer, or a value and where it is).
    pub fn claim_at(&mut self, wanted: &str, ptr: &Pointer, what: &str) -> Result<String, Error> {
        self.claim_for(wanted, what).map_err(|m| Error::at(ptr, m))
    }

    /// Claims `wanted`, or the first free `wanted2`, `wanted3`, ...: for
    /// reserved words and the catch-all variant, claimed after every
    /// spec name, so the result does not depend on the spec's order.
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always finds a free name")
    }
}

/// The Rust names of `wires` (in their order), claimed in `ns` in the
/// order of the wire text: where two meet after `case`, the later text
/// gets the suffix, whatever order the spec lists them in.
pub fn claim_sorted(ns: &mut Namespace, wires: &[&str], case: impl Fn(&str) -> String) -> Vec<String> {
    let mut order: Vec<usize> = (0..wires.len()).collect();
    order.sort_by_key(|&i| wires[i]);
    let mut out = vec![String::new(); wires.len()];
    for i in order {
        out[i] = ns.claim(&case(wires[i]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_and_keywords() {
        assert_eq!(snake("orgId"), "org_id");
        assert_eq!(snake("PROJECT-ID"), "project_id");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("$count"), "count");
        assert_eq!(snake("24h"), "_24h");
        assert_eq!(camel("ApiHostView_Atlas"), "ApiHostViewAtlas");
        assert_eq!(camel("Self"), "SelfValue");
        assert_eq!(camel("String"), "StringModel");
        assert_eq!(variant("String"), "String");
        assert_eq!(variant("<"), "Lt");
        assert_eq!(variant(">="), "GtEq");
        assert_eq!(variant("Self"), "SelfValue");
        assert_eq!(camel("M10"), "M10");
        assert_eq!(camel("2023-01-01"), "V20230101");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("group_id"), "group_id");
        assert_eq!(ns.claim("group_id"), "group_id2");
        assert_eq!(ns.claim("v1"), "v1");
        assert_eq!(ns.claim("v1"), "v1_2");
    }
}
