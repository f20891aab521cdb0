//! Configuring a fake: credentials, routes, canned answers, versions,
//! digest and token behaviour.

use super::answer::{Answer, Call, Route, Store};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One canned answer: for this `Accept`, this status and body.
#[derive(Debug, Clone)]
pub(super) struct Canned {
    pub(super) media_type: String,
    pub(super) status: u16,
    pub(super) body: String,
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
