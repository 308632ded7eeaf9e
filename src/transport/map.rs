//! Mapping a generated client's error onto [`Error`].
//!
//! Every string that came from the network (messages, body excerpts,
//! `Location`, request ids, serde's quotes of the body) is scrubbed of the
//! call's secrets before it is put into an error.

use super::scope::{ErrorHeaders, Scope, Truncated};
use super::scrub;
use crate::error::{Context, Error};
use crate::retry::parse_retry_after;
use progenitor_client::Error as RawError;
use reqwest::StatusCode;
use std::time::SystemTime;

/// How much of an unexpected body an error quotes, in characters.
const EXCERPT_CHARS: usize = 256;

/// How much of a body is scrubbed for its excerpt: far more than the
/// excerpt (a secret, in any encoded form, overlapping its end is still
/// found whole), far less than a success body may be (32 MiB, of which
/// scrubbing makes several copies).
const EXCERPT_WINDOW: usize = 64 * 1024;

/// The scrubbed excerpt of `body`: only its first [`EXCERPT_WINDOW`]
/// bytes are read.
fn body_excerpt(body: &[u8], clean: impl Fn(&str) -> String) -> String {
    excerpt(&clean(&String::from_utf8_lossy(
        &body[..body.len().min(EXCERPT_WINDOW)],
    )))
}

/// Message fields tried after the spec's own, for undocumented bodies.
const FALLBACK_MESSAGE_FIELDS: [&str; 5] = ["message", "detail", "error", "responseText", "title"];

/// Everything [`map_error`] needs about one failed attempt.
pub(super) struct Attempt<'a, E> {
    pub(super) raw: RawError<E>,
    pub(super) scope: &'a Scope,
    pub(super) context: Context,
    pub(super) secrets: &'a [&'a str],
    pub(super) error_message: &'static [&'static str],
    pub(super) error_details: &'static [&'static str],
    pub(super) message: &'a (dyn Fn(&E) -> Option<String> + Sync),
    /// When the attempt's time is up (a body not yet read must arrive by then).
    pub(super) body_by: Option<std::time::Instant>,
}

/// Maps a generated client's error onto ours.
pub(super) async fn map_error<E>(attempt: Attempt<'_, E>) -> Error {
    let Attempt {
        raw,
        scope,
        mut context,
        secrets,
        error_message,
        error_details,
        message,
        body_by,
    } = attempt;
    let clean = |text: &str| scrub(text, secrets.iter().copied());
    if let Some(status) = scope.status {
        context.status = Some(status.as_u16());
    }
    let recorded = scope.recorded();
    let headers = recorded.error_headers.clone().unwrap_or_default();
    context.request_id = headers.request_id.as_deref().map(|id| clean(id).into());
    let cut_note = |t: &Option<Truncated>| match t {
        Some(t) if !t.success => format!(" (body cut at {} KiB)", t.cap / 1024),
        _ => String::new(),
    };
    match raw {
        RawError::ErrorResponse(value) => {
            let status = value.status();
            context.status = Some(status.as_u16());
            let body = recorded.error_body.as_deref();
            let message =
                message(&value).or_else(|| body.and_then(|b| message_from_body(b, error_message)));
            let message = with_details(message, body, error_details).map(|m| clean(&m));
            by_status(status, &headers, message, None, context, clean)
        }
        RawError::UnexpectedResponse(response) => {
            let status = response.status();
            context.status = Some(status.as_u16());
            // The exec hook read (and capped) the body unless the status
            // is a 2xx with a declared length, which the generated code
            // reads only for the statuses it documents: a stalled body here
            // ends with the attempt's time, as if the timer had gone off.
            let read = response.bytes();
            let body = match body_by {
                Some(at) => match tokio::time::timeout_at(at.into(), read).await {
                    Ok(body) => body,
                    Err(_) => {
                        return Error::Timeout {
                            retry_after: None,
                            context,
                        };
                    }
                },
                None => read.await,
            }
            .unwrap_or_default();
            let excerpt = body_excerpt(&body, clean) + &cut_note(&recorded.truncated);
            let message = with_details(
                message_from_body(&body, error_message),
                Some(&body),
                error_details,
            )
            .map(|m| clean(&m));
            if status.is_success() {
                return Error::UnexpectedResponse {
                    reason: "status not documented for this operation".into(),
                    body_excerpt: excerpt,
                    context,
                };
            }
            by_status(status, &headers, message, Some(excerpt), context, clean)
        }
        RawError::InvalidResponsePayload(body, err) => {
            let excerpt = body_excerpt(&body, clean) + &cut_note(&recorded.truncated);
            if let Some(t) = recorded.truncated.filter(|t| t.success) {
                return Error::UnexpectedResponse {
                    reason: format!(
                        "the response body is larger than {} bytes (raise `max_response_bytes` if that is expected)",
                        t.cap
                    ),
                    body_excerpt: excerpt,
                    context,
                };
            }
            match scope.status {
                Some(status) if !status.is_success() => {
                    // A documented error status whose body is not the
                    // documented JSON (Payabli does not promise JSON).
                    let message = with_details(
                        message_from_body(&body, error_message),
                        Some(&body),
                        error_details,
                    )
                    .map(|m| clean(&m))
                    .or_else(|| (!excerpt.trim().is_empty()).then(|| excerpt.clone()));
                    by_status(status, &headers, message, Some(excerpt), context, clean)
                }
                _ => Error::UnexpectedResponse {
                    // serde quotes the offending value: scrub it too.
                    reason: clean(&format!("body does not match the spec: {err}")),
                    body_excerpt: excerpt,
                    context,
                },
            }
        }
        RawError::CommunicationError(source)
        | RawError::ResponseBodyError(source)
        | RawError::InvalidUpgrade(source) => {
            // An error status whose body broke off (the connection closed
            // before its declared length): the status and headers still
            // say what it was, as when such a body stalls — a 429's
            // `Retry-After` is kept and waited for, a 404 or a 400 is a
            // refusal, not a connection error to retry.
            if let Some(status) = scope.status.filter(|s| !s.is_success()) {
                let note = "the answer's body broke off before its end".to_string();
                return by_status(status, &headers, Some(note), None, context, clean);
            }
            // A connection not made in time (reqwest's connect timeout
            // says both) sent nothing: a `Connection` error, which even a
            // create may retry.
            if source.is_timeout() && !source.is_connect() {
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
        RawError::InvalidRequest(reason) => match recorded.invalid_path {
            Some((field, rule)) => {
                context.attempts = 0;
                Error::Validation {
                    field,
                    rule: rule.to_string(),
                    context,
                }
            }
            None => Error::Config {
                setting: "request",
                reason: clean(&reason),
            },
        },
        RawError::Custom(reason) => Error::Config {
            setting: "request",
            reason: clean(&reason),
        },
    }
}

/// Picks the error variant for a non-success status.
pub(super) fn by_status(
    status: StatusCode,
    headers: &ErrorHeaders,
    message: Option<String>,
    excerpt: Option<String>,
    context: Context,
    clean: impl Fn(&str) -> String,
) -> Error {
    let retry_after = headers
        .retry_after
        .as_deref()
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    match status.as_u16() {
        300..=399 => Error::Redirect {
            location: headers.location.as_deref().map(clean),
            context,
        },
        401 => Error::Unauthorized { message, context },
        403 => Error::Forbidden { message, context },
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
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A message from a JSON error body: the spec's `error-message` fields
/// first, then common names, then Django REST Framework's validation shape
/// `{"field": ["…"]}` as `field: …`. A list of strings is joined.
pub fn message_from_body(body: &[u8], fields: &[&str]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::Array(items) => {
            let parts: Vec<&str> = items
                .iter()
                .filter_map(|i| i.as_str())
                .filter(|s| !s.trim().is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        _ => None,
    };
    fields
        .iter()
        .chain(FALLBACK_MESSAGE_FIELDS.iter())
        .find_map(|k| value.get(*k).and_then(text))
        .or_else(|| {
            let fields: Vec<String> = value
                .as_object()?
                .iter()
                .filter(|(_, v)| v.is_array())
                .filter_map(|(k, v)| text(v).map(|t| format!("{k}: {t}")))
                .collect();
            (!fields.is_empty()).then(|| fields.join("; "))
        })
}

/// `message` with the text at each of `paths` (dotted, into the JSON
/// `body`) added: `message: detail; detail`. A detail the message already
/// says, or an earlier detail repeats, is left out.
pub fn with_details(
    message: Option<String>,
    body: Option<&[u8]>,
    paths: &[&str],
) -> Option<String> {
    if paths.is_empty() {
        return message;
    }
    let Some(value) = body.and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok()) else {
        return message;
    };
    let mut details: Vec<&str> = Vec::new();
    for path in paths {
        let found = path
            .split('.')
            .try_fold(&value, |v, key| v.get(key))
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty());
        if let Some(text) = found
            && !details.contains(&text)
            && !message.as_deref().is_some_and(|m| m.contains(text))
        {
            details.push(text);
        }
    }
    match (message, details.is_empty()) {
        (message, true) => message,
        (Some(message), false) => Some(format!("{message}: {}", details.join("; "))),
        (None, false) => Some(details.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_added_to_the_message_once() {
        let body = br#"{"responseText":"Unauthorized","responseData":{"explanation":"The token expired.","todoAction":"Create a new token."}}"#;
        let paths = ["responseData.explanation", "responseData.todoAction"];
        assert_eq!(
            with_details(Some("Unauthorized".into()), Some(body), &paths).as_deref(),
            Some("Unauthorized: The token expired.; Create a new token.")
        );
        assert_eq!(
            with_details(None, Some(body), &paths[..1]).as_deref(),
            Some("The token expired.")
        );
        // Said already, not a string, absent, or no JSON: nothing added.
        let same = br#"{"responseData":{"explanation":"Unauthorized","todoAction":7}}"#;
        assert_eq!(
            with_details(Some("Unauthorized".into()), Some(same), &paths).as_deref(),
            Some("Unauthorized")
        );
        let null = br#"{"responseData":null}"#;
        assert_eq!(
            with_details(Some("m".into()), Some(null), &paths).as_deref(),
            Some("m")
        );
        assert_eq!(
            with_details(Some("m".into()), Some(b"<html>"), &paths).as_deref(),
            Some("m")
        );
        assert_eq!(with_details(None, None, &paths), None);
    }

    #[test]
    fn messages_come_from_the_spec_fields_first() {
        let body = br#"{"message":"m","detail":"d"}"#;
        assert_eq!(message_from_body(body, &["detail"]).as_deref(), Some("d"));
        assert_eq!(message_from_body(body, &[]).as_deref(), Some("m"));
        assert_eq!(
            message_from_body(br#"{"detail":["a","b"]}"#, &["detail"]).as_deref(),
            Some("a; b")
        );
        assert_eq!(message_from_body(b"not json", &["detail"]), None);
        // Blank strings are no message, alone or in a list (found by fuzzing).
        assert_eq!(
            message_from_body(br#"{"detail":["", " "]}"#, &["detail"]),
            None
        );
        assert_eq!(
            message_from_body(br#"{"name":["This field is required."]}"#, &["detail"]).as_deref(),
            Some("name: This field is required.")
        );
    }
}
