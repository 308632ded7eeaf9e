//! What a spec says beyond types: environments, credentials, the success
//! envelope, error messages, idempotency. Read from standard OpenAPI fields
//! (`servers`, `securitySchemes`, operations) and from `x-payusers`
//! extensions, then emitted as a `crate::core::SpecInfo` value.
//!
//! The extensions (all optional):
//!
//! ```yaml
//! x-payusers:                       # at the root
//!   base-url-env: PAYABLI_BASE_URL  # variable that overrides the base URL
//!   error-message: [responseText]   # JSON fields of an error body holding the message, in order
//!   error-details: [responseData.explanation, responseData.todoAction]  # dotted paths appended to it
//!   envelope:                       # a 2xx body that can still mean failure
//!     schema: PayabliApiResponse
//!     success: isSuccess            # anything but `true` is a failure
//!     message: responseText
//!     success-text: Success         # with no success flag, this message means success
//!   idempotency-header: Idempotency-Key
//! servers:
//!   - url: https://…
//!     x-payusers-environment: sandbox                 # the Rust variant name, snake_case
//!     x-payusers-credential-prefix: {secretKey: hpay_test_}  # keys this environment requires
//! components:
//!   securitySchemes:
//!     requestToken:                 # type apiKey, in header
//!       x-payusers-env: PAYABLI_API_TOKEN
//!       x-payusers-setter: token    # builder method; default: the scheme name in snake_case
//! paths:
//!   /User:
//!     post:
//!       x-payusers-idempotent: true # a POST that is safe to retry
//!   /User/{userId}:
//!     get:
//!       # A success answer names the resource it is about; it must be the
//!       # one the path parameter asked for (ASCII case aside), or the call
//!       # is an `UnexpectedResponse`.
//!       x-payusers-echo: {param: userId, field: userId}
//! ```

use super::CodegenError;
use serde_json::Value;

/// Everything the facade needs to know about one spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub base_url_env: Option<String>,
    pub error_message: Vec<String>,
    /// Dotted paths into an error body (or a declined envelope) whose text
    /// is added to the message.
    pub error_details: Vec<String>,
    pub envelope: Option<Envelope>,
    pub idempotency_header: Option<String>,
    /// Every property name whose schema is a `format: password` string,
    /// anywhere in the spec (sorted, once each).
    pub password_fields: Vec<String>,
    pub environments: Vec<Environment>,
    pub credentials: Vec<Credential>,
    /// The spec's top-level `security`, as [`Operation::security`].
    pub security: Vec<Vec<usize>>,
    pub operations: Vec<Operation>,
}

/// A success envelope: a schema whose `success` field must be `true`.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub schema: String,
    pub success: String,
    pub message: String,
    pub success_text: Option<String>,
}

/// One entry of `servers`.
#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    /// snake_case name (`sandbox`).
    pub name: String,
    pub url: String,
    pub description: String,
    /// (header name, required prefix of its value).
    pub prefixes: Vec<(String, String)>,
}

/// One `apiKey` security scheme sent in a header.
#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    pub scheme: String,
    pub header: String,
    pub env: Option<String>,
    pub setter: String,
    pub description: String,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    pub method: String,
    pub path: String,
    pub idempotent: bool,
    pub summary: String,
    /// The names of its `in: header` parameters (the path item's too).
    pub header_params: Vec<String>,
    /// Its `security` (or the spec's): alternatives, each the indexes of
    /// the credentials it needs together; `[[]]` when it needs none.
    pub security: Vec<Vec<usize>>,
    /// `x-payusers-echo`: the success answer's field that must name what
    /// the path parameter asked for.
    pub echo: Option<Echo>,
}

/// A path parameter, and the success answer's property that must equal it.
#[derive(Debug, Clone, PartialEq)]
pub struct Echo {
    /// The path parameter's spec name.
    pub param: String,
    /// The success schema's property (its JSON name).
    pub field: String,
}

const ROOT_KEYS: [&str; 5] = [
    "base-url-env",
    "error-message",
    "error-details",
    "envelope",
    "idempotency-header",
];
/// The HTTP methods a path item may hold, as OpenAPI spells them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn bad(message: String) -> CodegenError {
    CodegenError::Unsupported(message)
}

fn string(value: &Value, what: &str) -> Result<String, CodegenError> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| bad(format!("{what} must be a string")))
}

/// Reads the metadata of a spec already parsed to JSON.
pub fn read(spec: &Value) -> Result<Meta, CodegenError> {
    let root = spec.get("x-payusers").cloned().unwrap_or(Value::Null);
    if let Some(map) = root.as_object() {
        if let Some(key) = map.keys().find(|k| !ROOT_KEYS.contains(&k.as_str())) {
            return Err(bad(format!(
                "unknown key `x-payusers.{key}` (known: {})",
                ROOT_KEYS.join(", ")
            )));
        }
    } else if !root.is_null() {
        return Err(bad("`x-payusers` must be a mapping".into()));
    }
    let opt = |key: &str| -> Result<Option<String>, CodegenError> {
        root.get(key)
            .map(|v| string(v, &format!("x-payusers.{key}")))
            .transpose()
    };
    let error_message = match root.get("error-message") {
        None => vec!["message".into()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| string(v, "x-payusers.error-message[]"))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad("x-payusers.error-message must be a list".into())),
    };
    let error_details = match root.get("error-details") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                let path = string(v, "x-payusers.error-details[]")?;
                if path.split('.').any(str::is_empty) {
                    return Err(bad(format!(
                        "x-payusers.error-details: `{path}` is not a dotted path of property names"
                    )));
                }
                Ok(path)
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad("x-payusers.error-details must be a list".into())),
    };
    let envelope = match root.get("envelope") {
        None => None,
        Some(env) => {
            let field = |k: &str| {
                env.get(k)
                    .ok_or_else(|| bad(format!("x-payusers.envelope needs `{k}`")))
                    .and_then(|v| string(v, &format!("x-payusers.envelope.{k}")))
            };
            if let Some(key) = env.as_object().and_then(|m| {
                m.keys().find(|k| {
                    !["schema", "success", "message", "success-text"].contains(&k.as_str())
                })
            }) {
                return Err(bad(format!("unknown key `x-payusers.envelope.{key}`")));
            }
            let envelope = Envelope {
                schema: field("schema")?,
                success: field("success")?,
                message: field("message")?,
                success_text: env
                    .get("success-text")
                    .map(|v| string(v, "x-payusers.envelope.success-text"))
                    .transpose()?,
            };
            let props = spec
                .pointer(&format!("/components/schemas/{}/properties", envelope.schema))
                .ok_or_else(|| {
                    bad(format!(
                        "x-payusers.envelope.schema `{}` is not an object schema under components/schemas",
                        envelope.schema
                    ))
                })?;
            for f in [&envelope.success, &envelope.message] {
                if props.get(f).is_none() {
                    return Err(bad(format!(
                        "x-payusers.envelope: schema `{}` has no property `{f}`",
                        envelope.schema
                    )));
                }
            }
            Some(envelope)
        }
    };
    let credentials = credentials(spec)?;
    // Without a top-level `security`, OpenAPI says an operation without its
    // own needs no credential.
    let security = match spec.get("security") {
        Some(value) => requirement(value, &credentials, "security")?,
        None => vec![Vec::new()],
    };
    let operations = operations(spec, &credentials, &security)?;
    // A scheme no requirement names would be declared and never sent: a
    // spec written when every scheme went on every request means it for
    // all of them, and would otherwise lose its credentials silently.
    for (i, credential) in credentials.iter().enumerate() {
        let named = security
            .iter()
            .chain(operations.iter().flat_map(|o| &o.security));
        if !named.flatten().any(|used| *used == i) {
            return Err(bad(format!(
                "security scheme `{}` is named by no `security`, so no request would carry it; \
                 add `security: [{{{}: []}}]` at the top level (every operation) or to the \
                 operations that need it",
                credential.scheme, credential.scheme
            )));
        }
    }
    Ok(Meta {
        title: spec
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        base_url_env: opt("base-url-env")?,
        error_message,
        error_details,
        envelope,
        idempotency_header: opt("idempotency-header")?,
        password_fields: password_fields(spec),
        environments: environments(spec, &credentials)?,
        operations,
        credentials,
        security,
    })
}

/// A `security` value: alternatives (any one will do), each naming the
/// schemes it needs together, as indexes into `credentials`. `[]` and
/// `[{}]` need nothing: `[[]]`.
fn requirement(
    value: &Value,
    credentials: &[Credential],
    place: &str,
) -> Result<Vec<Vec<usize>>, CodegenError> {
    let alternatives = value
        .as_array()
        .ok_or_else(|| bad(format!("{place} must be a list of requirements")))?;
    let mut out = Vec::new();
    for alternative in alternatives {
        let schemes = alternative.as_object().ok_or_else(|| {
            bad(format!(
                "{place}: each requirement maps scheme names to scope lists"
            ))
        })?;
        let mut needs = Vec::new();
        for scheme in schemes.keys() {
            let index = credentials
                .iter()
                .position(|c| &c.scheme == scheme)
                .ok_or_else(|| {
                    bad(format!(
                        "{place} names `{scheme}`, which components.securitySchemes does not declare"
                    ))
                })?;
            needs.push(index);
        }
        needs.sort_unstable();
        out.push(needs);
    }
    if out.is_empty() {
        out.push(Vec::new());
    }
    Ok(out)
}

/// The parameters an operation takes: its path item's, then its own, each
/// read where a local `$ref` points; one of its own replaces the path
/// item's of the same name and location (OpenAPI 3.0, "Path Item Object").
pub fn parameters<'a>(spec: &'a Value, item: &'a Value, op: &'a Value) -> Vec<&'a Value> {
    let mut out: Vec<&Value> = Vec::new();
    let all = [item.get("parameters"), op.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| local_ref(spec, p));
    for p in all {
        let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
        out.retain(|q| key(q) != key(p));
        out.push(p);
    }
    out
}

/// Reads `x-payusers-echo: {param, field}` of operation `id`: `param` must
/// be one of its path parameters (the field is checked where the success
/// type is known).
fn echo(
    spec: &Value,
    item: &Value,
    op: &Value,
    value: &Value,
    id: &str,
) -> Result<Echo, CodegenError> {
    let what = format!("{id}: x-payusers-echo");
    let map = value
        .as_object()
        .ok_or_else(|| bad(format!("{what} must be a mapping {{param, field}}")))?;
    if let Some(key) = map
        .keys()
        .find(|k| !["param", "field"].contains(&k.as_str()))
    {
        return Err(bad(format!(
            "{what}: unknown key `{key}` (known: param, field)"
        )));
    }
    let get = |key: &str| match map.get(key) {
        Some(v) => string(v, &format!("{what}.{key}")),
        None => Err(bad(format!("{what} needs `{key}`"))),
    };
    let (param, field) = (get("param")?, get("field")?);
    let is_path_param = parameters(spec, item, op).iter().any(|p| {
        p.get("in").and_then(Value::as_str) == Some("path")
            && p.get("name").and_then(Value::as_str) == Some(param.as_str())
    });
    if !is_path_param {
        return Err(bad(format!(
            "{what}.param: `{param}` is not a path parameter of {id}"
        )));
    }
    Ok(Echo { param, field })
}

/// A piece of a `{name}` template (a path, a server URL).
pub enum Piece<'a> {
    /// Text as written.
    Text(&'a str),
    /// A `{name}`, without its braces.
    Name(&'a str),
}

/// `template` in pieces; `None` when a `{` has no `}`.
pub fn template(template: &str) -> Option<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        pieces.push(Piece::Text(&rest[..open]));
        pieces.push(Piece::Name(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    pieces.push(Piece::Text(rest));
    Some(pieces)
}

/// What a local `$ref` (`#/…`) in `value` points at; `value` itself when
/// it is no such `$ref`, or one pointing nowhere (the generators report it).
pub fn local_ref<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    // A `$ref` may point at another; a cycle stops after a few hops.
    let mut at = value;
    for _ in 0..16 {
        match at
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|target| target.strip_prefix('#'))
            .and_then(|pointer| spec.pointer(pointer))
        {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// The names of every property, in any schema of the spec, declared a
/// `format: password` string, inline or by `$ref`.
fn password_fields(spec: &Value) -> Vec<String> {
    fn is_password(spec: &Value, schema: &Value) -> bool {
        local_ref(spec, schema)
            .get("format")
            .and_then(Value::as_str)
            == Some("password")
    }
    fn walk(spec: &Value, value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for (name, schema) in props {
                        if is_password(spec, schema) {
                            found.push(name.clone());
                        }
                    }
                }
                map.values().for_each(|v| walk(spec, v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(spec, v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(spec, spec, &mut found);
    found.sort();
    found.dedup();
    found
}

/// The methods every client builder has: a credential setter must not
/// take one of their names.
const BUILDER_METHODS: &[&str] = &[
    "for_info",
    "credential",
    "set_credential",
    "from_env",
    "environment",
    "environment_named",
    "base_url",
    "timeout",
    "deadline",
    "max_retries",
    "retry_policy",
    "max_response_bytes",
    "rate_limit",
    "rate_limiter",
    "user_agent",
    "http_client",
    "build",
];

fn credentials(spec: &Value) -> Result<Vec<Credential>, CodegenError> {
    let Some(schemes) = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    else {
        return Ok(Vec::new());
    };
    if schemes.len() > 32 {
        return Err(bad(
            "more than 32 security schemes: a client keeps which are set in 32 bits".into(),
        ));
    }
    let mut out = Vec::new();
    for (scheme, body) in schemes {
        let kind = body.get("type").and_then(Value::as_str);
        let place = body.get("in").and_then(Value::as_str);
        if kind != Some("apiKey") || place != Some("header") {
            return Err(bad(format!(
                "security scheme `{scheme}`: only `type: apiKey` with `in: header` is supported"
            )));
        }
        let header = string(
            body.get("name").unwrap_or(&Value::Null),
            &format!("securitySchemes.{scheme}.name"),
        )?;
        let setter = match body.get("x-payusers-setter") {
            Some(v) => string(v, "x-payusers-setter")?,
            None => snake_case(scheme),
        };
        if super::module_name(&setter).as_deref() != Ok(setter.as_str()) {
            return Err(bad(format!(
                "security scheme `{scheme}`: setter `{setter}` is not a snake_case method name"
            )));
        }
        if BUILDER_METHODS.contains(&setter.as_str()) {
            return Err(bad(format!(
                "security scheme `{scheme}`: setter `{setter}` is already a builder method; \
                 name another with `x-payusers-setter`"
            )));
        }
        if let Some(other) = out.iter().find(|c: &&Credential| c.setter == setter) {
            return Err(bad(format!(
                "security schemes `{}` and `{scheme}` both get the setter `{setter}`; \
                 name one with `x-payusers-setter`",
                other.scheme
            )));
        }
        out.push(Credential {
            scheme: scheme.clone(),
            header,
            env: body
                .get("x-payusers-env")
                .map(|v| string(v, "x-payusers-env"))
                .transpose()?,
            setter,
            description: body
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        });
    }
    Ok(out)
}

/// A server's URL with each `{variable}` replaced by its `default`, as
/// OpenAPI defines it; the result must be an absolute URL.
fn server_url(template: &str, variables: Option<&Value>, i: usize) -> Result<String, CodegenError> {
    let pieces = self::template(template).ok_or_else(|| {
        bad(format!(
            "servers[{i}].url `{template}` has `{{` without `}}`"
        ))
    })?;
    let mut url = String::new();
    for piece in pieces {
        url.push_str(match piece {
            Piece::Text(text) => text,
            Piece::Name(name) => variables
                .and_then(|v| v.get(name))
                .and_then(|v| v.get("default"))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    bad(format!(
                        "servers[{i}].url names `{{{name}}}`, which has no `variables.{name}.default`"
                    ))
                })?,
        });
    }
    let absolute = url
        .split_once("://")
        .is_some_and(|(scheme, host)| !scheme.is_empty() && !host.is_empty());
    if !absolute {
        return Err(bad(format!(
            "servers[{i}].url `{url}` must be an absolute URL (`https://host/…`)"
        )));
    }
    Ok(url)
}

fn environments(spec: &Value, creds: &[Credential]) -> Result<Vec<Environment>, CodegenError> {
    let servers = spec
        .get("servers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if servers.is_empty() {
        return Err(bad(
            "the spec needs at least one entry in `servers` (its environments)".into(),
        ));
    }
    let mut out: Vec<Environment> = Vec::new();
    for (i, server) in servers.iter().enumerate() {
        let url = server_url(
            &string(
                server.get("url").unwrap_or(&Value::Null),
                &format!("servers[{i}].url"),
            )?,
            server.get("variables"),
            i,
        )?;
        let name = match server.get("x-payusers-environment") {
            Some(v) => string(v, "x-payusers-environment")?,
            None if i == 0 => "production".to_string(),
            None => format!("server{i}"),
        };
        if super::module_name(&name).is_err() || name == "custom" {
            return Err(bad(format!(
                "servers[{i}]: environment name `{name}` must be snake_case and not `custom`"
            )));
        }
        if out.iter().any(|e| e.name == name) {
            return Err(bad(format!("servers: environment `{name}` appears twice")));
        }
        // Both become the Rust variant: `live_1` and `live1` are `Live1`,
        // and `custom_` is the `Custom(url)` every `Environment` has.
        let variant = pascal_case(&name);
        if variant == "Custom" {
            return Err(bad(format!(
                "servers[{i}]: environment name `{name}` becomes `Environment::Custom`, which is taken"
            )));
        }
        if let Some(other) = out.iter().find(|e| pascal_case(&e.name) == variant) {
            return Err(bad(format!(
                "servers: environments `{}` and `{name}` both become `Environment::{variant}`",
                other.name
            )));
        }
        let mut prefixes = Vec::new();
        if let Some(map) = server
            .get("x-payusers-credential-prefix")
            .and_then(Value::as_object)
        {
            for (scheme, prefix) in map {
                let cred = creds.iter().find(|c| &c.scheme == scheme).ok_or_else(|| {
                    bad(format!(
                        "servers[{i}].x-payusers-credential-prefix names `{scheme}`, which is not a security scheme"
                    ))
                })?;
                prefixes.push((cred.header.clone(), string(prefix, "credential prefix")?));
            }
        }
        out.push(Environment {
            name,
            url,
            description: server
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            prefixes,
        });
    }
    Ok(out)
}

fn operations(
    spec: &Value,
    credentials: &[Credential],
    default_security: &[Vec<usize>],
) -> Result<Vec<Operation>, CodegenError> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Ok(out);
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let idempotent = match op.get("x-payusers-idempotent") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    return Err(bad(format!(
                        "{id}: x-payusers-idempotent must be true or false"
                    )));
                }
            };
            let echo = match op.get("x-payusers-echo") {
                None => None,
                Some(value) => Some(echo(spec, item, op, value, &id)?),
            };
            let header_params = parameters(spec, item, op)
                .into_iter()
                .filter(|p| p.get("in").and_then(Value::as_str) == Some("header"))
                .filter_map(|p| p.get("name").and_then(Value::as_str))
                .map(str::to_string)
                .collect();
            let security = match op.get("security") {
                Some(value) => requirement(value, credentials, &format!("{id}: security"))?,
                None => default_security.to_vec(),
            };
            out.push(Operation {
                id,
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                idempotent,
                header_params,
                security,
                echo,
                summary: op
                    .get("summary")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            });
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// `requestToken` → `request_token`, `secret-key` → `secret_key`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' || c == ' ' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

/// `update_user` → `UpdateUser`.
pub fn pascal_case(name: &str) -> String {
    name.split('_')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_operations_parameter_replaces_the_path_items() {
        let spec = json!({"components": {"parameters": {"L": {"name": "limit", "in": "query"}}}});
        let item = json!({"parameters": [
            {"$ref": "#/components/parameters/L"},
            {"name": "limit", "in": "header"}
        ]});
        let op = json!({"parameters": [{"name": "limit", "in": "query", "required": true}]});
        let params = parameters(&spec, &item, &op);
        assert_eq!(
            params,
            [
                &json!({"name": "limit", "in": "header"}),
                &json!({"name": "limit", "in": "query", "required": true})
            ]
        );
    }

    fn of_meta(meta: &Meta, id: &str) -> Vec<Vec<usize>> {
        meta.operations
            .iter()
            .find(|o| o.id == id)
            .unwrap()
            .security
            .clone()
    }

    #[test]
    fn security_is_read_per_operation() {
        let two = json!({"securitySchemes": {
            "a": {"type": "apiKey", "in": "header", "name": "x-a"},
            "b": {"type": "apiKey", "in": "header", "name": "x-b"}
        }});
        let paths = json!({"/x": {
            "get": {"operationId": "open", "security": []},
            "put": {"operationId": "both", "security": [{"a": [], "b": []}]},
            "post": {"operationId": "either"}
        }});
        let meta = read(&spec(json!({
            "components": two, "paths": paths, "security": [{"a": []}, {"b": []}]
        })))
        .unwrap();
        let of = |id: &str| of_meta(&meta, id);
        assert_eq!(meta.security, [vec![0], vec![1]]);
        assert_eq!(of("open"), [Vec::<usize>::new()]);
        assert_eq!(of("both"), [vec![0, 1]]);
        assert_eq!(of("either"), [vec![0], vec![1]]);
        // Without a top-level `security`, OpenAPI asks nothing of an
        // operation without its own.
        let paths_b = json!({"/x": {
            "get": {"operationId": "open", "security": [{"a": []}, {"b": []}]},
            "post": {"operationId": "either"}
        }});
        let meta = read(&spec(
            json!({ "components": two, "paths": paths_b, "security": null }),
        ))
        .unwrap();
        assert_eq!(meta.security, [Vec::<usize>::new()]);
        assert_eq!(of_meta(&meta, "either"), [Vec::<usize>::new()]);
        // A scheme no `security` names would never be sent: refused.
        let err = read(&spec(json!({ "components": two, "security": null }))).unwrap_err();
        assert!(
            err.to_string()
                .contains("scheme `a` is named by no `security`"),
            "{err}"
        );
        let err = read(&spec(json!({ "components": two, "security": [{"c": []}] }))).unwrap_err();
        assert!(
            err.to_string()
                .contains("`c`, which components.securitySchemes does not declare"),
            "{err}"
        );
    }

    fn spec(extra: Value) -> Value {
        let mut base = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "servers": [{"url": "https://x.example", "x-payusers-environment": "live"}],
            "components": {"securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "x-key"}}},
            "security": [{"apiKey": []}],
            "paths": {"/a": {"post": {"operationId": "make_a", "x-payusers-idempotent": true}}}
        });
        // A key set to `null` is taken out.
        if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                if v.is_null() {
                    b.remove(k);
                } else {
                    b.insert(k.clone(), v.clone());
                }
            }
        }
        base
    }

    #[test]
    fn names_that_would_collide_in_rust_are_refused() {
        let env = |names: &[&str]| {
            let servers: Vec<Value> = names
                .iter()
                .map(|n| json!({"url": "https://x.example", "x-payusers-environment": n}))
                .collect();
            read(&spec(json!({ "servers": servers })))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(
            env(&["live_1", "live1"])
                .contains("`live_1` and `live1` both become `Environment::Live1`"),
            "{}",
            env(&["live_1", "live1"])
        );
        assert!(env(&["custom_"]).contains("becomes `Environment::Custom`, which is taken"));
        assert_eq!(env(&["live", "sandbox"]), "");

        let setter = |schemes: Value| {
            read(&spec(
                json!({ "components": { "securitySchemes": schemes } }),
            ))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
        };
        let scheme = |setter: &str| json!({"type": "apiKey", "in": "header", "name": "x-k", "x-payusers-setter": setter});
        let err = setter(json!({ "k": scheme("timeout") }));
        assert!(
            err.contains("setter `timeout` is already a builder method"),
            "{err}"
        );
        let err = setter(
            json!({ "apiKey": {"type": "apiKey", "in": "header", "name": "a"},
                                  "ApiKey": {"type": "apiKey", "in": "header", "name": "b"} }),
        );
        assert!(err.contains("both get the setter `api_key`"), "{err}");
        let err = setter(json!({ "k": scheme("Key") }));
        assert!(
            err.contains("setter `Key` is not a snake_case method name"),
            "{err}"
        );
    }

    #[test]
    fn server_variables_take_their_defaults() {
        let with = |servers: Value| read(&spec(json!({ "servers": servers })));
        let meta = with(json!([{
            "url": "https://{region}.x.example/{version}",
            "variables": {"region": {"default": "eu"}, "version": {"default": "v2", "enum": ["v1", "v2"]}}
        }]))
        .unwrap();
        assert_eq!(meta.environments[0].url, "https://eu.x.example/v2");
        let err = with(json!([{"url": "https://x.example/{version}"}])).unwrap_err();
        assert!(
            err.to_string()
                .contains("`{version}`, which has no `variables.version.default`"),
            "{err}"
        );
        let err = with(json!([{"url": "/v2"}])).unwrap_err();
        assert!(err.to_string().contains("must be an absolute URL"), "{err}");
    }

    #[test]
    fn a_password_by_ref_is_a_password_field() {
        let meta = read(&spec(json!({
            "components": {
                "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "x-key"}},
                "schemas": {
                    "Secret": {"type": "string", "format": "password"},
                    "Login": {"type": "object", "properties": {
                        "user": {"type": "string"},
                        "passphrase": {"$ref": "#/components/schemas/Secret"}
                    }}
                }
            }
        })))
        .unwrap();
        assert_eq!(meta.password_fields, ["passphrase"]);
    }

    #[test]
    fn reads_defaults_and_extensions() {
        let meta = read(&spec(json!({}))).unwrap();
        assert_eq!(meta.environments[0].name, "live");
        assert_eq!(meta.credentials[0].setter, "api_key");
        assert_eq!(meta.credentials[0].header, "x-key");
        assert_eq!(meta.error_message, ["message"]);
        assert!(meta.operations[0].idempotent);
        assert_eq!(meta.operations[0].method, "POST");
    }

    #[test]
    fn password_fields_are_found_in_any_schema() {
        let meta = read(&spec(json!({
            "components": {
                "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "x-key"}},
                "schemas": {
                    "Login": {"type": "object", "properties": {
                        "pwd": {"type": "string", "format": "password"},
                        "name": {"type": "string"},
                        "inner": {"type": "object", "properties": {
                            "secret": {"type": "string", "format": "password"},
                            "pwd": {"type": "string", "format": "password"}
                        }}
                    }},
                    "Other": {"allOf": [{"properties": {"pin": {"format": "password"}}}]}
                }
            }
        })))
        .unwrap();
        assert_eq!(meta.password_fields, ["pin", "pwd", "secret"]);
        assert!(read(&spec(json!({}))).unwrap().password_fields.is_empty());
    }

    #[test]
    fn error_details_are_dotted_paths() {
        let meta = read(&spec(json!({"x-payusers": {
            "error-details": ["responseData.explanation", "hint"]
        }})))
        .unwrap();
        assert_eq!(meta.error_details, ["responseData.explanation", "hint"]);
        assert!(read(&spec(json!({}))).unwrap().error_details.is_empty());
        for bad in [json!(["a..b"]), json!([".a"]), json!([7]), json!("a.b")] {
            let err = read(&spec(json!({"x-payusers": {"error-details": bad}}))).unwrap_err();
            assert!(
                err.to_string().contains("x-payusers.error-details"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn typos_in_extensions_are_refused() {
        let err = read(&spec(json!({"x-payusers": {"base-url-evn": "X"}}))).unwrap_err();
        assert!(err.to_string().contains("x-payusers.base-url-evn"), "{err}");
        let err = read(&spec(
            json!({"x-payusers": {"envelope": {"schema": "Nope", "success": "a", "message": "b"}}}),
        ))
        .unwrap_err();
        assert!(err.to_string().contains("Nope"), "{err}");
    }

    #[test]
    fn names() {
        assert_eq!(snake_case("requestToken"), "request_token");
        assert_eq!(snake_case("secret-key"), "secret_key");
        assert_eq!(pascal_case("update_user_mfa"), "UpdateUserMfa");
    }
}
