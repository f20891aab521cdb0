//! The tests that spend minutes: nested cargo builds of generated crates
//! (the fixtures, the published spec, `spec add`'s output, random specs)
//! and the CPU-bound ones (mutated specs, property tests). One test binary,
//! so libtest runs two at a time: a CPU-bound test uses the core that a
//! nested build leaves idle while it links or type-checks one big crate.
//! (Nested builds share the outer cargo's target folder, reusing its
//! dependencies, and wait for each other there.)

mod example;
mod fake_generated;
mod fuzz;
mod properties;
mod semver;
mod spec_add;
mod spec_strings;
mod standalone;
// Named to sort first: libtest starts tests in name order, two at a time,
// and the published crate's build is the longest. Started first, it builds
// while the CPU-bound tests use the other core (warm: 181 s for the binary
// against 199 s when it started last).
#[path = "upstream.rs"]
mod a_upstream;
