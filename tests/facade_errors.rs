//! The facade's error mapping, retries and redirects, against purpose-built
//! loopback servers (the embedded mock covers the documented behaviour).

mod support;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::put;
use axum::{Json, Router};
use payusers::Error;
use std::time::{Duration, Instant};
use support::*;

const PATH: &str = "/api/v1/users/{id}/";

#[tokio::test]
async fn an_undecodable_success_body_is_unexpected_with_status_and_excerpt() {
    let router = Router::new().route(
        PATH,
        put(|| async { (StatusCode::OK, "<html>oops</html>") }),
    );
    let err = update(&hpay(serve(router).await)).await.unwrap_err();
    let Error::UnexpectedResponse {
        body_excerpt,
        context,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(context.status, Some(200));
    assert!(body_excerpt.contains("<html>oops"), "{body_excerpt}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_non_json_error_body_keeps_its_status_and_text() {
    // Payabli does not promise JSON error bodies.
    let router = Router::new().route(
        "/User/{id}",
        put(|| async {
            (
                StatusCode::BAD_REQUEST,
                [("x-request-id", "req-42")],
                "Invalid data: email",
            )
        }),
    );
    let err = payabli(serve(router).await)
        .update_user(1)
        .name("A")
        .send()
        .await
        .unwrap_err();
    let Error::BadRequest { message, context } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(message.as_deref(), Some("Invalid data: email"));
    assert_eq!(context.status, Some(400));
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(context.provider, payusers::Provider::Payabli);
    assert_eq!(context.operation, "update_user");
}

#[tokio::test]
async fn declined_is_an_error_with_the_response_text() {
    let router = Router::new().route(
        "/User/{id}",
        put(|| async { Json(serde_json::json!({"isSuccess": false, "responseText": "Declined", "responseData": null})) }),
    );
    let err = payabli(serve(router).await)
        .update_user(1)
        .name("A")
        .send()
        .await
        .unwrap_err();
    let Error::Declined {
        response_text,
        context,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(response_text, "Declined");
    assert_eq!(context.status, Some(200));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_null_success_flag_is_read_as_absent_by_every_check() {
    // `isSuccess` is nullable: `null` with "Success" is what an absent flag
    // with "Success" is, a success (a create reported declined would be
    // made again); `null` with another text is still a failure.
    use axum::routing::{delete, post};
    let router = Router::new()
        .route(
            "/User/{id}",
            delete(|| async { Json(serde_json::json!({"isSuccess": null, "responseText": "Success"})) }),
        )
        .route(
            "/User",
            post(|| async {
                Json(serde_json::json!({"isSuccess": null, "responseText": "Success", "responseData": "1000001"}))
            }),
        );
    let client = payabli(serve(router).await);
    client.delete_user(7).send().await.unwrap();
    let created = client
        .create_user()
        .name("Ada")
        .email("ada@example.com")
        .scope(0, 123)
        .send()
        .await
        .unwrap();
    assert_eq!(created, Some(1000001));

    let declined = Router::new().route(
        "/User/{id}",
        put(|| async { Json(serde_json::json!({"isSuccess": null, "responseText": "Declined"})) }),
    );
    let err = payabli(serve(declined).await)
        .update_user(1)
        .name("A")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Declined { .. }), "{err:?}");
}

#[tokio::test]
async fn the_hpay_error_message_is_surfaced() {
    let router = Router::new().route(
        PATH,
        put(|| async {
            (
                StatusCode::BAD_REQUEST,
                Json(serde_json::json!({"message": "app_user_id cannot be changed"})),
            )
        }),
    );
    let err = update(&hpay(serve(router).await)).await.unwrap_err();
    assert_eq!(
        err.provider_message(),
        Some("app_user_id cannot be changed")
    );
    assert!(
        err.to_string().contains("app_user_id cannot be changed"),
        "{err}"
    );
}

async fn counted(status: StatusCode, counter: support::Counter) -> Router {
    Router::new().route(
        PATH,
        put(move || {
            let counter = counter.clone();
            async move {
                counter.bump();
                (status, Json(serde_json::json!({"message": "nope"})))
            }
        }),
    )
}

/// A server answering every request `status` with one header and a JSON
/// `detail`, counting requests in `counter`.
async fn always(
    status: StatusCode,
    header: (&'static str, &'static str),
    counter: &Counter,
) -> std::net::SocketAddr {
    let counter = counter.clone();
    serve(Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            counter.bump();
            (
                status,
                [header],
                Json(serde_json::json!({"detail": "slow down"})),
            )
        }
    }))
    .await
}

#[tokio::test]
async fn no_retry_on_400_401_404() {
    for status in [
        StatusCode::BAD_REQUEST,
        StatusCode::UNAUTHORIZED,
        StatusCode::NOT_FOUND,
        StatusCode::FORBIDDEN,
    ] {
        let counter = Counter::default();
        let addr = serve(counted(status, counter.clone()).await).await;
        let err = update(&hpay(addr)).await.unwrap_err();
        assert_eq!(counter.get(), 1, "{status}: {err}");
        assert_eq!(err.status(), Some(status.as_u16()));
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn retryable_statuses_are_retried_exactly_max_retries_times() {
    for status in [408u16, 429, 500, 502, 503, 504] {
        let counter = Counter::default();
        let addr =
            serve(counted(StatusCode::from_u16(status).unwrap(), counter.clone()).await).await;
        let client = hpay(addr);
        let err = valid_update(&client)
            .max_retries(2)
            .send()
            .await
            .unwrap_err();
        assert_eq!(counter.get(), 3, "{status}: {err}");
        assert_eq!(err.context().unwrap().attempts, 3);
        assert!(err.is_retryable(), "{status}");
    }
    // 501 is a server error but not a transient one.
    let counter = Counter::default();
    let addr = serve(counted(StatusCode::NOT_IMPLEMENTED, counter.clone()).await).await;
    let err = update(&hpay(addr)).await.unwrap_err();
    assert!(matches!(err, Error::Server { .. }));
    assert_eq!(counter.get(), 1);
}

#[tokio::test]
async fn retry_after_as_http_date_is_honoured() {
    let router = first_then_user(|| {
        let when = std::time::SystemTime::now() + Duration::from_secs(2);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_str(&httpdate::fmt_http_date(when)).unwrap(),
        );
        (StatusCode::SERVICE_UNAVAILABLE, headers, "busy").into_response()
    });
    let started = Instant::now();
    let response = valid_update(&hpay(serve(router).await))
        .send_with_response()
        .await
        .unwrap();
    // HTTP dates have one-second resolution: the wait is between 1 and 2 s,
    // far above the 20 ms backoff cap this client would otherwise use.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(response.attempts(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_returns_at_once() {
    let counter = Counter::default();
    let c = counter.clone();
    let router = Router::new().route(
        PATH,
        put(move || {
            let c = c.clone();
            async move {
                c.bump();
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "30")],
                    Json(serde_json::json!({"message": "slow down"})),
                )
            }
        }),
    );
    let started = Instant::now();
    let err = valid_update(&hpay(serve(router).await))
        .deadline(Duration::from_secs(2))
        .send()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let Error::RateLimited {
        retry_after,
        message,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(30)));
    assert_eq!(message.as_deref(), Some("slow down"));
    assert_eq!(counter.get(), 1);
}

#[tokio::test]
async fn backoff_delays_stay_within_the_jitter_ceiling() {
    // 3 retries at base 100 ms: the waits are at most 100 + 200 + 400 ms.
    let counter = Counter::default();
    let addr = serve(counted(StatusCode::SERVICE_UNAVAILABLE, counter.clone()).await).await;
    let client = payusers::HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(format!("http://{addr}"))
        .retry_policy(
            payusers::RetryPolicy::default()
                .base_delay(Duration::from_millis(100))
                .max_delay(Duration::from_secs(10)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = update(&client).await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(counter.get(), 4, "{err}");
    assert!(elapsed < Duration::from_millis(700 + 500), "{elapsed:?}");
    let policy = payusers::RetryPolicy::default();
    assert_eq!(policy.ceiling(1), Duration::from_millis(250));
    assert_eq!(policy.ceiling(3), Duration::from_millis(1000));
    assert_eq!(policy.ceiling(10), Duration::from_secs(10));
    for n in 1..6 {
        assert!(policy.backoff(n) <= policy.ceiling(n));
    }
}

#[tokio::test]
async fn a_connection_refused_is_a_retried_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = update(&hpay(addr)).await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(err.context().unwrap().attempts, 4);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let router = Router::new().route(
        PATH,
        put(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Json(user_json())
        }),
    );
    let started = Instant::now();
    let err = valid_update(&hpay(serve(router).await))
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.context().unwrap().attempts, 2);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn redirects_are_refused_and_credentials_never_reach_the_other_origin() {
    // Server B records any request that reaches it.
    let (b_addr, b_hits) = counting(user_json()).await;
    let location = format!("http://{b_addr}/api/v1/users/user_abc123/");
    let loc = location.clone();
    let a_addr = serve(Router::new().route(
        PATH,
        put(move || {
            let loc = loc.clone();
            async move { (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, loc)]) }
        }),
    ))
    .await;
    let err = update(&hpay(a_addr)).await.unwrap_err();
    let Error::Redirect {
        location: got,
        context,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(got.as_deref(), Some(location.as_str()));
    assert_eq!(context.status, Some(307));
    assert!(err.to_string().contains(&location));
    assert_eq!(b_hits.get(), 0, "the redirect target was contacted");
}

#[tokio::test]
async fn credentials_and_user_agent_are_on_the_wire_and_api_version_is_not() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(HeaderMap::new()));
    let s = seen.clone();
    let router = Router::new().route(
        PATH,
        put(move |headers: HeaderMap| {
            let s = s.clone();
            async move {
                *s.lock().unwrap() = headers;
                Json(user_json())
            }
        }),
    );
    update(&hpay(serve(router).await)).await.unwrap();
    let headers = seen.lock().unwrap().clone();
    assert_eq!(headers["api-key"], API_KEY);
    assert_eq!(headers["secret-key"], SECRET_KEY);
    assert_eq!(headers[header::USER_AGENT], payusers::USER_AGENT);
    assert!(payusers::USER_AGENT.starts_with("payusers/"));
    assert!(headers.get("api-version").is_none());
}

#[tokio::test]
async fn a_server_echoing_the_secret_does_not_leak_it_into_errors() {
    let router = Router::new().route(
        PATH,
        put(|headers: HeaderMap| async move {
            let echoed = format!("bad key {}", headers["secret-key"].to_str().unwrap());
            (
                StatusCode::UNAUTHORIZED,
                Json(serde_json::json!({"message": echoed})),
            )
        }),
    );
    let err = update(&hpay(serve(router).await)).await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(SECRET_KEY), "{shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
}

#[tokio::test]
async fn an_absurd_retry_after_does_not_panic_or_wait() {
    let router = Router::new().route(
        PATH,
        put(|| async {
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, "18446744073709551615")],
                "slow",
            )
        }),
    );
    let started = Instant::now();
    let err = update(&hpay(serve(router).await)).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_unrepresentable_deadline_means_no_deadline() {
    let router = Router::new().route(PATH, put(|| async { Json(user_json()) }));
    let user = valid_update(&hpay(serve(router).await))
        .deadline(Duration::MAX)
        .timeout(Duration::MAX)
        .send()
        .await
        .unwrap();
    assert_eq!(user.id, "user_abc123");
}

#[tokio::test]
async fn a_408_with_retry_after_is_retried_after_that_wait() {
    let router = first_then_user(|| {
        (
            StatusCode::REQUEST_TIMEOUT,
            [(header::RETRY_AFTER, "1")],
            "slow",
        )
            .into_response()
    });
    let started = Instant::now();
    let response = valid_update(&hpay(serve(router).await))
        .send_with_response()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(response.attempts(), 2);
}

#[tokio::test]
async fn secrets_in_undecodable_bodies_are_scrubbed_everywhere() {
    // The secret sits in a field of the wrong type (serde quotes it in its
    // message) and again across the excerpt's cut-off point.
    let router = Router::new().route(
        PATH,
        put(|| async {
            let padding = "x".repeat(250);
            let body = format!(
                r#"{{"app_user_id": "{SECRET_KEY}", "pad": "{padding}", "again": "{SECRET_KEY}"}}"#
            );
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
        }),
    );
    let err = update(&hpay(serve(router).await)).await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(SECRET_KEY), "{shown}");
    assert!(
        !shown.contains(&SECRET_KEY[..12]),
        "a cut secret leaked: {shown}"
    );
}

#[tokio::test]
async fn dot_segments_are_refused_as_user_ids() {
    let (addr, hits) = counting(user_json()).await;
    let client = hpay(addr);
    // The three values no encoding keeps inside one path segment.
    for id in [".", "..", ""] {
        let err = client
            .update_user(id)
            .app_user_id(1)
            .name("J")
            .phone_number("+23279123456")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Validation {
                    field: "user_id",
                    ..
                }
            ),
            "{id:?}: {err:?}"
        );
        let err = client.get_user(id).send().await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Validation {
                    field: "user_id",
                    ..
                }
            ),
            "{id:?}: {err:?}"
        );
    }
    assert_eq!(hits.get(), 0);
}

/// The spec's rules the generated types cannot hold are checked on every
/// operation, the generic ones too: hPay's `per_page` maximum, Payabli's
/// `timeZone` range and email format through `ops()`, before any request.
#[tokio::test]
async fn spec_rules_are_checked_on_generic_operations_before_sending() {
    let (addr, hits) = counting(serde_json::json!([])).await;
    let err = hpay(addr)
        .ops()
        .list_users(None, None, std::num::NonZeroU64::new(101))
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Validation {
            field,
            rule,
            context,
        } => {
            assert_eq!(
                (*field, rule.as_str()),
                ("per_page", "must be between 1 and 100, got 101")
            );
            assert_eq!((context.operation, context.attempts), ("list_users", 0));
        }
        other => panic!("{other:?}"),
    }
    let payabli = payabli(addr);
    for (data, field, rule) in [
        (
            payusers::payabli::raw::types::UserData {
                time_zone: Some(-13),
                ..Default::default()
            },
            "timeZone",
            "must be between -12 and 14, got -13",
        ),
        (
            payusers::payabli::raw::types::UserData {
                email: Some("a b@example.com".try_into().unwrap()),
                ..Default::default()
            },
            "email",
            "must be an email address like name@example.com",
        ),
    ] {
        let err = payabli.ops().update_user(1, data).send().await.unwrap_err();
        assert!(
            matches!(&err, Error::Validation { field: f, rule: r, .. } if *f == field && r == rule),
            "{err:?}"
        );
    }
    // The builders refuse the same, without sending either.
    let err = payabli
        .update_user(1)
        .time_zone(15)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Validation {
                field: "timeZone",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(hits.get(), 0, "nothing invalid was sent");
}

#[tokio::test]
async fn a_pause_past_the_deadline_is_a_rate_limit_with_its_wait_not_a_timeout() {
    // Another call's 429 asked every holder of the limiter to wait an
    // hour (held to the limiter's five-minute cap); a call whose deadline
    // comes first is not sent, and says why.
    let (addr, sent) = counting(user_json()).await;
    let client = hpay(addr);
    client
        .rate_limiter()
        .rate_limited(Some(Duration::from_secs(3600)));
    let err = valid_update(&client)
        .deadline(Duration::from_secs(1))
        .send()
        .await
        .unwrap_err();
    let Error::RateLimited {
        retry_after,
        message,
        context,
    } = &err
    else {
        panic!("expected RateLimited, got {err:?}")
    };
    let wait = retry_after.expect("the wait left");
    assert!(
        wait > Duration::from_secs(290) && wait <= Duration::from_secs(300),
        "{wait:?}"
    );
    assert!(message.as_deref().unwrap().contains("earlier 429"), "{err}");
    assert!(
        err.to_string().contains("rate limited (not sent)"),
        "no status to claim: {err}"
    );
    assert_eq!((context.attempts, context.status), (0, None));
    assert_eq!(sent.get(), 0, "nothing was sent");
    assert!(err.is_retryable(), "worth trying again later");
}

#[tokio::test]
async fn a_retry_the_limiter_holds_past_the_deadline_reports_the_servers_answer() {
    // A 429 without `Retry-After` pauses every call a second; a call whose
    // deadline ends sooner reports that 429 (its status, its request id),
    // not a "not sent" of its own.
    let sent = Counter::default();
    let addr = always(
        StatusCode::TOO_MANY_REQUESTS,
        ("x-request-id", "req-429"),
        &sent,
    )
    .await;
    let err = hpay(addr)
        .get_user("user_abc123")
        .deadline(Duration::from_millis(600))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(err.status(), Some(429), "{err}");
    assert_eq!(err.request_id(), Some("req-429"));
    assert!(!err.to_string().contains("not sent"), "{err}");
    assert_eq!(sent.get(), 1);

    // A paced client whose pace holds a refused delete's retry past the
    // deadline: the 429 it got, which nothing applied, not a timeout.
    let addr = always(StatusCode::TOO_MANY_REQUESTS, ("retry-after", "0"), &sent).await;
    let paced = payusers::HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(format!("http://{addr}"))
        .retry_policy(fast_retries())
        .rate_limit("1/min".parse().unwrap())
        .build()
        .unwrap();
    let err = paced
        .delete_user("user_abc123")
        .deadline(Duration::from_secs(2))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429), "{err:?}");
    assert!(!err.may_have_applied(), "{err:?}");
    assert_eq!(sent.get(), 2);
}

#[tokio::test]
async fn a_closed_rate_limiter_sends_nothing_more_and_wakes_calls_waiting_for_their_turn() {
    let (addr, sent) = counting(user_json()).await;
    let client = payusers::HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(format!("http://{addr}"))
        .rate_limit("1/min".parse().unwrap())
        .build()
        .unwrap();
    valid_update(&client).send().await.unwrap();
    // The next call waits a minute for its turn, until the limiter closes.
    let waiting = tokio::spawn({
        let client = client.clone();
        async move { valid_update(&client).send().await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!waiting.is_finished(), "waiting for its turn");
    assert!(!client.rate_limiter().is_closed());
    client.rate_limiter().close();
    assert!(client.rate_limiter().is_closed());
    let err = waiting.await.unwrap().unwrap_err();
    let Error::RateLimited {
        message, context, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((context.status, context.attempts), (None, 0));
    assert!(message.as_deref().unwrap().contains("closed"), "{err}");
    assert!(err.to_string().contains("not sent"), "{err}");
    assert!(!err.may_have_applied());
    // Later calls, through any clone, are refused too; even an unpaced
    // limiter, once closed, lets nothing through.
    assert!(valid_update(&client.clone()).send().await.is_err());
    let unpaced = hpay(addr);
    unpaced.rate_limiter().close();
    assert!(valid_update(&unpaced).send().await.is_err());
    assert_eq!(sent.get(), 1, "only the first call was sent");

    // A call waiting to retry (a 503 asking for 30 s) ends when the limiter
    // closes, with the 503 it got, instead of waiting the 30 s out.
    let hits = Counter::default();
    let addr = always(
        StatusCode::SERVICE_UNAVAILABLE,
        ("retry-after", "30"),
        &hits,
    )
    .await;
    let client = hpay(addr);
    let retrying = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .get_user("user_abc123")
                .deadline(Duration::from_secs(120))
                .send()
                .await
        }
    });
    while hits.get() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    client.rate_limiter().close();
    let ended = tokio::time::timeout(Duration::from_secs(10), retrying)
        .await
        .expect("the wait for the retry ended with the close")
        .unwrap();
    let err = ended.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(hits.get(), 1, "no retry was sent");
}

#[tokio::test]
async fn payabli_errors_carry_their_explanation_and_what_to_do() {
    // The vendor's error shape: `responseData` explains, and advises.
    let router = Router::new().route(
        "/User/{id}",
        put(|axum::extract::Path(id): axum::extract::Path<i64>| async move {
            if id == 1 {
                return (
                    StatusCode::UNAUTHORIZED,
                    Json(serde_json::json!({
                        "isSuccess": false, "responseCode": 9001, "responseText": "Unauthorized",
                        "responseData": {"explanation": "The token has expired.",
                                         "todoAction": "Create a new API token."}
                    })),
                );
            }
            // A 200 declining, its reason in `responseData`.
            (
                StatusCode::OK,
                Json(serde_json::json!({
                    "isSuccess": false, "responseText": "Declined",
                    "responseData": {"explanation": "The user is locked."}
                })),
            )
        }),
    );
    let payabli = payabli(serve(router).await);
    let err = payabli.update_user(1).name("N").send().await.unwrap_err();
    assert_eq!(err.kind(), "unauthorized", "{err:?}");
    assert_eq!(
        err.provider_message(),
        Some("Unauthorized: The token has expired.; Create a new API token.")
    );
    let err = payabli.update_user(2).name("N").send().await.unwrap_err();
    assert_eq!(err.kind(), "declined", "{err:?}");
    assert_eq!(
        err.provider_message(),
        Some("Declined: The user is locked.")
    );
}

#[tokio::test]
async fn the_mocks_payabli_errors_have_the_vendors_shape() {
    let mock = payusers::mock::MockServer::start().await.unwrap();
    let answer = reqwest::Client::new()
        .get(format!("{}/User/424242", mock.payabli_base_url()))
        .header("requestToken", &mock.credentials().payabli_token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["isSuccess"], false);
    assert_eq!(body["responseText"], "User not found");
    assert_eq!(body["responseData"]["explanation"], "User not found");
    // Through the client, the detail that only repeats the text is not
    // said twice.
    let err = mock.payabli().get_user(424242).send().await.unwrap_err();
    assert_eq!(err.provider_message(), Some("User not found"));
}
