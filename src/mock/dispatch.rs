//! The one handler behind every route of every spec: match the operation,
//! check the credentials the spec declares, validate path, query and body
//! against the spec, then answer from the stateful handlers (users) or from
//! the spec's own example.

use super::reply;
use super::spec::{Api, Explode, Location, Param, Route, Segment};
use super::state::Shared;
use super::{hpay, payabli, validate};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// A request that passed validation: parameters by their spec names, read
/// as their JSON types, and the parsed body.
pub(crate) struct Req {
    pub(crate) params: HashMap<String, Value>,
    pub(crate) body: Option<Value>,
}

impl Req {
    /// The body as `T`, read in place (no copy of the JSON); an absent body
    /// reads as `null`.
    pub(crate) fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(self.body.as_ref().unwrap_or(&Value::Null))
    }

    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }

    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        self.params.get(name).and_then(Value::as_i64)
    }

    pub(crate) fn bool(&self, name: &str) -> Option<bool> {
        self.params.get(name).and_then(Value::as_bool)
    }
}

/// Axum fallback: every request that reaches the mock's routes.
pub(crate) async fn dispatch(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    let Some(api) = shared.routes.api_of(&path) else {
        return reply::error_with(
            None,
            StatusCode::NOT_FOUND,
            format!("No route for {} {path}", parts.method),
        );
    };
    let not_found = || {
        reply::error_with(
            Some(api),
            StatusCode::NOT_FOUND,
            format!("No route for {} {path}", parts.method),
        )
    };
    let Some(rest) = api.strip(&path) else {
        return not_found();
    };
    let segments: Vec<&str> = rest.split('/').skip(1).collect();
    let mut method_mismatch = false;
    let mut found = None;
    for route in &api.routes {
        if let Some(raw) = match_path(route, &segments) {
            if route.method == parts.method {
                found = Some((route, raw));
                break;
            }
            method_mismatch = true;
        }
    }
    let Some((route, raw_path)) = found else {
        if method_mismatch {
            return reply::error_with(
                Some(api),
                StatusCode::METHOD_NOT_ALLOWED,
                format!("Method {} not allowed on {path}", parts.method),
            );
        }
        return not_found();
    };
    if !authorized(&shared, api, route, &parts.headers) {
        return reply::fault(Some(api), StatusCode::UNAUTHORIZED, None);
    }
    let bad = |message: String| reply::error_with(Some(api), StatusCode::BAD_REQUEST, message);
    let mut params = match path_params(route, raw_path) {
        Ok(p) => p,
        Err(message) => return bad(message),
    };
    if let Err(message) = query_params(route, parts.uri.query(), &mut params) {
        return bad(message);
    }
    if let Err(message) = header_params(route, &parts.headers, &mut params) {
        return bad(message);
    }
    let body = match read_body(route, &parts.headers, body).await {
        Ok(body) => body,
        Err((status, message)) => return reply::error_with(Some(api), status, message),
    };
    let req = Req { params, body };
    let stateful = match api.module {
        "hpay" => hpay::handle(&shared, api, &route.id, &req),
        "payabli" => payabli::handle(&shared, api, &route.id, &req),
        _ => None,
    };
    stateful.unwrap_or_else(|| {
        let (status, example) = &route.answer;
        let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::OK);
        if example.is_null() {
            Response::builder()
                .status(status)
                .body(Body::empty())
                .unwrap_or_default()
        } else {
            reply::json(status, example.clone())
        }
    })
}

/// The raw (still percent-encoded) values of the template's parameters,
/// when `segments` fit the route's path.
fn match_path<'r, 's>(route: &'r Route, segments: &[&'s str]) -> Option<Vec<(&'r str, &'s str)>> {
    // Templates keep a trailing slash as a final empty segment.
    let template: Vec<&Segment> = route.segments.iter().collect();
    let trailing = route.trailing_slash;
    let wanted = template.len() + usize::from(trailing);
    if segments.len() != wanted {
        return None;
    }
    if trailing && segments.last() != Some(&"") {
        return None;
    }
    let mut out = Vec::new();
    for (seg, text) in template.iter().zip(segments) {
        match seg {
            Segment::Literal(l) if l == text => {}
            Segment::Literal(_) => return None,
            Segment::Param(name) => out.push((name.as_str(), *text)),
        }
    }
    Some(out)
}

/// Whether the request carries every credential of one alternative of the
/// operation's `security`, each with the value the mock accepts.
fn authorized(shared: &Shared, api: &Api, route: &Route, headers: &axum::http::HeaderMap) -> bool {
    route.security.iter().any(|needs| {
        needs.iter().all(|header| {
            let expected = shared.credentials.value_for(api.module, header);
            headers
                .get(header.as_str())
                .is_some_and(|v| v.as_bytes() == expected.as_bytes())
        })
    })
}

fn path_params(route: &Route, raw: Vec<(&str, &str)>) -> Result<HashMap<String, Value>, String> {
    let mut out = HashMap::new();
    for (name, text) in raw {
        let decoded = percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .map_err(|_| format!("path parameter `{name}` is not UTF-8"))?;
        if decoded.is_empty() {
            return Err(format!("path parameter `{name}` is empty"));
        }
        let param = route
            .params
            .iter()
            .find(|p| p.location == Location::Path && p.name == name)
            .ok_or_else(|| format!("path parameter `{name}` is not declared"))?;
        out.insert(
            name.to_string(),
            checked(param, &decoded, "path parameter")?,
        );
    }
    Ok(out)
}

fn query_params(
    route: &Route,
    query: Option<&str>,
    out: &mut HashMap<String, Value>,
) -> Result<(), String> {
    for (name, text) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        // One the spec does not declare is ignored, as the providers'
        // frameworks (Django REST Framework, ASP.NET) ignore it: a request
        // the provider takes is not refused here. The request log keeps it.
        let Some(param) = route
            .params
            .iter()
            .find(|p| p.location == Location::Query && p.name == name)
        else {
            continue;
        };
        if param.array.is_some() {
            // Items are read now and the array checked whole below.
            let items = array_items(param, &text)
                .map_err(|rule| format!("query parameter `{name}`: {rule}"))?;
            if let Value::Array(list) = out
                .entry(param.name.clone())
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                list.extend(items);
            }
            continue;
        }
        if out.contains_key(param.name.as_str()) {
            return Err(format!("query parameter `{name}` is given twice"));
        }
        out.insert(
            param.name.clone(),
            checked(param, &text, "query parameter")?,
        );
    }
    for param in route.params.iter().filter(|p| p.array.is_some()) {
        if let Some(list) = out.get(&param.name) {
            validate::check_value(&param.validator, list)
                .map_err(|rule| format!("query parameter `{}`: {rule}", param.name))?;
        }
    }
    if let Some(missing) = route
        .params
        .iter()
        .find(|p| p.required && p.location == Location::Query && !out.contains_key(&p.name))
    {
        return Err(format!("query parameter `{}` is required", missing.name));
    }
    Ok(())
}

/// The items one value of an array query parameter brings: itself, or
/// with `explode: false` its comma-separated parts (repeated keys are taken
/// either way: a client may not honour `explode: false`), each read as the
/// items' kind.
pub(crate) fn array_items(param: &Param, text: &str) -> Result<Vec<Value>, String> {
    let parts: Vec<&str> = match param.array {
        Some(Explode::Commas) => text.split(',').collect(),
        _ => vec![text],
    };
    parts
        .into_iter()
        .map(|item| {
            param
                .kind
                .read(item)
                .map_err(|rule| format!("an item {rule}, got {item:?}"))
        })
        .collect()
}

/// `text` read as `param`'s kind and checked against its schema; errors
/// name it as `what` (`query parameter`, …).
fn checked(param: &Param, text: &str, what: &str) -> Result<Value, String> {
    let name = &param.name;
    let value = param
        .kind
        .read(text)
        .map_err(|rule| format!("{what} `{name}` {rule}, got {text:?}"))?;
    validate::check_value(&param.validator, &value)
        .map_err(|rule| format!("{what} `{name}`: {rule}"))?;
    Ok(value)
}

/// The spec's `in: header` parameters, read and checked like query ones.
fn header_params(
    route: &Route,
    headers: &axum::http::HeaderMap,
    out: &mut HashMap<String, Value>,
) -> Result<(), String> {
    for param in route
        .params
        .iter()
        .filter(|p| p.location == Location::Header)
    {
        let Some(raw) = headers.get(param.name.as_str()) else {
            if param.required {
                return Err(format!("header `{}` is required", param.name));
            }
            continue;
        };
        let text = raw
            .to_str()
            .map_err(|_| format!("header `{}` is not visible ASCII", param.name))?;
        out.insert(param.name.clone(), checked(param, text, "header")?);
    }
    Ok(())
}

async fn read_body(
    route: &Route,
    headers: &axum::http::HeaderMap,
    body: Body,
) -> Result<Option<Value>, (StatusCode, String)> {
    let Some(spec) = &route.body else {
        return Ok(None);
    };
    let bytes = axum::body::to_bytes(body, super::faults::MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                "request body is too large".to_string(),
            )
        })?;
    if bytes.is_empty() {
        if spec.required {
            return Err((
                StatusCode::BAD_REQUEST,
                "a JSON request body is required".into(),
            ));
        }
        return Ok(None);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media != "application/json" {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Unsupported media type {content_type:?}: send application/json"),
        ));
    }
    validate::check(&spec.validator, &bytes)
        .map(Some)
        .map_err(|message| (StatusCode::BAD_REQUEST, message))
}
