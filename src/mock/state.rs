//! The mock's shared state: users, credentials, request log and faults.

use super::fixtures::{Fixtures, HpayFixture, PayabliFixture};
use super::validate::Schemas;
use crate::hpay::User;
use crate::payabli::UserRecord;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

/// The credentials the mock accepts.
///
/// `Debug` shows `[redacted]` for each of them.
#[derive(Clone, PartialEq, Eq)]
pub struct MockCredentials {
    /// hPay's `api-key` header (default `mock_api_key`).
    pub hpay_api_key: String,
    /// hPay's `secret-key` header (default `hpay_test_mock_secret`).
    pub hpay_secret_key: String,
    /// Payabli's `requestToken` header (default `mock_request_token`).
    pub payabli_token: String,
}

impl MockCredentials {
    /// Default hPay `api-key`.
    pub const DEFAULT_HPAY_API_KEY: &'static str = "mock_api_key";
    /// Default hPay `secret-key`.
    pub const DEFAULT_HPAY_SECRET_KEY: &'static str = "hpay_test_mock_secret";
    /// Default Payabli `requestToken`.
    pub const DEFAULT_PAYABLI_TOKEN: &'static str = "mock_request_token";
}

impl Default for MockCredentials {
    fn default() -> Self {
        MockCredentials {
            hpay_api_key: Self::DEFAULT_HPAY_API_KEY.into(),
            hpay_secret_key: Self::DEFAULT_HPAY_SECRET_KEY.into(),
            payabli_token: Self::DEFAULT_PAYABLI_TOKEN.into(),
        }
    }
}

impl fmt::Debug for MockCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::secret::REDACTED;
        f.debug_struct("MockCredentials")
            .field("hpay_api_key", &REDACTED)
            .field("hpay_secret_key", &REDACTED)
            .field("payabli_token", &REDACTED)
            .finish()
    }
}

/// One request as the mock received it (credentials redacted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `PUT`, …
    pub method: String,
    /// Path and query, e.g. `/hpay/api/v1/users/user_abc123/`.
    pub path: String,
    /// Header names (lower case) and values; `api-key`, `secret-key`,
    /// `requestToken` and `authorization` values read `[redacted]`.
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy UTF-8); a JSON `pwd` value reads `[redacted]`.
    pub body: String,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A scripted failure: answer the next `count` requests with `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// How many requests to fail.
    pub count: usize,
    /// The HTTP status to answer with (an invalid code means 500).
    pub status: u16,
    /// A `Retry-After` header value to send, e.g. `"1"`.
    pub retry_after: Option<String>,
    /// A verbatim body; default: a JSON error in the provider's shape.
    pub body: Option<String>,
}

impl Fault {
    /// `count` failures with `status`, the provider's error body and no `Retry-After`.
    pub fn new(count: usize, status: u16) -> Self {
        Fault {
            count,
            status,
            retry_after: None,
            body: None,
        }
    }

    /// Adds a `Retry-After` header value.
    pub fn retry_after(mut self, value: impl Into<String>) -> Self {
        self.retry_after = Some(value.into());
        self
    }

    /// Replaces the default body.
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }
}

/// What to do with the next request.
pub(crate) enum Action {
    /// Answer normally.
    Pass,
    /// Answer with this fault.
    Fail(Fault),
    /// Break the connection mid-response.
    Drop,
}

/// Fault settings; guarded by one mutex, touched once per request.
#[derive(Default)]
pub(crate) struct Faults {
    pub(crate) queue: VecDeque<Fault>,
    pub(crate) drops: usize,
    pub(crate) fail_rate: f64,
    pub(crate) fail_rate_status: u16,
    pub(crate) latency: Duration,
}

/// How many requests the log keeps (the oldest are forgotten first).
pub(crate) const LOG_CAPACITY: usize = 10_000;

/// Everything the handlers share.
pub(crate) struct Shared {
    pub(crate) credentials: MockCredentials,
    pub(crate) schemas: Arc<Schemas>,
    hpay: RwLock<HashMap<String, User>>,
    payabli: RwLock<HashMap<i64, UserRecord>>,
    log: Mutex<VecDeque<RecordedRequest>>,
    faults: Mutex<Faults>,
    next_id: AtomicU64,
}

impl Shared {
    pub(crate) fn new(
        credentials: MockCredentials,
        schemas: Arc<Schemas>,
        fixtures: Fixtures,
    ) -> Self {
        let shared = Shared {
            credentials,
            schemas,
            hpay: RwLock::default(),
            payabli: RwLock::default(),
            log: Mutex::default(),
            faults: Mutex::default(),
            next_id: AtomicU64::new(1),
        };
        for user in fixtures.hpay {
            shared.seed_hpay(user);
        }
        for user in fixtures.payabli {
            shared.seed_payabli(user);
        }
        shared
    }

    /// A fresh `x-request-id` value.
    pub(crate) fn request_id(&self) -> String {
        format!("mock-{}", self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    pub(crate) fn seed_hpay(&self, user: HpayFixture) {
        let user = user.into_user(super::now());
        write(&self.hpay).insert(user.id.clone(), user);
    }

    pub(crate) fn seed_payabli(&self, user: PayabliFixture) {
        let id = user.user_id;
        write(&self.payabli).insert(id, user.into_record());
    }

    pub(crate) fn hpay_user(&self, id: &str) -> Option<User> {
        read(&self.hpay).get(id).cloned()
    }

    pub(crate) fn payabli_user(&self, id: i64) -> Option<UserRecord> {
        read(&self.payabli).get(&id).cloned()
    }

    /// Runs `f` on hPay user `id` under the write lock; `None` if unknown.
    pub(crate) fn with_hpay_user<R>(&self, id: &str, f: impl FnOnce(&mut User) -> R) -> Option<R> {
        write(&self.hpay).get_mut(id).map(f)
    }

    /// Runs `f` on Payabli user `id` under the write lock; `None` if unknown.
    pub(crate) fn with_payabli_user<R>(
        &self,
        id: i64,
        f: impl FnOnce(&mut UserRecord) -> R,
    ) -> Option<R> {
        write(&self.payabli).get_mut(&id).map(f)
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        let mut log = lock(&self.log);
        if log.len() >= LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(request);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.log).iter().cloned().collect()
    }

    pub(crate) fn clear_requests(&self) {
        lock(&self.log).clear();
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

    /// The configured latency and what to do with the next request.
    pub(crate) fn next_action(&self) -> (Duration, Action) {
        let mut faults = self.faults();
        let latency = faults.latency;
        if faults.drops > 0 {
            faults.drops -= 1;
            return (latency, Action::Drop);
        }
        while let Some(front) = faults.queue.front_mut() {
            if front.count == 0 {
                faults.queue.pop_front();
                continue;
            }
            front.count -= 1;
            let fault = Fault {
                count: 1,
                ..front.clone()
            };
            if front.count == 0 {
                faults.queue.pop_front();
            }
            return (latency, Action::Fail(fault));
        }
        if faults.fail_rate > 0.0 && rand::random::<f64>() < faults.fail_rate {
            let status = faults.fail_rate_status;
            return (latency, Action::Fail(Fault::new(1, status)));
        }
        (latency, Action::Pass)
    }
}

/// Locks ignore poisoning: every critical section leaves the data consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}
