//! JSON Schema views of the OpenAPI documents.
//!
//! OpenAPI 3.0 schemas are *almost* JSON Schema; this module bridges the
//! gap (`nullable`, `#/components/schemas` references, OpenAPI-only
//! keywords) so one validator can check bodies against the very documents
//! the clients are generated from. Used by the embedded mock, the tests and
//! `cargo xtask check` (which includes this file by path): keep it free of
//! crate-internal dependencies (serde_json only).

use serde_json::{Map, Value};

/// OpenAPI-only keywords that JSON Schema validators do not know.
const OPENAPI_ONLY: [&str; 6] = [
    "nullable",
    "example",
    "xml",
    "externalDocs",
    "discriminator",
    "deprecated",
];

/// Converts one OpenAPI schema (inline or `$ref`) into a standalone JSON
/// Schema document: references point into `definitions`, which holds every
/// converted component schema of `spec`.
pub fn standalone(spec: &Value, schema: &Value) -> Value {
    let mut root = match convert(schema) {
        Value::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("allOf".into(), Value::Array(vec![other]));
            map
        }
    };
    let definitions: Map<String, Value> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .map(|(name, s)| (name.clone(), convert(s)))
                .collect()
        })
        .unwrap_or_default();
    root.insert("definitions".into(), Value::Object(definitions));
    Value::Object(root)
}

/// A named component schema as a standalone JSON Schema document.
pub fn component(spec: &Value, name: &str) -> Option<Value> {
    spec.pointer(&format!("/components/schemas/{name}"))?;
    Some(standalone(
        spec,
        &serde_json::json!({ "$ref": format!("#/components/schemas/{name}") }),
    ))
}

/// Converts one OpenAPI schema node into JSON Schema (recursively).
pub fn convert(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let target = reference.replace("#/components/schemas/", "#/definitions/");
                return serde_json::json!({ "$ref": target });
            }
            let mut out = Map::new();
            for (key, value) in map {
                if OPENAPI_ONLY.contains(&key.as_str()) {
                    continue;
                }
                let converted = match key.as_str() {
                    "properties" | "patternProperties" => match value {
                        Value::Object(props) => Value::Object(
                            props.iter().map(|(k, v)| (k.clone(), convert(v))).collect(),
                        ),
                        other => other.clone(),
                    },
                    "items" | "additionalProperties" | "not" => convert(value),
                    "allOf" | "anyOf" | "oneOf" => match value {
                        Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
                        other => other.clone(),
                    },
                    // `format: password` and `int32`/`int64` carry no extra rule here.
                    _ => value.clone(),
                };
                out.insert(key.clone(), converted);
            }
            exclusive_bounds(&mut out);
            if map.get("nullable") == Some(&Value::Bool(true)) {
                return nullable(out);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// OpenAPI 3.0's `exclusiveMinimum: true` makes `minimum` exclusive; JSON
/// Schema (draft 6 on) says the same with `exclusiveMinimum: <bound>`.
/// `false` is the default and goes.
fn exclusive_bounds(out: &mut Map<String, Value>) {
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match out.get(flag) {
            Some(Value::Bool(true)) => match out.remove(bound) {
                Some(value) => {
                    out.insert(flag.into(), value);
                }
                None => {
                    out.remove(flag);
                }
            },
            Some(Value::Bool(false)) => {
                out.remove(flag);
            }
            _ => {}
        }
    }
}

/// Makes a converted schema also accept `null`.
fn nullable(mut out: Map<String, Value>) -> Value {
    match out.get("type").cloned() {
        Some(Value::String(t)) => {
            out.insert("type".into(), serde_json::json!([t, "null"]));
            if let Some(Value::Array(values)) = out.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(out)
        }
        // No single type (e.g. `allOf` around a `$ref`): null or the schema.
        _ if out.is_empty() => Value::Object(out),
        _ => serde_json::json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nullable_string_accepts_null_and_refs_move_to_definitions() {
        let spec = json!({"components": {"schemas": {"S": {"type": "integer", "enum": [0, 1]}}}});
        let schema = json!({"type": "object", "properties": {
            "a": {"type": "string", "nullable": true, "maxLength": 2, "example": "x"},
            "b": {"allOf": [{"$ref": "#/components/schemas/S"}], "nullable": true}
        }});
        let out = standalone(&spec, &schema);
        assert_eq!(out["properties"]["a"]["type"], json!(["string", "null"]));
        assert!(out["properties"]["a"].get("example").is_none());
        assert_eq!(out["properties"]["b"]["anyOf"][0], json!({"type": "null"}));
        assert_eq!(
            out["properties"]["b"]["anyOf"][1]["allOf"][0]["$ref"],
            "#/definitions/S"
        );
        assert_eq!(out["definitions"]["S"]["enum"], json!([0, 1]));
    }

    #[test]
    fn boolean_exclusive_bounds_become_draft_7_bounds() {
        let schema = json!({"type": "integer", "minimum": 1, "exclusiveMinimum": false,
                            "maximum": 10, "exclusiveMaximum": true});
        let out = convert(&schema);
        assert_eq!(
            out,
            json!({"type": "integer", "minimum": 1, "exclusiveMaximum": 10})
        );
        // Without its bound, the flag means nothing.
        assert_eq!(
            convert(&json!({"type": "integer", "exclusiveMinimum": true})),
            json!({"type": "integer"})
        );
    }
}
