//! The embedded mock on the wire: the seeds' exact requests and every
//! documented error path. Loopback only.

mod seeds;

use payusers::mock::MockServer;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const HPAY_USER: &str = "/api/v1/users/user_abc123/";

fn client() -> Client {
    Client::new()
}

/// Sends `body` (if any) to the mock with hPay's two keys.
async fn hpay(
    mock: &MockServer,
    method: Method,
    path: &str,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let c = mock.credentials();
    let mut request = client()
        .request(method, format!("{}{path}", mock.hpay_base_url()))
        .header("api-key", &c.hpay_api_key)
        .header("secret-key", &c.hpay_secret_key);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    fetch(request).await
}

/// Sends `body` (if any) to the mock with Payabli's token.
async fn payabli(
    mock: &MockServer,
    method: Method,
    path: &str,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = client()
        .request(method, format!("{}{path}", mock.payabli_base_url()))
        .header("requestToken", &mock.credentials().payabli_token);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    fetch(request).await
}

async fn fetch(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("the mock answers");
    let status = response.status();
    assert!(
        response.headers().contains_key("x-request-id"),
        "every answer has x-request-id"
    );
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, body)
}

fn seed_payabli_body() -> Value {
    seeds::json(seeds::PAYABLI_REQUEST)
}

#[tokio::test]
async fn hpay_seed_request_updates_and_get_shows_it() {
    let mock = MockServer::start().await.unwrap();
    let body = seeds::HPAY_REQUEST;
    let (status, user) = hpay(&mock, Method::PUT, HPAY_USER, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["id"], "user_abc123");
    assert_eq!(user["app_user_id"], 1);
    assert_eq!(user["name"], "John Updated Doe");
    assert_eq!(user["email"], "john.new@example.com");
    assert_eq!(user["phone_number"], "+23279123456");
    assert_eq!(user["is_active"], true);
    let stamp = user["updated_at"].as_str().unwrap();
    let stamp = chrono::DateTime::parse_from_rfc3339(stamp).expect("RFC 3339");
    assert_eq!(stamp.offset().local_minus_utc(), 0);
    assert!(
        (chrono::Utc::now() - stamp.to_utc()).num_seconds().abs() < 5,
        "fresh updated_at"
    );

    // hPay's "Get User" page shows `created_at` where "Update User" shows
    // `updated_at`; everything else reads back as written.
    let (status, mut again) = hpay(&mock, Method::GET, HPAY_USER, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(again["created_at"].is_string(), "{again}");
    assert!(again.get("updated_at").is_none(), "{again}");
    again.as_object_mut().unwrap().remove("created_at");
    let mut written = user.clone();
    written.as_object_mut().unwrap().remove("updated_at");
    assert_eq!(again, written);
    assert_eq!(
        mock.hpay_user("user_abc123").unwrap().name,
        "John Updated Doe"
    );
}

#[tokio::test]
async fn payabli_seed_request_updates_and_get_shows_it() {
    let mock = MockServer::start().await.unwrap();
    let body = seed_payabli_body().to_string();
    let (status, answer) = payabli(&mock, Method::PUT, "/User/1000000", Some(&body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["responseText"], "Success");
    assert_eq!(answer["isSuccess"], true);
    assert_eq!(answer["responseData"], Value::Null, "documented as null");

    // Payabli reads users in another casing than it writes them.
    let (status, mut record) = payabli(&mock, Method::GET, "/User/1000000", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(record["createdAt"].is_string(), "{record}");
    record.as_object_mut().unwrap().remove("createdAt");
    let written = seed_payabli_body();
    let expected = json!({
        "userId": 1000000,
        "Name": written["name"],
        "Email": written["email"],
        "Phone": written["phone"],
        "UsrStatus": written["usrStatus"],
        "UsrMFA": written["mfaData"]["mfa"],
        "UsrMFAMode": written["mfaData"]["mfaMode"],
        "Access": written["access"],
        // Payabli reads scope entries with the organization's entry name.
        "Scope": [{"orgType": 0, "orgId": 123, "orgEntry": "entry-123"}],
        "AdditionalData": written["additionalData"],
        "timeZone": written["timeZone"],
        "language": written["language"],
    });
    assert_eq!(record, expected, "every field changed, pwd never echoed");
}

#[tokio::test]
async fn payabli_partial_update_keeps_other_fields() {
    let mock = MockServer::start().await.unwrap();
    let (status, _) = payabli(
        &mock,
        Method::PUT,
        "/User/1000000",
        Some(r#"{"usrStatus":85,"language":"es","name":null}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let user = mock.payabli_user(1000000).unwrap();
    assert_eq!(
        user.name.as_deref(),
        Some("Sean Smith"),
        "null leaves the field alone"
    );
    assert_eq!(user.email.as_deref(), Some("example@email.com"));
    assert_eq!(user.status_code, Some(85));
    assert_eq!(user.language, Some(payusers::payabli::Language::Es));
    assert_eq!(user.time_zone, Some(0));
}

#[tokio::test]
async fn unauthorized_without_or_with_wrong_keys() {
    let mock = MockServer::start().await.unwrap();
    let url = format!("{}{HPAY_USER}", mock.hpay_base_url());
    let c = mock.credentials().clone();
    let cases = [
        client().get(&url),
        client().get(&url).header("api-key", &c.hpay_api_key),
        client().get(&url).header("secret-key", &c.hpay_secret_key),
        client()
            .get(&url)
            .header("api-key", &c.hpay_api_key)
            .header("secret-key", "hpay_test_wrong"),
        client()
            .get(&url)
            .header("api-key", "wrong")
            .header("secret-key", &c.hpay_secret_key),
    ];
    for request in cases {
        let (status, body) = fetch(request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body, json!({"detail": "Invalid API credentials"}));
    }
    let url = format!("{}/User/1000000", mock.payabli_base_url());
    for request in [
        client().put(&url).body("{}"),
        client()
            .put(&url)
            .header("requestToken", "wrong")
            .body("{}"),
        client().get(&url).header("requestToken", &c.hpay_api_key),
    ] {
        let (status, body) = fetch(request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body,
            json!({"isSuccess": false, "responseText": "Unauthorized",
                "responseData": {"explanation": "Unauthorized"}})
        );
    }
    assert_eq!(
        mock.payabli_user(1000000).unwrap().name.as_deref(),
        Some("Sean Smith")
    );
}

#[tokio::test]
async fn hpay_unknown_user_is_404() {
    let mock = MockServer::start().await.unwrap();
    let body = r#"{"app_user_id":1,"name":"A","phone_number":"+23279123456"}"#;
    for method in [Method::GET, Method::PUT] {
        let (status, answer) = hpay(&mock, method, "/api/v1/users/user_nobody/", Some(body)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(answer, json!({"detail": "Not found."}));
    }
}

#[tokio::test]
async fn a_query_parameter_the_spec_does_not_declare_is_ignored_as_the_providers_do() {
    let mock = MockServer::start().await.unwrap();
    let (status, answer) = hpay(
        &mock,
        Method::GET,
        "/api/v1/users/?ordering=name&is_active=true",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer.as_array().map(Vec::len), Some(2), "{answer}");
    // A declared one is still checked.
    let (status, answer) = hpay(&mock, Method::GET, "/api/v1/users/?is_active=maybe", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert!(answer.to_string().contains("is_active"), "{answer}");
    // And the log keeps what was sent.
    assert!(
        mock.requests()
            .iter()
            .any(|r| r.path.contains("ordering=name"))
    );
}

#[tokio::test]
async fn hpay_bad_requests_name_the_problem() {
    let mock = MockServer::start().await.unwrap();
    let cases = [
        (
            r#"{"app_user_id":99,"name":"John","phone_number":"+23279123456"}"#,
            "cannot be changed",
        ),
        (
            r#"{"app_user_id":1,"phone_number":"+23279123456"}"#,
            "`name`",
        ),
        (
            r#"{"app_user_id":1,"name":"","phone_number":"+23279123456"}"#,
            "`name`",
        ),
        (
            r#"{"app_user_id":"1","name":"John","phone_number":"+23279123456"}"#,
            "`app_user_id`",
        ),
        (
            r#"{"app_user_id":1,"name":"John","phone_number":"079123456"}"#,
            "`phone_number`",
        ),
        (
            r#"{"app_user_id":1,"name":"John","phone_number":"+23279123456","email":"not-an-email"}"#,
            "`email`",
        ),
        (
            r#"{"app_user_id":1,"name":"John","phone_number":"+23279123456","is_active":"yes"}"#,
            "`is_active`",
        ),
        (r#"{"app_user_id":1,"name":"John""#, "malformed JSON"),
        ("", "body is required"),
        ("[1]", "request body"),
    ];
    for (body, needle) in cases {
        let (status, answer) = hpay(&mock, Method::PUT, HPAY_USER, Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let message = answer["detail"].as_str().unwrap();
        assert!(message.contains(needle), "{body}: {message}");
    }
    assert_eq!(
        mock.hpay_user("user_abc123").unwrap().name,
        "John Doe",
        "nothing changed"
    );
}

#[tokio::test]
async fn payabli_bad_requests_and_declines() {
    let mock = MockServer::start().await.unwrap();
    let long_email = format!("{}@example.com", "a".repeat(320));
    let cases = [
        (json!({"email": long_email}).to_string(), "`email`"),
        (r#"{"usrStatus":7}"#.into(), "`usrStatus`"),
        (r#"{"timeZone":20}"#.into(), "`timeZone`"),
        (
            json!({"additionalData": {"k": "x".repeat(101)}}).to_string(),
            "`additionalData.k`",
        ),
        (r#"{"phone":5555555555}"#.into(), "`phone`"),
        (r#"{"name":"#.into(), "malformed JSON"),
    ];
    for (body, needle) in &cases {
        let (status, answer) = payabli(&mock, Method::PUT, "/User/1000000", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer["isSuccess"], false);
        // The vendor's error shape: the reason again, as its explanation.
        assert_eq!(
            answer["responseData"]["explanation"],
            answer["responseText"]
        );
        let text = answer["responseText"].as_str().unwrap();
        assert!(text.contains(needle), "{body}: {text}");
    }
    let (status, answer) = payabli(&mock, Method::PUT, "/User/abc", Some("{}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["isSuccess"], false);

    let (status, answer) = payabli(&mock, Method::PUT, "/User/42", Some(r#"{"name":"X"}"#)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        answer,
        json!({"isSuccess": false, "responseText": "Declined", "responseData": null})
    );

    let (status, answer) = payabli(&mock, Method::GET, "/User/42", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["responseText"], "User not found");
}

#[tokio::test]
async fn oversized_bodies_unknown_paths_and_wrong_methods() {
    let mock = MockServer::start().await.unwrap();
    let huge = format!(r#"{{"name":"{}"}}"#, "x".repeat(2 * 1024 * 1024));
    let (status, answer) = payabli(&mock, Method::PUT, "/User/1000000", Some(&huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer["isSuccess"], false);
    let (status, answer) = hpay(&mock, Method::PUT, HPAY_USER, Some(&huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer["detail"].as_str().unwrap().contains("larger than"));
    assert_eq!(
        mock.payabli_user(1000000).unwrap().name.as_deref(),
        Some("Sean Smith")
    );

    let (status, answer) = hpay(&mock, Method::GET, "/api/v1/nothing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(answer["detail"].as_str().unwrap().contains("No route"));
    let (status, answer) = fetch(client().get(format!("http://{}/", mock.addr()))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(answer["detail"].as_str().unwrap().contains("No route"));
    let (status, answer) = payabli(&mock, Method::GET, "/Users", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(answer["isSuccess"], false);

    let (status, answer) = hpay(&mock, Method::PATCH, HPAY_USER, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(answer["detail"].as_str().unwrap().contains("not allowed"));
    let (status, _) = payabli(&mock, Method::POST, "/User/1000000", Some("{}")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn odd_inputs_get_json_errors() {
    let mock = MockServer::start().await.unwrap();
    let (status, answer) = hpay(&mock, Method::GET, "/api/v1/users/%FF%FE/", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert!(
        answer["detail"].as_str().unwrap().contains("UTF-8"),
        "{answer}"
    );
    let (status, _) = payabli(&mock, Method::GET, "/User/99999999999999999999", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let c = mock.credentials();
    let request = client()
        .put(format!("{}{HPAY_USER}", mock.hpay_base_url()))
        .header("api-key", &c.hpay_api_key)
        .header("secret-key", &c.hpay_secret_key)
        .header("content-type", "application/json")
        .body(vec![0xff, 0xfe, 0x00, b'{']);
    let (status, answer) = fetch(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        answer["detail"]
            .as_str()
            .unwrap()
            .contains("malformed JSON")
    );
    let deep = "[".repeat(10_000);
    let (status, _) = payabli(&mock, Method::PUT, "/User/1000000", Some(&deep)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Still serving.
    assert!(mock.hpay().get_user("user_abc123").send().await.is_ok());
}

#[tokio::test]
async fn a_payabli_user_created_without_a_timezone_has_the_documented_default() {
    let mock = MockServer::start().await.unwrap();
    let (status, answer) = payabli(
        &mock,
        Method::POST,
        "/User",
        Some(r#"{"name":"No Zone","email":"nz@example.com"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let id: i64 = answer["responseData"].as_str().unwrap().parse().unwrap();
    assert_eq!(mock.payabli_user(id).unwrap().time_zone, Some(0));
    let (_, answer) = payabli(
        &mock,
        Method::POST,
        "/User",
        Some(r#"{"name":"Zoned","email":"z@example.com","timeZone":-5}"#),
    )
    .await;
    let id: i64 = answer["responseData"].as_str().unwrap().parse().unwrap();
    assert_eq!(mock.payabli_user(id).unwrap().time_zone, Some(-5));
}
