use super::answer::{Answer, Store};
use super::auth::bearer::{token, Session, Tokens};
use super::auth::digest::Nonces;
use super::auth::gate::authenticate;
use super::builder::{body_of, FakeAtlasBuilder};
use super::fault::Fault;
use super::routing::route;
use super::spec::{FakeSpec, NoSpec};
use super::state::State;
use super::steer::{check_known, Steered};
use super::wire::{reply, RecordedRequest, Reply};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::json;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A running fake Atlas. Stops when dropped. `S` is the generated crate's
/// spec, whose every operation it serves ([`NoSpec`]: only routes given by
/// hand).
pub struct FakeAtlas<S = NoSpec> {
    pub(super) addr: SocketAddr,
    pub(super) state: Arc<Mutex<State>>,
    pub(super) task: JoinHandle<()>,
    spec: PhantomData<S>,
}

impl<S> std::fmt::Debug for FakeAtlas<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeAtlas")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl<S> Drop for FakeAtlas<S> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<S: FakeSpec> FakeAtlas<S> {
    /// A builder that serves every operation of `S`.
    pub fn builder() -> FakeAtlasBuilder<S> {
        FakeAtlasBuilder::default()
    }

    /// Answers every later call of `operation_id` with `body` (a typed
    /// model or JSON) and the documented status. See
    /// [`FakeAtlasBuilder::answer`].
    pub fn answer(&self, operation_id: &str, body: impl serde::Serialize) {
        self.steer(operation_id, None, vec![body_of(operation_id, body)]);
    }

    /// [`answer`](Self::answer) for one version of the operation.
    pub fn answer_version(&self, operation_id: &str, version: &str, body: impl serde::Serialize) {
        self.steer(operation_id, Some(version), vec![body_of(operation_id, body)]);
    }

    /// Answers successive calls with these bodies in turn; the last stays.
    pub fn answers<T: serde::Serialize>(&self, operation_id: &str, bodies: impl IntoIterator<Item = T>) {
        let queue = bodies.into_iter().map(|b| body_of(operation_id, b)).collect();
        self.steer(operation_id, None, queue);
    }

    /// Answers every later call of `operation_id` with `answer` as it is.
    pub fn respond(&self, operation_id: &str, answer: Answer) {
        self.steer(operation_id, None, vec![Steered::Answer(answer)]);
    }

    /// The requests that called `operation_id`, in order.
    pub fn calls_of(&self, operation_id: &str) -> Vec<RecordedRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.operation_id() == Some(operation_id))
            .cloned()
            .collect()
    }

    fn steer(&self, operation_id: &str, version: Option<&str>, answers: Vec<Steered>) {
        let mut s = self.lock();
        check_known(&s.config.operations, operation_id, version);
        s.config.steering.set(operation_id, version, answers);
    }
}

impl<S> FakeAtlas<S> {
    /// `http://127.0.0.1:<port>`: use as the base URL (and Ops Manager URL).
    /// The recordings given to `replay` that no request was answered
    /// with, in recorded order.
    pub fn unused_recordings(&self) -> Vec<std::path::PathBuf> {
        self.lock().replay.as_ref().map(|r| r.unused()).unwrap_or_default()
    }

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

impl<S: FakeSpec> FakeAtlasBuilder<S> {
    /// Binds `127.0.0.1:0` and serves until the `FakeAtlas` is dropped.
    pub async fn start(self) -> FakeAtlas<S> {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            nonces: Nonces::default(),
            tokens: Tokens::default(),
            counter: 0,
            faults: Vec::new(),
            requests: Vec::new(),
            patterns: BTreeMap::new(),
            replay: self.config.replay.clone().map(super::replay::Replay::new),
            config: self.config,
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
        FakeAtlas {
            addr,
            state,
            task,
            spec: PhantomData,
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
        operation: None,
    };
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    s.requests.push(recorded.clone());
    if recorded.is_token_request() {
        let s = &mut *s;
        let session = Session {
            config: &s.config.bearer,
            tokens: &mut s.tokens,
            counter: &mut s.counter,
        };
        return token(session, &recorded);
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
        None => {
            let (answer, call) = route(&mut s, &recorded);
            if let Some(last) = s.requests.last_mut() {
                last.operation = call;
            }
            answer
        }
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
