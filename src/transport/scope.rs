//! One attempt's scope: what the call adds to the request
//! (an idempotency key) and what the hooks learn on the way (status, the
//! headers errors need, a truncated body, an invalid path parameter, the
//! passwords the body carried).
//!
//! The scope lives in the attempt's future ([`Scoped`]) and is visible to
//! the hooks, through a scoped thread-local, while that future is polled;
//! they reach it without any change to the generated method signatures. Outside
//! a scope (a raw generated call) the hooks still cap bodies and refuse bad
//! path parameters; they just have nowhere to report.

use crate::core::EnvelopeInfo;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use progenitor_client::OperationInfo;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The most of an error body we read (larger bodies are cut, with a note).
pub(crate) const ERROR_BODY_CAP: usize = 64 * 1024;
/// The default cap on a success body; see `ClientBuilder::max_response_bytes`.
pub(crate) const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;

/// What an error needs from a non-success response's headers.
#[derive(Debug, Default, Clone)]
pub(crate) struct ErrorHeaders {
    pub(crate) retry_after: Option<String>,
    pub(crate) location: Option<String>,
    pub(crate) request_id: Option<String>,
}

impl ErrorHeaders {
    pub(crate) fn of(headers: &HeaderMap) -> Self {
        let text = |name: reqwest::header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        ErrorHeaders {
            retry_after: text(reqwest::header::RETRY_AFTER),
            location: text(reqwest::header::LOCATION),
            request_id: super::request_id(headers),
        }
    }
}

/// A body that was longer than its cap.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Truncated {
    pub(crate) cap: usize,
    pub(crate) success: bool,
}

/// One attempt's scope: 40 bytes, written as every attempt starts; what
/// only some attempts record is boxed in [`Recorded`] when they do.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    /// Extra header for this call (the idempotency key).
    pub(crate) call_header: Option<Box<(HeaderName, HeaderValue)>>,
    /// Cap on a success body.
    pub(crate) max_body: usize,
    /// The client's credentials this call's operation does not send (bit
    /// `i` for `SpecInfo::credentials[i]`); it fits the padding.
    pub(crate) skip_credentials: u32,
    /// Status of the response, once headers arrived.
    pub(crate) status: Option<StatusCode>,
    /// Whether the response came over HTTP/1, once headers arrived.
    pub(crate) http1: Option<bool>,
    /// The spec's envelope, when it has one: every 2xx body is read in the
    /// hook and judged by it, whatever the operation's own schema (a 2xx
    /// body it declines is kept in `error_body`).
    pub(crate) envelope: Option<&'static EnvelopeInfo>,
    /// What a failed attempt, or one whose body carries a password, records.
    pub(crate) recorded: Option<Box<Recorded>>,
}

/// What only some attempts record: a failure's details, and the passwords
/// a body carries (a plain success records none of it).
#[derive(Debug, Default)]
pub(crate) struct Recorded {
    /// Headers of a non-success response.
    pub(crate) error_headers: Option<ErrorHeaders>,
    /// The (capped) body of a non-success response, or of a 2xx the
    /// envelope declines.
    pub(crate) error_body: Option<Bytes>,
    /// Set when a body was cut at its cap.
    pub(crate) truncated: Option<Truncated>,
    /// A path parameter refused by `path_segment`.
    pub(crate) invalid_path: Option<(&'static str, &'static str)>,
    /// Secret values serialized into the request (`format: password`).
    pub(crate) secrets: Vec<String>,
}

/// What an attempt that recorded nothing reads.
static NOTHING: Recorded = Recorded {
    error_headers: None,
    error_body: None,
    truncated: None,
    invalid_path: None,
    secrets: Vec::new(),
};

impl Scope {
    /// What the hooks recorded (nothing, for most attempts).
    pub(crate) fn recorded(&self) -> &Recorded {
        self.recorded.as_deref().unwrap_or(&NOTHING)
    }

    /// Where the hooks record, made on the first record.
    fn record(&mut self) -> &mut Recorded {
        self.recorded.get_or_insert_with(Box::default)
    }
}

scoped_tls::scoped_thread_local! {
    /// The scope of the attempt being polled on this thread, if any.
    static SCOPE: RefCell<Scope>
}

fn with<R>(f: impl FnOnce(&mut Scope) -> R) -> Option<R> {
    SCOPE
        .is_set()
        .then(|| SCOPE.with(|s| f(&mut s.borrow_mut())))
}

pin_project_lite::pin_project! {
    /// One attempt: the generated call, with its scope visible to the hooks
    /// whenever it is polled, bounded by one timer. (One future instead of a
    /// task-local around a `tokio::time::Timeout`: the call's future is
    /// moved once, not twice, and no scope is swapped in and out.)
    pub(crate) struct Scoped<F> {
        #[pin]
        send: F,
        #[pin]
        timer: tokio::time::Sleep,
        scope: RefCell<Scope>,
    }
}

/// The attempt's timer went off first.
#[derive(Debug)]
pub(crate) struct Elapsed;

impl<F: Future> Scoped<F> {
    pub(crate) fn new(send: F, timeout: Duration, scope: Scope) -> Self {
        Scoped {
            send,
            timer: tokio::time::sleep(timeout),
            scope: RefCell::new(scope),
        }
    }

    /// What the hooks recorded (the scope is left empty).
    pub(crate) fn take_scope(self: Pin<&mut Self>) -> Scope {
        std::mem::take(self.project().scope.get_mut())
    }

    /// Whether the answer came over HTTP/1 (`None`: no answer yet).
    pub(crate) fn http1(self: Pin<&mut Self>) -> Option<bool> {
        self.project().scope.get_mut().http1
    }

    /// What the envelope in a 2xx body said was wrong, if it said so (the
    /// body is kept, for the error's details).
    pub(crate) fn take_declined(self: Pin<&mut Self>) -> Option<String> {
        let scope = self.project().scope.get_mut();
        let body = scope.recorded.as_ref()?.error_body.as_ref()?;
        declined_by(body, scope.envelope?)
    }

    /// Whether a 2xx body was cut at the size cap: what was read of it,
    /// even if it parses (a number's first digits), is not the answer.
    pub(crate) fn success_cut(self: Pin<&mut Self>) -> bool {
        let scope = self.project().scope.get_mut();
        scope.recorded().truncated.is_some_and(|t| t.success)
    }
}

impl<F: Future> Future for Scoped<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let scope: &RefCell<Scope> = this.scope;
        let send = this.send;
        if let Poll::Ready(output) = SCOPE.set(scope, || send.poll(cx)) {
            return Poll::Ready(Ok(output));
        }
        this.timer.poll(cx).map(|()| Err(Elapsed))
    }
}

/// Remembers a secret the request body carries, so nothing echoed back
/// shows it (called by `Password`'s `Serialize`).
pub(crate) fn note_secret(value: &str) {
    if value.len() >= 4 {
        with(|s| {
            let secrets = &mut s.record().secrets;
            if !secrets.iter().any(|v| v == value) {
                secrets.push(value.to_string());
            }
        });
    }
}

pub(super) fn note_invalid(name: &'static str, rule: &'static str) {
    with(|s| s.record().invalid_path = Some((name, rule)));
}

/// Adds the call's own header, if any; in a facade attempt, the bits of
/// the credentials its operation leaves out (`None`: a raw generated call).
pub(super) fn apply_call_headers(headers: &mut HeaderMap) -> Option<u32> {
    with(|s| {
        if let Some(header) = &s.call_header {
            let (name, value) = &**header;
            headers.insert(name.clone(), value.clone());
        }
        s.skip_credentials
    })
}

/// Exec hook: sends the request, records what errors need, and reads the
/// whole body (capped) before returning, so the attempt's timeout covers
/// every byte and no later read can stall. A success with a declared length
/// within the cap is returned as is: the generated code reads it at once,
/// inside the same timeout.
///
/// Not `async`: reqwest takes the request at once (it was going to at the
/// first poll, which comes right away), so the future holds only reqwest's
/// boxed send, not the 264-byte request an `async fn` keeps a slot for.
pub fn execute(
    http: &reqwest::Client,
    request: reqwest::Request,
    _info: &OperationInfo,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static {
    let sending = http.execute(request);
    async move {
        let response = sending.await?;
        let status = response.status();
        let success = status.is_success();
        let (cap, envelope) = with(|s| {
            s.status = Some(status);
            s.http1 = Some(response.version() < http::Version::HTTP_2);
            if !success {
                s.record().error_headers = Some(ErrorHeaders::of(response.headers()));
            }
            if success {
                (s.max_body, s.envelope)
            } else {
                (ERROR_BODY_CAP, None)
            }
        })
        .unwrap_or(if success {
            (DEFAULT_MAX_BODY, None)
        } else {
            (ERROR_BODY_CAP, None)
        });
        // The common case needs no copy: a success whose declared length fits
        // the cap is read by the generated code itself, still inside the
        // attempt's timeout (and hyper never reads past a declared length).
        // A spec with an envelope has every success read here, to be judged.
        if success
            && envelope.is_none()
            && response
                .content_length()
                .is_some_and(|len| len <= cap as u64)
        {
            return Ok(response);
        }
        let (parts, body) = http::Response::from(response).into_parts();
        let (bytes, cut) = read_capped(body, cap).await?;
        // A 2xx the envelope declines keeps its body, for the message (the
        // scope stays small: this is rare, and read twice only then).
        if envelope.is_some_and(|e| declined_by(&bytes, e).is_some()) {
            with(|s| s.record().error_body = Some(bytes.clone()));
        }
        if cut || !success {
            with(|s| {
                let recorded = s.record();
                if cut {
                    recorded.truncated = Some(Truncated { cap, success });
                }
                if !success {
                    recorded.error_body = Some(bytes.clone());
                }
            });
        }
        Ok(reqwest::Response::from(http::Response::from_parts(
            parts, bytes,
        )))
    }
}

/// What a 2xx body says is wrong, when it is a JSON object carrying the
/// envelope's success flag and the envelope rule
/// ([`envelope_failure`](crate::core::envelope_failure)) reads it as a
/// failure (Payabli's `isSuccess: false`, which means failure whatever the
/// status; a `null` or non-boolean flag counts as absent, as it does for
/// the typed answer). A body without the flag is not an envelope (a user
/// record, a page of them): the operation's own schema judges it.
/// Documented for Payabli's writes; for its reads no such answer is
/// documented, and one is a failure all the same rather than an empty record.
fn declined_by(body: &[u8], envelope: &EnvelopeInfo) -> Option<String> {
    let flag = envelope.success.as_bytes();
    if !body.windows(flag.len()).any(|w| w == flag) {
        return None;
    }
    let serde_json::Value::Object(map) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    let flag = map.get(envelope.success)?.as_bool();
    let message = map
        .get(envelope.message)
        .and_then(serde_json::Value::as_str)
        .map(str::to_string);
    crate::core::envelope_failure(&flag, &message, envelope.success_text)
}

/// Reads at most `cap` bytes of `body`; says whether there was more.
/// A single-frame body (the common case) is returned without a copy.
async fn read_capped(mut body: reqwest::Body, cap: usize) -> reqwest::Result<(Bytes, bool)> {
    let mut first: Option<Bytes> = None;
    let mut rest: Option<BytesMut> = None;
    let mut len = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue; // trailers
        };
        len = len.saturating_add(data.len());
        if len > cap {
            let mut kept = rest.take().unwrap_or_else(|| {
                let mut b = BytesMut::with_capacity(cap);
                if let Some(f) = first.take() {
                    b.extend_from_slice(&f);
                }
                b
            });
            let room = cap.saturating_sub(kept.len());
            kept.extend_from_slice(&data[..room.min(data.len())]);
            return Ok((kept.freeze(), true));
        }
        match (&mut first, &mut rest) {
            (None, None) => first = Some(data),
            (Some(f), None) => {
                let mut b = BytesMut::with_capacity(f.len() + data.len());
                b.extend_from_slice(f);
                b.extend_from_slice(&data);
                first = None;
                rest = Some(b);
            }
            (_, Some(b)) => b.extend_from_slice(&data),
        }
    }
    Ok(match (first, rest) {
        (_, Some(b)) => (b.freeze(), false),
        (Some(f), None) => (f, false),
        (None, None) => (Bytes::new(), false),
    })
}

#[cfg(test)]
mod tests {
    /// Every attempt writes its scope as it starts: the credentials mask
    /// rides in the padding, and the scope stays 40 bytes.
    #[test]
    fn the_scope_stays_40_bytes() {
        assert_eq!(std::mem::size_of::<super::Scope>(), 40);
    }
}
