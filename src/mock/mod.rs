//! An embedded mock of every bundled spec (cargo feature `mock`).
//!
//! [`MockServer`] serves each `openapi/<name>.yaml` under `/<name>` plus its
//! first server's path (hPay under `/hpay`, Payabli under `/payabli/api`)
//! on one loopback port, in the caller's tokio runtime. Every request is
//! checked against its spec: the credentials it declares, path and query
//! parameters, content type and body. Users are stateful (create, read,
//! list, update, delete at both providers, seeded from [`Fixtures`]); any
//! other operation answers its spec's first success example, so an
//! operation added to a spec is mockable at once. A Payabli organization
//! `N` has the paypoint entry `entry-N` (for `list_paypoint_users`).
//! Scripted faults (error statuses, `Retry-After`, latency, broken
//! connections) exercise a client's retry and timeout handling.
//!
//! ```
//! # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
//! use payusers::mock::MockServer;
//! let mock = MockServer::start().await.unwrap();
//! mock.fail_next(1, 503);
//! let response = mock.hpay().get_user("user_abc123").send_with_response().await?;
//! assert_eq!(response.attempts(), 2);
//! assert_eq!(mock.requests().len(), 2);
//! assert!(mock.requests()[0].header("secret-key") == Some("[redacted]"));
//! # Ok(()) }
//! ```

mod dispatch;
mod faults;
mod fixtures;
mod hpay;
mod payabli;
mod reply;
mod server;
mod spec;
mod state;
mod validate;

pub use faults::MAX_BODY_BYTES;
pub use fixtures::{Fixtures, HpayFixture, MockError, PayabliFixture};
pub use server::MockBuilder;
pub use state::{Fault, MockCredentials, RecordedRequest};

use crate::core::{Client, ClientBuilder, Spec};
use crate::hpay::{HostPayBuilder, User};
use crate::payabli::{PayabliBuilder, PayabliUser};
use crate::{HostPay, Payabli};
use server::{clamp_rate, wait_for_signal};
use state::Shared;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long [`MockServer::shutdown`] waits for open requests to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running mock of both APIs; stops when dropped or [`shutdown`](Self::shutdown).
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    hpay: OnceLock<HostPay>,
    payabli: OnceLock<Payabli>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .field("credentials", &self.shared.credentials)
            .finish()
    }
}

impl MockServer {
    /// Starts a mock on `127.0.0.1` (free port) with the default users and credentials.
    pub async fn start() -> io::Result<MockServer> {
        MockBuilder::default().start().await
    }

    /// Starts configuring a mock.
    pub fn builder() -> MockBuilder {
        MockBuilder::default()
    }

    /// The address the mock listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// hPay's base URL on the mock, e.g. `http://127.0.0.1:4010/hpay`.
    pub fn hpay_base_url(&self) -> String {
        self.base_url("hpay")
    }

    /// Payabli's base URL on the mock, e.g. `http://127.0.0.1:4010/payabli/api`.
    pub fn payabli_base_url(&self) -> String {
        self.base_url("payabli")
    }

    /// The base URL of any bundled spec on the mock: `/<module>` plus the
    /// path of the spec's first server.
    pub fn base_url(&self, module: &str) -> String {
        server::base_url(self.addr, &self.shared.routes, module)
    }

    /// A client builder for any spec, pointed at the mock with the
    /// credentials it accepts and fast retries; adjust, then `build()`.
    pub fn builder_for<S: Spec>(&self) -> ClientBuilder<S> {
        server::builder_for::<S>(self.addr, &self.shared.routes, self.credentials())
    }

    /// A client for any spec, ready to call the mock.
    ///
    /// # Panics
    /// As for [`hpay`](Self::hpay).
    pub fn client<S: Spec>(&self) -> Client<S> {
        self.builder_for::<S>()
            .build()
            .expect("the mock's credentials and URL are valid")
    }

    /// The credentials the mock accepts.
    pub fn credentials(&self) -> &MockCredentials {
        &self.shared.credentials
    }

    /// An hPay client builder pointed at the mock with its credentials and
    /// fast retries (10 ms base, 100 ms cap); adjust, then `build()`.
    pub fn hpay_builder(&self) -> HostPayBuilder {
        self.builder_for()
    }

    /// A Payabli client builder pointed at the mock (see [`hpay_builder`](Self::hpay_builder)).
    pub fn payabli_builder(&self) -> PayabliBuilder {
        self.builder_for()
    }

    /// An hPay client ready to call the mock (built on first use, then
    /// shared; clone it to keep it past the mock).
    ///
    /// # Panics
    /// If the credentials are not valid header values, or the mock listens on
    /// an address the client refuses for plain http (not loopback or unspecified).
    pub fn hpay(&self) -> &HostPay {
        self.hpay.get_or_init(|| {
            self.hpay_builder()
                .build()
                .expect("the mock's hPay credentials and URL are valid")
        })
    }

    /// A Payabli client ready to call the mock (built on first use, then shared).
    ///
    /// # Panics
    /// As for [`hpay`](Self::hpay).
    pub fn payabli(&self) -> &Payabli {
        self.payabli.get_or_init(|| {
            self.payabli_builder()
                .build()
                .expect("the mock's Payabli token and URL are valid")
        })
    }

    /// hPay user `id` as stored now.
    pub fn hpay_user(&self, id: &str) -> Option<User> {
        self.shared.hpay_user(id)
    }

    /// Every hPay user, in creation order.
    pub fn hpay_users(&self) -> Vec<User> {
        self.shared.hpay_users()
    }

    /// Payabli user `id` as stored now (readable model).
    pub fn payabli_user(&self, id: i64) -> Option<PayabliUser> {
        self.shared.payabli_user(id).map(PayabliUser::from)
    }

    /// Every Payabli user, by id.
    pub fn payabli_users(&self) -> Vec<PayabliUser> {
        self.shared
            .payabli_users()
            .into_iter()
            .map(PayabliUser::from)
            .collect()
    }

    /// Adds (or replaces) an hPay user.
    pub fn seed_hpay(&self, user: HpayFixture) {
        self.shared.seed_hpay(user);
    }

    /// Adds (or replaces) a Payabli user.
    pub fn seed_payabli(&self, user: PayabliFixture) {
        self.shared.seed_payabli(user);
    }

    /// Every request received so far, oldest first: the last 10 000, or
    /// fewer when their paths, headers and bodies pass 64 MiB.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.shared.clear_requests();
    }

    /// Answers the next `count` requests with `status` and the provider's error body.
    pub fn fail_next(&self, count: usize, status: u16) {
        self.fail_next_with(Fault::new(count, status));
    }

    /// Answers the next `fault.count` requests as `fault` says (queued after
    /// earlier scripted faults).
    pub fn fail_next_with(&self, fault: Fault) {
        if fault.count > 0 {
            self.shared.faults().queue.push_back(fault);
        }
    }

    /// Fails this fraction (0.0–1.0) of requests at random with `status` (0 stops).
    pub fn set_fail_rate(&self, rate: f64, status: u16) {
        let mut faults = self.shared.faults();
        faults.fail_rate = clamp_rate(rate);
        faults.fail_rate_status = status;
    }

    /// Delays every answer by `latency` (zero stops).
    pub fn set_latency(&self, latency: Duration) {
        self.shared.faults().latency = latency;
    }

    /// Breaks the connection mid-response for the next `count` requests
    /// (which are not applied).
    pub fn drop_next(&self, count: usize) {
        let mut faults = self.shared.faults();
        faults.drops = faults.drops.saturating_add(count);
    }

    /// Cancels every scripted fault, the fail rate and the latency.
    pub fn clear_faults(&self) {
        let mut faults = self.shared.faults();
        faults.queue.clear();
        faults.drops = 0;
        faults.fail_rate = 0.0;
        faults.latency = Duration::ZERO;
    }

    /// What to tell a user of the standalone mock: base URLs, the headers and
    /// the environment variables the clients read. Credential values are
    /// shown only when they are the documented defaults.
    pub fn summary(&self) -> String {
        let c = self.credentials();
        let d = MockCredentials::default();
        let show = |value: &str, default: &str| {
            if value == default {
                value.to_string()
            } else {
                "[custom]".to_string()
            }
        };
        format!(
            "payusers mock listening on {addr}\n\
             hPay:    {hpay}  (headers api-key, secret-key)\n\
             \x20        HOST_PAY_BASE_URL={hpay} HOST_PAY_API_KEY={k} HOST_PAY_SECRET_KEY={s}\n\
             Payabli: {payabli}  (header requestToken)\n\
             \x20        PAYABLI_BASE_URL={payabli} PAYABLI_API_TOKEN={t}",
            addr = self.addr,
            hpay = self.hpay_base_url(),
            payabli = self.payabli_base_url(),
            k = show(&c.hpay_api_key, &d.hpay_api_key),
            s = show(&c.hpay_secret_key, &d.hpay_secret_key),
            t = show(&c.payabli_token, &d.payabli_token),
        )
    }

    /// Stops accepting, lets open requests finish (up to 5 s), then returns.
    pub async fn shutdown(mut self) {
        self.stop_now().await;
    }

    async fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }

    /// Serves until SIGINT (Ctrl-C) or, on Unix, SIGTERM, then shuts down gracefully.
    pub async fn run_until_signal(mut self) -> io::Result<()> {
        let waited = wait_for_signal().await;
        self.stop_now().await;
        waited
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // Graceful stop in the background; the task ends once idle
        // connections are closed.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Checks a call against its spec as the mock would: every parameter known
/// and of its schema's type and rules, the required ones present, and the
/// body against the operation's schema. `payusers api` uses it to refuse a
/// bad call before sending; the error names the parameter or field.
///
/// ```
/// let params = [("userId".to_string(), "+1".to_string())];
/// let err = payusers::mock::check_call("payabli", "get_user", &params, None).unwrap_err();
/// assert!(err.contains("userId"), "{err}");
/// ```
pub fn check_call(
    module: &str,
    operation: &str,
    params: &[(String, String)],
    body: Option<&serde_json::Value>,
) -> Result<(), String> {
    let routes = spec::routes()?;
    let api = routes
        .apis
        .iter()
        .find(|a| a.module == module)
        .ok_or_else(|| format!("no bundled spec named `{module}`"))?;
    let route = api
        .routes
        .iter()
        .find(|r| r.id == operation)
        .ok_or_else(|| format!("`{operation}` is not an operation of `{module}`"))?;
    let mut lists: std::collections::BTreeMap<&str, (&spec::Param, Vec<serde_json::Value>)> =
        std::collections::BTreeMap::new();
    for (name, text) in params {
        let param = route
            .params
            .iter()
            .find(|p| &p.name == name)
            .ok_or_else(|| format!("`{name}` is not a parameter of `{operation}`"))?;
        if param.array.is_some() {
            // A list: its items are read one by one, the list checked whole.
            let items =
                dispatch::array_items(param, text).map_err(|rule| format!("`{name}`: {rule}"))?;
            lists
                .entry(name)
                .or_insert((param, Vec::new()))
                .1
                .extend(items);
            continue;
        }
        let value = param
            .kind
            .read(text)
            .map_err(|rule| format!("`{name}` {rule}, got {text:?}"))?;
        validate::check_value(&param.validator, &value)
            .map_err(|rule| format!("`{name}`: {rule}"))?;
    }
    for (name, (param, items)) in lists {
        validate::check_value(&param.validator, &serde_json::Value::Array(items))
            .map_err(|rule| format!("`{name}`: {rule}"))?;
    }
    if let Some(missing) = route
        .params
        .iter()
        .find(|p| p.required && !params.iter().any(|(n, _)| n == &p.name))
    {
        return Err(format!("`{}` is required", missing.name));
    }
    match (&route.body, body) {
        (Some(spec), Some(body)) => validate::check_body(&spec.validator, body),
        (Some(spec), None) if spec.required => Err(format!("`{operation}` needs a body (--body)")),
        (None, Some(_)) => Err(format!("`{operation}` takes no body")),
        _ => Ok(()),
    }
}

/// Starts a mock from `builder` and serves until SIGINT or SIGTERM.
pub async fn serve_forever(builder: MockBuilder) -> io::Result<()> {
    builder.start().await?.run_until_signal().await
}
