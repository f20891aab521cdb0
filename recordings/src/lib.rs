//! `atlas-admin-recordings`: the one reader of each format of recorded
//! Atlas answers, for the runtime's fake (replay) and `cargo xtask spec
//! verify` alike, and the civil dates both need.
//!
//! - [`cli_dump`]: the Atlas CLI's answer dumps (`HTTP/2.0 200 OK`,
//!   headers, an empty line, the body);
//! - [`cli_name`]: the CLI's file names (`<METHOD>_<path>_<n>.snaphost`);
//! - [`ours`]: our own format (`atlas-admin-recording/1`, one JSON
//!   document a call), reading and its file names;
//! - [`recording`]: one recording of either format, as both readers use it;
//! - [`folder`]: the recording files below a folder;
//! - [`dates`]: `YYYY-MM-DD` as days since 1970-01-01, and today.
//!
//! Dependency-light on purpose (serde_json, base64): no async, no HTTP.

pub mod cli_dump;
pub mod cli_name;
pub mod dates;
pub mod folder;
pub mod ours;
pub mod recording;

pub use recording::{read, Recording, RequestPath};
