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
const V2023_01_01: &str = "application/vnd.atlas.2023-01-01+json";
const V2024_08_05: &str = "application/vnd.atlas.2024-08-05+json";
const ACTIVE_MIGRATION: &str = "CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK";

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
#[derive(Debug, Clone, Default)]
pub struct FakeAtlasBuilder {
    api_keys: BTreeMap<String, String>,
    service_accounts: BTreeMap<String, String>,
    orgs: BTreeSet<String>,
    active_migrations: BTreeSet<String>,
    clusters: BTreeSet<(String, String)>,
    agent_keys: BTreeSet<(String, String)>,
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

    /// An organization that exists.
    pub fn org(mut self, org_id: &str) -> Self {
        self.orgs.insert(org_id.into());
        self
    }

    /// An organization whose link cannot be deleted: a live migration runs.
    pub fn active_migration(mut self, org_id: &str) -> Self {
        self.orgs.insert(org_id.into());
        self.active_migrations.insert(org_id.into());
        self
    }

    pub fn cluster(mut self, group_id: &str, name: &str) -> Self {
        self.clusters.insert((group_id.into(), name.into()));
        self
    }

    pub fn agent_api_key(mut self, project_id: &str, key_id: &str) -> Self {
        self.agent_keys.insert((project_id.into(), key_id.into()));
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
            link_tokens: BTreeMap::new(),
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
    /// org -> current link token.
    link_tokens: BTreeMap<String, String>,
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

    /// The organization's current link token.
    pub fn link_token(&self, org_id: &str) -> Option<String> {
        self.lock().link_tokens.get(org_id).cloned()
    }

    /// Starts or ends a live migration that blocks deleting the link.
    pub fn set_active_migration(&self, org_id: &str, active: bool) {
        let mut s = self.lock();
        if active {
            s.config.active_migrations.insert(org_id.into());
        } else {
            s.config.active_migrations.remove(org_id);
        }
    }

    /// Expires every issued bearer token (the next call gets a 401).
    pub fn expire_tokens(&self) {
        self.lock().tokens.clear();
    }

    /// Agent API keys that still exist.
    pub fn agent_api_keys(&self) -> Vec<(String, String)> {
        self.lock().config.agent_keys.iter().cloned().collect()
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

/// A reply before envelope and pretty-printing are applied.
struct Answer {
    status: u16,
    content_type: Option<String>,
    body: Option<Value>,
    /// A body that is not JSON (CSV, gzip), sent as it is.
    raw: Option<Vec<u8>>,
    headers: Vec<(String, String)>,
}

impl Answer {
    fn error(status: u16, code: &str, detail: &str) -> Self {
        Answer {
            status,
            content_type: Some("application/json".into()),
            body: Some(error_doc(status, code, detail)),
            raw: None,
            headers: Vec::new(),
        }
    }

    fn ok(status: u16, content_type: &str, body: Option<Value>) -> Self {
        Answer {
            status,
            content_type: Some(content_type.into()),
            body,
            raw: None,
            headers: Vec::new(),
        }
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
    let p = crate::runtime::digest_params(params);
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

fn is_hex24(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_cluster_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphanumeric()) && b.all(|c| c.is_ascii_alphanumeric() || c == b'-')
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
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let invalid =
        |what: &str, value: &str| Answer::error(400, "VALIDATION_ERROR", &format!("{what} {value:?} is not valid."));
    let not_found = |what: &str| Answer::error(404, "RESOURCE_NOT_FOUND", &format!("Cannot find resource {what}."));
    match (r.method.as_str(), segs.as_slice()) {
        (method @ ("POST" | "DELETE"), ["api", "atlas", "v2", "orgs", org, "liveMigrations", "linkTokens"]) => {
            let headers = match check_version(s, r, &[V2023_01_01]) {
                Ok(h) => h,
                Err(a) => return a,
            };
            if !is_hex24(org) {
                return invalid("orgId", org);
            }
            if !s.config.orgs.contains(*org) {
                return not_found("organization");
            }
            let mut answer = if method == "POST" {
                let Ok(doc) = serde_json::from_slice::<Value>(&r.body) else {
                    return Answer::error(400, "INVALID_JSON", "The request body is not JSON.");
                };
                if !doc.get("accessListIps").is_none_or(Value::is_array) {
                    return Answer::error(400, "INVALID_ATTRIBUTE", "accessListIps must be an array.");
                }
                s.counter += 1;
                let token = format!("fake-link-token-{}", s.counter);
                s.link_tokens.insert(org.to_string(), token.clone());
                Answer::ok(200, V2023_01_01, Some(json!({"linkToken": token})))
            } else {
                if s.config.active_migrations.contains(*org) {
                    return Answer::error(
                        409,
                        ACTIVE_MIGRATION,
                        "Cannot delete organization link while there is active migration.",
                    );
                }
                if s.link_tokens.remove(*org).is_none() {
                    return not_found("link token");
                }
                Answer::ok(204, V2023_01_01, None)
            };
            answer.headers = headers;
            answer
        }
        ("POST", ["api", "atlas", "v2", "groups", group, "clusters", last]) => {
            let Some(cluster) = last.strip_suffix(":revokeMongoDBEmployeeAccess") else {
                return not_found("operation");
            };
            let headers = match check_version(s, r, &[V2024_08_05]) {
                Ok(h) => h,
                Err(a) => return a,
            };
            if !is_hex24(group) {
                return invalid("groupId", group);
            }
            if !is_cluster_name(cluster) {
                return invalid("clusterName", cluster);
            }
            if !s.config.clusters.contains(&(group.to_string(), cluster.to_string())) {
                return not_found("cluster");
            }
            let mut answer = Answer::ok(204, V2024_08_05, None);
            answer.headers = headers;
            answer
        }
        ("DELETE", ["api", "public", "v1.0", "groups", project, "agentapikeys", key]) => {
            if !is_hex24(project) {
                return invalid("PROJECT-ID", project);
            }
            if !s.config.agent_keys.remove(&(project.to_string(), key.to_string())) {
                return not_found("agent API key");
            }
            Answer::ok(200, "application/json", None)
        }
        _ => not_found(&r.path),
    }
}
