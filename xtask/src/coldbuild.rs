//! `cargo xtask bench --cold-build`: what depending on payusers costs a
//! consumer's first build.
//!
//! Two throwaway crates under `target/coldbuild/`, each a tiny binary:
//! `baseline` depends on what a hand-written client needs (reqwest with
//! rustls, json, query and http2; serde; serde_json; tokio), `consumer`
//! additionally on `payusers` (its default features, as a user gets it). Each
//! is built from an empty target directory, alternating, three times
//! (`COLD_ROUNDS` changes it); the report gives each build's time, each
//! round's ratio, the medians and their ratio.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Rounds when `COLD_ROUNDS` does not say: odd, so the median is a round's.
const ROUNDS: usize = 3;

const MAIN: &str = "fn main() { println!(\"{}\", std::any::type_name::<CRATE_TYPE>()); }\n";

fn manifest(name: &str, extra: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n\
         [dependencies]\n\
         reqwest = {{ version = \"0.13.5\", default-features = false, features = [\"rustls\", \"json\", \"query\", \"http2\"] }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         {extra}"
    )
}

pub fn run(root: &Path) -> Result<(), String> {
    let scratch = root.join("target/coldbuild");
    let crates = [
        (
            "baseline",
            manifest("baseline", ""),
            MAIN.replace("CRATE_TYPE", "reqwest::Client"),
        ),
        (
            "consumer",
            manifest(
                "consumer",
                &format!("payusers = {{ path = {:?} }}\n", root.display().to_string()),
            ),
            MAIN.replace("CRATE_TYPE", "payusers::HostPay"),
        ),
    ];
    for (name, manifest, main) in &crates {
        let dir = scratch.join(name);
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("src/main.rs"), main).map_err(|e| e.to_string())?;
        // Resolve and download first, so the timed builds only compile.
        let status = cargo(&dir)
            .args(["fetch", "--quiet"])
            .status()
            .map_err(|e| format!("cannot run cargo fetch: {e}"))?;
        if !status.success() {
            return Err(format!("cargo fetch failed for {name}"));
        }
    }
    let rounds = std::env::var("COLD_ROUNDS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(ROUNDS)
        .max(1);
    println!(
        "cold build: {rounds} rounds, alternating, each from an empty target dir (this takes minutes)"
    );
    let mut times = [Vec::new(), Vec::new()];
    for round in 1..=rounds {
        for (i, (name, _, _)) in crates.iter().enumerate() {
            let dir = scratch.join(name);
            let target = dir.join("target");
            let _ = std::fs::remove_dir_all(&target);
            let started = Instant::now();
            let status = cargo(&dir)
                .args(["build", "--quiet", "--offline"])
                .env("CARGO_TARGET_DIR", &target)
                .status()
                .map_err(|e| format!("cannot run cargo build: {e}"))?;
            if !status.success() {
                return Err(format!("the {name} build failed"));
            }
            let secs = started.elapsed().as_secs_f64();
            println!("  round {round}: {name:<8} {secs:>6.1} s");
            times[i].push(secs);
        }
    }
    let ratios: Vec<String> = times[0]
        .iter()
        .zip(&times[1])
        .map(|(b, c)| format!("{:.2}x", c / b))
        .collect();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let (baseline, consumer) = (median(&mut times[0]), median(&mut times[1]));
    println!(
        "cold build: baseline {baseline:.1} s, with payusers {consumer:.1} s (medians), ratio {:.2}x; rounds: {}",
        consumer / baseline,
        ratios.join(" ")
    );
    Ok(())
}

/// A cargo run that does not inherit `cargo run`'s package variables (they
/// would make build scripts that watch them rebuild every time).
fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(dir);
    for (key, _) in std::env::vars() {
        if key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_MANIFEST_")
            || key == "CARGO_CRATE_NAME"
            || key == "CARGO_BIN_NAME"
            || key == "CARGO_TARGET_DIR"
            || key == "PAYUSERS_EXTRA_SPECS"
        {
            command.env_remove(key);
        }
    }
    command
}
