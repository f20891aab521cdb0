//! The client against servers that misbehave on purpose (issue #8): a raw
//! HTTP/1.1 server on 127.0.0.1 ([`atlas_admin_tests::hostile`]) hangs,
//! streams gigabytes, redirects elsewhere, sends odd challenges and hostile
//! text. One test (or a few) per item of the issue.

use atlas_admin::fake::FakeAtlas;
use atlas_admin::runtime::ERROR_BODY_LIMIT;
use atlas_admin::{Client, ClientBuilder, Credentials, Error, RetryPolicy};
use atlas_admin_tests::hostile_server::{HostileServer, RawRequest, Script};
use atlas_admin_tests::*;
use std::time::{Duration, Instant};

const V2023: &str = "application/vnd.atlas.2023-01-01+json";
const GIB: u64 = 1 << 30;
const MIB: usize = 1 << 20;

fn builder(url: &str, credentials: Credentials) -> ClientBuilder {
    Client::builder()
        .base_url(url)
        .credentials(credentials)
        .retry_policy(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(5),
        })
        .timeout(Duration::from_secs(20))
}

/// A 1 GiB body of `content_type`, announced (`Some`) or chunked (`None`).
fn gib(status: u16, content_type: &str, declared: Option<u64>) -> Script {
    Script::Stream {
        status,
        content_type: content_type.into(),
        declared,
        total: GIB,
    }
}

fn plain(url: &str) -> Client {
    builder(url, Credentials::None).build().unwrap()
}

async fn delete_key(client: &Client, key: &str) -> Result<(), Error> {
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, key)
        .send()
        .await
        .map(drop)
}

async fn link_token(client: &Client) -> Result<String, Error> {
    create_token(client).await.map(|r| r.into_inner().link_token)
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

// 1. Dot segments ----------------------------------------------------------

#[tokio::test]
async fn dot_segments_and_empty_values_are_refused_before_anything_is_sent() {
    let server = HostileServer::start(|_| Script::status(204)).await;
    let client = plain(&server.url());
    for value in ["", ".", ".."] {
        match delete_key(&client, value).await {
            Err(Error::InvalidParameter { parameter, .. }) => assert_eq!(parameter, "API-AGENT-KEY-ID"),
            other => panic!("{value:?}: {other:?}"),
        }
    }
    assert_eq!(server.request_count(), 0, "nothing may be sent");
}

#[tokio::test]
async fn every_other_value_is_one_segment_that_decodes_back() {
    let server = HostileServer::start(|_| Script::status(204)).await;
    let client = plain(&server.url());
    let values = [
        "/", "?", "#", "%2e%2e", "%2E.", "a\r\nb", "a b", "é", "...", "%", "a/../b", ".a", "\0",
    ];
    for value in values {
        delete_key(&client, value)
            .await
            .unwrap_or_else(|e| panic!("{value:?}: {e}"));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), values.len());
    for (value, request) in values.iter().zip(&requests) {
        assert!(
            !request.target.contains('?') && !request.target.contains('#'),
            "{request:?}"
        );
        let segments: Vec<&str> = request.path().split('/').collect();
        assert_eq!(segments.len(), 8, "{value:?} -> {}", request.target);
        assert_eq!(
            segments[..7].join("/"),
            format!("/api/public/v1.0/groups/{PROJECT}/agentapikeys")
        );
        assert_eq!(
            percent_decode(segments[7]),
            value.as_bytes(),
            "{value:?} -> {}",
            request.target
        );
    }
}

// 2. Body caps -------------------------------------------------------------

#[tokio::test]
async fn a_body_whose_content_length_is_over_the_cap_is_refused_before_reading() {
    let server = HostileServer::start(move |_| gib(200, V2023, Some(GIB))).await;
    let client = builder(&server.url(), Credentials::None)
        .max_response_bytes(MIB)
        .build()
        .unwrap();
    match link_token(&client).await {
        Err(Error::ResponseTooLarge {
            status: 200,
            limit,
            declared: Some(declared),
            ..
        }) => assert_eq!((limit, declared), (MIB, GIB)),
        other => panic!("{other:?}"),
    }
    // Socket buffers take a few MiB before the server notices; never 1 GiB.
    assert!(
        server.body_bytes_written() < 64 * MIB as u64,
        "{}",
        server.body_bytes_written()
    );
}

#[tokio::test]
async fn a_chunked_body_stops_being_read_at_the_cap() {
    let server = HostileServer::start(move |_| gib(200, V2023, None)).await;
    let client = builder(&server.url(), Credentials::None)
        .max_response_bytes(MIB)
        .build()
        .unwrap();
    let started = Instant::now();
    match link_token(&client).await {
        Err(Error::ResponseTooLarge {
            status: 200,
            declared: None,
            limit,
            ..
        }) => assert_eq!(limit, MIB),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        server.body_bytes_written() < 64 * MIB as u64,
        "{}",
        server.body_bytes_written()
    );
}

#[tokio::test]
async fn an_endless_error_page_is_capped_small() {
    let server = HostileServer::start(move |_| gib(500, "text/html", None)).await;
    let err = link_token(&plain(&server.url())).await.unwrap_err();
    match &err {
        Error::ResponseTooLarge { status: 500, limit, .. } => assert_eq!(*limit, ERROR_BODY_LIMIT),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status(), Some(500));
    assert!(server.body_bytes_written() < 64 * MIB as u64);
}

#[tokio::test]
async fn an_endless_token_answer_is_capped_small() {
    let server = HostileServer::start(|r| {
        if r.path() == "/api/oauth/token" {
            Script::Stream {
                status: 200,
                content_type: "application/json".into(),
                declared: None,
                total: GIB,
            }
        } else {
            Script::status(204)
        }
    })
    .await;
    let client = builder(&server.url(), service_account()).build().unwrap();
    match delete_key(&client, AGENT_KEY).await {
        Err(Error::Auth { reason, .. }) => assert!(reason.contains("larger than 65536 bytes"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

// 3. OAuth -----------------------------------------------------------------

#[tokio::test]
async fn an_expires_in_of_u64_max_neither_panics_nor_refetches() {
    let server = HostileServer::start(|r| {
        if r.path() == "/api/oauth/token" {
            Script::json(
                200,
                "application/json",
                r#"{"access_token":"tok","token_type":"Bearer","expires_in":18446744073709551615}"#,
            )
        } else {
            Script::status(204)
        }
    })
    .await;
    let client = builder(&server.url(), service_account()).build().unwrap();
    for _ in 0..3 {
        delete_key(&client, AGENT_KEY).await.unwrap();
    }
    let tokens = server
        .requests()
        .iter()
        .filter(|r| r.path() == "/api/oauth/token")
        .count();
    assert_eq!(tokens, 1);
}

#[tokio::test]
async fn concurrent_callers_share_the_outcome_of_one_hung_token_fetch() {
    let server = HostileServer::start(|r| {
        if r.path() == "/api/oauth/token" {
            Script::Hang
        } else {
            Script::status(204)
        }
    })
    .await;
    let client = builder(&server.url(), service_account())
        .token_timeout(Duration::from_secs(1))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let started = Instant::now();
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { delete_key(&client, AGENT_KEY).await })
        })
        .collect();
    for call in calls {
        match call.await.unwrap() {
            Err(Error::Auth { reason, .. }) => assert!(reason.contains("timed out"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_millis(2500),
        "8 callers took {elapsed:?}, not about 1 s"
    );
    assert_eq!(server.request_count(), 1, "one token request for all 8 callers");
}

// 4. Credentials and strangers ---------------------------------------------

#[tokio::test]
async fn a_redirect_to_another_origin_is_an_error_naming_the_location() {
    let stranger = HostileServer::start(|_| Script::json(200, V2023, r#"{"linkToken":"from-a-stranger"}"#)).await;
    let location = format!("{}/steal", stranger.url());
    let target = location.clone();
    let server = HostileServer::start(move |r| {
        if r.header("authorization").is_none() {
            Script::status(401).header(
                "WWW-Authenticate",
                r#"Digest realm="MMS Public API", nonce="n1", algorithm=MD5, qop="auth""#,
            )
        } else {
            Script::status(307).header("Location", &target)
        }
    })
    .await;
    let client = builder(&server.url(), digest()).build().unwrap();
    match link_token(&client).await {
        Err(err @ Error::Redirect { status: 307, .. }) => {
            assert!(err.to_string().contains(&location), "{err}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        stranger.request_count(),
        0,
        "neither the body nor a credential reached the other origin"
    );
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_and_signed_anew() {
    let server = HostileServer::start(|r| match (r.header("authorization"), r.path()) {
        (None, _) => Script::status(401).header(
            "WWW-Authenticate",
            r#"Digest realm="MMS Public API", nonce="n1", algorithm=MD5, qop="auth""#,
        ),
        (Some(_), "/moved") => Script::json(200, V2023, r#"{"linkToken":"t"}"#),
        (Some(_), _) => Script::status(307).header("Location", "/moved"),
    })
    .await;
    let client = builder(&server.url(), digest()).build().unwrap();
    assert_eq!(link_token(&client).await.unwrap(), "t");
    let last = server.requests().pop().unwrap();
    assert_eq!(last.method, "POST", "307 keeps the method");
    assert!(!last.body.is_empty(), "and the body");
    assert!(
        last.header("authorization").unwrap().contains(r#"uri="/moved""#),
        "{last:?}"
    );
}

#[tokio::test]
async fn the_ops_manager_url_gets_the_credentials_meant_for_it() {
    let atlas = FakeAtlas::builder()
        .api_key("atlas-pub", "atlas-priv")
        .cluster(GROUP, CLUSTER)
        .start()
        .await;
    let ops = FakeAtlas::builder()
        .api_key("ops-pub", "ops-priv")
        .agent_api_key(PROJECT, AGENT_KEY)
        .start()
        .await;
    let client = builder(&atlas.url(), Credentials::api_key("atlas-pub", "atlas-priv"))
        .ops_manager_url(ops.url())
        .ops_manager_credentials(Credentials::api_key("ops-pub", "ops-priv"))
        .build()
        .unwrap();
    revoke(&client).await.unwrap();
    delete_key(&client, AGENT_KEY).await.unwrap();
    revoke(&client).await.unwrap();
    let saw = |fake: &FakeAtlas, user: &str| {
        fake.requests().iter().any(|r| {
            r.header("authorization")
                .is_some_and(|a| a.contains(&format!("username=\"{user}\"")))
        })
    };
    assert!(saw(&atlas, "atlas-pub") && !saw(&atlas, "ops-pub"));
    assert!(saw(&ops, "ops-pub") && !saw(&ops, "atlas-pub"));
    assert!(
        ops.requests()[0].header("authorization").is_none(),
        "no nonce of the Atlas host is answered to the Ops Manager host"
    );
}

#[tokio::test]
async fn a_service_account_token_never_goes_to_another_origin() {
    let err = builder("http://127.0.0.1:1", service_account())
        .ops_manager_url("http://127.0.0.2:1")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("ops_manager_credentials"), "{err}");
    builder("http://127.0.0.1:1", service_account())
        .ops_manager_url("http://127.0.0.2:1")
        .ops_manager_credentials(Credentials::api_key("ops", "key"))
        .build()
        .unwrap();
    // Same origin: one token serves both.
    builder("http://127.0.0.1:1", service_account())
        .ops_manager_url("http://127.0.0.1:1/")
        .build()
        .unwrap();
}

// 5. Digest challenges -----------------------------------------------------

/// A server that challenges with `headers` and accepts any Digest answer to
/// `nonce`; every other request gets the challenge again.
async fn challenging(headers: &'static [&'static str], nonce: &'static str) -> HostileServer {
    HostileServer::start(move |r: &RawRequest| {
        let answered = r
            .header("authorization")
            .is_some_and(|a| a.starts_with("Digest ") && a.contains(&format!("nonce=\"{nonce}\"")));
        if answered {
            return Script::status(204);
        }
        headers
            .iter()
            .fold(Script::status(401), |s, h| s.header("WWW-Authenticate", h))
    })
    .await
}

#[tokio::test]
async fn digest_is_found_in_a_later_www_authenticate_header() {
    let server = challenging(
        &[
            r#"Bearer realm="atlas""#,
            r#"Digest realm="MMS Public API", nonce="n1", algorithm=MD5, qop="auth""#,
        ],
        "n1",
    )
    .await;
    delete_key(&builder(&server.url(), digest()).build().unwrap(), AGENT_KEY)
        .await
        .unwrap();
}

#[tokio::test]
async fn two_challenges_in_one_header_are_not_merged() {
    let server = challenging(
        &[r#"Bearer realm="atlas", error="invalid_token", digest realm="MMS Public API", nonce="n2", qop="auth""#],
        "n2",
    )
    .await;
    delete_key(&builder(&server.url(), digest()).build().unwrap(), AGENT_KEY)
        .await
        .unwrap();
    let auth = server.requests()[1].header("authorization").unwrap().to_string();
    assert!(auth.contains(r#"realm="MMS Public API""#), "{auth}");
}

#[tokio::test]
async fn sha256_is_preferred_over_md5() {
    let server = challenging(
        &[
            r#"Digest realm="MMS Public API", nonce="md5", algorithm=MD5, qop="auth""#,
            r#"Digest realm="MMS Public API", nonce="sha", algorithm=SHA-256, qop="auth""#,
        ],
        "sha",
    )
    .await;
    delete_key(&builder(&server.url(), digest()).build().unwrap(), AGENT_KEY)
        .await
        .unwrap();
    let auth = server.requests()[1].header("authorization").unwrap().to_string();
    assert!(auth.contains("algorithm=SHA-256"), "{auth}");
}

#[tokio::test]
async fn a_stale_nonce_does_not_use_up_the_one_retry() {
    let server = HostileServer::start(|r| {
        let auth = r.header("authorization").unwrap_or("");
        let challenge = |nonce: &str, stale: bool| {
            Script::status(401).header(
                "WWW-Authenticate",
                &format!(r#"Digest realm="MMS Public API", nonce="{nonce}", algorithm=MD5, qop="auth", stale={stale}"#),
            )
        };
        if auth.contains(r#"nonce="fresh""#) {
            Script::status(204)
        } else if auth.contains(r#"nonce="old""#) {
            challenge("fresh", true)
        } else {
            challenge("old", false)
        }
    })
    .await;
    delete_key(&builder(&server.url(), digest()).build().unwrap(), AGENT_KEY)
        .await
        .unwrap();
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn client_nonces_differ_and_carry_128_bits() {
    let fake = fake().await;
    let client = client(&fake, digest());
    for _ in 0..3 {
        revoke(&client).await.unwrap();
    }
    let cnonces: Vec<String> = fake.requests()[1..]
        .iter()
        .map(|r| {
            let h = r.header("authorization").unwrap();
            h.split("cnonce=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(cnonces
        .iter()
        .all(|c| c.len() == 32 && c.bytes().all(|b| b.is_ascii_hexdigit())));
    assert!(cnonces.windows(2).all(|w| w[0] != w[1]));
}

// 6. Envelopes -------------------------------------------------------------

#[tokio::test]
async fn a_429_inside_an_envelope_is_retried_like_one_without() {
    let server = HostileServer::start(|r| {
        if r.index == 0 {
            Script::json(
                200,
                V2023,
                r#"{"status":429,"content":{"error":429,"errorCode":"RATE_LIMITED","reason":"Too Many Requests"}}"#,
            )
        } else {
            Script::json(200, V2023, r#"{"status":204}"#)
        }
    })
    .await;
    let client = plain(&server.url());
    client
        .cloud_migration_service()
        .delete_link_tokens(ORG)
        .envelope(true)
        .send()
        .await
        .unwrap();
    assert_eq!(server.request_count(), 2);
}

// 7. Time bounds -----------------------------------------------------------

#[tokio::test]
async fn the_deadline_bounds_every_retry_and_wait() {
    let server = HostileServer::start(|_| {
        Script::json(
            503,
            "application/json",
            r#"{"error":503,"errorCode":"SERVICE_UNAVAILABLE"}"#,
        )
        .header("Retry-After", "1")
    })
    .await;
    let client = builder(&server.url(), Credentials::None)
        .retry_policy(RetryPolicy {
            max_retries: 50,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(5),
        })
        .deadline(Duration::from_millis(2500))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .cloud_migration_service()
        .delete_link_tokens(ORG)
        .send()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(2600),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.status(), Some(503), "{err}");
    assert!(server.request_count() <= 3);
}

/// A server that accepts and never answers: the exchange timeout ends the
/// call, and so does the deadline when it comes first. (Once in
/// `runtime/retries.rs` as well; this is the one place now.)
#[tokio::test]
async fn the_timeout_and_the_deadline_bound_a_server_that_never_answers() {
    let server = HostileServer::start(|_| Script::Hang).await;
    for (timeout, deadline) in [
        (Duration::from_millis(300), Duration::from_secs(60)),
        (Duration::from_secs(60), Duration::from_secs(1)),
    ] {
        let client = builder(&server.url(), Credentials::None)
            .timeout(timeout)
            .deadline(deadline)
            .build()
            .unwrap();
        let started = Instant::now();
        let err = link_token(&client).await.unwrap_err();
        // The exchange's timeout, or the whole call's deadline: each its own error.
        let expected = match err {
            Error::Timeout { operation, .. } => timeout < deadline && operation == "createLinkToken",
            Error::DeadlineExceeded { operation, .. } => deadline < timeout && operation == "createLinkToken",
            _ => false,
        };
        assert!(expected, "{err:?}");
        let bound = timeout.min(deadline) + Duration::from_millis(800);
        assert!(started.elapsed() < bound, "{:?} past {bound:?}", started.elapsed());
    }
}

// 8. Server text -----------------------------------------------------------

#[tokio::test]
async fn server_text_cannot_forge_a_log_line() {
    let server = HostileServer::start(|_| {
        Script::json(
            404,
            "application/json",
            r#"{"error":404,"errorCode":"NOT\nFOUND","detail":"gone\r\n2026-11-23T00:00:00Z ERROR forged line","reason":"Not Found"}"#,
        )
    })
    .await;
    let err = link_token(&plain(&server.url())).await.unwrap_err();
    let shown = err.to_string();
    assert!(!shown.contains('\n') && !shown.contains('\r'), "{shown:?}");
    assert!(shown.contains("gone\\r\\n2026"), "{shown}");
}

#[tokio::test]
async fn an_undecodable_success_body_never_shows_its_content() {
    let server = HostileServer::start(|_| {
        Script::json(
            200,
            V2023,
            r#"{"linkToken": 5, "apiKey": {"privateKey": "mdb_private_secret_42"}}"#,
        )
    })
    .await;
    let err = link_token(&plain(&server.url())).await.unwrap_err();
    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    for text in [&shown, &debug] {
        assert!(!text.contains("mdb_private_secret_42"), "{text}");
    }
    assert!(shown.contains("linkToken"), "says where: {shown}");
    assert!(
        err.body_excerpt().unwrap().contains("mdb_private_secret_42"),
        "on purpose only"
    );
}

#[tokio::test]
async fn resets_and_truncated_json_are_typed_errors() {
    let server = HostileServer::start(|r| match r.index {
        0 => Script::ResetMidBody {
            declared: 100,
            sent: br#"{"linkTo"#.to_vec(),
        },
        _ => Script::json(200, V2023, r#"{"linkTo"#),
    })
    .await;
    let client = plain(&server.url());
    let err = link_token(&client).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let err = link_token(&client).await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
}
