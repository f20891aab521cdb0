//! `Client` and everything it does: its constructors, and the calls that
//! generated code makes, around the exchange (`exchange.rs`): the call's
//! deadline, tracing, recording, error statuses, version checks and
//! decoding. The builder makes it through [`FromParts`] (`parts.rs`).

use super::answer::{decode, error_from, Raw};
use super::builder::{ClientBuilder, DEFAULT_DEADLINE};
use super::parts::{FromParts, Parts};
use super::route::Route;
use crate::call::deviation::{self, Deviation, DeviationKind};
use crate::call::options::CallOptions;
use crate::call::request::{Base, Endpoint, Request};
use crate::error::{Error, Excerpt};
use crate::features::record::{Exchange, Recorder};
use crate::features::sunset;
use crate::features::wait::Deadline;
use crate::response::Response;
use reqwest::header::CONTENT_TYPE;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

/// A client for the Atlas Administration API. Cheap to clone; clones share
/// connections, the digest nonce and the service-account token.
///
/// Operations hang off one method per tag, e.g.
/// `client.cloud_migration_service().create_link_token(org_id, body).send().await`.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Parts>,
}

/// A client type is made of the parts by way of this crate's `Client`.
impl<C: From<Client>> FromParts for C {
    fn from_parts(parts: Parts) -> Self {
        C::from(Client { inner: Arc::new(parts) })
    }
}

/// The future a generated `send()` returns: nothing is sent until it is
/// first polled. A named, boxed type keeps generated crates free of one
/// `async` state machine per operation version (cheaper to type-check);
/// the box is one allocation per call.
pub type SendFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

impl Client {
    /// Every setting at its default; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    /// [`ClientBuilder::from_env`] with every other setting at its default.
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().from_env()?.build()
    }

    /// Where a `send_and_wait()` with `options` must end, started now: the
    /// call's deadline, else the client's; `None` when neither is set
    /// (then its `WaitPolicy` alone bounds it). Generated code calls this.
    #[doc(hidden)]
    pub fn wait_deadline(&self, options: &CallOptions) -> Option<Deadline> {
        options.deadline.or(self.inner.deadline).map(Deadline::after)
    }

    /// [`Self::send_json`] of `request` as a [`SendFuture`], or the error
    /// that building it met (then nothing is sent). Generated `send()`
    /// calls this.
    #[doc(hidden)]
    pub fn call_json<'a, T>(&'a self, request: Result<Request, Error>) -> SendFuture<'a, Response<T>>
    where
        T: serde::de::DeserializeOwned + Send + 'a,
    {
        Box::pin(async move { self.send_json(request?).await })
    }

    /// [`Self::send_bytes`] as a [`SendFuture`] (see [`Self::call_json`]).
    #[doc(hidden)]
    pub fn call_bytes(&self, request: Result<Request, Error>) -> SendFuture<'_, Response<Vec<u8>>> {
        Box::pin(async move { self.send_bytes(request?).await })
    }

    /// [`Self::send_empty`] as a [`SendFuture`] (see [`Self::call_json`]).
    #[doc(hidden)]
    pub fn call_empty(&self, request: Result<Request, Error>) -> SendFuture<'_, Response<()>> {
        Box::pin(async move { self.send_empty(request?).await })
    }

    /// Sends a request whose success response has a JSON body. The body is
    /// decoded leniently (see [`Deviation`]): what differs from the
    /// spec is on the response, or an error when the client is strict.
    pub async fn send_json<T: serde::de::DeserializeOwned>(&self, request: Request) -> Result<Response<T>, Error> {
        let endpoint = request.endpoint;
        let (raw, deprecation, sunset) = self.send_checked(&request).await?;
        let mut deviations = status_deviation(endpoint, raw.status);
        let (decoded, found) = deviation::gathering(|| decode::<T>(&raw.body));
        let decoded = decoded.map_err(|(path, reason)| Error::Decode {
            operation: endpoint.operation_id,
            status: raw.status,
            path,
            reason,
            excerpt: Excerpt::new(raw.status, &raw.body),
        })?;
        deviations.extend(found);
        self.answer(endpoint, raw, decoded, deprecation, sunset, deviations)
    }

    /// Sends a request whose success response is raw bytes (CSV, gzip).
    pub async fn send_bytes(&self, request: Request) -> Result<Response<Vec<u8>>, Error> {
        let endpoint = request.endpoint;
        let (mut raw, deprecation, sunset) = self.send_checked(&request).await?;
        let deviations = status_deviation(endpoint, raw.status);
        // The value is the body: the response keeps no second copy.
        let value = std::mem::take(&mut raw.body).to_vec();
        self.answer(endpoint, raw, value, deprecation, sunset, deviations)
    }

    /// Sends a request whose success response has no body. A body Atlas
    /// sends anyway is not read as a value, and is a deviation.
    pub async fn send_empty(&self, request: Request) -> Result<Response<()>, Error> {
        let endpoint = request.endpoint;
        let (raw, deprecation, sunset) = self.send_checked(&request).await?;
        let mut deviations = status_deviation(endpoint, raw.status);
        if !raw.body.is_empty() {
            deviations.push(deviation::of_answer(
                DeviationKind::BodyOnEmptyStatus,
                format!("{} bytes on status {}", raw.body.len(), raw.status),
            ));
        }
        self.answer(endpoint, raw, (), deprecation, sunset, deviations)
    }

    /// The response, or (strict) the error its deviations make; each
    /// deviation logged once per operation and version.
    fn answer<T>(
        &self,
        endpoint: &'static Endpoint,
        raw: Raw,
        value: T,
        deprecation: Option<String>,
        sunset: Option<String>,
        deviations: Vec<Deviation>,
    ) -> Result<Response<T>, Error> {
        let version = endpoint.version;
        if self.inner.strict && !deviations.is_empty() {
            return Err(Error::Deviation {
                operation: endpoint.operation_id,
                version,
                status: raw.status,
                deviations,
            });
        }
        for d in &deviations {
            deviation::warn_once(Some((endpoint.operation_id, version)), d.clone());
        }
        Ok(Response {
            status: raw.status,
            headers: raw.headers,
            value,
            deprecation,
            sunset,
            deviations,
            body: raw.body,
        })
    }

    /// [`Self::checked`] inside the call's tracing span: `atlas_call`, with
    /// `otel.name` and `operation_id` naming the operation, its version,
    /// method and path template; then the attempts, the final status, the
    /// `errorCode` and the time taken. Retries, digest challenges, token
    /// fetches and deprecation warnings are events inside it. No field
    /// holds a credential or a body.
    async fn send_checked(&self, request: &Request) -> Result<(Raw, Option<String>, Option<String>), Error> {
        use tracing::field::Empty;
        use tracing::Instrument as _;
        let endpoint = request.endpoint;
        let span = tracing::info_span!(
            "atlas_call",
            otel.name = endpoint.operation_id,
            operation_id = endpoint.operation_id,
            version = endpoint.accept,
            method = endpoint.method.as_str(),
            path = endpoint.path_template,
            attempts = Empty,
            status = Empty,
            error_code = Empty,
            elapsed_ms = Empty,
        );
        let started = Instant::now();
        let result = self.checked(request).instrument(span.clone()).await;
        match &result {
            Ok((raw, _, _)) => {
                span.record("status", raw.status);
            }
            Err(e) => {
                if let Some(status) = e.status() {
                    span.record("status", status);
                }
                if let Some(code) = e.error_code() {
                    span.record("error_code", crate::escape::escape(code).as_str());
                }
            }
        }
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        result
    }

    /// Sends within the call's deadline, turns error statuses into errors
    /// and checks the version of the answer.
    async fn checked(&self, request: &Request) -> Result<(Raw, Option<String>, Option<String>), Error> {
        let endpoint = request.endpoint;
        let operation = endpoint.operation_id;
        if let Some(sunset) = endpoint.sunset {
            if sunset::has_passed(sunset, std::time::SystemTime::now()) {
                self.warn_once(endpoint, "past-sunset", || {
                    tracing::warn!(
                        operation,
                        version = endpoint.accept,
                        sunset,
                        newer = %endpoint.newer.join(", "),
                        "this resource version is past its sunset date; Atlas may answer 410 VERSION_GONE: call a newer version"
                    )
                });
            }
        }
        let bound = request
            .options
            .deadline
            .or(self.inner.deadline)
            .unwrap_or(DEFAULT_DEADLINE);
        let deadline = Deadline::after(bound).at;
        let route = self.route(endpoint.base);
        let exchange = self.inner.transport.execute(request, route, deadline);
        let raw = match tokio::time::timeout_at(deadline, exchange).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(Error::DeadlineExceeded {
                    operation,
                    deadline: bound,
                    last_state: None,
                })
            }
        };
        if let Some(recorder) = &self.inner.recorder {
            self.record(recorder, request, &raw)?;
        }
        if !(200..300).contains(&raw.status) {
            return Err(error_from(endpoint, &raw));
        }
        if let Some(received) = raw.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
            let received = received.split(';').next().unwrap_or("").trim();
            if received.starts_with("application/vnd.atlas.") && !received.eq_ignore_ascii_case(endpoint.accept) {
                return Err(Error::VersionMismatch {
                    operation,
                    sent: endpoint.accept,
                    received: received.to_string(),
                });
            }
        }
        let header = |name: &str| raw.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let deprecation = header("deprecation");
        let sunset = header("sunset");
        if deprecation.is_some() || sunset.is_some() {
            self.warn_once(endpoint, "deprecated", || {
                tracing::warn!(
                    operation,
                    version = endpoint.accept,
                    deprecation = deprecation.as_deref().unwrap_or(""),
                    sunset = sunset.as_deref().unwrap_or(""),
                    "this resource version is deprecated; move to a newer version before its sunset"
                )
            });
        }
        Ok((raw, deprecation, sunset))
    }

    /// Writes one call's exchange (secrets scrubbed by the recorder).
    fn record(&self, recorder: &Recorder, request: &Request, raw: &Raw) -> Result<(), Error> {
        let endpoint = request.endpoint;
        let url = self.route(endpoint.base).url(request)?;
        let mut request_headers = vec![("accept", endpoint.accept)];
        if let (Some(ct), Some(_)) = (endpoint.content_type, &request.body) {
            request_headers.push(("content-type", ct));
        }
        request_headers.extend(request.headers.iter().map(|(k, v)| (*k, v.as_str())));
        recorder
            .write(&Exchange {
                operation: endpoint.operation_id,
                version: endpoint.version,
                method: endpoint.method.as_str(),
                path: url.path(),
                query: url.query(),
                request_headers,
                request_body: request.body.as_deref(),
                sensitive: endpoint.sensitive,
                status: raw.status,
                response_headers: &raw.headers,
                response_body: &raw.body,
            })
            .map(|_| ())
            .map_err(Error::Config)
    }

    /// Runs `warn` the first time `kind` happens for this operation version.
    fn warn_once(&self, endpoint: &Endpoint, kind: &'static str, warn: impl FnOnce()) {
        let first = self.inner.warned.lock().unwrap_or_else(|p| p.into_inner()).insert((
            endpoint.operation_id,
            endpoint.accept,
            kind,
        ));
        if first {
            warn();
        }
    }

    fn route(&self, base: Base) -> &Route {
        match base {
            Base::Atlas => &self.inner.atlas,
            Base::CloudManager => &self.inner.cloud_manager,
        }
    }
}

/// A 2xx status the operation does not document, as a deviation.
fn status_deviation(endpoint: &Endpoint, status: u16) -> Vec<Deviation> {
    if endpoint.statuses.is_empty() || endpoint.statuses.contains(&status) {
        return Vec::new();
    }
    let listed: Vec<String> = endpoint.statuses.iter().map(u16::to_string).collect();
    vec![deviation::of_answer(
        DeviationKind::UndocumentedStatus,
        format!("{status} (documented: {})", listed.join(", ")),
    )]
}
