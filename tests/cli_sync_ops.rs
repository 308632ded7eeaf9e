//! `payusers sync` beyond updates and its reliability rules: creates then
//! deletes, piped input, resume that notices edits, per-user ordering, one
//! rate limit for all workers, and files that lie.
#![cfg(feature = "cli")]

mod cli_common;
mod support;

use cli_common::{journal, journal_lines, payusers, payusers_std, run, seed_hpay, stderr};
use payusers::mock::{Fault, MockServer, PayabliFixture};
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn sync(
    mock: &MockServer,
    provider: &str,
    op: &str,
    input: &std::path::Path,
    journal: &std::path::Path,
) -> assert_cmd::Command {
    let mut cmd = payusers(mock);
    cmd.args(["sync", "--provider", provider, "--op", op, "--input"])
        .arg(input)
        .arg("--journal")
        .arg(journal);
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_creates_then_deletes_leave_the_mock_as_it_started() {
    const ROWS: usize = 1000;
    let mock = MockServer::start().await.unwrap();
    let before_hpay = mock.hpay_users();
    let before_payabli = mock.payabli_users();
    let dir = tempfile::tempdir().unwrap();

    // hPay: create 1 000, then delete them by the ids the journal recorded.
    let input = dir.path().join("hpay-create.jsonl");
    let rows: String = (0..ROWS)
        .map(|i| {
            serde_json::json!({"app_user_id": 50_000 + i, "name": format!("Created {i}"),
                "phone_number": format!("+23278{i:06}")})
            .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&input, rows).unwrap();
    let created = dir.path().join("hpay-create.journal");
    let out = run(sync(&mock, "hpay", "create", &input, &created)).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(mock.hpay_users().len(), before_hpay.len() + ROWS);
    let ids: Vec<String> = journal(&created)
        .iter()
        .map(|e| {
            e["created_id"]
                .as_str()
                .expect("a create records its new id")
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), ROWS);
    let deletes = dir.path().join("hpay-delete.csv");
    let mut text = String::from("user_id\n");
    for id in &ids {
        text.push_str(id);
        text.push('\n');
    }
    std::fs::write(&deletes, text).unwrap();
    let mut cmd = sync(
        &mock,
        "hpay",
        "delete",
        &deletes,
        &dir.path().join("hpay-delete.journal"),
    );
    cmd.arg("--yes");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(mock.hpay_users(), before_hpay);

    // Payabli: the same round trip.
    let input = dir.path().join("payabli-create.jsonl");
    let rows: String = (0..ROWS)
        .map(|i| {
            serde_json::json!({"name": format!("Created {i}"), "email": format!("c{i}@example.com"),
                "scope": [{"orgId": 77}]})
            .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&input, rows).unwrap();
    let created = dir.path().join("payabli-create.journal");
    let out = run(sync(&mock, "payabli", "create", &input, &created)).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        mock.payabli().list_users(77).collect().await.unwrap().len(),
        ROWS
    );
    let deletes = dir.path().join("payabli-delete.jsonl");
    let rows: String = journal(&created)
        .iter()
        .map(|e| format!("{{\"userId\": {}}}\n", e["created_id"].as_str().unwrap()))
        .collect();
    std::fs::write(&deletes, rows).unwrap();
    let mut cmd = sync(
        &mock,
        "payabli",
        "delete",
        &deletes,
        &dir.path().join("payabli-delete.journal"),
    );
    cmd.arg("--yes");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(mock.payabli_users(), before_payabli);
}

#[tokio::test(flavor = "multi_thread")]
async fn resuming_a_create_file_with_lines_inserted_creates_no_one_twice() {
    let mock = MockServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let row = |name: &str| {
        serde_json::json!({"name": name, "email": format!("{name}@example.com"),
            "scope": [{"orgId": 91}]})
        .to_string()
            + "\n"
    };
    let (input, journal_path) = (dir.path().join("new.jsonl"), dir.path().join("j"));
    std::fs::write(&input, ["ann", "bob", "cy"].map(row).concat()).unwrap();
    let out = run(sync(&mock, "payabli", "create", &input, &journal_path)).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    // Two people added: one above the rows already created, one between.
    std::fs::write(&input, ["dee", "ann", "bob", "eve", "cy"].map(row).concat()).unwrap();
    let mut cmd = sync(&mock, "payabli", "create", &input, &journal_path);
    cmd.arg("--resume");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("ok 2, failed 0, skipped 3"), "{err}");
    assert!(
        !err.contains("edited since they were ok"),
        "new rows called edited: {err}"
    );
    let mut names: Vec<String> = mock
        .payabli()
        .list_users(91)
        .collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|u| u.name)
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["ann", "bob", "cy", "dee", "eve"],
        "{}",
        stderr(&out)
    );
    // A third run (after the lines moved) still knows every create.
    let mut cmd = sync(&mock, "payabli", "create", &input, &journal_path);
    cmd.arg("--resume");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        mock.payabli().list_users(91).collect().await.unwrap().len(),
        5
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn resuming_a_csv_with_its_columns_reordered_creates_no_one_twice() {
    let mock = MockServer::start().await.unwrap();
    let users_before = mock.payabli_users().len();
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("new.csv"), dir.path().join("j"));
    std::fs::write(
        &input,
        "name,email,phone\nRe Order,ro@example.com,5550001\nAl So,also@example.com,5550002\n",
    )
    .unwrap();
    let out = run(sync(&mock, "payabli", "create", &input, &journal_path)).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    // The same rows, columns in another order: the same content.
    std::fs::write(
        &input,
        "phone,email,name\n5550001,ro@example.com,Re Order\n5550002,also@example.com,Al So\n",
    )
    .unwrap();
    let mut cmd = sync(&mock, "payabli", "create", &input, &journal_path);
    cmd.arg("--resume");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("ok 0, failed 0, skipped 2"), "{err}");
    assert!(!err.contains("input changed"), "{err}");
    assert_eq!(mock.payabli_users().len(), users_before + 2, "{err}");

    // A journal of format 3 (an older payusers) hashed the cells in the
    // header's order, and is resumed as it was written: the same entries
    // labelled format 3 match none of the rows of a file whose header is
    // not in name order (so its rows count as new), and what the run
    // appends keeps that format's digests.
    let old = dir.path().join("old");
    let mut lines: Vec<serde_json::Value> = std::fs::read_to_string(&journal_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        // Format 3 had no in-flight entries.
        .filter(|l| l["in_flight"] != true)
        .collect();
    lines[0]["journal"] = 3.into();
    std::fs::write(
        &old,
        lines
            .iter()
            .map(|l| l.to_string() + "\n")
            .collect::<String>(),
    )
    .unwrap();
    std::fs::write(
        &input,
        "name,email,phone\nRe Order,ro@example.com,5550001\nAl So,also@example.com,5550002\n",
    )
    .unwrap();
    let mut cmd = sync(&mock, "payabli", "create", &input, &old);
    cmd.arg("--resume");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ok 2, failed 0, skipped 0"),
        "{}",
        stderr(&out)
    );
    let written: Vec<serde_json::Value> = std::fs::read_to_string(&old)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        written[0]["journal"], 3,
        "a resumed journal keeps its format"
    );
    let digests = |entries: &[serde_json::Value]| -> Vec<String> {
        entries
            .iter()
            .map(|e| e["digest"].as_str().unwrap().to_string())
            .collect()
    };
    let (sorted, by_header) = (digests(&written[1..3]), digests(&written[3..]));
    assert_eq!(by_header.len(), 2);
    assert!(
        by_header.iter().all(|d| !sorted.contains(d)),
        "{sorted:?} {by_header:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_answer_was_lost_is_not_sent_again_unless_asked() {
    let mock = MockServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("new.jsonl"), dir.path().join("j"));
    std::fs::write(
        &input,
        "{\"name\": \"Tess\", \"email\": \"tt@example.com\", \"scope\": [{\"orgId\": 95}]}\n\
         {\"name\": \"Ivy\", \"email\": \"ivy@example.com\", \"pwd\": \"Secr3t-Pass\", \"scope\": [{\"orgId\": 95}]}\n",
    )
    .unwrap();
    let posts = || {
        mock.requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count()
    };
    // Every answer comes after the client stopped waiting: sent, and lost.
    mock.set_latency(Duration::from_millis(1500));
    let mut cmd = sync(&mock, "payabli", "create", &input, &journal_path);
    cmd.args(["--timeout", "200ms"]);
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    let entries = journal(&journal_path);
    assert_eq!(entries.len(), 2);
    for entry in &entries {
        assert_eq!(entry["status"], "failed", "{entry}");
        assert_eq!(entry["maybe_applied"], true, "{entry}");
    }
    // The row with a password keeps its digest (the password in it only as
    // set), so that `--resume` knows it again; the password is nowhere.
    let journal_text = std::fs::read_to_string(&journal_path).unwrap();
    assert!(!journal_text.contains("Secr3t"), "{journal_text}");
    mock.set_latency(Duration::ZERO);
    let sent = posts();

    // Resumed, neither is sent again: each fails with why.
    let mut cmd = sync(&mock, "payabli", "create", &input, &journal_path);
    cmd.arg("--resume");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(posts(), sent, "nothing sent");
    let entries = journal(&journal_path);
    assert_eq!(entries.len(), 4);
    for entry in &entries[2..] {
        assert_eq!(entry["attempts"], 0, "{entry}");
        let error = entry["error"].as_str().unwrap();
        assert!(error.contains("may have made the user"), "{error}");
        assert!(error.contains("--resend-uncertain"), "{error}");
    }

    // Told to, it sends them; after that they are done.
    let mut cmd = sync(&mock, "payabli", "create", &input, &journal_path);
    cmd.args(["--resume", "--resend-uncertain"]);
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(posts(), sent + 2);
    let mut cmd = sync(&mock, "payabli", "create", &input, &journal_path);
    cmd.arg("--resume");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("skipped 2"), "{}", stderr(&out));
    assert_eq!(posts(), sent + 2);

    // The flag means nothing without --resume.
    let mut cmd = sync(&mock, "payabli", "create", &input, &dir.path().join("k"));
    cmd.arg("--resend-uncertain");
    run(cmd).await.code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_success_body_stalled_is_held_back_too() {
    // hPay answers 201 Created, then the body never comes: the user was
    // made, and the call times out with the status it saw.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n\
                            content-length: 1000\r\n\r\n{";
                let _ = socket.write_all(head.as_bytes()).await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    let mock = MockServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("new.jsonl"), dir.path().join("j"));
    std::fs::write(
        &input,
        "{\"app_user_id\": 77001, \"name\": \"Stall\", \"phone_number\": \"+23278100001\"}\n",
    )
    .unwrap();
    let stalled = |resume: bool| {
        let mut cmd = sync(&mock, "hpay", "create", &input, &journal_path);
        cmd.env("HOST_PAY_BASE_URL", format!("http://{addr}"))
            .args(["--timeout", "300ms"]);
        if resume {
            cmd.arg("--resume");
        }
        cmd
    };
    let out = run(stalled(false)).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    let entries = journal(&journal_path);
    assert_eq!(entries[0]["http_status"], 201, "{}", entries[0]);
    assert_eq!(entries[0]["maybe_applied"], true, "{}", entries[0]);
    let out = run(stalled(true)).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        accepted.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "not sent again"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn resuming_a_delete_file_with_a_line_inserted_deletes_no_one_again() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 3);
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("gone.csv"), dir.path().join("j"));
    std::fs::write(&input, "user_id\nsync_0\nsync_1\n").unwrap();
    let mut cmd = sync(&mock, "hpay", "delete", &input, &journal_path);
    cmd.arg("--yes");
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    // Sent again, the two deletes would fail: those users are gone.
    std::fs::write(&input, "user_id\nsync_2\nsync_0\nsync_1\n").unwrap();
    let mut cmd = sync(&mock, "hpay", "delete", &input, &journal_path);
    cmd.args(["--yes", "--resume"]);
    let out = run(cmd).await;
    let err = stderr(&out);
    assert_eq!(out.get_output().status.code(), Some(0), "{err}");
    assert!(err.contains("ok 1, failed 0, skipped 2"), "{err}");
    assert!(mock.hpay_user("sync_2").is_none());
}

/// Runs a delete sync whose every answer comes after the client stopped
/// waiting (one attempt each), then waits out the mock's late answers.
async fn deletes_with_answers_lost(
    mock: &MockServer,
    provider: &str,
    input: &std::path::Path,
    journal_path: &std::path::Path,
) {
    mock.set_latency(Duration::from_millis(800));
    let mut cmd = sync(mock, provider, "delete", input, journal_path);
    cmd.args(["--yes", "--timeout", "150ms", "--max-retries", "0"]);
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    for entry in journal(journal_path) {
        assert_eq!(entry["status"], "failed", "{entry}");
        assert_eq!(entry["maybe_applied"], true, "{entry}");
    }
    mock.set_latency(Duration::ZERO);
    // The late answers (if the server still gives them) come and go.
    tokio::time::sleep(Duration::from_millis(1000)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_whose_answer_was_lost_is_ok_on_resume_once_its_user_is_found_gone() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 3);
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("gone.csv"), dir.path().join("j"));
    std::fs::write(&input, "user_id\nsync_0\nsync_1\n").unwrap();
    deletes_with_answers_lost(&mock, "hpay", &input, &journal_path).await;
    // Whatever the lost attempts did, say the first one deleted its user
    // and the second did not.
    if mock.hpay_user("sync_0").is_some() {
        mock.hpay().delete_user("sync_0").send().await.unwrap();
    }
    if mock.hpay_user("sync_1").is_none() {
        mock.seed_hpay(payusers::mock::HpayFixture::new(
            "sync_1",
            1001,
            "Old Name 1",
            "+23270000000",
        ));
    }
    mock.clear_requests();

    let mut cmd = sync(&mock, "hpay", "delete", &input, &journal_path);
    cmd.args(["--yes", "--resume", "--concurrency", "1"]);
    let out = run(cmd).await;
    let err = stderr(&out);
    assert_eq!(out.get_output().status.code(), Some(0), "{err}");
    assert!(err.contains("ok 2 (1 already deleted"), "{err}");
    let entries = journal(&journal_path);
    let (gone, deleted) = (&entries[2], &entries[3]);
    assert_eq!(gone["status"], "ok", "{gone}");
    assert_eq!(gone["http_status"], 404, "{gone}");
    assert_eq!(gone["attempts"], 2, "the delete, then the lookup: {gone}");
    assert!(
        gone["note"].as_str().unwrap().contains("already deleted"),
        "{gone}"
    );
    assert_eq!(deleted["status"], "ok", "{deleted}");
    assert!(deleted.get("note").is_none(), "{deleted}");
    assert!(mock.hpay_user("sync_1").is_none());
    let sent: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(
        sent[1].starts_with("GET ") && sent[1].ends_with("/sync_0/"),
        "{sent:?}"
    );

    // Both done: nothing is sent again.
    mock.clear_requests();
    let mut cmd = sync(&mock, "hpay", "delete", &input, &journal_path);
    cmd.args(["--yes", "--resume"]);
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    assert!(mock.requests().is_empty());

    // Without an earlier lost answer, a delete of a user not there fails.
    let fresh = dir.path().join("k");
    let mut cmd = sync(&mock, "hpay", "delete", &input, &fresh);
    cmd.args(["--yes"]);
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    for entry in journal(&fresh) {
        assert_eq!(entry["http_status"], 404, "{entry}");
        assert!(entry.get("maybe_applied").is_none(), "{entry}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payabli_delete_in_doubt_refused_while_its_user_is_there_fails_for_real() {
    let mock = MockServer::start().await.unwrap();
    for user_id in [7001, 7002] {
        mock.seed_payabli(PayabliFixture {
            user_id,
            ..PayabliFixture::default()
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("gone.jsonl"), dir.path().join("j"));
    std::fs::write(&input, "{\"userId\": 7002}\n{\"userId\": 7001}\n").unwrap();
    deletes_with_answers_lost(&mock, "payabli", &input, &journal_path).await;
    if mock.payabli_user(7001).is_some() {
        mock.payabli().delete_user(7001).send().await.unwrap();
    }
    if mock.payabli_user(7002).is_none() {
        mock.seed_payabli(PayabliFixture {
            user_id: 7002,
            ..PayabliFixture::default()
        });
    }
    // 7002's delete is declined though the user is there.
    mock.fail_next_with(
        Fault::new(1, 200)
            .body(r#"{"isSuccess": false, "responseText": "Declined", "responseData": null}"#),
    );
    let resume = || {
        let mut cmd = sync(&mock, "payabli", "delete", &input, &journal_path);
        cmd.args(["--yes", "--resume", "--concurrency", "1"]);
        cmd
    };
    let out = run(resume()).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    let entries = journal(&journal_path);
    let (refused, gone) = (&entries[2], &entries[3]);
    assert_eq!(refused["status"], "failed", "{refused}");
    assert!(
        refused["error"].as_str().unwrap().contains("still there"),
        "{refused}"
    );
    assert!(
        refused.get("maybe_applied").is_none(),
        "doubt settled: {refused}"
    );
    assert_eq!(gone["status"], "ok", "{gone}");
    assert!(
        gone["note"].as_str().unwrap().contains("already deleted"),
        "{gone}"
    );

    // Resumed again: 7002 is sent again, and deleted.
    let out = run(resume()).await;
    let err = stderr(&out);
    assert_eq!(out.get_output().status.code(), Some(0), "{err}");
    assert!(err.contains("ok 1, failed 0, skipped 1"), "{err}");
    assert!(mock.payabli_user(7002).is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_input_with_no_rows_is_nothing_to_do_in_either_format() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 2);
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("empty.jsonl", ""),
        ("blank.jsonl", "\n  \n"),
        ("empty.csv", ""),
        ("blank.csv", "\n\n"),
        ("header.csv", "user_id\n"),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, text).unwrap();
        let journal_path = dir.path().join(format!("{name}.journal"));
        let mut cmd = sync(&mock, "hpay", "delete", &input, &journal_path);
        cmd.arg("--yes");
        let out = run(cmd).await;
        let err = stderr(&out);
        assert_eq!(out.get_output().status.code(), Some(0), "{name}: {err}");
        assert!(err.contains("holds no rows"), "{name}: {err}");
        assert!(journal(&journal_path).is_empty(), "{name}");
    }
    assert!(mock.requests().is_empty());
    // Blank lines before a CSV header are not an empty input: its rows go.
    let input = dir.path().join("late.csv");
    std::fs::write(&input, "\n\nuser_id\nsync_0\n").unwrap();
    let mut cmd = sync(
        &mock,
        "hpay",
        "delete",
        &input,
        &dir.path().join("late.journal"),
    );
    cmd.arg("--yes");
    let out = run(cmd).await;
    let err = stderr(&out);
    assert_eq!(out.get_output().status.code(), Some(0), "{err}");
    assert!(!err.contains("holds no rows"), "{err}");
    assert!(mock.hpay_user("sync_0").is_none());
    assert!(mock.hpay_user("sync_1").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_sync_without_yes_is_refused_when_stdin_is_not_a_terminal() {
    let mock = MockServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.csv");
    std::fs::write(&input, "user_id\nuser_abc123\n").unwrap();
    let journal_path = dir.path().join("j");
    let out = run(sync(&mock, "hpay", "delete", &input, &journal_path))
        .await
        .code(2);
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert!(mock.hpay_user("user_abc123").is_some());
    assert!(!journal_path.exists());
}

/// `sync --provider hpay --input -`, its stdin and stderr piped.
fn hpay_sync_from_stdin(mock: &MockServer, journal_path: &std::path::Path) -> std::process::Child {
    payusers_std(mock)
        .args(["sync", "--provider", "hpay", "--input", "-", "--journal"])
        .arg(journal_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Bytes written to a pipe and not yet read from it.
fn unread(pipe: &std::process::ChildStdin) -> i32 {
    use std::os::fd::AsRawFd as _;
    let mut unread: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int through the pointer it is given.
    let done = unsafe { libc::ioctl(pipe.as_raw_fd(), libc::FIONREAD, &mut unread) };
    assert_eq!(done, 0, "FIONREAD on a pipe");
    unread
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pipe_that_starts_with_a_blank_line_is_still_read_as_json_lines() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 3);
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let mut child = hpay_sync_from_stdin(&mock, &journal_path);
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"\n").unwrap();
    // The blank line is read on its own before the rows are written.
    let started = Instant::now();
    while unread(&stdin) > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "stdin never read"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let rows: String = (0..3).map(|i| cli_common::hpay_row(i) + "\n").collect();
    stdin.write_all(rows.as_bytes()).unwrap();
    drop(stdin);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let entries = journal(&journal_path);
    assert_eq!(entries.len(), 3, "{err}");
    // Line numbers count the blank line.
    let lines: Vec<u64> = entries
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines.iter().min(), Some(&2), "{lines:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn piped_rows_are_all_read_once_and_counted() {
    const ROWS: usize = 2000;
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, ROWS);
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let rows: String = (0..ROWS).map(|i| cli_common::hpay_row(i) + "\n").collect();
    let mut child = payusers_std(&mock)
        .args([
            "sync",
            "--provider",
            "hpay",
            "--input",
            "/dev/stdin",
            "--journal",
        ])
        .arg(&journal_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        // Slowly, in pieces, as a real pipe delivers.
        for chunk in rows.as_bytes().chunks(4096) {
            stdin.write_all(chunk).unwrap();
        }
    });
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!("total {ROWS} read, ok {ROWS}")),
        "{err}"
    );
    assert_eq!(journal(&journal_path).len(), ROWS);
    assert_eq!(
        journal_lines(&journal_path)[0]["input_digest"],
        serde_json::Value::Null
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn interrupting_a_sync_reading_stdin_stops_at_once() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 1);
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let mut child = hpay_sync_from_stdin(&mock, &journal_path);
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all((cli_common::hpay_row(0) + "\n").as_bytes())
        .unwrap();
    // Wait for that row's entry, then interrupt while stdin stays open.
    let started = Instant::now();
    while journal(&journal_path).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the row was never journaled"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let interrupted_at = Instant::now();
    assert!(
        std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    drop(stdin);
    assert_eq!(status.code(), Some(130));
    assert!(
        interrupted_at.elapsed() < Duration::from_secs(5),
        "took {:?} with stdin still open",
        interrupted_at.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn resume_resends_a_row_edited_since_it_was_ok_and_refuses_another_run() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 3);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    let journal_path = dir.path().join("journal.jsonl");
    let rows: String = (0..3).map(|i| cli_common::hpay_row(i) + "\n").collect();
    std::fs::write(&input, &rows).unwrap();
    run(sync(&mock, "hpay", "update", &input, &journal_path))
        .await
        .success();
    // Correct row 2 after it was ok, then resume.
    std::fs::write(&input, rows.replace("New Name 1", "Corrected Name 1")).unwrap();
    let mut cmd = sync(&mock, "hpay", "update", &input, &journal_path);
    cmd.arg("--resume");
    let out = run(cmd).await.success();
    let err = stderr(&out);
    assert!(err.contains("input changed"), "{err}");
    assert!(err.contains("1 edited since they were ok"), "{err}");
    assert!(err.contains("skipped 2"), "{err}");
    assert_eq!(mock.hpay_user("sync_1").unwrap().name, "Corrected Name 1");
    // Another provider or operation cannot resume this journal.
    let mut cmd = sync(&mock, "hpay", "create", &input, &journal_path);
    cmd.arg("--resume");
    let out = run(cmd).await.code(2);
    assert!(
        stderr(&out).contains("records a `hpay update` run; this is `hpay create`: to resume that run, pass --provider hpay --op update"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_for_one_user_are_applied_in_input_order() {
    let mock = MockServer::builder()
        .latency(Duration::from_millis(1))
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    let rows: String = (1..=200)
        .map(|i| {
            let id = if i % 4 == 0 { 1_000_000 } else { 2_000_000 + i };
            if id != 1_000_000 {
                mock.seed_payabli(PayabliFixture {
                    user_id: id,
                    ..PayabliFixture::default()
                });
            }
            format!("{{\"userId\": {id}, \"name\": \"Row {i}\"}}\n")
        })
        .collect();
    std::fs::write(&input, rows).unwrap();
    let mut cmd = sync(&mock, "payabli", "update", &input, &dir.path().join("j"));
    cmd.args(["--concurrency", "32"]);
    run(cmd).await.success();
    assert_eq!(
        mock.payabli_user(1_000_000).unwrap().name.as_deref(),
        Some("Row 200"),
        "the last row for the user wins"
    );
    let order: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/User/1000000"))
        .map(|r| r.body.clone())
        .collect();
    let names: Vec<u32> = order
        .iter()
        .map(|b| {
            let v: serde_json::Value = serde_json::from_str(b).unwrap();
            v["name"].as_str().unwrap()[4..].parse().unwrap()
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "sent in input order");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_pauses_every_worker_until_its_retry_after() {
    const ROWS: usize = 40;
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, ROWS);
    mock.fail_next_with(Fault::new(1, 429).retry_after("2"));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    let rows: String = (0..ROWS).map(|i| cli_common::hpay_row(i) + "\n").collect();
    std::fs::write(&input, rows).unwrap();
    let mut cmd = sync(&mock, "hpay", "update", &input, &dir.path().join("j"));
    cmd.args(["--concurrency", "8", "-vv"]);
    let started = Instant::now();
    let out = run(cmd).await.success();
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "{:?}",
        started.elapsed()
    );
    // The log shows every attempt; after the 429 nothing went out for ~2 s.
    let _ = stderr(&out);
    let times: Vec<(Instant, u16)> = mock
        .requests()
        .iter()
        .map(|r| (r.received_at, r.status.unwrap_or(0)))
        .collect();
    let throttled = times
        .iter()
        .position(|(_, status)| *status == 429)
        .expect("the 429 was served");
    let at = times[throttled].0;
    let next = times[throttled + 1..]
        .iter()
        .map(|(t, _)| *t)
        .filter(|t| *t > at)
        .min()
        .unwrap();
    let quiet = next - at;
    // Requests already in flight at the 429 may land just after it.
    let after: Vec<Duration> = times[throttled + 1..]
        .iter()
        .map(|(t, _)| t.saturating_duration_since(at))
        .filter(|d| *d > Duration::from_millis(50))
        .collect();
    assert!(
        after.iter().all(|d| *d >= Duration::from_millis(1900)),
        "a worker sent during the Retry-After: {after:?} (first gap {quiet:?})"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn files_that_lie_fail_loudly_or_work() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 3);
    let dir = tempfile::tempdir().unwrap();

    // One unbalanced quote swallows the rest of a CSV: that row fails, naming the lines.
    let csv = dir.path().join("rows.csv");
    let mut text =
        String::from("user_id,app_user_id,name,phone_number\nsync_0,1000,\"Broken,+23279000001\n");
    for i in 1..500 {
        text.push_str(&format!(
            "sync_{},{},Name {i},+2327800000{}\n",
            i % 3,
            1000 + i % 3,
            i % 3
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let out = run(sync(
        &mock,
        "hpay",
        "update",
        &csv,
        &dir.path().join("csv.j"),
    ))
    .await
    .code(1);
    let err = stderr(&out);
    assert!(err.contains("failed 1"), "{err}");
    let entries = journal(&dir.path().join("csv.j"));
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0]["error"]
            .as_str()
            .unwrap()
            .contains("unbalanced quote"),
        "{}",
        entries[0]
    );
    assert_eq!(
        mock.hpay_user("sync_0").unwrap().name,
        "Old Name 0",
        "nothing was sent"
    );

    // JSON Lines with a byte-order mark work like any other.
    let jsonl = dir.path().join("bom.jsonl");
    std::fs::write(&jsonl, format!("\u{feff}{}\n", cli_common::hpay_row(2))).unwrap();
    run(sync(
        &mock,
        "hpay",
        "update",
        &jsonl,
        &dir.path().join("bom.j"),
    ))
    .await
    .success();
    assert_eq!(mock.hpay_user("sync_2").unwrap().name, "New Name 2");

    // A journal on /dev/null: every row ok is a success.
    let one = dir.path().join("one.jsonl");
    std::fs::write(&one, cli_common::hpay_row(1) + "\n").unwrap();
    run(sync(
        &mock,
        "hpay",
        "update",
        &one,
        std::path::Path::new("/dev/null"),
    ))
    .await
    .success();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stderr_does_not_crash_the_tool() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 2);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    // One row fails, so the tool has errors to print.
    std::fs::write(&input, format!("{}\nnot json\n", cli_common::hpay_row(0))).unwrap();
    let mut child = payusers_std(&mock);
    child
        .args(["sync", "--provider", "hpay", "--input"])
        .arg(&input)
        .arg("--journal")
        .arg(dir.path().join("j"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = child.spawn().unwrap();
    drop(child.stderr.take()); // the reading end goes away: writes to stderr fail
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(1), "a failed row, not a panic (101)");
    assert_eq!(mock.hpay_user("sync_0").unwrap().name, "New Name 0");
}

/// Unquoted commas in names shift cells: a password lands under `usrStatus`
/// (the row fails to read) or under `email` (the facade refuses it, with
/// the `pwd` cell set or blank), or the provider refuses the row and
/// echoes it. The journal, the summary and the output hold no password,
/// nor any digest of one; the whole record still syncs.
#[tokio::test(flavor = "multi_thread")]
async fn a_password_shifted_by_a_stray_comma_reaches_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("users.csv");
    let file = |[first, second, third, fourth]: [&str; 4]| {
        format!(
            "userId,name,pwd,usrStatus,email\n\
             1000000,Smith, John,{first},\n\
             1000000,Doe, Jane,active,{second}\n\
             1000000,Roe, ,active,{third}\n\
             1000000,Poe,Pass1234!,active,{fourth}@example.com\n\
             1000000,Ann Lee,Pass1234!,active,ann@example.com\n"
        )
    };
    let mut journals = Vec::new();
    let runs = [
        ["Summer2024!", "Autumn2024!", "Vernal2024!", "Hiems2024"],
        ["Winter2025!", "Spring2025!", "Aestas2025!", "Ver2025xx"],
    ];
    for (n, secrets) in runs.into_iter().enumerate() {
        // A mock each, so the request ids match too.
        let mock = MockServer::start().await.unwrap();
        std::fs::write(&input, file(secrets)).unwrap();
        // The provider refuses the fourth row, quoting the address back.
        let echoed = format!(
            r#"{{"isSuccess":false,"responseText":"email {}@example.com is taken","responseData":null}}"#,
            secrets[3]
        );
        mock.fail_next_with(Fault::new(1, 400).body(echoed));
        let path = dir.path().join(format!("j{n}"));
        let mut cmd = sync(&mock, "payabli", "update", &input, &path);
        cmd.args(["--concurrency", "1", "--max-retries", "0"]);
        let out = run(cmd).await.code(1);
        let said = format!("{}{}", cli_common::stdout(&out), stderr(&out));
        let text = std::fs::read_to_string(&path).unwrap();
        for secret in secrets {
            assert!(!said.contains(secret), "{said}");
            assert!(!text.contains(secret), "{text}");
        }
        let entries = journal(&path);
        assert_eq!(entries.len(), 5, "{text}");
        let status: Vec<&str> = entries
            .iter()
            .map(|e| e["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            status,
            ["failed", "failed", "failed", "failed", "ok"],
            "{text}"
        );
        assert!(
            entries[0]["error"]
                .as_str()
                .unwrap()
                .contains("`usrStatus` must be"),
            "{text}"
        );
        for refused in &entries[1..3] {
            assert!(
                refused["error"].as_str().unwrap().contains("email"),
                "{text}"
            );
        }
        assert!(
            entries[3]["error"].as_str().unwrap().contains("is taken"),
            "the provider's message stays, less the values: {text}"
        );
        let withheld = payusers::batch::journal::Digest::withheld().hex();
        for failed in &entries[..4] {
            assert_eq!(failed["digest"], withheld.as_str(), "{text}");
        }
        // The record that did not read names no one; the refused ones name
        // the user their request went to (which `--resume` counts).
        assert!(entries[0]["id"].is_null(), "{text}");
        for refused in &entries[1..4] {
            assert_eq!(refused["id"], "1000000", "{text}");
        }
        assert_eq!(entries[4]["id"], "1000000");
        assert_eq!(
            mock.payabli_user(1_000_000).unwrap().name.as_deref(),
            Some("Ann Lee")
        );
        journals.push(text);
    }
    // Other passwords, the same journal: nothing in it tells them apart.
    assert_eq!(journals[0], journals[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_retried_after_its_first_attempt_did_the_work_is_already_deleted() {
    use axum::http::StatusCode;
    use std::sync::{Arc, Mutex};
    // The first DELETE deletes, then answers 503: the retry finds no user.
    let present = Arc::new(Mutex::new(true));
    let (p1, p2) = (present.clone(), present.clone());
    let router = axum::Router::new().route(
        "/api/v1/users/{id}/",
        axum::routing::delete(move || {
            let present = p1.clone();
            async move {
                let mut present = present.lock().unwrap();
                if *present {
                    *present = false;
                    return (StatusCode::SERVICE_UNAVAILABLE, "{}").into_response();
                }
                (
                    StatusCode::NOT_FOUND,
                    axum::Json(serde_json::json!({"detail": "Not found."})),
                )
                    .into_response()
            }
        })
        .get(move || {
            let present = *p2.lock().unwrap();
            async move {
                assert!(!present);
                (
                    StatusCode::NOT_FOUND,
                    axum::Json(serde_json::json!({"detail": "Not found."})),
                )
                    .into_response()
            }
        }),
    );
    use axum::response::IntoResponse;
    let addr = support::serve(router).await;

    let mock = MockServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("gone.csv"), dir.path().join("j"));
    std::fs::write(&input, "user_id\nuser_1\n").unwrap();
    let mut cmd = sync(&mock, "hpay", "delete", &input, &journal_path);
    cmd.env("HOST_PAY_BASE_URL", format!("http://{addr}"))
        .args(["--yes"]);
    let out = run(cmd).await;
    let err = stderr(&out);
    assert_eq!(out.get_output().status.code(), Some(0), "{err}");
    assert!(err.contains("1 already deleted"), "{err}");
    let entries = journal(&journal_path);
    let entry = &entries[0];
    assert_eq!(entry["status"], "ok", "{entry}");
    assert_eq!(
        entry["attempts"], 3,
        "two deletes, then the lookup: {entry}"
    );
    let note = entry["note"].as_str().unwrap();
    assert!(note.starts_with("already deleted: "), "{note}");
    assert!(!note.contains("  "), "no stray spaces: {note}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_refused_after_a_429_is_no_sign_it_was_done() {
    // A 429 refused the first attempt: the 404 after it means the id is
    // wrong, not that the user is already gone.
    let mock = MockServer::start().await.unwrap();
    mock.fail_next_with(Fault::new(1, 429).retry_after("0"));
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("gone.csv"), dir.path().join("j"));
    std::fs::write(&input, "user_id\nno_such_user\n").unwrap();
    let mut cmd = sync(&mock, "hpay", "delete", &input, &journal_path);
    cmd.args(["--yes"]);
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    let entries = journal(&journal_path);
    assert_eq!(entries[0]["status"], "failed", "{entries:?}");
    assert_eq!(entries[0]["http_status"], 404, "{entries:?}");
    assert_eq!(entries[0]["attempts"], 2, "no lookup: {entries:?}");
    assert!(entries[0].get("note").is_none(), "{entries:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_create_with_a_password_is_sent_again_on_resume() {
    use axum::http::StatusCode;
    // Payabli refuses every create: nothing was made, so a resume sends
    // the rows again, passwords or not.
    let posts = support::Counter::default();
    let counted = posts.clone();
    let router = axum::Router::new().route(
        "/User",
        axum::routing::post(move || {
            counted.bump();
            async {
                (
                    StatusCode::BAD_REQUEST,
                    axum::Json(
                        serde_json::json!({"isSuccess": false, "responseText": "Bad request"}),
                    ),
                )
            }
        }),
    );
    let addr = support::serve(router).await;
    let mock = MockServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("pw.csv"), dir.path().join("j"));
    std::fs::write(
        &input,
        "name,email,pwd\nAl,al@example.com,Secr3t!pass\nBo,bo@example.com,\n",
    )
    .unwrap();
    for resume in [false, true] {
        let mut cmd = sync(&mock, "payabli", "create", &input, &journal_path);
        cmd.env("PAYABLI_BASE_URL", format!("http://{addr}"));
        if resume {
            cmd.arg("--resume");
        }
        let out = run(cmd).await;
        assert_eq!(out.get_output().status.code(), Some(1), "{}", stderr(&out));
    }
    assert_eq!(posts.get(), 4, "both rows sent in both runs");
    for entry in journal(&journal_path) {
        assert!(
            !entry["error"].as_str().unwrap().contains("earlier attempt"),
            "{entry}"
        );
    }
}
