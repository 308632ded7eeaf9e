//! Request bodies checked against the specs the clients are generated from.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, JsonType, ValidationError, Validator};
use serde_json::Value;

/// Compiles one OpenAPI schema of `spec` into a JSON Schema validator.
pub(crate) fn compile(spec: &Value, schema: &Value) -> Result<Validator, String> {
    let schema = crate::spec_schema::standalone(spec, schema);
    jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        // Not a Draft 7 format, but OpenAPI's: the generated client takes
        // such a string as a plain `String`, so the mock checks it.
        .with_format("uuid", is_uuid)
        .build(&schema)
        .map_err(|e| format!("a schema does not compile: {e}"))
}

/// RFC 4122's text form: 8-4-4-4-12 hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Parses a JSON body and checks it; the error names the field and rule.
pub(crate) fn check(validator: &Validator, body: &[u8]) -> Result<Value, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("malformed JSON body: {e}"))?;
    check_body(validator, &value)?;
    Ok(value)
}

/// Checks a parameter's value; the error says the rule.
pub(crate) fn check_value(validator: &Validator, value: &Value) -> Result<(), String> {
    match validator.iter_errors(value).next() {
        None => Ok(()),
        Some(error) => Err(describe(&error).replacen("request body: ", "", 1)),
    }
}

/// Checks a parsed body; the error names the field and rule.
pub(crate) fn check_body(validator: &Validator, value: &Value) -> Result<(), String> {
    match validator.iter_errors(value).next() {
        None => Ok(()),
        Some(error) => Err(describe(&error)),
    }
}

fn describe(error: &ValidationError<'_>) -> String {
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let parent = field_name(error.instance_path().as_str());
            let property = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            if parent.is_empty() {
                format!("`{property}` is required")
            } else {
                format!("`{parent}.{property}` is required")
            }
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // Nullable fields become `anyOf: [null, schema]`: explain why the
            // value fails the non-null branch rather than the `anyOf` itself.
            let branch = context
                .iter()
                .filter(|errors| !errors.iter().all(is_null_type_error))
                .find_map(|errors| errors.first());
            match branch {
                Some(inner) => describe(inner),
                None => at(error),
            }
        }
        _ => at(error),
    }
}

fn at(error: &ValidationError<'_>) -> String {
    let field = field_name(error.instance_path().as_str());
    let what = error.masked().to_string();
    if field.is_empty() {
        format!("request body: {what}")
    } else {
        format!("invalid `{field}`: {what}")
    }
}

fn is_null_type_error(error: &ValidationError<'_>) -> bool {
    matches!(
        error.kind(),
        ValidationErrorKind::Type {
            kind: TypeKind::Single(JsonType::Null)
        }
    )
}

/// `/scope/0/orgId` → `scope[0].orgId`.
fn field_name(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').filter(|s| !s.is_empty()) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&segment);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_format_is_checked() {
        let spec = serde_json::json!({"openapi": "3.0.3"});
        let schema = serde_json::json!({"type": "string", "format": "uuid"});
        let validator = compile(&spec, &schema).unwrap();
        let uuid = Value::from("9b2c1f0e-8a3d-4c7b-9e1a-2f5d6c8b0a11");
        assert_eq!(check_value(&validator, &uuid), Ok(()));
        for bad in [
            "not-a-uuid",
            "9b2c1f0e8a3d4c7b9e1a2f5d6c8b0a11",
            "9b2c1f0e-8a3d-4c7b-9e1a-2f5d6c8b0a1g",
        ] {
            assert!(check_value(&validator, &Value::from(bad)).is_err(), "{bad}");
        }
    }

    fn component(module: &str, name: &str) -> Validator {
        let (_, json) = crate::generated::SPEC_JSON
            .iter()
            .find(|(m, _)| *m == module)
            .unwrap();
        let spec: Value = serde_json::from_str(json).unwrap();
        compile(
            &spec,
            &serde_json::json!({"$ref": format!("#/components/schemas/{name}")}),
        )
        .unwrap()
    }

    #[test]
    fn messages_name_the_field() {
        let hpay = component("hpay", "UpdateUserRequest");
        let payabli = component("payabli", "UserData");
        let err = check(&hpay, br#"{"app_user_id":1,"phone_number":"+23279123456"}"#);
        assert_eq!(err.unwrap_err(), "`name` is required");
        let err = check(
            &hpay,
            br#"{"app_user_id":"1","name":"A","phone_number":"+23279123456"}"#,
        );
        assert!(err.unwrap_err().contains("`app_user_id`"));
        let err = check(&payabli, br#"{"usrStatus":7}"#).unwrap_err();
        assert!(err.contains("`usrStatus`"), "{err}");
        let err = check(&payabli, br#"{"additionalData":{"k":7}}"#).unwrap_err();
        assert!(err.contains("`additionalData.k`"), "{err}");
        let err = check(&payabli, br#"{"pwd":12345}"#).unwrap_err();
        assert!(!err.contains("12345"), "{err}");
        assert!(check(&payabli, br#"{"email":null,"timeZone":-5}"#).is_ok());
        assert!(
            check(&payabli, b"{")
                .unwrap_err()
                .starts_with("malformed JSON")
        );
        assert_eq!(field_name("/scope/0/orgId"), "scope[0].orgId");
    }
}
