//! Interceptors (issue #26, item 5): a hook sees every attempt's request
//! (method, URL, headers, the credentials masked) and may add headers, and
//! sees every answer's head (status, headers, elapsed time); the wire
//! carries the real credentials, never a hook's.

use atlas_admin::runtime::{Interceptor, RequestHead, ResponseHead, MASKED};
use atlas_admin::{Client, Credentials, RetryPolicy};
use atlas_admin_tests::{digest, fake, revoke, service_account, CLIENT_SECRET, PRIVATE_KEY};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What one hook saw of one attempt.
#[derive(Debug, Clone)]
struct Seen {
    operation: &'static str,
    attempt: u32,
    method: String,
    path: String,
    authorization: Option<String>,
    headers: Vec<(String, String)>,
}

/// What one hook saw of one answer: attempt, status, elapsed time and
/// challenge.
type Answered = (u32, u16, Duration, Option<String>);

/// Records every request and answer head it is shown, and what adding
/// headers gave.
#[derive(Default)]
struct Recorder {
    requests: Mutex<Vec<Seen>>,
    answers: Mutex<Vec<Answered>>,
    refusals: Mutex<Vec<String>>,
}

/// A hook that records into a shared [`Recorder`], and when `tag` adds
/// `x-app-trace` (and tries headers it may not add).
struct Hook {
    log: Arc<Recorder>,
    tag: bool,
}

impl Interceptor for Hook {
    fn on_request(&self, request: &mut RequestHead<'_>) {
        if self.tag {
            request.insert_header("x-app-trace", "t-1").unwrap();
            for name in ["authorization", "cookie", "accept", "x-app-trace"] {
                let err = request.insert_header(name, "forged").unwrap_err();
                self.log.refusals.lock().unwrap().push(err.to_string());
            }
        }
        self.log.requests.lock().unwrap().push(Seen {
            operation: request.operation(),
            attempt: request.attempt(),
            method: request.method().to_string(),
            path: request.url().path().to_string(),
            authorization: request.header("Authorization").map(str::to_string),
            headers: request.headers().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        });
    }

    fn on_response(&self, response: &ResponseHead<'_>) {
        let challenge = response.header("www-authenticate").map(str::to_string);
        self.log
            .answers
            .lock()
            .unwrap()
            .push((response.attempt(), response.status(), response.elapsed(), challenge));
    }
}

/// A client of `url` with `credentials` and two hooks: the first tags,
/// both record (the second into `second`).
fn hooked(url: String, credentials: Credentials, first: &Arc<Recorder>, second: &Arc<Recorder>) -> Client {
    Client::builder()
        .base_url(url)
        .credentials(credentials)
        .retry_policy(RetryPolicy::none())
        .interceptor(Hook {
            log: first.clone(),
            tag: true,
        })
        .interceptor(Hook {
            log: second.clone(),
            tag: false,
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_hook_sees_each_digest_attempt_masked_and_its_header_goes_out() {
    let fake = fake().await;
    let (first, second) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
    let client = hooked(fake.url(), digest(), &first, &second);
    revoke(&client).await.unwrap();
    let seen = second.requests.lock().unwrap().clone();
    // The first attempt goes without credentials, is challenged, and the
    // second carries the digest answer: masked for the hook.
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].authorization, None);
    assert_eq!(seen[1].authorization.as_deref(), Some(MASKED));
    for s in &seen {
        assert_eq!(s.operation, "revokeMongoEmployeeAccess");
        assert_eq!(s.method, "POST");
        assert!(s.path.ends_with(":revokeMongoDBEmployeeAccess"), "{}", s.path);
        // Registered in order: the second hook sees the first one's header.
        assert!(
            s.headers.contains(&("x-app-trace".into(), "t-1".into())),
            "{:?}",
            s.headers
        );
        let shown = format!("{:?}", s.headers);
        assert!(!shown.contains("Digest") && !shown.contains(PRIVATE_KEY), "{shown}");
    }
    assert_eq!(seen.iter().map(|s| s.attempt).collect::<Vec<_>>(), [1, 2]);
    let answers = second.answers.lock().unwrap().clone();
    let statuses: Vec<(u32, u16)> = answers.iter().map(|a| (a.0, a.1)).collect();
    assert_eq!(statuses, [(1, 401), (2, 204)]);
    assert!(answers[0].3.as_deref().is_some_and(|c| c.starts_with("Digest")));
    assert!(answers.iter().all(|a| a.2 < Duration::from_secs(5)));
    // On the wire: the hook's header, and the real digest answer, not the
    // hook's forgery.
    let wire = fake.requests();
    assert_eq!(wire.len(), 2);
    assert!(wire.iter().all(|r| r.header("x-app-trace") == Some("t-1")));
    let sent = wire[1].header("authorization").unwrap();
    assert!(sent.starts_with("Digest ") && !sent.contains("forged"), "{sent}");
    assert!(wire.iter().all(|r| r.header("cookie").is_none()));
    assert!(wire.iter().all(|r| r.header("accept") != Some("forged")));
}

#[tokio::test]
async fn a_hook_cannot_add_credentials_or_what_the_runtime_sets() {
    let fake = fake().await;
    let (first, second) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
    let client = hooked(fake.url(), digest(), &first, &second);
    revoke(&client).await.unwrap();
    let refusals = first.refusals.lock().unwrap().clone();
    assert_eq!(refusals.len(), 8, "four refusals an attempt: {refusals:?}");
    for (text, why) in refusals.iter().zip([
        "carries credentials",
        "carries credentials",
        "the runtime sets it",
        "the request has it already",
    ]) {
        assert!(text.contains(why), "{text}");
    }
    assert!(
        refusals[0].contains("`authorization`"),
        "names the header: {}",
        refusals[0]
    );
}

#[tokio::test]
async fn a_bearer_token_is_masked_and_token_requests_are_not_shown() {
    let fake = fake().await;
    let (first, second) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
    let client = hooked(fake.url(), service_account(), &first, &second);
    revoke(&client).await.unwrap();
    let seen = second.requests.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        1,
        "the call's one attempt; the token request is not one: {seen:?}"
    );
    assert_eq!(seen[0].authorization.as_deref(), Some(MASKED));
    let shown = format!("{:?}", seen[0]);
    assert!(!shown.contains("Bearer") && !shown.contains(CLIENT_SECRET), "{shown}");
    let call = fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with(":revokeMongoDBEmployeeAccess"))
        .unwrap();
    assert!(call.header("authorization").unwrap().starts_with("Bearer "));
}

/// A hook the app keeps a handle on (`Arc<Hook>`) is the same hook the
/// client calls: the app reads what it gathered.
#[tokio::test]
async fn a_shared_hook_is_called_through_its_arc() {
    let fake = fake().await;
    let log = Arc::new(Recorder::default());
    let hook = Arc::new(Hook {
        log: log.clone(),
        tag: false,
    });
    let client = Client::builder()
        .base_url(fake.url())
        .credentials(digest())
        .interceptor(hook.clone())
        .build()
        .unwrap();
    revoke(&client).await.unwrap();
    assert_eq!(hook.log.requests.lock().unwrap().len(), 2);
    assert_eq!(log.answers.lock().unwrap().len(), 2);
}
