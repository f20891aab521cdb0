//! Digest challenges exactly as Atlas sends them: the `WWW-Authenticate`
//! header of every 401 answer in `../shared/recorded/` (the CLI's format),
//! served verbatim by a raw server, must get an `Authorization` that is
//! right by RFC 7616, checked here with an independent MD5.
//!
//! `../shared/recorded/` holds seven real challenges; the test fails if it
//! finds another number, and the same path runs on a 401 written here in
//! the CLI's format.

use super::*;
use atlas_admin_tests::hostile_server::{HostileServer, Script};
use md5::{Digest as _, Md5};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every `WWW-Authenticate` of every 401 recording below `dir`, read by
/// the one reader of the recording formats.
fn challenges_in(dir: &Path) -> Vec<(PathBuf, String)> {
    let recordings = atlas_admin_recordings::folder::read_all(&[dir.to_path_buf()])
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    recordings
        .iter()
        .filter(|r| r.status == 401)
        .flat_map(|r| {
            r.headers
                .iter()
                .filter(|(name, _)| name.eq_ignore_ascii_case("www-authenticate"))
                .map(|(_, value)| (r.file.clone(), value.trim().to_string()))
        })
        .collect()
}

/// `key="value", key=value, ...` of a Digest header.
fn params(header: &str) -> BTreeMap<String, String> {
    let rest = header.trim_start_matches(|c: char| c.is_ascii_alphabetic()).trim();
    let mut out = BTreeMap::new();
    let mut chars = rest.chars().peekable();
    loop {
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        let key = key.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        if key.is_empty() {
            return out;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
            chars.by_ref().take_while(|c| *c != ',').for_each(drop);
        } else {
            value = chars
                .by_ref()
                .take_while(|c| *c != ',')
                .collect::<String>()
                .trim()
                .to_string();
        }
        out.insert(key, value);
    }
}

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Serves `challenge` to a request without credentials, then checks the
/// client's answer to it: the right realm, nonce, opaque and qop, and a
/// response that MD5 gives for our key pair. The server's verdict is what
/// the call returns.
async fn answer_to(challenge: &str) -> Result<(), String> {
    let sent = params(challenge);
    let challenge = challenge.to_string();
    let server = HostileServer::start(move |req| {
        let Some(auth) = req.header("authorization") else {
            return Script::status(401).header("WWW-Authenticate", &challenge);
        };
        let got = params(auth);
        let field = |k: &str| got.get(k).cloned().unwrap_or_default();
        let ha1 = md5_hex(&format!("{PUBLIC_KEY}:{}:{PRIVATE_KEY}", sent["realm"]));
        let ha2 = md5_hex(&format!("{}:{}", req.method, field("uri")));
        let expected = md5_hex(&format!(
            "{ha1}:{}:{}:{}:auth:{ha2}",
            sent["nonce"],
            field("nc"),
            field("cnonce")
        ));
        let right = auth.starts_with("Digest ")
            && field("username") == PUBLIC_KEY
            && field("realm") == sent["realm"]
            && field("nonce") == sent["nonce"]
            && sent.get("opaque").is_none_or(|o| field("opaque") == *o)
            && field("qop") == "auth"
            && field("uri") == req.path()
            && field("response") == expected;
        if right {
            Script::status(202)
        } else {
            Script::json(401, "application/json", &format!("{{\"detail\":{:?}}}", auth))
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .api_key(PUBLIC_KEY, PRIVATE_KEY)
        .build()
        .map_err(|e| e.to_string())?;
    revoke(&client).await.map(|_| ()).map_err(|e| e.to_string())
}

/// The seven real challenges Atlas sent the CLI (a setup run with wrong
/// keys, `interactive/setupfailure/`): each is answered exactly.
#[tokio::test]
async fn recorded_atlas_challenges_are_answered_exactly() {
    let Some(dir) = shared_input("recorded", "answering the recorded digest challenges") else {
        return;
    };
    let recorded = challenges_in(&dir);
    assert_eq!(
        recorded.len(),
        7,
        "the recordings hold seven real challenges, found: {recorded:#?}"
    );
    for (file, challenge) in &recorded {
        answer_to(challenge)
            .await
            .unwrap_or_else(|e| panic!("{}: {challenge}: {e}", file.display()));
    }
}

#[tokio::test]
async fn a_401_in_the_cli_format_is_read_and_answered_exactly() {
    let dir = std::env::temp_dir().join(format!("atlas-challenges-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("TestX")).unwrap();
    // The shape Atlas's documentation gives its challenge, in a CLI dump.
    std::fs::write(
        dir.join("TestX/GET_api_atlas_v2_groups_1.snaphost"),
        "HTTP/2.0 401 Unauthorized\r\nContent-Type: application/json\r\nWww-Authenticate: Digest realm=\"MMS Public API\", \
         domain=\"\", nonce=\"k9Qd/2+xY0w=\", algorithm=MD5, qop=\"auth\", stale=false\r\n\r\n{}",
    )
    .unwrap();
    let found = challenges_in(&dir);
    assert_eq!(found.len(), 1, "{found:?}");
    answer_to(&found[0].1).await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
