//! `payusers api <provider> <operationId> [name=value …] [--body …]`: any
//! operation of any bundled spec, checked against the spec before sending,
//! with the same retries and exit codes as the rest of the tool.
#![cfg(feature = "cli")]

mod cli_common;

use cli_common::{bare, payusers, run, stderr, stdout};
use payusers::mock::{HpayFixture, MockServer};
use serde_json::Value;
use std::io::Write;

/// The whole of stdout as one JSON document.
fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {text}"))
}

/// The words of the `--list` line for `id`.
fn op_line<'a>(list: &'a str, id: &str) -> Vec<&'a str> {
    list.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|words| words.first() == Some(&id))
        .unwrap_or_else(|| panic!("no line for {id}: {list}"))
}

/// The paths of every request the mock received.
fn paths(mock: &MockServer) -> Vec<String> {
    mock.requests().into_iter().map(|r| r.path).collect()
}

/// A single-line error on stderr.
fn one_line_error(out: &assert_cmd::assert::Assert) -> String {
    let err = stderr(out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

/// `payusers` with the acme spec's variables pointed at `mock`.
fn acme(mock: &MockServer) -> assert_cmd::Command {
    let mut cmd = bare();
    cmd.env(
        "ACME_KEY",
        mock.credentials().value_for("acme", "x-acme-key"),
    )
    .env("ACME_BASE_URL", mock.base_url("acme"));
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn list_prints_every_operation_with_method_path_and_parameters() {
    // No credentials needed to list.
    let mut cmd = bare();
    cmd.args(["api", "hpay", "--list"]);
    let out = run(cmd).await.success();
    let list = stdout(&out);
    assert!(
        list.lines().any(|l| l.starts_with("environment:")
            && l.contains("HOST_PAY_API_KEY")
            && l.contains("HOST_PAY_SECRET_KEY")
            && l.contains("HOST_PAY_BASE_URL")),
        "{list}"
    );
    assert_eq!(
        op_line(&list, "get_user"),
        ["get_user", "GET", "/api/v1/users/{user_id}/", "user_id="]
    );
    assert_eq!(
        op_line(&list, "update_user"),
        [
            "update_user",
            "PUT",
            "/api/v1/users/{user_id}/",
            "user_id=",
            "--body"
        ]
    );
    assert_eq!(
        op_line(&list, "create_user"),
        ["create_user", "POST", "/api/v1/users/create/", "--body"]
    );
    assert_eq!(
        op_line(&list, "list_users"),
        [
            "list_users",
            "GET",
            "/api/v1/users/",
            "[is_active=]",
            "[page=]",
            "[per_page=]"
        ]
    );
    assert_eq!(
        op_line(&list, "delete_user"),
        [
            "delete_user",
            "DELETE",
            "/api/v1/users/{user_id}/",
            "user_id="
        ]
    );

    let mut cmd = bare();
    cmd.args(["api", "payabli", "--list"]);
    let list = stdout(&run(cmd).await.success());
    assert!(list.contains("PAYABLI_API_TOKEN"), "{list}");
    assert_eq!(
        op_line(&list, "add_user"),
        ["add_user", "POST", "/User", "--body"]
    );
    assert_eq!(
        op_line(&list, "get_user"),
        [
            "get_user",
            "GET",
            "/User/{userId}",
            "userId=",
            "[entry=]",
            "[level=]"
        ]
    );
    assert_eq!(
        op_line(&list, "update_user"),
        ["update_user", "PUT", "/User/{userId}", "userId=", "--body"]
    );
    let org = op_line(&list, "list_users_org");
    assert_eq!(
        org[..4],
        [
            "list_users_org",
            "GET",
            "/Query/users/org/{orgId}",
            "orgId="
        ]
    );
    assert!(org.contains(&"[fromRecord=]") && org.contains(&"[limitRecord=]"));
    assert_eq!(op_line(&list, "list_users_paypoint")[3], "entry=");
    assert_eq!(
        op_line(&list, "update_user_mfa")[..3],
        ["update_user_mfa", "PUT", "/User/mfa/{userId}"]
    );
    assert_eq!(op_line(&list, "delete_user")[1], "DELETE");

    // An unknown spec names the bundled ones.
    let mut cmd = bare();
    cmd.args(["api", "nosuch", "--list"]);
    let out = run(cmd).await.code(2);
    let err = one_line_error(&out);
    assert!(
        err.contains("nosuch") && err.contains("hpay") && err.contains("payabli"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn get_user_prints_json_compact_or_pretty() {
    let mock = MockServer::start().await.unwrap();
    // For people: indented.
    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "get_user", "user_id=user_abc123"]);
    let out = run(cmd).await.success();
    let pretty = stdout(&out);
    assert!(pretty.lines().count() > 3, "pretty-printed: {pretty}");
    assert!(pretty.contains("\n  \"name\": \"John Doe\""), "{pretty}");
    let user = json(&pretty);
    assert_eq!(user["id"], "user_abc123");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert_eq!(paths(&mock), ["/hpay/api/v1/users/user_abc123/"]);

    // For programs (--output json), as every command: one line.
    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "get_user", "user_id=user_abc123"])
        .args(["--output", "json"]);
    let text = stdout(&run(cmd).await.success());
    assert_eq!(text.lines().count(), 1, "one line of JSON: {text}");
    assert_eq!(json(&text), user);

    // Payabli reads answer in the read casing.
    let mut cmd = payusers(&mock);
    cmd.args(["api", "payabli", "get_user", "userId=1000000"]);
    let record = json(&stdout(&run(cmd).await.success()));
    assert_eq!(record["Name"], "Sean Smith", "{record}");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_users_sends_query_parameters() {
    let mock = MockServer::start().await.unwrap();
    let mut idle = HpayFixture::new("user_idle01", 30, "Idle Person", "+23270000030");
    idle.is_active = false;
    mock.seed_hpay(idle);

    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "list_users", "is_active=true"]);
    let users = json(&stdout(&run(cmd).await.success()));
    let users = users.as_array().expect("a JSON array");
    assert_eq!(users.len(), 2, "{users:?}");
    assert!(users.iter().all(|u| u["is_active"] == true), "{users:?}");
    assert_eq!(paths(&mock), ["/hpay/api/v1/users/?is_active=true"]);

    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "list_users", "is_active=false"]);
    let users = json(&stdout(&run(cmd).await.success()));
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert_eq!(users[0]["id"], "user_idle01");

    let mut cmd = payusers(&mock);
    cmd.args([
        "api",
        "payabli",
        "list_users_org",
        "orgId=123",
        "limitRecord=5",
    ]);
    let page = json(&stdout(&run(cmd).await.success()));
    assert_eq!(page["Records"][0]["userId"], 1_000_000, "{page}");
    assert_eq!(page["Summary"]["totalRecords"], 1, "{page}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_from_the_argument_a_file_and_stdin() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["api", "payabli", "update_user", "userId=1000000"])
        .args(["--body", r#"{"name":"Sean Q"}"#]);
    let answer = json(&stdout(&run(cmd).await.success()));
    assert_eq!(answer["isSuccess"], true, "{answer}");
    assert_eq!(
        mock.payabli_user(1_000_000).unwrap().name.as_deref(),
        Some("Sean Q")
    );
    let sent: Value = serde_json::from_str(&mock.requests()[0].body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"name": "Sean Q"}),
        "the body as given"
    );

    // @file (a byte-order mark is tolerated).
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all("\u{feff}{\"email\": \"file@example.com\"}".as_bytes())
        .unwrap();
    let at = format!("@{}", file.path().display());
    let mut cmd = payusers(&mock);
    cmd.args([
        "api",
        "payabli",
        "update_user",
        "userId=1000000",
        "--body",
        &at,
    ]);
    run(cmd).await.success();
    assert_eq!(
        mock.payabli_user(1_000_000).unwrap().email.as_deref(),
        Some("file@example.com")
    );

    // - reads stdin.
    let mut cmd = payusers(&mock);
    cmd.args([
        "api",
        "payabli",
        "update_user",
        "userId=1000000",
        "--body",
        "-",
    ])
    .write_stdin(r#"{"phone": "5550001111", "timeZone": -3}"#);
    run(cmd).await.success();
    let stored = mock.payabli_user(1_000_000).unwrap();
    assert_eq!(stored.phone.as_deref(), Some("5550001111"));
    assert_eq!(stored.time_zone, Some(-3));
    assert_eq!(
        stored.name.as_deref(),
        Some("Sean Q"),
        "earlier change kept"
    );

    // A POST that creates: hPay's create through the generic path.
    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "create_user", "--body"])
        .arg(r#"{"app_user_id": 4100, "name": "Via Api", "phone_number": "+23279000410"}"#);
    let created = json(&stdout(&run(cmd).await.success()));
    let id = created["id"].as_str().expect("the new id");
    assert_eq!(mock.hpay_user(id).unwrap().name, "Via Api");

    // A file that does not exist is a usage error.
    let before = mock.requests().len();
    let mut cmd = payusers(&mock);
    cmd.args(["api", "payabli", "update_user", "userId=1000000"])
        .args(["--body", "@/nonexistent/payusers-body.json"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("cannot read the body"));
    assert_eq!(mock.requests().len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_calls_are_refused_before_sending_naming_the_culprit() {
    let mock = MockServer::start().await.unwrap();
    let cases: [(&[&str], &str); 17] = [
        (&["api", "hpay", "no_such_op"], "no_such_op"),
        (&["api", "nosuch", "get_user", "id=1"], "nosuch"),
        (
            &["api", "hpay", "get_user", "user_id=u", "bogus=1"],
            "bogus",
        ),
        (&["api", "payabli", "get_user", "userId=+1"], "userId"),
        (&["api", "payabli", "get_user", "userId=1e3"], "userId"),
        (&["api", "payabli", "get_user", "userId=01"], "userId"),
        (&["api", "payabli", "get_user"], "userId"),
        (
            &[
                "api",
                "payabli",
                "update_user",
                "userId=1000000",
                "--body",
                r#"{"usrStatus": 7}"#,
            ],
            "usrStatus",
        ),
        (
            &[
                "api",
                "payabli",
                "update_user",
                "userId=1000000",
                "--body",
                r#"{"name":"#,
            ],
            "--body",
        ),
        (
            &["api", "payabli", "update_user", "userId=1000000"],
            "--body",
        ),
        (
            &[
                "api",
                "hpay",
                "get_user",
                "user_id=user_abc123",
                "--body",
                "{}",
            ],
            "no body",
        ),
        (
            &[
                "api",
                "hpay",
                "create_user",
                "--body",
                r#"{"app_user_id": 5, "name": "X", "phone_number": "079"}"#,
            ],
            "phone_number",
        ),
        (&["api", "hpay", "list_users", "per_page=0"], "per_page"),
        (&["api", "hpay", "list_users", "per_page=101"], "per_page"),
        (&["api", "hpay", "list_users", "is_active=yes"], "is_active"),
        (&["api", "hpay", "get_user", "user_id=.."], "user_id"),
        (&["api", "hpay", "get_user", "user_id="], "user_id"),
    ];
    for (args, culprit) in cases {
        let mut cmd = payusers(&mock);
        cmd.args(args);
        let out = run(cmd).await;
        let code = out.get_output().status.code();
        let err = stderr(&out);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(culprit), "{args:?} names {culprit}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
    }

    // clap's own refusals: a parameter not NAME=VALUE, no operation,
    // --list with an operation.
    let clap_cases: [&[&str]; 3] = [
        &["api", "hpay", "get_user", "user_abc123"],
        &["api", "hpay"],
        &["api", "hpay", "--list", "get_user"],
    ];
    for args in clap_cases {
        let mut cmd = payusers(&mock);
        cmd.args(args);
        let out = run(cmd).await;
        assert_eq!(
            out.get_output().status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(mock.requests().is_empty(), "{:?}", paths(&mock));
    assert_eq!(mock.hpay_users().len(), 2);

    // Missing credentials name the variable, before any request.
    let mut cmd = bare();
    cmd.args(["api", "hpay", "get_user", "user_id=user_abc123"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("HOST_PAY_"));
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_errors_exit_1() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "get_user", "user_id=user_nobody"]);
    let out = run(cmd).await.code(1);
    let err = one_line_error(&out);
    assert!(err.contains("not found"), "{err}");
    assert!(stdout(&out).is_empty());

    // A Payabli 200 with isSuccess false is a failure too.
    let mut cmd = payusers(&mock);
    cmd.args(["api", "payabli", "update_user", "userId=4242"])
        .args(["--body", r#"{"name": "Nobody"}"#]);
    let out = run(cmd).await.code(1);
    let err = one_line_error(&out);
    assert!(err.to_lowercase().contains("declined"), "{err}");

    // hPay refuses a changed app_user_id (400), naming why.
    let mut cmd = payusers(&mock);
    cmd.args([
        "api",
        "hpay",
        "update_user",
        "user_id=user_abc123",
        "--body",
    ])
    .arg(r#"{"app_user_id": 99, "name": "John Doe", "phone_number": "+23279123456"}"#);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("cannot be changed"));
    assert_eq!(mock.hpay_user("user_abc123").unwrap().app_user_id, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_are_retried_unless_told_not_to() {
    let mock = MockServer::start().await.unwrap();
    mock.fail_next(2, 503);
    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "get_user", "user_id=user_abc123"]);
    let started = std::time::Instant::now();
    let out = run(cmd).await.success();
    assert_eq!(json(&stdout(&out))["name"], "John Doe");
    let statuses: Vec<Option<u16>> = mock.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(503), Some(503), Some(200)]);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));

    mock.clear_requests();
    mock.fail_next(1, 503);
    let mut cmd = payusers(&mock);
    cmd.args(["--max-retries", "0", "api", "hpay", "get_user"])
        .arg("user_id=user_abc123");
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("503"));
    assert_eq!(mock.requests().len(), 1, "no retry");

    // A POST is retried only with an idempotency key.
    mock.clear_requests();
    mock.fail_next(1, 503);
    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "create_user", "--body"])
        .arg(r#"{"app_user_id": 4200, "name": "No Key", "phone_number": "+23279000420"}"#);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("503"));
    assert_eq!(mock.requests().len(), 1, "a create is not blindly retried");
    assert!(mock.hpay_users().iter().all(|u| u.app_user_id != 4200));

    mock.clear_requests();
    mock.fail_next(1, 503);
    let mut cmd = payusers(&mock);
    cmd.args([
        "api",
        "hpay",
        "create_user",
        "--idempotency-key",
        "key-4201",
    ])
    .args(["--body"])
    .arg(r#"{"app_user_id": 4201, "name": "With Key", "phone_number": "+23279000421"}"#);
    run(cmd).await.success();
    let requests = mock.requests();
    assert_eq!(requests.len(), 2, "retried once");
    assert!(
        requests
            .iter()
            .all(|r| r.header("idempotency-key") == Some("key-4201")),
        "the same key on every attempt"
    );
    let created = mock
        .hpay_users()
        .into_iter()
        .filter(|u| u.app_user_id == 4201)
        .count();
    assert_eq!(created, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn path_parameters_stay_one_segment() {
    let mock = MockServer::start().await.unwrap();
    let before = mock.hpay_user("user_xyz789").unwrap();

    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "get_user", r"user_id=x\..\user_xyz789"]);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("not found"));

    let full = r#"{"app_user_id": 2, "name": "Hijacked", "phone_number": "+23279000000"}"#;
    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "update_user", r"user_id=x\..\user_xyz789"])
        .args(["--body", full]);
    run(cmd).await.code(1);

    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "update_user", "user_id=../escaped"])
        .args(["--body", full]);
    run(cmd).await.code(1);

    let mut cmd = payusers(&mock);
    cmd.args([
        "api",
        "hpay",
        "delete_user",
        "user_id=../user_xyz789",
        "--yes",
    ]);
    run(cmd).await.code(1);

    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "get_user", "user_id=a/b?c#d"]);
    run(cmd).await.code(1);

    assert_eq!(
        paths(&mock),
        [
            "/hpay/api/v1/users/x%5C..%5Cuser_xyz789/",
            "/hpay/api/v1/users/x%5C..%5Cuser_xyz789/",
            "/hpay/api/v1/users/..%2Fescaped/",
            "/hpay/api/v1/users/..%2Fuser_xyz789/",
            "/hpay/api/v1/users/a%2Fb%3Fc%23d/",
        ]
    );
    assert_eq!(
        mock.hpay_user("user_xyz789").as_ref(),
        Some(&before),
        "user_xyz789 is unchanged"
    );
    assert_eq!(mock.hpay_users().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_header_parameter_goes_in_a_header() {
    let mock = MockServer::start().await.unwrap();
    let traced = |trace: &str| {
        let mut cmd = acme(&mock);
        cmd.args(["api", "acme", "get_widget", "widget_id=w-1"])
            .arg(format!("x-acme-trace={trace}"));
        cmd
    };
    run(traced("t-1")).await.success();
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("x-acme-trace"), Some("t-1"));
    assert!(
        requests[0].path.ends_with("/widgets/w-1"),
        "not a query parameter: {}",
        requests[0].path
    );
    assert_eq!(requests[0].status, Some(200));

    // The spec's pattern is checked before sending.
    let err = one_line_error(&run(traced("Not Valid")).await.code(2));
    assert!(err.contains("x-acme-trace"), "{err}");
    assert_eq!(mock.requests().len(), 1, "nothing sent");

    // The mock checks it too, for a client that did not.
    let answer = reqwest::Client::new()
        .get(format!("{}/widgets/w-1", mock.base_url("acme")))
        .header(
            "x-acme-key",
            mock.credentials().value_for("acme", "x-acme-key"),
        )
        .header("x-acme-trace", "Not Valid")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    assert!(answer.text().await.unwrap().contains("x-acme-trace"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spec_file_is_enough_for_the_api_command() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = bare();
    cmd.args(["api", "acme", "--list"]);
    let list = stdout(&run(cmd).await.success());
    assert!(list.contains("Acme widgets API"), "{list}");
    assert!(
        list.lines().any(|l| l.starts_with("environment:")
            && l.contains("ACME_KEY")
            && l.contains("ACME_BASE_URL")),
        "{list}"
    );
    assert_eq!(
        op_line(&list, "get_widget"),
        [
            "get_widget",
            "GET",
            "/widgets/{widget_id}",
            "widget_id=",
            "[verbose=]",
            "[x-acme-trace=]"
        ]
    );
    assert_eq!(
        op_line(&list, "create_widget"),
        ["create_widget", "POST", "/widgets", "--body"]
    );

    let mut cmd = acme(&mock);
    cmd.args(["api", "acme", "get_widget", "widget_id=w-1"]);
    let out = run(cmd).await.success();
    let widget = json(&stdout(&out));
    assert_eq!(widget["id"], "w-1", "{widget}");
    assert_eq!(widget["name"], "Sprocket", "{widget}");
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let base_path = url::Url::parse(&mock.base_url("acme"))
        .unwrap()
        .path()
        .to_string();
    assert_eq!(requests[0].path, format!("{base_path}/widgets/w-1"));
    assert_eq!(requests[0].status, Some(200));
    assert!(
        requests[0].header("x-acme-key").is_some(),
        "the credential is sent"
    );

    let mut cmd = acme(&mock);
    cmd.args([
        "api",
        "acme",
        "create_widget",
        "--body",
        r#"{"name": "Cog"}"#,
    ]);
    let created = json(&stdout(&run(cmd).await.success()));
    assert!(created["id"].is_string(), "{created}");

    // The spec's rules apply before sending.
    mock.clear_requests();
    for (args, culprit) in [
        (
            &[
                "api",
                "acme",
                "get_widget",
                "widget_id=w-1",
                "verbose=maybe",
            ][..],
            "verbose",
        ),
        (
            &["api", "acme", "create_widget", "--body", r#"{"name": ""}"#],
            "name",
        ),
        (
            &["api", "acme", "create_widget", "--body", r#"{"size": 2}"#],
            "name",
        ),
    ] {
        let mut cmd = acme(&mock);
        cmd.args(args);
        let out = run(cmd).await.code(2);
        assert!(stderr(&out).contains(culprit), "{args:?}: {}", stderr(&out));
    }

    // Its credential comes from ACME_KEY; without it, exit 2 naming it.
    let mut cmd = acme(&mock);
    cmd.env_remove("ACME_KEY")
        .args(["api", "acme", "get_widget", "widget_id=w-1"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("ACME_KEY"));

    // A wrong key reaches the mock and is refused there (exit 1).
    let mut cmd = acme(&mock);
    cmd.env("ACME_KEY", "wrong-key")
        .args(["api", "acme", "get_widget", "widget_id=w-1"]);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("401"));
    assert_eq!(mock.requests().len(), 1, "only the wrong-key call was sent");

    // Its sandbox refuses a key without the `test_` prefix, before sending.
    mock.clear_requests();
    let mut cmd = acme(&mock);
    cmd.env("ACME_KEY", "live_key_123")
        .env_remove("ACME_BASE_URL")
        .args(["--environment", "sandbox", "api", "acme", "get_widget"])
        .arg("widget_id=w-1");
    let out = run(cmd).await.code(2);
    let err = one_line_error(&out);
    assert!(err.contains("test_"), "{err}");
    assert!(!err.contains("live_key_123"), "{err}");
    assert!(mock.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_answer_times_out_with_exit_1() {
    let mock = MockServer::start().await.unwrap();
    mock.set_latency(std::time::Duration::from_secs(5));
    let mut cmd = payusers(&mock);
    cmd.args(["--timeout", "300ms", "--max-retries", "0"])
        .args(["api", "hpay", "get_user", "user_id=user_abc123"]);
    let started = std::time::Instant::now();
    let out = run(cmd).await.code(1);
    let elapsed = started.elapsed();
    assert!(
        one_line_error(&out).contains("timed out"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    assert!(
        elapsed < std::time::Duration::from_millis(4500),
        "gave up after the timeout, not the answer: {elapsed:?}"
    );
    assert_eq!(mock.requests().len(), 1);
    mock.clear_faults();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_through_api_needs_yes_like_any_other() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "delete_user", "user_id=user_abc123"]);
    let out = run(cmd).await.code(2);
    assert!(
        stderr(&out).contains("refusing to hpay delete_user user_id=user_abc123 without --yes"),
        "{}",
        stderr(&out)
    );
    assert!(mock.hpay_user("user_abc123").is_some());
    let mut cmd = payusers(&mock);
    cmd.args(["api", "hpay", "delete_user", "user_id=user_abc123", "--yes"]);
    run(cmd).await.success();
    assert!(mock.hpay_user("user_abc123").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_the_server_echoes_in_a_success_is_not_printed() {
    // A Payabli server answering an update with what it was sent.
    let router = axum::Router::new().route(
        "/User/{id}",
        axum::routing::put(|axum::Json(body): axum::Json<Value>| async move {
            axum::Json(serde_json::json!({
                "isSuccess": true,
                "responseText": "Success",
                "responseData": body,
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let password = "echoed_pwd_5e1b";
    for output in ["text", "json"] {
        let mut cmd = bare();
        cmd.env("PAYABLI_API_TOKEN", "token_for_echo_test")
            .env("PAYABLI_BASE_URL", format!("http://{addr}"))
            .args([
                "--output",
                output,
                "api",
                "payabli",
                "update_user",
                "userId=1000000",
            ])
            .args([
                "--body",
                &format!(r#"{{"name": "Sean", "pwd": "{password}"}}"#),
            ]);
        let out = run(cmd).await.success();
        let printed = stdout(&out);
        assert!(!printed.contains(password), "{output}: {printed}");
        let answer = json(&printed);
        assert_eq!(answer["responseData"]["pwd"], "[redacted]", "{output}");
        assert_eq!(answer["responseData"]["name"], "Sean", "{output}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn array_query_parameters_are_sent_and_checked_item_by_item() {
    let mock = MockServer::start().await.unwrap();
    let rules = || {
        let mut cmd = bare();
        cmd.args([
            "--base-url",
            &mock.base_url("rules"),
            "api",
            "rules",
            "find_things",
        ]);
        cmd
    };
    // Repeated keys, and one comma-separated value.
    let mut cmd = rules();
    cmd.args(["tag=ab", "tag=cd", "n=1,2"]);
    run(cmd).await.success();
    let sent = paths(&mock);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("tag=ab&tag=cd"), "{sent:?}");
    // Each item keeps the item's rules, and the list its own.
    for (bad, named) in [
        (vec!["tag=abcd"], "tag"),
        (vec!["n=1,x"], "n"),
        (vec!["n=-1"], "n"),
        (vec!["tag=a", "tag=b", "tag=c", "tag=d"], "tag"),
    ] {
        let mut cmd = rules();
        cmd.args(&bad);
        let out = run(cmd).await.code(2);
        let err = one_line_error(&out);
        assert!(err.contains(&format!("`{named}`")), "{bad:?}: {err}");
    }
    assert_eq!(paths(&mock).len(), 1, "nothing more sent");

    // The generated client's own encoding is what the mock takes.
    let client = mock
        .builder_for::<payusers::generated::rules::ApiSpec>()
        .build()
        .unwrap();
    let tags = vec!["ab".try_into().unwrap(), "cd".try_into().unwrap()];
    client
        .raw()
        .find_things(Some(&vec![1, 2]), Some(&tags))
        .await
        .unwrap();
}
