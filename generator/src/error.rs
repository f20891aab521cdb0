//! Generator errors: every one names the spec location as a JSON pointer.

use std::fmt;

/// Why the spec could not be turned into Rust.
///
/// `pointer` is an RFC 6901 JSON pointer into the spec document (`""` is the
/// whole document); `message` says what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub pointer: String,
    pub message: String,
}

impl Error {
    pub(crate) fn at(pointer: &Pointer, message: impl Into<String>) -> Self {
        Error {
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "the document root"
        } else {
            &self.pointer
        };
        write!(f, "spec error at {at}: {}", self.message)
    }
}

impl std::error::Error for Error {}

/// One reference token of a JSON pointer, escaped per RFC 6901 (`~` as
/// `~0`, `/` as `~1`).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer under construction. Cheap to extend; rendered on error only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pointer(String);

impl Pointer {
    pub(crate) fn root() -> Self {
        Pointer(String::new())
    }

    /// `self` extended by one reference token, escaped per RFC 6901.
    pub(crate) fn push(&self, token: impl fmt::Display) -> Self {
        Pointer(format!("{}/{}", self.0, pointer_token(&token.to_string())))
    }

    /// The pointer named by a local `$ref` (`#/components/schemas/X`).
    pub(crate) fn from_ref(reference: &str) -> Option<Self> {
        reference.strip_prefix('#').map(|p| Pointer(p.to_string()))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped() {
        let p = Pointer::root().push("paths").push("/a/{b}~c").push("get");
        assert_eq!(p.to_string(), "/paths/~1a~1{b}~0c/get");
    }
}
