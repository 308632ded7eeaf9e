//! Building and running the server: [`MockBuilder`], routing, the clients'
//! settings and signal handling.

use super::reply::{self, Api};
use super::state::{MockCredentials, Shared};
use super::{Fixtures, MockServer, faults, hpay, payabli, validate};
use crate::hpay::HostPayBuilder;
use crate::payabli::PayabliBuilder;
use crate::{HostPay, Payabli, RetryPolicy};
use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use axum::serve::ListenerExt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::oneshot;

/// Configures a [`MockServer`]; finish with [`start`](Self::start).
#[derive(Debug, Clone)]
pub struct MockBuilder {
    addr: SocketAddr,
    fixtures: Fixtures,
    credentials: MockCredentials,
    fail_rate: (f64, u16),
    latency: Duration,
}

impl Default for MockBuilder {
    fn default() -> Self {
        MockBuilder {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            fixtures: Fixtures::default(),
            credentials: MockCredentials::default(),
            fail_rate: (0.0, 503),
            latency: Duration::ZERO,
        }
    }
}

impl MockBuilder {
    /// Where to listen (default `127.0.0.1:0`, a free port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The users to start with (default [`Fixtures::default`]).
    pub fn fixtures(mut self, fixtures: Fixtures) -> Self {
        self.fixtures = fixtures;
        self
    }

    /// The credentials to accept (default [`MockCredentials::default`]).
    pub fn credentials(mut self, credentials: MockCredentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Fails this fraction (0.0–1.0) of requests at random with `status`.
    pub fn fail_rate(mut self, rate: f64, status: u16) -> Self {
        self.fail_rate = (clamp_rate(rate), status);
        self
    }

    /// Delays every answer by `latency`.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Binds and starts serving on a task of the current tokio runtime.
    ///
    /// Must be called from within a tokio runtime.
    pub async fn start(self) -> io::Result<MockServer> {
        let schemas =
            validate::schemas().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(self.credentials, schemas, self.fixtures));
        {
            let mut faults = shared.faults();
            faults.fail_rate = self.fail_rate.0;
            faults.fail_rate_status = self.fail_rate.1;
            faults.latency = self.latency;
        }
        let app = router(shared.clone());
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            // Resolves when `stop` fires or is dropped (the server was dropped).
            let signal = async move {
                let _ = stopped.await;
            };
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await;
        });
        Ok(MockServer {
            addr,
            shared,
            hpay: OnceLock::new(),
            payabli: OnceLock::new(),
            stop: Some(stop),
            task: Some(task),
        })
    }
}

pub(super) fn clamp_rate(rate: f64) -> f64 {
    if rate.is_nan() {
        0.0
    } else {
        rate.clamp(0.0, 1.0)
    }
}

/// Both APIs plus the front layer (log, faults, request ids).
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(hpay::routes())
        .merge(payabli::routes())
        .fallback(unknown_path)
        .method_not_allowed_fallback(wrong_method)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            faults::front,
        ))
        .with_state(shared)
}

async fn unknown_path(method: Method, uri: Uri) -> Response {
    let api = Api::of(uri.path());
    reply::error_with(
        api,
        StatusCode::NOT_FOUND,
        format!("No route for {method} {}", uri.path()),
    )
}

async fn wrong_method(method: Method, uri: Uri) -> Response {
    let api = Api::of(uri.path());
    reply::error_with(
        api,
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Method {method} not allowed on {}", uri.path()),
    )
}

/// Where a client reaches a mock bound to `addr` (loopback for `0.0.0.0` / `[::]`).
pub(super) fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port()))
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::from((Ipv6Addr::LOCALHOST, addr.port()))
        }
        _ => addr,
    }
}

pub(super) fn hpay_base_url(addr: SocketAddr) -> String {
    format!("http://{}{}", reachable(addr), hpay::PREFIX)
}

pub(super) fn payabli_base_url(addr: SocketAddr) -> String {
    format!("http://{}{}", reachable(addr), payabli::PREFIX)
}

pub(super) fn hpay_builder(addr: SocketAddr, credentials: &MockCredentials) -> HostPayBuilder {
    HostPay::builder()
        .api_key(credentials.hpay_api_key.clone())
        .secret_key(credentials.hpay_secret_key.clone())
        .base_url(hpay_base_url(addr))
        .retry_policy(fast_retries())
}

pub(super) fn payabli_builder(addr: SocketAddr, credentials: &MockCredentials) -> PayabliBuilder {
    Payabli::builder()
        .token(credentials.payabli_token.clone())
        .base_url(payabli_base_url(addr))
        .retry_policy(fast_retries())
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(100))
}

/// Resolves on the first SIGINT or SIGTERM.
pub(super) async fn wait_for_signal() -> io::Result<()> {
    use std::future::Future;
    use std::task::Poll;
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(result) = ctrl_c.as_mut().poll(cx) {
            return Poll::Ready(result);
        }
        #[cfg(unix)]
        if term.poll_recv(cx).is_ready() {
            return Poll::Ready(Ok(()));
        }
        Poll::Pending
    })
    .await
}
