//! Golden files: the exact JSON the embedded mock sends for every documented
//! response of every operation in `openapi/hpay.yaml` and
//! `openapi/payabli.yaml`, so the mock's fidelity cannot drift unnoticed.
//!
//! Each case below drives a fresh, reproducible mock (fixed clock,
//! sequential ids, the documentation's users) over loopback with raw
//! `reqwest` requests, produces one documented status (from the mock's
//! state where it can, from `fail_next` for 403/429/500/503), and compares
//! the exchange with `tests/golden/<provider>/<operation>.<status>[.<variant>].json`:
//! the request sent, the status, the content type and the body, both as JSON
//! and byte for byte (the mock writes compact JSON with sorted keys).
//!
//! To rewrite the goldens after an intended change of the mock:
//!
//! ```sh
//! UPDATE_GOLDEN=1 cargo test --all-features --test mock_golden
//! ```
//!
//! then review the diff of `tests/golden/`. In that mode the files are
//! written (and goldens no case produces are deleted) instead of compared;
//! the other checks still run.
//!
//! Besides the comparison, every answer must validate against the schema
//! the spec documents for that operation and status, every case must target
//! the path and method of the operation it claims, and every documented
//! (operation, status) pair of both specs must have a case, except the few
//! listed in [`UNPRODUCIBLE`] with the reason the mock cannot produce them.

use payusers::mock::{Fixtures, MockServer};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Documented (provider, operation, status) triples the mock cannot produce,
/// with the reason. The coverage test accepts these without a golden, and
/// fails if one of them is no longer documented (so the list cannot go stale).
const UNPRODUCIBLE: &[(&str, &str, u16, &str)] = &[(
    "hpay",
    "create_user",
    200,
    "the mock answers every successful create with 201 (the documented \
     primary status); a scripted `fail_next(1, 200)` would answer the error \
     shape `{\"detail\": \"OK\"}`, not a user, so a 200 create is never sent",
)];

/// The instant every reproducible mock stamps (the hPay pages' `created_at`).
fn at() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2025-01-16T10:30:00Z")
        .unwrap()
        .to_utc()
}

/// The users the providers' documentation shows: hPay's John and Jane, and
/// Payabli's Sean Smith with every field of the "Get user" example the mock
/// can store.
fn fixtures() -> Fixtures {
    Fixtures::from_json(
        r#"{
        "hpay": [
            {"id": "user_abc123", "app_user_id": 1, "name": "John Doe",
             "phone_number": "+23279123456", "email": "john@example.com"},
            {"id": "user_xyz789", "app_user_id": 2, "name": "Jane Smith",
             "phone_number": "+23279654321", "email": "jane@example.com"}
        ],
        "payabli": [
            {"userId": 1000000, "name": "Sean Smith", "email": "example@email.com",
             "phone": "5555555555", "usrStatus": 1, "timeZone": -5, "language": "en",
             "scope": [{"orgType": 0, "orgId": 123}],
             "access": [{"roleLabel": "customers", "roleValue": true}],
             "mfaData": {"mfa": false, "mfaMode": 0},
             "additionalData": {"key1": "value1"}}
        ]
    }"#,
    )
    .expect("the golden fixtures are valid")
}

/// How a case authenticates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Credentials {
    /// The values the mock accepts.
    Valid,
    /// Wrong values in every credential header.
    Wrong,
}

/// One request to the mock and the documented status it must produce.
struct Case {
    provider: &'static str,
    op: &'static str,
    status: u16,
    /// Distinguishes several goldens of one (operation, status).
    variant: &'static str,
    method: Method,
    /// Path and query below the provider's base URL.
    path: String,
    body: Option<Value>,
    credentials: Credentials,
    /// A scripted `fail_next(1, status)`.
    fault: Option<u16>,
}

impl Case {
    fn new(
        provider: &'static str,
        op: &'static str,
        status: u16,
        method: Method,
        path: impl Into<String>,
    ) -> Case {
        Case {
            provider,
            op,
            status,
            variant: "",
            method,
            path: path.into(),
            body: None,
            credentials: Credentials::Valid,
            fault: None,
        }
    }

    fn variant(mut self, variant: &'static str) -> Case {
        self.variant = variant;
        self
    }

    fn body(mut self, body: Value) -> Case {
        self.body = Some(body);
        self
    }

    fn wrong_credentials(mut self) -> Case {
        self.credentials = Credentials::Wrong;
        self
    }

    /// The status comes from a scripted fault, not from the mock's state.
    fn fault(mut self) -> Case {
        self.fault = Some(self.status);
        self
    }

    fn file_name(&self) -> String {
        if self.variant.is_empty() {
            format!("{}.{}.json", self.op, self.status)
        } else {
            format!("{}.{}.{}.json", self.op, self.status, self.variant)
        }
    }

    fn golden_path(&self) -> PathBuf {
        golden_dir(self.provider).join(self.file_name())
    }

    fn label(&self) -> String {
        format!("{}/{}", self.provider, self.file_name())
    }
}

fn golden_dir(provider: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
        .join(provider)
}

fn updating() -> bool {
    std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1")
}

/// The documented hPay requests and the answers they must produce.
fn hpay_cases() -> Vec<Case> {
    const USER: &str = "/api/v1/users/user_abc123/";
    const NOBODY: &str = "/api/v1/users/user_nobody/";
    let c = |op, status, method, path: &str| Case::new("hpay", op, status, method, path);
    // The request from the hPay "Create User" page ...
    let documented_create = json!({
        "app_user_id": 1001, "name": "John Doe",
        "email": "john.doe@example.com", "phone_number": "+23279123456"
    });
    // ... whose phone number the seeded `user_abc123` (the "Update User"
    // page's user) already holds: hPay keeps phone numbers and emails
    // unique, so a new user needs its own.
    let create = json!({
        "app_user_id": 1001, "name": "John Doe",
        "email": "john.doe@example.com", "phone_number": "+23279100100"
    });
    // The request from the hPay "Update User" page.
    let update = json!({
        "app_user_id": 1, "name": "John Updated Doe",
        "email": "john.new@example.com", "phone_number": "+23279123456"
    });
    let post = || Method::POST;
    let create_path = "/api/v1/users/create/";
    let mut cases = vec![
        // create_user
        c("create_user", 201, post(), create_path).body(create.clone()),
        c("create_user", 400, post(), create_path)
            .variant("already_exists")
            .body(json!({"app_user_id": 1, "name": "John Doe", "phone_number": "+23279123456"})),
        c("create_user", 400, post(), create_path)
            .variant("phone_number_taken")
            .body(documented_create),
        c("create_user", 400, post(), create_path)
            .variant("invalid_body")
            .body(json!({"app_user_id": 1001, "name": "John Doe"})),
        c("create_user", 401, post(), create_path)
            .body(create.clone())
            .wrong_credentials(),
        // list_users
        c(
            "list_users",
            200,
            Method::GET,
            "/api/v1/users/?is_active=true",
        ),
        c(
            "list_users",
            400,
            Method::GET,
            "/api/v1/users/?is_active=maybe",
        ),
        c("list_users", 401, Method::GET, "/api/v1/users/").wrong_credentials(),
        // get_user
        c("get_user", 200, Method::GET, USER),
        c("get_user", 401, Method::GET, USER).wrong_credentials(),
        c("get_user", 404, Method::GET, NOBODY),
        // update_user
        c("update_user", 200, Method::PUT, USER).body(update.clone()),
        c("update_user", 400, Method::PUT, USER)
            .variant("app_user_id_changed")
            .body(json!({"app_user_id": 99, "name": "John Doe", "phone_number": "+23279123456"})),
        c("update_user", 400, Method::PUT, USER)
            .variant("invalid_body")
            .body(json!({"app_user_id": 1, "name": "John Doe", "phone_number": "079123456"})),
        c("update_user", 401, Method::PUT, USER)
            .body(update.clone())
            .wrong_credentials(),
        c("update_user", 404, Method::PUT, NOBODY).body(update.clone()),
        // delete_user
        c("delete_user", 200, Method::DELETE, USER),
        c("delete_user", 401, Method::DELETE, USER).wrong_credentials(),
        c("delete_user", 404, Method::DELETE, NOBODY),
    ];
    // The statuses only a scripted fault produces, for every operation.
    for status in [403, 429, 500] {
        cases.push(
            c("create_user", status, post(), create_path)
                .body(create.clone())
                .fault(),
        );
        cases.push(c("list_users", status, Method::GET, "/api/v1/users/").fault());
        cases.push(c("get_user", status, Method::GET, USER).fault());
        cases.push(
            c("update_user", status, Method::PUT, USER)
                .body(update.clone())
                .fault(),
        );
        cases.push(c("delete_user", status, Method::DELETE, USER).fault());
    }
    cases
}

/// The documented Payabli requests and the answers they must produce.
fn payabli_cases() -> Vec<Case> {
    const SEAN: &str = "/User/1000000";
    const NOBODY: &str = "/User/42";
    let c = |op, status, method, path: &str| Case::new("payabli", op, status, method, path);
    // The request from the Payabli "Create user" and "Update user" pages.
    let user_data = json!({
        "email": "example@email.com", "phone": "5555555555", "name": "Sean Smith",
        "pwd": "<string>",
        "scope": [{"orgType": 0, "orgId": 123}],
        "access": [{"roleLabel": "customers", "roleValue": true}],
        "usrStatus": 1, "timeZone": -5, "language": "en",
        "mfaData": {"mfa": true, "mfaMode": 0},
        "additionalData": {"key1": "value1", "key2": "value2", "key3": "value3"}
    });
    let lock = json!({"usrStatus": 85, "language": "es"});
    let mfa = json!({"mfa": true, "mfaMode": 0});
    let org = "/Query/users/org/123";
    let point = "/Query/users/point/entry-123";
    let mut cases = vec![
        // add_user
        c("add_user", 200, Method::POST, "/User").body(user_data.clone()),
        c("add_user", 400, Method::POST, "/User").body(json!({"email": "not-an-email"})),
        c("add_user", 401, Method::POST, "/User")
            .body(user_data.clone())
            .wrong_credentials(),
        // get_user
        c("get_user", 200, Method::GET, SEAN),
        c("get_user", 400, Method::GET, NOBODY).variant("unknown_user"),
        c("get_user", 400, Method::GET, "/User/abc").variant("invalid_id"),
        c("get_user", 401, Method::GET, SEAN).wrong_credentials(),
        // update_user
        c("update_user", 200, Method::PUT, SEAN).body(user_data.clone()),
        c("update_user", 200, Method::PUT, NOBODY)
            .variant("declined")
            .body(lock.clone()),
        c("update_user", 400, Method::PUT, SEAN).body(json!({"usrStatus": 7})),
        c("update_user", 401, Method::PUT, SEAN)
            .body(lock.clone())
            .wrong_credentials(),
        // delete_user
        c("delete_user", 200, Method::DELETE, SEAN),
        c("delete_user", 200, Method::DELETE, NOBODY).variant("declined"),
        c("delete_user", 400, Method::DELETE, "/User/abc"),
        c("delete_user", 401, Method::DELETE, SEAN).wrong_credentials(),
        // update_user_mfa
        c("update_user_mfa", 200, Method::PUT, "/User/mfa/1000000").body(mfa.clone()),
        c("update_user_mfa", 200, Method::PUT, "/User/mfa/42")
            .variant("declined")
            .body(mfa.clone()),
        c("update_user_mfa", 400, Method::PUT, "/User/mfa/1000000").body(json!({"mfa": "yes"})),
        c("update_user_mfa", 401, Method::PUT, "/User/mfa/1000000")
            .body(mfa.clone())
            .wrong_credentials(),
        // list_users_org
        c("list_users_org", 200, Method::GET, org),
        c(
            "list_users_org",
            400,
            Method::GET,
            &format!("{org}?fromRecord=-1"),
        ),
        c("list_users_org", 401, Method::GET, org).wrong_credentials(),
        // list_users_paypoint
        c("list_users_paypoint", 200, Method::GET, point),
        c(
            "list_users_paypoint",
            400,
            Method::GET,
            &format!("{point}?status(in)=x"),
        ),
        c("list_users_paypoint", 401, Method::GET, point).wrong_credentials(),
    ];
    for status in [500, 503] {
        cases.push(
            c("add_user", status, Method::POST, "/User")
                .body(user_data.clone())
                .fault(),
        );
        cases.push(c("get_user", status, Method::GET, SEAN).fault());
        cases.push(
            c("update_user", status, Method::PUT, SEAN)
                .body(lock.clone())
                .fault(),
        );
        cases.push(c("delete_user", status, Method::DELETE, SEAN).fault());
        cases.push(
            c("update_user_mfa", status, Method::PUT, "/User/mfa/1000000")
                .body(mfa.clone())
                .fault(),
        );
        cases.push(c("list_users_org", status, Method::GET, org).fault());
        cases.push(c("list_users_paypoint", status, Method::GET, point).fault());
    }
    cases
}

/// One operation of a spec, as the coverage and target checks need it.
struct SpecOperation {
    method: String,
    path: String,
    /// Documented status → the response object (references resolved).
    responses: BTreeMap<u16, Value>,
}

fn spec(provider: &str) -> Value {
    let (_, text) = payusers::generated::SPEC_JSON
        .iter()
        .find(|(m, _)| *m == provider)
        .unwrap_or_else(|| panic!("no bundled spec `{provider}`"));
    serde_json::from_str(text).unwrap()
}

/// Follows local `$ref`s.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            spec,
            spec.pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling $ref {r}")),
        ),
        None => node,
    }
}

/// Every operation of `provider`'s spec, by `operationId`.
fn operations(provider: &str) -> BTreeMap<String, SpecOperation> {
    let spec = spec(provider);
    let mut out = BTreeMap::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let responses = op["responses"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(code, r)| {
                    let code: u16 = code.parse().unwrap_or_else(|_| {
                        panic!("{provider} {id}: response `{code}` is not a status")
                    });
                    (code, resolve(&spec, r).clone())
                })
                .collect();
            out.insert(
                id.to_string(),
                SpecOperation {
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    responses,
                },
            );
        }
    }
    out
}

/// Whether `path` (query ignored) fits the spec's path `template`.
fn fits(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// The JSON Schema validator for the documented body of (operation, status).
fn body_validator(provider: &str, response: &Value) -> Option<jsonschema::Validator> {
    let spec = spec(provider);
    let schema = response.pointer("/content/application~1json/schema")?;
    let schema = payusers::spec_schema::standalone(&spec, schema);
    Some(
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&schema)
            .expect("the documented schema compiles"),
    )
}

/// Sends one case to a fresh mock; returns the golden record and the raw body.
async fn run(case: &Case) -> (Value, String) {
    let mock = MockServer::builder()
        .reproducible(at())
        .fixtures(fixtures())
        .start()
        .await
        .unwrap();
    if let Some(status) = case.fault {
        mock.fail_next(1, status);
    }
    let base = match case.provider {
        "hpay" => mock.hpay_base_url(),
        _ => mock.payabli_base_url(),
    };
    let http = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = http.request(case.method.clone(), format!("{base}{}", case.path));
    let c = mock.credentials();
    let wrong = case.credentials == Credentials::Wrong;
    let pick = |good: &str, bad: &'static str| {
        if wrong {
            bad.to_string()
        } else {
            good.to_string()
        }
    };
    request = match case.provider {
        "hpay" => request
            .header("api-key", pick(&c.hpay_api_key, "wrong_api_key"))
            .header("secret-key", pick(&c.hpay_secret_key, "hpay_test_wrong")),
        _ => request.header("requestToken", pick(&c.payabli_token, "wrong_token")),
    };
    if let Some(body) = &case.body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{}: the mock did not answer: {e}", case.label()));
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{}: the mock answered {status} with a body that is not JSON ({e}): {text:?}",
            case.label()
        )
    });
    let record = json!({
        "provider": case.provider,
        "operation": case.op,
        "request": {
            "method": case.method.as_str(),
            "path": case.path,
            "credentials": if wrong { "wrong" } else { "valid" },
            "fault": case.fault,
            "body": case.body,
        },
        "status": status,
        "content_type": content_type,
        "body": body,
    });
    (record, text)
}

/// Runs every case of one provider; returns the problems found.
async fn check_provider(provider: &str, cases: Vec<Case>) -> Vec<String> {
    let ops = operations(provider);
    let mut problems = Vec::new();
    let mut seen_files = BTreeSet::new();
    for case in &cases {
        let label = case.label();
        assert!(
            seen_files.insert(case.file_name()),
            "{label}: two cases write the same golden"
        );
        // The case targets the operation it names.
        let Some(op) = ops.get(case.op) else {
            problems.push(format!(
                "{label}: `{}` is not an operation of the spec",
                case.op
            ));
            continue;
        };
        if op.method != case.method.as_str() || !fits(&op.path, &case.path) {
            problems.push(format!(
                "{label}: {} {} is not {} {}",
                case.method, case.path, op.method, op.path
            ));
        }
        let Some(response) = op.responses.get(&case.status) else {
            problems.push(format!("{label}: status {} is not documented", case.status));
            continue;
        };

        let (record, raw) = run(case).await;
        if record["status"] != case.status {
            problems.push(format!(
                "{label}: the case should produce {} but the mock answered {}: {}",
                case.status, record["status"], record["body"]
            ));
        }
        // Fidelity to the spec: the documented schema of this status.
        if let Some(validator) = body_validator(provider, response) {
            let errors: Vec<String> = validator
                .iter_errors(&record["body"])
                .map(|e| format!("{} at {}", e.masked(), e.instance_path()))
                .collect();
            if !errors.is_empty() {
                problems.push(format!(
                    "{label}: the body does not fit the documented schema: {errors:?}\n{:#}",
                    record["body"]
                ));
            }
        }

        let path = case.golden_path();
        if updating() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let text = serde_json::to_string_pretty(&record).unwrap() + "\n";
            std::fs::write(&path, text).unwrap();
            continue;
        }
        let golden: Value = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{label}: the golden file is not JSON: {e}")),
            Err(e) => {
                problems.push(format!(
                    "{label}: no golden file ({e}); run with UPDATE_GOLDEN=1 to write it"
                ));
                continue;
            }
        };
        if golden != record {
            problems.push(format!(
                "{label}: the mock's answer differs from the golden file\n--- golden\n{:#}\n+++ mock\n{:#}\n\
                 (if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff)",
                golden, record
            ));
            continue;
        }
        // Byte for byte: compact JSON in the golden's key order.
        let expected = serde_json::to_string(&golden["body"]).unwrap();
        if raw != expected {
            problems.push(format!(
                "{label}: same JSON but different bytes on the wire\n golden: {expected}\n mock:   {raw}"
            ));
        }
    }

    // No golden is left over from a case that no longer exists.
    let dir = golden_dir(provider);
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    for orphan in on_disk.difference(&seen_files) {
        if updating() {
            std::fs::remove_file(dir.join(orphan)).unwrap();
        } else {
            problems.push(format!(
                "{provider}/{orphan}: a golden file no case produces (rerun with UPDATE_GOLDEN=1 to delete it)"
            ));
        }
    }
    problems
}

fn report(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} golden problem(s):\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[tokio::test]
async fn hpay_answers_match_their_goldens() {
    report(check_provider("hpay", hpay_cases()).await);
}

#[tokio::test]
async fn payabli_answers_match_their_goldens() {
    report(check_provider("payabli", payabli_cases()).await);
}

/// Every documented (operation, status) of both specs has a case, hence a
/// golden file (the provider tests fail when a case's file is missing).
#[test]
fn every_documented_response_has_a_golden() {
    let mut missing = Vec::new();
    let mut covered = 0;
    for (provider, cases) in [("hpay", hpay_cases()), ("payabli", payabli_cases())] {
        let produced: BTreeSet<(&str, u16)> = cases.iter().map(|c| (c.op, c.status)).collect();
        let ops = operations(provider);
        assert!(
            !ops.is_empty(),
            "{provider}: no operations found in the spec"
        );
        for (id, op) in &ops {
            for status in op.responses.keys() {
                let exempt = UNPRODUCIBLE
                    .iter()
                    .any(|(p, o, s, _)| *p == provider && o == id && s == status);
                if produced.contains(&(id.as_str(), *status)) {
                    covered += 1;
                    assert!(
                        !exempt,
                        "{provider} {id} {status} has a golden and is listed in UNPRODUCIBLE"
                    );
                } else if !exempt {
                    missing.push(format!("{provider} {id} {status}"));
                }
            }
        }
        // Every case's golden file exists on disk.
        for case in &cases {
            assert!(
                case.golden_path().is_file() || updating(),
                "{}: no golden file; run with UPDATE_GOLDEN=1",
                case.label()
            );
        }
    }
    assert!(
        missing.is_empty(),
        "documented responses without a golden case (add one to tests/mock_golden.rs, \
         or to UNPRODUCIBLE with the reason): {missing:?}"
    );
    for (provider, id, status, reason) in UNPRODUCIBLE {
        let documented = operations(provider)
            .get(*id)
            .is_some_and(|op| op.responses.contains_key(status));
        assert!(
            documented,
            "UNPRODUCIBLE lists {provider} {id} {status}, which the spec no longer documents ({reason})"
        );
    }
    assert!(covered > 0, "no documented response is covered");
}
