use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use md5::Md5;
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const REALM: &str = "MMS Public API";

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

/// A failure the fake answers with instead of serving a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    status: u16,
    error_code: String,
    retry_after: Option<String>,
    method: Option<String>,
    path_contains: Option<String>,
    times: u32,
    raw_body: Option<(String, String)>,
}

impl Fault {
    /// Answer the next authenticated request with `status` and an Atlas
    /// error document carrying `error_code`.
    pub fn new(status: u16, error_code: impl Into<String>) -> Self {
        Fault {
            status,
            error_code: error_code.into(),
            retry_after: None,
            method: None,
            path_contains: None,
            times: 1,
            raw_body: None,
        }
    }

    /// Adds `Retry-After` (seconds or an HTTP date).
    pub fn retry_after(mut self, value: impl Into<String>) -> Self {
        self.retry_after = Some(value.into());
        self
    }

    /// Only for requests with this method whose path contains `path_part`.
    pub fn on(mut self, method: &str, path_part: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self.path_contains = Some(path_part.to_string());
        self
    }

    /// For this many matching requests (default 1).
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    /// Answer with this body and content type instead of an error document
    /// (for example an HTML page from a proxy).
    pub fn raw_body(mut self, content_type: &str, body: &str) -> Self {
        self.raw_body = Some((content_type.to_string(), body.to_string()));
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m == method)
            && self.path_contains.as_deref().is_none_or(|p| path.contains(p))
    }
}

/// One canned answer: for this `Accept`, this status and body.
#[derive(Debug, Clone)]
struct Canned {
    media_type: String,
    status: u16,
    body: String,
}

/// Configures and starts a [`FakeAtlas`].
#[derive(Clone, Default)]
pub struct FakeAtlasBuilder {
    api_keys: BTreeMap<String, String>,
    service_accounts: BTreeMap<String, String>,
    store: Store,
    routes: Vec<Route>,
    token_content_type: Option<String>,
    token_lifetime: Option<u64>,
    deprecated: BTreeMap<String, String>,
    gone: BTreeSet<String>,
    sha256: bool,
    nonce_max_uses: Option<u32>,
    /// (METHOD, path) -> the versions served there.
    canned: BTreeMap<(String, String), Vec<Canned>>,
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

struct State {
    config: FakeAtlasBuilder,
    /// nonce -> (uses, nc values seen).
    nonces: BTreeMap<String, (u32, BTreeSet<u32>)>,
    /// bearer token -> expiry.
    tokens: BTreeMap<String, Instant>,
    counter: u64,
    faults: Vec<Fault>,
    requests: Vec<RecordedRequest>,
}

/// A running fake Atlas. Stops when dropped.
#[derive(Debug)]
pub struct FakeAtlas {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
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

type Reply = hyper::Response<Full<Bytes>>;

fn reply(status: u16, content_type: Option<&str>, body: Vec<u8>) -> Reply {
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

fn error_doc(status: u16, code: &str, detail: &str) -> Value {
    json!({"detail": detail, "error": status, "errorCode": code, "parameters": [], "reason": reason(status)})
}

/// What a route answers: status, content type, a JSON body or raw bytes,
/// extra headers. Envelopes and pretty-printing are applied after.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    status: u16,
    content_type: Option<String>,
    body: Option<Value>,
    /// A body that is not JSON (CSV, gzip), sent as it is.
    raw: Option<Vec<u8>>,
    headers: Vec<(String, String)>,
}

impl Answer {
    /// An Atlas error document: `{error, errorCode, detail, reason, parameters}`.
    pub fn error(status: u16, code: &str, detail: &str) -> Self {
        Answer {
            status,
            content_type: Some("application/json".into()),
            body: Some(error_doc(status, code, detail)),
            raw: None,
            headers: Vec::new(),
        }
    }

    /// A success answer of `content_type` with a JSON body, or none.
    pub fn ok(status: u16, content_type: &str, body: Option<Value>) -> Self {
        Answer {
            status,
            content_type: Some(content_type.into()),
            body,
            raw: None,
            headers: Vec::new(),
        }
    }

    /// A success answer whose body is bytes (CSV, gzip).
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Answer {
            raw: Some(body),
            ..Answer::ok(status, content_type, None)
        }
    }

    /// 404 `RESOURCE_NOT_FOUND`.
    pub fn not_found(what: &str) -> Self {
        Answer::error(404, "RESOURCE_NOT_FOUND", &format!("Cannot find resource {what}."))
    }

    /// 400 `VALIDATION_ERROR` for a parameter value.
    pub fn invalid(parameter: &str, value: &str) -> Self {
        Answer::error(400, "VALIDATION_ERROR", &format!("{parameter} {value:?} is not valid."))
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn status(&self) -> u16 {
        self.status
    }
}

/// State shared by the routes of one fake: JSON values under string keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Store {
    values: BTreeMap<String, Value>,
}

impl Store {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.values.insert(key.into(), value)
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.values.remove(key)
    }

    /// Keys starting with `prefix`, in order.
    pub fn keys_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .range(prefix.to_string()..)
            .map(|(k, _)| k.as_str())
            .take_while(move |k| k.starts_with(prefix))
    }

    /// A number that grows with every call, for ids and tokens.
    pub fn next_id(&mut self) -> u64 {
        let n = self.values.get("#counter").and_then(Value::as_u64).unwrap_or(0) + 1;
        self.values.insert("#counter".into(), Value::from(n));
        n
    }
}

/// One request as a route handler sees it.
#[derive(Debug)]
pub struct Call<'a> {
    pub request: &'a RecordedRequest,
    /// Path parameters by their name in the template, percent-decoded.
    pub params: BTreeMap<String, String>,
    /// The `Accept` the request named (one of the route's media types).
    pub accept: &'a str,
}

impl Call<'_> {
    /// A path parameter (empty if the template has none of that name).
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or("")
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.request.body).ok()
    }
}

type Handler = Arc<dyn Fn(&mut Store, &Call<'_>) -> Answer + Send + Sync>;

#[derive(Clone)]
struct Route {
    method: String,
    segments: Vec<String>,
    media_types: Vec<String>,
    handler: Handler,
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

fn token(s: &mut State, r: &RecordedRequest) -> Reply {
    let unauthorized = || {
        let body = json!({"error": "invalid_client", "error_description": "unknown client or wrong secret"});
        reply(401, Some("application/json"), body.to_string().into_bytes())
    };
    let Some(basic) = r.header("authorization").and_then(|h| h.strip_prefix("Basic ")) else {
        return unauthorized();
    };
    let Some(decoded) = base64_decode(basic.trim()) else {
        return unauthorized();
    };
    let decoded = String::from_utf8_lossy(&decoded).into_owned();
    let Some((id, secret)) = decoded.split_once(':') else {
        return unauthorized();
    };
    if s.config.service_accounts.get(id).map(String::as_str) != Some(secret) {
        return unauthorized();
    }
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&r.body).into_owned().collect();
    if !form.iter().any(|(k, v)| k == "grant_type" && v == "client_credentials") {
        let body = json!({"error": "unsupported_grant_type"});
        return reply(400, Some("application/json"), body.to_string().into_bytes());
    }
    s.counter += 1;
    let value = format!("fake-token-{}", s.counter);
    let lifetime = s.config.token_lifetime.unwrap_or(3600);
    // A lifetime too long for `Instant` never expires.
    let expiry = Instant::now()
        .checked_add(Duration::from_secs(lifetime))
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 86_400));
    s.tokens.insert(value.clone(), expiry);
    let ct = s
        .config
        .token_content_type
        .clone()
        .unwrap_or_else(|| "application/json".into());
    let body = json!({"access_token": value, "token_type": "Bearer", "expires_in": lifetime});
    reply(200, Some(&ct), body.to_string().into_bytes())
}

fn hash(sha256: bool, data: &str) -> String {
    let bytes: Vec<u8> = if sha256 {
        Sha256::digest(data.as_bytes()).to_vec()
    } else {
        Md5::digest(data.as_bytes()).to_vec()
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn challenge(s: &mut State, stale: bool) -> Reply {
    s.counter += 1;
    let nonce = format!("fake-nonce-{}", s.counter);
    s.nonces.insert(nonce.clone(), (0, BTreeSet::new()));
    let alg = if s.config.sha256 { "SHA-256" } else { "MD5" };
    let header = format!(
        "Digest realm=\"{REALM}\", domain=\"\", nonce=\"{nonce}\", algorithm={alg}, qop=\"auth\", stale={stale}"
    );
    let body = error_doc(401, "UNAUTHORIZED", "You are not authorized for this resource.");
    let mut r = reply(401, Some("application/json"), body.to_string().into_bytes());
    r.headers_mut()
        .insert("WWW-Authenticate", header.parse().expect("valid header"));
    r
}

/// `None` when the request may proceed; otherwise the 401 to send.
fn authenticate(s: &mut State, r: &RecordedRequest) -> Option<Reply> {
    if s.config.api_keys.is_empty() && s.config.service_accounts.is_empty() {
        return None;
    }
    let auth = r.header("authorization").unwrap_or("");
    if let Some(token) = auth.strip_prefix("Bearer ") {
        return match s.tokens.get(token) {
            Some(expiry) if *expiry > Instant::now() => None,
            _ => {
                let body = error_doc(401, "UNAUTHORIZED", "The bearer token is invalid or expired.");
                let mut reply = reply(401, Some("application/json"), body.to_string().into_bytes());
                reply
                    .headers_mut()
                    .insert("WWW-Authenticate", "Bearer".parse().expect("valid header"));
                Some(reply)
            }
        };
    }
    let Some(params) = auth.strip_prefix("Digest ") else {
        return Some(challenge(s, false));
    };
    let p = crate::digest_params(params);
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    let Some(password) = s.config.api_keys.get(get("username")).cloned() else {
        return Some(challenge(s, false));
    };
    let nonce = get("nonce").to_string();
    let max_uses = s.config.nonce_max_uses;
    let Some((uses, seen)) = s.nonces.get_mut(&nonce) else {
        return Some(challenge(s, true));
    };
    if max_uses.is_some_and(|m| *uses >= m) {
        return Some(challenge(s, true));
    }
    let Ok(nc) = u32::from_str_radix(get("nc"), 16) else {
        return Some(challenge(s, false));
    };
    let target = match &r.query {
        Some(q) => format!("{}?{q}", r.path),
        None => r.path.clone(),
    };
    if get("realm") != REALM || get("uri") != target || get("qop") != "auth" || !seen.insert(nc) {
        return Some(challenge(s, false));
    }
    *uses += 1;
    let sha = s.config.sha256;
    let ha1 = hash(sha, &format!("{}:{REALM}:{password}", get("username")));
    let ha2 = hash(sha, &format!("{}:{target}", r.method));
    let expected = hash(
        sha,
        &format!("{ha1}:{nonce}:{}:{}:auth:{ha2}", get("nc"), get("cnonce")),
    );
    if get("response") != expected {
        return Some(challenge(s, false));
    }
    None
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Checks `Accept` against the versions a route serves.
fn check_version(s: &State, r: &RecordedRequest, serves: &[&str]) -> Result<Vec<(String, String)>, Answer> {
    let accept = r.header("accept").unwrap_or("");
    if s.config.gone.contains(accept) {
        return Err(Answer::error(
            410,
            "VERSION_GONE",
            &format!("The version {accept} is no longer served."),
        ));
    }
    if !serves.contains(&accept) {
        return Err(Answer::error(
            406,
            "INVALID_VERSION_DATE",
            &format!(
                "The Accept header {accept:?} names no version this resource serves: {}.",
                serves.join(", ")
            ),
        ));
    }
    Ok(match s.config.deprecated.get(accept) {
        Some(sunset) => vec![("Deprecation".into(), "true".into()), ("Sunset".into(), sunset.clone())],
        None => Vec::new(),
    })
}

fn route(s: &mut State, r: &RecordedRequest) -> Answer {
    let with_query = r.query.as_ref().map(|q| format!("{}?{q}", r.path));
    let canned = with_query
        .and_then(|p| s.config.canned.get(&(r.method.clone(), p)))
        .or_else(|| s.config.canned.get(&(r.method.clone(), r.path.clone())));
    if let Some(versions) = canned {
        let accept = r.header("accept").unwrap_or("");
        return match versions.iter().find(|c| c.media_type == accept) {
            Some(c) if c.media_type.ends_with("json") => {
                let body = (!c.body.is_empty())
                    .then(|| serde_json::from_str(&c.body).unwrap_or(Value::String(c.body.clone())));
                Answer::ok(c.status, &c.media_type, body)
            }
            Some(c) => {
                let mut answer = Answer::ok(c.status, &c.media_type, None);
                answer.raw = Some(c.body.clone().into_bytes());
                answer
            }
            None => {
                let served: Vec<&str> = versions.iter().map(|c| c.media_type.as_str()).collect();
                Answer::error(
                    406,
                    "INVALID_VERSION_DATE",
                    &format!("Serves only {}.", served.join(", ")),
                )
            }
        };
    }
    let segments: Vec<String> = r
        .path
        .trim_start_matches('/')
        .split('/')
        .map(|seg| percent_decode_str(seg).decode_utf8_lossy().into_owned())
        .collect();
    let raw_segments: Vec<&str> = r.path.trim_start_matches('/').split('/').collect();
    let found = s.config.routes.iter().find_map(|route| {
        if route.method != r.method || route.segments.len() != segments.len() {
            return None;
        }
        let mut params = BTreeMap::new();
        for ((template, value), raw) in route.segments.iter().zip(&segments).zip(&raw_segments) {
            match template_param(template) {
                Some((prefix, name, suffix)) => {
                    let inner = value.strip_prefix(prefix)?.strip_suffix(suffix)?;
                    params.insert(name.to_string(), inner.to_string());
                }
                None if template == raw => {}
                None => return None,
            }
        }
        Some((route.clone(), params))
    });
    let Some((route, params)) = found else {
        return Answer::not_found(&r.path);
    };
    let served: Vec<&str> = route.media_types.iter().map(String::as_str).collect();
    let headers = match check_version(s, r, &served) {
        Ok(h) => h,
        Err(a) => return a,
    };
    let accept = r.header("accept").unwrap_or("");
    let call = Call {
        request: r,
        params,
        accept,
    };
    let mut answer = (route.handler)(&mut s.config.store, &call);
    answer.headers.extend(headers);
    answer
}

/// `{name}` in a template segment, with the literal text around it
/// (`{clusterName}:revokeMongoDBEmployeeAccess`).
fn template_param(segment: &str) -> Option<(&str, &str, &str)> {
    let open = segment.find('{')?;
    let close = segment[open..].find('}')? + open;
    Some((&segment[..open], &segment[open + 1..close], &segment[close + 1..]))
}
