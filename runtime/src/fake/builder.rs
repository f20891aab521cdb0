//! Configuring a fake: credentials, routes, canned answers, versions,
//! digest and token behaviour.

use super::answer::{Answer, Call, Route, Store};
use super::auth::bearer::AccountConfig;
use super::auth::digest::DigestConfig;
use super::route::Segment;
use super::spec::{FakeSpec, NoSpec, Operation};
use super::steer::{check_known, Steered, Steering};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;
use std::sync::Arc;

/// One canned answer: for this `Accept`, this status and body.
#[derive(Debug, Clone)]
pub(super) struct Canned {
    pub(super) media_type: String,
    /// Whether the media type is JSON (the body is then sent as JSON).
    pub(super) json: bool,
    pub(super) status: u16,
    pub(super) body: String,
}

/// What a fake is configured with (the running fake keeps it).
#[derive(Clone, Default)]
pub(super) struct Config {
    /// The operations of the spec, from [`FakeSpec::operations`].
    pub(super) operations: Vec<&'static Operation>,
    pub(super) steering: Steering,
    /// Every operation answers its generated value: no state.
    pub(super) stateless: bool,
    /// A request body with anything the model does not define (an unknown
    /// property or enum value, `null` where not nullable) is refused too.
    pub(super) strict: bool,
    /// API keys, checked with HTTP Digest.
    pub(super) digest: DigestConfig,
    /// Service accounts, and the bearer tokens issued to them.
    pub(super) bearer: AccountConfig,
    pub(super) store: Store,
    pub(super) routes: Vec<Route>,
    pub(super) deprecated: BTreeMap<String, String>,
    pub(super) gone: BTreeSet<String>,
    /// Recorded answers to replay, before everything else.
    pub(super) replay: Option<std::sync::Arc<Vec<super::replay::Tape>>>,
    /// (METHOD, path) -> the versions served there.
    pub(super) canned: BTreeMap<(String, String), Vec<Canned>>,
}

/// Configures and starts a [`FakeAtlas`](super::FakeAtlas). `S` is the
/// generated crate's spec: every operation in it is served (see
/// `FakeAtlas::builder`); [`NoSpec`] serves only what is given by hand.
pub struct FakeAtlasBuilder<S = NoSpec> {
    pub(super) config: Config,
    spec: PhantomData<S>,
}

impl<S: FakeSpec> Clone for FakeAtlasBuilder<S> {
    fn clone(&self) -> Self {
        FakeAtlasBuilder {
            config: self.config.clone(),
            spec: PhantomData,
        }
    }
}

impl<S: FakeSpec> Default for FakeAtlasBuilder<S> {
    /// Serves every operation of `S`.
    fn default() -> Self {
        FakeAtlasBuilder {
            config: Config {
                operations: S::operations(),
                ..Config::default()
            },
            spec: PhantomData,
        }
    }
}

impl FakeAtlasBuilder<NoSpec> {
    /// A fake that serves only routes and canned answers given by hand.
    pub fn new() -> Self {
        Self::default()
    }
}

impl<S: FakeSpec> FakeAtlasBuilder<S> {
    /// Answers every call of `operation_id` with `body` (a typed model or a
    /// `serde_json::Value`) and the version's documented status, instead of
    /// the generated value or the stored state.
    ///
    /// # Panics
    /// If the spec has no such operation, or `body` does not encode.
    pub fn answer(mut self, operation_id: &str, body: impl Serialize) -> Self {
        self.set(operation_id, None, vec![body_of(operation_id, body)]);
        self
    }

    /// [`answer`](Self::answer) for one version (`"2024-08-05"`, or its
    /// media type) of the operation.
    pub fn answer_version(mut self, operation_id: &str, version: &str, body: impl Serialize) -> Self {
        self.set(operation_id, Some(version), vec![body_of(operation_id, body)]);
        self
    }

    /// Answers successive calls with these bodies in turn; the last one
    /// stays (a cluster going `CREATING`, `CREATING`, `IDLE`, for waiters).
    pub fn answers<T: Serialize>(mut self, operation_id: &str, bodies: impl IntoIterator<Item = T>) -> Self {
        let queue = bodies.into_iter().map(|b| body_of(operation_id, b)).collect();
        self.set(operation_id, None, queue);
        self
    }

    /// Answers every call of `operation_id` with `answer` as it is: any
    /// status, headers, or an error document ([`Answer::error`]).
    pub fn respond(mut self, operation_id: &str, answer: Answer) -> Self {
        self.set(operation_id, None, vec![Steered::Answer(answer)]);
        self
    }

    /// Turns state off: every operation answers its documented status and
    /// generated value, whatever was created or deleted before.
    pub fn stateless(mut self) -> Self {
        self.config.stateless = true;
        self
    }

    /// Replays the recordings below `dir` (and its folders), before any
    /// other answer: the files `ClientBuilder::record_to` writes, or the
    /// Atlas CLI's `.snaphost` recordings. Each request gets the next
    /// answer recorded for its method and path, in recorded order; one with
    /// none left gets 501 `NO_RECORDING_LEFT` naming the closest
    /// recordings. `FakeAtlas::unused_recordings` lists what was never
    /// asked for. Authentication is checked as usual.
    ///
    /// Panics, naming the file, when a recording cannot be read (a mistake
    /// in the test's setup, not input).
    pub fn replay(mut self, dir: impl AsRef<std::path::Path>) -> Self {
        let tapes = super::replay::load(dir.as_ref()).unwrap_or_else(|e| panic!("FakeAtlas::replay: {e}"));
        self.config.replay = Some(std::sync::Arc::new(tapes));
        self
    }

    /// Strict request bodies: besides a body that does not decode (always
    /// 400 `INVALID_JSON`), one with an unknown property or enum value, or
    /// `null` where the model is not nullable, is refused with 400
    /// `INVALID_JSON` naming each difference.
    pub fn strict(mut self) -> Self {
        self.config.strict = true;
        self
    }

    fn set(&mut self, operation_id: &str, version: Option<&str>, answers: Vec<Steered>) {
        check_known(&self.config.operations, operation_id, version);
        self.config.steering.set(operation_id, version, answers);
    }

    /// Accept this API key pair with HTTP Digest.
    pub fn api_key(mut self, public_key: &str, private_key: &str) -> Self {
        self.config.digest.keys.insert(public_key.into(), private_key.into());
        self
    }

    /// Accept this service account at `/api/oauth/token`.
    pub fn service_account(mut self, client_id: &str, client_secret: &str) -> Self {
        self.config
            .bearer
            .accounts
            .insert(client_id.into(), client_secret.into());
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
        self.config.routes.push(Route {
            method: method.to_ascii_uppercase(),
            segments: Segment::parse_template(template),
            media_types: media_types.iter().map(|m| m.to_string()).collect(),
            handler: Arc::new(handler),
        });
        self
    }

    /// Whether a route for `method template` is configured.
    pub fn has_route(&self, method: &str, template: &str) -> bool {
        let segments = Segment::parse_template(template);
        self.config
            .routes
            .iter()
            .any(|r| r.method.eq_ignore_ascii_case(method) && r.segments == segments)
    }

    /// Puts `value` into the shared store under `key` before the server starts.
    pub fn store(mut self, key: impl Into<String>, value: Value) -> Self {
        self.config.store.insert(key, value);
        self
    }

    /// The content type of token responses (default `application/json`).
    pub fn token_content_type(mut self, content_type: &str) -> Self {
        self.config.bearer.content_type = Some(content_type.into());
        self
    }

    /// `expires_in` of issued tokens, in seconds (default 3600).
    pub fn token_lifetime(mut self, seconds: u64) -> Self {
        self.config.bearer.lifetime = Some(seconds);
        self
    }

    /// Answer this media type with `Deprecation` and `Sunset: <sunset>`.
    pub fn deprecate_version(mut self, media_type: &str, sunset: &str) -> Self {
        self.config.deprecated.insert(media_type.into(), sunset.into());
        self
    }

    /// Answer this media type with 410 `VERSION_GONE`.
    pub fn gone_version(mut self, media_type: &str) -> Self {
        self.config.gone.insert(media_type.into());
        self
    }

    /// Challenge with `algorithm=SHA-256` instead of MD5.
    pub fn digest_sha256(mut self) -> Self {
        self.config.digest.sha256 = true;
        self
    }

    /// A nonce is good for this many requests, then answered `stale=true`.
    pub fn nonce_max_uses(mut self, uses: u32) -> Self {
        self.config.digest.nonce_max_uses = Some(uses);
        self
    }

    /// Serves `body` with `status` for `method path` when `Accept` is
    /// `media_type` (also the response's `Content-Type`). A `path` with a
    /// `?query` matches only that exact query; one without matches any.
    /// Several media types
    /// for one route are several versions; any other `Accept` gets 406
    /// `INVALID_VERSION_DATE`. For operations the fake does not model.
    pub fn canned(mut self, method: &str, path: &str, media_type: &str, status: u16, body: &str) -> Self {
        self.config
            .canned
            .entry((method.to_ascii_uppercase(), path.to_string()))
            .or_default()
            .push(Canned {
                media_type: media_type.to_string(),
                json: media_type.ends_with("json"),
                status,
                body: body.to_string(),
            });
        self
    }
}

/// A body given to the steering methods, as JSON (a typed model writes
/// its read-only fields: what Atlas would put there).
pub(super) fn body_of(operation_id: &str, body: impl Serialize) -> Steered {
    match serde_json::to_value(body) {
        Ok(v) => Steered::Body(v),
        Err(e) => panic!("the answer set for {operation_id} does not encode as JSON: {e}"),
    }
}

impl<S> std::fmt::Debug for FakeAtlasBuilder<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeAtlasBuilder")
            .field("api_keys", &self.config.digest.keys.keys().collect::<Vec<_>>())
            .field(
                "service_accounts",
                &self.config.bearer.accounts.keys().collect::<Vec<_>>(),
            )
            .field("routes", &self.config.routes.len())
            .field("operations", &self.config.operations.len())
            .finish_non_exhaustive()
    }
}
