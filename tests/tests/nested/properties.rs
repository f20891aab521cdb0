//! Property tests (issue #8), on stable with proptest. The case counts are
//! fixed here and reported in the README:
//! - path values of any text either are refused (only "", ".", "..") or
//!   reach a real server on 127.0.0.1 as one segment that decodes back;
//! - digest challenge parsing, `Retry-After` parsing and error-body
//!   decoding never panic, whatever the server sends.

use atlas_admin::runtime::{error_from_parts, parse_retry_after, parse_www_authenticate};
use atlas_admin::{Client, Error};
use atlas_admin_tests::hostile_server::{HostileServer, Script};
use atlas_admin_tests::PROJECT;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

/// Path values sent over HTTP.
pub const PATH_CASES: u32 = 512;
/// Parser inputs.
pub const PARSER_CASES: u32 = 20_000;

fn decode_segment(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 3 <= b.len() {
            out.push(u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Text built from the characters that matter for paths, plus anything.
fn path_value() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(".".to_string()),
        Just("/".to_string()),
        Just("%".to_string()),
        Just("%2e".to_string()),
        Just("%2E".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just("\r\n".to_string()),
        Just(" ".to_string()),
        Just("\\".to_string()),
        any::<char>().prop_map(String::from),
        "[a-z0-9]{1,4}".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|v| v.concat())
}

#[test]
fn path_values_are_refused_or_round_trip_as_one_segment() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(HostileServer::start(|_| Script::status(204)));
    let client = Client::builder().base_url(server.url()).build().unwrap();
    let mut runner = TestRunner::new(atlas_admin_tests::proptest_config(PATH_CASES));
    runner
        .run(&prop_oneof![path_value(), any::<String>()], |value| {
            let before = server.request_count();
            let sent = rt.block_on(
                client
                    .agent_api_keys()
                    .delete_agent_api_key(PROJECT, value.as_str())
                    .send(),
            );
            match sent {
                Err(Error::InvalidParameter { .. }) => {
                    prop_assert!(value.is_empty() || value == "." || value == "..", "refused {value:?}");
                    prop_assert_eq!(server.request_count(), before);
                }
                Ok(_) => {
                    prop_assert!(!(value.is_empty() || value == "." || value == ".."));
                    let request = server.requests().pop().unwrap();
                    let segments: Vec<&str> = request.target.split('/').collect();
                    prop_assert_eq!(segments.len(), 8, "{:?} -> {}", value, request.target);
                    prop_assert_eq!(decode_segment(segments[7]), value.as_bytes().to_vec());
                }
                Err(other) => prop_assert!(false, "{value:?}: {other}"),
            }
            Ok(())
        })
        .unwrap();
}

/// Challenge-shaped text: schemes, keys, quotes, commas and '=' in any order.
fn challenge_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Digest ".to_string()),
        Just("digest".to_string()),
        Just("Bearer ".to_string()),
        Just("realm=".to_string()),
        Just("nonce=".to_string()),
        Just("algorithm=SHA-256".to_string()),
        Just("algorithm=MD5-sess".to_string()),
        Just("qop=\"auth\"".to_string()),
        Just("stale=true".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just(",".to_string()),
        Just("=".to_string()),
        Just(" ".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

#[test]
fn www_authenticate_parsing_never_panics() {
    let mut runner = TestRunner::new(atlas_admin_tests::proptest_config(PARSER_CASES));
    runner
        .run(&prop_oneof![challenge_text(), any::<String>()], |header| {
            let (count, _) = parse_www_authenticate(&header);
            prop_assert!(count <= header.len());
            Ok(())
        })
        .unwrap();
}

#[test]
fn retry_after_parsing_never_panics() {
    let mut runner = TestRunner::new(atlas_admin_tests::proptest_config(PARSER_CASES));
    let text = prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<String>(),
        Just("Sun, 06 Nov 1994 08:49:37 GMT".to_string()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
        Just("-1".to_string()),
        Just("18446744073709551616".to_string()),
    ];
    runner
        .run(&text, |raw| {
            let _ = parse_retry_after(&raw);
            Ok(())
        })
        .unwrap();
}

#[test]
fn error_body_decoding_never_panics_and_never_shows_control_characters() {
    let mut runner = TestRunner::new(atlas_admin_tests::proptest_config(PARSER_CASES));
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        (any::<String>(), any::<String>(), any::<String>()).prop_map(|(code, detail, reason)| {
            serde_json::json!({"error": 400, "errorCode": code, "detail": detail, "reason": reason, "parameters": [detail]})
                .to_string()
                .into_bytes()
        }),
    ];
    runner
        .run(&(any::<u16>(), body), |(status, body)| {
            let err = error_from_parts("op", "application/json", &[], status, &Default::default(), &body);
            let shown = err.to_string();
            prop_assert!(!shown.chars().any(|c| c == '\n' || c == '\r'), "{shown:?}");
            let _ = format!("{err:?}");
            Ok(())
        })
        .unwrap();
}
