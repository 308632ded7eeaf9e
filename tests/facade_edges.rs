//! Edge cases at the facade's boundary, each once a bug: an error status
//! whose body stalls, a connection never made in time, an empty
//! idempotency key, a password echoed twice JSON-escaped or in Rust's
//! `Debug` quoting, a Payabli write's operation in its errors, and an hPay
//! delete answered with an error body under a 200. Loopback servers only.
mod support;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{delete, post, put};
use payusers::Error;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Counter, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const API_KEY: &str = "canary_api_key_7f3";
const SECRET_KEY: &str = "hpay_test_canary_secret_91c";
const TOKEN: &str = "canary_token_55d";

fn hpay(addr: SocketAddr) -> payusers::hpay::HostPayBuilder {
    payusers::HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(format!("http://{addr}"))
        .retry_policy(support::fast_retries())
}

/// A run-time (`payusers api`) hPay client for the server at `addr`.
fn dynamic_hpay(addr: SocketAddr) -> payusers::core::ClientBuilder<payusers::core::Dynamic> {
    let info = payusers::core::spec_info("hpay").unwrap();
    payusers::core::ClientBuilder::for_info(info)
        .credential("api-key", API_KEY)
        .unwrap()
        .credential("secret-key", SECRET_KEY)
        .unwrap()
        .base_url(format!("http://{addr}"))
}

fn payabli(addr: SocketAddr) -> payusers::payabli::PayabliBuilder {
    payusers::Payabli::builder()
        .token(TOKEN)
        .base_url(format!("http://{addr}"))
        .retry_policy(support::fast_retries())
}

/// A Payabli update setting `password`, against `router`: its error.
async fn payabli_update_with_password(router: Router, password: &str) -> Error {
    let client = payabli(serve(router).await).build().unwrap();
    client
        .update_user(1)
        .password(password)
        .send()
        .await
        .unwrap_err()
}

/// Per connection: read the request head, write `head`, then stay silent.
async fn stalling_server(head: &'static str) -> (SocketAddr, Counter) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let n = Counter::default();
    let c = n.clone();
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            c.bump();
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                let _ = s.read(&mut buf).await;
                s.write_all(head.as_bytes()).await.unwrap();
                tokio::time::sleep(Duration::from_secs(60)).await;
            });
        }
    });
    (addr, n)
}

/// An error status whose body stalls still says what it was: a 429 is
/// `RateLimited` with its `Retry-After` and request id, and (30 s past the
/// 10 s deadline) is not sent again.
#[tokio::test]
async fn a_429_whose_body_stalls_is_rate_limited_with_its_retry_after_and_request_id() {
    let (addr, conns) = stalling_server(
        "HTTP/1.1 429 Too Many Requests\r\nretry-after: 30\r\nx-request-id: req-42\r\ncontent-length: 100\r\n\r\n{\"detail\":",
    )
    .await;
    let client = hpay(addr)
        .timeout(Duration::from_millis(300))
        .deadline(Duration::from_secs(10))
        .build()
        .unwrap();
    let err = client.get_user("user_abc123").send().await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    // What a 429 with `Retry-After: 30` and a 10 s deadline should give:
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(wait), .. } if wait == Duration::from_secs(30)),
        "got {err:?}"
    );
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(conns.get(), 1, "retried despite Retry-After: 30");
}

/// An empty idempotency key would make a create retry-safe with nothing to
/// deduplicate it by: it is refused before anything is sent.
#[tokio::test]
async fn an_empty_idempotency_key_is_refused_before_sending() {
    let hits = Counter::default();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let (h, s) = (hits.clone(), seen.clone());
    let router = Router::new().route(
        "/api/v1/users/create/",
        post(move |headers: HeaderMap| {
            let (h, s) = (h.clone(), s.clone());
            async move {
                s.lock().unwrap().push(format!(
                    "{:?}",
                    headers
                        .get("idempotency-key")
                        .map(|v| v.to_str().unwrap().to_string())
                ));
                if h.bump() == 1 {
                    StatusCode::SERVICE_UNAVAILABLE.into_response()
                } else {
                    axum::Json(support::user_json()).into_response()
                }
            }
        }),
    );
    let client = hpay(serve(router).await).build().unwrap();
    let result = client
        .create_user()
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
        .idempotency_key("")
        .send()
        .await;
    assert!(
        matches!(
            result,
            Err(Error::Validation {
                field: "idempotency_key",
                ..
            })
        ),
        "an empty key was accepted; POSTs sent: {}",
        hits.get()
    );
    for key in [" ", "key with spaces", "clé"] {
        let result = client
            .create_user()
            .app_user_id(1)
            .name("John Doe")
            .phone_number("+23279123456")
            .idempotency_key(key)
            .send()
            .await;
        assert!(
            matches!(
                result,
                Err(Error::Validation {
                    field: "idempotency_key",
                    ..
                })
            ),
            "{key:?}: {result:?}"
        );
    }
    assert_eq!(hits.get(), 0, "nothing sent: {:?}", seen.lock().unwrap());
    // A proper key is sent, and makes the create retry-safe.
    let made = client
        .create_user()
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
        .idempotency_key("7b1c-key")
        .send()
        .await;
    assert!(made.is_ok(), "{made:?}");
    assert_eq!(hits.get(), 2, "the 503, then the retry");
    assert_eq!(
        *seen.lock().unwrap(),
        ["Some(\"7b1c-key\")", "Some(\"7b1c-key\")"]
    );
}

/// A Payabli write's validation error names the spec's operation.
#[tokio::test]
async fn a_payabli_write_names_its_own_operation_in_errors() {
    let client = payusers::Payabli::builder().token(TOKEN).build().unwrap();
    let err = client
        .create_user()
        .email("x".repeat(400))
        .send()
        .await
        .unwrap_err();
    let op = err.context().unwrap().operation;
    assert_eq!(op, "add_user");
    let err = client
        .update_user(1)
        .email("x".repeat(400))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.context().unwrap().operation, "update_user");
    assert!(
        payusers::payabli::raw::INFO.operation(op).is_some(),
        "context.operation = {op:?} is no operationId ({err})"
    );
}

/// A password with a `"` echoed inside a JSON string that is itself JSON
/// text (escaped twice) is scrubbed.
#[tokio::test]
async fn a_password_echoed_twice_json_escaped_is_scrubbed() {
    const PWD: &str = r#"pa"ss_W0rd!"#;
    let router = Router::new().route(
        "/User/{id}",
        put(|body: String| async move {
            // The server quotes the request body it could not use, as text.
            let echo = serde_json::json!({"error": format!("cannot use {body}")});
            (StatusCode::METHOD_NOT_ALLOWED, axum::Json(echo))
        }),
    );
    let err = payabli_update_with_password(router, PWD).await;
    let shown = format!("{err} {err:?}");
    let double = r#"pa\\\"ss_W0rd!"#; // what the raw body holds
    assert!(
        !shown.contains(double) && !shown.contains("ss_W0rd"),
        "{shown}"
    );
}

/// A connection not made in time sent nothing: `never_reached_server`,
/// so even a create is retried.
#[tokio::test]
async fn a_connect_timeout_never_reached_the_server_and_a_create_retries() {
    // A listener whose accept queue is full: further SYNs are dropped.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fill = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(Ok(s)) => fill.push(s),
            _ => break,
        }
    }
    let http = payusers::http_client_builder()
        .connect_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let client = hpay(addr)
        .http_client(http)
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_secs(10))
        .build()
        .unwrap();

    let err = client
        .create_user()
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.never_reached_server(),
        "a connect timeout never reached the server, but: {err} (attempts {})",
        err.context().unwrap().attempts
    );
    assert_eq!(err.context().unwrap().attempts, 4, "retried: {err}");
    assert!(!err.is_timeout(), "a connection error: {err}");
    drop(listener);
}

/// The documented delete answer carries `message`; a 200 with an error
/// body instead is not taken for a delete.
#[tokio::test]
async fn an_hpay_delete_answered_200_without_its_message_is_an_error() {
    let router = Router::new().route(
        "/api/v1/users/{id}/",
        delete(|| async { axum::Json(serde_json::json!({"detail": "Not found."})) }),
    );
    let client = hpay(serve(router).await).build().unwrap();
    let result = client.delete_user("user_abc123").send().await;
    assert!(result.is_err(), "silent success: {result:?}");
}

/// serde quotes a mistyped string with Rust's `Debug` escapes
/// (`\u{301}`): that form of a password is scrubbed too.
#[tokio::test]
async fn a_password_quoted_by_serde_debug_escapes_is_scrubbed() {
    const PWD: &str = "Cafe\u{301}-Secret-42";
    let router = Router::new().route(
        "/User/{id}",
        put(
            |axum::Json(body): axum::Json<serde_json::Value>| async move {
                axum::Json(serde_json::json!({"isSuccess": body["pwd"], "responseText": "ok"}))
            },
        ),
    );
    let err = payabli_update_with_password(router, PWD).await;
    let shown = format!("{err}");
    assert!(!shown.contains("-Secret-42"), "{shown}");
}

/// A refused connection (never opened either) is retried, as a connect
/// timeout is.
#[tokio::test]
async fn a_refused_connection_never_reached_the_server_and_a_create_retries() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    let client = hpay(addr).build().unwrap();
    let err = client
        .create_user()
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
        .send()
        .await
        .unwrap_err();
    assert!(err.never_reached_server());
    assert_eq!(err.context().unwrap().attempts, 4);
}

/// A `Retry-After` longer than the rate limiter would pause for (five
/// minutes) is reported at once, however far the deadline.
#[tokio::test]
async fn a_retry_after_of_an_hour_is_reported_not_waited_out() {
    let hits = Counter::default();
    let h = hits.clone();
    let router = Router::new().route(
        "/api/v1/users/{id}/",
        axum::routing::get(move || {
            h.bump();
            async {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", "3600")],
                    axum::Json(serde_json::json!({"detail": "Request was throttled."})),
                )
            }
        }),
    );
    let client = hpay(serve(router).await)
        .deadline(Duration::from_secs(3 * 3600))
        .build()
        .unwrap();
    let err = tokio::time::timeout(
        Duration::from_secs(20),
        client.get_user("user_abc123").send(),
    )
    .await
    .expect("not waited out")
    .unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(wait), .. } if wait == Duration::from_secs(3600)),
        "{err:?}"
    );
    assert_eq!(hits.get(), 1);
}

/// Through the run-time client (`payusers api`), an empty success is no
/// answer where the spec's answers are its envelope (Payabli), as on the
/// typed path; elsewhere (hPay) it is `null`.
#[tokio::test]
async fn an_empty_success_is_an_error_only_where_the_spec_answers_an_envelope() {
    use payusers::core::{ClientBuilder, Dynamic, DynamicOp, spec_info};
    let router = Router::new()
        .route("/User/{id}", delete(|| async { StatusCode::OK }))
        .route("/api/v1/users/{id}/", delete(|| async { StatusCode::OK }));
    let addr = serve(router).await;

    let info = spec_info("payabli").unwrap();
    let client = ClientBuilder::<Dynamic>::for_info(info)
        .credential("requestToken", TOKEN)
        .unwrap()
        .base_url(format!("http://{addr}"))
        .build()
        .unwrap();
    let op = DynamicOp::new(info, "delete_user", &[("userId".into(), "7".into())], None).unwrap();
    let err = client.call(op).send().await.unwrap_err();
    assert_eq!(err.kind(), "unexpected_response", "{err:?}");
    assert_eq!(err.status(), Some(200));

    let info = spec_info("hpay").unwrap();
    let client = dynamic_hpay(addr).build().unwrap();
    let op = DynamicOp::new(
        info,
        "delete_user",
        &[("user_id".into(), "u1".into())],
        None,
    )
    .unwrap();
    let answer = client.call(op).send().await.unwrap();
    assert_eq!(answer, serde_json::Value::Null);
}

#[tokio::test]
async fn an_answer_about_another_user_is_an_error_on_every_path() {
    use payusers::core::{DynamicOp, spec_info};
    // Every answer is about `user_abc123`, whoever was asked for.
    let gets = Counter::default();
    let g = gets.clone();
    let router = Router::new().route(
        "/api/v1/users/{id}/",
        axum::routing::get(move || {
            g.bump();
            async { axum::Json(support::user_json()) }
        })
        .put(|| async { axum::Json(support::user_json()) }),
    );
    let addr = serve(router).await;
    let hpay = hpay(addr).build().unwrap();

    // The user asked for, in another ASCII case, is the same user.
    let user = hpay.get_user("USER_ABC123").send().await.unwrap();
    assert_eq!(user.id, "user_abc123");
    let err = hpay.get_user("someone_else").send().await.unwrap_err();
    let Error::UnexpectedResponse { reason, .. } = &err else {
        panic!("expected UnexpectedResponse, got {err:?}")
    };
    assert_eq!(
        reason,
        r#"asked for user_id "someone_else", the answer is about id "user_abc123""#
    );
    assert_eq!(err.status(), Some(200));
    assert_eq!(
        err.context().map(|c| (c.operation, c.attempts)),
        Some(("get_user", 1)),
        "not retried: asking again gets the same answer"
    );
    assert_eq!(gets.get(), 2);

    // A write answered about another user is reported, not taken for done.
    let err = hpay
        .update_user("someone_else")
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "unexpected_response", "{err:?}");
    assert_eq!(err.context().map(|c| c.operation), Some("update_user"));

    // The generic path (`payusers api`) holds answers to the same rule.
    let info = spec_info("hpay").unwrap();
    let client = dynamic_hpay(addr).build().unwrap();
    let get = |id: &str| {
        DynamicOp::new(info, "get_user", &[("user_id".into(), id.into())], None).unwrap()
    };
    let answer = client.call(get("user_ABC123")).send().await.unwrap();
    assert_eq!(answer["id"], "user_abc123");
    let err = client.call(get("someone_else")).send().await.unwrap_err();
    assert_eq!(err.kind(), "unexpected_response", "{err:?}");
    assert!(err.to_string().contains("someone_else"), "{err}");
}

#[tokio::test]
async fn a_success_cut_at_the_size_cap_is_never_taken_for_the_answer() {
    use payusers::core::{DynamicOp, spec_info};
    // Its first bytes parse (a number): still not the answer.
    let router = Router::new().route(
        "/api/v1/users/{id}/",
        axum::routing::get(|| async { ([("content-type", "application/json")], "1234567890") }),
    );
    let addr = serve(router).await;
    let info = spec_info("hpay").unwrap();
    let client = dynamic_hpay(addr).max_response_bytes(4).build().unwrap();
    let op = DynamicOp::new(info, "get_user", &[("user_id".into(), "u1".into())], None).unwrap();
    let err = client.call(op).send().await.unwrap_err();
    assert_eq!(err.kind(), "unexpected_response", "{err:?}");
    assert!(err.to_string().contains("larger than 4 bytes"), "{err}");
}

#[tokio::test]
async fn an_answer_naming_a_credential_as_its_id_is_not_quoted() {
    let router = Router::new().route(
        "/api/v1/users/{id}/",
        axum::routing::get(|| async {
            let mut user = support::user_json();
            user["id"] = SECRET_KEY.into();
            axum::Json(user)
        }),
    );
    let hpay = hpay(serve(router).await).build().unwrap();
    let err = hpay
        .modify_user("user_abc123")
        .name("B")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "unexpected_response", "{err:?}");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(SECRET_KEY), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
}
