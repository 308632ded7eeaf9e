//! The `Host` header: a client with the HTTP client we build sets it
//! itself once the server at the base URL has answered over HTTP/1 (a
//! saving, see `Auth::host_for`), and what reaches the server must not
//! change by it: one `Host`, the value hyper would have sent, every other
//! header as before. A client of your own keeps the `Host` it sends, and
//! over HTTP/2 none is sent (hyper sends the host as `:authority`; the
//! rule that keeps ours off it once an answer shows HTTP/2 is unit-tested
//! in `transport`).

mod support;

use axum::http::HeaderMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

type Seen = Arc<Mutex<Vec<HeaderMap>>>;

/// Every header of a request, sorted, as (name, value) text.
fn listed(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut all: Vec<_> = headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_string()))
        .collect();
    all.sort();
    all
}

/// An HTTP/1 server that records each update's headers and answers the user.
async fn h1_server() -> (SocketAddr, Seen) {
    let seen = Seen::default();
    let recorded = seen.clone();
    let router = axum::Router::new().route(
        "/api/v1/users/{id}/",
        axum::routing::put(move |headers: HeaderMap| {
            recorded.lock().unwrap().push(headers);
            async { axum::Json(support::user_json()) }
        }),
    );
    (support::serve(router).await, seen)
}

#[tokio::test]
async fn over_http1_the_server_sees_the_same_headers_with_one_host() {
    let (addr, seen) = h1_server().await;
    let hpay = support::hpay(addr);
    for _ in 0..3 {
        support::update(&hpay).await.unwrap();
    }
    // A raw generated call through the same client takes the same path.
    let body: payusers::hpay::raw::types::UpdateUserRequest = support::raw_user_body();
    hpay.raw().update_user("user_abc123", &body).await.unwrap();

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 4);
    let host = addr.to_string();
    for (i, headers) in seen.iter().enumerate() {
        let hosts: Vec<_> = headers.get_all("host").iter().collect();
        assert_eq!(hosts, [host.as_str()], "request {i}");
    }
    // The first request's host came from hyper (nothing was known yet),
    // the later ones' from the facade: nothing else differs.
    let first = listed(&seen[0]);
    for (i, headers) in seen.iter().enumerate().skip(1) {
        assert_eq!(listed(headers), first, "request {i}");
    }
}

#[tokio::test]
async fn a_host_header_of_your_own_client_is_never_overridden() {
    let (addr, seen) = h1_server().await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("host", "api.example.test".parse().unwrap());
    let http = payusers::http_client_builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let hpay = support::hpay_through(addr, http);
    for _ in 0..3 {
        support::update(&hpay).await.unwrap();
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    for (i, headers) in seen.iter().enumerate() {
        let hosts: Vec<_> = headers.get_all("host").iter().collect();
        assert_eq!(hosts, ["api.example.test"], "request {i}");
    }
}

/// An HTTP/2 (prior knowledge) server that records each request's headers
/// and answers the user.
async fn h2_server() -> (SocketAddr, Seen) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Seen::default();
    let recorded = seen.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let recorded = recorded.clone();
            tokio::spawn(async move {
                let Ok(mut conn) = h2::server::handshake(socket).await else {
                    return;
                };
                while let Some(Ok((request, mut respond))) = conn.accept().await {
                    recorded.lock().unwrap().push(request.headers().clone());
                    support::h2_answer_user(&mut respond, 200);
                }
            });
        }
    });
    (addr, seen)
}

#[tokio::test]
async fn over_http2_no_host_header_is_ever_sent() {
    let (addr, seen) = h2_server().await;
    let hpay = support::hpay_through(addr, support::h2_http_client());
    for _ in 0..3 {
        support::update(&hpay).await.unwrap();
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    for (i, headers) in seen.iter().enumerate() {
        assert!(headers.get("host").is_none(), "request {i}: {headers:?}");
        // The credentials did arrive: these are the facade's requests.
        assert_eq!(headers["api-key"], support::API_KEY, "request {i}");
    }
}
