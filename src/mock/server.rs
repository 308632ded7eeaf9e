//! Building and running the server: [`MockBuilder`], routing, the clients'
//! settings and signal handling.

use super::state::{MockCredentials, Shared};
use super::{Fixtures, MockServer, dispatch, faults, spec};
use crate::RetryPolicy;
use crate::core::{ClientBuilder, Spec};
use axum::Router;
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
    frozen: Option<chrono::DateTime<chrono::Utc>>,
    sequential_ids: bool,
}

impl Default for MockBuilder {
    fn default() -> Self {
        MockBuilder {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            fixtures: Fixtures::default(),
            credentials: MockCredentials::default(),
            fail_rate: (0.0, 503),
            latency: Duration::ZERO,
            frozen: None,
            sequential_ids: false,
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
    /// Stamps every timestamp with `at` and numbers new ids in order
    /// (`…-000000000001`): answers become byte-for-byte reproducible.
    pub fn reproducible(mut self, at: chrono::DateTime<chrono::Utc>) -> Self {
        self.frozen = Some(at);
        self.sequential_ids = true;
        self
    }

    /// Binds and starts serving in the background.
    pub async fn start(self) -> io::Result<MockServer> {
        let routes = spec::routes().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(
            self.credentials,
            routes,
            self.fixtures,
            self.frozen,
            self.sequential_ids,
        ));
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
        .fallback(dispatch::dispatch)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            faults::front,
        ))
        .with_state(shared)
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

/// The base URL of spec `module` on a mock at `addr`: `/<module>` plus the
/// path of the spec's first server (Payabli's `/api`).
pub(super) fn base_url(addr: SocketAddr, routes: &spec::Routes, module: &str) -> String {
    let prefix = routes
        .apis
        .iter()
        .find(|a| a.module == module)
        .map_or_else(|| format!("/{module}"), |a| a.prefix.clone());
    format!("http://{}{prefix}", reachable(addr))
}

/// A client builder for spec `S` aimed at a mock at `addr`.
pub(super) fn builder_for<S: Spec>(
    addr: SocketAddr,
    routes: &spec::Routes,
    credentials: &MockCredentials,
) -> ClientBuilder<S> {
    let info = S::info();
    let module = crate::generated::SPECS
        .iter()
        .find(|(_, i)| std::ptr::eq(*i, info))
        .map_or("", |(m, _)| *m);
    let mut builder = ClientBuilder::<S>::for_info(info)
        .base_url(base_url(addr, routes, module))
        .retry_policy(fast_retries());
    for (i, cred) in info.credentials.iter().enumerate() {
        builder = builder.set_credential(i, credentials.value_for(module, cred.header).into());
    }
    builder
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
