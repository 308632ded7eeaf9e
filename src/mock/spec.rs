//! The mock's route table, compiled once from the bundled specs: every
//! operation of every spec, with validators for its parameters and body,
//! the credentials it needs, and its first documented success answer.

use super::validate;
use axum::http::Method;
use jsonschema::Validator;
use serde_json::{Value, json};
use std::sync::{Arc, OnceLock};

/// All specs.
pub(crate) struct Routes {
    pub(crate) apis: Vec<Api>,
}

/// One spec, served under `/<module>` plus its first server's path.
pub(crate) struct Api {
    pub(crate) module: &'static str,
    pub(crate) prefix: String,
    pub(crate) credentials: Vec<String>,
    /// (success field, message field, every property of the envelope).
    pub(crate) envelope: Option<(String, String, Vec<String>)>,
    pub(crate) error_field: String,
    /// `x-payusers.error-details`: where an error body explains itself.
    pub(crate) error_details: &'static [&'static str],
    pub(crate) routes: Vec<Route>,
}

/// One operation.
pub(crate) struct Route {
    pub(crate) id: String,
    pub(crate) method: Method,
    pub(crate) segments: Vec<Segment>,
    /// The template ends with `/` (hPay's paths do; a path without it is another path).
    pub(crate) trailing_slash: bool,
    pub(crate) params: Vec<Param>,
    pub(crate) body: Option<Body>,
    /// Its `security`: alternatives, each the credential headers it needs
    /// together (`[[]]`: none).
    pub(crate) security: Vec<Vec<String>>,
    /// The first documented 2xx status and its example (or `{}`).
    pub(crate) answer: (u16, Value),
}

/// A piece of a path template.
pub(crate) enum Segment {
    Literal(String),
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

/// One path or query parameter.
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) kind: Kind,
    /// A `type: array` query parameter: its items are read as `kind`, from
    /// repeated keys (`ids=a&ids=b`, OpenAPI's default) and, with
    /// `explode: false`, from comma-separated values too.
    pub(crate) array: Option<Explode>,
    pub(crate) validator: Validator,
}

/// How an array query parameter's items are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Explode {
    /// One key per item (`ids=a&ids=b`).
    Repeated,
    /// One key, items joined by commas (`ids=a,b`).
    Commas,
}

/// The JSON type a parameter's text is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Integer,
    Number,
    Boolean,
    String,
}

/// A request body.
pub(crate) struct Body {
    pub(crate) required: bool,
    pub(crate) validator: Validator,
}

impl Api {
    /// The path below this API's prefix, if `path` is under it.
    pub(crate) fn strip<'p>(&self, path: &'p str) -> Option<&'p str> {
        path.strip_prefix(&self.prefix)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

impl Routes {
    /// The API whose prefix `path` starts with.
    pub(crate) fn api_of(&self, path: &str) -> Option<&Api> {
        self.apis.iter().find(|a| {
            path.strip_prefix(&format!("/{}", a.module))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }
}

impl Kind {
    /// Reads a parameter's text as its JSON type; integers only in their
    /// canonical form (`+1`, ` 1`, `01` are refused).
    pub(crate) fn read(self, text: &str) -> Result<Value, &'static str> {
        match self {
            Kind::String => Ok(Value::String(text.to_string())),
            Kind::Boolean => match text {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err("must be true or false"),
            },
            Kind::Integer => {
                let n: i64 = text.parse().map_err(|_| "must be an integer")?;
                if n.to_string() == text {
                    Ok(json!(n))
                } else {
                    Err("must be an integer in plain decimal form")
                }
            }
            Kind::Number => text
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or("must be a number"),
        }
    }
}

/// The routes of every bundled spec (compiled once per process).
pub(crate) fn routes() -> Result<Arc<Routes>, String> {
    static ROUTES: OnceLock<Result<Arc<Routes>, String>> = OnceLock::new();
    ROUTES
        .get_or_init(|| {
            let mut apis = Vec::new();
            for (module, text) in crate::generated::SPEC_JSON {
                let spec: Value = serde_json::from_str(text)
                    .map_err(|e| format!("spec `{module}` is not JSON: {e}"))?;
                apis.push(api(module, &spec).map_err(|e| format!("spec `{module}`: {e}"))?);
            }
            Ok(Arc::new(Routes { apis }))
        })
        .clone()
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| spec.pointer(p))
            .map_or(node, |target| resolve(spec, target)),
        None => node,
    }
}

fn api(module: &'static str, spec: &Value) -> Result<Api, String> {
    let info = crate::generated::SPECS
        .iter()
        .find(|(m, _)| *m == module)
        .map(|(_, i)| *i)
        .ok_or("no metadata")?;
    let server_path = info
        .environments
        .first()
        .and_then(|e| url::Url::parse(e.url).ok())
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    let envelope = info.envelope.map(|e| {
        let schema = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .and_then(|schemas| {
                schemas.values().find(|s| {
                    s.pointer(&format!("/properties/{}", e.success)).is_some()
                        && s.pointer(&format!("/properties/{}", e.message)).is_some()
                })
            });
        let props = schema
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        (e.success.to_string(), e.message.to_string(), props)
    });
    let mut routes = Vec::new();
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let shared_params: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
            let Some(op) = item.get(method) else { continue };
            let mut params = Vec::new();
            let own = op
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            // An operation's parameter replaces the path item's of the same
            // name and location (OpenAPI 3.0, "Path Item Object").
            for p in shared_params.iter().chain(own.iter()) {
                let p: Param = param(spec, resolve(spec, p))?;
                params.retain(|q: &Param| !(q.name == p.name && q.location == p.location));
                params.push(p);
            }
            let body = match op.get("requestBody").map(|b| resolve(spec, b)) {
                None => None,
                Some(b) => {
                    let schema = b
                        .pointer("/content/application~1json/schema")
                        .ok_or("request bodies must be application/json")?;
                    Some(Body {
                        required: b.get("required").and_then(Value::as_bool).unwrap_or(false),
                        validator: validate::compile(spec, schema)?,
                    })
                }
            };
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            // The generated metadata already resolved the operation's
            // `security` against the spec's; a spec without metadata for
            // it (none ships so) needs every credential.
            let security = match info.operation(&id) {
                Some(meta) => meta
                    .security
                    .iter()
                    .map(|needs| {
                        needs
                            .iter()
                            .filter_map(|i| info.credentials.get(*i))
                            .map(|c| c.header.to_string())
                            .collect()
                    })
                    .collect(),
                None => vec![
                    info.credentials
                        .iter()
                        .map(|c| c.header.to_string())
                        .collect(),
                ],
            };
            routes.push(Route {
                id,
                method: Method::from_bytes(method.to_ascii_uppercase().as_bytes())
                    .map_err(|e| e.to_string())?,
                segments: path
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(
                        |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                            Some(name) => Segment::Param(name.to_string()),
                            None => Segment::Literal(s.to_string()),
                        },
                    )
                    .collect(),
                trailing_slash: path.ends_with('/'),
                params,
                body,
                security,
                answer: answer(spec, op),
            });
        }
    }
    Ok(Api {
        module,
        prefix: format!("/{module}{server_path}"),
        credentials: info
            .credentials
            .iter()
            .map(|c| c.header.to_string())
            .collect(),
        envelope,
        error_field: info.error_message.first().unwrap_or(&"message").to_string(),
        error_details: info.error_details,
        routes,
    })
}

fn param(spec: &Value, p: &Value) -> Result<Param, String> {
    let name = p
        .get("name")
        .and_then(Value::as_str)
        .ok_or("a parameter has no name")?
        .to_string();
    let location = match p.get("in").and_then(Value::as_str) {
        Some("path") => Location::Path,
        Some("query") => Location::Query,
        Some("header") => Location::Header,
        other => return Err(format!("parameter `{name}`: `in: {other:?}` is not served")),
    };
    let schema = p.get("schema").cloned().unwrap_or(json!({}));
    let resolved = resolve(spec, &schema);
    let array = (location == Location::Query
        && resolved.get("type").and_then(Value::as_str) == Some("array"))
    .then(|| match p.get("explode").and_then(Value::as_bool) {
        Some(false) => Explode::Commas,
        _ => Explode::Repeated,
    });
    let typed = match array {
        Some(_) => resolved
            .get("items")
            .map_or(json!({}), |items| resolve(spec, items).clone()),
        None => resolved.clone(),
    };
    let kind = match typed.get("type").and_then(Value::as_str) {
        Some("integer") => Kind::Integer,
        Some("number") => Kind::Number,
        Some("boolean") => Kind::Boolean,
        _ => Kind::String,
    };
    Ok(Param {
        array,
        required: p.get("required").and_then(Value::as_bool).unwrap_or(false)
            || location == Location::Path,
        validator: validate::compile(spec, &schema)?,
        name,
        location,
        kind,
    })
}

/// The first 2xx response and its first example.
fn answer(spec: &Value, op: &Value) -> (u16, Value) {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return (200, json!({}));
    };
    let mut success: Vec<(u16, &Value)> = responses
        .iter()
        .filter_map(|(code, r)| Some((code.parse::<u16>().ok()?, r)))
        .filter(|(code, _)| (200..300).contains(code))
        .collect();
    success.sort_by_key(|(code, _)| *code);
    let Some((code, response)) = success.first() else {
        return (200, json!({}));
    };
    let media = resolve(spec, response).pointer("/content/application~1json");
    let example = media.and_then(|m| {
        m.get("example").cloned().or_else(|| {
            m.get("examples")
                .and_then(Value::as_object)
                .and_then(|e| e.values().next())
                .map(|e| resolve(spec, e))
                .and_then(|e| e.get("value").cloned())
        })
    });
    let body = match (media, example) {
        (_, Some(example)) => example,
        (Some(_), None) => json!({}),
        (None, None) => Value::Null,
    };
    (*code, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operations_parameter_replaces_the_path_items_of_that_name() {
        let spec = json!({
            "openapi": "3.0.3",
            "servers": [{"url": "https://t.example"}],
            "paths": {"/things": {
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 5}},
                    {"name": "limit", "in": "header", "schema": {"type": "string"}}
                ],
                "get": {
                    "operationId": "list_things",
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 50}}
                    ],
                    "responses": {"200": {"description": "ok"}}
                }
            }}
        });
        // Any bundled module lends the metadata; the paths are this spec's.
        let api = api("hpay", &spec).unwrap();
        let params = &api.routes[0].params;
        let limits: Vec<_> = params
            .iter()
            .filter(|p| p.name == "limit" && p.location == Location::Query)
            .collect();
        assert_eq!(limits.len(), 1, "one query `limit`, the operation's");
        assert!(validate::check_value(&limits[0].validator, &json!(10)).is_ok());
        assert!(validate::check_value(&limits[0].validator, &json!(51)).is_err());
        // Same name, other location: both kept.
        assert_eq!(params.len(), 2);
    }
}
