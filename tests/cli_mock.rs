//! `payusers mock`: prints where it listens and what to export, serves, and
//! stops cleanly on SIGTERM.
#![cfg(feature = "cli")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn mock_command_serves_until_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_payusers"))
        .args(["mock", "--addr", "127.0.0.1:0", "--latency-ms", "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn payusers mock");
    let stdout = child.stdout.take().unwrap();
    let mut vars = std::collections::HashMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some((key, value)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
            vars.insert(key.to_string(), value.to_string());
        }
        let wanted = [
            "HOST_PAY_BASE_URL",
            "HOST_PAY_API_KEY",
            "HOST_PAY_SECRET_KEY",
            "PAYABLI_BASE_URL",
            "PAYABLI_API_TOKEN",
            // The test-only spec: every served spec is printed.
            "ACME_BASE_URL",
        ];
        if wanted.iter().all(|k| vars.contains_key(*k)) {
            break;
        }
    }
    assert!(vars["ACME_BASE_URL"].contains("/acme"), "{vars:?}");
    let hpay = vars["HOST_PAY_BASE_URL"].clone();
    assert!(
        hpay.starts_with("http://127.0.0.1:") && hpay.ends_with("/hpay"),
        "{hpay}"
    );
    assert!(vars["PAYABLI_BASE_URL"].ends_with("/payabli/api"));
    assert_eq!(vars["HOST_PAY_API_KEY"], "mock_api_key");

    // The printed settings work for the CLI itself.
    let out = Command::new(env!("CARGO_BIN_EXE_payusers"))
        .args(["hpay", "update", "user_abc123", "--app-user-id", "1"])
        .args(["--name", "Via Mock", "--phone-number", "+23279123456"])
        .env_remove("RUST_LOG")
        .envs(&vars)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Via Mock"));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the mock did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn mock_command_refuses_client_settings_it_would_ignore() {
    for flag in [
        &["--environment", "bogus"][..],
        &["--base-url", "https://nowhere.example"],
        &["--timeout", "1s"],
        &["--max-retries", "9"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_payusers"))
            .args(["mock", "--addr", "127.0.0.1:0"])
            .args(flag)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("`payusers mock` takes no {}", flag[0])),
            "{flag:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "nothing served: {flag:?}");
    }
}
