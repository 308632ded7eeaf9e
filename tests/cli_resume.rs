//! A sync killed midway (SIGKILL, or Ctrl-C) and resumed ends with every row
//! ok exactly once in the journal.
#![cfg(feature = "cli")]

mod cli_common;

use cli_common::{hpay_row, journal, ok_counts, payusers, payusers_std, run, seed_hpay, stderr};
use payusers::mock::{HpayFixture, MockServer};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const ROWS: usize = 600;
const CONCURRENCY: usize = 4;

/// Starts a slow sync in the background (at `concurrency`, with `extra`
/// arguments) and waits until `lines` rows are journaled.
async fn start_and_wait(
    mock: &MockServer,
    input: &Path,
    journal_path: &Path,
    lines: usize,
    concurrency: usize,
    extra: &[&str],
) -> Child {
    let child = payusers_std(mock)
        .args(["sync", "--provider", "hpay", "--concurrency"])
        .arg(concurrency.to_string())
        .args(extra)
        .arg("--input")
        .arg(input)
        .arg("--journal")
        .arg(journal_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn payusers");
    let deadline = Instant::now() + Duration::from_secs(60);
    while journal(journal_path).len() < lines {
        assert!(Instant::now() < deadline, "the sync made no progress");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child
}

/// Sends SIGINT to `child` and waits for it to end.
async fn interrupt(child: Child) -> std::process::Output {
    let signal = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(signal.success());
    tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap()
}

fn write_input(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("users.jsonl");
    let rows: String = (0..ROWS).map(|i| hpay_row(i) + "\n").collect();
    std::fs::write(&input, rows).unwrap();
    input
}

async fn resume(mock: &MockServer, input: &Path, journal_path: &Path) {
    let mut cmd = payusers(mock);
    cmd.args(["sync", "--provider", "hpay", "--resume", "--input"])
        .arg(input)
        .arg("--journal")
        .arg(journal_path);
    let out = run(cmd).await;
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
}

/// PUTs the mock received, per hPay user id.
fn puts_per_user(mock: &MockServer) -> HashMap<String, usize> {
    let mut puts = HashMap::new();
    for request in mock.requests() {
        if request.method == "PUT" {
            let id = request
                .path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            *puts.entry(id).or_default() += 1;
        }
    }
    puts
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_sync_resumes_with_every_row_ok_exactly_once() {
    let mock = MockServer::builder()
        .latency(Duration::from_millis(15))
        .start()
        .await
        .unwrap();
    seed_hpay(&mock, ROWS);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path());
    let journal_path = dir.path().join("journal.jsonl");

    let mut child = start_and_wait(&mock, &input, &journal_path, 100, CONCURRENCY, &[]).await;
    child.kill().expect("SIGKILL"); // no chance to finish or flush anything
    child.wait().unwrap();
    let first_run = journal(&journal_path);
    assert!(first_run.len() < ROWS, "killed before the end");

    resume(&mock, &input, &journal_path).await;

    let entries = journal(&journal_path);
    let oks = ok_counts(&entries);
    for line in 1..=ROWS as u64 {
        assert_eq!(
            oks.get(&line),
            Some(&1),
            "line {line} must be ok exactly once"
        );
    }
    assert!(entries.iter().all(|e| e["status"] == "ok"));

    // A row journaled ok by the first run was sent exactly once: the resumed
    // run skipped it. A row journaled by the resumed run may have been sent
    // twice: the killed run can have sent it (the mock applied the update) and
    // died before journaling the answer, so the resumed run, seeing no entry,
    // sent it again. That is safe because the update is idempotent, and it can
    // only happen to the requests in flight at the kill: at most CONCURRENCY.
    let puts = puts_per_user(&mock);
    let id_of = |e: &serde_json::Value| e["id"].as_str().unwrap().to_string();
    for entry in &first_run {
        assert_eq!(puts.get(&id_of(entry)), Some(&1), "{entry}");
    }
    let resent = entries[first_run.len()..]
        .iter()
        .filter(|e| {
            let n = puts.get(&id_of(e)).copied().unwrap_or(0);
            assert!((1..=2).contains(&n), "{e}: {n} PUTs");
            n == 2
        })
        .count();
    assert!(resent <= CONCURRENCY, "{resent} rows sent twice");
    let total: usize = puts.values().sum();
    assert_eq!(total, ROWS + resent);
    for i in [0, ROWS / 2, ROWS - 1] {
        assert_eq!(
            mock.hpay_user(&format!("sync_{i}")).unwrap().name,
            format!("New Name {i}")
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn interrupted_sync_journals_in_flight_rows_and_exits_130() {
    let mock = MockServer::builder()
        .latency(Duration::from_millis(15))
        .start()
        .await
        .unwrap();
    seed_hpay(&mock, ROWS);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path());
    let journal_path = dir.path().join("journal.jsonl");

    let child = start_and_wait(&mock, &input, &journal_path, 50, CONCURRENCY, &[]).await;
    let output = interrupt(child).await;
    assert_eq!(output.status.code(), Some(130));
    let first_run = journal(&journal_path);
    assert!(first_run.len() < ROWS);
    // A graceful stop journals every request it sent: nothing is sent twice.
    // (A row that reached the closed limiter is journaled unsent.)
    let puts: usize = puts_per_user(&mock).values().sum();
    assert_eq!(puts, sent_entries(&first_run));

    resume(&mock, &input, &journal_path).await;
    let oks = ok_counts(&journal(&journal_path));
    assert!((1..=ROWS as u64).all(|line| oks.get(&line) == Some(&1)));
    let puts: usize = puts_per_user(&mock).values().sum();
    assert_eq!(puts, ROWS);
}

/// Entries of rows whose request went out (`attempts` above 0); the others
/// must be failures that say nothing was sent.
fn sent_entries(entries: &[serde_json::Value]) -> usize {
    let (sent, unsent): (Vec<_>, Vec<_>) = entries
        .iter()
        .partition(|e| e["attempts"].as_u64().unwrap_or(0) > 0);
    for entry in unsent {
        assert_eq!(entry["status"], "failed", "{entry}");
        assert!(
            entry["error"].as_str().unwrap_or("").contains("not sent"),
            "{entry}"
        );
    }
    sent.len()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupt_sends_no_row_still_waiting_for_its_turn() {
    // Eight workers under --rate 4/s: most rows started wait for their
    // turn. An interrupt closes the limiter, so none of them is sent; they
    // are journaled unsent, and a resume sends every row once.
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, ROWS);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path());
    let journal_path = dir.path().join("journal.jsonl");
    let child = start_and_wait(&mock, &input, &journal_path, 2, 8, &["--rate", "4/s"]).await;
    let sent_at_signal: usize = puts_per_user(&mock).values().sum();
    let output = interrupt(child).await;
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert!(
        err.contains("rows not yet sent are left for --resume"),
        "{err}"
    );
    // At this pace one request at most was on its way at the signal; the
    // seven other workers' rows were waiting, and stayed unsent.
    let puts: usize = puts_per_user(&mock).values().sum();
    assert!(
        puts <= sent_at_signal + 1,
        "{puts} sent, {sent_at_signal} at the signal"
    );
    let first_run = journal(&journal_path);
    assert_eq!(puts, sent_entries(&first_run));
    assert!(first_run.len() > puts, "rows waiting were journaled unsent");

    resume(&mock, &input, &journal_path).await;
    let oks = ok_counts(&journal(&journal_path));
    assert!((1..=ROWS as u64).all(|line| oks.get(&line) == Some(&1)));
    let puts: usize = puts_per_user(&mock).values().sum();
    assert_eq!(puts, ROWS, "every row sent once");
}

/// A journal that cannot take another line (here: a file-size limit, so
/// `write` fails with `EFBIG`) stops the run at once with an error that
/// says so; a resume once there is room finishes every row exactly once.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_journal_that_stops_taking_writes_stops_the_run() {
    let mock = MockServer::builder().start().await.unwrap();
    seed_hpay(&mock, ROWS);
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path());
    let journal_path = dir.path().join("journal.jsonl");

    let template = payusers_std(&mock);
    let mut cmd = std::process::Command::new("sh");
    // Ignored signals stay ignored across exec; `ulimit -f 4` is 2 KiB in
    // POSIX sh, room for the header and a few entries.
    cmd.arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 4; exec "$0" "$@""#)
        .arg(template.get_program())
        .args([
            "sync",
            "--provider",
            "hpay",
            "--concurrency",
            "4",
            "--input",
        ])
        .arg(&input)
        .arg("--journal")
        .arg(&journal_path);
    for (key, value) in template.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write journal"), "{err}");
    let journaled = journal(&journal_path).len();
    let puts: usize = puts_per_user(&mock).values().sum();
    assert!(
        journaled < ROWS && puts < ROWS,
        "{journaled} journaled, {puts} sent"
    );
    // Stopped at once: only the requests in flight when the write failed
    // went out unjournaled.
    assert!(
        puts <= journaled + 1 + CONCURRENCY,
        "{journaled} journaled, {puts} sent"
    );

    resume(&mock, &input, &journal_path).await;
    let oks = ok_counts(&journal(&journal_path));
    assert!((1..=ROWS as u64).all(|line| oks.get(&line) == Some(&1)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resent_row_never_undoes_a_later_row_of_its_user() {
    let mock = MockServer::start().await.unwrap();
    seed_hpay(&mock, 2);
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("users.jsonl"), dir.path().join("j.jsonl"));
    let row = |user: usize, name: &str| {
        serde_json::json!({
            "user_id": format!("sync_{user}"),
            "app_user_id": 1000 + user as i64,
            "name": name,
            "phone_number": format!("+2327900000{user}"),
        })
        .to_string()
    };
    // sync_0 twice, sync_1 between: only sync_0's later row is sent again.
    let rows = [row(0, "Early"), row(1, "Other"), row(0, "Late")];
    std::fs::write(&input, rows.join("\n") + "\n").unwrap();
    let sync = |extra: &[&str]| {
        let mut cmd = payusers(&mock);
        cmd.args([
            "--max-retries",
            "0",
            "--output",
            "json",
            "sync",
            "--provider",
            "hpay",
        ])
        .args(["--concurrency", "1"])
        .args(extra)
        .arg("--input")
        .arg(&input)
        .arg("--journal")
        .arg(&journal_path);
        cmd
    };
    // The first run: the early row fails, the later one is ok.
    mock.fail_next(1, 500);
    run(sync(&[])).await.code(1);
    assert_eq!(mock.hpay_user("sync_0").unwrap().name, "Late");

    // Resumed, the early row is sent, and then the late one again: the
    // file's last row for sync_0 still decides how it ends.
    let out = run(sync(&["--resume"])).await.success();
    let summary: serde_json::Value = serde_json::from_str(&cli_common::stdout(&out)).unwrap();
    assert_eq!(summary["resent_after_earlier"], 1, "{summary}");
    assert_eq!(summary["skipped"], 1, "sync_1's row: {summary}");
    assert_eq!(summary["ok"], 2, "{summary}");
    let said = stderr(&out);
    assert!(
        said.contains("ok 2 (1 ok but after an earlier row of their user, sent again)"),
        "{said}"
    );
    assert_eq!(mock.hpay_user("sync_0").unwrap().name, "Late");
    assert_eq!(mock.hpay_user("sync_1").unwrap().name, "Other");

    // Had that run been killed between the early row and the late one
    // (its last entry never written, sync_0 left as the early row set
    // it), both rows would now be ok in the journal: the late row's
    // entry is older than the early row's, so it still goes again.
    let text = std::fs::read_to_string(&journal_path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let last: serde_json::Value = serde_json::from_str(lines.pop().unwrap()).unwrap();
    assert_eq!(
        (last["line"].as_u64(), last["status"].as_str()),
        (Some(3), Some("ok"))
    );
    std::fs::write(&journal_path, lines.join("\n") + "\n").unwrap();
    mock.seed_hpay(HpayFixture::new("sync_0", 1000, "Early", "+23279000001"));
    let out = run(sync(&["--resume"])).await.success();
    let summary: serde_json::Value = serde_json::from_str(&cli_common::stdout(&out)).unwrap();
    assert_eq!(summary["resent_after_earlier"], 1, "{summary}");
    assert_eq!(summary["skipped"], 2, "{summary}");
    assert_eq!(mock.hpay_user("sync_0").unwrap().name, "Late");
    // And once it has, nothing is left to send.
    let out = run(sync(&["--resume"])).await.success();
    let summary: serde_json::Value = serde_json::from_str(&cli_common::stdout(&out)).unwrap();
    assert_eq!(summary["skipped"], 3, "{summary}");
    assert_eq!(summary["resent_after_earlier"], 0, "{summary}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_row_edited_to_name_another_user_says_what_the_first_keeps() {
    let mock = MockServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (input, journal_path) = (dir.path().join("users.jsonl"), dir.path().join("j.jsonl"));
    let row = |user: &str, app: i64, name: &str, phone: &str| {
        serde_json::json!({"user_id": user, "app_user_id": app, "name": name,
            "phone_number": phone})
        .to_string()
    };
    let john = |name: &str| row("user_abc123", 1, name, "+23279123456");
    let write_rows = |rows: &[String]| std::fs::write(&input, rows.join("\n") + "\n").unwrap();
    write_rows(&[john("Right"), john("Meant for Jane")]);
    let sync = |extra: &[&str]| {
        let mut cmd = payusers(&mock);
        cmd.args(["sync", "--provider", "hpay", "--concurrency", "1"])
            .args(extra)
            .arg("--input")
            .arg(&input)
            .arg("--journal")
            .arg(&journal_path);
        cmd
    };
    run(sync(&[])).await.success();
    // The second row was meant for Jane: fixed, and resumed.
    write_rows(&[
        john("Right"),
        row("user_xyz789", 2, "Meant for Jane", "+23279654321"),
    ]);
    let out = run(sync(&["--resume"])).await.success();
    let said = stderr(&out);
    assert!(
        said.contains("1 row(s) edited since an earlier run no longer name a user"),
        "{said}"
    );
    assert_eq!(
        mock.hpay_user("user_xyz789").unwrap().name,
        "Meant for Jane"
    );
    // An edit that keeps the user says nothing of the kind.
    write_rows(&[
        john("Right"),
        row("user_xyz789", 2, "Jane, fixed", "+23279654321"),
    ]);
    let out = run(sync(&["--resume"])).await.success();
    assert!(!stderr(&out).contains("no longer name"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn creates_killed_in_flight_are_never_made_twice_by_a_resume() {
    const CREATES: usize = 64;
    let mock = MockServer::builder()
        .latency(Duration::from_millis(250))
        .start()
        .await
        .unwrap();
    let before = mock.payabli_users().len();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("new.csv");
    let mut text = String::from("name,email\n");
    for i in 0..CREATES {
        text.push_str(&format!("New {i},new{i}@example.com\n"));
    }
    std::fs::write(&input, text).unwrap();
    let journal_path = dir.path().join("journal.jsonl");
    let sync = |extra: &[&str]| {
        let mut cmd = payusers_std(&mock);
        cmd.args(["sync", "--provider", "payabli", "--op", "create"])
            .args(["--concurrency", "8"])
            .args(extra)
            .arg("--input")
            .arg(&input)
            .arg("--journal")
            .arg(&journal_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    let outcomes = |lines: &[serde_json::Value]| {
        lines
            .iter()
            .skip(1)
            .filter(|e| e["in_flight"] != true)
            .count()
    };
    let mut child = sync(&[]).spawn().expect("spawn payusers");
    let deadline = Instant::now() + Duration::from_secs(60);
    while outcomes(&cli_common::journal_lines(&journal_path)) < 8 {
        assert!(Instant::now() < deadline, "the sync made no progress");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    // What was in flight at the kill: journaled as sent, with no outcome.
    let lines = cli_common::journal_lines(&journal_path);
    let in_doubt: Vec<u64> = lines[1..]
        .iter()
        .filter(|e| e["in_flight"] == true)
        .map(|e| e["line"].as_u64().unwrap())
        .filter(|line| {
            !lines[1..]
                .iter()
                .any(|o| o["in_flight"] != true && o["line"] == *line)
        })
        .collect();
    assert!(!in_doubt.is_empty(), "rows were in flight at the kill");
    // Let any answer the mock still gives come and go.
    tokio::time::sleep(Duration::from_millis(500)).await;
    mock.set_latency(Duration::ZERO);

    // Resumed: those rows are held back, not created again.
    let mut resume = sync(&["--resume"]);
    let out = tokio::task::spawn_blocking(move || resume.status().unwrap())
        .await
        .unwrap();
    assert_eq!(out.code(), Some(1), "held-back rows fail the run");
    let entries = journal(&journal_path);
    for line in &in_doubt {
        let last = entries.iter().rev().find(|e| e["line"] == *line).unwrap();
        assert_eq!(last["status"], "failed", "{last}");
        assert!(
            last["error"]
                .as_str()
                .unwrap()
                .starts_with("not sent: an earlier attempt"),
            "{last}"
        );
    }
    let users = mock.payabli_users();
    let mut emails: Vec<_> = users.iter().filter_map(|u| u.email.clone()).collect();
    let count = emails.len();
    emails.sort();
    emails.dedup();
    assert_eq!(emails.len(), count, "no user was made twice");
    assert!(users.len() - before <= CREATES);
    assert!(users.len() - before >= CREATES - in_doubt.len());
}
