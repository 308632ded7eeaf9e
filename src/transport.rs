//! The bridge between the generated clients and the facade.
//!
//! * [`Auth`] is the generated clients' inner type: the credentials (and user
//!   agent) that [`before_send`] puts on every request.
//! * [`after_receive`] records each response's status and headers in a
//!   task-local slot, so errors keep them even when the body is unreadable.
//! * `run` drives one facade call: attempts, timeouts, retries with
//!   backoff and `Retry-After`, tracing, and mapping to [`Error`].
//!
//! The generated code calls the two hooks through glue emitted by
//! `codegen/mod.rs`, so a new spec gets them with no Rust edit.

use crate::error::{Context, Error, Provider};
use crate::response::Response;
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::secret::REDACTED;
use progenitor_client::{Error as RawError, OperationInfo, ResponseValue};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// Credentials and default headers a generated client puts on each request.
///
/// Header values are marked sensitive (hyper and reqwest never print them),
/// and `Debug` shows only the header names.
///
/// ```
/// use payusers::transport::Auth;
/// let auth = Auth::new().header("api-key", "k123".into()).unwrap();
/// assert_eq!(format!("{auth:?}"), r#"Auth { api-key: "[redacted]" }"#);
/// ```
#[derive(Clone, Default)]
pub struct Auth {
    headers: Vec<(HeaderName, HeaderValue, SecretString)>,
}

impl Auth {
    /// No credentials.
    pub fn new() -> Self {
        Auth::default()
    }

    /// Adds a credential header; fails if the name or value is not a valid header.
    pub fn header(mut self, name: &'static str, value: SecretString) -> Result<Self, Error> {
        let bad = |reason: &str| Error::Config {
            setting: name,
            reason: reason.to_string(),
        };
        let header_name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad("is not a header name"))?;
        let mut header_value = HeaderValue::from_str(value.expose_secret())
            .map_err(|_| bad("contains characters not allowed in an HTTP header"))?;
        header_value.set_sensitive(true);
        self.headers.push((header_name, header_value, value));
        Ok(self)
    }

    /// Replaces `text`'s occurrences of any credential with `[redacted]`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (_, _, secret) in &self.headers {
            let s = secret.expose_secret();
            if s.len() >= 4 {
                out = out.replace(s, REDACTED);
            }
        }
        out
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Auth");
        for (name, _, _) in &self.headers {
            d.field(name.as_str(), &REDACTED);
        }
        d.finish()
    }
}

/// What the last attempt's response looked like, recorded by [`after_receive`].
#[derive(Default, Debug)]
pub(crate) struct Seen {
    pub(crate) status: Option<reqwest::StatusCode>,
    pub(crate) headers: Option<HeaderMap>,
}

tokio::task_local! {
    static SEEN: Arc<Mutex<Seen>>;
}

/// Pre-send hook: adds credentials and our user agent, drops progenitor's
/// `api-version` header (neither provider documents it).
pub fn before_send(auth: &Auth, request: &mut reqwest::Request, _info: &OperationInfo) {
    let headers = request.headers_mut();
    headers.remove("api-version");
    if !headers.contains_key(reqwest::header::USER_AGENT) {
        headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static(crate::config::USER_AGENT),
        );
    }
    for (name, value, _) in &auth.headers {
        headers.insert(name.clone(), value.clone());
    }
}

/// Post-receive hook: remembers status and headers for the running call.
pub fn after_receive(result: &reqwest::Result<reqwest::Response>, _info: &OperationInfo) {
    if let Ok(response) = result {
        let _ = SEEN.try_with(|seen| {
            if let Ok(mut seen) = seen.lock() {
                seen.status = Some(response.status());
                seen.headers = Some(response.headers().clone());
            }
        });
    }
}

/// Response headers that carry a request id, in the order we look for them.
const REQUEST_ID_HEADERS: [&str; 4] = [
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-amzn-requestid",
];

/// The request id a response carried, if any.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A provider's JSON error body: what message it carries.
pub(crate) trait ErrorBody {
    /// The human-readable message, if any.
    fn message(&self) -> Option<String>;
}

impl ErrorBody for () {
    fn message(&self) -> Option<String> {
        None
    }
}

/// A success body that may still mean failure (Payabli's `isSuccess: false`).
pub(crate) trait Outcome {
    /// `Some(text)` when the body reports a failure.
    fn failure(&self) -> Option<String>;
}

/// Per-call settings after per-client defaults and per-call overrides merge.
#[derive(Debug, Clone)]
pub(crate) struct CallSettings {
    pub(crate) provider: Provider,
    pub(crate) operation: &'static str,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) retry: RetryPolicy,
}

/// How much of an unexpected body an error quotes, in characters.
const EXCERPT_CHARS: usize = 256;

/// Runs one facade call: sends, retries what may be retried, maps errors.
///
/// The whole call is a `payusers.call` span (provider, operation); each
/// attempt inside it is one event.
pub(crate) async fn run<T, E, F, Fut>(
    settings: &CallSettings,
    auth: &Auth,
    send: F,
) -> Result<Response<T>, Error>
where
    T: Outcome,
    E: ErrorBody,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, RawError<E>>>,
{
    use tracing::Instrument;
    let span = tracing::info_span!(
        "payusers.call",
        provider = %settings.provider,
        operation = settings.operation
    );
    attempts(settings, auth, send).instrument(span).await
}

/// The attempt loop behind [`run`].
async fn attempts<T, E, F, Fut>(
    settings: &CallSettings,
    auth: &Auth,
    mut send: F,
) -> Result<Response<T>, Error>
where
    T: Outcome,
    E: ErrorBody,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, RawError<E>>>,
{
    let started = Instant::now();
    // A deadline too far away to represent is no deadline.
    let deadline = started.checked_add(settings.deadline);
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let mut context = Context::new(settings.provider, settings.operation);
        context.attempts = attempt;
        let now = Instant::now();
        let remaining = deadline.map_or(Duration::MAX, |d| d.saturating_duration_since(now));
        if remaining.is_zero() {
            return Err(Error::Timeout {
                retry_after: None,
                context,
            });
        }
        let seen = Arc::new(Mutex::new(Seen::default()));
        let outcome = SEEN
            .scope(
                seen.clone(),
                tokio::time::timeout(settings.timeout.min(remaining), send()),
            )
            .await;
        let latency = now.elapsed();
        let seen = std::mem::take(&mut *seen.lock().unwrap_or_else(|p| p.into_inner()));
        let result = match outcome {
            Err(_elapsed) => Err(Error::Timeout {
                retry_after: None,
                context: context.clone(),
            }),
            Ok(Ok(value)) => {
                let status = value.status();
                let request_id = request_id(value.headers());
                match value.failure() {
                    None => Ok(Response::new(value, attempt)),
                    Some(text) => {
                        context.status = Some(status.as_u16());
                        context.request_id = request_id;
                        Err(Error::Declined {
                            response_text: text,
                            context: context.clone(),
                        })
                    }
                }
            }
            Ok(Err(raw)) => Err(map_error(raw, seen, context.clone(), auth).await),
        };
        match result {
            Ok(response) => {
                tracing::info!(
                    provider = %settings.provider,
                    operation = settings.operation,
                    attempt,
                    status = response.status().as_u16(),
                    latency_ms = latency.as_millis() as u64,
                    outcome = "ok",
                    "payusers attempt"
                );
                return Ok(response);
            }
            Err(error) => {
                tracing::warn!(
                    provider = %settings.provider,
                    operation = settings.operation,
                    attempt,
                    status = error.status(),
                    latency_ms = latency.as_millis() as u64,
                    retryable = error.is_retryable(),
                    outcome = %error_kind(&error),
                    "payusers attempt"
                );
                let retries_used = attempt - 1;
                if !error.is_retryable() || retries_used >= settings.retry.retries() {
                    return Err(error);
                }
                let wait = error
                    .retry_after()
                    .unwrap_or_else(|| settings.retry.backoff(attempt));
                let past_deadline = match deadline {
                    Some(deadline) => Instant::now()
                        .checked_add(wait)
                        .is_none_or(|t| t >= deadline),
                    None => Instant::now().checked_add(wait).is_none(),
                };
                if past_deadline {
                    // Waiting would cross the deadline: report what we have.
                    return Err(error);
                }
                tracing::debug!(
                    provider = %settings.provider,
                    operation = settings.operation,
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "payusers retry scheduled"
                );
                tokio::time::sleep(wait).await;
            }
        }
    }
}

fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::Config { .. } => "config",
        Error::Validation { .. } => "validation",
        Error::Unauthorized { .. } => "unauthorized",
        Error::NotFound { .. } => "not_found",
        Error::BadRequest { .. } => "bad_request",
        Error::RateLimited { .. } => "rate_limited",
        Error::Server { .. } => "server",
        Error::Declined { .. } => "declined",
        Error::Timeout { .. } => "timeout",
        Error::Connection { .. } => "connection",
        Error::Redirect { .. } => "redirect",
        Error::UnexpectedResponse { .. } => "unexpected_response",
    }
}

/// Maps a generated client's error onto ours.
async fn map_error<E: ErrorBody>(
    raw: RawError<E>,
    seen: Seen,
    mut context: Context,
    auth: &Auth,
) -> Error {
    if let Some(status) = seen.status {
        context.status = Some(status.as_u16());
    }
    if let Some(headers) = &seen.headers {
        context.request_id = request_id(headers);
    }
    match raw {
        RawError::ErrorResponse(value) => {
            context.status = Some(value.status().as_u16());
            let message = value.message().map(|m| auth.scrub(&m));
            by_status(value.status(), value.headers(), message, None, context)
        }
        RawError::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            context.status = Some(status.as_u16());
            context.request_id = request_id(&headers);
            let body = response.bytes().await.unwrap_or_default();
            let excerpt = excerpt(&auth.scrub(&String::from_utf8_lossy(&body)));
            let message = message_from_body(&body).map(|m| auth.scrub(&m));
            if status.is_success() {
                return Error::UnexpectedResponse {
                    reason: "status not documented for this operation".into(),
                    body_excerpt: excerpt,
                    context,
                };
            }
            by_status(status, &headers, message, Some(excerpt), context)
        }
        RawError::InvalidResponsePayload(body, err) => {
            let excerpt = excerpt(&auth.scrub(&String::from_utf8_lossy(&body)));
            match seen.status {
                Some(status) if !status.is_success() => {
                    let headers = seen.headers.unwrap_or_default();
                    // A documented error status whose body is not the
                    // documented JSON (Payabli does not promise JSON).
                    let message = if excerpt.trim().is_empty() {
                        None
                    } else {
                        Some(excerpt.clone())
                    };
                    by_status(status, &headers, message, Some(excerpt), context)
                }
                _ => Error::UnexpectedResponse {
                    // serde quotes the offending value: scrub it too.
                    reason: auth.scrub(&format!("body does not match the spec: {err}")),
                    body_excerpt: excerpt,
                    context,
                },
            }
        }
        RawError::CommunicationError(source)
        | RawError::ResponseBodyError(source)
        | RawError::InvalidUpgrade(source) => {
            if source.is_timeout() {
                Error::Timeout {
                    retry_after: None,
                    context,
                }
            } else {
                Error::Connection {
                    source: source.without_url(),
                    context,
                }
            }
        }
        RawError::InvalidRequest(reason) | RawError::Custom(reason) => Error::Config {
            setting: "request",
            reason: auth.scrub(&reason),
        },
    }
}

/// Picks the error variant for a non-success status.
fn by_status(
    status: reqwest::StatusCode,
    headers: &HeaderMap,
    message: Option<String>,
    excerpt: Option<String>,
    context: Context,
) -> Error {
    let retry_after = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    match status.as_u16() {
        300..=399 => Error::Redirect {
            location: headers
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            context,
        },
        401 | 403 => Error::Unauthorized { message, context },
        404 => Error::NotFound { message, context },
        408 => Error::Timeout {
            retry_after,
            context,
        },
        429 => Error::RateLimited {
            retry_after,
            message,
            context,
        },
        400 | 409 | 413 | 422 => Error::BadRequest { message, context },
        500..=599 => Error::Server {
            message,
            retry_after,
            context,
        },
        _ => Error::UnexpectedResponse {
            reason: "status not documented for this operation".into(),
            body_excerpt: excerpt.or(message).unwrap_or_default(),
            context,
        },
    }
}

/// The first characters of a body (already lossy UTF-8 and scrubbed).
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A message from an undocumented JSON error body: `message`, `detail`,
/// `error` or `responseText`, whichever comes first.
fn message_from_body(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    ["message", "detail", "error", "responseText"]
        .iter()
        .find_map(|k| value.get(*k).and_then(|v| v.as_str()))
        .map(str::to_string)
}

impl<T: Outcome> Outcome for ResponseValue<T> {
    fn failure(&self) -> Option<String> {
        (**self).failure()
    }
}

impl<E: ErrorBody> ErrorBody for ResponseValue<E> {
    fn message(&self) -> Option<String> {
        (**self).message()
    }
}
