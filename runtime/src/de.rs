//! What generated `Deserialize` impls call: the match of an object's key
//! to a field, shared by every struct, so a generated crate carries no
//! per-struct identifier visitor.

use serde::de::{DeserializeSeed, Deserializer, Error, Visitor};
use std::fmt;

/// A map key as the index of the field it names in a struct's list of
/// wire names (`None` for a key the struct does not know, recorded as a
/// [`Deviation`](crate::Deviation) of the type named first). Used as
/// `map.next_key_seed(FieldIndex("Cluster", &["name", "id"]))`.
#[derive(Debug, Clone, Copy)]
pub struct FieldIndex(pub &'static str, pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Self::Value, E> {
        let found = self.1.iter().position(|name| *name == key);
        if found.is_none() {
            crate::deviation::unknown_property(self.0, key);
        }
        Ok(found)
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        let found = self.1.iter().position(|name| name.as_bytes() == key);
        if found.is_none() {
            crate::deviation::unknown_property(self.0, &String::from_utf8_lossy(key));
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::{IgnoredAny, MapAccess};
    use serde::Deserialize;

    /// A struct written the way the generator writes one.
    #[derive(Debug, PartialEq)]
    struct Probe {
        name: String,
        size: Option<i32>,
        note: Option<Option<String>>,
    }

    impl<'de> Deserialize<'de> for Probe {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Probe;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object (Probe)")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
                    let (mut f0, mut f1, mut f2): (Option<String>, Option<i32>, Option<Option<String>>) =
                        (None, None, None);
                    while let Some(key) = map.next_key_seed(FieldIndex("Probe", &["name", "size", "note"]))? {
                        match key {
                            Some(0) => f0 = Some(map.next_value()?),
                            Some(1) => f1 = map.next_value()?,
                            Some(2) => f2 = Some(map.next_value()?),
                            _ => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                    Ok(Probe {
                        name: f0.ok_or_else(|| A::Error::missing_field("name"))?,
                        size: f1,
                        note: f2,
                    })
                }
            }
            deserializer.deserialize_map(V)
        }
    }

    #[test]
    fn keys_find_their_fields_and_unknown_ones_are_skipped() {
        let p: Probe = serde_json::from_str(r#"{"x":[1,{"y":2}],"size":3,"name":"a\u0062","note":null}"#).unwrap();
        assert_eq!(
            p,
            Probe {
                name: "ab".into(),
                size: Some(3),
                note: Some(None)
            }
        );
        let p: Probe = serde_json::from_str(r#"{"name":"a","size":null}"#).unwrap();
        assert_eq!((p.size, p.note), (None, None));
        let e = serde_json::from_str::<Probe>(r#"{"size":1}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `name`"), "{e}");
        let e = serde_json::from_str::<Probe>(r#"[1]"#).unwrap_err();
        assert!(e.to_string().contains("an object (Probe)"), "{e}");
    }
}
