//! Hostile input: ids that try to leave their path segment, secrets a server
//! echoes back to the CLI, and a mock as strict as the spec.
#![cfg(feature = "cli")]

mod cli_common;
mod support;

use axum::Router;
use axum::routing::put;
use cli_common::{journal, payusers, run, stderr, stdout};
use payusers::mock::{Fixtures, MockServer};
use proptest::prelude::*;

/// The segment a hostile id lands in, once the URL is parsed as reqwest does.
fn landing(id: &str) -> Result<Vec<String>, ()> {
    let encoded = payusers::transport::path_segment::<()>("user_id", id).map_err(|_| ())?;
    let url =
        reqwest::Url::parse(&format!("http://127.0.0.1/base/api/v1/users/{encoded}/")).unwrap();
    Ok(url
        .path_segments()
        .unwrap()
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .unwrap()
                .into_owned()
        })
        .collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Whatever the id, it stays exactly one segment, decoding to itself;
    /// only the three ids no encoding can hold are refused.
    #[test]
    fn no_id_leaves_its_segment(id in prop_oneof![
        any::<String>(),
        "[./\\\\%?#a-z]{0,12}",
        "(\\.\\.|%2[eE]|\\\\|/){1,6}[a-z]{0,3}",
    ]) {
        match landing(&id) {
            Ok(segments) => prop_assert_eq!(segments, vec!["base", "api", "v1", "users", id.as_str(), ""]),
            Err(()) => prop_assert!(matches!(id.as_str(), "" | "." | "..")),
        }
    }
}

#[tokio::test]
async fn a_backslash_id_updates_nobody_else() {
    let mock = MockServer::start().await.unwrap();
    for id in [
        r"x\..\user_xyz789",
        r"..\..\..\..\escaped",
        "../user_xyz789",
        "%2e%2e",
    ] {
        let err = mock
            .hpay()
            .update_user(id)
            .app_user_id(2)
            .name("Evil Overwrite")
            .phone_number("+23279654321")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err, payusers::Error::NotFound { .. }),
            "{id}: {err:?}"
        );
    }
    assert_eq!(mock.hpay_user("user_xyz789").unwrap().name, "Jane Smith");
    for request in mock.requests() {
        assert!(
            request.path.starts_with("/hpay/api/v1/users/"),
            "{}",
            request.path
        );
        assert_eq!(
            request.path.matches('/').count(),
            6,
            "one segment: {}",
            request.path
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_and_sync_keep_ids_in_their_segment() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", r"x\..\user_xyz789", "--app-user-id", "2"])
        .args(["--name", "Evil Overwrite", "--phone-number", "+23279654321"]);
    let out = run(cmd).await.code(1);
    assert!(stderr(&out).contains("not found"), "{}", stderr(&out));

    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.csv");
    std::fs::write(
        &input,
        "user_id,app_user_id,name,phone_number\nnobody\\..\\user_abc123,1,Evil,+23279123456\n",
    )
    .unwrap();
    let journal_path = dir.path().join("j");
    let mut cmd = payusers(&mock);
    cmd.args(["sync", "--provider", "hpay", "--input"])
        .arg(&input)
        .arg("--journal")
        .arg(&journal_path);
    run(cmd).await.code(1);
    let entries = journal(&journal_path);
    assert_eq!(entries[0]["status"], "failed");
    assert_eq!(entries[0]["http_status"], 404);
    assert_eq!(mock.hpay_user("user_xyz789").unwrap().name, "Jane Smith");
    assert_eq!(mock.hpay_user("user_abc123").unwrap().name, "John Doe");
}

const TOKEN: &str = "canary_token_for_echo_5e1";
const PWD: &str = "canary_row_password_8c2";

/// A Payabli that echoes everything it is sent, secrets included.
async fn echoing_payabli() -> std::net::SocketAddr {
    let router = Router::new().route(
        "/User/{id}",
        put(|headers: axum::http::HeaderMap, body: String| async move {
            let token = headers
                .get("requestToken")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            if body.contains("declined") {
                let text = format!("Declined for {token}: {body}");
                return axum::Json(serde_json::json!({"isSuccess": false, "responseText": text}))
                    .into_response_with_id(&token);
            }
            let text = format!("Invalid data in {body} with {token}");
            (
                axum::http::StatusCode::BAD_REQUEST,
                axum::Json(serde_json::json!({"isSuccess": false, "responseText": text})),
            )
                .into_response_with_id(&token)
        }),
    );
    support::serve(router).await
}

trait WithId {
    fn into_response_with_id(self, id: &str) -> axum::response::Response;
}

impl<T: axum::response::IntoResponse> WithId for T {
    fn into_response_with_id(self, id: &str) -> axum::response::Response {
        let mut response = self.into_response();
        response
            .headers_mut()
            .insert("x-request-id", format!("req-{id}").parse().unwrap());
        response
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_a_server_echoes_never_reach_output_or_the_journal() {
    let addr = echoing_payabli().await;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    std::fs::write(
        &input,
        format!(
            "{{\"userId\": 1, \"name\": \"A\", \"pwd\": \"{PWD}\"}}\n\
             {{\"userId\": 2, \"name\": \"declined\", \"pwd\": \"{PWD}\"}}\n"
        ),
    )
    .unwrap();
    let journal_path = dir.path().join("j");
    let mut cmd = cli_common::bare();
    cmd.env("PAYABLI_API_TOKEN", TOKEN)
        .env("PAYABLI_BASE_URL", format!("http://{addr}"))
        .args(["-vvv", "sync", "--provider", "payabli", "--input"])
        .arg(&input)
        .arg("--journal")
        .arg(&journal_path);
    let out = run(cmd).await.code(1);
    let everything = format!(
        "{}{}{}",
        stdout(&out),
        stderr(&out),
        std::fs::read_to_string(&journal_path).unwrap()
    );
    assert!(
        everything.contains("[redacted]"),
        "the echoes were there: {everything}"
    );
    for secret in [TOKEN, PWD] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked:\n{everything}"
        );
    }
    let entries = journal(&journal_path);
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e["status"] == "failed"));

    // One-off commands too.
    let mut cmd = cli_common::bare();
    cmd.env("PAYABLI_API_TOKEN", TOKEN)
        .env("PAYABLI_BASE_URL", format!("http://{addr}"))
        .args(["payabli", "update", "2", "--name", "declined"]);
    let out = run(cmd).await.code(1);
    let everything = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!everything.contains(TOKEN), "{everything}");
}

#[tokio::test]
async fn the_mock_is_as_strict_as_the_spec() {
    let mock = MockServer::start().await.unwrap();
    let client = reqwest::Client::new();
    let token = mock.credentials().payabli_token.clone();
    for path in [
        "/User/+1000000",
        "/User/%201000000%20",
        "/User/01000000",
        "/User/1000000.0",
    ] {
        let response = client
            .put(format!("{}{path}", mock.payabli_base_url()))
            .header("requestToken", &token)
            .header("content-type", "application/json")
            .body(r#"{"name":"X"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(
            body["responseText"].as_str().unwrap().contains("userId"),
            "{path}: {body}"
        );
    }
    let c = mock.credentials();
    let response = client
        .put(format!(
            "{}/api/v1/users/user_abc123/",
            mock.hpay_base_url()
        ))
        .header("api-key", &c.hpay_api_key)
        .header("secret-key", &c.hpay_secret_key)
        .header("content-type", "text/plain")
        .body(r#"{"app_user_id":1,"name":"Plain","phone_number":"+23279123456"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    assert_eq!(mock.hpay_user("user_abc123").unwrap().name, "John Doe");
    assert_eq!(
        mock.payabli_user(1000000).unwrap().name.as_deref(),
        Some("Sean Smith")
    );

    let err = Fixtures::from_json("[]").unwrap_err();
    assert!(err.to_string().contains("an array"), "{err}");
    let err = Fixtures::from_json(
        r#"{"hpay": [{"id": "u", "app_user_id": "seven", "name": "N", "phone_number": "+1"}]}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("`app_user_id`"), "{err}");
    let err = Fixtures::from_json(r#"{"payabli": [{"userId": 1, "timeZone": "-5"}]}"#).unwrap_err();
    assert!(err.to_string().contains("`timeZone`"), "{err}");
}
