//! Operations chosen at run time (by `payusers api`): any operation of any
//! bundled spec, by its `operationId`, with parameters as text and the body
//! as JSON — through the same [`Call`](super::Call) and retry loop as the
//! typed methods.
//!
//! ```
//! # #[tokio::main] async fn main() -> Result<(), payusers::Error> {
//! # let mock = payusers::mock::MockServer::start().await.unwrap();
//! use payusers::core::{ClientBuilder, Dynamic, DynamicOp};
//! let info = payusers::core::spec_info("hpay").unwrap();
//! let client = ClientBuilder::<Dynamic>::for_info(info)
//!     .credential("api-key", mock.credentials().hpay_api_key.clone())?
//!     .credential("secret-key", mock.credentials().hpay_secret_key.clone())?
//!     .base_url(mock.hpay_base_url())
//!     .build()?;
//! let op = DynamicOp::new(info, "get_user", &[("user_id".into(), "user_abc123".into())], None)?;
//! let user = client.call(op).send().await?;
//! assert_eq!(user["name"], "John Doe");
//! # Ok(()) }
//! ```

use super::spec::{OperationMeta, Spec, SpecInfo, Target, envelope_failure};
use crate::error::{Context, Error, Provider};
use crate::transport::{Auth, segment_rule};
use progenitor_client::{ClientInfo, Error as RawError, OperationInfo, ResponseValue};
use serde_json::Value;
use std::future::Future;

/// The metadata of bundled spec `module` (`hpay`, `payabli`, …).
pub fn spec_info(module: &str) -> Option<&'static SpecInfo> {
    crate::generated::SPECS
        .iter()
        .find(|(m, _)| *m == module)
        .map(|(_, info)| *info)
}

/// Marks a client whose spec is chosen at run time; build it with
/// [`ClientBuilder::for_info`](super::ClientBuilder::for_info).
#[derive(Debug, Clone, Copy)]
pub enum Dynamic {}

/// The HTTP side of a [`Dynamic`] client.
#[derive(Clone, Debug)]
pub struct DynamicRaw {
    base_url: String,
    http: reqwest::Client,
    auth: Auth,
}

impl ClientInfo<Auth> for DynamicRaw {
    fn api_version() -> &'static str {
        ""
    }
    fn baseurl(&self) -> &str {
        &self.base_url
    }
    fn client(&self) -> &reqwest::Client {
        &self.http
    }
    fn inner(&self) -> &Auth {
        &self.auth
    }
}

static NO_SPEC: SpecInfo = SpecInfo {
    title: "no spec (use ClientBuilder::for_info)",
    base_url_env: None,
    error_message: &[],
    error_details: &[],
    envelope: None,
    idempotency_header: None,
    password_fields: &[],
    credentials: &[],
    security: &[&[]],
    environments: &[],
    operations: &[],
};

impl Spec for Dynamic {
    type Raw = DynamicRaw;
    type Environment = Target;
    fn info() -> &'static SpecInfo {
        &NO_SPEC
    }
    fn raw(base_url: &str, http: reqwest::Client, auth: Auth) -> DynamicRaw {
        DynamicRaw {
            base_url: base_url.to_string(),
            http,
            auth,
        }
    }
}

/// One operation of a run-time spec, with its path already encoded.
///
/// Its `Debug` shows the body with the value of every property the spec
/// declares a password (`format: password`, Payabli's `pwd`) redacted, and
/// an error never quotes one: the attempt scrubs them as it does a typed
/// body's.
#[derive(Clone)]
pub struct DynamicOp {
    info: &'static SpecInfo,
    meta: &'static OperationMeta,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    body: Option<Value>,
    /// The value of the path parameter an answer must name
    /// (`x-payusers-echo`), when the operation has one.
    asked: Option<String>,
}

impl DynamicOp {
    /// Operation `id` of `info` with `params` (path, header and query, by
    /// their spec names) and an optional JSON body. Path parameters are
    /// encoded as exactly one segment, and a missing one is refused here;
    /// header parameters go in headers (a value a header cannot carry is
    /// refused here); every other parameter is sent as a query parameter. Names and values are
    /// checked against the spec by `payusers::mock::check_call` (which
    /// `payusers api` runs first), or else by the server.
    pub fn new(
        info: &'static SpecInfo,
        id: &str,
        params: &[(String, String)],
        body: Option<Value>,
    ) -> Result<DynamicOp, Error> {
        let provider = provider_of(info);
        let meta = info.operation(id).ok_or_else(|| Error::Config {
            setting: "operation",
            reason: format!("`{id}` is not an operation of {}", info.title),
        })?;
        let invalid = |field: &'static str, rule: String| Error::Validation {
            field,
            rule,
            context: Context::new(provider, meta.id),
        };
        let mut path = String::new();
        let mut used = Vec::new();
        for piece in meta.path.split_inclusive(['{', '}']) {
            if let Some(name) = piece.strip_suffix('}') {
                let value = params
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v)
                    .ok_or_else(|| invalid("path", format!("`{name}` is required")))?;
                if let Some(rule) = segment_rule(value) {
                    return Err(invalid("path", format!("`{name}` {rule}")));
                }
                path.push_str(&crate::transport::encode_segment(value));
                used.push(name.to_string());
            } else {
                path.push_str(piece.trim_end_matches('{'));
            }
        }
        let (header_params, query): (Vec<_>, Vec<_>) = params
            .iter()
            .filter(|(k, _)| !used.contains(k))
            .cloned()
            .partition(|(k, _)| meta.header_params.iter().any(|h| h.eq_ignore_ascii_case(k)));
        let headers = header_params
            .into_iter()
            .map(|(name, value)| {
                let header = reqwest::header::HeaderName::from_bytes(name.as_bytes());
                let value = reqwest::header::HeaderValue::from_str(&value);
                match (header, value) {
                    (Ok(header), Ok(value)) => Ok((header, value)),
                    _ => Err(invalid(
                        "header",
                        format!("`{name}` must be a header name and value (visible ASCII)"),
                    )),
                }
            })
            .collect::<Result<_, _>>()?;
        let asked = meta.echo.and_then(|(param, _)| {
            params
                .iter()
                .find(|(k, _)| k == param)
                .map(|(_, v)| v.clone())
        });
        Ok(DynamicOp {
            info,
            meta,
            path,
            query,
            headers,
            body,
            asked,
        })
    }
}

impl DynamicOp {
    /// `text` with every password this operation's body carries replaced
    /// by `[redacted]`, in the forms errors are scrubbed of (plain,
    /// percent-encoded, JSON-escaped): for printing a success answer,
    /// which a server may make an echo of the request.
    pub fn scrub(&self, text: &str) -> String {
        let mut found = Vec::new();
        if let Some(body) = &self.body {
            passwords(body, self.info.password_fields, &mut found);
        }
        if found.is_empty() {
            return text.to_string();
        }
        crate::transport::scrub(text, found)
    }
}

impl std::fmt::Debug for DynamicOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = self.body.as_ref().map(|body| {
            let mut shown = body.clone();
            redact(&mut shown, self.info.password_fields);
            shown
        });
        f.debug_struct("DynamicOp")
            .field("operation", &self.meta.id)
            .field("path", &self.path)
            .field("query", &self.query)
            // Names only: a header parameter may carry a token.
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("body", &body)
            .finish()
    }
}

/// Whether property `name` is one of the password `fields`, in any case (a
/// server may read `Pwd` as `pwd`).
fn is_password(name: &str, fields: &[&str]) -> bool {
    fields.iter().any(|f| f.eq_ignore_ascii_case(name))
}

/// Each string value of a property named in `fields`, anywhere in `value`.
fn passwords<'v>(value: &'v Value, fields: &[&str], found: &mut Vec<&'v str>) {
    match value {
        Value::Object(map) => {
            for (name, v) in map {
                match v {
                    Value::String(text) if is_password(name, fields) => found.push(text),
                    _ => passwords(v, fields, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| passwords(v, fields, found)),
        _ => {}
    }
}

/// Replaces every value `passwords` finds with `"[redacted]"`.
fn redact(value: &mut Value, fields: &[&str]) {
    match value {
        Value::Object(map) => {
            for (name, v) in map.iter_mut() {
                if v.is_string() && is_password(name, fields) {
                    *v = Value::String(crate::secret::REDACTED.into());
                } else {
                    redact(v, fields);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact(v, fields)),
        _ => {}
    }
}

fn provider_of(info: &'static SpecInfo) -> Provider {
    crate::generated::SPECS
        .iter()
        .find(|(_, i)| std::ptr::eq(*i, info))
        .map_or(Provider::Other("dynamic"), |(m, _)| {
            Provider::from_module(m)
        })
}

impl super::Operation for DynamicOp {
    type Spec = Dynamic;
    type Output = Value;
    type ErrorBody = Value;

    fn meta(&self) -> &'static OperationMeta {
        self.meta
    }

    #[allow(clippy::manual_async_fn)] // the trait spells out the `Send` bound
    fn send<'a>(
        &'a self,
        raw: &'a DynamicRaw,
    ) -> impl Future<Output = Result<ResponseValue<Value>, RawError<Value>>> + Send + 'a {
        async move {
            let method = reqwest::Method::from_bytes(self.meta.method.as_bytes())
                .map_err(|e| RawError::InvalidRequest(e.to_string()))?;
            let mut builder = raw
                .http
                .request(method, format!("{}{}", raw.base_url, self.path))
                .header(reqwest::header::ACCEPT, "application/json");
            if !self.query.is_empty() {
                builder = builder.query(&self.query);
            }
            for (name, value) in &self.headers {
                builder = builder.header(name.clone(), value.clone());
            }
            if let Some(body) = &self.body {
                // As a typed body's `Password` does when serialized: the
                // attempt remembers each, so no error quotes one back.
                let mut found = Vec::new();
                passwords(body, self.info.password_fields, &mut found);
                found.into_iter().for_each(crate::transport::note_secret);
                builder = builder.json(body);
            }
            let mut request = builder.build()?;
            let info = OperationInfo {
                operation_id: self.meta.id,
            };
            crate::transport::before_send(&raw.auth, &mut request, &info);
            let response = crate::transport::execute(&raw.http, request, &info).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response
                .bytes()
                .await
                .map_err(RawError::ResponseBodyError)?;
            // An empty success is `null`, unless the spec's answers are its
            // envelope (Payabli's): then nothing is no answer, as the typed
            // path has it.
            let enveloped = status.is_success() && self.info.envelope.is_some();
            let parsed: Result<Value, _> = if bytes.is_empty() && !enveloped {
                Ok(Value::Null)
            } else {
                serde_json::from_slice(&bytes)
            };
            match (status.is_success(), parsed) {
                (true, Ok(value)) => Ok(ResponseValue::new(value, status, headers)),
                (_, Err(e)) => Err(RawError::InvalidResponsePayload(bytes, e)),
                (false, Ok(value)) => Err(RawError::ErrorResponse(ResponseValue::new(
                    value, status, headers,
                ))),
            }
        }
    }

    fn failure(&self, output: &Value) -> Option<String> {
        let envelope = self.info.envelope?;
        // Only a body shaped like the envelope is judged by it (a list is not).
        if output.get(envelope.success).is_none() && output.get(envelope.message).is_none() {
            return None;
        }
        let success = output.get(envelope.success).and_then(Value::as_bool);
        let message = output
            .get(envelope.message)
            .and_then(Value::as_str)
            .map(str::to_string);
        envelope_failure(&success, &message, envelope.success_text)
    }

    fn astray(&self, output: &Value) -> Option<String> {
        let (param, field) = self.meta.echo?;
        let answer = output.get(field).unwrap_or(&Value::Null);
        super::astray(param, &self.asked, field, answer)
    }

    fn message(&self, body: &Value) -> Option<String> {
        self.info
            .error_message
            .iter()
            .find_map(|k| body.get(*k).and_then(Value::as_str))
            .map(str::to_string)
    }
}
