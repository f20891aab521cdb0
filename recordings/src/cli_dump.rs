//! The Atlas CLI's answer dumps, as Go's `httputil.DumpResponse` writes
//! them: a status line (`HTTP/2.0 200 OK`), header lines (`Name: value`),
//! an empty line (LF or CRLF), then the body as sent.

/// One answer read from a dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dump {
    pub status: u16,
    /// In the order written; names lower case, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body as sent (empty: none).
    pub body: Vec<u8>,
}

/// Reads a dump; the error says what is missing.
pub fn parse(bytes: &[u8]) -> Result<Dump, String> {
    let (head, body) = split_head(bytes).ok_or("no empty line after the headers")?;
    let head = std::str::from_utf8(head).map_err(|_| "the status line and headers are not UTF-8")?;
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let status = status_of(status_line).ok_or_else(|| format!("not a status line: {status_line:?}"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Ok(Dump {
        status,
        headers,
        body: body.to_vec(),
    })
}

/// `HTTP/<version> <status> <reason>` -> the status (100-599).
fn status_of(line: &str) -> Option<u16> {
    let mut words = line.split_whitespace();
    words.next().filter(|w| w.starts_with("HTTP/"))?;
    words.next()?.parse::<u16>().ok().filter(|s| (100..600).contains(s))
}

/// The head and the body, split at the first empty line (LF or CRLF).
fn split_head(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    (0..bytes.len()).find_map(|i| {
        if bytes[i..].starts_with(b"\n\n") {
            Some((&bytes[..i], &bytes[i + 2..]))
        } else if bytes[i..].starts_with(b"\r\n\r\n") {
            Some((&bytes[..i], &bytes[i + 4..]))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_headers_and_body_with_either_line_end() {
        let crlf = parse(
            b"HTTP/2.0 201 Created\r\nContent-Type: text/plain; a=b\r\nX-Thing:  two words \r\n\r\nhello\n\nthere",
        )
        .unwrap();
        assert_eq!(crlf.status, 201);
        assert_eq!(
            crlf.headers,
            [
                ("content-type".to_string(), "text/plain; a=b".to_string()),
                ("x-thing".to_string(), "two words".to_string())
            ]
        );
        assert_eq!(crlf.body, b"hello\n\nthere");
        let lf = parse(b"HTTP/1.1 204 No Content\nDate: Mon, 10 Aug 2026 03:03:02 GMT\n\n").unwrap();
        assert_eq!((lf.status, lf.headers.len(), lf.body.len()), (204, 1, 0));
    }

    #[test]
    fn what_is_not_a_dump_says_why() {
        assert_eq!(parse(b"just text").unwrap_err(), "no empty line after the headers");
        assert!(parse(b"HTTP/2.0 OK\n\n").unwrap_err().contains("not a status line"));
        assert!(parse(b"HTTP/2.0 999 Odd\n\n")
            .unwrap_err()
            .contains("not a status line"));
        assert!(parse(b"SMTP 250 ok\n\n").unwrap_err().contains("not a status line"));
        assert!(parse(b"\n\n").unwrap_err().contains("not a status line"));
        assert!(parse(b"HTTP/2.0 200 OK\n\xff: x\n\n").unwrap_err().contains("UTF-8"));
    }
}
