//! Request bodies checked against the specs the clients are generated from.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, JsonType, ValidationError, Validator};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// The compiled request-body schemas, one per documented body.
pub(crate) struct Schemas {
    /// hPay's `UpdateUserRequest`.
    pub(crate) hpay_update: Validator,
    /// Payabli's `UserData`.
    pub(crate) payabli_update: Validator,
}

/// The schemas, compiled once per process.
pub(crate) fn schemas() -> Result<Arc<Schemas>, String> {
    static SCHEMAS: OnceLock<Result<Arc<Schemas>, String>> = OnceLock::new();
    SCHEMAS
        .get_or_init(|| {
            Ok(Arc::new(Schemas {
                hpay_update: compile("hpay", "UpdateUserRequest")?,
                payabli_update: compile("payabli", "UserData")?,
            }))
        })
        .clone()
}

/// Compiles component `name` of the bundled spec `module`.
fn compile(module: &str, name: &str) -> Result<Validator, String> {
    let (_, json) = crate::generated::SPEC_JSON
        .iter()
        .find(|(m, _)| *m == module)
        .ok_or_else(|| format!("spec `{module}` is not bundled"))?;
    let spec: Value =
        serde_json::from_str(json).map_err(|e| format!("spec `{module}` is not JSON: {e}"))?;
    let schema = crate::spec_schema::component(&spec, name)
        .ok_or_else(|| format!("spec `{module}` has no component `{name}`"))?;
    jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| format!("schema `{module}` `{name}` does not compile: {e}"))
}

/// Parses `body` as JSON and checks it; the error names the offending field.
pub(crate) fn check(validator: &Validator, body: &[u8]) -> Result<Value, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("malformed JSON body: {e}"))?;
    let problem = validator
        .iter_errors(&value)
        .next()
        .map(|error| describe(&error));
    match problem {
        None => Ok(value),
        Some(message) => Err(message),
    }
}

/// A short, value-free explanation of one schema error.
///
/// Values are masked so a password or a 2 KiB string is never echoed back.
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
    fn messages_name_the_field() {
        let s = schemas().unwrap();
        let err = check(
            &s.hpay_update,
            br#"{"app_user_id":1,"phone_number":"+23279123456"}"#,
        );
        assert_eq!(err.unwrap_err(), "`name` is required");
        let err = check(
            &s.hpay_update,
            br#"{"app_user_id":"1","name":"A","phone_number":"+23279123456"}"#,
        );
        assert!(err.unwrap_err().contains("`app_user_id`"));
        let err = check(&s.payabli_update, br#"{"usrStatus":7}"#).unwrap_err();
        assert!(err.contains("`usrStatus`"), "{err}");
        let err = check(&s.payabli_update, br#"{"additionalData":{"k":7}}"#).unwrap_err();
        assert!(err.contains("`additionalData.k`"), "{err}");
        let err = check(&s.payabli_update, br#"{"pwd":12345}"#).unwrap_err();
        assert!(!err.contains("12345"), "{err}");
        assert!(check(&s.payabli_update, br#"{"email":null,"timeZone":-5}"#).is_ok());
        assert!(
            check(&s.payabli_update, b"{")
                .unwrap_err()
                .starts_with("malformed JSON")
        );
        assert_eq!(field_name("/scope/0/orgId"), "scope[0].orgId");
    }
}
