//! `payusers hpay update`, `payusers payabli update`, usage errors and help.
#![cfg(feature = "cli")]

mod cli_common;

use cli_common::{bare, payusers, run, stderr, stdout};
use payusers::mock::MockServer;
use payusers::payabli::UserStatus;

#[tokio::test(flavor = "multi_thread")]
async fn hpay_update_prints_text_and_json_and_changes_the_user() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_abc123", "--app-user-id", "1"])
        .args(["--name", "John Updated", "--phone-number", "+23279123456"])
        .args([
            "--email",
            "john.new@example.com",
            "--username",
            "jdoe",
            "--active",
            "false",
        ]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    assert!(text.contains("John Updated"), "{text}");
    assert!(text.contains("john.new@example.com"), "{text}");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let stored = mock.hpay_user("user_abc123").unwrap();
    assert_eq!(stored.name, "John Updated");
    assert_eq!(stored.username.as_deref(), Some("jdoe"));
    assert!(!stored.is_active);

    // JSON output; global flags are accepted before the subcommand too.
    let mut cmd = payusers(&mock);
    cmd.args(["--output", "json", "--timeout", "2s", "--max-retries", "1"])
        .args(["hpay", "update", "user_xyz789", "--app-user-id", "2"])
        .args(["--name", "Jane Q. Smith", "--phone-number", "+23279654321"]);
    let out = run(cmd).await.success();
    let user: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("stdout is JSON");
    assert_eq!(user["id"], "user_xyz789");
    assert_eq!(user["name"], "Jane Q. Smith");
    assert_eq!(user["app_user_id"], 2);
    assert_eq!(mock.hpay_user("user_xyz789").unwrap().name, "Jane Q. Smith");
}

#[tokio::test(flavor = "multi_thread")]
async fn payabli_update_prints_text_and_json_and_changes_the_user() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "update", "1000000", "--name", "Sean Q. Smith"])
        .args([
            "--status",
            "locked",
            "--language",
            "es",
            "--time-zone",
            "-5",
        ])
        .args([
            "--additional-data",
            "team=blue",
            "--additional-data",
            "tier=gold",
        ]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    assert!(
        text.contains("1000000") && text.contains("Success"),
        "{text}"
    );
    let stored = mock.payabli_user(1_000_000).unwrap();
    assert_eq!(stored.name.as_deref(), Some("Sean Q. Smith"));
    assert_eq!(stored.time_zone, Some(-5));
    assert_eq!(stored.status, Some(UserStatus::Locked));
    assert_eq!(stored.status_code, Some(UserStatus::Locked.code()));
    let additional = stored.additional_data.unwrap();
    assert_eq!(additional.get("team").map(String::as_str), Some("blue"));

    let mut cmd = payusers(&mock);
    cmd.args([
        "payabli",
        "update",
        "1000000",
        "--email",
        "sean@example.com",
    ])
    .args(["--output", "json"]);
    let out = run(cmd).await.success();
    let answer: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("stdout is JSON");
    assert_eq!(answer["isSuccess"], true);
    assert_eq!(answer["responseText"], "Success");
    assert_eq!(
        mock.payabli_user(1_000_000).unwrap().email.as_deref(),
        Some("sean@example.com")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_error_exits_1_with_one_line() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_abc123", "--app-user-id", "99"])
        .args(["--name", "John Doe", "--phone-number", "+23279123456"]);
    let out = run(cmd).await.code(1);
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("cannot be changed"), "{err}");
    assert!(stdout(&out).is_empty());
    assert_eq!(mock.hpay_user("user_abc123").unwrap().app_user_id, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn server_failures_are_retried_then_exit_1() {
    let mock = MockServer::start().await.unwrap();
    mock.fail_next(10, 503);
    let mut cmd = payusers(&mock);
    cmd.args([
        "--max-retries",
        "1",
        "payabli",
        "update",
        "1000000",
        "--name",
        "X",
    ]);
    let out = run(cmd).await.code(1);
    assert!(stderr(&out).contains("503"), "{}", stderr(&out));
    assert_eq!(mock.requests().len(), 2, "one try and one retry");
}

#[tokio::test(flavor = "multi_thread")]
async fn validation_errors_exit_2_before_sending() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_abc123", "--app-user-id", "1"])
        .args(["--name", "John Doe", "--phone-number", "079123456"]);
    let out = run(cmd).await.code(2);
    let err = stderr(&out);
    assert!(err.contains("phone_number"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "update", "1000000", "--time-zone", "15"]);
    let out = run(cmd).await.code(2);
    assert!(stderr(&out).contains("timeZone"), "{}", stderr(&out));
    assert!(mock.requests().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_credentials_exit_2() {
    let mut cmd = bare();
    cmd.args(["payabli", "update", "1", "--name", "X"]);
    let out = run(cmd).await.code(2);
    assert!(
        stderr(&out).contains("PAYABLI_API_TOKEN"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_2() {
    let mock = MockServer::start().await.unwrap();
    let cases: [&[&str]; 6] = [
        // --phone-number missing
        &[
            "hpay",
            "update",
            "user_abc123",
            "--app-user-id",
            "1",
            "--name",
            "J",
        ],
        &["payabli", "update", "1000000", "--status", "sleepy"],
        &[
            "--timeout",
            "soon",
            "payabli",
            "update",
            "1000000",
            "--name",
            "X",
        ],
        &["payabli", "update", "1000000", "--language", "fr"],
        &[
            "--base-url",
            "http://127.0.0.1:1",
            "--environment",
            "sandbox",
            "payabli",
            "update",
            "1",
        ],
        &[
            "sync",
            "--provider",
            "hpay",
            "--input",
            "x.jsonl",
            "--journal",
            "j",
            "--concurrency",
            "0",
        ],
    ];
    for args in cases {
        let mut cmd = payusers(&mock);
        cmd.args(args);
        let out = run(cmd).await;
        let code = out.get_output().status.code();
        assert_eq!(code, Some(2), "{args:?}: {}", stderr(&out));
    }
    assert!(mock.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn help_documents_exit_codes() {
    let mut cmd = bare();
    cmd.arg("--help");
    let out = run(cmd).await.success();
    let help = stdout(&out);
    assert!(help.contains("Exit codes"), "{help}");
    for code in ["0 ", "1 ", "2 "] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(code)),
            "{code}: {help}"
        );
    }
    assert!(help.contains("HOST_PAY_API_KEY"));
}
