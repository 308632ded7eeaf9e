//! `cargo xtask`: regenerate, snapshot and check the generated code.
//!
//! The generator itself lives in `codegen/mod.rs` and is shared with
//! `build.rs`; this binary is a thin front-end over it.

#[path = "../../codegen/mod.rs"]
#[allow(dead_code)]
mod codegen;
mod examples;
#[path = "../../src/spec_schema.rs"]
#[allow(dead_code)]
mod spec_schema;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const HELP: &str = "\
cargo xtask — project automation for payusers

USAGE:
    cargo xtask <COMMAND>

COMMANDS:
    codegen   Validate every openapi/*.yaml and write the generated Rust code
              to generated/<spec>.rs (checked in, so a spec edit shows its
              effect on the API in review). Removes snapshots whose spec is gone.
    check     Fail (exit 1) when a spec is invalid, an operation lacks an
              operationId, an example in a spec does not validate against its
              own schema, or a snapshot in generated/ is stale. Says what to run.
    bench     Run the criterion benchmarks (cargo bench --bench facade) and
              print where the reports are.
    help      Print this help (also -h, --help).
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen_cmd(&root),
        Some("check") => check_cmd(&root),
        Some("bench") => bench_cmd(&root, &args[1..]),
        None | Some("help" | "-h" | "--help") => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// One spec's generated output, or the reason it has none.
struct Outcome {
    spec: codegen::SpecFile,
    rel: String,
    result: Result<codegen::Generated, String>,
}

fn generate_all(root: &Path) -> Result<Vec<Outcome>, String> {
    let specs = codegen::discover(&root.join("openapi"))?;
    if specs.is_empty() {
        return Err("no specs found in openapi/".into());
    }
    Ok(specs
        .into_iter()
        .map(|spec| {
            let rel = spec.rel_path();
            let result = spec.generate();
            Outcome { spec, rel, result }
        })
        .collect())
}

fn snapshot_path(root: &Path, module: &str) -> PathBuf {
    root.join("generated").join(format!("{module}.rs"))
}

fn stray_snapshots(root: &Path, outcomes: &[Outcome]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join("generated")) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            !outcomes.iter().any(|o| o.spec.module == stem)
        })
        .collect()
}

fn codegen_cmd(root: &Path) -> Result<(), String> {
    let outcomes = generate_all(root)?;
    let mut errors = Vec::new();
    std::fs::create_dir_all(root.join("generated")).map_err(|e| e.to_string())?;
    for o in &outcomes {
        match &o.result {
            Ok(generated) => {
                let path = snapshot_path(root, &o.spec.module);
                let old = std::fs::read_to_string(&path).ok();
                if old.as_deref() != Some(generated.code.as_str()) {
                    std::fs::write(&path, &generated.code).map_err(|e| e.to_string())?;
                    println!("wrote   generated/{}.rs (from {})", o.spec.module, o.rel);
                } else {
                    println!("current generated/{}.rs", o.spec.module);
                }
            }
            Err(e) => errors.push(format!("{}: {e}", o.rel)),
        }
    }
    for stray in stray_snapshots(root, &outcomes) {
        std::fs::remove_file(&stray).map_err(|e| e.to_string())?;
        println!("removed {} (its spec is gone)", stray.display());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn check_cmd(root: &Path) -> Result<(), String> {
    let outcomes = generate_all(root)?;
    let mut problems = Vec::new();
    let mut stale = false;
    for o in &outcomes {
        match &o.result {
            Err(e) => problems.push(format!("{}: {e}", o.rel)),
            Ok(generated) => {
                let path = snapshot_path(root, &o.spec.module);
                match std::fs::read_to_string(&path) {
                    Ok(current) if current == generated.code => {}
                    Ok(_) => {
                        stale = true;
                        problems.push(format!(
                            "generated/{}.rs is stale: {} changed since it was generated",
                            o.spec.module, o.rel
                        ));
                    }
                    Err(_) => {
                        stale = true;
                        problems.push(format!("generated/{}.rs is missing", o.spec.module));
                    }
                }
                let spec: serde_json::Value =
                    serde_json::from_str(&generated.json).map_err(|e| e.to_string())?;
                for failure in examples::check(&spec) {
                    problems.push(format!("{}: {failure}", o.rel));
                }
            }
        }
    }
    for stray in stray_snapshots(root, &outcomes) {
        stale = true;
        problems.push(format!("{} has no spec in openapi/", stray.display()));
    }
    if problems.is_empty() {
        println!(
            "ok: {} spec(s) valid, examples match their schemas, snapshots current",
            outcomes.len()
        );
        return Ok(());
    }
    let hint = if stale {
        "\nrun `cargo xtask codegen` and commit generated/"
    } else {
        "\nfix the spec(s) above, then run `cargo xtask codegen`"
    };
    Err(format!("{}{hint}", problems.join("\n")))
}

fn bench_cmd(root: &Path, extra: &[String]) -> Result<(), String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["bench", "-p", "payusers", "--bench", "facade", "--"])
        .args(extra)
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err("cargo bench failed".into());
    }
    println!("reports: target/criterion/report/index.html");
    Ok(())
}
