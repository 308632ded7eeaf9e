//! A spec file is enough: `tests/specs/acme.yaml` (compiled only into our
//! tests) becomes `payusers::generated::acme` with a client that retries,
//! honours `Retry-After`, times out, types its errors, never follows a
//! redirect, and is served by the mock — with no Rust written for it.

mod support;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use payusers::Error;
use payusers::generated::acme;
use std::time::{Duration, Instant};
use support::{Counter, serve};

const KEY: &str = "acme_live_key_c4n4ry";

fn widget() -> serde_json::Value {
    serde_json::json!({"id": "w-1", "name": "Sprocket", "size": 3})
}

/// A widget to create, with only a name and a size.
fn new_widget(name: &str, size: Option<std::num::NonZeroU32>) -> acme::types::NewWidget {
    acme::types::NewWidget {
        name: name.try_into().unwrap(),
        size,
        contact: None,
        labels: Default::default(),
        parts: Vec::new(),
    }
}

fn client(addr: std::net::SocketAddr) -> acme::Api {
    acme::Api::builder()
        .key(KEY)
        .base_url(format!("http://{addr}"))
        .retry_policy(
            payusers::RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

/// A GET route that answers `first` for the first `n` calls, then the widget.
fn flaky(
    n: usize,
    first: impl Fn() -> axum::response::Response + Clone + Send + Sync + 'static,
) -> (Router, Counter) {
    let calls = Counter::default();
    let c = calls.clone();
    let router = Router::new().route(
        "/widgets/{id}",
        get(move |headers: HeaderMap| {
            let (c, first) = (c.clone(), first.clone());
            async move {
                assert_eq!(
                    headers.get("x-acme-key").unwrap(),
                    KEY,
                    "credentials on every attempt"
                );
                if c.bump() <= n {
                    first()
                } else {
                    axum::Json(widget()).into_response()
                }
            }
        }),
    );
    (router, calls)
}

#[tokio::test]
async fn a_503_is_retried() {
    let (router, calls) = flaky(2, || StatusCode::SERVICE_UNAVAILABLE.into_response());
    let api = client(serve(router).await);
    let response = api
        .ops()
        .get_widget("w-1", None, None)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 3);
    assert_eq!(response.name, "Sprocket");
    assert_eq!(calls.get(), 3);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (router, _) = flaky(1, || {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "busy",
        )
            .into_response()
    });
    let api = client(serve(router).await);
    let started = Instant::now();
    let response = api
        .ops()
        .get_widget("w-1", None, None)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.attempts(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let router = Router::new().route(
        "/widgets/{id}",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            axum::Json(widget())
        }),
    );
    let api = client(serve(router).await);
    let started = Instant::now();
    let err = api
        .ops()
        .get_widget("w-1", None, None)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_401_is_unauthorized_with_the_spec_message_field() {
    let (router, _) = flaky(1, || {
        (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({"reason": "key revoked"})),
        )
            .into_response()
    });
    let err = client(serve(router).await)
        .ops()
        .get_widget("w-1", None, None)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(
        err.provider_message(),
        Some("key revoked"),
        "`reason` is the spec's error-message field"
    );
    assert_eq!(err.provider().map(|p| p.name()), Some("acme"));
}

#[tokio::test]
async fn credentials_never_cross_a_redirect() {
    let (other, elsewhere) = support::counting(widget()).await;
    let router = Router::new().route(
        "/widgets/{id}",
        get(move || async move {
            (
                StatusCode::FOUND,
                [(header::LOCATION, format!("http://{other}/steal"))],
            )
                .into_response()
        }),
    );
    let err = client(serve(router).await)
        .ops()
        .get_widget("w-1", None, None)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert_eq!(elsewhere.get(), 0, "the other host was never contacted");
}

#[tokio::test]
async fn a_post_is_not_retried_unless_an_idempotency_key_makes_it_safe() {
    let calls = Counter::default();
    let keys = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (c, k) = (calls.clone(), keys.clone());
    let router = Router::new().route(
        "/widgets",
        axum::routing::post(move |headers: HeaderMap| {
            let (c, k) = (c.clone(), k.clone());
            async move {
                k.lock().unwrap().push(
                    headers
                        .get("idempotency-key")
                        .map(|v| v.to_str().unwrap().to_string()),
                );
                if c.bump() <= 2 {
                    StatusCode::SERVICE_UNAVAILABLE.into_response()
                } else {
                    (StatusCode::CREATED, axum::Json(widget())).into_response()
                }
            }
        }),
    );
    let api = client(serve(router).await);
    let body = new_widget("Sprocket", std::num::NonZeroU32::new(3));
    let err = api
        .ops()
        .create_widget(body.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(calls.get(), 1, "a POST without a key is sent once");

    let created = api
        .ops()
        .create_widget(body)
        .idempotency_key("k-42")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(created.attempts(), 2);
    assert_eq!(
        keys.lock().unwrap()[1..],
        [Some("k-42".to_string()), Some("k-42".to_string())],
        "the same key on every attempt, in the spec's header"
    );
}

#[tokio::test]
async fn the_mock_serves_the_new_spec_from_its_examples_and_checks_it() {
    let mock = payusers::mock::MockServer::start().await.unwrap();
    let api = mock.client::<acme::ApiSpec>();
    let widget = api
        .ops()
        .get_widget("w-1", Some(true), None)
        .send()
        .await
        .unwrap();
    assert_eq!((widget.id.as_str(), widget.size), ("w-1", Some(3)));
    let created = api
        .ops()
        .create_widget(new_widget("Gear", None))
        .send_with_response()
        .await
        .unwrap();
    // Body and answer are `application/json; charset=utf-8` in the spec:
    // the mock answers the example it finds under that key.
    assert_eq!(created.status(), 201);
    assert_eq!(created.value().id, "w-2");

    // The mock checks the credentials the spec declares ...
    let wrong = mock
        .builder_for::<acme::ApiSpec>()
        .key("not-the-key")
        .build()
        .unwrap();
    let err = wrong
        .ops()
        .get_widget("w-1", None, None)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    // ... and the body against the spec's schema.
    let raw = reqwest::Client::new()
        .post(format!("{}/widgets", mock.base_url("acme")))
        .header(
            "x-acme-key",
            mock.credentials().value_for("acme", "x-acme-key"),
        )
        .header("content-type", "application/json")
        .body(r#"{"size": 0}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert!(body["reason"].as_str().unwrap().contains("name"), "{body}");
}

#[test]
fn environments_and_from_env_come_from_the_spec() {
    let live = acme::Api::builder().key(KEY).build().unwrap();
    assert_eq!(live.base_url(), "https://api.acme.invalid/v2");
    let err = acme::Api::builder()
        .key(KEY)
        .environment(acme::Environment::Sandbox)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("test_"), "{err}");
    assert!(
        !err.to_string().contains(KEY),
        "the key is never shown: {err}"
    );
    let sandbox = acme::Api::builder()
        .key("test_key")
        .environment(acme::Environment::Sandbox)
        .build()
        .unwrap();
    assert_eq!(sandbox.base_url(), "https://sandbox.acme.invalid/v2");
    unsafe { std::env::remove_var("ACME_KEY") };
    let err = acme::Api::from_env().unwrap_err();
    assert!(err.to_string().contains("ACME_KEY"), "{err}");
    // The admin key is optional (either key reads): left blank, it is unset.
    unsafe {
        std::env::set_var("ACME_KEY", KEY);
        std::env::set_var("ACME_ADMIN_KEY", " ");
    }
    let from_env = acme::Api::from_env().unwrap();
    assert!(!format!("{from_env:?}").contains(KEY));
    unsafe {
        std::env::remove_var("ACME_KEY");
        std::env::remove_var("ACME_ADMIN_KEY");
    }
}

/// The rules typify's types cannot hold (an email, bounds, list sizes, in
/// nested objects and maps too) are checked from the spec before anything
/// is sent, and the error names the field and the rule.
#[tokio::test]
async fn rules_the_types_cannot_hold_are_refused_before_sending() {
    let calls = Counter::default();
    let c = calls.clone();
    let router = Router::new().route(
        "/widgets",
        axum::routing::post(move || {
            let c = c.clone();
            async move {
                c.bump();
                (StatusCode::CREATED, axum::Json(widget())).into_response()
            }
        }),
    );
    let api = client(serve(router).await);
    let part = |count: i64, supplier: Option<&str>| acme::types::Part {
        count,
        supplier: supplier.map(str::to_string),
    };
    let cases: Vec<(acme::types::NewWidget, &str, &str)> = vec![
        (
            acme::types::NewWidget {
                contact: Some("not-an-email".into()),
                ..new_widget("W", None)
            },
            "contact",
            "must be an email address like name@example.com",
        ),
        (
            new_widget("W", std::num::NonZeroU32::new(1000)),
            "size",
            "must be less than 1000, got 1000",
        ),
        (
            acme::types::NewWidget {
                parts: (0..4).map(|_| part(2, None)).collect(),
                ..new_widget("W", None)
            },
            "parts",
            "must have at most 3 items, got 4",
        ),
        (
            acme::types::NewWidget {
                parts: vec![part(2, None), part(3, None)],
                ..new_widget("W", None)
            },
            "parts",
            "item 1: `count` must be a multiple of 2, got 3",
        ),
        (
            acme::types::NewWidget {
                parts: vec![part(-2, None)],
                ..new_widget("W", None)
            },
            "parts",
            "item 0: `count` must be at least 0, got -2",
        ),
        (
            acme::types::NewWidget {
                parts: vec![part(0, Some("x@"))],
                ..new_widget("W", None)
            },
            "parts",
            "item 0: `supplier` must be an email address like name@example.com",
        ),
        (
            acme::types::NewWidget {
                labels: [("blue".to_string(), 10)].into(),
                ..new_widget("W", None)
            },
            "labels",
            "key `blue`: must be at most 9, got 10",
        ),
    ];
    for (body, field, rule) in cases {
        let direct = payusers::core::Check::check(&body).unwrap_err();
        assert_eq!((direct.field, direct.rule.as_str()), (field, rule));
        let err = api.ops().create_widget(body).send().await.unwrap_err();
        match &err {
            Error::Validation {
                field: f,
                rule: r,
                context,
            } => {
                assert_eq!((*f, r.as_str()), (field, rule));
                assert_eq!(context.operation, "create_widget");
                assert_eq!(context.attempts, 0);
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
        assert!(
            err.to_string().contains(&format!("invalid `{field}`")),
            "{err}"
        );
    }
    assert_eq!(calls.get(), 0, "nothing invalid reached the server");

    // At the limits, and with no list or map at all (serde leaves an empty
    // one out, so `minItems` does not apply), the widget is sent.
    let fine = acme::types::NewWidget {
        contact: Some("ops@acme.example".into()),
        parts: vec![part(0, Some("a@b.co")), part(4, None), part(10, None)],
        labels: [("red".to_string(), 9)].into(),
        ..new_widget("W", std::num::NonZeroU32::new(999))
    };
    api.ops().create_widget(fine).send().await.unwrap();
    api.ops()
        .create_widget(new_widget("W", None))
        .send()
        .await
        .unwrap();
    assert_eq!(calls.get(), 2);
}

/// Each operation sends the credentials its `security` asks for and no
/// others: either key reads, deleting needs both, the health check none.
/// One the operation needs and the client lacks is refused before sending.
#[tokio::test]
async fn each_operation_sends_the_credentials_its_security_names() {
    type Seen = std::sync::Arc<std::sync::Mutex<Vec<(String, bool, bool)>>>;
    let seen: Seen = Default::default();
    let record = |seen: &Seen, what: &str, headers: &HeaderMap| {
        seen.lock().unwrap().push((
            what.to_string(),
            headers.contains_key("x-acme-key"),
            headers.contains_key("x-acme-admin"),
        ));
    };
    let (s1, s2, s3) = (seen.clone(), seen.clone(), seen.clone());
    let router = Router::new()
        .route(
            "/health",
            get(move |headers: HeaderMap| {
                record(&s1, "health", &headers);
                async { axum::Json(serde_json::json!({"ok": true})) }
            }),
        )
        .route(
            "/widgets/{id}",
            get(move |headers: HeaderMap| {
                record(&s2, "get", &headers);
                async { axum::Json(widget()) }
            })
            .delete(move |headers: HeaderMap| {
                record(&s3, "delete", &headers);
                async { StatusCode::NO_CONTENT }
            }),
        );
    let addr = serve(router).await;
    let base = format!("http://{addr}");
    let both = acme::Api::builder()
        .key(KEY)
        .admin_key("admin_c4n4ry")
        .base_url(&base)
        .build()
        .unwrap();
    both.ops().get_health().send().await.unwrap();
    both.ops()
        .get_widget("w-1", None, None)
        .send()
        .await
        .unwrap();
    both.ops().delete_widget("w-1").send().await.unwrap();
    let take = |seen: &Seen| std::mem::take(&mut *seen.lock().unwrap());
    assert_eq!(
        take(&seen),
        [
            ("health".to_string(), false, false),
            ("get".to_string(), true, false),
            ("delete".to_string(), true, true),
        ],
        "(operation, key sent, admin key sent)"
    );

    // Raw generated calls follow each operation's `security` too.
    both.raw().get_health().await.unwrap();
    both.raw().get_widget("w-1", None, None).await.unwrap();
    assert_eq!(
        take(&seen),
        [
            ("health".to_string(), false, false),
            ("get".to_string(), true, false),
        ]
    );

    // Without the admin key: reads work, a delete is refused unsent.
    let reader = acme::Api::builder()
        .key(KEY)
        .base_url(&base)
        .build()
        .unwrap();
    let err = reader.ops().delete_widget("w-1").send().await.unwrap_err();
    match &err {
        Error::Config { setting, reason } => {
            assert_eq!(*setting, "admin_key");
            assert!(reason.contains("delete_widget"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(take(&seen).is_empty(), "nothing was sent");

    // The admin key alone is the spec's other way to read.
    let admin = acme::Api::builder()
        .admin_key("admin_c4n4ry")
        .base_url(&base)
        .build()
        .unwrap();
    admin
        .ops()
        .get_widget("w-1", None, None)
        .send()
        .await
        .unwrap();
    assert_eq!(take(&seen), [("get".to_string(), false, true)]);

    // Neither: the spec's first way is named.
    let err = acme::Api::builder().base_url(&base).build().unwrap_err();
    assert!(
        matches!(&err, Error::Config { setting: "key", .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_mock_asks_each_operation_for_its_own_credentials() {
    let mock = payusers::mock::MockServer::start().await.unwrap();
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", mock.base_url("acme"));
    let health = http.get(url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200, "no credential needed");
    let admin = mock.credentials().value_for("acme", "x-acme-admin");
    let key = mock.credentials().value_for("acme", "x-acme-key");
    let read = http
        .get(url("/widgets/w-1"))
        .header("x-acme-admin", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200, "either key reads");
    let delete = http
        .delete(url("/widgets/w-1"))
        .header("x-acme-key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 401, "deleting needs both");
    let delete = http
        .delete(url("/widgets/w-1"))
        .header("x-acme-key", &key)
        .header("x-acme-admin", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 204);
    // The mock's own client carries both, and each call sends what it needs.
    let api = mock.client::<acme::ApiSpec>();
    assert_eq!(api.ops().get_health().send().await.unwrap().ok, Some(true));
}
