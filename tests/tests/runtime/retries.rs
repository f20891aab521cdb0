//! Retries and deadlines: 429 and 503 with `Retry-After` (idempotent
//! requests only), bounded attempts, timeouts and refused connections.

use super::*;

#[tokio::test]
async fn a_429_on_delete_is_retried_after_retry_after() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    fake.inject(Fault::new(429, "RATE_LIMITED").retry_after("1"));
    let started = std::time::Instant::now();
    revoke(&client).await.expect_err("POST: not retried");
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .expect("fake has no fault left");
    assert!(started.elapsed() < Duration::from_millis(900), "the POST did not wait");

    let fake = fake_with_key().await;
    let client = atlas_admin_tests::client(&fake, Credentials::None);
    fake.inject(Fault::new(429, "RATE_LIMITED").retry_after("1"));
    let started = std::time::Instant::now();
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
    let deletes: Vec<_> = fake.requests().into_iter().filter(|r| r.method == "DELETE").collect();
    assert_eq!(deletes.len(), 2, "sent, rate limited, sent again");
}

#[tokio::test]
async fn a_429_on_post_is_not_sent_again() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    fake.inject(Fault::new(429, "RATE_LIMITED").retry_after("1"));
    let err = create_token(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        err.api_error().unwrap().retry_after,
        Some(Duration::from_secs(1)),
        "the caller can wait itself"
    );
    assert_eq!(fake.requests().iter().filter(|r| r.method == "POST").count(), 1);
    assert_eq!(fake.link_token(ORG), None);
}

#[tokio::test]
async fn a_503_with_an_http_date_is_retried_and_retries_are_bounded() {
    let fake = fake_with_key().await;
    let client = client(&fake, Credentials::None);
    let soon = httpdate_in(Duration::from_secs(1));
    fake.inject(Fault::new(503, "SERVICE_UNAVAILABLE").retry_after(soon));
    client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, AGENT_KEY)
        .send()
        .await
        .unwrap();

    fake.inject(Fault::new(503, "SERVICE_UNAVAILABLE").times(10));
    let err = revoke(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    fake.clear_requests();
    let err = client
        .agent_api_keys()
        .delete_agent_api_key(PROJECT, "5d9f7b9c2a7f1b6f2c1a4e3c")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(fake.requests().len(), 4, "the first attempt and max_retries = 3");
}

fn httpdate_in(d: Duration) -> String {
    // RFC 7231 IMF-fixdate, computed by hand to keep httpdate out of the tests.
    let secs = (std::time::SystemTime::now() + d)
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let days = secs / 86400;
    let (h, m, s) = ((secs % 86400) / 3600, (secs % 3600) / 60, secs % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil from days (Howard Hinnant).
    let z = days as i64 + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {h:02}:{m:02}:{s:02} GMT",
        months[(month - 1) as usize]
    )
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder()
        .base_url(url)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        })
        .build()
        .unwrap();
    let err = create_token(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "createLinkToken",
                ..
            }
        ),
        "{err:?}"
    );
}
