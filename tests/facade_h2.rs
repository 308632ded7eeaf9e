//! An HTTP/2 server's word that it never processed a request (a refused
//! stream) makes even a create be sent again: our HTTP client leaves that
//! to the call's own retries (reqwest's would copy every request for it).
//! Any other reset is a failure the create does not repeat.

mod support;

use h2::Reason;
use std::net::SocketAddr;
use support::Counter;

/// An HTTP/2 (prior knowledge) server that resets its first stream with
/// `first` and answers every later one with a created user.
async fn h2_server(first: Reason) -> (SocketAddr, Counter) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let calls = Counter::default();
    let counted = calls.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let calls = counted.clone();
            tokio::spawn(async move {
                let Ok(mut conn) = h2::server::handshake(socket).await else {
                    return;
                };
                while let Some(Ok((_request, mut respond))) = conn.accept().await {
                    if calls.bump() == 1 {
                        respond.send_reset(first);
                        continue;
                    }
                    support::h2_answer_user(&mut respond, 201);
                }
            });
        }
    });
    (addr, calls)
}

fn client(addr: SocketAddr) -> payusers::HostPay {
    support::hpay_through(addr, support::h2_http_client())
}

async fn create(hpay: &payusers::HostPay) -> Result<payusers::hpay::User, payusers::Error> {
    hpay.create_user()
        .app_user_id(1)
        .name("John Doe")
        .phone_number("+23279123456")
        .send()
        .await
}

#[tokio::test]
async fn a_refused_stream_is_sent_again_even_for_a_create() {
    let (addr, calls) = h2_server(Reason::REFUSED_STREAM).await;
    let user = create(&client(addr)).await.unwrap();
    assert_eq!(user.id, "user_abc123");
    assert_eq!(calls.get(), 2, "refused once, then created");
}

#[tokio::test]
async fn any_other_reset_fails_a_create_without_sending_it_again() {
    let (addr, calls) = h2_server(Reason::INTERNAL_ERROR).await;
    let err = create(&client(addr)).await.unwrap_err();
    assert!(matches!(err, payusers::Error::Connection { .. }), "{err:?}");
    assert!(!err.never_reached_server(), "{err:?}");
    assert_eq!(
        calls.get(),
        1,
        "a create the server may have seen is not repeated"
    );
}

#[tokio::test]
async fn a_raw_call_returns_the_refusal_without_a_hidden_resend() {
    let (addr, calls) = h2_server(Reason::REFUSED_STREAM).await;
    let hpay = client(addr);
    let body: payusers::hpay::raw::types::CreateUserRequest = support::raw_user_body();
    let err = hpay.raw().create_user(&body).await.unwrap_err();
    let mut chain = Vec::new();
    let mut cause: Option<&dyn std::error::Error> = Some(&err);
    while let Some(e) = cause {
        chain.push(e.to_string());
        cause = e.source();
    }
    assert!(
        chain.iter().any(|c| c.contains("refused stream")),
        "{chain:?}"
    );
    assert_eq!(calls.get(), 1, "no hidden resend under a raw call");
}
