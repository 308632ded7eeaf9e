//! [`Call`]: one operation about to be sent, with per-call options.

use super::client::Client;
use super::spec::{Operation, Spec};
use crate::error::Error;
use crate::response::Response;
use crate::retry::RetryPolicy;
use std::future::Future;
use std::time::Duration;

/// Every operation of a spec as a method (generated per spec):
/// `client.ops().update_user(id, body)` gives a [`Call`].
#[derive(Debug)]
pub struct Ops<'c, S: Spec> {
    client: &'c Client<S>,
}

impl<S: Spec> Clone for Ops<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Spec> Copy for Ops<'_, S> {}

impl<'c, S: Spec> Ops<'c, S> {
    pub(crate) fn new(client: &'c Client<S>) -> Self {
        Ops { client }
    }

    /// The client these operations go through.
    pub fn client(&self) -> &'c Client<S> {
        self.client
    }

    /// Wraps an operation value in a [`Call`].
    pub fn call<O: Operation<Spec = S>>(self, op: O) -> Call<'c, O> {
        Call::new(self.client, op)
    }
}

/// Per-call overrides of the client's settings.
///
/// ```
/// use std::time::Duration;
/// let options = payusers::CallOptions::default()
///     .timeout(Duration::from_secs(2))
///     .max_retries(0);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) idempotency_key: Option<String>,
    /// When an operation made of several calls (a read, then a write) must
    /// be done: each call's deadline is at most the time left until then.
    pub(crate) ends: Option<std::time::Instant>,
}

impl CallOptions {
    /// Overrides the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the whole-call deadline.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Overrides the retry count (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Overrides the whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self.max_retries = None;
        self
    }

    /// The shared deadline moved `by` later: time spent waiting on
    /// something else (another provider's read) is not this call's.
    pub(crate) fn later_by(mut self, by: std::time::Duration) -> Self {
        self.ends = self.ends.map(|ends| ends.checked_add(by).unwrap_or(ends));
        self
    }

    /// The same options for every call of one operation that makes several
    /// (a read, then a write): they share one deadline, this one's (or the
    /// client's), counted from now, instead of each having a whole one.
    pub(crate) fn shared<S: Spec>(mut self, client: &Client<S>) -> Self {
        let deadline = self.deadline.unwrap_or_else(|| client.default_deadline());
        let ends = std::time::Instant::now().checked_add(deadline);
        self.ends = match (self.ends, ends) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self
    }

    /// Sends an idempotency key in the header the spec declares, which also
    /// makes a non-idempotent call (a POST) safe to retry.
    ///
    /// Both bundled providers' headers are reported, not confirmed (see the
    /// specs): if a provider ignores the key, a retried create may make a
    /// second user (Payabli) or fail as a duplicate (hPay). The key must be
    /// visible ASCII, not empty; otherwise the call fails `Validation`
    /// (`idempotency_key`) before sending.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

/// The per-call option setters every hand-written builder offers; expands
/// to inherent methods over a field `options: CallOptions`.
macro_rules! call_options {
    () => {
        /// Overrides the client's per-attempt timeout for this call.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options = self.options.timeout(timeout);
            self
        }

        /// Overrides the client's whole-call deadline for this call.
        pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
            self.options = self.options.deadline(deadline);
            self
        }

        /// Overrides the client's retry count for this call (0 disables).
        pub fn max_retries(mut self, retries: u32) -> Self {
            self.options = self.options.max_retries(retries);
            self
        }

        /// Overrides the client's whole retry policy for this call.
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.options = self.options.retry_policy(policy);
            self
        }

        /// Sends an idempotency key (when the provider's spec declares a
        /// header for one), which also makes a POST safe to retry. Both
        /// bundled providers' headers are reported, not confirmed: see
        /// [`CallOptions::idempotency_key`]($crate::CallOptions::idempotency_key).
        pub fn idempotency_key(
            mut self,
            key: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.options = self.options.idempotency_key(key);
            self
        }

        /// Replaces all per-call options at once.
        pub fn options(mut self, options: $crate::CallOptions) -> Self {
            self.options = options;
            self
        }
    };
}
pub(crate) use call_options;

/// One operation about to be sent; set options, then [`send`](Self::send).
#[must_use = "nothing is sent until you call .send()"]
pub struct Call<'c, O: Operation> {
    client: &'c Client<O::Spec>,
    op: O,
    options: CallOptions,
}

impl<O: Operation + std::fmt::Debug> std::fmt::Debug for Call<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.op.meta().id)
            .field("op", &self.op)
            .field("options", &self.options)
            .finish()
    }
}

impl<'c, O: Operation> Call<'c, O> {
    pub(crate) fn new(client: &'c Client<O::Spec>, op: O) -> Self {
        Call {
            client,
            op,
            options: CallOptions::default(),
        }
    }

    call_options!();

    /// The operation's arguments.
    pub fn op(&self) -> &O {
        &self.op
    }

    /// Sends, retries if allowed; returns the decoded body.
    pub fn send(self) -> impl Future<Output = Result<O::Output, Error>> {
        crate::response::body_of(self.send_with_response())
    }

    /// Like [`send`](Self::send), with status, headers, request id and attempts.
    pub fn send_with_response(self) -> impl Future<Output = Result<Response<O::Output>, Error>> {
        Self::send_checked(Ok(self))
    }

    /// Sends a call a hand-written builder made, or fails with the error
    /// that kept it from making one. Not `async`: a builder's own `async`
    /// block around the call's future is one more copy of that future as it
    /// starts (see `transport::start`); this one is settled before it.
    pub(crate) fn send_checked(
        call: Result<Self, Error>,
    ) -> impl Future<Output = Result<Response<O::Output>, Error>> {
        use futures_util::future::{Either, ready};
        let started = call.and_then(
            |Call {
                 client,
                 op,
                 options,
             }| {
                op.check().map_err(|invalid| Error::Validation {
                    field: invalid.field,
                    rule: invalid.rule,
                    context: crate::error::Context::new(client.provider(), op.meta().id),
                })?;
                let settings = client.call_settings(op.meta(), &options)?;
                Ok(crate::transport::start(
                    settings,
                    client.auth(),
                    client.raw(),
                    op,
                ))
            },
        );
        match started {
            Ok(call) => Either::Left(call),
            Err(error) => Either::Right(ready(Err(error))),
        }
    }
}
