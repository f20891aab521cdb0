//! The client runtime on the wire, against the fake Atlas on 127.0.0.1,
//! one file per concern: auth, errors, retries, versions, configuration.

use atlas_admin::fake::{FakeAtlas, Fault};
use atlas_admin::models::TargetOrgRequest;
use atlas_admin::{Client, Credentials, Error, RetryPolicy};
use atlas_admin_tests::*;
use std::time::Duration;

mod auth;
mod challenges;
mod config;
mod errors;
mod retries;
mod versions;

const V2023: &str = "application/vnd.atlas.2023-01-01+json";

/// A fake with an agent API key, a cluster and an organization to act on.
async fn fake_with_key() -> FakeAtlas {
    FakeAtlas::builder()
        .agent_api_key(PROJECT, AGENT_KEY)
        .cluster(GROUP, CLUSTER)
        .org(ORG)
        .start()
        .await
}

/// Captures every log line of this thread, down to TRACE.
fn capture_logs() -> (Captured, tracing::subscriber::DefaultGuard) {
    capture_logs_with(tracing::Level::TRACE, false)
}
