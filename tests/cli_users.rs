//! `payusers hpay …` and `payusers payabli …`: the same verbs (create, get,
//! list, update, delete; Payabli's mfa) at both providers, end to end
//! through the binary against the embedded mock; and `--environment`.
#![cfg(feature = "cli")]

mod cli_common;
mod support;

use cli_common::{bare, payusers, run, stderr, stdout};
use payusers::mock::{HpayFixture, MockServer, PayabliFixture};
use payusers::payabli::Scope;
use serde_json::Value;

/// Every non-empty stdout line, parsed as JSON (JSON Lines).
fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON {l:?}: {e}")))
        .collect()
}

/// The whole of stdout as one JSON document.
fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {text}"))
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The value of a `key   value` line of a text record.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(char::is_whitespace)?;
        (k == key).then(|| v.trim())
    })
}

/// The `(method, path)` of every request the mock received.
fn calls(mock: &MockServer) -> Vec<(String, String)> {
    mock.requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect()
}

/// A single-line error on stderr.
fn one_line_error(out: &assert_cmd::assert::Assert) -> String {
    let err = stderr(out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

fn payabli_user_in(org: i64, user_id: i64) -> PayabliFixture {
    PayabliFixture {
        user_id,
        name: Some(format!("Paged User {user_id}")),
        email: Some(format!("u{user_id}@example.com")),
        scope: Some(vec![Scope {
            org_type: Some(0),
            org_id: Some(org),
        }]),
        ..PayabliFixture::default()
    }
}

// ---------------------------------------------------------------- hPay

#[tokio::test(flavor = "multi_thread")]
async fn hpay_create_prints_the_new_uuid_and_get_reads_it_back() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "create", "--app-user-id", "5001"])
        .args(["--name", "Ada Lovelace", "--phone-number", "+23279000111"])
        .args(["--email", "ada@example.com", "--username", "ada"]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    let id = field(&text, "id").unwrap_or_else(|| panic!("an id line: {text}"));
    assert!(is_uuid(id), "the new id is a UUID: {id:?}");
    assert_eq!(field(&text, "name"), Some("Ada Lovelace"), "{text}");
    assert_eq!(field(&text, "app_user_id"), Some("5001"), "{text}");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let stored = mock.hpay_user(id).expect("the mock has the new user");
    assert_eq!(stored.app_user_id, 5001);
    assert_eq!(stored.email.as_deref(), Some("ada@example.com"));
    assert!(stored.is_active, "hPay creates users active");
    let id = id.to_string();

    // --output json prints hPay's own JSON for the user.
    let mut cmd = payusers(&mock);
    cmd.args([
        "--output",
        "json",
        "hpay",
        "create",
        "--app-user-id",
        "5002",
    ])
    .args([
        "--name",
        "Charles Babbage",
        "--phone-number",
        "+23279000222",
    ])
    .args(["--active", "false"]);
    let out = run(cmd).await.success();
    let created = json(&stdout(&out));
    let json_id = created["id"].as_str().expect("an id string");
    assert!(is_uuid(json_id), "{created}");
    assert_ne!(json_id, id, "a fresh id per create");
    assert_eq!(created["app_user_id"], 5002);
    assert_eq!(created["name"], "Charles Babbage");
    assert_eq!(created["phone_number"], "+23279000222");
    assert_eq!(created["is_active"], false);
    assert!(!mock.hpay_user(json_id).unwrap().is_active);

    // get: text, then JSON.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "get", &id]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    assert_eq!(field(&text, "id"), Some(id.as_str()), "{text}");
    assert_eq!(field(&text, "phone_number"), Some("+23279000111"), "{text}");
    assert_eq!(field(&text, "username"), Some("ada"), "{text}");
    assert_eq!(field(&text, "is_active"), Some("true"), "{text}");

    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "get", &id, "--output", "json"]);
    let printed = stdout(&run(cmd).await.success());
    assert_eq!(
        printed.lines().count(),
        1,
        "one object, one line: {printed}"
    );
    let user = json(&printed);
    assert_eq!(user["id"], id.as_str());
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["app_user_id"], 5001);
}

#[tokio::test(flavor = "multi_thread")]
async fn hpay_create_refuses_bad_input_and_duplicates() {
    let mock = MockServer::start().await.unwrap();
    // Missing name and phone: refused locally, naming a field.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "create", "--app-user-id", "77"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("name"), "{}", stderr(&out));

    // A phone not in international form.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "create", "--app-user-id", "77", "--name", "X"])
        .args(["--phone-number", "079123456"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("phone_number"));
    assert!(mock.requests().is_empty(), "{:?}", calls(&mock));
    assert_eq!(mock.hpay_users().len(), 2, "nothing was created");

    // app_user_id 1 is John Doe's: the provider refuses (exit 1).
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "create", "--app-user-id", "1", "--name", "Again"])
        .args(["--phone-number", "+23279000333"]);
    let out = run(cmd).await.code(1);
    assert!(
        one_line_error(&out).contains("already exists"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    assert_eq!(mock.hpay_users().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn hpay_list_prints_a_table_filters_and_json_lines() {
    let mock = MockServer::start().await.unwrap();
    let mut idle = HpayFixture::new("user_idle01", 30, "Idle Person", "+23270000030");
    idle.is_active = false;
    mock.seed_hpay(idle);

    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "list"]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three users: {text}");
    for column in ["ID", "APP_USER_ID", "ACTIVE", "NAME", "PHONE", "EMAIL"] {
        assert!(lines[0].contains(column), "header has {column}: {text}");
    }
    for id in ["user_abc123", "user_xyz789", "user_idle01"] {
        assert_eq!(
            lines[1..].iter().filter(|l| l.starts_with(id)).count(),
            1,
            "one row for {id}: {text}"
        );
    }
    assert!(text.contains("John Doe") && text.contains("jane@example.com"));

    // --active false: only the inactive user (the filter reaches the server).
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "list", "--active", "false"]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert!(rows[0].starts_with("user_idle01"), "{text}");
    assert!(!text.contains("user_abc123"), "{text}");
    let last = mock.requests().pop().unwrap();
    assert!(last.path.contains("is_active=false"), "{}", last.path);

    // --output json: JSON Lines, one user per line, no header.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "list", "--output", "json"]);
    let out = run(cmd).await.success();
    let users = json_lines(&stdout(&out));
    assert_eq!(users.len(), 3, "{}", stdout(&out));
    let mut ids: Vec<&str> = users.iter().map(|u| u["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["user_abc123", "user_idle01", "user_xyz789"]);
    assert!(users.iter().all(|u| u["phone_number"].is_string()));

    // --active true with JSON: every line is an active user.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "list", "--active", "true", "--output", "json"]);
    let users = json_lines(&stdout(&run(cmd).await.success()));
    assert_eq!(users.len(), 2);
    assert!(users.iter().all(|u| u["is_active"] == true), "{users:?}");

    // --limit and --page-size: paging through page/per_page.
    mock.clear_requests();
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "list", "--page-size", "1", "--output", "json"]);
    let users = json_lines(&stdout(&run(cmd).await.success()));
    assert_eq!(users.len(), 3, "every user across pages of one");
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert!(paths.len() >= 3, "one request per page: {paths:?}");
    assert!(paths.iter().all(|p| p.contains("per_page=1")), "{paths:?}");
    assert!(paths.iter().any(|p| p.contains("page=3")), "{paths:?}");

    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "list", "--limit", "2", "--output", "json"]);
    assert_eq!(json_lines(&stdout(&run(cmd).await.success())).len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn hpay_partial_update_reads_then_writes_keeping_other_fields() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args([
        "hpay",
        "update",
        "user_xyz789",
        "--email",
        "jane.new@example.com",
    ]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    assert_eq!(
        field(&text, "email"),
        Some("jane.new@example.com"),
        "{text}"
    );
    assert_eq!(field(&text, "name"), Some("Jane Smith"), "{text}");
    let stored = mock.hpay_user("user_xyz789").unwrap();
    assert_eq!(stored.email.as_deref(), Some("jane.new@example.com"));
    assert_eq!(stored.name, "Jane Smith", "name kept");
    assert_eq!(stored.phone_number, "+23279654321", "phone kept");
    assert_eq!(stored.app_user_id, 2);
    assert!(stored.is_active, "active kept");
    let methods: Vec<String> = calls(&mock).into_iter().map(|(m, _)| m).collect();
    assert_eq!(methods, ["GET", "PUT"], "a read-modify-write");
    let put = &mock.requests()[1];
    let body: Value = serde_json::from_str(&put.body).unwrap();
    assert_eq!(body["name"], "Jane Smith", "the full body is sent: {body}");
    assert_eq!(body["phone_number"], "+23279654321", "{body}");
    assert_eq!(body["app_user_id"], 2, "{body}");

    // The same change again: nothing differs, so only the read is sent.
    mock.clear_requests();
    let mut cmd = payusers(&mock);
    cmd.args([
        "hpay",
        "update",
        "user_xyz789",
        "--email",
        "jane.new@example.com",
    ]);
    run(cmd).await.success();
    let methods: Vec<String> = calls(&mock).into_iter().map(|(m, _)| m).collect();
    assert_eq!(methods, ["GET"], "no write when nothing changes");

    // Deactivating alone keeps everything else too.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_xyz789", "--active", "false"]);
    cmd.args(["--output", "json"]);
    let user = json(&stdout(&run(cmd).await.success()));
    assert_eq!(user["is_active"], false);
    let stored = mock.hpay_user("user_xyz789").unwrap();
    assert!(!stored.is_active);
    assert_eq!(stored.email.as_deref(), Some("jane.new@example.com"));
}

#[tokio::test(flavor = "multi_thread")]
async fn hpay_full_update_sends_one_write() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_abc123", "--app-user-id", "1"])
        .args(["--name", "John Q. Doe", "--phone-number", "+23279000444"]);
    let out = run(cmd).await.success();
    assert_eq!(field(&stdout(&out), "name"), Some("John Q. Doe"));
    let methods: Vec<String> = calls(&mock).into_iter().map(|(m, _)| m).collect();
    assert_eq!(methods, ["PUT"], "a full update needs no read");
    let stored = mock.hpay_user("user_abc123").unwrap();
    assert_eq!(stored.name, "John Q. Doe");
    assert_eq!(stored.phone_number, "+23279000444");
    assert_eq!(
        stored.email.as_deref(),
        Some("john@example.com"),
        "an email not given is not cleared"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hpay_update_usage_and_validation_errors_exit_2() {
    let mock = MockServer::start().await.unwrap();
    // --app-user-id alone: a full update missing its other fields.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_abc123", "--app-user-id", "1"]);
    let out = run(cmd).await.code(2);
    let err = one_line_error(&out);
    assert!(
        err.contains("--name") && err.contains("--phone-number"),
        "{err}"
    );

    // Nothing to change at all.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_abc123"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("nothing to update"));

    // A bad phone in a full update.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_abc123", "--app-user-id", "1"])
        .args(["--name", "John Doe", "--phone-number", "23279123456"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("phone_number"));

    // A bad email in a full update.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_abc123", "--app-user-id", "1"])
        .args(["--name", "John Doe", "--phone-number", "+23279123456"])
        .args(["--email", "not-an-email"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("email"));
    assert!(mock.requests().is_empty(), "{:?}", calls(&mock));

    // A bad phone in a partial update: refused, and never written.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_abc123", "--phone-number", "12"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("phone_number"));
    assert!(
        calls(&mock).iter().all(|(m, _)| m == "GET"),
        "no write was sent: {:?}",
        calls(&mock)
    );
    assert_eq!(
        mock.hpay_user("user_abc123").unwrap().phone_number,
        "+23279123456"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hpay_unknown_user_exits_1() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_nobody", "--app-user-id", "9"])
        .args(["--name", "Nobody", "--phone-number", "+23279000999"]);
    let out = run(cmd).await.code(1);
    let err = one_line_error(&out);
    assert!(err.contains("404") && err.contains("not found"), "{err}");
    assert!(stdout(&out).is_empty());

    // The partial form fails on its read.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "update", "user_nobody", "--name", "Nobody"]);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("404"));

    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "get", "user_nobody"]);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("not found"));

    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "delete", "user_nobody", "--yes"]);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("404"));
    assert_eq!(mock.hpay_users().len(), 2, "nobody was created or removed");
}

#[tokio::test(flavor = "multi_thread")]
async fn hpay_delete_needs_yes_when_stdin_is_not_a_terminal() {
    let mock = MockServer::start().await.unwrap();
    // Typing the id on a pipe is not a confirmation.
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "delete", "user_xyz789"])
        .write_stdin("user_xyz789\n");
    let out = run(cmd).await.code(2);
    let err = one_line_error(&out);
    assert!(err.contains("--yes"), "{err}");
    assert!(mock.requests().is_empty(), "{:?}", calls(&mock));
    assert!(mock.hpay_user("user_xyz789").is_some(), "still there");

    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "delete", "user_xyz789", "--yes"]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    assert!(
        text.contains("user_xyz789") && text.contains("deleted"),
        "{text}"
    );
    assert!(mock.hpay_user("user_xyz789").is_none(), "gone");
    assert_eq!(calls(&mock)[0].0, "DELETE");

    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "get", "user_xyz789"]);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("not found"));

    // JSON output prints hPay's answer.
    let mut cmd = payusers(&mock);
    cmd.args(["--output", "json", "hpay", "delete", "--yes", "user_abc123"]);
    let answer = json(&stdout(&run(cmd).await.success()));
    assert_eq!(answer["message"], "User deleted successfully");
    assert!(mock.hpay_users().is_empty());
}

// ---------------------------------------------------------------- Payabli

#[tokio::test(flavor = "multi_thread")]
async fn payabli_create_prints_the_id_or_the_envelope() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "create", "--name", "Grace Hopper"])
        .args(["--email", "grace@example.com", "--org", "123"])
        .args(["--status", "active", "--time-zone", "-5"]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    let id: i64 = text
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("stdout is just the new id ({e}): {text:?}"));
    let stored = mock.payabli_user(id).expect("the mock has the new user");
    assert_eq!(stored.name.as_deref(), Some("Grace Hopper"));
    assert_eq!(stored.email.as_deref(), Some("grace@example.com"));
    assert_eq!(stored.time_zone, Some(-5));
    let types: Vec<Option<i32>> = stored
        .scope
        .clone()
        .unwrap()
        .iter()
        .map(|s| s.org_type)
        .collect();
    assert_eq!(types, [None], "no --org-type: none sent");

    // --org-type goes with every --org; an org or a key given twice is
    // refused (the second would be lost, or sent twice).
    let mut cmd = payusers(&mock);
    cmd.args([
        "payabli",
        "update",
        &id.to_string(),
        "--org",
        "123",
        "--org",
        "456",
    ])
    .args(["--org-type", "0"]);
    run(cmd).await.success();
    let scope = mock.payabli_user(id).unwrap().scope.unwrap();
    let orgs: Vec<(Option<i32>, Option<i64>)> =
        scope.iter().map(|s| (s.org_type, s.org_id)).collect();
    assert_eq!(orgs, [(Some(0), Some(123)), (Some(0), Some(456))]);
    for twice in [
        ["--org", "123", "--org", "123"],
        ["--additional-data", "k=1", "--additional-data", "k=2"],
    ] {
        let mut cmd = payusers(&mock);
        cmd.args(["payabli", "update", &id.to_string()]).args(twice);
        let out = run(cmd).await.code(2);
        assert!(stderr(&out).contains("given twice"), "{}", stderr(&out));
    }
    let orgs: Vec<Option<i64>> = stored.scope.unwrap().iter().map(|s| s.org_id).collect();
    assert_eq!(orgs, [Some(123)]);

    let mut cmd = payusers(&mock);
    cmd.args([
        "--output", "json", "payabli", "create", "--name", "Alan Kay",
    ]);
    let answer = json(&stdout(&run(cmd).await.success()));
    assert_eq!(answer["isSuccess"], true, "{answer}");
    assert_eq!(answer["responseText"], "Success", "{answer}");
    let new_id: i64 = match &answer["responseData"] {
        Value::String(s) => s.parse().unwrap(),
        Value::Number(n) => n.as_i64().unwrap(),
        other => panic!("responseData is the new id, got {other}"),
    };
    assert_ne!(new_id, id);
    assert_eq!(
        mock.payabli_user(new_id).unwrap().name.as_deref(),
        Some("Alan Kay")
    );

    // Payabli's documented answer to a create names no id: a success all
    // the same (exit 0), stdout empty, and stderr says so.
    mock.fail_next_with(
        payusers::mock::Fault::new(1, 200)
            .body(r#"{"responseText": "Success", "isSuccess": true, "responseData": null}"#),
    );
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "create", "--name", "Ida"]);
    let out = run(cmd).await.success();
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("names no user id"),
        "{}",
        stderr(&out)
    );

    // No fields at all, or a field out of range: refused before sending.
    let before = mock.requests().len();
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "create"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("nothing to send"));
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "create", "--name", "Z", "--time-zone", "15"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("timeZone"));
    assert_eq!(mock.requests().len(), before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn payabli_get_prints_text_and_the_read_casing_record() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "get", "1000000"]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    assert_eq!(field(&text, "userId"), Some("1000000"), "{text}");
    assert_eq!(field(&text, "name"), Some("Sean Smith"), "{text}");
    assert_eq!(field(&text, "email"), Some("example@email.com"), "{text}");
    assert_eq!(field(&text, "status"), Some("active (1)"), "{text}");
    assert_eq!(field(&text, "orgs"), Some("123"), "{text}");

    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "get", "1000000", "--output", "json"]);
    let record = json(&stdout(&run(cmd).await.success()));
    assert_eq!(record["userId"], 1_000_000, "{record}");
    assert_eq!(record["Name"], "Sean Smith", "{record}");
    assert_eq!(record["Email"], "example@email.com", "{record}");
    assert_eq!(record["UsrStatus"], 1, "{record}");
    assert!(
        record.get("name").is_none() && record.get("usrStatus").is_none(),
        "the read casing, not the write casing: {record}"
    );

    // An unknown user (Payabli answers 400 with its envelope).
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "get", "4242"]);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("User not found"));
    assert!(stdout(&out).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn payabli_list_by_org_limit_and_paypoint() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list", "--org", "123"]);
    let out = run(cmd).await.success();
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "a header and Sean: {text}");
    for column in ["USER_ID", "STATUS", "NAME", "EMAIL", "PHONE"] {
        assert!(lines[0].contains(column), "{text}");
    }
    assert!(lines[1].starts_with("1000000"), "{text}");
    assert!(
        lines[1].contains("Sean Smith") && lines[1].contains("active"),
        "{text}"
    );

    for id in 1..=5 {
        mock.seed_payabli(payabli_user_in(123, 3_000_000 + id));
    }
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list", "--org", "123", "--output", "json"]);
    let out = run(cmd).await.success();
    let users = json_lines(&stdout(&out));
    assert_eq!(users.len(), 6, "{users:?}");
    assert!(users.iter().all(|u| u["Name"].is_string()), "read casing");
    assert!(
        !stderr(&out).contains("more may follow"),
        "a short page is all: {}",
        stderr(&out)
    );

    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list", "--org", "123", "--limit", "3"]);
    cmd.args(["--output", "json"]);
    assert_eq!(json_lines(&stdout(&run(cmd).await.success())).len(), 3);

    // The paypoint of organization 123 is entry-123.
    mock.clear_requests();
    let mut cmd = payusers(&mock);
    cmd.args([
        "payabli",
        "list",
        "--paypoint",
        "entry-123",
        "--output",
        "json",
    ]);
    let users = json_lines(&stdout(&run(cmd).await.success()));
    assert_eq!(users.len(), 6, "{users:?}");
    assert!(users.iter().any(|u| u["userId"] == 1_000_000));
    assert!(
        mock.requests()[0]
            .path
            .contains("/Query/users/point/entry-123"),
        "{:?}",
        calls(&mock)
    );

    // An organization without users: nothing on stdout, a note on stderr.
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list", "--org", "999"]);
    let out = run(cmd).await.success();
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(stderr(&out).contains("no users"), "{}", stderr(&out));

    // Neither --org nor --paypoint; --limit with --all.
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list"]);
    run(cmd).await.code(2);
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list", "--org", "123", "--limit", "2", "--all"]);
    run(cmd).await.code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn payabli_list_all_pages_through_every_user() {
    const ORG: i64 = 777;
    let mock = MockServer::start().await.unwrap();
    let ids: Vec<i64> = (0..45).map(|i| 2_000_000 + i).collect();
    for &id in &ids {
        mock.seed_payabli(payabli_user_in(ORG, id));
    }

    let mut cmd = payusers(&mock);
    cmd.args([
        "payabli",
        "list",
        "--org",
        "777",
        "--page-size",
        "10",
        "--all",
    ])
    .args(["--output", "json"]);
    let users = json_lines(&stdout(&run(cmd).await.success()));
    assert_eq!(users.len(), 45, "every user, across pages");
    let mut got: Vec<i64> = users
        .iter()
        .map(|u| u["userId"].as_i64().unwrap())
        .collect();
    got.sort_unstable();
    assert_eq!(got, ids, "each user exactly once");
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths.len(), 5, "five pages of ten: {paths:?}");
    for (page, path) in paths.iter().enumerate() {
        assert!(path.contains("limitRecord=10"), "{path}");
        assert!(
            path.contains(&format!("fromRecord={}", page * 10)),
            "page {page}: {path}"
        );
    }

    // Without --all: the first page only.
    mock.clear_requests();
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list", "--org", "777", "--page-size", "10"])
        .args(["--output", "json"]);
    let out = run(cmd).await.success();
    let users = json_lines(&stdout(&out));
    assert_eq!(users.len(), 10);
    assert_eq!(mock.requests().len(), 1, "one request");
    assert!(
        stderr(&out).contains("note: one page of 10 users shown; more may follow (--all"),
        "{}",
        stderr(&out)
    );

    // The default page is 20 records.
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list", "--org", "777", "--output", "json"]);
    assert_eq!(json_lines(&stdout(&run(cmd).await.success())).len(), 20);

    // --all with the default page size: still all 45, as a table.
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list", "--org", "777", "--all"]);
    let text = stdout(&run(cmd).await.success());
    assert_eq!(text.lines().count(), 46, "a header and 45 rows");
}

#[tokio::test(flavor = "multi_thread")]
async fn payabli_update_mfa_and_delete() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "update", "1000000", "--name", "Sean Q"])
        .args(["--phone", "5551234567"]);
    let out = run(cmd).await.success();
    assert_eq!(stdout(&out).trim(), "Payabli user 1000000 updated: Success");
    let stored = mock.payabli_user(1_000_000).unwrap();
    assert_eq!(stored.name.as_deref(), Some("Sean Q"));
    assert_eq!(stored.phone.as_deref(), Some("5551234567"));
    assert_eq!(
        stored.email.as_deref(),
        Some("example@email.com"),
        "a partial update keeps the rest"
    );
    let body: Value = serde_json::from_str(&mock.requests()[0].body).unwrap();
    let mut keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    keys.sort_unstable();
    assert_eq!(keys, ["name", "phone"], "only the fields given are sent");

    // MFA on, with a mode; get shows it.
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "mfa", "1000000", "--enable", "--mode", "1"]);
    let out = run(cmd).await.success();
    assert!(stdout(&out).contains("MFA updated"), "{}", stdout(&out));
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "get", "1000000"]);
    let text = stdout(&run(cmd).await.success());
    assert_eq!(field(&text, "mfa"), Some("true"), "{text}");
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "get", "1000000", "--output", "json"]);
    let record = json(&stdout(&run(cmd).await.success()));
    assert_eq!(record["UsrMFA"], true, "{record}");
    assert_eq!(record["UsrMFAMode"], 1, "{record}");

    // Off again; --enable and --disable together, or neither, are usage errors.
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "mfa", "1000000", "--disable"]);
    run(cmd).await.success();
    assert_eq!(mock.payabli_user(1_000_000).unwrap().mfa, Some(false));
    for args in [
        &["payabli", "mfa", "1000000"][..],
        &["payabli", "mfa", "1000000", "--enable", "--disable"],
    ] {
        let mut cmd = payusers(&mock);
        cmd.args(args);
        run(cmd).await.code(2);
    }

    // Delete: refused without --yes on a pipe, then done with it.
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "delete", "1000000"])
        .write_stdin("1000000\n");
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("--yes"));
    assert!(mock.payabli_user(1_000_000).is_some());

    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "delete", "1000000", "--yes"]);
    let out = run(cmd).await.success();
    assert!(stdout(&out).contains("deleted"), "{}", stdout(&out));
    assert!(mock.payabli_user(1_000_000).is_none());

    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "get", "1000000"]);
    run(cmd).await.code(1);
}

#[tokio::test(flavor = "multi_thread")]
async fn payabli_declined_exits_1() {
    let mock = MockServer::start().await.unwrap();
    let cases: [&[&str]; 3] = [
        &["payabli", "update", "4242", "--name", "Nobody"],
        &["payabli", "mfa", "4242", "--enable"],
        &["payabli", "delete", "4242", "--yes"],
    ];
    for args in cases {
        let mut cmd = payusers(&mock);
        cmd.args(args);
        let out = run(cmd).await.code(1);
        let err = one_line_error(&out);
        assert!(err.to_lowercase().contains("declined"), "{args:?}: {err}");
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
    }
    assert_eq!(mock.requests().len(), 3, "a 200 decline is not retried");
    assert!(mock.requests().iter().all(|r| r.status == Some(200)));
}

// ---------------------------------------------------------------- environments

#[tokio::test(flavor = "multi_thread")]
async fn hpay_sandbox_refuses_a_live_key_before_any_request() {
    let mock = MockServer::start().await.unwrap();
    let live = "hpay_live_xyz";
    let mut cmd = payusers(&mock);
    cmd.env("HOST_PAY_SECRET_KEY", live)
        .env_remove("HOST_PAY_BASE_URL")
        .args(["--environment", "sandbox", "hpay", "get", "user_abc123"]);
    let out = run(cmd).await.code(2);
    let err = one_line_error(&out);
    assert!(
        err.contains("hpay_test_"),
        "names the prefix it needs: {err}"
    );
    assert!(!err.contains(live), "never prints the key: {err}");
    assert!(stdout(&out).is_empty());

    // The environment also wins over HOST_PAY_BASE_URL: a live key for
    // `sandbox` is refused wherever the URL points.
    let mut cmd = payusers(&mock);
    cmd.env("HOST_PAY_SECRET_KEY", live).args([
        "--environment",
        "sandbox",
        "hpay",
        "update",
        "user_abc123",
        "--name",
        "X",
    ]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("hpay_test_"));

    // An environment the spec does not name.
    let mut cmd = payusers(&mock);
    cmd.env_remove("HOST_PAY_BASE_URL").args([
        "--environment",
        "staging",
        "hpay",
        "get",
        "user_abc123",
    ]);
    let out = run(cmd).await.code(2);
    let err = one_line_error(&out);
    assert!(
        err.contains("staging") && err.contains("sandbox") && err.contains("production"),
        "{err}"
    );

    // --environment with --base-url is a usage error.
    let mut cmd = payusers(&mock);
    cmd.args([
        "--environment",
        "sandbox",
        "--base-url",
        &mock.hpay_base_url(),
    ])
    .args(["hpay", "get", "user_abc123"]);
    run(cmd).await.code(2);

    // Missing credentials name the variable.
    let mut cmd = bare();
    cmd.args(["hpay", "get", "user_abc123"]);
    let out = run(cmd).await.code(2);
    assert!(one_line_error(&out).contains("HOST_PAY_"));

    assert!(mock.requests().is_empty(), "nothing was sent");
}

#[test]
fn hpay_environments_accept_test_keys_at_the_library_level() {
    use payusers::HostPay;
    use payusers::hpay::Environment;
    let build = |secret: &str, env: Environment| {
        HostPay::builder()
            .api_key("k")
            .secret_key(secret)
            .environment(env)
            .build()
    };
    assert!(build("hpay_test_x", Environment::Sandbox).is_ok());
    assert!(build("hpay_test_x", Environment::Production).is_ok());
    assert!(build("hpay_live_x", Environment::Production).is_ok());
    let err = build("hpay_live_x", Environment::Sandbox).unwrap_err();
    assert!(
        matches!(err, payusers::Error::Config { .. }),
        "a configuration error: {err:?}"
    );
    assert!(!err.to_string().contains("hpay_live_x"), "{err}");
}

// ---------------------------------------------------------------- help

#[test]
fn every_user_subcommand_has_help() {
    for (provider, verbs) in [
        ("hpay", &["create", "get", "list", "update", "delete"][..]),
        (
            "payabli",
            &["create", "get", "list", "update", "delete", "mfa"],
        ),
    ] {
        let mut cmd = bare();
        cmd.args([provider, "--help"]);
        let out = cmd.assert().success();
        let help = stdout(&out);
        for verb in verbs {
            assert!(
                help.lines().any(|l| l.trim_start().starts_with(verb)),
                "{provider} --help lists {verb}: {help}"
            );
            let mut cmd = bare();
            cmd.args([provider, verb, "--help"]);
            let out = cmd.assert().success();
            assert!(stdout(&out).contains("Usage"), "{}", stdout(&out));
        }
    }
    let mut cmd = bare();
    cmd.args(["hpay", "update", "--help"]);
    let help = stdout(&cmd.assert().success());
    for flag in [
        "--app-user-id",
        "--name",
        "--phone-number",
        "--email",
        "--active",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    let mut cmd = bare();
    cmd.args(["payabli", "list", "--help"]);
    let help = stdout(&cmd.assert().success());
    for flag in ["--org", "--paypoint", "--limit", "--all", "--page-size"] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}

// ---------------------------------------------------------------- found bugs

/// `--page-size 0` (Payabli's `limitRecord=0`, "all in one answer") must
/// either be refused or list the users; it must not claim an empty org.
#[tokio::test(flavor = "multi_thread")]
async fn payabli_list_page_size_zero_does_not_hide_the_users() {
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "list", "--org", "123", "--page-size", "0"]);
    let out = run(cmd).await;
    let (text, err) = (stdout(&out), stderr(&out));
    match out.get_output().status.code() {
        Some(2) => assert!(err.contains("page-size"), "a refusal names the flag: {err}"),
        Some(0) => assert!(
            text.contains("1000000"),
            "BUG: `payabli list --org 123 --page-size 0` exited 0 and listed nothing \
             (stderr {err:?}, {} request(s) sent) although org 123 has user 1000000; \
             src/bin/payusers/payabli.rs list() turns a page size of 0 into `.limit(0)` \
             when --all is absent",
            mock.requests().len()
        ),
        other => panic!("unexpected exit {other:?}: {err}"),
    }
}

/// A name that fits its 25-character column is printed whole, whatever its
/// characters; a longer one is cut to 24 and `…`.
#[tokio::test(flavor = "multi_thread")]
async fn hpay_list_table_cuts_only_names_that_do_not_fit() {
    let fits = "Jean-Baptiste Lefèvre Noé";
    let long = "Jean-Baptiste Lefèvre Noée";
    assert_eq!((fits.chars().count(), long.chars().count()), (25, 26));
    let mock = MockServer::builder()
        .fixtures(payusers::mock::Fixtures::empty())
        .start()
        .await
        .unwrap();
    mock.seed_hpay(HpayFixture::new("user_fits", 41, fits, "+23279000041"));
    mock.seed_hpay(HpayFixture::new("user_long", 42, long, "+23279000042"));
    let mut cmd = payusers(&mock);
    cmd.args(["hpay", "list"]);
    let text = stdout(&run(cmd).await.success());
    let row = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("a row for {id}: {text}"))
            .to_string()
    };
    assert!(
        row("user_long").contains("Jean-Baptiste Lefèvre No… "),
        "{text}"
    );
    assert!(
        row("user_fits").contains(fits),
        "BUG: a 25-character name whose 25th character is multi-byte (é) is cut although \
         it fits its 25-character column: src/bin/payusers/output.rs cut() tests \
         `text.len() > at + 1` (at = byte offset of the n-th char), which is true when \
         that char is longer than one byte even if nothing follows it: {text}"
    );
}

/// `--quiet`: "Nothing on stderr but errors".
#[tokio::test(flavor = "multi_thread")]
async fn quiet_leaves_stderr_empty_when_nothing_failed() {
    let mock = MockServer::start().await.unwrap();
    // Errors still show.
    let mut cmd = payusers(&mock);
    cmd.args(["-q", "hpay", "get", "user_nobody"]);
    let out = run(cmd).await.code(1);
    assert!(one_line_error(&out).contains("not found"));

    for args in [
        &["--quiet", "payabli", "list", "--org", "999"][..],
        &["--quiet", "hpay", "list", "--active", "false"],
    ] {
        let mut cmd = payusers(&mock);
        cmd.args(args);
        let out = run(cmd).await.success();
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
        assert!(
            stderr(&out).is_empty(),
            "BUG: {args:?} succeeded but wrote {:?} to stderr although --quiet promises \
             \"Nothing on stderr but errors\": src/bin/payusers/output.rs Table::finish() \
             calls warn(\"no users\") without knowing about --quiet",
            stderr(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_environment_whose_url_a_variable_replaced_is_said_and_logs_are_plain() {
    // The mock's exports set PAYABLI_BASE_URL: an explicit --environment
    // keeps its rules but not its URL, and the user is told where calls go.
    let mock = MockServer::start().await.unwrap();
    let mut cmd = payusers(&mock);
    cmd.args([
        "payabli",
        "get",
        "1000000",
        "--environment",
        "production",
        "-vv",
    ]);
    let out = run(cmd).await.success();
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "note: PAYABLI_BASE_URL is set: requests go to {}, under the production environment's rules",
            mock.payabli_base_url()
        )),
        "{err}"
    );
    // The log went to a pipe: no colour codes in it.
    assert!(err.contains("payusers attempt"), "{err}");
    assert!(!err.contains('\x1b'), "{err:?}");
    // Every command builds its clients the same way: `sync` says it too.
    cli_common::seed_hpay(&mock, 1);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    std::fs::write(&input, cli_common::hpay_row(0) + "\n").unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["--environment", "production", "sync", "--provider", "hpay"])
        .arg("--input")
        .arg(&input)
        .arg("--journal")
        .arg(dir.path().join("journal"));
    let err = stderr(&run(cmd).await.success());
    assert!(
        err.contains("note: HOST_PAY_BASE_URL is set: requests go to"),
        "{err}"
    );
    // Without --environment, or with --quiet, nothing is said.
    let mut cmd = payusers(&mock);
    cmd.args(["payabli", "get", "1000000"]);
    assert!(!stderr(&run(cmd).await.success()).contains("note:"));
    let mut cmd = payusers(&mock);
    cmd.args([
        "-q",
        "payabli",
        "get",
        "1000000",
        "--environment",
        "sandbox",
    ]);
    assert!(stderr(&run(cmd).await.success()).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_a_server_echoes_in_an_answer_are_never_printed() {
    use axum::http::HeaderMap;
    const API_KEY: &str = "echoed_api_key_7f3";
    const SECRET: &str = "hpay_test_echoed_secret_91c";
    const TOKEN: &str = "echoed_token_55d";
    let header = |headers: &HeaderMap, name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let router = axum::Router::new()
        .route(
            "/api/v1/users/{id}/",
            axum::routing::get(move |headers: HeaderMap| async move {
                axum::Json(serde_json::json!({
                    "id": "user_abc123", "app_user_id": 1,
                    "name": format!("echo {}", header(&headers, "api-key")),
                    "email": format!("{}@x.io", header(&headers, "secret-key").to_uppercase()),
                    "phone_number": "+23279123456", "is_active": true
                }))
            }),
        )
        .route(
            "/User/{id}",
            axum::routing::put(move |headers: HeaderMap| async move {
                axum::Json(serde_json::json!({
                    "isSuccess": true,
                    "responseText": format!("Success {}", header(&headers, "requestToken")),
                    "responseData": null
                }))
            }),
        );
    let addr = support::serve(router).await;
    let command = |args: &[&str]| {
        let mut cmd = bare();
        cmd.env("HOST_PAY_API_KEY", API_KEY)
            .env("HOST_PAY_SECRET_KEY", SECRET)
            .env("HOST_PAY_BASE_URL", format!("http://{addr}"))
            .env("PAYABLI_API_TOKEN", TOKEN)
            .env("PAYABLI_BASE_URL", format!("http://{addr}"))
            .args(args);
        cmd
    };
    for args in [
        &["hpay", "get", "user_abc123"][..],
        &["--output", "json", "hpay", "get", "user_abc123"],
        &["api", "hpay", "get_user", "user_id=user_abc123"],
        &["payabli", "update", "1000000", "--name", "X"],
    ] {
        let out = run(command(args)).await;
        let printed = stdout(&out) + &stderr(&out);
        assert_eq!(
            out.get_output().status.code(),
            Some(0),
            "{args:?}: {printed}"
        );
        for secret in [API_KEY, SECRET, TOKEN] {
            assert!(
                !printed.to_lowercase().contains(&secret.to_lowercase()),
                "{args:?} printed {secret}: {printed}"
            );
        }
        assert!(printed.contains("[redacted]"), "{args:?}: {printed}");
    }
}
