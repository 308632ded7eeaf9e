//! Checks that every example in a spec validates against its own schema.

use crate::spec_schema;
use serde_json::Value;

/// Follows a local `$ref` (`#/components/...`), as many times as needed.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => match r.strip_prefix('#').and_then(|p| spec.pointer(p)) {
            Some(target) => resolve(spec, target),
            None => node,
        },
        None => node,
    }
}

/// Every example that fails its schema, as readable lines.
pub fn check(spec: &Value) -> Vec<String> {
    let mut failures = Vec::new();
    let mut check_one = |place: String, schema: &Value, example: &Value| {
        let standalone = spec_schema::standalone(spec, schema);
        match jsonschema::draft7::new(&standalone) {
            Err(e) => failures.push(format!("{place}: schema does not compile: {e}")),
            Ok(validator) => {
                for error in validator.iter_errors(example) {
                    failures.push(format!(
                        "{place}: example does not match its schema at `{}`: {error}",
                        error.instance_path()
                    ));
                }
            }
        }
    };

    let empty = serde_json::Map::new();
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let parameters = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .chain(
                    item.get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                );
            for param in parameters {
                let param = resolve(spec, param);
                if let (Some(schema), Some(example)) = (param.get("schema"), param.get("example")) {
                    let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
                    check_one(format!("{path} parameter `{name}`"), schema, example);
                }
            }
            let Some(op) = op.as_object() else { continue };
            let body = op.get("requestBody").map(|b| resolve(spec, b));
            if let Some(content) = body
                .and_then(|b| b.get("content"))
                .and_then(Value::as_object)
            {
                for (place, schema, example) in media_examples(content) {
                    check_one(
                        format!("{} {path} request {place}", method.to_uppercase()),
                        schema,
                        example,
                    );
                }
            }
            if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    let response = resolve(spec, response);
                    if let Some(content) = response.get("content").and_then(Value::as_object) {
                        for (place, schema, example) in media_examples(content) {
                            check_one(
                                format!(
                                    "{} {path} response {status} {place}",
                                    method.to_uppercase()
                                ),
                                schema,
                                example,
                            );
                        }
                    }
                }
            }
        }
    }

    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (name, schema) in schemas {
        if let Some(example) = schema.get("example") {
            check_one(
                format!("components.schemas.{name} example"),
                schema,
                example,
            );
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (prop, prop_schema) in props {
                if let Some(example) = prop_schema.get("example") {
                    check_one(
                        format!("components.schemas.{name}.{prop} example"),
                        prop_schema,
                        example,
                    );
                }
            }
        }
    }
    failures
}

/// (label, schema, example) for each example of each media type.
fn media_examples(content: &serde_json::Map<String, Value>) -> Vec<(String, &Value, &Value)> {
    let mut out = Vec::new();
    for (media, body) in content {
        let Some(schema) = body.get("schema") else {
            continue;
        };
        if let Some(example) = body.get("example") {
            out.push((format!("{media} example"), schema, example));
        }
        if let Some(examples) = body.get("examples").and_then(Value::as_object) {
            for (name, ex) in examples {
                if let Some(value) = ex.get("value") {
                    out.push((format!("{media} example `{name}`"), schema, value));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bad_example_is_reported_with_its_place() {
        let spec = json!({"paths": {"/u": {"put": {
            "requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Body"},
                "examples": {"ok": {"value": {"n": 1}}, "bad": {"value": {"n": "x"}}}
            }}},
            "responses": {}
        }}},
        "components": {"schemas": {"Body": {"type": "object", "properties": {"n": {"type": "integer", "example": 2}}}}}});
        let failures = check(&spec);
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(
            failures[0].contains("PUT /u request application/json example `bad`"),
            "{}",
            failures[0]
        );
    }
}
