//! The layer in front of every route: reads and logs the request, applies
//! latency and scripted faults, and stamps `x-request-id` on the answer.

use super::reply;
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
/// Headers redacted in the log besides every spec's credential headers.
const SENSITIVE: [&str; 3] = ["authorization", "cookie", "proxy-authorization"];

/// The middleware run for every request, matched or not.
pub(crate) async fn front(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let request_id = shared.request_id();
    let (parts, body) = request.into_parts();
    let routes = shared.routes.clone();
    let api = routes.api_of(parts.uri.path());
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
        headers: redacted_headers(&parts.headers, &routes),
        body: match &read {
            Ok(bytes) => redacted_body(bytes),
            Err(_) => format!("[body over {MAX_BODY_BYTES} bytes not recorded]"),
        },
        request_id: request_id.clone(),
        received_at: std::time::Instant::now(),
        status: None,
    });

    let (latency, action) = shared.next_action();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let dropped_connection = matches!(action, Action::Drop);
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
    if !dropped_connection {
        shared.answered(&request_id, response.status().as_u16());
    }
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

fn redacted_headers(headers: &HeaderMap, routes: &super::spec::Routes) -> Vec<(String, String)> {
    let credential = |name: &str| {
        routes
            .apis
            .iter()
            .flat_map(|a| &a.credentials)
            .any(|c| c.eq_ignore_ascii_case(name))
    };
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_string();
            let value = if SENSITIVE.contains(&name.as_str()) || credential(&name) {
                REDACTED.to_string()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect()
}

/// The body as the request log keeps it.
///
/// A body with neither `pwd` (in any case) nor a `\u` escape cannot hold a password and
/// is logged as received. Any other JSON body is decoded and logged
/// re-serialized, with the value of every
/// `pwd` member (any case), at any depth, replaced: the key is matched after decoding,
/// so no escape (`"p\u0077d"`) hides it. A body that is not JSON cannot be
/// a user update and is logged as is, unless it could still hold a password
/// (broken JSON that mentions `pwd` or has an escape that may spell it);
/// then only its length is.
fn redacted_body(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return String::new();
    }
    // No `pwd` and no escape that could spell it: nothing to redact, and the
    // body is logged as it came (the common case, without a parse).
    // Any case: a server may read `Pwd` as `pwd`.
    let names_pwd = bytes.windows(3).any(|w| w.eq_ignore_ascii_case(b"pwd"));
    let has_escape = bytes.windows(2).any(|w| w == b"\\u");
    if !names_pwd
        && !has_escape
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return text.to_string();
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(mut value) => {
            redact_passwords(&mut value);
            value.to_string()
        }
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            if names_pwd || has_escape {
                format!(
                    "[{} bytes of malformed JSON that may hold a password not recorded]",
                    bytes.len()
                )
            } else {
                text.into_owned()
            }
        }
    }
}

/// Replaces the value of every non-null `pwd` member (any case) in `value`.
fn redact_passwords(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                if key.eq_ignore_ascii_case("pwd") && !member.is_null() {
                    *member = serde_json::Value::String(REDACTED.into());
                } else {
                    redact_passwords(member);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_passwords),
        _ => {}
    }
}

/// The answer to a scripted failure.
fn failure(api: Option<&super::spec::Api>, fault: Fault) -> Response {
    let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match fault.body {
        Some(body) => reply::raw(status, body),
        None => reply::fault(api, status, fault.retry_after.as_deref()),
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
        // Any case: a server may read `Pwd` as `pwd`.
        assert_eq!(
            redacted_body(br#"{"Pwd":"hunter2","PWD":"hunter3"}"#),
            r#"{"PWD":"[redacted]","Pwd":"[redacted]"}"#
        );
        assert!(!redacted_body(br#"{"pWd":"hunter2""#).contains("hunter2"));
    }

    #[test]
    fn the_key_is_matched_after_decoding_at_any_depth() {
        assert_eq!(
            redacted_body(br#"{"p\u0077d":"hunter2"}"#),
            r#"{"pwd":"[redacted]"}"#
        );
        assert_eq!(
            redacted_body(br#"[{"a":{"pwd":"hunter2"}},{"pwd":null}]"#),
            r#"[{"a":{"pwd":"[redacted]"}},{"pwd":null}]"#
        );
        assert_eq!(
            redacted_body(br#"{"pwd":"one","pwd":"two"}"#),
            r#"{"pwd":"[redacted]"}"#
        );
        assert!(!redacted_body(br#"{"p\u0077d":"hunter2""#).contains("hunter2"));
        assert_eq!(redacted_body(b"plain text"), "plain text");
        assert_eq!(redacted_body(b""), "");
    }
}
