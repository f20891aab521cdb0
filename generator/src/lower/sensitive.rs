//! Which fields hold secrets, and which secrets each operation version's
//! bodies can carry. A field is sensitive when:
//! - our spec marks it `x-sensitive: true` (or clears the name rule below
//!   with `x-sensitive: false`; any other value is an error at its
//!   pointer);
//! - its schema has `format: password`;
//! - or it holds text and its wire name is a secret's ([`secret_name`]).
//!
//! A sensitive field's `Debug` prints a mask, and a recording scrubs its
//! value wherever its wire name appears in the bodies of an operation
//! version that can hold it ([`Version::sensitive`]).

use crate::error::{Error, Pointer};
use crate::model::type_ref::TypeRef;
use crate::model::{Tag, TypeDef};
use heck::ToSnakeCase;
use std::collections::{BTreeMap, BTreeSet};

/// The extension that marks a property sensitive, or not.
pub(crate) const EXTENSION: &str = "x-sensitive";

/// Whether a property is sensitive: `x-sensitive` when the spec gives it,
/// else `format: password`, else a text value with a secret's name.
pub(crate) fn field(wire: &str, ty: &TypeRef, format: Option<&str>, marked: Option<bool>) -> bool {
    marked.unwrap_or_else(|| format == Some("password") || (*ty == TypeRef::String && secret_name(wire)))
}

/// `x-sensitive` of a property: `Some(flag)`, `None` when absent, an error
/// at its pointer when it is not a boolean.
pub(crate) fn marked(
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
    ptr: &Pointer,
) -> Result<Option<bool>, Error> {
    match extensions.get(EXTENSION) {
        None => Ok(None),
        Some(serde_json::Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(Error::at(
            &ptr.push(EXTENSION),
            format!("{EXTENSION} must be true or false, not {other}"),
        )),
    }
}

/// Words that end a secret's name.
const SECRET_LAST_WORDS: [&str; 4] = ["password", "passphrase", "secret", "token"];
/// Words that make a name ending in `key` a secret's (`privateKey`,
/// `apiKey`, `secretAccessKey`).
const SECRET_KEY_WORDS: [&str; 3] = ["private", "api", "secret"];
/// Words that make a name no secret's: a masked copy or a public half.
const NOT_SECRET_WORDS: [&str; 2] = ["masked", "public"];

/// Whether a wire name is a secret's. Split into words (camelCase, `_`,
/// `-`), the last word is `password`, `passphrase`, `secret` or `token`,
/// or it is `key` and another word is `private`, `api` or `secret`; and no
/// word is `masked` or `public`. So `linkToken`, `bindPassword`,
/// `clientSecret`, `privateKey`, `apiKey` are; `tokenType`, `secretCount`,
/// `tokens`, `maskedSecretValue`, `publicKey`, `apiKeyId` and `key` are not.
pub(crate) fn secret_name(wire: &str) -> bool {
    let spaced: String = wire
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let snake = spaced.to_snake_case();
    let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
    let Some((last, before)) = words.split_last() else {
        return false;
    };
    if words.iter().any(|w| NOT_SECRET_WORDS.contains(w)) {
        return false;
    }
    SECRET_LAST_WORDS.contains(last) || (*last == "key" && before.iter().any(|w| SECRET_KEY_WORDS.contains(w)))
}

/// Settles [`Version::sensitive`](crate::model::Version::sensitive): the
/// wire names of the sensitive fields of every type its request and
/// response bodies reach.
pub(crate) fn settle_versions(tags: &mut [Tag], types: &BTreeMap<String, TypeDef>) {
    let mut memo: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for v in tags
        .iter_mut()
        .flat_map(|t| &mut t.operations)
        .flat_map(|o| &mut o.versions)
    {
        let roots = v.request.iter().map(|b| &b.ty).chain(&v.response);
        let mut names = BTreeSet::new();
        for root in roots {
            let Some(name) = root.named() else { continue };
            let found = memo
                .entry(name.to_string())
                .or_insert_with(|| reached_sensitive(name, types));
            names.extend(found.iter().cloned());
        }
        v.sensitive = names.into_iter().collect();
    }
}

/// The sensitive fields' wire names of `root` and every type it reaches.
fn reached_sensitive(root: &str, types: &BTreeMap<String, TypeDef>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![root.to_string()];
    let mut out = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = types.get(&name) else { continue };
        if let TypeDef::Struct(s) = def {
            out.extend(s.fields.iter().filter(|f| f.sensitive).map(|f| f.name.clone()));
        }
        todo.extend(
            def.type_refs()
                .into_iter()
                .filter_map(|t| t.named().map(str::to_string)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse;
    use crate::lower::lower;
    use crate::model::TypeDef;

    #[test]
    fn secret_names_by_their_last_words() {
        for name in [
            "password",
            "bindPassword",
            "sslKeyPassword",
            "linkToken",
            "access_token",
            "token",
            "clientSecret",
            "secret",
            "webhookSecret",
            "privateKey",
            "apiKey",
            "datadogApiKey",
            "destinationOrgPrivateApiKey",
            "secretAccessKey",
            "passphrase",
        ] {
            assert!(secret_name(name), "{name} is a secret's name");
        }
        for name in [
            "tokenType",
            "tokens",
            "tokenCount",
            "secretCount",
            "secretExpiresAfterHours",
            "maskedSecretValue",
            "maskedSecret",
            "publicKey",
            "destinationOrgPublicApiKey",
            "apiKeyId",
            "key",
            "customShardKey",
            "idleRefreshTokenLifetime",
            "name",
            "",
        ] {
            assert!(!secret_name(name), "{name} is not a secret's name");
        }
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/users:
    post:
      operationId: createUser
      tags: [Users]
      requestBody:
        content:
          application/vnd.atlas.2023-01-01+json:
            schema: {$ref: "#/components/schemas/User"}
      responses:
        "201":
          description: ok
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {$ref: "#/components/schemas/Page"}
components:
  schemas:
    Page:
      type: object
      properties:
        results: {type: array, items: {$ref: "#/components/schemas/User"}}
        tokenType: {type: string}
    User:
      type: object
      properties:
        name: {type: string}
        password: {type: string, writeOnly: true}
        hint: {type: string, format: password}
        apiKey: {$ref: "#/components/schemas/Key"}
        recoveryCode: {type: string, x-sensitive: true}
        sessionToken: {type: string, x-sensitive: false}
    Key:
      type: object
      properties:
        privateKey: {type: string}
        publicKey: {type: string}
"##;

    fn sensitive_fields(spec: &str, ty: &str) -> Vec<String> {
        let api = lower(&parse(spec).unwrap()).unwrap();
        let Some(TypeDef::Struct(s)) = api.types.get(ty) else {
            panic!("no struct {ty}")
        };
        s.fields
            .iter()
            .filter(|f| f.sensitive)
            .map(|f| f.name.clone())
            .collect()
    }

    /// The name rule, `format: password` and `x-sensitive` (both ways); a
    /// field holding a model is never sensitive by its name.
    #[test]
    fn fields_are_sensitive_by_mark_format_or_name() {
        assert_eq!(sensitive_fields(SPEC, "User"), ["password", "hint", "recoveryCode"]);
        assert_eq!(sensitive_fields(SPEC, "Key"), ["privateKey"]);
        assert!(sensitive_fields(SPEC, "Page").is_empty());
    }

    /// A version's set holds what its request and its answer reach, nested
    /// types included.
    #[test]
    fn a_version_lists_the_secrets_its_bodies_reach() {
        let api = lower(&parse(SPEC).unwrap()).unwrap();
        let v = &api.tags[0].operations[0].versions[0];
        assert_eq!(v.sensitive, ["hint", "password", "privateKey", "recoveryCode"]);
    }

    #[test]
    fn a_mark_that_is_not_a_boolean_is_an_error_at_its_pointer() {
        let spec = SPEC.replace("x-sensitive: true", "x-sensitive: yes please");
        let err = lower(&parse(&spec).unwrap()).unwrap_err();
        assert_eq!(
            err.pointer, "/components/schemas/User/properties/recoveryCode/x-sensitive",
            "{err}"
        );
        assert!(err.message.contains("true or false"), "{err}");
    }
}
