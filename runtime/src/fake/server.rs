use super::answer::{Answer, Call, Route, Store};
use super::auth::{authenticate, token};
use super::fault::Fault;
use super::routing::{route, Canned};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One request as the fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub path: String,
    pub query: Option<String>,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Decoded query pairs, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect()
    }

    fn is_token_request(&self) -> bool {
        self.path == "/api/oauth/token"
    }
}

/// Configures and starts a [`FakeAtlas`].
#[derive(Clone, Default)]
pub struct FakeAtlasBuilder {
    pub(super) api_keys: BTreeMap<String, String>,
    pub(super) service_accounts: BTreeMap<String, String>,
    pub(super) store: Store,
    pub(super) routes: Vec<Route>,
    pub(super) token_content_type: Option<String>,
    pub(super) token_lifetime: Option<u64>,
    pub(super) deprecated: BTreeMap<String, String>,
    pub(super) gone: BTreeSet<String>,
    pub(super) sha256: bool,
    pub(super) nonce_max_uses: Option<u32>,
    /// (METHOD, path) -> the versions served there.
    pub(super) canned: BTreeMap<(String, String), Vec<Canned>>,
}

impl FakeAtlasBuilder {
    /// Accept this API key pair with HTTP Digest.
    pub fn api_key(mut self, public_key: &str, private_key: &str) -> Self {
        self.api_keys.insert(public_key.into(), private_key.into());
        self
    }

    /// Accept this service account at `/api/oauth/token`.
    pub fn service_account(mut self, client_id: &str, client_secret: &str) -> Self {
        self.service_accounts.insert(client_id.into(), client_secret.into());
        self
    }

    /// Serves `method template` (a path with `{param}` segments) for the
    /// `media_types` listed (its versions; any other `Accept` gets 406
    /// `INVALID_VERSION_DATE`, and a [`gone_version`](Self::gone_version)
    /// 410 `VERSION_GONE`), after authentication and faults, with
    /// `handler`. The handler sees the shared [`Store`] and the [`Call`].
    pub fn route(
        mut self,
        method: &str,
        template: &str,
        media_types: &[&str],
        handler: impl Fn(&mut Store, &Call<'_>) -> Answer + Send + Sync + 'static,
    ) -> Self {
        self.routes.push(Route {
            method: method.to_ascii_uppercase(),
            segments: template
                .trim_start_matches('/')
                .split('/')
                .map(str::to_string)
                .collect(),
            media_types: media_types.iter().map(|m| m.to_string()).collect(),
            handler: Arc::new(handler),
        });
        self
    }

    /// Whether a route for `method template` is configured.
    pub fn has_route(&self, method: &str, template: &str) -> bool {
        let segments: Vec<&str> = template.trim_start_matches('/').split('/').collect();
        self.routes
            .iter()
            .any(|r| r.method.eq_ignore_ascii_case(method) && r.segments == segments)
    }

    /// Puts `value` into the shared store under `key` before the server starts.
    pub fn store(mut self, key: impl Into<String>, value: Value) -> Self {
        self.store.insert(key, value);
        self
    }

    /// The content type of token responses (default `application/json`).
    pub fn token_content_type(mut self, content_type: &str) -> Self {
        self.token_content_type = Some(content_type.into());
        self
    }

    /// `expires_in` of issued tokens, in seconds (default 3600).
    pub fn token_lifetime(mut self, seconds: u64) -> Self {
        self.token_lifetime = Some(seconds);
        self
    }

    /// Answer this media type with `Deprecation` and `Sunset: <sunset>`.
    pub fn deprecate_version(mut self, media_type: &str, sunset: &str) -> Self {
        self.deprecated.insert(media_type.into(), sunset.into());
        self
    }

    /// Answer this media type with 410 `VERSION_GONE`.
    pub fn gone_version(mut self, media_type: &str) -> Self {
        self.gone.insert(media_type.into());
        self
    }

    /// Challenge with `algorithm=SHA-256` instead of MD5.
    pub fn digest_sha256(mut self) -> Self {
        self.sha256 = true;
        self
    }

    /// A nonce is good for this many requests, then answered `stale=true`.
    pub fn nonce_max_uses(mut self, uses: u32) -> Self {
        self.nonce_max_uses = Some(uses);
        self
    }

    /// Serves `body` with `status` for `method path` when `Accept` is
    /// `media_type` (also the response's `Content-Type`). A `path` with a
    /// `?query` matches only that exact query; one without matches any.
    /// Several media types
    /// for one route are several versions; any other `Accept` gets 406
    /// `INVALID_VERSION_DATE`. For operations the fake does not model.
    pub fn canned(mut self, method: &str, path: &str, media_type: &str, status: u16, body: &str) -> Self {
        self.canned
            .entry((method.to_ascii_uppercase(), path.to_string()))
            .or_default()
            .push(Canned {
                media_type: media_type.to_string(),
                status,
                body: body.to_string(),
            });
        self
    }

    /// Binds `127.0.0.1:0` and serves until the `FakeAtlas` is dropped.
    pub async fn start(self) -> FakeAtlas {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            nonces: BTreeMap::new(),
            tokens: BTreeMap::new(),
            counter: 0,
            faults: Vec::new(),
            requests: Vec::new(),
            config: self,
        }));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let state = state.clone();
                        async move { Ok::<_, Infallible>(handle(&state, req).await) }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FakeAtlas { addr, state, task }
    }
}

pub(super) struct State {
    pub(super) config: FakeAtlasBuilder,
    /// nonce -> (uses, nc values seen).
    pub(super) nonces: BTreeMap<String, (u32, BTreeSet<u32>)>,
    /// bearer token -> expiry.
    pub(super) tokens: BTreeMap<String, Instant>,
    pub(super) counter: u64,
    pub(super) faults: Vec<Fault>,
    pub(super) requests: Vec<RecordedRequest>,
}

/// A running fake Atlas. Stops when dropped.
#[derive(Debug)]
pub struct FakeAtlas {
    pub(super) addr: SocketAddr,
    pub(super) state: Arc<Mutex<State>>,
    pub(super) task: JoinHandle<()>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("requests", &self.requests.len())
            .finish_non_exhaustive()
    }
}

impl Drop for FakeAtlas {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeAtlas {
    pub fn builder() -> FakeAtlasBuilder {
        FakeAtlasBuilder::default()
    }

    /// `http://127.0.0.1:<port>`: use as the base URL (and Ops Manager URL).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every request received so far, in order (token requests included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// API requests received (HTTP exchanges), token requests excluded.
    pub fn api_request_count(&self) -> usize {
        self.lock().requests.iter().filter(|r| !r.is_token_request()).count()
    }

    /// Requests to `/api/oauth/token`.
    pub fn token_request_count(&self) -> usize {
        self.lock().requests.iter().filter(|r| r.is_token_request()).count()
    }

    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    /// Queues a failure; faults are tried in the order queued.
    pub fn inject(&self, fault: Fault) {
        self.lock().faults.push(fault);
    }

    /// Reads or changes the store the routes share, while no request is
    /// being served.
    pub fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        f(&mut self.lock().config.store)
    }

    /// Expires every issued bearer token (the next call gets a 401).
    pub fn expire_tokens(&self) {
        self.lock().tokens.clear();
    }
}

pub(super) type Reply = hyper::Response<Full<Bytes>>;

pub(super) fn reply(status: u16, content_type: Option<&str>, body: Vec<u8>) -> Reply {
    let mut builder = hyper::Response::builder()
        .status(status)
        .header("RateLimit-Limit", "100")
        .header("RateLimit-Remaining", "99");
    if let Some(ct) = content_type {
        builder = builder.header("Content-Type", ct);
    }
    builder.body(Full::new(Bytes::from(body))).expect("valid response")
}

fn reason(status: u16) -> &'static str {
    hyper::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error")
}

pub(super) fn error_doc(status: u16, code: &str, detail: &str) -> Value {
    json!({"detail": detail, "error": status, "errorCode": code, "parameters": [], "reason": reason(status)})
}

impl std::fmt::Debug for FakeAtlasBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeAtlasBuilder")
            .field("api_keys", &self.api_keys.keys().collect::<Vec<_>>())
            .field("service_accounts", &self.service_accounts.keys().collect::<Vec<_>>())
            .field("routes", &self.routes.len())
            .finish_non_exhaustive()
    }
}

async fn handle(state: &Arc<Mutex<State>>, req: hyper::Request<Incoming>) -> Reply {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    let recorded = RecordedRequest {
        method,
        path,
        query,
        headers,
        body,
    };
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    s.requests.push(recorded.clone());
    if recorded.is_token_request() {
        return token(&mut s, &recorded);
    }
    if let Some(denied) = authenticate(&mut s, &recorded) {
        return denied;
    }
    let pairs = recorded.query_pairs();
    let flag = |name: &str| pairs.iter().any(|(k, v)| k == name && v == "true");
    let answer = match take_fault(&mut s, &recorded) {
        Some(fault) => {
            if let Some((ct, body)) = &fault.raw_body {
                return reply(fault.status, Some(ct), body.clone().into_bytes());
            }
            let mut a = Answer::error(fault.status, &fault.error_code, "injected by the fake");
            if let Some(ra) = &fault.retry_after {
                a.headers.push(("Retry-After".into(), ra.clone()));
            }
            a
        }
        None => route(&mut s, &recorded),
    };
    render(answer, flag("envelope"), flag("pretty"))
}

fn take_fault(s: &mut State, r: &RecordedRequest) -> Option<Fault> {
    let i = s.faults.iter().position(|f| f.matches(&r.method, &r.path))?;
    let fault = s.faults[i].clone();
    s.faults[i].times -= 1;
    if s.faults[i].times == 0 {
        s.faults.remove(i);
    }
    Some(fault)
}

fn render(a: Answer, envelope: bool, pretty: bool) -> Reply {
    let (status, body) = if envelope {
        let mut doc = json!({"status": a.status});
        if let Some(content) = a.body {
            doc["content"] = content;
        }
        (200, Some(doc))
    } else {
        (a.status, a.body)
    };
    let bytes = match (&body, pretty) {
        _ if a.raw.is_some() && !envelope => a.raw.clone().unwrap_or_default(),
        (Some(v), true) => serde_json::to_vec_pretty(v).unwrap_or_default(),
        (Some(v), false) => serde_json::to_vec(v).unwrap_or_default(),
        (None, _) => Vec::new(),
    };
    let mut r = reply(status, a.content_type.as_deref(), bytes);
    for (k, v) in a.headers {
        if let (Ok(k), Ok(v)) = (
            hyper::header::HeaderName::try_from(k),
            hyper::header::HeaderValue::try_from(v),
        ) {
            r.headers_mut().insert(k, v);
        }
    }
    r
}
