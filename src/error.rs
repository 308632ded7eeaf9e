//! The one error type, [`Error`], that every facade call returns.

use std::fmt;
use std::time::Duration;

/// Which provider a call went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Provider {
    /// HOST Pay (hPay).
    HostPay,
    /// Payabli.
    Payabli,
    /// Any other spec, by its module name (`openapi/<name>.yaml`).
    Other(&'static str),
}

impl Provider {
    /// The provider of the spec file `openapi/<name>.yaml`.
    pub fn from_module(name: &'static str) -> Provider {
        match name {
            "hpay" => Provider::HostPay,
            "payabli" => Provider::Payabli,
            other => Provider::Other(other),
        }
    }

    /// The spec's module name (`hpay`, `payabli`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Provider::HostPay => "hpay",
            Provider::Payabli => "payabli",
            Provider::Other(name) => name,
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where an error happened: provider, operation, HTTP status, request id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context {
    /// The provider called.
    pub provider: Provider,
    /// The spec's `operationId`, e.g. `update_user`.
    pub operation: &'static str,
    /// The HTTP status of the last response, when there was one.
    pub status: Option<u16>,
    /// The server's request id header (`x-request-id`, `request-id`, …),
    /// when sent (boxed: an error stays small).
    pub request_id: Option<Box<str>>,
    /// How many attempts were made (0 when the request was never sent).
    pub attempts: u32,
    /// An attempt before the last may have been acted on by the server
    /// ([`Error::may_have_applied`]), and the call tried again: what the
    /// last one was told (a delete's 404, a create's "already exists") may
    /// be that attempt's doing.
    pub earlier_attempt_may_have_applied: bool,
}

impl Context {
    pub(crate) fn new(provider: Provider, operation: &'static str) -> Self {
        Context {
            provider,
            operation,
            status: None,
            request_id: None,
            attempts: 0,
            earlier_attempt_may_have_applied: false,
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.provider, self.operation)
    }
}

/// Everything that can go wrong, as variants you can match on.
///
/// ```
/// # async fn demo(err: payusers::Error) {
/// use payusers::Error;
/// match &err {
///     Error::Validation { field, rule, .. } => eprintln!("fix {field}: {rule}"),
///     Error::RateLimited { retry_after, .. } => eprintln!("slow down for {retry_after:?}"),
///     Error::Declined { response_text, .. } => eprintln!("declined: {response_text}"),
///     other if other.is_retryable() => eprintln!("try again later: {other}"),
///     other => eprintln!("{other}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting or credential is missing or invalid (raised by `build()`).
    #[error("invalid configuration: `{setting}` {reason}")]
    Config {
        /// The setting, e.g. `HOST_PAY_SECRET_KEY` or `base_url`.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The request was refused locally, before sending: a field breaks a rule.
    #[error("{context}: invalid `{field}`: {rule}")]
    Validation {
        /// The offending field, as named on the wire (e.g. `phone_number`).
        field: &'static str,
        /// The rule it breaks.
        rule: String,
        /// Where.
        context: Context,
    },
    /// 401: credentials missing or wrong.
    #[error(
        "{context}: unauthorized ({}){}",
        status(context),
        message_suffix(message)
    )]
    Unauthorized {
        /// The provider's message, when the body had one.
        message: Option<String>,
        /// Where.
        context: Context,
    },
    /// 403: the credentials are valid but not allowed to do this (an hPay
    /// key without the permission, say). Payabli's docs say an organization
    /// token is refused where an application token is needed, not with
    /// which status: our spec infers 401 ([`Error::Unauthorized`]).
    #[error("{context}: forbidden (403){}", message_suffix(message))]
    Forbidden {
        /// The provider's message, when the body had one.
        message: Option<String>,
        /// Where.
        context: Context,
    },
    /// 404: no such user (or path).
    #[error("{context}: not found (404){}", message_suffix(message))]
    NotFound {
        /// The provider's message, when the body had one.
        message: Option<String>,
        /// Where.
        context: Context,
    },
    /// 400 (or 409/413/422): the provider rejected the request's content.
    #[error(
        "{context}: bad request ({}){}",
        status(context),
        message_suffix(message)
    )]
    BadRequest {
        /// The provider's message, e.g. "app_user_id cannot be changed".
        message: Option<String>,
        /// Where.
        context: Context,
    },
    /// 429: too many requests; `retry_after` is what the server asked for.
    /// Also a call the client's rate limiter held back, unsent, past its
    /// deadline (no status; `retry_after` is the wait left).
    #[error(
        "{context}: rate limited ({}){}{}",
        context.status.map_or_else(|| "not sent".to_string(), |s| s.to_string()),
        retry_suffix(retry_after),
        message_suffix(message)
    )]
    RateLimited {
        /// The `Retry-After` the response carried, when it had one (for a
        /// call held back: the pause left).
        retry_after: Option<Duration>,
        /// The provider's message, when the body had one.
        message: Option<String>,
        /// Where.
        context: Context,
    },
    /// 5xx: the provider failed.
    #[error(
        "{context}: server error ({}){}",
        status(context),
        message_suffix(message)
    )]
    Server {
        /// The provider's message, when the body had one.
        message: Option<String>,
        /// The `Retry-After` the response carried, when it had one.
        retry_after: Option<Duration>,
        /// Where.
        context: Context,
    },
    /// Payabli answered 200 with `isSuccess: false`: the operation failed.
    #[error("{context}: declined by the provider: {response_text}")]
    Declined {
        /// Payabli's `responseText` (usually "Declined").
        response_text: String,
        /// Where.
        context: Context,
    },
    /// No complete answer within the timeout (or a 408 from the server).
    #[error("{context}: timed out{}{}", match context.status { Some(s) => format!(" ({s})"), None => String::new() }, retry_suffix(retry_after))]
    Timeout {
        /// The `Retry-After` a 408 response carried, when it had one.
        retry_after: Option<Duration>,
        /// Where.
        context: Context,
    },
    /// The connection could not be made (in time: a connect timeout is one,
    /// nothing having been sent), or broke before a complete response arrived.
    #[error("{context}: connection failed: {}", causes(source))]
    Connection {
        /// The underlying transport error.
        #[source]
        source: reqwest::Error,
        /// Where.
        context: Context,
    },
    /// The server answered with a redirect; credentials are never forwarded.
    #[error("{context}: refused to follow redirect ({}) to {}", status(context), location.as_deref().unwrap_or("<no Location header>"))]
    Redirect {
        /// The `Location` the server pointed to.
        location: Option<String>,
        /// Where.
        context: Context,
    },
    /// A response we could not understand: an undocumented status, or a body
    /// that does not match the spec.
    #[error(
        "{context}: unexpected response ({}): {reason}; body starts: {body_excerpt:?}",
        status(context)
    )]
    UnexpectedResponse {
        /// Why it could not be used.
        reason: String,
        /// The first bytes of the body (lossy UTF-8, credentials scrubbed).
        body_excerpt: String,
        /// Where.
        context: Context,
    },
}

/// An error and its causes, joined: `error sending request: connection
/// refused` rather than reqwest's bare first line.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        next = cause.source();
    }
    text
}

fn status(context: &Context) -> String {
    context
        .status
        .map_or_else(|| "no status".to_string(), |s| s.to_string())
}

fn message_suffix(message: &Option<String>) -> String {
    message
        .as_ref()
        .map_or_else(String::new, |m| format!(": {m}"))
}

fn retry_suffix(retry_after: &Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |d| {
        format!(", retry after {}s", d.as_secs_f64())
    })
}

impl Error {
    /// The call's context; `None` only for configuration errors.
    pub fn context(&self) -> Option<&Context> {
        match self {
            Error::Config { .. } => None,
            Error::Validation { context, .. }
            | Error::Unauthorized { context, .. }
            | Error::Forbidden { context, .. }
            | Error::NotFound { context, .. }
            | Error::BadRequest { context, .. }
            | Error::RateLimited { context, .. }
            | Error::Server { context, .. }
            | Error::Declined { context, .. }
            | Error::Timeout { context, .. }
            | Error::Connection { context, .. }
            | Error::Redirect { context, .. }
            | Error::UnexpectedResponse { context, .. } => Some(context),
        }
    }

    /// The HTTP status of the response behind this error, if any.
    pub fn status(&self) -> Option<u16> {
        self.context().and_then(|c| c.status)
    }

    /// The request id the server sent, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.context().and_then(|c| c.request_id.as_deref())
    }

    /// The provider the call went to, if the call got that far.
    pub fn provider(&self) -> Option<Provider> {
        self.context().map(|c| c.provider)
    }

    /// The provider's own message (from the error body), when there was one.
    pub fn provider_message(&self) -> Option<&str> {
        match self {
            Error::Unauthorized { message, .. }
            | Error::Forbidden { message, .. }
            | Error::NotFound { message, .. }
            | Error::BadRequest { message, .. }
            | Error::RateLimited { message, .. }
            | Error::Server { message, .. } => message.as_deref(),
            Error::Declined { response_text, .. } => Some(response_text),
            _ => None,
        }
    }

    /// The delay the server asked for with `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. }
            | Error::Server { retry_after, .. }
            | Error::Timeout { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether trying the same request again may succeed: connection errors,
    /// timeouts, 408, 429, 500, 502, 503 and 504.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection { .. } | Error::Timeout { .. } | Error::RateLimited { .. } => true,
            Error::Server { context, .. } => {
                matches!(context.status, Some(500 | 502 | 503 | 504))
            }
            _ => false,
        }
    }

    /// Whether the server may have acted on the request though this error
    /// came back: it was sent, and no answer refused it. A timeout (before
    /// any answer, or after a success's or a 5xx's status, its body
    /// stalled), a connection lost after sending, a 5xx (which may come
    /// after the work), a success that could not be used. Not a refusal
    /// (a 4xx, a 408 included, `Declined`), nor what never left
    /// (validation, a connection never made, a rate-limit hold). See also
    /// [`Context::earlier_attempt_may_have_applied`].
    pub fn may_have_applied(&self) -> bool {
        let sent = self.context().is_some_and(|c| c.attempts > 0);
        sent && match self {
            Error::Timeout { context, .. } => {
                context.status.is_none_or(|s| !(400..500).contains(&s))
            }
            Error::Connection { .. } => !self.never_reached_server(),
            Error::Server { .. } => true,
            Error::UnexpectedResponse { context, .. } => {
                context.status.is_none_or(|s| (200..300).contains(&s))
            }
            _ => false,
        }
    }

    /// Whether the request certainly was never processed by the server (the
    /// connection could not be made, or an HTTP/2 server refused the stream
    /// or closed the connection gracefully before it: RFC 9113 §8.7), so
    /// even a non-idempotent call may be sent again.
    pub fn never_reached_server(&self) -> bool {
        matches!(self, Error::Connection { source, .. }
            if source.is_connect() || crate::transport::refused_unprocessed(source))
    }

    /// A short, stable name for the variant (`rate_limited`, `declined`, …),
    /// as used in traces and journals.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Config { .. } => "config",
            Error::Validation { .. } => "validation",
            Error::Unauthorized { .. } => "unauthorized",
            Error::Forbidden { .. } => "forbidden",
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

    /// Whether this is a local validation failure (nothing was sent).
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation { .. })
    }

    /// Whether the call ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }
}

/// Shorthand for `Result<T, payusers::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
