//! Sensitive fields never show (#26 item 1): a password, a link token or a
//! service-account secret held in a model prints as a mask in `Debug`
//! (`{:?}`, `{:#?}`, inside a `Response`), never reaches an error's text
//! or a log line, is scrubbed from recordings, and the fake never answers
//! a write-only one.

use atlas_admin::fake::Answer;
use atlas_admin::models::{
    CloudDatabaseUser, CloudDatabaseUserDatabaseName, DatabaseUserRole, DatabaseUserRoleRoleName,
    PaginatedApiAtlasDatabaseUserView, ServiceAccountSecret, TargetOrg,
};
use atlas_admin_tests::*;
use serde_json::json;

const PASSWORD: &str = "pw-3f9a1c-never-shown";
const LINK_TOKEN: &str = "lt-77d0e2-never-shown";
const SA_SECRET: &str = "mdb_sa_sk_5b1e-never-shown";
/// What `Debug` prints in place of each.
const MASK: &str = "*** Sensitive Data Redacted ***";
const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";

fn user() -> CloudDatabaseUser {
    let role = DatabaseUserRole::new("admin", DatabaseUserRoleRoleName::Read);
    CloudDatabaseUser::new(CloudDatabaseUserDatabaseName::Admin, vec![role], "ann").with_password(PASSWORD)
}

fn assert_hidden(text: &str, what: &str) {
    for secret in [PASSWORD, LINK_TOKEN, SA_SECRET] {
        assert!(!text.contains(secret), "{what} shows {secret}:\n{text}");
    }
}

#[test]
fn debug_prints_a_mask_for_each_sensitive_field() {
    let user = user();
    let token = TargetOrg::new(LINK_TOKEN);
    let secret = ServiceAccountSecret::new()
        .with_secret(SA_SECRET)
        .with_masked_secret_value("mdb_sa_sk_****");
    let page = PaginatedApiAtlasDatabaseUserView::new().with_results(vec![user.clone()]);
    for text in [
        format!("{user:?}"),
        format!("{user:#?}"),
        format!("{token:?}"),
        format!("{token:#?}"),
        format!("{secret:?}"),
        format!("{page:#?}"),
        format!("{:?}", Some(vec![user.clone()])),
    ] {
        assert_hidden(&text, "Debug");
        assert!(text.contains(MASK), "no mask in {text}");
    }
    // The rest prints as derived: the field names and the other values.
    let text = format!("{user:?}");
    assert!(
        text.starts_with("CloudDatabaseUser {") && text.contains("username: \"ann\""),
        "{text}"
    );
    assert!(
        format!("{secret:?}").contains("mdb_sa_sk_****"),
        "a masked copy is no secret"
    );
    // The value itself is still there for the app to send.
    assert_eq!(user.password.as_deref(), Some(PASSWORD));
}

/// Atlas answers with secrets (a link token; here also a password it
/// should never send): neither the `Response`, nor an error decoding such
/// an answer, nor any event at TRACE level shows them.
#[tokio::test]
async fn answers_holding_secrets_never_show_in_responses_errors_or_logs() {
    let fake = bare_fake().await;
    let (logs, _guard) = capture_logs_with(tracing::Level::TRACE, true);
    let client = client(&fake, digest());

    fake.answer("createLinkToken", TargetOrg::new(LINK_TOKEN));
    let token = create_token(&client).await.unwrap();
    assert_eq!(token.link_token, LINK_TOKEN);
    for text in [format!("{token:?}"), format!("{token:#?}")] {
        assert_hidden(&text, "Response's Debug");
        assert!(text.contains(MASK), "{text}");
    }

    // An answer as written, password and all, that does not decode: the
    // secrets sit in quoted values serde would name.
    let body = json!({"username": "ann", "databaseName": "admin", "password": PASSWORD, "roles": SA_SECRET});
    let media = "application/vnd.atlas.2023-01-01+json";
    fake.respond("createGroupDatabaseUser", Answer::ok(201, media, Some(body)));
    let err = client
        .database_users()
        .create_database_user(GROUP, user())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, atlas_admin::Error::Decode { .. }), "{err:?}");
    for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        assert_hidden(&text, "the decoding error");
    }

    // Decoded, the password Atlas should not have sent is masked too.
    let body = json!({"username": "ann", "databaseName": "admin", "password": PASSWORD, "roles": []});
    fake.respond("createGroupDatabaseUser", Answer::ok(201, media, Some(body)));
    let made = client
        .database_users()
        .create_database_user(GROUP, user())
        .send()
        .await
        .unwrap();
    assert_eq!(made.password.as_deref(), Some(PASSWORD));
    assert_hidden(&format!("{made:?} {made:#?}"), "Response's Debug");

    let text = logs.text();
    assert!(
        text.contains("createLinkToken") && text.contains("createGroupDatabaseUser"),
        "the calls were logged:\n{text}"
    );
    assert_hidden(&text, "the TRACE log");
}

/// The fake answers a database user's create, read and list without the
/// write-only `password` (as Atlas does), though the request sent it.
#[tokio::test]
async fn the_fake_never_answers_a_write_only_password() {
    let fake = bare_fake().await;
    let client = client(&fake, digest());
    let users = client.database_users();
    let made = users.create_database_user(GROUP, user()).send().await.unwrap();
    let sent = &fake.calls_of("createGroupDatabaseUser")[0];
    let sent = sent.operation.as_ref().and_then(|o| o.body.clone()).unwrap();
    assert_eq!(sent["password"], PASSWORD, "the request sent it");
    let read = users.get_database_user(GROUP, "admin", "ann").send().await.unwrap();
    let listed = users.list_database_users(GROUP).send().await.unwrap();
    for (what, body) in [
        ("create", made.body_json()),
        ("read", read.body_json()),
        ("list", listed.body_json()),
    ] {
        let text = body.unwrap().to_string();
        assert!(!text.contains("password") && !text.contains(PASSWORD), "{what}: {text}");
    }
    assert_eq!((made.password.clone(), read.password.clone()), (None, None));
    // What Atlas answers back of a write-only field named as a path
    // parameter (the project) the fake answers too.
    assert_eq!(read.group_id.as_deref(), Some(GROUP));
}

/// A recording holds no secret a call sent or got: the password sent, the
/// link token and the service-account secret answered are `<redacted>`.
#[tokio::test]
async fn recordings_scrub_what_the_model_marks_sensitive() {
    let dir = std::env::temp_dir().join(format!("atlas-sensitive-record-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let fake = bare_fake().await;
    let client = atlas_admin::Client::builder()
        .base_url(fake.url())
        .credentials(digest())
        .record_to(&dir)
        .build()
        .unwrap();
    client
        .database_users()
        .create_database_user(GROUP, user())
        .send()
        .await
        .unwrap();
    fake.answer("createLinkToken", TargetOrg::new(LINK_TOKEN));
    create_token(&client).await.unwrap();
    let secret = ServiceAccountSecret::new().with_secret(SA_SECRET);
    fake.answer("createOrgServiceAccountSecret", secret);
    let request = atlas_admin::models::ServiceAccountSecretRequest::new(24);
    client
        .service_accounts()
        .create_org_secret(ORG, "mdb_sa_id_5f0a1b2c3d4e5f6a7b8c9d0e", request)
        .send()
        .await
        .unwrap();

    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    assert_eq!(files.len(), 3, "{files:?}");
    let texts: Vec<String> = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    for (file, text) in files.iter().zip(&texts) {
        assert_hidden(text, &file.display().to_string());
    }
    let doc = |i: usize| -> serde_json::Value { serde_json::from_str(&texts[i]).unwrap() };
    assert_eq!(doc(0)["request"]["body"]["password"], "<redacted>");
    assert_eq!(doc(0)["request"]["body"]["username"], "ann", "the rest is kept");
    assert_eq!(doc(1)["response"]["body"]["linkToken"], "<redacted>");
    assert_eq!(doc(2)["response"]["body"]["secret"], "<redacted>");
    let _ = std::fs::remove_dir_all(&dir);
}
