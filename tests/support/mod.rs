//! Purpose-built loopback servers for facade tests.
#![allow(dead_code)]

use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Serves `router` on 127.0.0.1:0 in the background; returns its address.
pub async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    addr
}

/// An hPay PUT route that answers `first()` once, then the user on every
/// later call.
pub fn first_then_user<F>(first: F) -> Router
where
    F: Fn() -> axum::response::Response + Clone + Send + Sync + 'static,
{
    use axum::response::IntoResponse;
    let calls = Counter::default();
    Router::new().route(
        "/api/v1/users/{id}/",
        axum::routing::put(move || {
            let (calls, first) = (calls.clone(), first.clone());
            async move {
                if calls.bump() == 1 {
                    first()
                } else {
                    axum::Json(user_json()).into_response()
                }
            }
        }),
    )
}

/// A server that answers every request with `body` and counts them: for
/// tests that show a request was never sent (or sent so many times).
pub async fn counting(body: serde_json::Value) -> (SocketAddr, Counter) {
    let hits = Counter::default();
    let h = hits.clone();
    let addr = serve(Router::new().fallback(move || {
        let (h, body) = (h.clone(), body.clone());
        async move {
            h.bump();
            axum::Json(body)
        }
    }))
    .await;
    (addr, hits)
}

/// A shared request counter for handlers.
#[derive(Clone, Default)]
pub struct Counter(Arc<AtomicUsize>);

impl Counter {
    pub fn bump(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

pub const API_KEY: &str = "test_api_key_5b1d";
pub const SECRET_KEY: &str = "hpay_test_secret_9f3a";
pub const TOKEN: &str = "payabli_token_77c2";

/// The default retries, with waits of milliseconds.
pub fn fast_retries() -> payusers::RetryPolicy {
    payusers::RetryPolicy::default()
        .base_delay(std::time::Duration::from_millis(5))
        .max_delay(std::time::Duration::from_millis(20))
}

/// An hPay client for a test server, with fast retries.
pub fn hpay(addr: SocketAddr) -> payusers::HostPay {
    payusers::HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(format!("http://{addr}"))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// An hPay client for a test server through an HTTP client of the test's
/// own, with fast retries.
pub fn hpay_through(addr: SocketAddr, http: reqwest::Client) -> payusers::HostPay {
    payusers::HostPay::builder()
        .api_key(API_KEY)
        .secret_key(SECRET_KEY)
        .base_url(format!("http://{addr}"))
        .http_client(http)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// An HTTP client that speaks HTTP/2 from the start (prior knowledge).
pub fn h2_http_client() -> reqwest::Client {
    payusers::http_client_builder()
        .http2_prior_knowledge()
        .build()
        .unwrap()
}

/// Answers one HTTP/2 request with `status` and the user's JSON.
pub fn h2_answer_user(respond: &mut h2::server::SendResponse<bytes::Bytes>, status: u16) {
    let head = http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(())
        .unwrap();
    let mut body = respond.send_response(head, false).unwrap();
    let user = user_json().to_string();
    body.send_data(bytes::Bytes::from(user), true).unwrap();
}

/// A Payabli client for a test server, with fast retries.
pub fn payabli(addr: SocketAddr) -> payusers::Payabli {
    payusers::Payabli::builder()
        .token(TOKEN)
        .base_url(format!("http://{addr}"))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// A valid hPay update of `user_abc123`, ready for per-call options.
pub fn valid_update(client: &payusers::HostPay) -> payusers::hpay::UpdateUser<'_> {
    client
        .update_user("user_abc123")
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
}

/// Sends a valid hPay update against `client`.
pub async fn update(client: &payusers::HostPay) -> Result<payusers::hpay::User, payusers::Error> {
    valid_update(client).send().await
}

/// The raw generated body of a valid hPay create or update (for
/// `raw().create_user` or `raw().update_user`): the required fields only.
pub fn raw_user_body<T: serde::de::DeserializeOwned>() -> T {
    serde_json::from_value(serde_json::json!({
        "app_user_id": 1, "name": "John Doe", "phone_number": "+23279123456"
    }))
    .unwrap()
}

/// The JSON hPay answers with on success.
pub fn user_json() -> serde_json::Value {
    serde_json::json!({
        "id": "user_abc123", "app_user_id": 1, "name": "John Doe",
        "phone_number": "+23279123456", "is_active": true,
        "updated_at": "2025-01-18T14:20:00Z"
    })
}
