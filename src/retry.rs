//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

/// Retry settings: how many retries, and the exponential backoff bounds.
///
/// The delay before retry *n* (1-based) is drawn uniformly from
/// `0..=min(cap, base × 2^(n-1))` ("full jitter"), unless the server sent
/// `Retry-After`, which then wins. Only idempotent failures are retried:
/// connection errors, timeouts, 408, 429, 500, 502, 503 and 504.
///
/// ```
/// use std::time::Duration;
/// let policy = payusers::RetryPolicy::default()
///     .max_retries(5)
///     .base_delay(Duration::from_millis(100))
///     .max_delay(Duration::from_secs(2));
/// assert_eq!(policy.retries(), 5);
/// assert_eq!(payusers::RetryPolicy::none().retries(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base: Duration,
    cap: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, 250 ms base, 10 s cap.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// Sets how many times a failed request is retried (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Sets the first backoff step.
    pub fn base_delay(mut self, base: Duration) -> Self {
        self.base = base;
        self
    }

    /// Sets the largest backoff step.
    pub fn max_delay(mut self, cap: Duration) -> Self {
        self.cap = cap;
        self
    }

    /// How many retries this policy allows.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The upper bound of the jittered delay before retry `n` (1-based).
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// A full-jitter delay before retry `n` (1-based).
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP date.
///
/// A date in the past means "now" (zero). Anything else is `None`.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use payusers::retry::parse_retry_after;
/// assert_eq!(parse_retry_after("3", SystemTime::now()), Some(Duration::from_secs(3)));
/// assert_eq!(parse_retry_after("soon", SystemTime::now()), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim_matches([' ', '\t']);
    // delay-seconds is `1*DIGIT` (RFC 9110): no sign, no other spaces.
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More seconds than a u64 holds is "later than we will ever wait".
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_digits_or_an_http_date() {
        let now = SystemTime::UNIX_EPOCH;
        let secs = |n| Some(Duration::from_secs(n));
        assert_eq!(parse_retry_after("5", now), secs(5));
        assert_eq!(parse_retry_after(" \t120 ", now), secs(120));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            secs(u64::MAX)
        );
        // Found by fuzzing: `str::parse` also takes a sign and other spaces.
        for bad in ["+5", "-5", "5s", "\u{a0}5", "", "1.5"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", now),
            secs(60)
        );
    }
}
