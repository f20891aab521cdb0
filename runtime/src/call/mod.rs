//! What generated code calls to build a request and read an answer:
//! [`Request`](request::Request), [`Endpoint`](request::Endpoint) and
//! parameters (`request.rs`); what one call sets for itself
//! ([`CallOptions`](options::CallOptions), `options.rs`, with its
//! [`RetryPolicy`](retry_policy::RetryPolicy), `retry_policy.rs`); the written-out
//! `Deserialize` helpers (`de.rs`); read-only fields left out of request bodies
//! (`ser.rs`); and the deviations of answers from the spec, with the
//! lenient decoders' `required`/`optional` (`deviation.rs`).

pub(crate) mod date_time;
pub(crate) mod de;
pub(crate) mod deviation;
pub(crate) mod options;
pub(crate) mod request;
pub(crate) mod retry_policy;
pub(crate) mod ser;
