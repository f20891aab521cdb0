//! Every id and name the fake makes matches the pattern `spec/atlas-admin.yaml`
//! gives it, as Atlas's do: the answers it generates for every operation
//! version, and what each create makes (a fresh key, the path parameters
//! it carries, an address's block), checked field by field against the
//! patterns of the answer's schema and of the item's path parameters. A
//! pattern the regex crate cannot read (a lookahead) is checked without
//! its lookarounds, a pattern that accepts a little more.
//!
//! The table of creates must name every create of the fake's route table:
//! a creatable resource added to the spec without a row fails
//! `the_table_covers_every_create`.

use atlas_admin::fake::{FakeSpec, Operation, Role, Spec};
use atlas_admin::models::{
    CloudDatabaseUser, CloudDatabaseUserDatabaseName, ClusterDescription20240805, DatabaseUserRole,
    DatabaseUserRoleRoleName, DiskBackupOnDemandSnapshotRequest, FlexClusterDescriptionCreate20241113,
    FlexProviderSettingsCreate20241113, Group, NetworkPermissionEntry, OrgServiceAccountRequest,
    OrgServiceAccountRequestRolesItem,
};
use atlas_admin::runtime::serde_json::Value;
use atlas_admin::{Client, Error};
use atlas_admin_tests::{bare_fake, client, digest};
use regex::Regex;
use std::collections::BTreeSet;

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";
const ORG: &str = "4888442a3354817a7320eb61";

fn spec() -> Value {
    let path = xtask::project_root().join("spec/atlas-admin.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A spec pattern as a regex: as written, or without its lookaround
/// groups (`(?!$)`), which the regex crate does not read.
fn pattern(source: &str) -> Regex {
    if let Ok(re) = Regex::new(source) {
        return re;
    }
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let ahead: String = chars[i..chars.len().min(i + 4)].iter().collect();
        if ["(?=", "(?!", "(?<=", "(?<!"].iter().any(|l| ahead.starts_with(l)) {
            let mut depth = 0;
            while i < chars.len() {
                match chars[i] {
                    '\\' => i += 1,
                    '(' => depth += 1,
                    ')' if depth == 1 => break,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
        } else {
            out.push(chars[i]);
            if chars[i] == '\\' {
                out.extend(chars.get(i + 1));
                i += 1;
            }
        }
        i += 1;
    }
    Regex::new(&out).unwrap_or_else(|e| panic!("{source}: not a pattern even without lookarounds: {e}"))
}

/// Checks a value against a schema: every string under a `pattern`
/// (through `$ref`, `allOf`, properties, items and maps; under `oneOf` or
/// `anyOf`, the variant it fits best) must match it.
struct Checker<'s> {
    spec: &'s Value,
    checked: usize,
}

impl<'s> Checker<'s> {
    fn resolve(&self, mut schema: &'s Value) -> &'s Value {
        for _ in 0..32 {
            let Some(r) = schema.get("$ref").and_then(Value::as_str) else {
                return schema;
            };
            schema = self
                .spec
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{r}"));
        }
        schema
    }

    /// What in `value`, at `at`, breaks a pattern of `schema`.
    fn problems(&mut self, schema: &'s Value, value: &Value, at: &str) -> Vec<String> {
        let schema = self.resolve(schema);
        let mut found = Vec::new();
        if let (Some(p), Some(text)) = (schema.get("pattern").and_then(Value::as_str), value.as_str()) {
            self.checked += 1;
            if !pattern(p).is_match(text) {
                found.push(format!("{at} = {text:?} does not match {p}"));
            }
        }
        for all in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            found.extend(self.problems(all, value, at));
        }
        let variants = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|k| schema.get(*k)?.as_array())
            .flatten();
        let best = variants.map(|v| self.problems(v, value, at)).min_by_key(Vec::len);
        found.extend(best.unwrap_or_default());
        match value {
            Value::Object(map) => {
                let props = schema.get("properties").and_then(Value::as_object);
                let extra = schema.get("additionalProperties").filter(|a| a.is_object());
                for (k, v) in map {
                    let field = props.and_then(|p| p.get(k)).or(extra);
                    if let Some(field) = field {
                        found.extend(self.problems(field, v, &format!("{at}.{k}")));
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item) = schema.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        found.extend(self.problems(item, v, &format!("{at}[{i}]")));
                    }
                }
            }
            _ => {}
        }
        found
    }

    /// The success schema of `op` at `media_type`, as the spec writes it.
    fn answer_schema(&self, op: &Operation, status: u16, media_type: &str) -> &'s Value {
        let spec: &'s Value = self.spec;
        let responses = &spec["paths"][op.path][op.method.to_lowercase()]["responses"];
        let response = self.resolve(&responses[status.to_string()]);
        let schema = &response["content"][media_type]["schema"];
        assert!(
            !schema.is_null(),
            "{} {status} {media_type}: no schema",
            op.operation_id
        );
        schema
    }
}

/// The fake's own answer to every operation version with a JSON body (what
/// a stateless fake sends, and what a stateful one builds answers on).
#[test]
fn every_generated_answer_matches_the_spec_patterns() {
    let spec = spec();
    let mut checker = Checker {
        spec: &spec,
        checked: 0,
    };
    let mut found = Vec::new();
    for op in Spec::operations() {
        for v in op.versions {
            let Some(text) = v.answer else { continue };
            let answer: Value = atlas_admin::runtime::serde_json::from_str(text).unwrap();
            let schema = checker.answer_schema(op, v.status, v.media_type);
            found.extend(checker.problems(schema, &answer, &format!("{} {}: $", op.operation_id, v.label)));
        }
    }
    assert!(found.is_empty(), "{found:#?}");
    assert!(checker.checked > 40, "only {} values under a pattern", checker.checked);
}

/// Creates the `n`th resource of `operation` through the client; its
/// answer as sent.
async fn create(operation: &str, client: &Client, n: usize) -> Result<Value, Error> {
    let name = format!("made-{n}");
    let sent = match operation {
        "createGroup" => client
            .projects()
            .create_group(Group::new(name, ORG))
            .send()
            .await?
            .body_json(),
        "createGroupCluster" => {
            let cluster = ClusterDescription20240805::new().with_name(name);
            client
                .clusters()
                .create_cluster(GROUP, cluster)
                .send()
                .await?
                .body_json()
        }
        "createGroupFlexCluster" => {
            let flex =
                FlexClusterDescriptionCreate20241113::new(FlexProviderSettingsCreate20241113::new()).with_name(name);
            client
                .flex_clusters()
                .create_flex_cluster(GROUP, flex)
                .send()
                .await?
                .body_json()
        }
        "createGroupDatabaseUser" => {
            let role = DatabaseUserRole::new("admin", DatabaseUserRoleRoleName::Read);
            let user = CloudDatabaseUser::new(CloudDatabaseUserDatabaseName::Admin, vec![role], name);
            client
                .database_users()
                .create_database_user(GROUP, user)
                .send()
                .await?
                .body_json()
        }
        "createGroupAccessListEntry" => {
            let entry = NetworkPermissionEntry::new().with_ip_address(format!("198.51.100.{n}"));
            let list = client.project_ip_access_list();
            list.create_access_list_entry(GROUP, vec![entry])
                .send()
                .await?
                .body_json()
        }
        "takeGroupClusterBackupSnapshots" => {
            let request = DiskBackupOnDemandSnapshotRequest::new();
            client
                .cloud_backups()
                .take_snapshots(GROUP, "c1", request)
                .send()
                .await?
                .body_json()
        }
        "createOrgServiceAccount" => {
            let roles = vec![OrgServiceAccountRequestRolesItem::OrgMember];
            let account = OrgServiceAccountRequest::new("made by the test", name, roles, 8);
            let accounts = client.service_accounts();
            accounts
                .create_org_service_account(ORG, account)
                .send()
                .await?
                .body_json()
        }
        other => panic!("{other}: no row of this test creates with it"),
    };
    Ok(sent.unwrap_or_default())
}

const CREATES: &[&str] = &[
    "createGroup",
    "createGroupCluster",
    "createGroupFlexCluster",
    "createGroupDatabaseUser",
    "createGroupAccessListEntry",
    "takeGroupClusterBackupSnapshots",
    "createOrgServiceAccount",
];

#[test]
fn the_table_covers_every_create() {
    let creates: BTreeSet<&str> = Spec::operations()
        .into_iter()
        .filter(|op| matches!(op.role, Role::Create { .. } | Role::CreateEach { .. }))
        .map(|op| op.operation_id)
        .collect();
    assert_eq!(creates, CREATES.iter().copied().collect());
}

/// The values of an item's key fields in a create's answer, each with the
/// patterns of the path parameter every operation on the item reads it
/// from.
fn key_patterns(create: &Operation, answer: &Value) -> Vec<(String, String, &'static str)> {
    let (item, fields): (_, Vec<&str>) = match create.role {
        Role::Create { item, key_fields, .. } => (item, key_fields.to_vec()),
        Role::CreateEach { item, .. } => (item, item.named_by.to_vec()),
        _ => return Vec::new(),
    };
    let docs: Vec<&Value> = match create.role {
        Role::CreateEach { .. } => answer["results"].as_array().into_iter().flatten().collect(),
        _ => vec![answer],
    };
    let mut out = Vec::new();
    for op in Spec::operations() {
        let keys = match op.role {
            Role::Read { item: i, keys }
            | Role::ReadBelow { item: i, keys }
            | Role::Update { item: i, keys }
            | Role::Delete { item: i, keys }
                if i.kind == item.kind =>
            {
                keys
            }
            _ => continue,
        };
        for (field, param) in fields.iter().zip(keys.iter().cycle()) {
            let Some(p) = op.params.iter().find(|p| p.name == *param).and_then(|p| p.pattern) else {
                continue;
            };
            for doc in &docs {
                if let Some(v) = doc.get(*field).and_then(Value::as_str) {
                    out.push((format!("{} {field}", op.operation_id), v.to_string(), p));
                }
            }
        }
    }
    out
}

/// Two of each creatable resource, on one stateful fake: each answer
/// matches the patterns of the create's answer schema, and each key the
/// patterns of the path parameters that name the item; made keys differ.
#[tokio::test]
async fn what_each_create_makes_matches_the_spec_patterns() {
    let spec = spec();
    let mut checker = Checker {
        spec: &spec,
        checked: 0,
    };
    let fake = bare_fake().await;
    let client = client(&fake, digest());
    let mut found = Vec::new();
    let mut keys_checked = 0;
    for operation in CREATES {
        let op = Spec::operations()
            .into_iter()
            .find(|o| o.operation_id == *operation)
            .unwrap();
        let v = &op.versions[op.versions.len() - 1];
        let mut made = BTreeSet::new();
        for n in 1..=2 {
            let answer = create(operation, &client, n).await.unwrap();
            let schema = checker.answer_schema(op, v.status, v.media_type);
            found.extend(checker.problems(schema, &answer, &format!("{operation} #{n}: $")));
            for (what, value, p) in key_patterns(op, &answer) {
                keys_checked += 1;
                if !pattern(p).is_match(&value) {
                    found.push(format!("{operation} #{n}: {what} = {value:?} does not match {p}"));
                }
            }
            if let Role::Create { key_fields, .. } = op.role {
                made.insert(key_fields.iter().map(|f| answer[*f].to_string()).collect::<Vec<_>>());
            }
        }
        if let Role::Create { .. } = op.role {
            assert_eq!(made.len(), 2, "{operation}: two creates made {made:?}");
        }
    }
    assert!(found.is_empty(), "{found:#?}");
    assert!(keys_checked >= 14, "{keys_checked} keys checked");
}

/// The ids the fake makes pass the client's own checks of the same
/// patterns: a service account's client id and a project's id, read and
/// removed through the client.
#[tokio::test]
async fn made_ids_pass_their_get_and_delete_through_the_client() {
    let fake = bare_fake().await;
    let client = client(&fake, digest());
    let accounts = client.service_accounts();
    let made = create("createOrgServiceAccount", &client, 1).await.unwrap();
    let client_id = made["clientId"].as_str().unwrap().to_string();
    let read = accounts.get_org_service_account(ORG, &client_id).send().await.unwrap();
    assert_eq!(read.client_id.as_deref(), Some(client_id.as_str()));
    accounts
        .delete_org_service_account(ORG, &client_id)
        .send()
        .await
        .unwrap();
    let gone = accounts
        .get_org_service_account(ORG, &client_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");

    let made = create("createGroup", &client, 1).await.unwrap();
    let id = made["id"].as_str().unwrap().to_string();
    client.projects().get_group(&id).send().await.unwrap();
    client.projects().delete_group(&id).send().await.unwrap();
}
