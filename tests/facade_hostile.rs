//! The facade against hostile servers: malformed, oversized, truncated,
//! redirecting, stalling and secret-echoing answers, all from purpose-built
//! loopback servers (axum, or raw `tokio::net::TcpListener` for byte-level
//! control).
//!
//! Every client carries canary credentials. Every test asserts a typed
//! [`payusers::Error`] variant (or a clean decode), that the call ended
//! within a generous bound, and that no canary appears in the error's
//! `Display`, `Debug`, source chain, or in the `tracing` output of the call.

mod support;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, put};
use axum::{Json, Router};
use payusers::Error;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Counter, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const API_KEY: &str = "canary_api_key_7f3";
const SECRET_KEY: &str = "hpay_test_canary_secret_91c";
const TOKEN: &str = "canary_token_55d";
const PWD: &str = "canary_pwd_value_x1";
const CANARIES: [&str; 4] = [API_KEY, SECRET_KEY, TOKEN, PWD];

const HPAY_PATH: &str = "/api/v1/users/{id}/";
const PAYABLI_PATH: &str = "/User/{id}";

/// A bound no call here should come near; a call still running then hangs.
const HANG: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------- helpers

/// Captures everything `tracing` emits on this thread (the tests run on
/// tokio's current-thread runtime, so the client's tasks are captured too).
struct Trace {
    buffer: Arc<Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Trace {
    fn start() -> Trace {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Sink(buffer.clone());
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        // A callsite first hit on another test's thread while no capture
        // was live may have cached "never": ask every callsite again.
        tracing::callsite::rebuild_interest_cache();
        Trace {
            buffer,
            _guard: guard,
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap()).into_owned()
    }
}

/// The error's `Display`, `Debug` and every source in its chain.
fn shown(err: &Error) -> Vec<(&'static str, String)> {
    let mut out = vec![("Display", err.to_string()), ("Debug", format!("{err:?}"))];
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        out.push(("source Display", cause.to_string()));
        out.push(("source Debug", format!("{cause:?}")));
        source = cause.source();
    }
    out
}

/// No canary in the error or in the trace, and the trace did record the call.
fn assert_no_canary(err: &Error, trace: &Trace) {
    let log = trace.text();
    assert!(
        log.contains("payusers attempt"),
        "the tracing capture recorded no attempt, so it proves nothing:\n{log}"
    );
    for (place, text) in shown(err).into_iter().chain([("tracing", log)]) {
        for canary in CANARIES {
            assert!(
                !text.contains(canary),
                "canary {canary:?} leaked into the error's {place}:\n{text}"
            );
        }
    }
}

/// Runs `call`, failing the test if it is still running after [`HANG`];
/// returns its output and how long it took.
async fn timed<T>(call: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let out = tokio::time::timeout(HANG, call)
        .await
        .unwrap_or_else(|_| panic!("the call hung for {HANG:?}"));
    (out, started.elapsed())
}

fn hpay_builder(addr: SocketAddr) -> payusers::hpay::HostPayBuilder {
    payusers::HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_secs(10))
        .max_retries(0)
}

fn hpay(addr: SocketAddr) -> payusers::HostPay {
    hpay_builder(addr).build().unwrap()
}

fn payabli(addr: SocketAddr) -> payusers::Payabli {
    payusers::Payabli::builder()
        .token(TOKEN)
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_secs(10))
        .max_retries(0)
        .build()
        .unwrap()
}

async fn update(client: &payusers::HostPay) -> Result<payusers::hpay::User, Error> {
    client
        .update_user("user_abc123")
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
        .send()
        .await
}

/// A JSON hPay user whose name is `name`.
fn user_body(name: &str) -> String {
    format!(
        r#"{{"id":"user_abc123","app_user_id":1,"name":"{name}","phone_number":"+23279123456","is_active":true}}"#
    )
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body).
async fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return buf;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return buf,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// What a raw server does after writing its bytes.
#[derive(Clone, Copy)]
enum Then {
    /// Closes the connection (FIN).
    Close,
    /// Keeps the socket open and silent for a minute.
    Stall,
}

/// A raw TCP server: per connection, reads the request, writes `bytes`,
/// then closes or stalls. Counts connections.
async fn raw_server(bytes: Vec<u8>, then: Then) -> (SocketAddr, Counter) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Counter::default();
    let count = connections.clone();
    let bytes = Arc::new(bytes);
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            count.bump();
            let bytes = bytes.clone();
            tokio::spawn(async move {
                read_request(&mut stream).await;
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                match then {
                    Then::Close => {
                        let _ = stream.shutdown().await;
                    }
                    Then::Stall => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                    }
                }
                drop(stream);
            });
        }
    });
    (addr, connections)
}

// ----------------------------------------------------------- a. invalid JSON

#[tokio::test]
async fn a_invalid_json_with_200_is_an_unexpected_response() {
    let trace = Trace::start();
    let router = Router::new().route(
        HPAY_PATH,
        put(|| async {
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                format!(r#"{{"id": "user_abc123", "detail": "{SECRET_KEY}", "name": "#),
            )
        }),
    );
    let client = hpay(serve(router).await);
    let (result, elapsed) = timed(update(&client)).await;
    let err = result.unwrap_err();
    let Error::UnexpectedResponse {
        body_excerpt,
        context,
        ..
    } = &err
    else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    assert_eq!(context.status, Some(200));
    assert!(body_excerpt.contains("user_abc123"), "{body_excerpt}");
    assert!(body_excerpt.contains("[redacted]"), "{body_excerpt}");
    assert!(!err.is_retryable());
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_no_canary(&err, &trace);
}

// --------------------------------------------------- b. HTML with a 200

#[tokio::test]
async fn b_html_with_200_is_an_unexpected_response() {
    let trace = Trace::start();
    let router = Router::new().route(
        HPAY_PATH,
        put(|| async {
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                format!("<html><body>Session expired for {API_KEY}</body></html>"),
            )
        }),
    );
    let client = hpay(serve(router).await);
    let (result, elapsed) = timed(update(&client)).await;
    let err = result.unwrap_err();
    let Error::UnexpectedResponse {
        body_excerpt,
        context,
        ..
    } = &err
    else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    assert_eq!(context.status, Some(200));
    assert!(body_excerpt.starts_with("<html>"), "{body_excerpt}");
    assert!(body_excerpt.contains("[redacted]"), "{body_excerpt}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_no_canary(&err, &trace);
}

// -------------------------------------------------------- c. 10 MiB bodies

const TEN_MIB: usize = 10 * 1024 * 1024;

#[tokio::test]
async fn c_a_10_mib_success_body_is_refused_past_max_response_bytes() {
    let trace = Trace::start();
    // A valid user whose name is 10 MiB long and starts with a canary.
    let body = Bytes::from(user_body(&format!("{API_KEY}{}", "x".repeat(TEN_MIB))));
    let router = Router::new().route(
        HPAY_PATH,
        put(move || {
            let body = body.clone();
            async move {
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    body,
                )
            }
        }),
    );
    let addr = serve(router).await;

    let capped = hpay_builder(addr)
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap();
    let (result, elapsed) = timed(update(&capped)).await;
    let err = result.unwrap_err();
    let Error::UnexpectedResponse {
        reason,
        body_excerpt,
        context,
    } = &err
    else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    assert_eq!(context.status, Some(200));
    assert!(reason.contains("larger than 1048576 bytes"), "{reason}");
    assert!(body_excerpt.chars().count() <= 300, "{body_excerpt}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    assert_no_canary(&err, &trace);

    // Under the default cap (32 MiB) the same body decodes.
    let (result, _) = timed(update(&hpay(addr))).await;
    let user = result.expect("a 10 MiB body is under the default cap");
    assert_eq!(user.name.len(), API_KEY.len() + TEN_MIB);

    // The cap stops the read: a server promising 10 MiB that sends 2 MiB
    // and then stalls is refused at once, not waited for until the timeout.
    let trace = Trace::start();
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {TEN_MIB}\r\n\r\n"
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(format!(r#"{{"name":"{API_KEY}"#).as_bytes());
    bytes.resize(bytes.len() + 2 * 1024 * 1024, b'x');
    let (addr, _) = raw_server(bytes, Then::Stall).await;
    let capped = hpay_builder(addr)
        .timeout(Duration::from_secs(8))
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap();
    let (result, elapsed) = timed(update(&capped)).await;
    let err = result.unwrap_err();
    let Error::UnexpectedResponse { reason, .. } = &err else {
        panic!("expected UnexpectedResponse (cap reached), got {err:?}")
    };
    assert!(reason.contains("larger than 1048576 bytes"), "{reason}");
    assert!(
        elapsed < Duration::from_secs(5),
        "the capped read waited for the rest of the body: {elapsed:?}"
    );
    assert_no_canary(&err, &trace);
}

#[tokio::test]
async fn c_a_10_mib_error_body_is_cut_at_64_kib() {
    for status in [StatusCode::NOT_FOUND, StatusCode::INTERNAL_SERVER_ERROR] {
        let trace = Trace::start();
        let body = Bytes::from(format!(
            r#"{{"detail": "{SECRET_KEY} {}"}}"#,
            "y".repeat(TEN_MIB)
        ));
        let router = Router::new().route(
            HPAY_PATH,
            put(move || {
                let body = body.clone();
                async move { (status, [(header::CONTENT_TYPE, "application/json")], body) }
            }),
        );
        let client = hpay(serve(router).await);
        let (result, elapsed) = timed(update(&client)).await;
        let err = result.unwrap_err();
        let message = match (&err, status.as_u16()) {
            (Error::NotFound { message, .. }, 404) | (Error::Server { message, .. }, 500) => {
                message.clone().unwrap_or_default()
            }
            _ => panic!("{status}: unexpected variant {err:?}"),
        };
        assert_eq!(err.status(), Some(status.as_u16()));
        assert!(
            message.contains("body cut at 64 KiB"),
            "{status}: {message}"
        );
        assert!(
            message.len() < 64 * 1024,
            "{status}: {} bytes",
            message.len()
        );
        assert!(elapsed < Duration::from_secs(10), "{status}: {elapsed:?}");
        assert_no_canary(&err, &trace);
    }

    // The cap stops the read: a 500 promising 10 MiB that sends 100 KiB and
    // then stalls is reported at once, not waited for until the timeout.
    let trace = Trace::start();
    let head = format!(
        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {TEN_MIB}\r\n\r\n"
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(format!(r#"{{"detail":"{SECRET_KEY} "#).as_bytes());
    bytes.resize(bytes.len() + 100 * 1024, b'y');
    let (addr, _) = raw_server(bytes, Then::Stall).await;
    let client = hpay_builder(addr)
        .timeout(Duration::from_secs(8))
        .build()
        .unwrap();
    let (result, elapsed) = timed(update(&client)).await;
    let err = result.unwrap_err();
    let Error::Server { message, .. } = &err else {
        panic!("expected Server (error body cut at 64 KiB), got {err:?}")
    };
    let message = message.as_deref().unwrap_or_default();
    assert!(message.contains("body cut at 64 KiB"), "{message}");
    assert!(
        elapsed < Duration::from_secs(5),
        "the error-body read waited past its cap: {elapsed:?}"
    );
    assert_no_canary(&err, &trace);
}

// ---------------------------------------------- d. connection closed mid-body

#[tokio::test]
async fn d_a_connection_closed_mid_body_is_a_connection_error_or_its_status() {
    // A 2xx cut short is a broken connection; an error status cut short
    // is still that status (the headers said so), without its message.
    for status_line in ["200 OK", "500 Internal Server Error"] {
        closed_mid_body(status_line).await;
    }
}

async fn closed_mid_body(status_line: &str) {
    let trace = Trace::start();
    let partial = format!(r#"{{"id":"user_abc123","name":"{API_KEY}"#);
    let response = format!(
        "HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{partial}"
    );
    let (addr, connections) = raw_server(response.into_bytes(), Then::Close).await;
    let client = hpay_builder(addr)
        .retry_policy(
            payusers::RetryPolicy::default()
                .max_retries(1)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let (result, elapsed) = timed(update(&client)).await;
    let err = result.unwrap_err();
    if status_line.starts_with("200") {
        assert!(
            matches!(err, Error::Connection { .. }),
            "{status_line}: expected Connection, got {err:?}"
        );
    } else {
        assert!(
            matches!(&err, Error::Server { message: Some(m), .. } if m.contains("broke off")),
            "{status_line}: expected the 500, got {err:?}"
        );
        assert_eq!(err.status(), Some(500));
    }
    assert!(err.is_retryable());
    // A PUT is safe to resend: one retry, then the error.
    assert_eq!(err.context().unwrap().attempts, 2, "{status_line}: {err:?}");
    assert_eq!(connections.get(), 2, "{status_line}");
    assert!(
        elapsed < Duration::from_secs(5),
        "{status_line}: {elapsed:?}"
    );
    assert_no_canary(&err, &trace);
}

/// A refusal whose body is cut short (the connection closes before its
/// declared length) is still that refusal: a 429 keeps its `Retry-After`
/// and pauses the client, a 404 is not retried as a broken connection, a
/// refused create is not "may have applied".
#[tokio::test]
async fn d_a_refusal_cut_mid_body_keeps_its_status_and_retry_after() {
    let cut = |head: &str, partial: &str| {
        format!("HTTP/1.1 {head}\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{partial}")
            .into_bytes()
    };
    let (addr, connections) = raw_server(
        cut(
            "429 Too Many Requests\r\nretry-after: 30",
            r#"{"detail":"slow"#,
        ),
        Then::Close,
    )
    .await;
    // Retries allowed (fast ones): only the status keeps them from going out.
    let client = support::hpay(addr);
    let err = client
        .get_user("user_abc123")
        .deadline(Duration::from_secs(5))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(30)),
        "{err:?}"
    );
    assert_eq!(
        connections.get(),
        1,
        "a 429 asking for 30 s is not retried at once"
    );
    assert!(
        client.rate_limiter().paused_until().is_some(),
        "other calls wait too"
    );

    let (addr, connections) =
        raw_server(cut("404 Not Found", r#"{"detail":"Not"#), Then::Close).await;
    let err = support::hpay(addr)
        .get_user("user_abc123")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(connections.get(), 1, "a 404 is not retried");

    let (addr, _) = raw_server(
        cut("400 Bad Request", r#"{"phone_number":["already"#),
        Then::Close,
    )
    .await;
    let err = support::hpay(addr)
        .create_user()
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    assert!(!err.may_have_applied(), "a refusal: {err:?}");
}

// --------------------------------------------------- e. redirect elsewhere

#[tokio::test]
async fn e_a_redirect_to_another_host_is_refused_and_never_followed() {
    let (b, b_hits) = support::counting(serde_json::json!({"id": "user_abc123"})).await;
    for status in [301u16, 302, 303, 307, 308] {
        let trace = Trace::start();
        let location =
            format!("http://{b}/api/v1/users/user_abc123/?key={API_KEY}&secret={SECRET_KEY}");
        let router = Router::new().route(
            HPAY_PATH,
            put(move || {
                let location = location.clone();
                async move {
                    (
                        StatusCode::from_u16(status).unwrap(),
                        [(header::LOCATION, location)],
                    )
                }
            }),
        );
        let client = hpay(serve(router).await);
        let (result, elapsed) = timed(update(&client)).await;
        let err = result.unwrap_err();
        let Error::Redirect { location, context } = &err else {
            panic!("{status}: expected Redirect, got {err:?}")
        };
        assert_eq!(context.status, Some(status));
        assert_eq!(
            location.as_deref(),
            Some(
                format!("http://{b}/api/v1/users/user_abc123/?key=[redacted]&secret=[redacted]")
                    .as_str()
            ),
            "{status}"
        );
        assert!(!err.is_retryable());
        assert!(elapsed < Duration::from_secs(5), "{status}: {elapsed:?}");
        assert_no_canary(&err, &trace);
    }
    assert_eq!(b_hits.get(), 0, "the redirect target was contacted");
}

// ------------------------------------------ f. an absurd Retry-After on 503

#[tokio::test]
async fn f_retry_after_99999999_on_503_returns_at_once_with_the_wait() {
    let trace = Trace::start();
    let hits = Counter::default();
    let h = hits.clone();
    let router = Router::new().route(
        HPAY_PATH,
        put(move || {
            let h = h.clone();
            async move {
                h.bump();
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "99999999")],
                    Json(serde_json::json!({"detail": "maintenance"})),
                )
            }
        }),
    );
    // Retries allowed and a generous deadline: only the wait is too long.
    let client = hpay_builder(serve(router).await)
        .max_retries(3)
        .deadline(Duration::from_secs(60))
        .build()
        .unwrap();
    let (result, elapsed) = timed(update(&client)).await;
    let err = result.unwrap_err();
    let Error::Server {
        retry_after,
        message,
        context,
    } = &err
    else {
        panic!("expected Server, got {err:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(99_999_999)));
    assert_eq!(message.as_deref(), Some("maintenance"));
    assert_eq!(context.status, Some(503));
    assert_eq!(context.attempts, 1);
    assert_eq!(hits.get(), 1, "no retry: the wait would cross the deadline");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_no_canary(&err, &trace);
}

// ------------------------------------- g. HTTP/1.0 close-delimited body

#[tokio::test]
async fn g_an_http10_close_delimited_body_decodes() {
    let trace = Trace::start();
    let response = format!(
        "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{}",
        user_body("John Doe")
    );
    let (addr, connections) = raw_server(response.into_bytes(), Then::Close).await;
    let (result, elapsed) = timed(update(&hpay(addr))).await;
    let user = result.expect("a close-delimited HTTP/1.0 body is a complete body");
    assert_eq!(user.id, "user_abc123");
    assert_eq!(user.name, "John Doe");
    assert_eq!(connections.get(), 1);
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let log = trace.text();
    assert!(log.contains("outcome=\"ok\""), "{log}");
    for canary in CANARIES {
        assert!(!log.contains(canary), "{canary} in the trace:\n{log}");
    }

    // A close-delimited error body is read whole as well.
    let trace = Trace::start();
    let response = format!(
        "HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{{\"detail\": \"No user for {API_KEY}\"}}"
    );
    let (addr, _) = raw_server(response.into_bytes(), Then::Close).await;
    let (result, elapsed) = timed(update(&hpay(addr))).await;
    let err = result.unwrap_err();
    let Error::NotFound { message, .. } = &err else {
        panic!("expected NotFound, got {err:?}")
    };
    assert_eq!(message.as_deref(), Some("No user for [redacted]"));
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_no_canary(&err, &trace);
}

// ------------------------------------------------ h. servers echoing secrets

#[tokio::test]
async fn h_a_payabli_decline_echoing_the_token_is_scrubbed() {
    let trace = Trace::start();
    let router = Router::new().route(
        PAYABLI_PATH,
        put(|| async {
            Json(serde_json::json!({
                "isSuccess": false,
                "responseText": format!("{TOKEN} declined"),
            }))
        }),
    );
    let client = payabli(serve(router).await);
    let (result, elapsed) = timed(client.update_user(1000000).name("Sean").send()).await;
    let err = result.unwrap_err();
    let Error::Declined {
        response_text,
        context,
    } = &err
    else {
        panic!("expected Declined, got {err:?}")
    };
    assert_eq!(response_text, "[redacted] declined");
    assert_eq!(context.status, Some(200));
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_no_canary(&err, &trace);
}

#[tokio::test]
async fn h_a_request_id_echoing_a_secret_is_scrubbed() {
    // hPay: a 404 whose request id carries the secret key.
    let trace = Trace::start();
    let router = Router::new().route(
        HPAY_PATH,
        put(|| async {
            (
                StatusCode::NOT_FOUND,
                [("x-request-id", format!("req-{SECRET_KEY}"))],
                Json(serde_json::json!({"detail": "Not found."})),
            )
        }),
    );
    let client = hpay(serve(router).await);
    let (result, _) = timed(update(&client)).await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, Error::NotFound { .. }),
        "expected NotFound, got {err:?}"
    );
    assert_eq!(err.request_id(), Some("req-[redacted]"));
    assert_no_canary(&err, &trace);

    // Payabli: a 200 decline whose request id carries the token.
    let trace = Trace::start();
    let router = Router::new().route(
        PAYABLI_PATH,
        put(|| async {
            (
                [("x-request-id", format!("req-{TOKEN}"))],
                Json(serde_json::json!({"isSuccess": false, "responseText": "Declined"})),
            )
        }),
    );
    let client = payabli(serve(router).await);
    let (result, _) = timed(client.update_user(1000000).name("Sean").send()).await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, Error::Declined { .. }),
        "expected Declined, got {err:?}"
    );
    assert_eq!(err.request_id(), Some("req-[redacted]"));
    assert_no_canary(&err, &trace);
}

#[tokio::test]
async fn h_a_location_echoing_secrets_is_scrubbed() {
    // A same-origin, relative Location carrying every credential.
    let trace = Trace::start();
    let router = Router::new().route(
        HPAY_PATH,
        put(|| async {
            (
                StatusCode::SEE_OTHER,
                [(
                    header::LOCATION,
                    format!("/login?api-key={API_KEY}&secret-key={SECRET_KEY}"),
                )],
            )
        }),
    );
    let client = hpay(serve(router).await);
    let (result, _) = timed(update(&client)).await;
    let err = result.unwrap_err();
    let Error::Redirect { location, .. } = &err else {
        panic!("expected Redirect, got {err:?}")
    };
    assert_eq!(
        location.as_deref(),
        Some("/login?api-key=[redacted]&secret-key=[redacted]")
    );
    assert_no_canary(&err, &trace);

    let trace = Trace::start();
    let router = Router::new().route(
        PAYABLI_PATH,
        put(|| async {
            (
                StatusCode::FOUND,
                [(header::LOCATION, format!("http://127.0.0.1:9/{TOKEN}"))],
            )
        }),
    );
    let client = payabli(serve(router).await);
    let (result, _) = timed(client.update_user(1000000).name("Sean").send()).await;
    let err = result.unwrap_err();
    let Error::Redirect { location, .. } = &err else {
        panic!("expected Redirect, got {err:?}")
    };
    assert_eq!(location.as_deref(), Some("http://127.0.0.1:9/[redacted]"));
    assert_no_canary(&err, &trace);
}

#[tokio::test]
async fn h_a_server_echoing_the_payabli_password_leaks_it_nowhere() {
    // Answers, in turn: a 400 envelope, a 200 decline and a 500 plain-text
    // body, each quoting the `pwd` it received (and in x-request-id).
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let calls = Counter::default();
    let (s, c) = (seen.clone(), calls.clone());
    let router = Router::new().route(
        PAYABLI_PATH,
        put(move |Json(body): Json<serde_json::Value>| {
            let (s, c) = (s.clone(), c.clone());
            async move {
                let pwd = body["pwd"].as_str().unwrap_or("<none>").to_string();
                s.lock().unwrap().push(pwd.clone());
                let mut headers = HeaderMap::new();
                headers.insert("x-request-id", format!("req-{pwd}").parse().unwrap());
                match c.bump() {
                    1 => (
                        StatusCode::BAD_REQUEST,
                        headers,
                        Json(serde_json::json!({
                            "isSuccess": false,
                            "responseText": format!("password {pwd} is too weak"),
                            "responseData": null,
                        })),
                    )
                        .into_response(),
                    2 => (
                        headers,
                        Json(serde_json::json!({
                            "isSuccess": false,
                            "responseText": format!("Declined: {pwd} reused"),
                        })),
                    )
                        .into_response(),
                    _ => (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        headers,
                        format!("stack trace: pwd={pwd}"),
                    )
                        .into_response(),
                }
            }
        }),
    );
    let client = payabli(serve(router).await);
    for expected in ["bad_request", "declined", "server"] {
        let trace = Trace::start();
        let (result, elapsed) = timed(
            client
                .update_user(1000000)
                .password(PWD)
                .name("Sean")
                .send(),
        )
        .await;
        let err = result.unwrap_err();
        assert_eq!(err.kind(), expected, "{err:?}");
        let text = err.provider_message().unwrap_or_default();
        assert!(
            text.contains("[redacted]"),
            "{expected}: the echo should show up scrubbed: {text:?}"
        );
        assert_eq!(err.request_id(), Some("req-[redacted]"), "{expected}");
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
        assert_no_canary(&err, &trace);
    }
    assert_eq!(
        *seen.lock().unwrap(),
        vec![PWD.to_string(); 3],
        "the server received (and echoed) the password each time"
    );

    // The same on create (POST /User).
    let trace = Trace::start();
    let router = Router::new().route(
        "/User",
        axum::routing::post(|Json(body): Json<serde_json::Value>| async move {
            let pwd = body["pwd"].as_str().unwrap_or("<none>").to_string();
            (
                StatusCode::BAD_REQUEST,
                [("x-request-id", format!("req-{pwd}"))],
                Json(serde_json::json!({
                    "isSuccess": false,
                    "responseText": format!("Invalid data: pwd {pwd}"),
                    "responseData": null,
                })),
            )
        }),
    );
    let client = payabli(serve(router).await);
    let (result, _) = timed(client.create_user().name("Sean").password(PWD).send()).await;
    let err = result.unwrap_err();
    let Error::BadRequest { message, .. } = &err else {
        panic!("expected BadRequest, got {err:?}")
    };
    assert_eq!(message.as_deref(), Some("Invalid data: pwd [redacted]"));
    assert_eq!(err.request_id(), Some("req-[redacted]"));
    assert_no_canary(&err, &trace);

    // A create that succeeds but answers with no id: its `responseData`
    // (here an echo of what was sent, and the password as a bare string)
    // is named by its kind, never quoted.
    for (data, kind) in [
        (
            serde_json::json!({"pwd": PWD, "name": "Sean"}),
            "an object of 2 fields",
        ),
        (serde_json::json!(PWD), "a string that is not an integer"),
    ] {
        let trace = Trace::start();
        let router = Router::new().route(
            "/User",
            axum::routing::post(move || {
                let data = data.clone();
                async move {
                    (
                        [("x-request-id", format!("req-{PWD}"))],
                        Json(serde_json::json!({
                            "isSuccess": true,
                            "responseText": "Success",
                            "responseData": data,
                        })),
                    )
                }
            }),
        );
        let client = payabli(serve(router).await);
        let (result, _) = timed(client.create_user().name("Sean").password(PWD).send()).await;
        let err = result.unwrap_err();
        let Error::UnexpectedResponse { body_excerpt, .. } = &err else {
            panic!("expected UnexpectedResponse, got {err:?}")
        };
        assert_eq!(body_excerpt, &format!("`responseData` is {kind}"));
        assert_eq!(err.request_id(), Some("req-[redacted]"));
        assert_eq!(
            (err.status(), err.context().map(|c| c.attempts)),
            (Some(200), Some(1)),
            "the request was sent once and answered"
        );
        assert_no_canary(&err, &trace);
    }
}

#[tokio::test]
async fn h_a_password_in_a_run_time_body_is_scrubbed_and_kept_out_of_debug() {
    // `payusers api` sends a JSON body the spec does not type at compile
    // time; the spec's `format: password` properties are still secrets.
    let router = Router::new().route(
        PAYABLI_PATH,
        put(|Json(body): Json<serde_json::Value>| async move {
            let pwd = body["pwd"].as_str().unwrap_or("<none>").to_string();
            (
                StatusCode::BAD_REQUEST,
                [("x-request-id", format!("req-{pwd}"))],
                Json(serde_json::json!({
                    "isSuccess": false,
                    "responseText": format!("password {pwd} is too weak"),
                    "responseData": null,
                })),
            )
        }),
    );
    let addr = serve(router).await;
    let info = payusers::core::spec_info("payabli").unwrap();
    assert_eq!(info.password_fields, ["pwd"]);
    let client = payusers::core::ClientBuilder::<payusers::core::Dynamic>::for_info(info)
        .credential("requestToken", TOKEN)
        .unwrap()
        .base_url(format!("http://{addr}"))
        .build()
        .unwrap();
    let op = payusers::core::DynamicOp::new(
        info,
        "update_user",
        &[("userId".into(), "1000000".into())],
        Some(serde_json::json!({"name": "Sean", "pwd": PWD, "Pwd": PWD})),
    )
    .unwrap();
    let shown = format!("{op:?}");
    assert!(!shown.contains(PWD), "{shown}");
    assert!(shown.contains("\"pwd\": String(\"[redacted]\")"), "{shown}");
    assert!(
        shown.contains("Sean"),
        "only the password is hidden: {shown}"
    );
    let trace = Trace::start();
    let (result, _) = timed(client.call(op).send()).await;
    let err = result.unwrap_err();
    assert_eq!(err.kind(), "bad_request", "{err:?}");
    assert_eq!(
        err.provider_message(),
        Some("password [redacted] is too weak")
    );
    assert_eq!(err.request_id(), Some("req-[redacted]"));
    assert_no_canary(&err, &trace);
}

/// A credential with URL-reserved characters, as base64 keys have.
const RESERVED_KEY: &str = "canary/api+key=7f3";

/// An hPay client whose API key is [`RESERVED_KEY`].
fn hpay_reserved(addr: SocketAddr) -> payusers::HostPay {
    hpay_builder(addr).api_key(RESERVED_KEY).build().unwrap()
}

/// A server answering every update with a redirect whose `Location`
/// carries `key` form-encoded, as form encoders and most URL builders
/// write it; returns the error of a client whose api-key is `key`, the
/// `Location` the error shows, and the encoded key.
async fn redirect_echoing(key: &str) -> (Error, String, String) {
    let encoded: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
    let location = format!("http://127.0.0.1:9/login?k={encoded}");
    let router = Router::new().route(
        HPAY_PATH,
        put(move || {
            let location = location.clone();
            async move { (StatusCode::FOUND, [(header::LOCATION, location)]) }
        }),
    );
    let client = hpay_builder(serve(router).await)
        .api_key(key)
        .build()
        .unwrap();
    let (result, _) = timed(update(&client)).await;
    let err = result.unwrap_err();
    let Error::Redirect { location, .. } = &err else {
        panic!("expected Redirect, got {err:?}")
    };
    let shown = location.as_deref().unwrap_or_default().to_string();
    (err, shown, encoded)
}

#[tokio::test]
async fn h_a_location_echoing_a_percent_encoded_secret_is_scrubbed() {
    // A server puts the key into a URL percent-encoded. The error must not
    // show it in that form either.
    let trace = Trace::start();
    let (err, location, encoded) = redirect_echoing(RESERVED_KEY).await;
    assert_eq!(encoded, "canary%2Fapi%2Bkey%3D7f3");
    let decoded = percent_encoding::percent_decode_str(&location).decode_utf8_lossy();
    assert!(
        !decoded.contains(RESERVED_KEY),
        "BUG (src/transport/map.rs, `by_status`: the Location is scrubbed only of the \
         literal secret): the api-key leaks percent-encoded in Error::Redirect's location \
         {location:?}, shown by Display as {:?}",
        err.to_string()
    );
    assert_no_canary(&err, &trace);
}

/// An `UnexpectedResponse`'s excerpt of a short JSON body (quoted whole),
/// and that JSON decoded: what anyone reading the error could recover.
fn excerpt_as_json(err: &Error) -> (&str, serde_json::Value) {
    let Error::UnexpectedResponse { body_excerpt, .. } = err else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    let decoded = serde_json::from_str(body_excerpt)
        .unwrap_or_else(|e| panic!("the short body is quoted whole ({e}): {body_excerpt}"));
    (body_excerpt, decoded)
}

#[tokio::test]
async fn h_an_excerpt_echoing_a_json_escaped_secret_is_scrubbed() {
    // `\/` is how many JSON encoders (PHP's by default) write `/`: the same
    // string as the key, which the excerpt of an undecodable body quotes raw.
    let trace = Trace::start();
    let escaped = RESERVED_KEY.replace('/', "\\/");
    let body = format!(r#"{{"id": 7, "echo": "{escaped}"}}"#);
    let router = Router::new().route(
        HPAY_PATH,
        put(move || {
            let body = body.clone();
            async move {
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    body,
                )
            }
        }),
    );
    let client = hpay_reserved(serve(router).await);
    let (result, _) = timed(update(&client)).await;
    let err = result.unwrap_err();
    let (body_excerpt, unescaped) = excerpt_as_json(&err);
    assert!(
        !unescaped.to_string().contains(RESERVED_KEY),
        "BUG (src/transport/map.rs, `map_error`: excerpts are scrubbed of the literal \
         secret only): the api-key leaks JSON-escaped in Error::UnexpectedResponse's \
         body_excerpt {body_excerpt:?}"
    );
    assert_no_canary(&err, &trace);
}

#[tokio::test]
async fn h_a_location_echoing_a_form_encoded_key_with_unreserved_characters_is_scrubbed() {
    // Form encoders and `encodeURIComponent` leave `-._~` (or `*-._`) alone
    // while encoding `/` and `+`: a key with both must not show through.
    const KEY: &str = "canary_api/key+7f3";
    let trace = Trace::start();
    let (err, location, encoded) = redirect_echoing(KEY).await;
    assert_eq!(encoded, "canary_api%2Fkey%2B7f3");
    let decoded = percent_encoding::percent_decode_str(&location).decode_utf8_lossy();
    assert!(!decoded.contains(KEY), "the key shows in {location:?}");
    assert!(!err.to_string().contains(&encoded), "{err}");
    assert_no_canary(&err, &trace);
}

#[tokio::test]
async fn h_a_password_echoed_with_unicode_escapes_is_scrubbed() {
    // Python's `json.dumps` writes non-ASCII as `\uXXXX`, Go's encoder
    // `<>&` too: the same string, which the excerpt quotes.
    const PWD: &str = "Pässwört<1>&🔑";
    let trace = Trace::start();
    let router = Router::new().route(
        PAYABLI_PATH,
        put(|Json(body): Json<serde_json::Value>| async move {
            let pwd = body["pwd"].as_str().unwrap_or_default();
            let mut escaped = String::new();
            for c in pwd.chars() {
                if c.is_ascii() && !"<>&".contains(c) {
                    escaped.push(c);
                } else {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        escaped.push_str(&format!("\\u{unit:04x}"));
                    }
                }
            }
            (
                StatusCode::IM_A_TEAPOT,
                format!(r#"{{"echo":"{escaped}"}}"#),
            )
        }),
    );
    let client = payabli(serve(router).await);
    let err = client
        .update_user(1)
        .password(PWD)
        .name("Sean")
        .send()
        .await
        .unwrap_err();
    let (body_excerpt, decoded) = excerpt_as_json(&err);
    assert!(
        !decoded.to_string().contains(PWD),
        "the password can be read from {body_excerpt}"
    );
    assert!(body_excerpt.contains("[redacted]"), "{body_excerpt}");
    assert_no_canary(&err, &trace);
}

#[tokio::test]
async fn a_payabli_read_answering_200_declined_is_an_error_not_an_empty_record() {
    // Payabli's convention: `isSuccess: false` is a failure whatever the
    // status. Its read models are all optional fields, so the envelope would
    // otherwise decode as an empty user, or an empty page.
    let trace = Trace::start();
    let declined = || async {
        Json(serde_json::json!({
            "isSuccess": false, "responseText": "Declined", "responseData": null
        }))
    };
    let router = Router::new()
        .route(PAYABLI_PATH, get(declined))
        .route("/Query/users/org/{org}", get(declined));
    let client = payabli(serve(router).await);
    let got = client.get_user(1_000_000).send().await;
    let Err(err @ Error::Declined { response_text, .. }) = &got else {
        panic!("expected Declined, got {got:?}")
    };
    assert_eq!(response_text, "Declined");
    assert_no_canary(err, &trace);
    let listed = client.list_users(123).collect().await;
    assert!(
        matches!(listed, Err(Error::Declined { .. })),
        "expected Declined, got {listed:?}"
    );

    // A record is a record: no flag, no envelope (and a `true` flag is fine).
    let router = Router::new().route(
        PAYABLI_PATH,
        get(|| async { Json(serde_json::json!({"userId": 7, "Name": "Sean", "isSuccess": true})) }),
    );
    let user = payabli(serve(router).await)
        .get_user(7)
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_id, Some(7));
}

// ---------------------------------- deadline on every byte: stalled bodies

/// A raw server answering `status_line` with `Content-Length: 100000`, six
/// bytes of body, then a silent open socket; the call must end by its 1 s
/// timeout, and by a 1 s deadline when retries are allowed: a success with
/// `Error::Timeout`, an error status with the error its status makes (its
/// body's message lost, its headers kept).
async fn stalled_body_times_out(status_line: &str, extra_header: &str) {
    let code: u16 = status_line.split(' ').next().unwrap().parse().unwrap();
    let kind = match code {
        200..=299 => "timeout",
        302 => "redirect",
        404 => "not_found",
        502 => "server",
        _ => unreachable!("{code}"),
    };
    let response = format!(
        "HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\n{extra_header}content-length: 100000\r\n\r\n{{\"id\":"
    );
    assert!(response.ends_with("{\"id\":") && "{\"id\":".len() == 6);
    let (addr, connections) = raw_server(response.into_bytes(), Then::Stall).await;

    // The per-attempt timeout.
    let trace = Trace::start();
    let client = hpay_builder(addr)
        .timeout(Duration::from_secs(1))
        .max_retries(0)
        .build()
        .unwrap();
    let (result, elapsed) = timed(update(&client)).await;
    let err = result.unwrap_err();
    assert_eq!(err.kind(), kind, "{status_line}: {err:?}");
    assert_eq!(err.status(), Some(code), "{status_line}: {err:?}");
    assert!(
        elapsed < Duration::from_secs(5),
        "{status_line}: a 1 s timeout took {elapsed:?}"
    );
    assert_eq!(connections.get(), 1);
    assert_no_canary(&err, &trace);

    // The whole-call deadline, with a long timeout and retries allowed.
    let trace = Trace::start();
    let client = hpay_builder(addr)
        .timeout(Duration::from_secs(30))
        .deadline(Duration::from_secs(1))
        .max_retries(3)
        .build()
        .unwrap();
    let (result, elapsed) = timed(update(&client)).await;
    let err = result.unwrap_err();
    assert_eq!(err.kind(), kind, "{status_line}: {err:?}");
    assert!(
        elapsed < Duration::from_secs(5),
        "{status_line}: a 1 s deadline took {elapsed:?}"
    );
    assert_no_canary(&err, &trace);
}

#[tokio::test]
async fn stalled_200_body_ends_by_the_deadline() {
    stalled_body_times_out("200 OK", "").await;
}

#[tokio::test]
async fn stalled_404_body_ends_by_the_deadline() {
    stalled_body_times_out("404 Not Found", "").await;
}

#[tokio::test]
async fn stalled_502_body_ends_by_the_deadline() {
    stalled_body_times_out("502 Bad Gateway", "").await;
}

/// A success the operation does not document: the generated code leaves
/// its body unread, and the error path reads it by the attempt's end.
#[tokio::test]
async fn stalled_undocumented_202_body_ends_by_the_deadline() {
    stalled_body_times_out("202 Accepted", "").await;
}

#[tokio::test]
async fn stalled_302_body_ends_by_the_deadline() {
    stalled_body_times_out(
        "302 Found",
        &format!("location: http://127.0.0.1:9/?k={API_KEY}\r\n"),
    )
    .await;
}

/// A raw generated call has no facade attempt around it; the client's
/// timeout still bounds it, every byte of the body included.
#[tokio::test]
async fn stalled_body_ends_a_raw_call_by_the_client_timeout() {
    let response = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{\"id\":";
    let (addr, connections) = raw_server(response.as_bytes().to_vec(), Then::Stall).await;
    let client = hpay_builder(addr)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let body = payusers::hpay::raw::types::UpdateUserRequest {
        app_user_id: 1,
        name: "John Updated Doe".try_into().unwrap(),
        email: None,
        phone_number: "+23279123456".try_into().unwrap(),
        username: None,
        is_active: None,
    };
    let (result, elapsed) = timed(client.raw().update_user("user_abc123", &body)).await;
    let err = result.unwrap_err();
    let reqwest_error = match &err {
        progenitor_client::Error::CommunicationError(e)
        | progenitor_client::Error::ResponseBodyError(e) => e,
        other => panic!("expected a timed-out transfer, got {other:?}"),
    };
    assert!(reqwest_error.is_timeout(), "{reqwest_error:?}");
    assert!(
        elapsed < Duration::from_secs(5),
        "a 1 s timeout took {elapsed:?}"
    );
    assert_eq!(connections.get(), 1);
}

#[tokio::test]
async fn h_a_huge_unreadable_success_is_excerpted_from_its_start_and_scrubbed() {
    // 8 MiB that are not JSON, echoing the API key at the start and
    // across the excerpt's end (256 characters in).
    let mut text = format!("not json: {API_KEY} ");
    text.push_str(&"x".repeat(250 - text.len()));
    text.push_str(API_KEY);
    text.push_str(&"y".repeat(8 * 1024 * 1024));
    let router = Router::new().route(
        HPAY_PATH,
        get(move || {
            let text = text.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], text) }
        }),
    );
    let client = hpay(serve(router).await);
    let trace = Trace::start();
    let (result, _) = timed(client.get_user("user_abc123").send()).await;
    let err = result.unwrap_err();
    let Error::UnexpectedResponse { body_excerpt, .. } = &err else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    assert!(
        body_excerpt.starts_with("not json: [redacted] x"),
        "{body_excerpt}"
    );
    assert!(body_excerpt.ends_with('…'), "{body_excerpt}");
    assert!(
        body_excerpt.chars().count() <= 257,
        "{}",
        body_excerpt.len()
    );
    assert_no_canary(&err, &trace);
}
