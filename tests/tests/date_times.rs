//! `format: date-time` fields are `DateTime`s (#26): the text Atlas sent
//! and the timestamp it names. Atlas's dates parse; text that is not RFC
//! 3339 is kept, reported as a deviation, refused by a strict client, and
//! sent back unchanged.

use atlas_admin::fake::FakeAtlas;
use atlas_admin::models::{Group, NetworkPermissionEntry};
use atlas_admin::runtime::chrono::{TimeZone, Utc};
use atlas_admin::runtime::{decode, Deviation, DeviationKind};
use atlas_admin::{Client, DateTime, Error, Timestamp};
use serde_json::{json, Value};

const GROUP: &str = "5f0a1b2c3d4e5f6a7b8c9d0e";
const ENTRY: &str = "192.0.2.1";

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> Timestamp {
    let whole = Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().expect("a valid date");
    whole + atlas_admin::runtime::chrono::TimeDelta::milliseconds(i64::from(ms))
}

fn client(fake: &FakeAtlas, strict: bool) -> Client {
    Client::builder()
        .base_url(fake.url())
        .ops_manager_url(fake.url())
        .api_key("pub", "priv")
        .strict(strict)
        .build()
        .unwrap()
}

fn kinds(found: &[Deviation]) -> Vec<(DeviationKind, &str)> {
    found.iter().map(|d| (d.kind, d.field.as_ref())).collect()
}

/// An access-list entry as Atlas answers one, with `deleteAfterDate`.
fn entry(delete_after: &str) -> Value {
    json!({"ipAddress": ENTRY, "groupId": GROUP, "deleteAfterDate": delete_after})
}

#[test]
fn a_models_date_time_field_decodes_to_its_timestamp_and_encodes_as_sent() {
    let cases = [
        ("2026-08-10T03:01:52Z", utc(2026, 8, 10, 3, 1, 52, 0)),
        ("2024-01-02T03:04:05.123Z", utc(2024, 1, 2, 3, 4, 5, 123)),
        ("2024-01-02T05:04:05+02:00", utc(2024, 1, 2, 3, 4, 5, 0)),
    ];
    for (text, instant) in cases {
        let group = json!({"name": "p", "orgId": GROUP, "created": text});
        let (group, found) = decode::<Group>(group.to_string().as_bytes()).unwrap();
        assert!(found.is_empty(), "{text}: {found:?}");
        let created = group.created.expect("created");
        assert_eq!((created.timestamp(), created.as_str()), (Some(instant), text));

        let (read, found) = decode::<NetworkPermissionEntry>(entry(text).to_string().as_bytes()).unwrap();
        assert!(found.is_empty(), "{text}: {found:?}");
        assert_eq!(
            read.delete_after_date.as_ref().and_then(DateTime::timestamp),
            Some(instant)
        );
        let written = serde_json::to_value(&read).unwrap();
        assert_eq!(written["deleteAfterDate"], text, "written back byte for byte");
    }
}

#[tokio::test]
async fn an_unparsable_date_time_is_kept_reported_and_sent_back_unchanged() {
    let fake = FakeAtlas::builder()
        .api_key("pub", "priv")
        .answer("getGroupAccessListEntry", entry("next Tuesday"))
        .start()
        .await;
    let client = client(&fake, false);
    let lists = client.project_ip_access_list();
    let got = lists.get_access_list_entry(GROUP, ENTRY).send().await.unwrap();
    assert_eq!(
        kinds(got.deviations()),
        [(DeviationKind::UnparsableDateTime, "next Tuesday")]
    );
    let read = got.into_inner();
    let date = read.delete_after_date.clone().expect("kept");
    assert_eq!((date.as_str(), date.timestamp()), ("next Tuesday", None));

    lists.create_access_list_entry(GROUP, vec![read]).send().await.unwrap();
    let sent = fake.calls_of("createGroupAccessListEntry")[0]
        .operation
        .clone()
        .unwrap();
    assert_eq!(sent.body.unwrap()[0]["deleteAfterDate"], "next Tuesday");
}

#[tokio::test]
async fn a_strict_client_refuses_an_unparsable_date_time_and_takes_a_real_one() {
    let fake = FakeAtlas::builder()
        .api_key("pub", "priv")
        .answers(
            "getGroupAccessListEntry",
            [entry("2026-08-10"), entry("2026-08-10T03:01:52Z")],
        )
        .start()
        .await;
    let client = client(&fake, true);
    let lists = client.project_ip_access_list();
    match lists.get_access_list_entry(GROUP, ENTRY).send().await {
        Err(e @ Error::Deviation { .. }) => {
            assert!(e.to_string().contains("unparsable-date-time: 2026-08-10"), "{e}")
        }
        other => panic!("a strict client took a date without a time: {other:?}"),
    }
    let got = lists.get_access_list_entry(GROUP, ENTRY).send().await.unwrap();
    let date = got.into_inner().delete_after_date.expect("sent");
    assert_eq!(date.timestamp(), Some(utc(2026, 8, 10, 3, 1, 52, 0)));
}

#[tokio::test]
async fn a_timestamp_sets_a_date_time_field_and_the_fake_answers_rfc_3339() {
    let fake = FakeAtlas::builder().api_key("pub", "priv").stateless().start().await;
    let client = client(&fake, false);
    let at = utc(2026, 8, 10, 3, 1, 52, 250);
    let entry = NetworkPermissionEntry::new()
        .with_ip_address(ENTRY)
        .with_delete_after_date(at.into());
    let lists = client.project_ip_access_list();
    lists.create_access_list_entry(GROUP, vec![entry]).send().await.unwrap();
    let sent = fake.calls_of("createGroupAccessListEntry")[0]
        .operation
        .clone()
        .unwrap();
    assert_eq!(sent.body.unwrap()[0]["deleteAfterDate"], "2026-08-10T03:01:52.250Z");

    // The fake's generated answers hold RFC 3339 date-times.
    let got = client.projects().get_group(GROUP).send().await.unwrap();
    assert_eq!(got.deviations(), [], "a stateless getGroup answers the spec");
    let created = got.into_inner().created.expect("the fake answers read-only fields");
    assert!(created.timestamp().is_some(), "{created}");
}
