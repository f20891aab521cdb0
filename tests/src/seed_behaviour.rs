//! The seed operations' behaviour in the fake Atlas, written as a use of its
//! generic routes and store: organizations with link tokens (and live
//! migrations that block deleting them), clusters whose employee access can
//! be revoked, Cloud Manager agent API keys. Ids are checked as Atlas does.
//!
//! Shared by the end-to-end tests and the wire benchmarks (which include
//! this file by path).

use atlas_admin::fake::{Answer, Call, FakeAtlas, FakeAtlasBuilder, Store};
use serde_json::{json, Value};

const V2023_01_01: &str = "application/vnd.atlas.2023-01-01+json";
const V2024_08_05: &str = "application/vnd.atlas.2024-08-05+json";
const ACTIVE_MIGRATION: &str = "CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK";
const LINK_TOKENS: &str = "/api/atlas/v2/orgs/{orgId}/liveMigrations/linkTokens";
const REVOKE: &str = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}:revokeMongoDBEmployeeAccess";
const AGENT_KEY: &str = "/api/public/v1.0/groups/{PROJECT-ID}/agentapikeys/{API-AGENT-KEY-ID}";

fn is_hex24(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_cluster_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphanumeric()) && b.all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

fn create_link_token(store: &mut Store, call: &Call<'_>) -> Answer {
    let org = call.param("orgId");
    if !is_hex24(org) {
        return Answer::invalid("orgId", org);
    }
    if !store.contains(&format!("org/{org}")) {
        return Answer::not_found("organization");
    }
    let Some(doc) = call.json() else {
        return Answer::error(400, "INVALID_JSON", "The request body is not JSON.");
    };
    if !doc.get("accessListIps").is_none_or(Value::is_array) {
        return Answer::error(400, "INVALID_ATTRIBUTE", "accessListIps must be an array.");
    }
    let token = format!("fake-link-token-{}", store.next_id());
    store.insert(format!("link/{org}"), json!(token));
    Answer::ok(201, V2023_01_01, Some(json!({"linkToken": token})))
}

fn delete_link_tokens(store: &mut Store, call: &Call<'_>) -> Answer {
    let org = call.param("orgId");
    if !is_hex24(org) {
        return Answer::invalid("orgId", org);
    }
    if !store.contains(&format!("org/{org}")) {
        return Answer::not_found("organization");
    }
    if store.contains(&format!("migration/{org}")) {
        return Answer::error(
            409,
            ACTIVE_MIGRATION,
            "Cannot delete organization link while there is active migration.",
        );
    }
    if store.remove(&format!("link/{org}")).is_none() {
        return Answer::not_found("link token");
    }
    Answer::ok(204, V2023_01_01, None)
}

fn revoke(store: &mut Store, call: &Call<'_>) -> Answer {
    let (group, cluster) = (call.param("groupId"), call.param("clusterName"));
    if !is_hex24(group) {
        return Answer::invalid("groupId", group);
    }
    if !is_cluster_name(cluster) {
        return Answer::invalid("clusterName", cluster);
    }
    if !store.contains(&format!("cluster/{group}/{cluster}")) {
        return Answer::not_found("cluster");
    }
    Answer::ok(204, V2024_08_05, None)
}

fn delete_agent_api_key(store: &mut Store, call: &Call<'_>) -> Answer {
    let (project, key) = (call.param("PROJECT-ID"), call.param("API-AGENT-KEY-ID"));
    if !is_hex24(project) {
        return Answer::invalid("PROJECT-ID", project);
    }
    if store.remove(&format!("agentkey/{project}/{key}")).is_none() {
        return Answer::not_found("agent API key");
    }
    Answer::ok(200, "application/json", None)
}

/// Seed resources on a [`FakeAtlasBuilder`].
pub trait SeedFakeBuilder: Sized {
    /// The routes of the four seed operations (added once).
    fn seed_routes(self) -> Self;
    /// An organization that exists.
    fn org(self, org_id: &str) -> Self;
    /// An organization whose link cannot be deleted: a live migration runs.
    fn active_migration(self, org_id: &str) -> Self;
    fn cluster(self, group_id: &str, name: &str) -> Self;
    fn agent_api_key(self, project_id: &str, key_id: &str) -> Self;
}

impl SeedFakeBuilder for FakeAtlasBuilder {
    fn seed_routes(self) -> Self {
        if self.has_route("POST", LINK_TOKENS) {
            return self;
        }
        self.route("POST", LINK_TOKENS, &[V2023_01_01], create_link_token)
            .route("DELETE", LINK_TOKENS, &[V2023_01_01], delete_link_tokens)
            .route("POST", REVOKE, &[V2024_08_05], revoke)
            .route("DELETE", AGENT_KEY, &["application/json"], delete_agent_api_key)
    }

    fn org(self, org_id: &str) -> Self {
        self.seed_routes().store(format!("org/{org_id}"), json!({}))
    }

    fn active_migration(self, org_id: &str) -> Self {
        self.org(org_id).store(format!("migration/{org_id}"), json!(true))
    }

    fn cluster(self, group_id: &str, name: &str) -> Self {
        self.seed_routes()
            .store(format!("cluster/{group_id}/{name}"), json!({}))
    }

    fn agent_api_key(self, project_id: &str, key_id: &str) -> Self {
        self.seed_routes()
            .store(format!("agentkey/{project_id}/{key_id}"), json!({}))
    }
}

/// Seed state of a running [`FakeAtlas`].
pub trait SeedFake {
    /// The organization's current link token.
    fn link_token(&self, org_id: &str) -> Option<String>;
    /// Starts or ends a live migration that blocks deleting the link.
    fn set_active_migration(&self, org_id: &str, active: bool);
    /// Agent API keys that still exist, as (project, key).
    fn agent_api_keys(&self) -> Vec<(String, String)>;
}

impl SeedFake for FakeAtlas {
    fn link_token(&self, org_id: &str) -> Option<String> {
        self.with_store(|s| {
            s.get(&format!("link/{org_id}"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
    }

    fn set_active_migration(&self, org_id: &str, active: bool) {
        self.with_store(|s| {
            if active {
                s.insert(format!("migration/{org_id}"), json!(true));
            } else {
                s.remove(&format!("migration/{org_id}"));
            }
        });
    }

    fn agent_api_keys(&self) -> Vec<(String, String)> {
        self.with_store(|s| {
            s.keys_with_prefix("agentkey/")
                .filter_map(|k| k["agentkey/".len()..].split_once('/'))
                .map(|(p, k)| (p.to_string(), k.to_string()))
                .collect()
        })
    }
}
