//! JSON answers in each provider's error shape.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Which API a path belongs to, so errors come in that API's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// Under `/hpay`.
    Hpay,
    /// Under `/payabli`.
    Payabli,
    /// Anywhere else (answered in hPay's shape).
    Other,
}

impl Api {
    /// The API a request path belongs to.
    pub(crate) fn of(path: &str) -> Api {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/hpay") {
            Api::Hpay
        } else if under("/payabli") {
            Api::Payabli
        } else {
            Api::Other
        }
    }
}

/// A JSON answer.
pub(crate) fn json(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// hPay's error shape: `{"error": code, "message": text}`.
pub(crate) fn hpay_error(status: StatusCode, message: impl Into<String>) -> Response {
    json(
        status,
        json!({ "error": hpay_code(status), "message": message.into() }),
    )
}

/// Payabli's envelope for a failure: `{"isSuccess": false, "responseText": text, "responseData": null}`.
pub(crate) fn payabli_failure(status: StatusCode, text: impl Into<String>) -> Response {
    json(
        status,
        json!({ "isSuccess": false, "responseText": text.into(), "responseData": null }),
    )
}

/// An error in `api`'s shape with that API's usual wording for `status`.
pub(crate) fn error(api: Api, status: StatusCode) -> Response {
    match api {
        Api::Payabli => payabli_failure(status, payabli_text(status)),
        Api::Hpay | Api::Other => hpay_error(status, hpay_text(status)),
    }
}

/// An error in `api`'s shape with a custom message.
pub(crate) fn error_with(api: Api, status: StatusCode, message: impl Into<String>) -> Response {
    match api {
        Api::Payabli => payabli_failure(status, message),
        Api::Hpay | Api::Other => hpay_error(status, message),
    }
}

/// A verbatim body: JSON content type when it parses as JSON, text otherwise.
pub(crate) fn raw(status: StatusCode, body: String) -> Response {
    let content_type = if serde_json::from_str::<Value>(&body).is_ok() {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    };
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn hpay_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        413 => "payload_too_large",
        429 => "rate_limited",
        500 => "internal_error",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        _ => "error",
    }
}

fn hpay_text(status: StatusCode) -> String {
    match status.as_u16() {
        401 => "Invalid API credentials".into(),
        429 => "Too many requests".into(),
        500 => "Internal server error".into(),
        _ => reason(status),
    }
}

fn payabli_text(status: StatusCode) -> String {
    match status.as_u16() {
        401 => "Unauthorized".into(),
        429 => "Too many requests".into(),
        500 => "Internal API error".into(),
        503 => "Database connection error".into(),
        _ => reason(status),
    }
}

fn reason(status: StatusCode) -> String {
    status
        .canonical_reason()
        .map_or_else(|| format!("HTTP {}", status.as_u16()), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apis_by_prefix() {
        assert_eq!(Api::of("/hpay/api/v1/users/x/"), Api::Hpay);
        assert_eq!(Api::of("/payabli/api/User/1"), Api::Payabli);
        assert_eq!(Api::of("/hpayx"), Api::Other);
        assert_eq!(Api::of("/"), Api::Other);
    }
}
