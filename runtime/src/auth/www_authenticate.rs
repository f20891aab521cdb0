//! Reading `WWW-Authenticate` challenges (RFC 9110 section 11.6.1) and
//! the parameters of an `Authorization` header: for any scheme that reads
//! a challenge (digest here; the fake reads digest answers with it).

use std::collections::BTreeMap;

/// Parses the `key=value, key="quoted"` list after the scheme name (of an
/// `Authorization: Digest` header, as the fake server reads it).
#[cfg(feature = "fake")]
pub(crate) fn parse_params(s: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',')).collect();
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            break;
        }
        if chars.next_if_eq(&'=').is_none() {
            out.insert(key, String::new());
            continue;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| *c != ','))
                .collect::<String>()
                .trim()
                .to_string();
        }
        out.insert(key, value);
    }
    out
}

/// One challenge of a `WWW-Authenticate` header: a scheme and its
/// parameters (keys in lower case; a token68 is kept under the key `""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawChallenge {
    pub scheme: String,
    pub params: BTreeMap<String, String>,
}

/// Splits one `WWW-Authenticate` value into its challenges (RFC 9110
/// section 11.6.1): `Bearer realm="x", Digest realm="y", nonce="z"` is two.
/// Never panics; what cannot be read is skipped.
pub(crate) fn parse_challenges(header: &str) -> Vec<RawChallenge> {
    let chars: Vec<char> = header.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let is_sep = |c: char| c.is_whitespace() || c == ',';
    let token_end = |mut j: usize| {
        while j < chars.len() && !is_sep(chars[j]) && chars[j] != '=' && chars[j] != '"' {
            j += 1;
        }
        j
    };
    let skip_spaces = |mut j: usize| {
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        j
    };
    loop {
        while i < chars.len() && is_sep(chars[i]) {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let end = token_end(i);
        if end == i {
            // A stray '=' or '"': skip one character and go on.
            i += 1;
            continue;
        }
        let scheme: String = chars[i..end].iter().collect();
        i = end;
        let mut params = BTreeMap::new();
        loop {
            let start = skip_spaces(i);
            let mut j = start;
            while j < chars.len() && chars[j] == ',' {
                j = skip_spaces(j + 1);
            }
            let key_end = token_end(j);
            if key_end == j {
                i = j;
                if j < chars.len() && chars[j] == '=' {
                    // Stray '=' (the tail of a token68): skip it.
                    i = j + 1;
                    continue;
                }
                if j < chars.len() && chars[j] == '"' {
                    // A quoted string where a key belongs: skip it whole.
                    i = skip_quoted(&chars, j).1;
                    continue;
                }
                break;
            }
            let key: String = chars[j..key_end].iter().collect();
            let after = skip_spaces(key_end);
            if after < chars.len() && chars[after] == '=' {
                let value_start = skip_spaces(after + 1);
                if value_start >= chars.len() || chars[value_start] == '=' || chars[value_start] == ',' {
                    // A token68 such as `abc==`.
                    let mut k = after;
                    while k < chars.len() && chars[k] == '=' {
                        k += 1;
                    }
                    let tail: String = chars[after..k].iter().collect();
                    params.insert(String::new(), format!("{key}{tail}"));
                    i = k;
                    continue;
                }
                let (value, next) = if chars[value_start] == '"' {
                    skip_quoted(&chars, value_start)
                } else {
                    let mut k = value_start;
                    while k < chars.len() && !is_sep(chars[k]) {
                        k += 1;
                    }
                    (chars[value_start..k].iter().collect(), k)
                };
                params.insert(key.to_ascii_lowercase(), value);
                i = next;
            } else if params.is_empty() && j == skip_spaces(i) && (after >= chars.len() || chars[after] == ',') {
                // A token68 without padding right after the scheme.
                params.insert(String::new(), key);
                i = after;
            } else {
                // The next challenge's scheme.
                i = j;
                break;
            }
        }
        out.push(RawChallenge { scheme, params });
    }
    out
}

/// A quoted string starting at `start` (a '"'): its unescaped value and the
/// index after the closing quote (or the end).
fn skip_quoted(chars: &[char], start: usize) -> (String, usize) {
    let mut value = String::new();
    let mut k = start + 1;
    while k < chars.len() {
        match chars[k] {
            '\\' if k + 1 < chars.len() => {
                value.push(chars[k + 1]);
                k += 2;
            }
            '"' => return (value, k + 1),
            c => {
                value.push(c);
                k += 1;
            }
        }
    }
    (value, k)
}
