//! A server on 127.0.0.1 that misbehaves on purpose: it speaks HTTP/1.1 by
//! hand over a raw TCP socket, so it can hang, reset mid-body, stream a
//! gigabyte, lie in `Content-Length`, redirect anywhere, or send several
//! `WWW-Authenticate` headers. Each test scripts it with a closure from a
//! request to a [`Script`].
//!
//! Shared by the hostile-server tests and the soak benchmark
//! (`benches/wire`, which includes this file by path).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as it arrived on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    pub method: String,
    /// The request-target exactly as sent (still percent-encoded).
    pub target: String,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The how-manieth request this server received, from 0.
    pub index: usize,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path of the target, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Script {
    /// A complete answer: status, headers, body (Content-Length is added).
    Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Headers (Content-Length given or chunked), then `total` bytes of
    /// `fill`, written until done or the client goes away.
    Stream {
        status: u16,
        content_type: String,
        declared: Option<u64>,
        total: u64,
    },
    /// Headers promising `declared` bytes, `sent` of them, then a reset.
    ResetMidBody { declared: u64, sent: Vec<u8> },
    /// Waits this long before doing the next thing.
    Delay(Duration, Box<Script>),
    /// Never answers (the connection stays open until the client leaves).
    Hang,
    /// Closes the connection without a word.
    Close,
}

impl Script {
    pub fn status(status: u16) -> Script {
        Script::Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn json(status: u16, content_type: &str, body: &str) -> Script {
        Script::Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// Adds a header to a `Reply` (other scripts are returned unchanged).
    pub fn header(mut self, name: &str, value: &str) -> Script {
        if let Script::Reply { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = dyn Fn(&RawRequest) -> Script + Send + Sync;

/// A running hostile server; stops when dropped.
pub struct HostileServer {
    addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    connections: Arc<AtomicUsize>,
    body_bytes_written: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HostileServer {
    /// Binds `127.0.0.1:0` and answers every request with `handler`,
    /// keeping a log of every request.
    pub async fn start(handler: impl Fn(&RawRequest) -> Script + Send + Sync + 'static) -> HostileServer {
        Self::start_with_log(handler, true).await
    }

    /// [`start`](Self::start), keeping the log only if `log` (a soak run
    /// keeps none, so the memory measured is the client's).
    pub async fn start_with_log(
        handler: impl Fn(&RawRequest) -> Script + Send + Sync + 'static,
        log: bool,
    ) -> HostileServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let written = Arc::new(AtomicU64::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::new(AtomicUsize::new(0));
        let (reqs, conns, bytes) = (requests.clone(), connections.clone(), written.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                conns.fetch_add(1, Ordering::SeqCst);
                let (handler, reqs, bytes, seen) = (handler.clone(), reqs.clone(), bytes.clone(), seen.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, handler, reqs, bytes, seen, log).await;
                });
            }
        });
        HostileServer {
            addr,
            requests,
            connections,
            body_bytes_written: written,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Body bytes of `Stream` answers that the socket accepted.
    pub fn body_bytes_written(&self) -> u64 {
        self.body_bytes_written.load(Ordering::SeqCst)
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        307 => "Temporary Redirect",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Reads one request; `None` when the client closed the connection.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>, index: usize) -> Option<RawRequest> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 256 * 1024 {
            return None;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut rest = buf.split_off(head_end + 4);
    while rest.len() < length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        rest.extend_from_slice(&chunk[..n]);
    }
    *buf = rest.split_off(length);
    Some(RawRequest {
        method,
        target,
        headers,
        body: rest,
        index,
    })
}

async fn serve(
    mut stream: TcpStream,
    handler: Arc<Handler>,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    written: Arc<AtomicU64>,
    seen: Arc<AtomicUsize>,
    log: bool,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        let Some(mut request) = read_request(&mut stream, &mut buf, 0).await else {
            return Ok(());
        };
        if log {
            let mut requests = requests.lock().unwrap_or_else(|p| p.into_inner());
            request.index = requests.len();
            requests.push(request.clone());
        } else {
            request.index = seen.fetch_add(1, Ordering::SeqCst);
        }
        let mut script = handler(&request);
        loop {
            match script {
                Script::Delay(wait, next) => {
                    tokio::time::sleep(wait).await;
                    script = *next;
                }
                Script::Hang => {
                    // Read until the client goes away, answering nothing.
                    let mut sink = [0u8; 1024];
                    while stream.read(&mut sink).await.map(|n| n > 0).unwrap_or(false) {}
                    return Ok(());
                }
                Script::Close => return Ok(()),
                Script::Reply { status, headers, body } => {
                    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                    for (n, v) in &headers {
                        head.push_str(&format!("{n}: {v}\r\n"));
                    }
                    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
                    stream.write_all(head.as_bytes()).await?;
                    stream.write_all(&body).await?;
                    break;
                }
                Script::Stream {
                    status,
                    content_type,
                    declared,
                    total,
                } => {
                    let mut head = format!(
                        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\n",
                        reason(status)
                    );
                    match declared {
                        Some(n) => head.push_str(&format!("Content-Length: {n}\r\n\r\n")),
                        None => head.push_str("Transfer-Encoding: chunked\r\n\r\n"),
                    }
                    stream.write_all(head.as_bytes()).await?;
                    let block = vec![b'x'; 64 * 1024];
                    let mut sent = 0u64;
                    while sent < total {
                        let n = (total - sent).min(block.len() as u64) as usize;
                        if declared.is_none() {
                            stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                        }
                        stream.write_all(&block[..n]).await?;
                        if declared.is_none() {
                            stream.write_all(b"\r\n").await?;
                        }
                        sent += n as u64;
                        written.fetch_add(n as u64, Ordering::SeqCst);
                    }
                    if declared.is_none() {
                        stream.write_all(b"0\r\n\r\n").await?;
                    }
                    break;
                }
                Script::ResetMidBody { declared, sent } => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\r\n"
                    );
                    stream.write_all(head.as_bytes()).await?;
                    stream.write_all(&sent).await?;
                    // SO_LINGER 0: close with a RST, not a FIN.
                    let _ = stream.set_zero_linger();
                    return Ok(());
                }
            }
        }
    }
}
