//! Contract tests: the specs' examples and the seeds' exact bodies fit the
//! generated types, round-trip unchanged, and satisfy the generated types'
//! own `schemars` schemas.

mod seeds;

use payusers::generated::SPEC_JSON;
use payusers::{hpay::raw as hpay, payabli::raw as payabli};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

/// Optional nullable fields: `null` and "absent" mean the same thing on the
/// wire, and the generated types serialize `None` as absent. Compare modulo
/// that.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn round_trip<T: Serialize + DeserializeOwned + schemars::JsonSchema>(
    place: &str,
    example: &Value,
) {
    let typed: T = serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("{place}: example does not deserialize: {e}\n{example:#}"));
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        without_nulls(&back),
        without_nulls(example),
        "{place}: round trip changed the JSON"
    );

    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(example)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{place}: the schemars schema refuses the example: {errors:?}"
    );
}

/// Dispatches on the component name an example's schema refers to.
fn check(module: &str, schema_ref: &str, place: &str, example: &Value) {
    match (module, schema_ref) {
        ("hpay", "UpdateUserRequest") => {
            round_trip::<hpay::types::UpdateUserRequest>(place, example)
        }
        ("hpay", "CreateUserRequest") => {
            round_trip::<hpay::types::CreateUserRequest>(place, example)
        }
        ("hpay", "User") => round_trip::<hpay::types::User>(place, example),
        ("hpay", "User[]") => round_trip::<Vec<hpay::types::User>>(place, example),
        ("hpay", "DeleteUserResponse") => {
            round_trip::<hpay::types::DeleteUserResponse>(place, example)
        }
        ("hpay", "ErrorResponse") => round_trip::<hpay::types::ErrorResponse>(place, example),
        ("payabli", "UserData") => round_trip::<payabli::types::UserData>(place, example),
        ("payabli", "MfaData") => round_trip::<payabli::types::MfaData>(place, example),
        ("payabli", "PayabliApiResponse") => {
            round_trip::<payabli::types::PayabliApiResponse>(place, example)
        }
        ("payabli", "PayabliError") => round_trip::<payabli::types::PayabliError>(place, example),
        ("payabli", "UserQueryRecord") => {
            round_trip::<payabli::types::UserQueryRecord>(place, example)
        }
        ("payabli", "QueryUserResponse") => {
            round_trip::<payabli::types::QueryUserResponse>(place, example)
        }
        ("acme", "Widget") => {
            round_trip::<payusers::generated::acme::types::Widget>(place, example)
        }
        ("acme", "Health") => {
            round_trip::<payusers::generated::acme::types::Health>(place, example)
        }
        ("acme", "NewWidget") => {
            round_trip::<payusers::generated::acme::types::NewWidget>(place, example)
        }
        other => panic!("{place}: no contract mapping for {other:?}; add it to tests/contract.rs"),
    }
}

fn spec(module: &str) -> Value {
    let (_, json) = SPEC_JSON
        .iter()
        .find(|(m, _)| *m == module)
        .expect("spec is bundled");
    serde_json::from_str(json).unwrap()
}

/// Follows a local `$ref`.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node["$ref"].as_str() {
        Some(r) => resolve(spec, spec.pointer(&r[1..]).unwrap_or(node)),
        None => node,
    }
}

/// The component a media type's schema names (`User`, or `User[]` for an array of it).
fn component(schema: &Value) -> String {
    let name = |s: &Value| {
        s["$ref"]
            .as_str()
            .unwrap_or_default()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    if schema["type"] == "array" {
        format!("{}[]", name(&schema["items"]))
    } else {
        name(schema)
    }
}

/// Every (place, component, example) in a spec's request and response bodies.
fn examples(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let mut bodies = vec![(
                format!("{method} {path} request"),
                &resolve(spec, &op["requestBody"])["content"],
            )];
            if let Some(responses) = op["responses"].as_object() {
                for (status, response) in responses {
                    bodies.push((
                        format!("{method} {path} {status}"),
                        &resolve(spec, response)["content"],
                    ));
                }
            }
            for (place, content) in bodies {
                let Some(content) = content.as_object() else {
                    continue;
                };
                for media in content.values() {
                    let component = component(&media["schema"]);
                    for (name, ex) in media["examples"].as_object().into_iter().flatten() {
                        out.push((
                            format!("{place} `{name}`"),
                            component.clone(),
                            ex["value"].clone(),
                        ));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_spec_example_round_trips_through_the_generated_types() {
    let mut seen = 0;
    for (module, _) in SPEC_JSON {
        for (place, component, example) in examples(&spec(module)) {
            check(module, &component, &format!("{module}: {place}"), &example);
            seen += 1;
        }
    }
    // Every request body and every documented response carries at least one
    // example: 47 in both specs when this was written.
    assert!(seen >= 45, "only {seen} examples found");
}

#[test]
fn the_hpay_seed_bodies_round_trip() {
    let request = seeds::json(seeds::HPAY_REQUEST);
    let response = seeds::json(seeds::HPAY_RESPONSE);
    check("hpay", "UpdateUserRequest", "hpay seed request", &request);
    check("hpay", "User", "hpay seed response", &response);
}

#[test]
fn the_payabli_seed_bodies_round_trip() {
    let request = seeds::json(seeds::PAYABLI_REQUEST);
    let response = seeds::json(seeds::PAYABLI_RESPONSE);
    check("payabli", "UserData", "payabli seed request", &request);
    check(
        "payabli",
        "PayabliApiResponse",
        "payabli seed response",
        &response,
    );
}

#[test]
fn the_generated_types_enforce_the_specs_limits() {
    let too_long = json!({"email": format!("{}@e.com", "a".repeat(320))});
    assert!(serde_json::from_value::<payabli::types::UserData>(too_long).is_err());
    assert!(serde_json::from_value::<payabli::types::UserData>(json!({"usrStatus": 7})).is_err());
    assert!(serde_json::from_value::<payabli::types::UserData>(json!({"language": "fr"})).is_err());
    let bad_phone = json!({"app_user_id": 1, "name": "A", "phone_number": "079123456"});
    assert!(serde_json::from_value::<hpay::types::UpdateUserRequest>(bad_phone).is_err());
}

#[test]
fn a_partial_payabli_update_sends_only_what_was_set() {
    // Regression: a schema `default` on timeZone made every partial update
    // send `"timeZone": 0` and reset the user's timezone.
    let body = serde_json::to_value(payabli::types::UserData::default()).unwrap();
    assert_eq!(body, json!({}));
}

#[test]
fn the_facade_time_zone_range_is_the_specs() {
    let spec = spec("payabli");
    let tz = &spec["components"]["schemas"]["UserData"]["properties"]["timeZone"];
    assert_eq!(tz["minimum"], json!(payusers::payabli::TIME_ZONE_MIN));
    assert_eq!(tz["maximum"], json!(payusers::payabli::TIME_ZONE_MAX));
}

#[test]
fn every_user_status_is_in_the_specs_enum() {
    use payusers::payabli::UserStatus;
    let spec = spec("payabli");
    let allowed = spec["components"]["schemas"]["UsrStatus"]["enum"]
        .as_array()
        .unwrap()
        .clone();
    for status in [
        UserStatus::Inactive,
        UserStatus::Active,
        UserStatus::Deleted,
        UserStatus::Locked,
    ] {
        assert!(allowed.contains(&json!(status.code())), "{status:?}");
        let wire: payabli::types::UsrStatus = status.into();
        assert_eq!(i32::from(wire), status.code());
    }
    assert_eq!(allowed.len(), 4);
}

#[test]
fn the_schemars_schemas_keep_the_specs_enum_and_password_format() {
    // The integer enum's impl is rewritten by codegen (typify writes it
    // for schemars 0.8): its schema must still list exactly the spec's values.
    let spec = spec("payabli");
    let status = serde_json::to_value(schemars::schema_for!(payabli::types::UsrStatus)).unwrap();
    assert_eq!(status["type"], "integer", "{status:#}");
    assert_eq!(
        status["enum"],
        spec["components"]["schemas"]["UsrStatus"]["enum"]
    );
    let validator = jsonschema::validator_for(&status).unwrap();
    assert!(validator.is_valid(&json!(-99)));
    assert!(
        !validator.is_valid(&json!(7)),
        "a value outside the enum passes"
    );

    let password = serde_json::to_value(schemars::schema_for!(payusers::secret::Password)).unwrap();
    assert_eq!(password["type"], "string", "{password:#}");
    assert_eq!(password["format"], "password", "{password:#}");
}
