//! [`Response`]: a successful value plus the HTTP details around it.

use crate::error::Error;
use futures_util::FutureExt as _;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::future::Future;

/// What every `send()` returns: the body of its `send_with_response()`.
///
/// The send methods are plain functions, not `async fn`s: an `async fn`
/// keeps a second copy of its by-value `self` in its future
/// (rust-lang/rust#62958), and each `async` layer is one more copy of the
/// call's whole future as it starts (see `Call::send_checked`).
pub(crate) fn body_of<T>(
    sent: impl Future<Output = Result<Response<T>, Error>>,
) -> impl Future<Output = Result<T, Error>> {
    sent.map(|result| result.map(Response::into_inner))
}

/// A successful call's typed body with its status, headers and request id.
///
/// `send()` returns just the body; `send_with_response()` returns this.
/// Its `Debug` shows header names but not their values (a server may echo
/// a credential in one).
pub struct Response<T> {
    value: ResponseValue<T>,
    attempts: u32,
}

impl<T> Response<T> {
    pub(crate) fn new(value: ResponseValue<T>, attempts: u32) -> Self {
        Response { value, attempts }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.value.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.value.headers()
    }

    /// The server's request id (`x-request-id`, `request-id`, …), if sent.
    pub fn request_id(&self) -> Option<String> {
        crate::transport::request_id(self.value.headers())
    }

    /// How many attempts the call took (1 when no retry was needed).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The context of an error found in this answer after it arrived (an
    /// answer the facade cannot use): its status, attempts and request id,
    /// scrubbed of `secrets`.
    pub(crate) fn context<'s>(
        &self,
        provider: crate::error::Provider,
        operation: &'static str,
        secrets: impl IntoIterator<Item = &'s str>,
    ) -> crate::error::Context {
        let mut context = crate::error::Context::new(provider, operation);
        context.status = Some(self.status().as_u16());
        context.attempts = self.attempts;
        context.request_id = self
            .request_id()
            .map(|id| crate::transport::scrub(&id, secrets).into());
        context
    }

    /// The typed body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Takes the typed body.
    pub fn into_inner(self) -> T {
        self.value.into_inner()
    }

    /// Converts the body, keeping status, headers and attempts.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        let status = self.value.status();
        let headers = self.value.headers().clone();
        Response {
            value: ResponseValue::new(f(self.value.into_inner()), status, headers),
            attempts: self.attempts,
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.value.status())
            .field(
                "headers",
                &self
                    .value
                    .headers()
                    .keys()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("attempts", &self.attempts)
            .field("value", &*self.value)
            .finish()
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}
