//! Each attempt is a tracing event with provider, operation, attempt, status
//! and latency — and never a secret.

mod support;

use axum::Json;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::io::Write;
use std::sync::{Arc, Mutex};
use support::*;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn attempts_are_traced_without_secrets() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let router = first_then_user(|| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"message": "busy"})),
        )
            .into_response()
    });
    update(&hpay(serve(router).await)).await.unwrap();

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let attempts: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("payusers attempt"))
        .collect();
    assert_eq!(attempts.len(), 2, "{log}");
    for (line, (n, status)) in attempts.iter().zip([(1, 503), (2, 200)]) {
        for field in [
            "provider=hpay".to_string(),
            "operation=\"update_user\"".to_string(),
            format!("attempt={n}"),
            format!("status={status}"),
            "latency_ms=".to_string(),
        ] {
            assert!(line.contains(&field), "missing {field} in {line}");
        }
    }
    for secret in [API_KEY, SECRET_KEY] {
        assert!(!log.contains(secret), "secret in trace output:\n{log}");
    }
}

/// A call's span is made when the call is first polled, so a future built
/// with no subscriber and outside any span is still traced by the
/// subscriber and inside the span its caller polls it with.
#[tokio::test]
async fn a_call_is_traced_where_it_is_polled_not_where_it_was_built() {
    use tracing::Instrument as _;
    use tracing::instrument::WithSubscriber as _;
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let dispatch = tracing::Dispatch::new(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish(),
    );
    let router = first_then_user(|| (StatusCode::OK, Json(user_json())).into_response());
    let client = hpay(serve(router).await);
    // Built while no subscriber is set (this test sets none globally).
    let call = valid_update(&client).send();
    let job = tracing::dispatcher::with_default(&dispatch, || tracing::info_span!("job"));
    call.instrument(job)
        .with_subscriber(dispatch)
        .await
        .unwrap();

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let attempt = log
        .lines()
        .find(|l| l.contains("payusers attempt"))
        .unwrap_or_else(|| panic!("no attempt traced:\n{log}"));
    assert!(
        attempt.contains("job:payusers.call{provider=hpay operation=\"update_user\"}"),
        "the attempt is not inside the caller's span and the call's: {attempt}"
    );
}
