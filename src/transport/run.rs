//! The attempt loop every call of every operation goes through.

use super::map::{Attempt, by_status, map_error};
use super::scope::{Elapsed, Scope, Scoped};
use super::{Auth, scrub};
use crate::core::{Operation, Spec};
use crate::error::{Context, Error, Provider};
use crate::limit::RateLimiter;
use crate::response::Response;
use crate::retry::RetryPolicy;
use progenitor_client::{Error as RawError, ResponseValue};
use reqwest::header::{HeaderName, HeaderValue};
use std::future::Future;
use std::time::{Duration, Instant};

/// One call's settings: client defaults, per-call options and what the
/// operation's metadata says about retrying it.
#[derive(Debug, Clone)]
pub(crate) struct CallSettings<'c> {
    pub(crate) provider: Provider,
    pub(crate) operation: &'static str,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    /// An operation's shared deadline (`CallOptions::ends`): the call ends
    /// by then too, counted when it starts, as `deadline` is.
    pub(crate) ends: Option<Instant>,
    pub(crate) retry: RetryPolicy,
    /// The method is idempotent, the spec says so, or a key is sent.
    pub(crate) retry_safe: bool,
    /// Boxed: the call's settings are in its future, and a key is rare.
    pub(crate) call_header: Option<Box<(HeaderName, HeaderValue)>>,
    /// The set credentials this operation's `security` does not send.
    pub(crate) skip_credentials: u32,
    pub(crate) max_body: usize,
    /// The client's spec: its error-message fields and error details.
    pub(crate) info: &'static crate::core::SpecInfo,
    /// The client's limiter, borrowed: a clone per call would write its
    /// shared reference count twice.
    pub(crate) limiter: &'c RateLimiter,
}

/// Starts one call: sends, retries what may be retried, maps errors.
///
/// The whole call is a `payusers.call` span (provider, operation); each
/// attempt inside it is one event. A plain function, not an `async fn`:
/// every `async` layer between a caller's `.await` and the attempt is one
/// more copy of the whole call's future as it starts (kilobytes, into
/// memory that is cold at concurrency), so the span is a plain wrapper
/// and the attempt loop is the only `async` body above the attempt (an
/// error before the call begins is `Call::send_checked`'s to return).
pub(crate) fn start<'c, O: Operation>(
    settings: CallSettings<'c>,
    auth: &'c Auth,
    raw: &'c <O::Spec as Spec>::Raw,
    op: O,
) -> impl Future<Output = Result<Response<O::Output>, Error>> + Send {
    let (provider, operation) = (settings.provider, settings.operation);
    InSpan {
        call: attempts(settings, auth, raw, op),
        span: None,
        provider,
        operation,
    }
}

pin_project_lite::pin_project! {
    /// A call inside its `payusers.call` span. The span is made when the
    /// call is first polled, not when its future is built, so a caller's `.instrument(..)` or `.with_subscriber(..)` on
    /// the returned future is its parent or its subscriber. When no
    /// subscriber wants it, the call is polled without entering it.
    struct InSpan<F> {
        #[pin]
        call: F,
        span: Option<tracing::Span>,
        provider: Provider,
        operation: &'static str,
    }
}

impl<F: Future> Future for InSpan<F> {
    type Output = F::Output;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        let this = self.project();
        let (provider, operation) = (*this.provider, *this.operation);
        let span = this.span.get_or_insert_with(
            || tracing::info_span!("payusers.call", provider = %provider, operation = operation),
        );
        if span.is_disabled() {
            return this.call.poll(cx);
        }
        let _entered = span.enter();
        this.call.poll(cx)
    }
}

/// The attempt loop. It owns the settings and the operation; its body only
/// borrows them (an `async fn` taking them by value would keep a second
/// copy of each in its future: rust-lang/rust#62958).
#[allow(clippy::manual_async_fn)]
fn attempts<'c, O: Operation>(
    settings: CallSettings<'c>,
    auth: &'c Auth,
    raw: &'c <O::Spec as Spec>::Raw,
    op: O,
) -> impl Future<Output = Result<Response<O::Output>, Error>> + Send {
    async move {
        let (settings, op) = (&settings, &op);
        let started = Instant::now();
        // A deadline too far away to represent is no deadline.
        let deadline = match (started.checked_add(settings.deadline), settings.ends) {
            (Some(own), Some(shared)) => Some(own.min(shared)),
            (own, shared) => own.or(shared),
        };
        let mut attempt: u32 = 0;
        // Made only when an error needs one: `attempts` is the attempts made.
        // Set once a failed attempt, tried again, may have been acted on.
        // (Atomic only so the future stays `Send`: one task touches it.)
        let earlier_applied = std::sync::atomic::AtomicBool::new(false);
        let context = |attempts| Context {
            attempts,
            earlier_attempt_may_have_applied: earlier_applied
                .load(std::sync::atomic::Ordering::Relaxed),
            ..Context::new(settings.provider, settings.operation)
        };
        // A retry's reason, kept (boxed: only a call that retries pays for
        // it) until the retry is sent: held back by the limiter instead, the
        // call reports what the server last said, not a new "not sent".
        let mut last: Option<Box<Error>> = None;
        loop {
            attempt = attempt.saturating_add(1);
            if !settings.limiter.until_ready(deadline).await {
                if let Some(last) = last {
                    return Err(*last);
                }
                if settings.limiter.is_closed() {
                    return Err(Error::RateLimited {
                        retry_after: None,
                        message: Some("the client's rate limiter was closed".into()),
                        context: context(attempt - 1),
                    });
                }
                // Held back, not sent: by an earlier `429`'s pause that
                // outlasts this call's deadline (say so, with the wait
                // left), or by the pace.
                return Err(match settings.limiter.paused_until() {
                    Some(until) => Error::RateLimited {
                        retry_after: Some(until.saturating_duration_since(Instant::now())),
                        message: Some(
                            "every call waits out an earlier 429 until after this call's deadline"
                                .into(),
                        ),
                        context: context(attempt - 1),
                    },
                    None => Error::Timeout {
                        retry_after: None,
                        context: context(attempt - 1),
                    },
                });
            }
            let now = Instant::now();
            let remaining = deadline.map_or(Duration::MAX, |d| d.saturating_duration_since(now));
            if remaining.is_zero() {
                return Err(Error::Timeout {
                    retry_after: None,
                    context: context(attempt - 1),
                });
            }
            // One block per attempt: its future (2 KB) is dropped before the
            // error path's and any retry wait's, so their states do not hold it too.
            let failed = {
                let scope = Scope {
                    call_header: settings.call_header.clone(),
                    max_body: settings.max_body,
                    skip_credentials: settings.skip_credentials,
                    envelope: <O::Spec as Spec>::info().envelope.as_ref(),
                    ..Scope::default()
                };
                // Inline, not boxed: boxing makes the call's future 2 KB smaller
                // but costs each request an allocation (2 % more instructions)
                // and more cache misses (its memory is as cold, and freshly
                // written). Built inside `pin!`, never bound to a local first: a
                // moved-from local would keep its own slot in this future (2 KB
                // more, and a copy of it on every attempt).
                let mut attempt_future = std::pin::pin!(Scoped::new(
                    op.send(raw),
                    settings.timeout.min(remaining),
                    scope
                ));
                let outcome = attempt_future.as_mut().await;
                auth.note_http1(attempt_future.as_mut().http1());
                // What the envelope says is wrong with a 2xx, if anything.
                let declined = match &outcome {
                    Ok(Ok(value)) => op.failure(value).or_else(|| {
                        // A body the operation's schema reads (leniently) may
                        // still be the envelope declining: the hook judged it.
                        <O::Spec as Spec>::info()
                            .envelope
                            .is_some()
                            .then(|| attempt_future.as_mut().take_declined())
                            .flatten()
                    }),
                    _ => None,
                };
                // An answer about another resource than the one asked for
                // (`x-payusers-echo`): not this call's answer.
                let astray = match (&outcome, &declined) {
                    (Ok(Ok(value)), None) => op.astray(value),
                    _ => None,
                };
                // A body cut at the cap that still parsed is not the answer.
                let cut = matches!(outcome, Ok(Ok(_))) && attempt_future.as_mut().success_cut();
                match outcome {
                    // The common answer returns at once: nothing the scope
                    // recorded is needed, and the response is moved once.
                    Ok(Ok(value)) if declined.is_none() && astray.is_none() && !cut => {
                        settings.limiter.succeeded();
                        tracing::info!(
                            provider = %settings.provider,
                            operation = settings.operation,
                            attempt,
                            status = value.status().as_u16(),
                            latency_ms = now.elapsed().as_millis() as u64,
                            outcome = "ok",
                            "payusers attempt"
                        );
                        return Ok(Response::new(value, attempt));
                    }
                    outcome => Failed::<O> {
                        outcome,
                        declined,
                        astray,
                        scope: attempt_future.as_mut().take_scope(),
                        context: context(attempt),
                        ends: now.checked_add(settings.timeout.min(remaining)),
                    },
                }
            };
            let latency = now.elapsed();
            // Boxed, and owning what it reads: a failed attempt's outcome and
            // scope (half a kilobyte) are not kept in every call's future,
            // through the attempt and any retry wait.
            let error = Box::pin(failed.into_error(settings, auth, op)).await;
            tracing::warn!(
                provider = %settings.provider,
                operation = settings.operation,
                attempt,
                status = error.status(),
                latency_ms = latency.as_millis() as u64,
                retryable = error.is_retryable(),
                outcome = %error.kind(),
                "payusers attempt"
            );
            if let Error::RateLimited { retry_after, .. } = &error {
                settings.limiter.rate_limited(*retry_after);
            }
            let retries_used = attempt - 1;
            let may_resend = settings.retry_safe || error.never_reached_server();
            if !error.is_retryable() || !may_resend || retries_used >= settings.retry.retries() {
                return Err(error);
            }
            // The retry goes out no sooner than the limiter lets it (a 429
            // without `Retry-After` pauses every call a second).
            let paused = settings
                .limiter
                .paused_until()
                .map_or(Duration::ZERO, |until| {
                    until.saturating_duration_since(Instant::now())
                });
            let wait = error
                .retry_after()
                .unwrap_or_else(|| settings.retry.backoff(attempt))
                .max(paused);
            // A `Retry-After` longer than the rate limiter would pause for
            // (five minutes) is reported, not waited out, with or without
            // a deadline.
            let past_deadline = wait > crate::limit::MAX_PAUSE
                || match deadline {
                    Some(deadline) => Instant::now()
                        .checked_add(wait)
                        .is_none_or(|t| t >= deadline),
                    None => Instant::now().checked_add(wait).is_none(),
                };
            if past_deadline {
                // Waiting would cross the deadline: report what we have.
                return Err(error);
            }
            if error.may_have_applied() {
                earlier_applied.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            last = Some(Box::new(error));
            tracing::debug!(
                provider = %settings.provider,
                operation = settings.operation,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "payusers retry scheduled"
            );
            // Cut short by the limiter's close: the retry is then refused,
            // and the call ends with this attempt's answer.
            settings.limiter.sleep(wait).await;
        }
    }
}

/// What an attempt's future gives: the generated call's result, unless
/// the attempt's timer went off first.
type Outcome<O> = Result<
    Result<ResponseValue<<O as Operation>::Output>, RawError<<O as Operation>::ErrorBody>>,
    Elapsed,
>;

/// What one attempt that did not succeed left: its outcome, what the
/// envelope said of a 2xx, what the hooks recorded.
struct Failed<O: Operation> {
    outcome: Outcome<O>,
    declined: Option<String>,
    /// Why a 2xx is about another resource than the one asked for.
    astray: Option<String>,
    scope: Scope,
    context: Context,
    /// When the attempt's time was up: a body still unread (an
    /// undocumented status's) is read by then or not at all.
    ends: Option<Instant>,
}

impl<O: Operation> Failed<O> {
    /// The error a failed attempt makes, scrubbed of the call's secrets.
    async fn into_error(self, settings: &CallSettings<'_>, auth: &Auth, op: &O) -> Error {
        let Failed {
            outcome,
            declined,
            astray,
            scope,
            mut context,
            ends,
        } = self;
        let secrets = || {
            auth.secrets()
                .chain(scope.recorded().secrets.iter().map(String::as_str))
        };
        match outcome {
            Err(Elapsed) => {
                context.status = scope.status.map(|s| s.as_u16());
                match scope.status {
                    // An error status whose body stalled: the status and
                    // headers still say what it was (a 429's `Retry-After`
                    // is kept, and waited for), without the body's message.
                    Some(status) if !status.is_success() => {
                        let secrets: Vec<&str> = secrets().collect();
                        let clean = |text: &str| scrub(text, secrets.iter().copied());
                        let headers = scope.recorded().error_headers.clone().unwrap_or_default();
                        context.request_id =
                            headers.request_id.as_deref().map(|id| clean(id).into());
                        by_status(status, &headers, None, None, context, clean)
                    }
                    _ => Error::Timeout {
                        retry_after: None,
                        context,
                    },
                }
            }
            // A 2xx gets here only when its body was cut at the cap, the
            // envelope declined it, or it is about another resource.
            Ok(Ok(value)) => {
                context.status = Some(value.status().as_u16());
                context.request_id =
                    super::request_id(value.headers()).map(|id| scrub(&id, secrets()).into());
                if let Some(cut) = scope.recorded().truncated.filter(|t| t.success) {
                    return Error::UnexpectedResponse {
                        reason: format!(
                            "the response body is larger than {} bytes (raise `max_response_bytes` if that is expected)",
                            cut.cap
                        ),
                        body_excerpt: String::new(),
                        context,
                    };
                }
                match astray {
                    Some(reason) => Error::UnexpectedResponse {
                        reason: scrub(&reason, secrets()),
                        body_excerpt: String::new(),
                        context,
                    },
                    None => {
                        // What the declining body's `error-details` add.
                        let text = super::map::with_details(
                            declined,
                            scope.recorded().error_body.as_deref(),
                            settings.info.error_details,
                        );
                        Error::Declined {
                            response_text: scrub(&text.unwrap_or_default(), secrets()),
                            context,
                        }
                    }
                }
            }
            Ok(Err(raw_error)) => {
                map_error(Attempt {
                    raw: raw_error,
                    scope: &scope,
                    context,
                    secrets: &secrets().collect::<Vec<_>>(),
                    error_message: settings.info.error_message,
                    error_details: settings.info.error_details,
                    message: &|body| op.message(body),
                    body_by: ends,
                })
                .await
            }
        }
    }
}
