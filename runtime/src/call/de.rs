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
            super::deviation::unknown_property(self.0, key);
        }
        Ok(found)
    }

    fn visit_bytes<E: Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        let found = self.1.iter().position(|name| name.as_bytes() == key);
        if found.is_none() {
            super::deviation::unknown_property(self.0, &String::from_utf8_lossy(key));
        }
        Ok(found)
    }
}

/// How a generated struct reads an integer field: as `i64` whatever the
/// spec's format, taking what Atlas really sends. A whole number written
/// as a fraction (`30.0`) is that number; a value past the format (an
/// `int32` above 2^31) is kept; each is recorded as a
/// [`Deviation`](crate::Deviation). A fraction that is not whole, or a
/// number past `i64`, is still an error. `W` is [`Int32`] or [`Int64`], or
/// an `Option`, `Vec`, `BTreeMap<String, _>` or `Box` of them:
/// `map.next_value::<Lenient<Option<Int32>>>()?.0` is an `Option<i64>`.
pub struct Lenient<W: Wire>(pub W::Out);

/// A shape [`Lenient`] reads (see there).
pub trait Wire {
    type Out;
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Out, D::Error>;
}

/// An integer the spec gives `format: int32`.
pub struct Int32;
/// An integer the spec gives `format: int64`, or no format.
pub struct Int64;

impl<'de, W: Wire> serde::Deserialize<'de> for Lenient<W> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        W::read(deserializer).map(Lenient)
    }
}

impl Wire for Int32 {
    type Out = i64;
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_i64(Integer { format: "int32" })
    }
}

impl Wire for Int64 {
    type Out = i64;
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_i64(Integer { format: "int64" })
    }
}

impl<W: Wire> Wire for Option<W> {
    type Out = Option<W::Out>;
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Out, D::Error> {
        let read: Option<Lenient<W>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(read.map(|l| l.0))
    }
}

impl<W: Wire> Wire for Vec<W> {
    type Out = Vec<W::Out>;
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Out, D::Error> {
        let read: Vec<Lenient<W>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(read.into_iter().map(|l| l.0).collect())
    }
}

impl<W: Wire> Wire for std::collections::BTreeMap<String, W> {
    type Out = std::collections::BTreeMap<String, W::Out>;
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Out, D::Error> {
        let read: std::collections::BTreeMap<String, Lenient<W>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(read.into_iter().map(|(k, l)| (k, l.0)).collect())
    }
}

impl<W: Wire> Wire for Box<W> {
    type Out = Box<W::Out>;
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Out, D::Error> {
        W::read(deserializer).map(Box::new)
    }
}

/// Reads one integer as `i64`, noting what the format does not allow.
struct Integer {
    format: &'static str,
}

impl Integer {
    fn checked<E: Error>(&self, v: i64) -> Result<i64, E> {
        if self.format == "int32" && i32::try_from(v).is_err() {
            super::deviation::number(super::deviation::DeviationKind::NumberPastFormat, self.format);
        }
        Ok(v)
    }
}

impl<'de> Visitor<'de> for Integer {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an integer ({})", self.format)
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<i64, E> {
        self.checked(v)
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<i64, E> {
        let v = i64::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))?;
        self.checked(v)
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<i64, E> {
        // Whole and within i64 (2^63 is exact in f64; the range is half open).
        if v.fract() != 0.0 || !v.is_finite() || v < -(2f64.powi(63)) || v >= 2f64.powi(63) {
            return Err(E::invalid_type(serde::de::Unexpected::Float(v), &self));
        }
        super::deviation::number(super::deviation::DeviationKind::IntegerAsFraction, self.format);
        self.checked(v as i64)
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
    fn integers_are_read_leniently_and_each_leniency_recorded() {
        use crate::call::deviation::gathering;
        use crate::call::deviation::DeviationKind::{IntegerAsFraction, NumberPastFormat};
        let read = |json: &str| gathering(|| serde_json::from_str::<Lenient<Option<Vec<Int32>>>>(json).map(|l| l.0));
        let (v, found) = read("[1, 30.0, 3000000000, -2]");
        assert_eq!(v.unwrap(), Some(vec![1, 30, 3_000_000_000, -2]));
        let kinds: Vec<_> = found.iter().map(|d| (d.kind, d.field.as_ref())).collect();
        assert_eq!(kinds, vec![(NumberPastFormat, "int32"), (IntegerAsFraction, "int32")]);
        let (v, found) = read("null");
        assert_eq!((v.unwrap(), found.len()), (None, 0));
        // Nothing that cannot be held: a fraction, a number past i64, text.
        for bad in ["[30.5]", "[1e300]", "[18446744073709551615]", r#"["7"]"#] {
            assert!(read(bad).0.is_err(), "{bad}");
        }
        let (v, found) = gathering(|| serde_json::from_str::<Lenient<Int64>>("3000000000").map(|l| l.0));
        assert_eq!((v.unwrap(), found.len()), (3_000_000_000, 0), "int64 holds it");
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
