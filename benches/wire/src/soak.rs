//! The soak run of issue #8: 100,000 calls at concurrency 64 against a
//! hostile server on 127.0.0.1 that resets connections mid-body, answers
//! slowly, truncates JSON, serves HTML 502 pages, storms 429 with
//! `Retry-After` in seconds and as an HTTP date, expires digest nonces and
//! bearer tokens mid-run. Every call must end as a success or a typed
//! error, none may run past its deadline, nothing may panic, and memory
//! must stay flat.
//!
//! ```sh
//! cargo run --release --manifest-path benches/wire/Cargo.toml -- soak [CALLS] [CONCURRENCY]
//! ```

#[path = "../../../tests/src/hostile_server.rs"]
#[allow(dead_code)]
mod hostile;

use atlas_admin::models::TargetOrgRequest;
use atlas_admin::{Client, Credentials, Error, RetryPolicy};
use hostile::{HostileServer, RawRequest, Script};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

const ORG: &str = "4888442a3354817a7320eb61";
const V2023: &str = "application/vnd.atlas.2023-01-01+json";
const TIMEOUT: Duration = Duration::from_millis(1000);
const DEADLINE: Duration = Duration::from_secs(5);

/// A cheap, deterministic mix of the request number.
fn mix(n: u64) -> u64 {
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 31;
    x.wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 33
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Nonce and token generations: both move on every few thousand requests.
struct Auth {
    api_requests: AtomicU64,
    tokens_issued: AtomicU64,
}

fn script(auth: &Auth, r: &RawRequest) -> Script {
    if r.path() == "/api/oauth/token" {
        let n = auth.tokens_issued.fetch_add(1, Ordering::SeqCst);
        return Script::json(
            200,
            "application/json",
            &format!(r#"{{"access_token":"tok-{n}","token_type":"Bearer","expires_in":3600}}"#),
        );
    }
    let n = auth.api_requests.fetch_add(1, Ordering::SeqCst);
    let nonce = format!("nonce-{}", n / 3000);
    let token_ok = format!("Bearer tok-{}", auth.tokens_issued.load(Ordering::SeqCst).saturating_sub(1));
    let authz = r.header("authorization").unwrap_or("");
    if authz.starts_with("Bearer ") {
        // Every 5,000 requests the server forgets its tokens: a 401, then
        // one new token for everybody.
        if authz != token_ok || n % 5000 == 4999 {
            return Script::status(401).header("WWW-Authenticate", r#"Bearer realm="atlas""#);
        }
    } else if !authz.contains(&format!("nonce=\"{nonce}\"")) {
        let stale = authz.starts_with("Digest ");
        return Script::status(401).header(
            "WWW-Authenticate",
            &format!(r#"Digest realm="MMS Public API", nonce="{nonce}", algorithm=MD5, qop="auth", stale={stale}"#),
        );
    }
    let roll = mix(n) % 1000;
    // A 429 storm for 2,000 requests of every 20,000.
    if (n / 2000) % 10 == 3 && roll < 700 {
        let retry_after = if roll % 2 == 0 {
            "0".to_string()
        } else {
            httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1))
        };
        return Script::json(
            429,
            "application/json",
            r#"{"error":429,"errorCode":"RATE_LIMITED","reason":"Too Many Requests"}"#,
        )
        .header("Retry-After", &retry_after);
    }
    match roll {
        0..=19 => Script::ResetMidBody {
            declared: 200,
            sent: br#"{"linkTok"#.to_vec(),
        },
        20..=29 => Script::Delay(Duration::from_millis(1500), Box::new(Script::status(204))),
        30..=49 => Script::json(200, V2023, r#"{"linkToken": "abc"#),
        50..=69 => Script::json(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"),
        70..=79 => Script::json(503, "application/json", r#"{"error":503,"errorCode":"SERVICE_UNAVAILABLE"}"#)
            .header("Retry-After", "0"),
        _ if r.method == "POST" => Script::json(200, V2023, r#"{"linkToken":"soak-token"}"#),
        _ => Script::status(204),
    }
}

fn outcome(result: &Result<(), Error>) -> String {
    match result {
        Ok(()) => "ok".into(),
        Err(Error::Api(e)) => format!("Api {} {}", e.status, e.error_code),
        Err(Error::Decode { status, .. }) => format!("Decode (HTTP {status})"),
        Err(Error::Timeout { .. }) => "Timeout".into(),
        Err(Error::Transport { .. }) => "Transport".into(),
        Err(Error::Auth { .. }) => "Auth".into(),
        Err(e) => format!("other: {e}"),
    }
}

pub async fn soak(calls: usize, concurrency: usize) {
    let auth = Arc::new(Auth {
        api_requests: AtomicU64::new(0),
        tokens_issued: AtomicU64::new(0),
    });
    let server = {
        let auth = auth.clone();
        HostileServer::start_with_log(move |r| script(&auth, r), false).await
    };
    let make = |credentials: Credentials| {
        Client::builder()
            .base_url(server.url())
            .credentials(credentials)
            .timeout(TIMEOUT)
            .deadline(DEADLINE)
            .retry_policy(RetryPolicy {
                max_retries: 3,
                base_delay: Duration::from_millis(5),
                max_delay: Duration::from_secs(2),
            })
            .build()
            .unwrap()
    };
    let clients = [
        make(Credentials::api_key("soak-pub", "soak-priv")),
        make(Credentials::service_account("soak-id", "soak-secret")),
    ];
    let rss_start = rss_kib();
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let outcomes: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let longest = Arc::new(Mutex::new(Duration::ZERO));
    let samples: Arc<Mutex<Vec<u64>>> = Arc::default();
    let mut workers = Vec::new();
    for w in 0..concurrency {
        let client = clients[w % 2].clone();
        let (next, outcomes, longest, samples) = (next.clone(), outcomes.clone(), longest.clone(), samples.clone());
        workers.push(tokio::spawn(async move {
            let mut panics = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= calls {
                    return panics;
                }
                if i % (calls / 10).max(1) == 0 {
                    samples.lock().unwrap().push(rss_kib());
                }
                let client = client.clone();
                let t = Instant::now();
                let call = tokio::spawn(async move {
                    if i % 2 == 0 {
                        client
                            .cloud_migration_service()
                            .create_link_token(ORG, TargetOrgRequest::default())
                            .send()
                            .await
                            .map(drop)
                    } else {
                        client.cloud_migration_service().delete_link_tokens(ORG).send().await.map(drop)
                    }
                })
                .await;
                let took = t.elapsed();
                {
                    let mut l = longest.lock().unwrap();
                    *l = (*l).max(took);
                }
                let key = match call {
                    Ok(result) => outcome(&result),
                    Err(e) if e.is_panic() => {
                        panics += 1;
                        "PANIC".into()
                    }
                    Err(_) => "cancelled".into(),
                };
                *outcomes.lock().unwrap().entry(key).or_default() += 1;
            }
        }));
    }
    let mut panics = 0;
    for w in workers {
        panics += w.await.unwrap_or(1);
    }
    let elapsed = started.elapsed();
    let rss_end = rss_kib();
    let outcomes = outcomes.lock().unwrap().clone();
    let total: usize = outcomes.values().sum();
    println!("### Soak: {total} calls at concurrency {concurrency} against a hostile server");
    println!();
    println!(
        "`cargo run --release --manifest-path benches/wire/Cargo.toml -- soak {calls} {concurrency}`: half the \
         workers sign with digest (nonces expire every 3,000 requests), half use a service account (tokens \
         revoked every 5,000); per exchange timeout {TIMEOUT:?}, per call deadline {DEADLINE:?}; faults: resets \
         mid-body 2%, slow headers (1.5 s) 1%, truncated JSON 2%, HTML 502 2%, 503 1%, and a 429 storm \
         (Retry-After `0` or an HTTP date) over 2,000 of every 20,000 requests."
    );
    println!();
    println!("| outcome | calls |");
    println!("|---|---:|");
    for (k, v) in &outcomes {
        println!("| {k} | {v} |");
    }
    println!();
    println!("| figure | value |");
    println!("|---|---:|");
    println!("| calls that ended (success or typed error) | {total} of {calls} |");
    println!("| panics | {panics} |");
    println!("| longest call | {:.2} s (deadline {:.0} s) |", longest.lock().unwrap().as_secs_f64(), DEADLINE.as_secs_f64());
    println!("| wall time | {:.1} s |", elapsed.as_secs_f64());
    println!("| API requests served | {} |", auth.api_requests.load(Ordering::SeqCst));
    println!("| token requests | {} |", auth.tokens_issued.load(Ordering::SeqCst));
    let samples: Vec<String> = samples.lock().unwrap().iter().map(|k| format!("{:.1}", *k as f64 / 1024.0)).collect();
    println!("| RSS before the first call / at end | {:.1} / {:.1} MiB |", rss_start as f64 / 1024.0, rss_end as f64 / 1024.0);
    println!("| RSS at every tenth of the calls (MiB) | {} |", samples.join(", "));
    assert_eq!(total, calls, "every call ends");
    assert_eq!(panics, 0, "nothing panics");
    assert!(*longest.lock().unwrap() <= DEADLINE + Duration::from_millis(250), "no call runs past its deadline");
}
