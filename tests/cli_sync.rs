//! `payusers sync`: thousands of rows through faults, CSV and stdin input,
//! malformed rows, and journal rules.
#![cfg(feature = "cli")]

mod cli_common;

use cli_common::{
    hpay_row, journal, ok_counts, payusers, run, seed_hpay, stderr, stdout, sync_args,
};
use payusers::mock::{MockServer, PayabliFixture};
use std::fmt::Write as _;

#[tokio::test(flavor = "multi_thread")]
async fn three_thousand_rows_through_injected_faults_all_end_ok() {
    const ROWS: usize = 3000;
    let mock = MockServer::builder()
        .fail_rate(0.02, 503)
        .start()
        .await
        .unwrap();
    seed_hpay(&mock, ROWS);
    mock.fail_next(50, 503);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("users.jsonl");
    let rows: String = (0..ROWS).map(|i| hpay_row(i) + "\n").collect();
    std::fs::write(&input, rows).unwrap();
    let journal_path = dir.path().join("journal.jsonl");

    let mut cmd = payusers(&mock);
    // Enough retries that a row cannot run out of them while the 50 scripted
    // faults and the 2 % random ones are handed out.
    cmd.args([
        "sync",
        "--provider",
        "hpay",
        "--concurrency",
        "16",
        "--max-retries",
        "10",
    ])
    .arg("--input")
    .arg(&input)
    .arg("--journal")
    .arg(&journal_path);
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
    let summary = stderr(&out);
    assert!(
        summary.contains("ok 3000") && summary.contains("failed 0"),
        "{summary}"
    );

    let entries = journal(&journal_path);
    assert_eq!(entries.len(), ROWS, "one entry per row");
    let oks = ok_counts(&entries);
    assert!((1..=ROWS as u64).all(|line| oks.get(&line) == Some(&1)));
    let retried = entries
        .iter()
        .filter(|e| e["attempts"].as_u64() > Some(1))
        .count();
    assert!(
        retried >= 10,
        "the faults forced retries ({retried} rows retried)"
    );
    assert!(
        entries
            .iter()
            .all(|e| e["http_status"] == 200 && e["error"].is_null())
    );
    for i in [0, 1234, ROWS - 1] {
        let user = mock.hpay_user(&format!("sync_{i}")).unwrap();
        assert_eq!(user.name, format!("New Name {i}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn payabli_csv_from_stdin_with_rate_limit_and_json_summary() {
    let mock = MockServer::start().await.unwrap();
    for id in 1..=20 {
        mock.seed_payabli(PayabliFixture {
            user_id: id,
            ..PayabliFixture::default()
        });
    }
    let mut csv = String::from("userId,name,status,timeZone,language,additionalData.team\n");
    for id in 1..=20 {
        writeln!(csv, "{id},\"Smith, User {id}\",locked,-5,es,t{}", id % 3).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let mut cmd = payusers(&mock);
    cmd.args([
        "sync",
        "--provider",
        "payabli",
        "--input",
        "-",
        "--rate",
        "100",
    ])
    .args(["--output", "json", "--journal"])
    .arg(&journal_path)
    .write_stdin(csv);
    let started = std::time::Instant::now();
    let out = run(cmd).await.success();
    // 20 requests at 100/s take at least ~190 ms.
    assert!(started.elapsed() >= std::time::Duration::from_millis(190));
    let summary: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(summary["ok"], 20);
    assert_eq!(summary["failed"], 0);
    let user = mock.payabli_user(7).unwrap();
    assert_eq!(user.name.as_deref(), Some("Smith, User 7"));
    assert_eq!(user.time_zone, Some(-5));
    assert_eq!(
        user.additional_data
            .unwrap()
            .get("team")
            .map(String::as_str),
        Some("t1")
    );
    assert_eq!(journal(&journal_path).len(), 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_jsonl_rows_fail_alone_with_reasons() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 5);
    let lines = [
        hpay_row(0),
        "{\"user_id\": \"sync_1\", \"app_user_id\": 1001, \"name\": ".to_string(), // bad JSON
        serde_json::json!({"user_id": "sync_2", "app_user_id": "abc", "name": "N",
            "phone_number": "+23279000001"})
        .to_string(), // wrong type
        String::new(), // blank lines are not rows
        serde_json::json!({"user_id": "sync_3", "app_user_id": 1003, "name": "N",
            "phone_number": "0790"})
        .to_string(), // the facade's validation
        serde_json::json!({"user_id": "sync_4", "app_user_id": 9, "name": "N",
            "phone_number": "+23279000001"})
        .to_string(), // the provider refuses
        hpay_row(4),
        // Two `user_id`s: which user is meant? Neither is written.
        r#"{"user_id": "sync_0", "app_user_id": 1000, "name": "Twice", "phone_number": "+23279000001", "user_id": "sync_3"}"#.to_string(),
        // The same inside a nested object.
        r#"{"user_id": "sync_3", "app_user_id": 1003, "name": "N", "phone_number": "+23279000001", "x": {"a": 1, "a": 2}}"#.to_string(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.ndjson");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let mut cmd = payusers(&mock);
    cmd.args(["sync", "--provider", "hpay", "--input"])
        .arg(&input)
        .arg("--journal")
        .arg(&journal_path);
    let out = run(cmd).await.code(1);
    assert!(stderr(&out).contains("failed 6"), "{}", stderr(&out));

    let mut entries = journal(&journal_path);
    entries.sort_by_key(|e| e["line"].as_u64());
    let by_line = |line: u64| entries.iter().find(|e| e["line"] == line).unwrap();
    assert_eq!(entries.len(), 8);
    assert_eq!(by_line(1)["status"], "ok");
    assert_eq!(by_line(7)["status"], "ok");
    let reason = |line: u64| by_line(line)["error"].as_str().unwrap().to_string();
    assert!(reason(2).contains("not valid JSON"), "{}", reason(2));
    assert!(by_line(2)["id"].is_null());
    assert!(
        reason(3).contains("`app_user_id` must be an integer"),
        "{}",
        reason(3)
    );
    assert_eq!(by_line(3)["id"], "sync_2");
    assert!(reason(5).contains("phone_number"), "{}", reason(5));
    assert_eq!(by_line(5)["attempts"], 0);
    assert!(reason(6).contains("cannot be changed"), "{}", reason(6));
    assert_eq!(by_line(6)["http_status"], 400);
    assert!(
        reason(8).starts_with("field `user_id` appears twice"),
        "{}",
        reason(8)
    );
    assert!(by_line(8)["id"].is_null(), "no user is keyed");
    assert!(
        reason(9).starts_with("field `a` appears twice"),
        "{}",
        reason(9)
    );
    assert_eq!(mock.hpay_user("sync_0").unwrap().name, "New Name 0");
    assert_ne!(mock.hpay_user("sync_3").unwrap().name, "Twice");
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_with_a_short_record_fails_that_row_only() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 3);
    let csv = "user_id,app_user_id,name,phone_number,email,is_active\n\
               sync_0,1000,Ann,+23278000000,ann@example.com,true\n\
               sync_1,1001,Bob\n\
               sync_2,1002,Cy,+23278000002,,no\n";
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.csv");
    std::fs::write(&input, csv).unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let mut cmd = payusers(&mock);
    cmd.args(["sync", "--provider", "hpay", "--input"])
        .arg(&input)
        .arg("--journal")
        .arg(&journal_path);
    run(cmd).await.code(1);
    let entries = journal(&journal_path);
    let failed: Vec<_> = entries.iter().filter(|e| e["status"] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["line"], 2);
    assert_eq!(
        failed[0]["error"],
        "record has 3 fields but the header has 6 columns"
    );
    assert!(!mock.hpay_user("sync_2").unwrap().is_active);

    // A header that names an unknown column is refused before anything is sent.
    std::fs::write(&input, "user_id,app_user_id,name,phone,email\n").unwrap();
    let mut cmd = payusers(&mock);
    cmd.args(["sync", "--provider", "hpay", "--input"])
        .arg(&input)
        .arg("--journal")
        .arg(dir.path().join("other.jsonl"));
    let out = run(cmd).await.code(2);
    assert!(
        stderr(&out).contains("column `phone` is not one of hpay update rows"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_journal_needs_resume() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 2);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    std::fs::write(&input, format!("{}\n{}\n", hpay_row(0), hpay_row(1))).unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let sync = |resume: bool| {
        let mut cmd = payusers(&mock);
        sync_args(&mut cmd, "hpay", &input, &journal_path, resume);
        cmd
    };
    run(sync(false)).await.success();
    let out = run(sync(false)).await.code(2);
    assert!(stderr(&out).contains("--resume"), "{}", stderr(&out));
    let out = run(sync(true)).await.success();
    assert!(stderr(&out).contains("skipped 2"), "{}", stderr(&out));
    assert_eq!(
        journal(&journal_path).len(),
        2,
        "skipped rows add no entries"
    );
    let puts = mock.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn payabli_rows_that_change_nothing_fail_without_a_request() {
    let mock = MockServer::start().await.unwrap();
    for id in 1..=4 {
        mock.seed_payabli(PayabliFixture {
            user_id: id,
            ..PayabliFixture::default()
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let sync = |input: &std::path::Path, journal_path: &std::path::Path| {
        let mut cmd = payusers(&mock);
        cmd.args(["sync", "--provider", "payabli", "--input"])
            .arg(input)
            .arg("--journal")
            .arg(journal_path);
        cmd
    };
    let failed_lines = |journal_path: &std::path::Path| {
        let mut failed: Vec<(u64, String)> = journal(journal_path)
            .iter()
            .filter(|e| e["status"] == "failed")
            .map(|e| {
                let reason = e["error"].as_str().unwrap_or_default().to_string();
                (e["line"].as_u64().unwrap(), reason)
            })
            .collect();
        failed.sort();
        failed
    };

    // JSON Lines: only the id fails; empty containers are values (they clear).
    let jsonl = dir.path().join("rows.jsonl");
    std::fs::write(
        &jsonl,
        "{\"userId\": 1}\n{\"userId\": 2, \"name\": \"Bo\"}\n\
         {\"userId\": 3, \"additionalData\": {}, \"scope\": []}\n",
    )
    .unwrap();
    let journal_jsonl = dir.path().join("jsonl-journal.jsonl");
    let out = run(sync(&jsonl, &journal_jsonl)).await.code(1);
    assert!(stderr(&out).contains("ok 2, failed 1"), "{}", stderr(&out));
    let failed = failed_lines(&journal_jsonl);
    assert_eq!(failed.iter().map(|f| f.0).collect::<Vec<_>>(), [1]);
    for (_, reason) in &failed {
        assert!(reason.starts_with("nothing to update"), "{reason}");
    }

    // CSV: a record whose cells are all empty but the id.
    let csv = dir.path().join("rows.csv");
    std::fs::write(
        &csv,
        "userId,name,email,additionalData.team\n4,,,\n2,Cy,,\n",
    )
    .unwrap();
    let journal_csv = dir.path().join("csv-journal.jsonl");
    run(sync(&csv, &journal_csv)).await.code(1);
    let failed = failed_lines(&journal_csv);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, 1);
    assert!(failed[0].1.starts_with("nothing to update"), "{failed:?}");
    assert_eq!(journal(&journal_csv).len(), 2);

    let puts: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        puts.len(),
        3,
        "only the rows that change something: {puts:?}"
    );
    assert!(
        puts.iter()
            .all(|p| p.ends_with("/User/2") || p.ends_with("/User/3")),
        "{puts:?}"
    );
    let cleared = mock.payabli_user(3).unwrap();
    assert_eq!(
        cleared.scope,
        Some(vec![]),
        "an empty list is sent and applied"
    );
    assert_eq!(cleared.additional_data, Some(Default::default()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_too_small_to_pace_is_a_usage_error() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 1);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    std::fs::write(&input, hpay_row(0) + "\n").unwrap();
    for rate in ["1e-30", "0", "inf", "5/fortnight", "fast"] {
        let journal_path = dir.path().join(format!("journal-{rate}.jsonl"));
        let mut cmd = payusers(&mock);
        cmd.args(["sync", "--provider", "hpay", "--rate", rate, "--input"])
            .arg(&input)
            .arg("--journal")
            .arg(&journal_path);
        let out = run(cmd).await.code(2);
        assert!(stderr(&out).contains("--rate"), "{rate}: {}", stderr(&out));
        assert!(!journal_path.exists(), "{rate}: nothing was started");
    }
    assert!(mock.requests().is_empty());
    // The smallest rate allowed runs (its first row goes out at once).
    let journal_path = dir.path().join("journal-min.jsonl");
    let mut cmd = payusers(&mock);
    cmd.args(["sync", "--provider", "hpay", "--rate", "1/h", "--input"])
        .arg(&input)
        .arg("--journal")
        .arg(&journal_path);
    run(cmd).await.success();
    assert_eq!(journal(&journal_path).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_declined_message_keeps_the_journal_resumable() {
    // A server whose "Declined" message is 17 MiB long, more than the
    // longest line `--resume` reads: the entry keeps 64 KiB of it, and the
    // journal reads back.
    let message = "no ".repeat((17 << 20) / 3);
    let router = axum::Router::new().route(
        "/User/{id}",
        axum::routing::put(move || {
            let message = message.clone();
            async move {
                axum::Json(serde_json::json!({
                    "isSuccess": false,
                    "responseText": message,
                    "responseData": null,
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let mock = MockServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    std::fs::write(&input, "{\"userId\": 1, \"name\": \"Bo\"}\n").unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let sync = |resume: bool| {
        let mut cmd = payusers(&mock);
        cmd.env("PAYABLI_BASE_URL", format!("http://{addr}"));
        sync_args(&mut cmd, "payabli", &input, &journal_path, resume);
        cmd
    };
    run(sync(false)).await.code(1);
    let entries = journal(&journal_path);
    assert_eq!(entries.len(), 1);
    let error = entries[0]["error"].as_str().unwrap();
    assert!(error.len() < 70_000, "{} bytes kept", error.len());
    assert!(error.contains("bytes cut)"), "{}", &error[..200]);
    let out = run(sync(true)).await.code(1);
    assert!(stderr(&out).contains("failed 1"), "{}", stderr(&out));
    assert_eq!(journal(&journal_path).len(), 2, "the row was tried again");
}
