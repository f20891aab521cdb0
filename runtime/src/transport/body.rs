//! Reading answers under a size cap, so a hostile or broken server cannot
//! make the client hold more memory than a bounded answer needs.

use bytes::{Bytes, BytesMut};

/// The default cap on a success body: 32 MiB. The largest JSON answers of
/// the Atlas Administration API are list pages (at most 500 items a page);
/// 500 of the largest items (cluster descriptions, 10-20 KiB each) stay well
/// below it. Downloads (`+gzip` logs, `+csv` invoices) may need more: raise
/// it with [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// The cap on error bodies and token answers: an Atlas error document or a
/// token is well under 1 KiB.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Over the cap; `declared` is what `Content-Length` said, if anything.
    TooLarge {
        declared: Option<u64>,
    },
    Transport(reqwest::Error),
}

/// Reads the body of `response`, refusing at once when `Content-Length`
/// already says more than `limit`, and stopping (dropping the connection)
/// as soon as more than `limit` bytes arrive.
pub(crate) async fn read_capped(response: &mut reqwest::Response, limit: usize) -> Result<Bytes, ReadError> {
    let declared = response.content_length();
    if let Some(n) = declared {
        if n > limit as u64 {
            return Err(ReadError::TooLarge { declared });
        }
    }
    // Never pre-allocate more than the cap, nor more than 64 KiB on the
    // word of a header.
    let mut buf = BytesMut::with_capacity(declared.map_or(8 * 1024, |n| n as usize).min(limit).min(64 * 1024));
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if buf.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge { declared });
        }
        if buf.is_empty() && declared == Some(chunk.len() as u64) {
            // The common case: the whole body in one chunk, no copy.
            return Ok(chunk);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}
