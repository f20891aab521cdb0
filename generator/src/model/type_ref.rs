//! [`TypeRef`], the type of a field, parameter, variant or body, and the
//! one walk over it. Every pass that looks inside a type (lowering, usage,
//! cycles, the fake's samples, emission) does so through [`walk`] with a
//! [`Fold`]: the trait has one method per kind of type and no defaults, and
//! `walk` holds the only match over every variant. A new kind of leaf (as
//! the date-time was) is a [`Scalar`]: a compile error in each pass that
//! tells leaves apart (every match over `Scalar` lists them all) until it
//! decides what that kind means there, never a silent default; a pass that
//! treats every leaf alike (has it a `Default`, does it close a cycle)
//! decides once for all of them.
//!
//! The walk lives beside the type it walks, below `model.rs`, and imports
//! nothing from it: `model.rs` and the passes import from here.

/// A type as the model names it.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// Free-form JSON.
    Json,
    /// `format: date-time`: the runtime's `DateTime` (RFC 3339 text, its
    /// timestamp, read leniently).
    DateTime,
    Named(String),
    Vec(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// Only inside struct fields that close a cycle of types.
    Boxed(Box<TypeRef>),
}

/// A type that holds no other: what a [`Fold`] sees at a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    Json,
    DateTime,
}

/// A leaf's Rust type, as [`Scalar::rust`] settles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RustScalar {
    String,
    Bool,
    I64,
    F32,
    F64,
    /// `serde_json::Value`.
    Json,
    /// The runtime's `DateTime`.
    DateTime,
}

/// How a leaf is read where its type is read leniently (a field with an
/// integer leaf: `30.0`, or a value past its format, is kept and reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The runtime's `Int32`: an integer the spec formats as `int32`.
    Int32,
    /// The runtime's `Int64`.
    Int64,
    /// As its Rust type.
    Plain(RustScalar),
}

impl Scalar {
    /// The Rust type of the leaf. Atlas sends `int32` fields past 2^31:
    /// every integer is an `i64` in Rust, so a value wider than the spec's
    /// format is kept, not lost ([`Scalar::reader`] still knows the format).
    pub fn rust(self) -> RustScalar {
        match self {
            Scalar::String => RustScalar::String,
            Scalar::Bool => RustScalar::Bool,
            Scalar::I32 | Scalar::I64 => RustScalar::I64,
            Scalar::F32 => RustScalar::F32,
            Scalar::F64 => RustScalar::F64,
            Scalar::Json => RustScalar::Json,
            Scalar::DateTime => RustScalar::DateTime,
        }
    }

    /// How the leaf is read leniently: an integer by the runtime's reader
    /// of its format, anything else as its Rust type (a `DateTime` is
    /// lenient by itself).
    pub fn reader(self) -> Reader {
        match self {
            Scalar::I32 => Reader::Int32,
            Scalar::I64 => Reader::Int64,
            Scalar::String | Scalar::Bool | Scalar::F32 | Scalar::F64 | Scalar::Json | Scalar::DateTime => {
                Reader::Plain(self.rust())
            }
        }
    }

    /// Whether the leaf is an integer (of either format).
    pub fn is_integer(self) -> bool {
        match self {
            Scalar::I32 | Scalar::I64 => true,
            Scalar::String | Scalar::Bool | Scalar::F32 | Scalar::F64 | Scalar::Json | Scalar::DateTime => false,
        }
    }
}

/// The type inside a list, map or box, as a [`Fold`] is handed it: it can
/// only be folded further ([`Inner::fold`]), so no pass matches on it by
/// hand.
#[derive(Debug, Clone, Copy)]
pub struct Inner<'t>(&'t TypeRef);

impl<'t> Inner<'t> {
    /// Folds the inner type with `f` (the same fold, or another).
    pub fn fold<F: Fold<'t>>(self, f: &mut F) -> F::Out {
        walk(self.0, f)
    }
}

/// What a pass makes of each kind of type. A list, map or box hands over
/// its inner type unfolded: the pass folds it when, and with what state, it
/// needs to (a sample stops at a depth; a bottom-up fold folds it first).
pub trait Fold<'t> {
    type Out;
    fn scalar(&mut self, scalar: Scalar) -> Self::Out;
    fn named(&mut self, name: &'t str) -> Self::Out;
    /// `Vec<item>`.
    fn list(&mut self, item: Inner<'t>) -> Self::Out;
    /// A JSON object of `value`s by arbitrary keys.
    fn map(&mut self, value: Inner<'t>) -> Self::Out;
    /// `Box<inner>`, where a struct field closes a cycle.
    fn boxed(&mut self, inner: Inner<'t>) -> Self::Out;
}

/// The one match over every kind of type: `t` as `f` makes it.
pub fn walk<'t, F: Fold<'t>>(t: &'t TypeRef, f: &mut F) -> F::Out {
    match t {
        TypeRef::String => f.scalar(Scalar::String),
        TypeRef::Bool => f.scalar(Scalar::Bool),
        TypeRef::I32 => f.scalar(Scalar::I32),
        TypeRef::I64 => f.scalar(Scalar::I64),
        TypeRef::F32 => f.scalar(Scalar::F32),
        TypeRef::F64 => f.scalar(Scalar::F64),
        TypeRef::Json => f.scalar(Scalar::Json),
        TypeRef::DateTime => f.scalar(Scalar::DateTime),
        TypeRef::Named(n) => f.named(n),
        TypeRef::Vec(inner) => f.list(Inner(inner)),
        TypeRef::Map(inner) => f.map(Inner(inner)),
        TypeRef::Boxed(inner) => f.boxed(Inner(inner)),
    }
}

/// The leaf of a type, through every list, map and box (a type has one):
/// the scalar, or the named type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf<'t> {
    Scalar(Scalar),
    Named(&'t str),
}

struct LeafOf;

impl<'t> Fold<'t> for LeafOf {
    type Out = Leaf<'t>;
    fn scalar(&mut self, scalar: Scalar) -> Leaf<'t> {
        Leaf::Scalar(scalar)
    }
    fn named(&mut self, name: &'t str) -> Leaf<'t> {
        Leaf::Named(name)
    }
    fn list(&mut self, item: Inner<'t>) -> Leaf<'t> {
        item.fold(self)
    }
    fn map(&mut self, value: Inner<'t>) -> Leaf<'t> {
        value.fold(self)
    }
    fn boxed(&mut self, inner: Inner<'t>) -> Leaf<'t> {
        inner.fold(self)
    }
}

impl TypeRef {
    /// The type's leaf, through every list, map and box.
    pub fn leaf(&self) -> Leaf<'_> {
        walk(self, &mut LeafOf)
    }

    /// The type itself as a scalar (not a list, map or box of one).
    pub fn scalar(&self) -> Option<Scalar> {
        struct Top;
        impl<'t> Fold<'t> for Top {
            type Out = Option<Scalar>;
            fn scalar(&mut self, scalar: Scalar) -> Option<Scalar> {
                Some(scalar)
            }
            fn named(&mut self, _: &'t str) -> Option<Scalar> {
                None
            }
            fn list(&mut self, _: Inner<'t>) -> Option<Scalar> {
                None
            }
            fn map(&mut self, _: Inner<'t>) -> Option<Scalar> {
                None
            }
            fn boxed(&mut self, _: Inner<'t>) -> Option<Scalar> {
                None
            }
        }
        walk(self, &mut Top)
    }

    /// The named type the type holds (itself, or in a list, map or box).
    pub fn named(&self) -> Option<&str> {
        match self.leaf() {
            Leaf::Named(name) => Some(name),
            Leaf::Scalar(_) => None,
        }
    }

    /// Whether the value is an integer, or a list, map or box of them: such
    /// a field is read leniently (`30.0`, a value past its format), as the
    /// runtime's `Lenient` does ([`Scalar::reader`]).
    pub fn has_integer_leaf(&self) -> bool {
        match self.leaf() {
            Leaf::Scalar(s) => s.is_integer(),
            Leaf::Named(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_shape(leaf: TypeRef) -> Vec<TypeRef> {
        let boxed = |t: TypeRef| Box::new(t);
        vec![
            leaf.clone(),
            TypeRef::Vec(boxed(leaf.clone())),
            TypeRef::Map(boxed(leaf.clone())),
            TypeRef::Boxed(boxed(leaf.clone())),
            TypeRef::Map(boxed(TypeRef::Vec(boxed(TypeRef::Boxed(boxed(leaf)))))),
        ]
    }

    /// The walk reaches the leaf through every container, in any nesting:
    /// a walk that skipped or misread one kind would lose the name here.
    #[test]
    fn the_walk_finds_the_named_type_inside_every_container() {
        for t in every_shape(TypeRef::Named("Cluster".into())) {
            assert_eq!(t.named(), Some("Cluster"), "{t:?}");
            assert!(!t.has_integer_leaf(), "{t:?}");
        }
        for (leaf, scalar) in [
            (TypeRef::String, Scalar::String),
            (TypeRef::Bool, Scalar::Bool),
            (TypeRef::I32, Scalar::I32),
            (TypeRef::I64, Scalar::I64),
            (TypeRef::F32, Scalar::F32),
            (TypeRef::F64, Scalar::F64),
            (TypeRef::Json, Scalar::Json),
            (TypeRef::DateTime, Scalar::DateTime),
        ] {
            for t in every_shape(leaf.clone()) {
                assert_eq!(t.leaf(), Leaf::Scalar(scalar), "{t:?}");
                assert_eq!(t.named(), None, "{t:?}");
                assert_eq!(t.has_integer_leaf(), scalar.is_integer(), "{t:?}");
            }
        }
    }

    /// A fold sees each container as what it is, with its own inner type.
    #[test]
    fn the_walk_hands_each_container_to_its_own_method() {
        struct Shape;
        impl<'t> Fold<'t> for Shape {
            type Out = String;
            fn scalar(&mut self, scalar: Scalar) -> String {
                format!("{scalar:?}")
            }
            fn named(&mut self, name: &'t str) -> String {
                name.to_string()
            }
            fn list(&mut self, item: Inner<'t>) -> String {
                format!("Vec<{}>", item.fold(self))
            }
            fn map(&mut self, value: Inner<'t>) -> String {
                format!("Map<{}>", value.fold(self))
            }
            fn boxed(&mut self, inner: Inner<'t>) -> String {
                format!("Box<{}>", inner.fold(self))
            }
        }
        let shapes: Vec<String> = every_shape(TypeRef::I32).iter().map(|t| walk(t, &mut Shape)).collect();
        assert_eq!(
            shapes,
            ["I32", "Vec<I32>", "Map<I32>", "Box<I32>", "Map<Vec<Box<I32>>>"]
        );
    }

    #[test]
    fn every_integer_is_an_i64_read_by_its_format() {
        assert_eq!(Scalar::I32.rust(), RustScalar::I64);
        assert_eq!(Scalar::I64.rust(), RustScalar::I64);
        assert_eq!(Scalar::I32.reader(), Reader::Int32);
        assert_eq!(Scalar::I64.reader(), Reader::Int64);
        assert_eq!(Scalar::F32.reader(), Reader::Plain(RustScalar::F32));
        assert_eq!(Scalar::DateTime.reader(), Reader::Plain(RustScalar::DateTime));
    }
}
