//! Answers in each provider's shape, derived from its spec: an envelope
//! (Payabli's `{"isSuccess": false, "responseText": …, "responseData":
//! {"explanation": …}}`, the first `error-details` path saying the text
//! again on an error status) when the spec declares one, else the first `error-message` field
//! (hPay's `{"detail": …}`).

use super::spec::Api;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// A JSON answer.
pub(crate) fn json(status: StatusCode, body: impl serde::Serialize) -> Response {
    (status, Json(body)).into_response()
}

/// An error (or a 200 failure) in the API's own shape.
pub(crate) fn error_with(
    api: Option<&Api>,
    status: StatusCode,
    text: impl Into<String>,
) -> Response {
    json(status, error_body(api, text.into(), !status.is_success()))
}

/// The body of an error in the API's own shape; `detailed`, an error
/// status's (a 200 declining is documented with `responseData: null`).
pub(crate) fn error_body(api: Option<&Api>, text: String, detailed: bool) -> Value {
    match api {
        Some(
            api @ Api {
                envelope: Some((success, message, props)),
                ..
            },
        ) => {
            let mut body = Map::new();
            for p in props {
                body.insert(p.clone(), Value::Null);
            }
            body.insert(success.clone(), Value::Bool(false));
            // The first detail (Payabli's `responseData.explanation`) says
            // it again, so a client reading either finds the reason.
            if let Some(path) = api.error_details.first().filter(|_| detailed) {
                let mut keys = path.split('.');
                let top = keys.next().unwrap_or_default();
                let rest: Vec<&str> = keys.collect();
                let detail = rest.iter().rev().fold(
                    Value::String(text.clone()),
                    |inner, key| json!({ *key: inner }),
                );
                body.insert(top.to_string(), detail);
            }
            body.insert(message.clone(), Value::String(text));
            Value::Object(body)
        }
        Some(api) => json!({ api.error_field.clone(): text }),
        None => json!({ "detail": text }),
    }
}

/// A successful envelope (`isSuccess: true`, `responseText: "Success"`,
/// `responseData`), for APIs that have one.
pub(crate) fn success(api: &Api, data: Value) -> Response {
    let Some((success, message, props)) = &api.envelope else {
        return json(StatusCode::OK, data);
    };
    let mut body = Map::new();
    for p in props {
        body.insert(p.clone(), Value::Null);
    }
    body.insert(success.clone(), Value::Bool(true));
    body.insert(message.clone(), Value::String("Success".into()));
    if props.iter().any(|p| p == "responseData") {
        body.insert("responseData".into(), data);
    }
    json(StatusCode::OK, Value::Object(body))
}

/// The error an injected fault answers with: the provider's words for the
/// documented statuses, the reason phrase otherwise. `retry_after`, the
/// `Retry-After` it carries, is in hPay's (Django REST Framework's) 429
/// text when it is whole seconds, as the spec's example shows it.
pub(crate) fn fault(api: Option<&Api>, status: StatusCode, retry_after: Option<&str>) -> Response {
    let enveloped = api.is_some_and(|a| a.envelope.is_some());
    let text = match (status.as_u16(), enveloped) {
        (401, true) => "Unauthorized".into(),
        (401, false) => "Invalid API credentials".into(),
        (403, _) => "You do not have permission to perform this action.".into(),
        (429, true) => "Too many requests".into(),
        (429, false) => match retry_after.and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(1) => "Request was throttled. Expected available in 1 second.".into(),
            Some(wait) => format!("Request was throttled. Expected available in {wait} seconds."),
            None => "Request was throttled.".into(),
        },
        (500, true) => "Internal API error".into(),
        (500, false) => "A server error occurred.".into(),
        (503, true) => "Database connection error".into(),
        _ => reason(status),
    };
    error_with(api, status, text)
}

/// A raw scripted body, typed JSON when it parses.
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

fn reason(status: StatusCode) -> String {
    status
        .canonical_reason()
        .map_or_else(|| format!("HTTP {}", status.as_u16()), str::to_string)
}
