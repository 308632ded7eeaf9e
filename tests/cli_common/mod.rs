//! Helpers for the `payusers` binary tests: commands wired to an in-process mock.
#![allow(dead_code)]

use payusers::mock::{HpayFixture, MockServer};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// Variables a developer's shell may carry that would change the binary's behaviour.
const INHERITED: [&str; 6] = [
    "HOST_PAY_API_KEY",
    "HOST_PAY_SECRET_KEY",
    "HOST_PAY_BASE_URL",
    "PAYABLI_API_TOKEN",
    "PAYABLI_BASE_URL",
    "RUST_LOG",
];

/// The environment pointing the binary at `mock`.
pub fn mock_env(mock: &MockServer) -> Vec<(&'static str, String)> {
    let c = mock.credentials();
    vec![
        ("HOST_PAY_API_KEY", c.hpay_api_key.clone()),
        ("HOST_PAY_SECRET_KEY", c.hpay_secret_key.clone()),
        ("HOST_PAY_BASE_URL", mock.hpay_base_url()),
        ("PAYABLI_API_TOKEN", c.payabli_token.clone()),
        ("PAYABLI_BASE_URL", mock.payabli_base_url()),
    ]
}

/// `payusers` with a clean environment (no mock).
pub fn bare() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("payusers").expect("the payusers binary is built");
    for var in INHERITED {
        cmd.env_remove(var);
    }
    cmd.timeout(std::time::Duration::from_secs(120));
    cmd
}

/// Adds `sync --provider <provider> --input <input> --journal <journal>`
/// (and `--resume`) to `cmd`.
pub fn sync_args(
    cmd: &mut assert_cmd::Command,
    provider: &str,
    input: &Path,
    journal: &Path,
    resume: bool,
) {
    cmd.args(["sync", "--provider", provider, "--input"])
        .arg(input)
        .arg("--journal")
        .arg(journal);
    if resume {
        cmd.arg("--resume");
    }
}

/// `payusers` talking to `mock`.
pub fn payusers(mock: &MockServer) -> assert_cmd::Command {
    let mut cmd = bare();
    for (key, value) in mock_env(mock) {
        cmd.env(key, value);
    }
    cmd
}

/// The same, as a `std::process::Command` (to spawn and kill).
pub fn payusers_std(mock: &MockServer) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_payusers"));
    for var in INHERITED {
        cmd.env_remove(var);
    }
    for (key, value) in mock_env(mock) {
        cmd.env(key, value);
    }
    cmd
}

/// Runs a blocking command off the runtime's workers, so the mock keeps serving.
pub async fn run(mut cmd: assert_cmd::Command) -> assert_cmd::assert::Assert {
    tokio::task::spawn_blocking(move || cmd.assert())
        .await
        .expect("the command thread")
}

pub fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

pub fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// hPay users `sync_0` … `sync_{n-1}`, with app user ids 1000 + i.
pub fn seed_hpay(mock: &MockServer, n: usize) {
    for i in 0..n {
        mock.seed_hpay(HpayFixture::new(
            format!("sync_{i}"),
            1000 + i as i64,
            format!("Old Name {i}"),
            // Each its own: hPay keeps phone numbers unique.
            format!("+23270{i:06}"),
        ));
    }
}

/// One JSON Lines row updating `sync_{i}`.
pub fn hpay_row(i: usize) -> String {
    serde_json::json!({
        "user_id": format!("sync_{i}"),
        "app_user_id": 1000 + i as i64,
        "name": format!("New Name {i}"),
        "phone_number": format!("+23279{i:06}"),
        "email": format!("user{i}@example.com"),
    })
    .to_string()
}

/// Every complete journal line, header included (a killed run may leave a torn tail).
pub fn journal_lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let complete = text.rfind('\n').map_or("", |end| &text[..end]);
    complete
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad journal line {l:?}: {e}")))
        .collect()
}

/// The journal's row entries (its header line left out).
pub fn journal(path: &Path) -> Vec<Value> {
    let lines = journal_lines(path);
    if let Some(first) = lines.first() {
        assert_eq!(first["journal"], 5, "the first line is the header: {first}");
    }
    // Each create or delete's sending, journaled before it went: checked
    // on their own (`in_flight`), not row outcomes.
    let (in_flight, outcomes): (Vec<Value>, Vec<Value>) = lines
        .into_iter()
        .skip(1)
        .partition(|entry| entry["in_flight"] == true);
    for entry in &in_flight {
        assert_eq!(entry["status"], "failed", "{entry}");
        assert_eq!(entry["maybe_applied"], true, "{entry}");
        assert!(
            outcomes.iter().any(|o| o["line"] == entry["line"]),
            "an in-flight entry with no outcome after it, in a run that ended: {entry}"
        );
    }
    outcomes
}

/// How many `ok` entries each input line has.
pub fn ok_counts(entries: &[Value]) -> HashMap<u64, usize> {
    let mut counts = HashMap::new();
    for entry in entries {
        if entry["status"] == "ok" {
            *counts.entry(entry["line"].as_u64().unwrap()).or_default() += 1;
        }
    }
    counts
}
