//! [`Response`]: a successful value plus the HTTP details around it.

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A successful call's typed body with its status, headers and request id.
///
/// `send()` returns just the body; `send_with_response()` returns this.
#[derive(Debug)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
}

impl<T> Response<T> {
    pub(crate) fn new(value: ResponseValue<T>, attempts: u32) -> Self {
        let status = value.status();
        let headers = value.headers().clone();
        Response {
            value: value.into_inner(),
            status,
            headers,
            attempts,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's request id (`x-request-id`, `request-id`, …), if sent.
    pub fn request_id(&self) -> Option<String> {
        crate::transport::request_id(&self.headers)
    }

    /// How many attempts the call took (1 when no retry was needed).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The typed body.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// Takes the typed body.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}
