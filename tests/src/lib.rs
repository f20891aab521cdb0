//! Tests only: see `tests/`. Fixture specs live in `fixtures/`.
