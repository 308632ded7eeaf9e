//! A client-side rate limit shared by every call that holds a clone of it.
//!
//! Providers limit per application or token, not per task: one `429` means
//! every sender should wait. A [`RateLimiter`] therefore does two things for
//! all its holders at once:
//!
//! * **paces** calls to a configured [`Rate`] (GCRA, from `governor`), and
//! * **pauses** everyone after a `429` until its `Retry-After` (1 s when the
//!   answer gives none, at most five minutes); after repeated `429`s the
//!   pace halves, and it recovers by a quarter after every 20 successes in
//!   a row.
//!
//! Every client has one (without a pace unless you set one), shared by its
//! clones; `sync` gives all its workers the same one.

use governor::clock::{Clock, DefaultClock};
use governor::{Quota, RateLimiter as Gcra, state::InMemoryState, state::NotKeyed};
use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

type Direct = Gcra<NotKeyed, InMemoryState, DefaultClock>;

/// How many calls per period, e.g. `10/s`, `200/min`, `10000/h`.
///
/// ```
/// let rate: payusers::Rate = "200/min".parse().unwrap();
/// assert_eq!(rate.interval(), std::time::Duration::from_millis(300));
/// assert_eq!("2.5".parse::<payusers::Rate>().unwrap().interval(), std::time::Duration::from_millis(400));
/// assert!("0/s".parse::<payusers::Rate>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    count: f64,
    per: Duration,
}

impl Rate {
    /// `count` calls every `per`.
    pub fn new(count: f64, per: Duration) -> Option<Rate> {
        let interval = per.as_secs_f64() / count;
        (count.is_finite()
            && count > 0.0
            && interval.is_finite()
            && interval > 0.0
            && interval <= MAX_INTERVAL_SECS)
            .then_some(Rate { count, per })
    }

    /// `count` calls per second.
    pub fn per_second(count: f64) -> Option<Rate> {
        Rate::new(count, Duration::from_secs(1))
    }

    /// The steady time between two calls.
    pub fn interval(&self) -> Duration {
        Duration::from_secs_f64(self.per.as_secs_f64() / self.count)
    }
}

/// The slowest pace a [`Rate`] may set: one call a day.
const MAX_INTERVAL_SECS: f64 = 86_400.0;

impl FromStr for Rate {
    type Err = String;

    fn from_str(s: &str) -> Result<Rate, String> {
        let (count, unit) = s.trim().split_once('/').unwrap_or((s.trim(), "s"));
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            other => return Err(format!("unknown unit `{other}`: use /s, /min or /h")),
        };
        let count: f64 = count
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a rate like 10/s, 200/min or 10000/h"))?;
        Rate::new(count, per)
            .ok_or_else(|| format!("`{s}` must be more than zero and at least one call a day"))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.per.as_secs() {
            1 => "s",
            60 => "min",
            3600 => "h",
            _ => return write!(f, "{}/{:?}", self.count, self.per),
        };
        write!(f, "{}/{unit}", self.count)
    }
}

/// A rate limit shared by all its clones (see the module docs).
#[derive(Clone)]
pub struct RateLimiter {
    inner: Arc<Shared>,
}

/// What the clones share.
struct Shared {
    /// Set while there is nothing to do: no pace, no pause, no `429`
    /// counted. Calls read it without the lock, so an unpaced client's
    /// calls share no written cache line (with the lock, every call wrote
    /// it twice, bouncing it between the cores under load).
    idle: AtomicBool,
    state: Mutex<State>,
    /// Wakes every call waiting for a permit when the limiter is closed.
    closing: tokio::sync::Notify,
}

struct State {
    rate: Option<Rate>,
    factor: f64,
    gcra: Option<Arc<Direct>>,
    paused_until: Option<Instant>,
    throttled_in_a_row: u32,
    ok_in_a_row: u32,
    /// [`RateLimiter::close`] was called: no permit is given again.
    closed: bool,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.lock();
        f.debug_struct("RateLimiter")
            .field("rate", &s.rate)
            .field("factor", &s.factor)
            .field(
                "paused",
                &s.paused_until.is_some_and(|t| t > Instant::now()),
            )
            .finish()
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::unpaced()
    }
}

/// The pace never drops below this share of the configured rate.
const MIN_FACTOR: f64 = 1.0 / 64.0;

/// The longest a `429` pauses a limiter's holders, whatever its
/// `Retry-After` says: a server's mistake (a year, an epoch in seconds)
/// must not stop a client and its clones for good. The call that got the
/// `429` still reports the full `Retry-After` in its error.
pub(crate) const MAX_PAUSE: Duration = Duration::from_secs(300);

/// Successes in a row before the pace recovers a step.
const RECOVER_AFTER: u32 = 20;

impl RateLimiter {
    /// No pace, but a `429` still pauses every holder.
    pub fn unpaced() -> Self {
        RateLimiter::with(None)
    }

    /// Paces calls to `rate`, and pauses every holder after a `429`.
    pub fn new(rate: Rate) -> Self {
        RateLimiter::with(Some(rate))
    }

    fn with(rate: Option<Rate>) -> Self {
        let mut state = State {
            rate,
            factor: 1.0,
            gcra: None,
            paused_until: None,
            throttled_in_a_row: 0,
            ok_in_a_row: 0,
            closed: false,
        };
        state.rebuild();
        RateLimiter {
            inner: Arc::new(Shared {
                idle: AtomicBool::new(state.idle()),
                state: Mutex::new(state),
                closing: tokio::sync::Notify::new(),
            }),
        }
    }

    /// Stops sending through this limiter and every clone of it, for
    /// good: a call not yet sent — waiting for its turn or a `429`'s pause,
    /// or made later — is refused with [`Error::RateLimited`](crate::Error::RateLimited)
    /// (no status: not sent), and a call whose retry waits ends with the
    /// answer that made it retry. Calls already sent finish. For a graceful
    /// stop (`payusers sync` closes its limiters on Ctrl-C).
    pub fn close(&self) {
        let mut s = self.lock();
        s.closed = true;
        self.settle(&s);
        drop(s);
        self.inner.closing.notify_waiters();
    }

    /// Whether [`close`](Self::close) was called on this limiter or a clone.
    pub fn is_closed(&self) -> bool {
        !self.inner.idle.load(Ordering::Acquire) && self.lock().closed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Publishes whether `state` (just changed, still locked) leaves
    /// nothing to do.
    fn settle(&self, state: &State) {
        self.inner.idle.store(state.idle(), Ordering::Release);
    }

    /// The configured rate, if any.
    pub fn rate(&self) -> Option<Rate> {
        self.lock().rate
    }

    /// The pace in force now (lower than the rate after repeated `429`s).
    pub fn current_interval(&self) -> Option<Duration> {
        let s = self.lock();
        s.rate.map(|r| r.interval().div_f64(s.factor))
    }

    /// Until when every holder waits, if a `429` paused them.
    pub fn paused_until(&self) -> Option<Instant> {
        self.lock().paused_until.filter(|t| *t > Instant::now())
    }

    /// Waits for a permit. Returns `false`, without waiting, when the permit
    /// would come after `deadline`, and at once when the limiter is (or
    /// while waiting becomes) [closed](Self::close).
    pub async fn until_ready(&self, deadline: Option<Instant>) -> bool {
        loop {
            if self.inner.idle.load(Ordering::Acquire) {
                return true;
            }
            // Listening before `closed` is read, so a close after the read
            // still wakes this wait.
            let mut closing = std::pin::pin!(self.inner.closing.notified());
            closing.as_mut().enable();
            let wait = {
                let mut s = self.lock();
                if s.closed {
                    return false;
                }
                let now = Instant::now();
                if s.paused_until.is_some_and(|t| t <= now) {
                    // The pause is over: forget it (which may make the
                    // limiter idle again).
                    s.paused_until = None;
                    self.settle(&s);
                }
                let paused = s.paused_until.map(|t| t - now);
                match (paused, &s.gcra) {
                    (Some(p), _) => p,
                    (None, None) => return true,
                    (None, Some(gcra)) => match gcra.check() {
                        Ok(()) => {
                            s.paused_until = None;
                            return true;
                        }
                        Err(not_until) => not_until.wait_time_from(DefaultClock::default().now()),
                    },
                }
            };
            if let Some(deadline) = deadline
                && Instant::now()
                    .checked_add(wait)
                    .is_none_or(|t| t > deadline)
            {
                return false;
            }
            let sleep = std::pin::pin!(tokio::time::sleep(wait));
            futures_util::future::select(sleep, closing).await;
        }
    }

    /// Sleeps `wait` (a retry's backoff or `Retry-After`), or less: until
    /// the limiter is [closed](Self::close), when the retry will be refused.
    pub(crate) async fn sleep(&self, wait: Duration) {
        let mut closing = std::pin::pin!(self.inner.closing.notified());
        closing.as_mut().enable();
        if self.is_closed() {
            return;
        }
        let sleep = std::pin::pin!(tokio::time::sleep(wait));
        futures_util::future::select(sleep, closing).await;
    }

    /// Tells every holder the provider answered `429`.
    pub fn rate_limited(&self, retry_after: Option<Duration>) {
        let mut s = self.lock();
        let wait = retry_after.unwrap_or(Duration::from_secs(1)).min(MAX_PAUSE);
        if let Some(until) = Instant::now().checked_add(wait) {
            s.paused_until = Some(s.paused_until.map_or(until, |t| t.max(until)));
        }
        s.ok_in_a_row = 0;
        s.throttled_in_a_row = s.throttled_in_a_row.saturating_add(1);
        if s.throttled_in_a_row >= 2 && s.rate.is_some() && s.factor > MIN_FACTOR {
            s.factor = (s.factor / 2.0).max(MIN_FACTOR);
            s.throttled_in_a_row = 0;
            s.rebuild();
        }
        self.settle(&s);
    }

    /// Tells every holder a call went through.
    pub fn succeeded(&self) {
        if self.inner.idle.load(Ordering::Acquire) {
            // Nothing counted to reset, no slowed pace to recover.
            return;
        }
        let mut s = self.lock();
        s.throttled_in_a_row = 0;
        if s.factor < 1.0 {
            s.ok_in_a_row += 1;
            if s.ok_in_a_row >= RECOVER_AFTER {
                s.ok_in_a_row = 0;
                s.factor = (s.factor * 1.25).min(1.0);
                s.rebuild();
            }
        }
        self.settle(&s);
    }
}

impl State {
    /// Nothing to do: no pace to keep, no pause, no `429` counted (the pace
    /// factor matters only with a pace).
    fn idle(&self) -> bool {
        self.rate.is_none()
            && self.paused_until.is_none()
            && self.throttled_in_a_row == 0
            && !self.closed
    }

    fn rebuild(&mut self) {
        self.gcra = self.rate.and_then(|rate| {
            let interval = rate.interval().div_f64(self.factor);
            let quota = Quota::with_period(interval.max(Duration::from_nanos(1)))?
                .allow_burst(NonZeroU32::MIN);
            Some(Arc::new(Gcra::direct(quota)))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_429_pauses_for_its_retry_after_but_never_past_the_cap() {
        let limiter = RateLimiter::unpaced();
        limiter.rate_limited(Some(Duration::from_secs(30)));
        let left = limiter.paused_until().unwrap() - Instant::now();
        assert!(left > Duration::from_secs(29) && left <= Duration::from_secs(30));
        for huge in [Duration::from_secs(99_999_999_999), Duration::MAX] {
            let limiter = RateLimiter::unpaced();
            limiter.rate_limited(Some(huge));
            let left = limiter.paused_until().unwrap() - Instant::now();
            assert!(
                left > MAX_PAUSE - Duration::from_secs(1) && left <= MAX_PAUSE,
                "{huge:?} paused for {left:?}"
            );
        }
    }

    #[test]
    fn rates_parse() {
        assert_eq!(
            "10/s".parse::<Rate>().unwrap().interval(),
            Duration::from_millis(100)
        );
        assert_eq!(
            "10000/h".parse::<Rate>().unwrap().interval(),
            Duration::from_millis(360)
        );
        for bad in [
            "",
            "fast",
            "0",
            "-1/s",
            "1/week",
            "NaN",
            "inf/s",
            "0.000001/h",
        ] {
            assert!(bad.parse::<Rate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn repeated_429s_slow_down_and_successes_recover() {
        let limiter = RateLimiter::new(Rate::per_second(10.0).unwrap());
        assert_eq!(limiter.current_interval(), Some(Duration::from_millis(100)));
        limiter.rate_limited(Some(Duration::ZERO));
        assert_eq!(limiter.current_interval(), Some(Duration::from_millis(100)));
        limiter.rate_limited(Some(Duration::ZERO));
        assert_eq!(limiter.current_interval(), Some(Duration::from_millis(200)));
        for _ in 0..RECOVER_AFTER {
            limiter.succeeded();
        }
        assert_eq!(limiter.current_interval(), Some(Duration::from_millis(160)));
    }

    fn idle(limiter: &RateLimiter) -> bool {
        limiter.inner.idle.load(Ordering::Acquire)
    }

    #[tokio::test]
    async fn an_unpaced_limiter_skips_its_lock_only_while_nothing_is_to_be_done() {
        let limiter = RateLimiter::unpaced();
        let clone = limiter.clone();
        assert!(idle(&limiter));
        assert!(!idle(&RateLimiter::new(Rate::per_second(10.0).unwrap())));

        // A 429 seen by one clone pauses the other, lock-free path or not.
        limiter.rate_limited(Some(Duration::from_millis(30)));
        assert!(!idle(&clone));
        let started = Instant::now();
        assert!(clone.until_ready(None).await);
        assert!(started.elapsed() >= Duration::from_millis(30));
        assert_eq!(clone.paused_until(), None);
        // The pause is over, the 429 still counts until a success.
        assert!(!idle(&clone));
        clone.succeeded();
        assert!(idle(&limiter));

        // An unrepresentable `Retry-After` pauses for the longest pause.
        limiter.rate_limited(Some(Duration::MAX));
        assert!(!idle(&limiter));
        limiter.succeeded();
        let left = limiter.paused_until().unwrap() - Instant::now();
        assert!(left > MAX_PAUSE - Duration::from_secs(1) && left <= MAX_PAUSE);
        assert!(!idle(&limiter));
    }

    #[tokio::test]
    async fn a_pause_past_the_deadline_is_refused_without_waiting() {
        let limiter = RateLimiter::unpaced();
        limiter.rate_limited(Some(Duration::from_secs(60)));
        let started = Instant::now();
        let deadline = Instant::now() + Duration::from_millis(50);
        assert!(!limiter.until_ready(Some(deadline)).await);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(limiter.paused_until().is_some());
    }
}
