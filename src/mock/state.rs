//! The mock's shared state: users, credentials, request log and faults.

use super::fixtures::{Fixtures, HpayFixture, PayabliFixture};
use super::spec::Routes;
use crate::hpay::User;
use crate::payabli::UserQueryRecord;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

/// The credentials the mock accepts (defaults are public test values).
///
/// hPay and Payabli have named fields; any other bundled spec's headers
/// accept `mock_<module>_<header>` unless set in `extra`.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MockCredentials {
    /// hPay `api-key`.
    pub hpay_api_key: String,
    /// hPay `secret-key`.
    pub hpay_secret_key: String,
    /// Payabli `requestToken`.
    pub payabli_token: String,
    /// Other specs: `(module, header)` → value.
    pub extra: BTreeMap<(String, String), String>,
}

impl MockCredentials {
    /// The default hPay API key.
    pub const DEFAULT_HPAY_API_KEY: &'static str = "mock_api_key";
    /// The default hPay secret key (a Test Mode key).
    pub const DEFAULT_HPAY_SECRET_KEY: &'static str = "hpay_test_mock_secret";
    /// The default Payabli token.
    pub const DEFAULT_PAYABLI_TOKEN: &'static str = "mock_request_token";

    /// Credentials with the three named values.
    pub fn new(
        hpay_api_key: impl Into<String>,
        hpay_secret_key: impl Into<String>,
        payabli_token: impl Into<String>,
    ) -> Self {
        MockCredentials {
            hpay_api_key: hpay_api_key.into(),
            hpay_secret_key: hpay_secret_key.into(),
            payabli_token: payabli_token.into(),
            extra: BTreeMap::new(),
        }
    }

    /// The value the mock expects in `header` of spec `module`.
    pub fn value_for(&self, module: &str, header: &str) -> String {
        match (module, header.to_ascii_lowercase().as_str()) {
            ("hpay", "api-key") => self.hpay_api_key.clone(),
            ("hpay", "secret-key") => self.hpay_secret_key.clone(),
            ("payabli", "requesttoken") => self.payabli_token.clone(),
            _ => self
                .extra
                .get(&(module.to_string(), header.to_ascii_lowercase()))
                .cloned()
                .unwrap_or_else(|| format!("mock_{module}_{}", header.to_ascii_lowercase())),
        }
    }
}

impl Default for MockCredentials {
    fn default() -> Self {
        MockCredentials::new(
            Self::DEFAULT_HPAY_API_KEY,
            Self::DEFAULT_HPAY_SECRET_KEY,
            Self::DEFAULT_PAYABLI_TOKEN,
        )
    }
}

impl fmt::Debug for MockCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::secret::REDACTED;
        f.debug_struct("MockCredentials")
            .field("hpay_api_key", &REDACTED)
            .field("hpay_secret_key", &REDACTED)
            .field("payabli_token", &REDACTED)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// One request as the mock received it, secrets redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers (credential values are `[redacted]`).
    pub headers: Vec<(String, String)>,
    /// The body as text: as received, or, when it may hold a password,
    /// re-serialized JSON with `pwd` values redacted.
    pub body: String,
    /// The `x-request-id` the mock answered with.
    pub request_id: String,
    /// When the request arrived.
    pub received_at: std::time::Instant,
    /// The status the mock answered (none for a dropped connection).
    pub status: Option<u16>,
}

impl RecordedRequest {
    /// The first header with this name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A scripted failure: the next `count` requests answer `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// How many requests it applies to.
    pub count: usize,
    /// The status they answer.
    pub status: u16,
    /// A `Retry-After` header to send.
    pub retry_after: Option<String>,
    /// A raw body to send instead of the provider's error shape.
    pub body: Option<String>,
}

impl Fault {
    /// `count` answers of `status`.
    pub fn new(count: usize, status: u16) -> Self {
        Fault {
            count,
            status,
            retry_after: None,
            body: None,
        }
    }

    /// Adds a `Retry-After` header.
    pub fn retry_after(mut self, value: impl Into<String>) -> Self {
        self.retry_after = Some(value.into());
        self
    }

    /// Answers this raw body.
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }
}

pub(crate) enum Action {
    Pass,
    Fail(Fault),
    Drop,
}

#[derive(Default)]
pub(crate) struct Faults {
    pub(crate) queue: VecDeque<Fault>,
    pub(crate) drops: usize,
    pub(crate) fail_rate: f64,
    pub(crate) fail_rate_status: u16,
    pub(crate) latency: Duration,
}

/// The request log keeps the newest requests: at most this many,
pub(crate) const LOG_CAPACITY: usize = 10_000;
/// and at most this many bytes of their paths, headers and bodies (a
/// request's body alone may be 1 MiB).
pub(crate) const LOG_BYTES: usize = 64 * 1024 * 1024;

/// The requests received, oldest first, and the bytes they hold.
#[derive(Default)]
struct Log {
    entries: VecDeque<RecordedRequest>,
    bytes: usize,
}

impl RecordedRequest {
    /// The bytes the log counts for this request.
    fn weight(&self) -> usize {
        self.path.len()
            + self.body.len()
            + self
                .headers
                .iter()
                .map(|(n, v)| n.len() + v.len())
                .sum::<usize>()
    }
}

/// hPay users in creation order, with indexes by `app_user_id` and by the
/// values hPay keeps unique within an application (email, phone number).
#[derive(Default)]
pub(crate) struct HpayStore {
    pub(crate) users: HashMap<String, (u64, User)>,
    pub(crate) order: BTreeMap<u64, String>,
    pub(crate) app_ids: HashMap<i64, String>,
    /// For each of [`UNIQUE`]'s fields, its values → how many users hold
    /// each (an update may give two users one value: hPay documents the
    /// check on create only).
    unique: [HashMap<String, usize>; 2],
    next: u64,
}

/// The fields hPay keeps unique. Its users guide, on creating users: "the
/// system automatically validates that the email and phone_number are
/// unique within your application. If a duplicate is found, the API will
/// return a 400 Bad Request error."
const UNIQUE: [&str; 2] = ["email", "phone_number"];

/// One user's value of a unique field changed from `old` to `new`.
fn move_value(values: &mut HashMap<String, usize>, old: Option<String>, new: Option<&str>) {
    if let Some(old) = old
        && let Some(count) = values.get_mut(&old)
    {
        *count -= 1;
        if *count == 0 {
            values.remove(&old);
        }
    }
    if let Some(new) = new {
        *values.entry(new.to_string()).or_default() += 1;
    }
}

/// `user`'s values of the [`UNIQUE`] fields, in that order.
fn unique_values(user: &User) -> [Option<&str>; 2] {
    [user.email.as_deref(), Some(user.phone_number.as_str())]
}

impl HpayStore {
    pub(crate) fn insert(&mut self, user: User) {
        self.remove(&user.id.clone());
        let seq = self.next;
        self.next += 1;
        self.order.insert(seq, user.id.clone());
        self.app_ids.insert(user.app_user_id, user.id.clone());
        self.index(&user);
        self.users.insert(user.id.clone(), (seq, user));
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<User> {
        let (seq, user) = self.users.remove(id)?;
        self.order.remove(&seq);
        if self.app_ids.get(&user.app_user_id) == Some(&user.id) {
            self.app_ids.remove(&user.app_user_id);
        }
        self.unindex(&user);
        Some(user)
    }

    fn index(&mut self, user: &User) {
        for (values, value) in self.unique.iter_mut().zip(unique_values(user)) {
            if let Some(value) = value {
                *values.entry(value.to_string()).or_default() += 1;
            }
        }
    }

    fn unindex(&mut self, user: &User) {
        for (values, value) in self.unique.iter_mut().zip(unique_values(user)) {
            if let Some(count) = value.and_then(|value| values.get_mut(value)) {
                *count -= 1;
                if *count == 0 {
                    values.remove(value.unwrap_or_default());
                }
            }
        }
    }

    /// The first field of a new `user` whose value a user already holds.
    pub(crate) fn taken(&self, user: &User) -> Option<&'static str> {
        (0..UNIQUE.len()).find_map(|at| {
            unique_values(user)[at]
                .is_some_and(|value| self.unique[at].contains_key(value))
                .then_some(UNIQUE[at])
        })
    }

    /// The unique field (`email` or `phone_number`) that user `id` would
    /// change to a value another user holds, if any; `None` as well when
    /// there is no user `id` with `app_user_id` (the update refuses it for
    /// that).
    pub(crate) fn taken_by_another(
        &self,
        id: &str,
        app_user_id: i64,
        email: Option<&str>,
        phone_number: &str,
    ) -> Option<&'static str> {
        let current = self
            .users
            .get(id)
            .map(|(_, u)| u)
            .filter(|u| u.app_user_id == app_user_id)?;
        let wanted = [email, Some(phone_number)];
        (0..UNIQUE.len()).find_map(|at| {
            let value = wanted[at]?;
            // Its own value, kept, is no new conflict (even where fixtures
            // seeded it twice).
            let changed = unique_values(current)[at] != Some(value);
            (changed && self.unique[at].contains_key(value)).then_some(UNIQUE[at])
        })
    }

    /// Changes user `id` in place (its place in the order kept): its email
    /// when `email` is one, its phone number, and whatever `rest` changes
    /// (no unique value), the indexes following. Nothing is copied when
    /// the values stay as they were.
    ///
    /// `Err(None)`: no such user; `Err(Some(user))`: `allowed` refused the
    /// user as it is (nothing changed).
    pub(crate) fn update(
        &mut self,
        id: &str,
        allowed: impl FnOnce(&User) -> bool,
        email: Option<String>,
        phone_number: String,
        rest: impl FnOnce(&mut User),
    ) -> Result<&User, Option<&User>> {
        let Some((_, user)) = self.users.get_mut(id) else {
            return Err(None);
        };
        if !allowed(user) {
            return Err(Some(user));
        }
        let [emails, phones] = &mut self.unique;
        if let Some(email) = email
            && user.email.as_deref() != Some(email.as_str())
        {
            let old = user.email.replace(email);
            move_value(emails, old, user.email.as_deref());
        }
        if user.phone_number != phone_number {
            let old = std::mem::replace(&mut user.phone_number, phone_number);
            move_value(phones, Some(old), Some(&user.phone_number));
        }
        rest(user);
        Ok(user)
    }

    /// Users in creation order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &User> {
        self.order
            .values()
            .filter_map(|id| self.users.get(id).map(|(_, u)| u))
    }
}

/// Payabli users by id, with per-organization and per-entry indexes (sorted
/// ids) so a page is a slice.
#[derive(Default)]
pub(crate) struct PayabliStore {
    pub(crate) users: BTreeMap<i64, UserQueryRecord>,
    pub(crate) orgs: HashMap<i64, Vec<i64>>,
    pub(crate) entries: HashMap<String, Vec<i64>>,
    /// The largest id any user has held: a deleted user's id is never
    /// given again (Payabli's are database identities).
    largest: Option<i64>,
}

impl PayabliStore {
    pub(crate) fn insert(&mut self, record: UserQueryRecord) {
        let Some(id) = record.user_id else { return };
        self.remove(id);
        self.largest = self.largest.max(Some(id));
        for scope in record.scope.iter().flatten() {
            if let Some(org) = scope.org_id {
                sorted_insert(self.orgs.entry(org).or_default(), id);
            }
            if let Some(entry) = &scope.org_entry {
                sorted_insert(self.entries.entry(entry.clone()).or_default(), id);
            }
        }
        self.users.insert(id, record);
    }

    pub(crate) fn remove(&mut self, id: i64) -> Option<UserQueryRecord> {
        let record = self.users.remove(&id)?;
        for scope in record.scope.iter().flatten() {
            if let Some(list) = scope.org_id.and_then(|org| self.orgs.get_mut(&org)) {
                sorted_remove(list, id);
            }
            if let Some(list) = scope
                .org_entry
                .as_ref()
                .and_then(|e| self.entries.get_mut(e))
            {
                sorted_remove(list, id);
            }
        }
        Some(record)
    }

    /// The next id (Payabli's count up from 1000000), past every id a user
    /// has held, deleted ones included; `None` once one held the largest.
    pub(crate) fn next_id(&self) -> Option<i64> {
        match self.largest {
            Some(last) => last.checked_add(1),
            None => Some(1_000_000),
        }
    }
}

fn sorted_insert(list: &mut Vec<i64>, id: i64) {
    if let Err(at) = list.binary_search(&id) {
        list.insert(at, id);
    }
}

fn sorted_remove(list: &mut Vec<i64>, id: i64) {
    if let Ok(at) = list.binary_search(&id) {
        list.remove(at);
    }
}

pub(crate) struct Shared {
    pub(crate) credentials: MockCredentials,
    pub(crate) routes: Arc<Routes>,
    pub(crate) hpay: RwLock<HpayStore>,
    pub(crate) payabli: RwLock<PayabliStore>,
    log: Mutex<Log>,
    faults: Mutex<Faults>,
    next_request: AtomicU64,
    next_uuid: AtomicU64,
    /// A fixed clock for reproducible answers, when set.
    pub(crate) frozen: Option<chrono::DateTime<chrono::Utc>>,
    /// Sequential UUIDs (`…-000000000001`) instead of random ones.
    pub(crate) sequential_ids: bool,
}

impl Shared {
    pub(crate) fn new(
        credentials: MockCredentials,
        routes: Arc<Routes>,
        fixtures: Fixtures,
        frozen: Option<chrono::DateTime<chrono::Utc>>,
        sequential_ids: bool,
    ) -> Self {
        let shared = Shared {
            credentials,
            routes,
            hpay: RwLock::default(),
            payabli: RwLock::default(),
            log: Mutex::default(),
            faults: Mutex::default(),
            next_request: AtomicU64::new(1),
            next_uuid: AtomicU64::new(1),
            frozen,
            sequential_ids,
        };
        for user in fixtures.hpay {
            shared.seed_hpay(user);
        }
        for user in fixtures.payabli {
            shared.seed_payabli(user);
        }
        shared
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        use chrono::SubsecRound;
        self.frozen
            .unwrap_or_else(|| chrono::Utc::now().trunc_subsecs(0))
    }

    pub(crate) fn request_id(&self) -> String {
        format!("mock-{}", self.next_request.fetch_add(1, Ordering::Relaxed))
    }

    /// A new hPay-style id: a version-4 UUID string.
    pub(crate) fn uuid(&self) -> String {
        let (high, low): (u64, u64) = if self.sequential_ids {
            (0, self.next_uuid.fetch_add(1, Ordering::Relaxed))
        } else {
            (rand::random(), rand::random())
        };
        let bytes = ((u128::from(high) << 64) | u128::from(low))
            & !(0xf000u128 << 64)
            & !(0xc000u128 << 48);
        let bytes = bytes | (0x4000u128 << 64) | (0x8000u128 << 48);
        let hex = format!("{bytes:032x}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    pub(crate) fn seed_hpay(&self, user: HpayFixture) {
        let user = user.into_user(self.now());
        write(&self.hpay).insert(user);
    }

    pub(crate) fn seed_payabli(&self, user: PayabliFixture) {
        let record = user.into_record(self.now());
        write(&self.payabli).insert(record);
    }

    pub(crate) fn hpay_user(&self, id: &str) -> Option<User> {
        read(&self.hpay).users.get(id).map(|(_, u)| u.clone())
    }

    pub(crate) fn hpay_users(&self) -> Vec<User> {
        read(&self.hpay).iter().cloned().collect()
    }

    pub(crate) fn payabli_user(&self, id: i64) -> Option<UserQueryRecord> {
        read(&self.payabli).users.get(&id).cloned()
    }

    pub(crate) fn payabli_users(&self) -> Vec<UserQueryRecord> {
        read(&self.payabli).users.values().cloned().collect()
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        let mut log = lock(&self.log);
        log.bytes += request.weight();
        log.entries.push_back(request);
        while log.entries.len() > LOG_CAPACITY || (log.bytes > LOG_BYTES && log.entries.len() > 1) {
            if let Some(old) = log.entries.pop_front() {
                log.bytes -= old.weight();
            }
        }
    }

    /// Sets the answered status of the logged request `request_id`.
    pub(crate) fn answered(&self, request_id: &str, status: u16) {
        let mut log = lock(&self.log);
        if let Some(entry) = log
            .entries
            .iter_mut()
            .rev()
            .find(|r| r.request_id == request_id)
        {
            entry.status = Some(status);
        }
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.log).entries.iter().cloned().collect()
    }

    pub(crate) fn clear_requests(&self) {
        *lock(&self.log) = Log::default();
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

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

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4() {
        let shared = Shared::new(
            MockCredentials::default(),
            super::super::spec::routes().unwrap(),
            Fixtures::empty(),
            None,
            true,
        );
        assert_eq!(shared.uuid(), "00000000-0000-4000-8000-000000000001");
        let random = Shared {
            sequential_ids: false,
            ..shared
        }
        .uuid();
        assert_eq!(random.len(), 36);
        assert_eq!(&random[14..15], "4");
        assert!(matches!(&random[19..20], "8" | "9" | "a" | "b"), "{random}");
    }
}
