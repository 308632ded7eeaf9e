//! Checks on the spec as written, before the generators read it.
//!
//! `openapiv3` (and so progenitor) ignores what it does not know: a path
//! without its leading `/`, an upper-case method, a misspelt
//! `requestBody` or `parameters` vanish without a word, and the client
//! quietly lacks an operation, a body or a parameter. progenitor and
//! typify panic on some shapes they do not support, naming neither the
//! operation nor the field. This file refuses all of that up front, with a
//! message that names the place in the spec; it reads the document as
//! plain JSON, exactly as written.

use super::CodegenError;
use super::meta::{METHODS, Piece, local_ref, parameters, template};
use serde_json::{Map, Value};

const PATH_ITEM_KEYS: &[&str] = &[
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "servers",
    "parameters",
    "summary",
    "description",
    "$ref",
];

const OPERATION_KEYS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
    "x-payusers-idempotent",
    "x-payusers-echo",
];

const PARAMETER_KEYS: &[&str] = &[
    "name",
    "in",
    "description",
    "required",
    "deprecated",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
    "$ref",
];

/// The keys a `format: password` schema may carry: it becomes
/// `crate::secret::Password`, and only a schema this plain is recognised.
const PASSWORD_KEYS: &[&str] = &[
    "type",
    "format",
    "nullable",
    "description",
    "example",
    "title",
    "readOnly",
    "writeOnly",
    "deprecated",
    "default",
];

/// Keys whose values are data, not schemas: a password check never looks
/// inside them.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum"];

/// `x-payusers-…` keys outside the root `x-payusers` block, by where they go.
const SERVER_EXTENSIONS: &[&str] = &["x-payusers-environment", "x-payusers-credential-prefix"];
const SCHEME_EXTENSIONS: &[&str] = &["x-payusers-env", "x-payusers-setter"];

fn bad(message: String) -> CodegenError {
    CodegenError::Unsupported(message)
}

/// Every check below, on the spec parsed as JSON.
pub fn check(spec: &Value) -> Result<(), CodegenError> {
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        // The Paths object takes extensions too.
        for (path, item) in paths.iter().filter(|(key, _)| !key.starts_with("x-")) {
            path_item(spec, path, item)?;
        }
    }
    for (i, server) in spec
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        extensions(server, SERVER_EXTENSIONS, &format!("servers[{i}]"))?;
        if let Some(prefix) = server.get("x-payusers-credential-prefix")
            && !prefix.is_object()
        {
            return Err(bad(format!(
                "servers[{i}].x-payusers-credential-prefix must map a security scheme to a prefix"
            )));
        }
    }
    if let Some(schemes) = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    {
        for (name, scheme) in schemes {
            extensions(
                scheme,
                SCHEME_EXTENSIONS,
                &format!("security scheme `{name}`"),
            )?;
        }
    }
    each_mapping(spec, "", &mut |map, at| {
        password(map, at)?;
        field_names(map, at)
    })
}

/// No two properties of one schema become one Rust field (`firstName` and
/// `first_name`): the generated struct would not compile.
fn field_names(map: &Map<String, Value>, at: &str) -> Result<(), CodegenError> {
    let Some(properties) = map.get("properties").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for name in properties.keys() {
        let field = super::meta::snake_case(name).to_ascii_lowercase();
        if let Some(other) = seen.insert(field.clone(), name) {
            return Err(bad(format!(
                "{at}: properties `{other}` and `{name}` both become the Rust field `{field}`; rename one"
            )));
        }
    }
    Ok(())
}

/// Calls `visit` on every mapping of the document, with its place, except
/// inside data (examples, defaults, enums) and extensions.
fn each_mapping(
    value: &Value,
    at: &str,
    visit: &mut impl FnMut(&Map<String, Value>, &str) -> Result<(), CodegenError>,
) -> Result<(), CodegenError> {
    match value {
        Value::Object(map) => {
            visit(map, at)?;
            for (key, child) in map {
                if DATA_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                each_mapping(child, &format!("{at}/{key}"), visit)?;
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                each_mapping(child, &format!("{at}/{i}"), visit)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether a media type is JSON's, `application/json` with or without
/// parameters (`; charset=utf-8`), in any case.
fn is_json_media(media: &str) -> bool {
    media
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// The spec with every request body's and response's JSON media type
/// written plainly `application/json`, when one carried parameters or
/// capitals (`application/json; charset=utf-8`), so that the generators,
/// the lint and the mock read one key. RFC 8259 defines no parameter for
/// `application/json` ("adding one really has no effect"), and the
/// generated client sends and accepts JSON either way. Two JSON media
/// types in one `content` are refused: nothing says which is meant.
pub fn plain_json_media(spec: &Value) -> Result<Option<Value>, CodegenError> {
    fn content(holder: &mut Value, at: &str, changed: &mut bool) -> Result<(), CodegenError> {
        let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
            return Ok(());
        };
        let json: Vec<String> = content
            .keys()
            .filter(|k| is_json_media(k))
            .cloned()
            .collect();
        match json.as_slice() {
            [] => Ok(()),
            [only] if only == "application/json" => Ok(()),
            [only] => {
                let media = content.remove(only).expect("a key just listed");
                content.insert("application/json".into(), media);
                *changed = true;
                Ok(())
            }
            several => Err(bad(format!(
                "{at}: {} are all JSON; keep one",
                several
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
    fn responses(holder: &mut Value, at: &str, changed: &mut bool) -> Result<(), CodegenError> {
        if let Some(responses) = holder.as_object_mut() {
            for (code, response) in responses.iter_mut() {
                content(response, &format!("{at} {code}"), changed)?;
            }
        }
        Ok(())
    }
    let mut plain = spec.clone();
    let mut changed = false;
    if let Some(paths) = plain.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item
                .iter_mut()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
            {
                let at = format!("{} {path}", method.to_ascii_uppercase());
                if let Some(body) = op.get_mut("requestBody") {
                    content(body, &format!("{at} requestBody"), &mut changed)?;
                }
                if let Some(answers) = op.get_mut("responses") {
                    responses(answers, &format!("{at} response"), &mut changed)?;
                }
            }
        }
    }
    if let Some(bodies) = plain
        .pointer_mut("/components/requestBodies")
        .and_then(Value::as_object_mut)
    {
        for (name, body) in bodies.iter_mut() {
            content(
                body,
                &format!("components.requestBodies.{name}"),
                &mut changed,
            )?;
        }
    }
    if let Some(answers) = plain.pointer_mut("/components/responses") {
        responses(answers, "components.responses", &mut changed)?;
    }
    Ok(changed.then_some(plain))
}

/// The spec with `format: uuid` taken off every schema, when it has any.
pub fn without_uuid_format(spec: &Value) -> Option<Value> {
    fn strip(value: &mut Value) -> bool {
        match value {
            Value::Object(map) => {
                let mut found = map.get("format").and_then(Value::as_str) == Some("uuid")
                    && map.get("type").and_then(Value::as_str) == Some("string");
                if found {
                    map.remove("format");
                }
                for child in map.values_mut() {
                    found |= strip(child);
                }
                found
            }
            Value::Array(items) => items.iter_mut().fold(false, |found, v| strip(v) | found),
            _ => false,
        }
    }
    let mut plain = spec.clone();
    strip(&mut plain).then_some(plain)
}

fn path_item(spec: &Value, path: &str, item: &Value) -> Result<(), CodegenError> {
    if !path.starts_with('/') {
        return Err(bad(format!(
            "path `{path}` must start with `/` (without it the operations under it are dropped)"
        )));
    }
    let Some(fields) = item.as_object() else {
        return Err(bad(format!("path {path} must be a mapping")));
    };
    known_keys(
        fields,
        PATH_ITEM_KEYS,
        &format!("path {path}"),
        "a path item field",
    )?;
    for method in METHODS {
        let Some(op_value) = item.get(method) else {
            continue;
        };
        let at = format!("{} {path}", method.to_ascii_uppercase());
        let Some(op) = op_value.as_object() else {
            return Err(bad(format!("{at} must be a mapping")));
        };
        known_keys(op, OPERATION_KEYS, &at, "an operation field")?;
        let params = parameters(spec, item, op_value);
        for param in &params {
            parameter(param, &at)?;
        }
        path_template(path, &params, &at)?;
        if let Some(body) = op.get("requestBody") {
            request_body(local_ref(spec, body), &at)?;
            // The generated method's body argument is `body`.
            if let Some(name) = params
                .iter()
                .filter_map(|p| p.get("name").and_then(Value::as_str))
                .find(|name| super::meta::snake_case(name) == "body")
            {
                return Err(bad(format!(
                    "{at}, parameter `{name}`: its Rust name `body` is the request body's argument in the generated method; rename the parameter"
                )));
            }
        }
        if let Some(answers) = op.get("responses").and_then(Value::as_object) {
            responses(spec, answers, &at)?;
        }
    }
    Ok(())
}

/// What the generated client can read of an operation's answers: JSON
/// bodies only, and one schema for all its successes and one for all its
/// errors. progenitor makes one type of each: two different named schemas
/// panic it, and two inline ones are merged into one type that drops what
/// the second adds.
fn responses(spec: &Value, answers: &Map<String, Value>, at: &str) -> Result<(), CodegenError> {
    let mut groups: [Option<(&str, &Value)>; 2] = [None, None];
    for (status, answer) in answers.iter().filter(|(key, _)| !key.starts_with("x-")) {
        if status == "default" {
            return Err(bad(format!(
                "{at}: a `default` response is not supported; list the statuses it stands for"
            )));
        }
        let answer = local_ref(spec, answer);
        let Some(content) = answer.get("content").and_then(Value::as_object) else {
            continue;
        };
        let types: Vec<&String> = content.keys().collect();
        if types.is_empty() {
            continue;
        }
        if types.len() != 1 || types[0] != "application/json" {
            return Err(bad(format!(
                "{at}: response {status} must have one media type, `application/json` (it has {})",
                types
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let Some(schema) = content["application/json"].get("schema") else {
            continue;
        };
        let success = status.starts_with('2');
        let (group, kind) = if success {
            (&mut groups[0], "successes")
        } else {
            (&mut groups[1], "errors")
        };
        match group {
            None => *group = Some((status, schema)),
            Some((first, seen)) if *seen != schema => {
                return Err(bad(format!(
                    "{at}: responses {first} and {status} have different schemas; the generated client has one type for all its {kind}, so one would be lost (give them the same schema, one `$ref`)"
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn parameter(param: &Value, at: &str) -> Result<(), CodegenError> {
    let Some(map) = param.as_object() else {
        return Err(bad(format!("{at}: a parameter must be a mapping")));
    };
    let name = map.get("name").and_then(Value::as_str).unwrap_or("?");
    let here = format!("{at}, parameter `{name}`");
    known_keys(map, PARAMETER_KEYS, &here, "a parameter field")?;
    let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if map.get("in").and_then(Value::as_str) == Some("header")
        && (name.is_empty() || !name.chars().all(is_token))
    {
        return Err(bad(format!(
            "{here}: a header parameter's name must be a header name (letters, digits, `-` and the like; no spaces)"
        )));
    }
    if map.get("in").and_then(Value::as_str) == Some("path")
        && map.get("required") != Some(&Value::Bool(true))
    {
        return Err(bad(format!(
            "{here}: a path parameter needs `required: true`"
        )));
    }
    Ok(())
}

/// Every `{name}` in the path is a declared path parameter.
fn path_template(path: &str, params: &[&Value], at: &str) -> Result<(), CodegenError> {
    let declared = |name: &str| {
        params.iter().any(|p| {
            p.get("in").and_then(Value::as_str) == Some("path")
                && p.get("name").and_then(Value::as_str) == Some(name)
        })
    };
    let pieces =
        template(path).ok_or_else(|| bad(format!("{at}: `{{` without `}}` in the path")))?;
    for piece in pieces {
        if let Piece::Name(name) = piece
            && !declared(name)
        {
            return Err(bad(format!(
                "{at}: the path names `{{{name}}}`, which no `in: path` parameter declares"
            )));
        }
    }
    Ok(())
}

fn request_body(body: &Value, at: &str) -> Result<(), CodegenError> {
    if body.get("$ref").is_some() {
        return Ok(());
    }
    let content = body.get("content").and_then(Value::as_object);
    let types: Vec<&String> = content.into_iter().flat_map(Map::keys).collect();
    if types.len() != 1 || types[0] != "application/json" {
        return Err(bad(format!(
            "{at}: the request body must have exactly one media type, `application/json` (it has {})",
            if types.is_empty() {
                "none".to_string()
            } else {
                types
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )));
    }
    if body.pointer("/content/application~1json/schema").is_none() {
        return Err(bad(format!(
            "{at}: the `application/json` request body needs a `schema`"
        )));
    }
    Ok(())
}

/// Keys must be known, or extensions (`x-…`); a `x-payusers-…` key must be
/// one this place takes.
fn known_keys(
    map: &Map<String, Value>,
    known: &[&str],
    at: &str,
    what: &str,
) -> Result<(), CodegenError> {
    for key in map.keys() {
        if key.starts_with("x-payusers") && !known.contains(&key.as_str()) {
            return Err(bad(format!(
                "{at}: `{key}` is not an extension payusers reads here"
            )));
        }
        if !key.starts_with("x-") && !known.contains(&key.as_str()) {
            return Err(bad(format!(
                "{at}: `{key}` is not {what} (known: {})",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

fn extensions(value: &Value, known: &[&str], at: &str) -> Result<(), CodegenError> {
    let Some(map) = value.as_object() else {
        return Ok(());
    };
    match map
        .keys()
        .find(|k| k.starts_with("x-payusers") && !known.contains(&k.as_str()))
    {
        Some(key) => Err(bad(format!(
            "{at}: `{key}` is not an extension payusers reads here (known: {})",
            known.join(", ")
        ))),
        None => Ok(()),
    }
}

/// A `format: password` schema, anywhere, is plain enough to become
/// `Password`; anything richer would be generated as a `String` whose
/// `Debug` shows it.
fn password(map: &Map<String, Value>, at: &str) -> Result<(), CodegenError> {
    if map.get("format").and_then(Value::as_str) != Some("password") {
        return Ok(());
    }
    if let Some(key) = map.keys().find(|k| !PASSWORD_KEYS.contains(&k.as_str())) {
        return Err(bad(format!(
            "{at}: a `format: password` schema may carry only {} (it becomes a \
             redacting `Password`, and `{key}` would make it a plain `String`)",
            PASSWORD_KEYS.join(", ")
        )));
    }
    if map.get("type").and_then(Value::as_str) != Some("string") {
        return Err(bad(format!(
            "{at}: a `format: password` schema must be `type: string`"
        )));
    }
    Ok(())
}
