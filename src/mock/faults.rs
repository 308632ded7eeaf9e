//! The layer in front of every route: reads and logs the request, applies
//! latency and scripted faults, and stamps `x-request-id` on the answer.

use super::reply::{self, Api};
use super::state::{Action, Fault, RecordedRequest, Shared};
use crate::secret::REDACTED;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::pin::Pin;
use std::sync::Arc;

/// The largest request body the mock accepts (1 MiB); larger is 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Past this many bytes an oversized body is no longer drained: the
/// connection is closed instead.
const DRAIN_LIMIT: usize = 16 * MAX_BODY_BYTES;

/// Header names whose values never reach the request log.
const SENSITIVE: [&str; 4] = ["api-key", "secret-key", "requesttoken", "authorization"];

/// The middleware run for every request, matched or not.
pub(crate) async fn front(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let request_id = shared.request_id();
    let (parts, body) = request.into_parts();
    let api = Api::of(parts.uri.path());
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let read = read_body(body, declared).await;
    shared.record(RecordedRequest {
        method: parts.method.as_str().to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string()),
        headers: redacted_headers(&parts.headers),
        body: match &read {
            Ok(bytes) => redacted_body(bytes),
            Err(_) => format!("[body over {MAX_BODY_BYTES} bytes not recorded]"),
        },
    });

    let (latency, action) = shared.next_action();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut response = match (read, action) {
        (Err(Oversized { drained }), _) => {
            let mut response = reply::error_with(
                api,
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("request body is larger than {MAX_BODY_BYTES} bytes"),
            );
            if !drained {
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            response
        }
        (Ok(_), Action::Drop) => dropped(),
        (Ok(_), Action::Fail(fault)) => failure(api, fault),
        (Ok(bytes), Action::Pass) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// A body over [`MAX_BODY_BYTES`]; `drained` when it was read to the end.
struct Oversized {
    drained: bool,
}

/// Reads the whole body, keeping at most [`MAX_BODY_BYTES`].
///
/// An oversized body is still read (up to [`DRAIN_LIMIT`]) so the client
/// finishes sending and sees the 413 rather than a reset connection.
async fn read_body(mut body: Body, declared: Option<u64>) -> Result<Bytes, Oversized> {
    let cap = MAX_BODY_BYTES as u64;
    if declared.is_some_and(|len| len > DRAIN_LIMIT as u64) {
        return Err(Oversized { drained: false });
    }
    let mut kept: Vec<u8> = Vec::with_capacity(declared.map_or(0, |len| len.min(cap) as usize));
    let mut total: usize = 0;
    loop {
        let frame = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await;
        let Some(frame) = frame else { break };
        let Ok(frame) = frame else {
            // The client went away or sent a broken body.
            return Err(Oversized { drained: false });
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total = total.saturating_add(data.len());
        if total > DRAIN_LIMIT {
            return Err(Oversized { drained: false });
        }
        if total <= MAX_BODY_BYTES {
            kept.extend_from_slice(&data);
        }
    }
    if total > MAX_BODY_BYTES {
        return Err(Oversized { drained: true });
    }
    Ok(Bytes::from(kept))
}

fn redacted_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_string();
            let value = if SENSITIVE.contains(&name.as_str()) {
                REDACTED.to_string()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect()
}

/// The body as text, with a top-level JSON `pwd` string replaced.
fn redacted_body(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if !text.contains("\"pwd\"") {
        return text.into_owned();
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(mut map)) => {
            if let Some(pwd) = map.get_mut("pwd") {
                if !pwd.is_null() {
                    *pwd = serde_json::Value::String(REDACTED.into());
                }
            }
            serde_json::Value::Object(map).to_string()
        }
        // Not an object we understand: keep nothing that could be a password.
        _ => format!("[{} bytes mentioning \"pwd\" not recorded]", bytes.len()),
    }
}

/// The answer to a scripted failure.
fn failure(api: Api, fault: Fault) -> Response {
    let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match fault.body {
        Some(body) => reply::raw(status, body),
        None => reply::error(api, status),
    };
    if let Some(value) = fault
        .retry_after
        .and_then(|v| HeaderValue::from_str(&v).ok())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// A 200 that promises 1 KiB of JSON, sends a few bytes and stops: the server
/// aborts the connection, and the client sees a broken body.
fn dropped() -> Response {
    let partial = Body::from(Bytes::from_static(b"{\"partial\":"));
    // A streamed body has no known length, so the server trusts the header
    // below and breaks the connection when the stream ends early.
    let mut response = Response::new(Body::from_stream(partial.into_data_stream()));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("1024"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(
            redacted_body(br#"{"pwd":"hunter2","name":"A"}"#),
            r#"{"name":"A","pwd":"[redacted]"}"#
        );
        assert!(!redacted_body(br#"{"pwd":"hunter2""#).contains("hunter2"));
        assert_eq!(redacted_body(br#"{"name":"A"}"#), r#"{"name":"A"}"#);
    }
}
