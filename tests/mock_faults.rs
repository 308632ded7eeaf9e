//! The facade against the mock's scripted faults: retries, `Retry-After`,
//! no retry on client errors, broken connections and timeouts.

use payusers::Error;
use payusers::mock::{Fault, MockServer};
use std::time::{Duration, Instant};

async fn john(mock: &MockServer) -> Result<payusers::Response<payusers::hpay::User>, Error> {
    mock.hpay()
        .update_user("user_abc123")
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
        .send_with_response()
        .await
}

#[tokio::test]
async fn two_503s_then_success_takes_three_attempts() {
    let mock = MockServer::start().await.unwrap();
    mock.fail_next(2, 503);
    let response = john(&mock).await.unwrap();
    assert_eq!(response.attempts(), 3);
    assert_eq!(response.status(), 200);
    assert!(response.request_id().unwrap().starts_with("mock-"));
    assert_eq!(mock.requests().len(), 3, "faults are logged too");

    mock.clear_requests();
    mock.fail_next(2, 503);
    let response = mock
        .payabli()
        .update_user(1000000)
        .name("S")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 3);
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn retries_stop_at_max_retries() {
    let mock = MockServer::start().await.unwrap();
    mock.fail_next(5, 503);
    let err = mock
        .hpay()
        .get_user("user_abc123")
        .max_retries(2)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server { .. }), "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.context().unwrap().attempts, 3);
    assert!(err.request_id().is_some());
    assert_eq!(mock.requests().len(), 3);

    mock.clear_requests();
    mock.clear_faults();
    mock.fail_next(5, 500);
    let payabli = mock.payabli_builder().max_retries(2).build().unwrap();
    let err = payabli
        .update_user(1000000)
        .name("S")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server { .. }), "{err:?}");
    assert_eq!(err.provider_message(), Some("Internal API error"));
    assert_eq!(mock.requests().len(), 3);
}

#[tokio::test]
async fn rate_limit_retry_after_is_honoured() {
    let mock = MockServer::start().await.unwrap();
    mock.fail_next_with(Fault::new(1, 429).retry_after("1"));
    let started = Instant::now();
    let response = john(&mock).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(response.attempts(), 2);
    assert!(
        waited >= Duration::from_millis(900),
        "retried after {waited:?}"
    );

    mock.fail_next_with(Fault::new(1, 429).retry_after("1"));
    let err = mock
        .hpay()
        .get_user("user_abc123")
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    match err {
        Error::RateLimited {
            retry_after,
            message,
            ..
        } => {
            assert_eq!(retry_after, Some(Duration::from_secs(1)));
            // Django REST Framework's words, with the wait when it is known.
            assert_eq!(
                message.as_deref(),
                Some("Request was throttled. Expected available in 1 second.")
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    for (retry_after, text) in [
        (
            Some("6"),
            "Request was throttled. Expected available in 6 seconds.",
        ),
        (None, "Request was throttled."),
    ] {
        let mut fault = Fault::new(1, 429);
        if let Some(wait) = retry_after {
            fault = fault.retry_after(wait);
        }
        mock.fail_next_with(fault);
        // A client of its own: the shared one would wait out the last 429's
        // pause.
        let err = mock
            .hpay_builder()
            .build()
            .unwrap()
            .get_user("user_abc123")
            .max_retries(0)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::RateLimited { message: Some(m), .. } if m == text),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let mock = MockServer::start().await.unwrap();
    for status in [400, 401, 404] {
        mock.clear_requests();
        mock.fail_next(1, status);
        let err = john(&mock).await.unwrap_err();
        assert_eq!(err.status(), Some(status), "{err:?}");
        assert!(!err.is_retryable());
        assert_eq!(mock.requests().len(), 1, "{status} is not retried");
    }

    // The real paths too: wrong app_user_id (400), unknown user (404), wrong keys (401).
    mock.clear_requests();
    let err = mock
        .hpay()
        .update_user("user_abc123")
        .app_user_id(9)
        .name("J")
        .phone_number("+23279123456")
        .send()
        .await;
    assert!(
        matches!(err, Err(Error::BadRequest { ref message, .. }) if message.as_deref() == Some("app_user_id cannot be changed"))
    );
    let err = mock
        .hpay()
        .get_user("user_nobody")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let wrong = mock
        .hpay_builder()
        .secret_key("hpay_test_wrong")
        .build()
        .unwrap();
    let err = wrong.get_user("user_abc123").send().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    let wrong = mock.payabli_builder().token("wrong").build().unwrap();
    let err = wrong.get_user(1000000).send().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(mock.requests().len(), 4);

    let err = mock
        .payabli()
        .update_user(42)
        .name("X")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Declined { ref response_text, .. } if response_text == "Declined"),
        "{err:?}"
    );
    assert_eq!(mock.requests().len(), 5, "a decline is not retried");
}

#[tokio::test]
async fn dropped_connection_is_retried() {
    let mock = MockServer::start().await.unwrap();
    mock.drop_next(1);
    let response = john(&mock).await.unwrap();
    assert_eq!(response.attempts(), 2);
    assert_eq!(mock.requests().len(), 2);

    mock.drop_next(1);
    let err = mock
        .payabli()
        .get_user(1000000)
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn dropped_connection_on_the_wire() {
    let mock = MockServer::start().await.unwrap();
    mock.drop_next(1);
    let url = format!("{}/User/1000000", mock.payabli_base_url());
    let token = mock.credentials().payabli_token.clone();
    let broken = match reqwest::Client::new()
        .get(&url)
        .header("requestToken", &token)
        .send()
        .await
    {
        // Headers may arrive first; the body then breaks off.
        Ok(response) => {
            assert_eq!(response.content_length(), Some(1024));
            response.bytes().await.is_err()
        }
        Err(_) => true,
    };
    assert!(broken, "the client must see a broken response");
    let response = reqwest::Client::new()
        .get(&url)
        .header("requestToken", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "only one request is dropped");
    assert_eq!(
        mock.payabli_user(1000000).unwrap().name.as_deref(),
        Some("Sean Smith")
    );
}

#[tokio::test]
async fn latency_beyond_the_timeout_is_a_timeout() {
    let mock = MockServer::builder()
        .latency(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let err = mock
        .hpay()
        .get_user("user_abc123")
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");

    mock.set_latency(Duration::ZERO);
    mock.clear_requests();
    let started = Instant::now();
    let response = mock
        .hpay()
        .get_user("user_abc123")
        .timeout(Duration::from_millis(200))
        .send_with_response()
        .await
        .unwrap();
    // Without latency the first attempt answers within its timeout: no
    // attempt timed out and was retried. The wall-clock bound only catches a
    // hang; it is loose so a loaded machine does not fail it.
    assert_eq!(response.attempts(), 1);
    assert_eq!(mock.requests().len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn custom_fault_bodies_and_fail_rate() {
    let mock = MockServer::start().await.unwrap();
    mock.fail_next_with(Fault::new(1, 503).body(r#"{"error":"down","message":"maintenance"}"#));
    let err = mock
        .hpay()
        .get_user("user_abc123")
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.provider_message(), Some("maintenance"));

    mock.set_fail_rate(1.0, 502);
    let err = mock
        .payabli()
        .get_user(1000000)
        .max_retries(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    mock.set_fail_rate(0.0, 502);
    assert!(mock.payabli().get_user(1000000).send().await.is_ok());

    let flaky = MockServer::builder()
        .fail_rate(0.5, 503)
        .start()
        .await
        .unwrap();
    let mut failures = 0;
    for _ in 0..100 {
        if flaky
            .hpay()
            .get_user("user_abc123")
            .max_retries(0)
            .send()
            .await
            .is_err()
        {
            failures += 1;
        }
    }
    assert!(
        (15..=85).contains(&failures),
        "{failures} of 100 failed at rate 0.5"
    );
}
