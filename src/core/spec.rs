//! What the generated code tells the core about a spec and its operations.
//!
//! `codegen` emits, per `openapi/<name>.yaml`, one [`SpecInfo`] value, one
//! [`Spec`] marker type and one [`Operation`] type per operation. The core
//! reads only these; nothing in it names a provider.

use crate::transport::Auth;
use progenitor_client::{ClientInfo, Error as RawError, ResponseValue};
use std::fmt;
use std::future::Future;

/// What a spec says beyond types (see `x-payusers` in the README).
#[derive(Debug, PartialEq, Eq)]
pub struct SpecInfo {
    /// `info.title`.
    pub title: &'static str,
    /// The variable that overrides the base URL in `from_env`, if any.
    pub base_url_env: Option<&'static str>,
    /// JSON fields of an error body that carry the provider's message, in order.
    pub error_message: &'static [&'static str],
    /// Dotted paths into an error body (or a declined envelope) whose text
    /// is added to the message (Payabli's `responseData.explanation`).
    pub error_details: &'static [&'static str],
    /// A success body that may still report failure, if the provider has one.
    pub envelope: Option<EnvelopeInfo>,
    /// The header carrying an idempotency key, if the provider accepts one.
    pub idempotency_header: Option<&'static str>,
    /// Every property the spec declares a `format: password` string: kept
    /// out of `Debug` and scrubbed from errors when a run-time body carries one.
    pub password_fields: &'static [&'static str],
    /// The credential headers the spec declares.
    pub credentials: &'static [CredentialInfo],
    /// The spec's top-level `security`: what `build()` requires (see
    /// [`OperationMeta::security`]).
    pub security: &'static [&'static [usize]],
    /// The spec's `servers`, the first being the default.
    pub environments: &'static [EnvironmentInfo],
    /// Every operation, sorted by id.
    pub operations: &'static [OperationMeta],
}

impl SpecInfo {
    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&'static OperationMeta>
    where
        Self: 'static,
    {
        self.operations.iter().find(|o| o.id == id)
    }

    /// The environment with this name (`sandbox`, `production`, …).
    pub fn environment(&'static self, name: &str) -> Option<&'static EnvironmentInfo> {
        self.environments.iter().find(|e| e.name == name)
    }
}

/// Names of the envelope's success flag and message (JSON property names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvelopeInfo {
    /// `false` here is a failure (Payabli's `isSuccess`); absent, `null`
    /// or not a boolean, the message decides (see [`envelope_failure`]).
    pub success: &'static str,
    /// The text that explains it (Payabli's `responseText`).
    pub message: &'static str,
    /// When the success flag is absent, this message alone means success
    /// (Payabli's delete answers only `{"responseText": "Success"}`).
    pub success_text: Option<&'static str>,
}

/// One credential header (an `apiKey` security scheme).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialInfo {
    /// The security scheme's name in the spec.
    pub scheme: &'static str,
    /// The header it is sent in.
    pub header: &'static str,
    /// The environment variable `from_env` reads it from.
    pub env: Option<&'static str>,
    /// The builder method that sets it (and the name errors use).
    pub setter: &'static str,
}

/// One server of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvironmentInfo {
    /// snake_case name (`sandbox`).
    pub name: &'static str,
    /// Base URL.
    pub url: &'static str,
    /// The server's description.
    pub description: &'static str,
    /// (header, prefix): credentials this environment requires to start with
    /// the prefix (hPay's `sandbox` needs an `hpay_test_` secret key).
    pub credential_prefixes: &'static [(&'static str, &'static str)],
}

/// One operation of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMeta {
    /// The `operationId`, also the Rust method name.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template relative to the base URL.
    pub path: &'static str,
    /// `x-payusers-idempotent`: a POST that is safe to retry.
    pub idempotent: bool,
    /// The operation's summary.
    pub summary: &'static str,
    /// The spec names of its `in: header` parameters.
    pub header_params: &'static [&'static str],
    /// Its `security` (the spec's when it has none of its own): any one of
    /// these alternatives will do, each the indexes into
    /// [`SpecInfo::credentials`] it sends together. A call sends the first
    /// whose credentials are all set, and only those; `&[&[]]` sends none.
    pub security: &'static [&'static [usize]],
    /// `x-payusers-echo`: (path parameter, success answer's property) that
    /// must name the same resource.
    pub echo: Option<(&'static str, &'static str)>,
}

/// The set credentials (bit `i` for credential `i` in `set`) a call with
/// `security` leaves out: all but those of the first alternative with
/// credentials that the client holds whole, or else of an alternative that
/// needs none (`{}`, "authentication optional", goes last: a client holding
/// a key sends it). `Err`: no alternative is whole; the index of the first
/// credential the first alternative lacks, if any.
pub(crate) fn credentials_left_out(security: &[&[usize]], set: u32) -> Result<u32, Option<usize>> {
    // Past 32 credentials there is no bit: such a one is never held
    // (`build()` refuses a spec with more).
    let held = |i: &usize| *i < 32 && set & (1u32 << i) != 0;
    let bits = |needs: &[usize]| {
        needs
            .iter()
            .filter(|i| **i < 32)
            .fold(0u32, |b, i| b | 1 << i)
    };
    let chosen = security
        .iter()
        .filter(|needs| !needs.is_empty())
        .find(|needs| needs.iter().all(held))
        .or_else(|| security.iter().find(|needs| needs.is_empty()));
    match chosen {
        Some(needs) => Ok(set & !bits(needs)),
        None => Err(security
            .first()
            .and_then(|needs| needs.iter().find(|i| !held(i)))
            .copied()),
    }
}

impl OperationMeta {
    /// Whether a failed attempt may be sent again without an idempotency
    /// key: GET, HEAD, OPTIONS, PUT, DELETE, or marked idempotent.
    pub fn retry_safe(&self) -> bool {
        self.idempotent || matches!(self.method, "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE")
    }
}

/// Where a client sends requests: a server of the spec or any URL.
///
/// `Debug` shows a URL only when it parses and embeds no user info (which
/// `build()` refuses, but a builder may be printed first).
#[derive(Clone, PartialEq, Eq)]
pub enum Target {
    /// A server named in the spec.
    Named(&'static EnvironmentInfo),
    /// Any base URL (`https`, or `http` on loopback).
    Url(String),
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Named(env) => f.debug_tuple("Named").field(env).finish(),
            Target::Url(url) => {
                let plain = reqwest::Url::parse(url)
                    .is_ok_and(|u| u.username().is_empty() && u.password().is_none());
                let shown = if plain {
                    url.as_str()
                } else {
                    crate::secret::REDACTED
                };
                f.debug_tuple("Url").field(&shown).finish()
            }
        }
    }
}

impl Target {
    /// The base URL.
    pub fn url(&self) -> &str {
        match self {
            Target::Named(env) => env.url,
            Target::Url(url) => url,
        }
    }
}

/// A spec the generic client can talk to (emitted by codegen as `ApiSpec`).
pub trait Spec: Sized + Send + Sync + 'static {
    /// The generated (progenitor) client.
    type Raw: ClientInfo<Auth> + Clone + Send + Sync + 'static;
    /// The spec's environment enum.
    type Environment: Into<Target>;
    /// The spec's metadata.
    fn info() -> &'static SpecInfo;
    /// Builds the generated client.
    fn raw(base_url: &str, http: reqwest::Client, auth: Auth) -> Self::Raw;
}

/// One operation's arguments and how to send them (emitted by codegen per
/// operation as `ops::<Name>`).
pub trait Operation: Send + Sync {
    /// The spec it belongs to.
    type Spec: Spec;
    /// The decoded success body.
    type Output: Send + 'static;
    /// The decoded body of documented error statuses.
    type ErrorBody: Send + 'static;
    /// The operation's metadata.
    fn meta(&self) -> &'static OperationMeta;
    /// Sends one attempt through the generated client.
    fn send<'a>(
        &'a self,
        raw: &'a <Self::Spec as Spec>::Raw,
    ) -> impl Future<Output = Result<ResponseValue<Self::Output>, RawError<Self::ErrorBody>>> + Send + 'a;
    /// Checks the arguments against the spec's rules that the generated
    /// types cannot hold (see [`Check`](super::Check)); every call runs it
    /// before its first attempt.
    fn check(&self) -> Result<(), super::Invalid> {
        Ok(())
    }
    /// `Some(text)` when a success body reports failure (the envelope).
    fn failure(&self, _output: &Self::Output) -> Option<String> {
        None
    }
    /// `Some(why)` when a success body is about another resource than the
    /// one asked for (`x-payusers-echo`, see [`astray`](super::astray)).
    fn astray(&self, _output: &Self::Output) -> Option<String> {
        None
    }
    /// The provider's message in a documented error body.
    fn message(&self, _body: &Self::ErrorBody) -> Option<String> {
        None
    }
}

/// A string field of a generated type, optional or not.
pub trait Text {
    /// The text, when there is some.
    fn text(&self) -> Option<String>;
}

impl Text for String {
    fn text(&self) -> Option<String> {
        (!self.is_empty()).then(|| self.clone())
    }
}

impl Text for Option<String> {
    fn text(&self) -> Option<String> {
        self.as_ref().and_then(Text::text)
    }
}

/// A boolean field of a generated type, optional or not.
pub trait Flag {
    /// `Some(true)` only when the field is present and true.
    fn flag(&self) -> Option<bool>;
}

impl Flag for bool {
    fn flag(&self) -> Option<bool> {
        Some(*self)
    }
}

impl Flag for Option<bool> {
    fn flag(&self) -> Option<bool> {
        *self
    }
}

/// The envelope rule: a present `true` is success; `false` is a failure,
/// explained by the message; an absent flag is success only when the message
/// is exactly `success_text`.
pub fn envelope_failure(
    success: &impl Flag,
    message: &impl Text,
    success_text: Option<&str>,
) -> Option<String> {
    match success.flag() {
        Some(true) => None,
        Some(false) => Some(
            message
                .text()
                .unwrap_or_else(|| "Declined (no message)".into()),
        ),
        None => match message.text() {
            Some(m) if Some(m.as_str()) == success_text => None,
            Some(m) => Some(format!("{m} (no success flag in the answer)")),
            None => Some("the answer carries neither a success flag nor a message".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_rule() {
        let ok = Some("Success");
        let text = |s: &str| Some(s.to_string());
        assert_eq!(envelope_failure(&Some(true), &text("Success"), ok), None);
        assert_eq!(
            envelope_failure(&Some(false), &text("Declined"), ok),
            Some("Declined".into())
        );
        assert_eq!(
            envelope_failure(&false, &String::new(), ok),
            Some("Declined (no message)".into())
        );
        assert_eq!(envelope_failure(&None::<bool>, &text("Success"), ok), None);
        assert!(envelope_failure(&None::<bool>, &text("Success"), None).is_some());
        assert!(envelope_failure(&None::<bool>, &text("Declined"), ok).is_some());
        assert!(envelope_failure(&None::<bool>, &None::<String>, ok).is_some());
    }

    #[test]
    fn the_credentials_a_call_sends() {
        // Credentials 0 and 1 set (bits 0b11).
        assert_eq!(credentials_left_out(&[&[0, 1]], 0b11), Ok(0));
        assert_eq!(credentials_left_out(&[&[0], &[1]], 0b11), Ok(0b10));
        assert_eq!(credentials_left_out(&[&[0], &[1]], 0b10), Ok(0));
        assert_eq!(credentials_left_out(&[&[]], 0b11), Ok(0b11));
        // Optional authentication: a key held is sent, in either order.
        assert_eq!(credentials_left_out(&[&[], &[0]], 0b01), Ok(0));
        assert_eq!(credentials_left_out(&[&[0], &[]], 0b00), Ok(0));
        assert_eq!(credentials_left_out(&[&[], &[0]], 0b00), Ok(0));
        // None whole: the first alternative's first missing credential.
        assert_eq!(credentials_left_out(&[&[0, 1]], 0b01), Err(Some(1)));
        assert_eq!(credentials_left_out(&[&[2], &[1]], 0b01), Err(Some(2)));
        // A credential past 32 bits is never taken as held.
        assert_eq!(credentials_left_out(&[&[32]], u32::MAX), Err(Some(32)));
    }

    #[test]
    fn retry_safety_follows_the_method() {
        let op = |method, idempotent| OperationMeta {
            id: "x",
            method,
            path: "/",
            idempotent,
            summary: "",
            header_params: &[],
            security: &[&[]],
            echo: None,
        };
        assert!(op("GET", false).retry_safe());
        assert!(op("PUT", false).retry_safe());
        assert!(op("DELETE", false).retry_safe());
        assert!(!op("POST", false).retry_safe());
        assert!(!op("PATCH", false).retry_safe());
        assert!(op("POST", true).retry_safe());
    }
}
