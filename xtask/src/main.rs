//! `cargo xtask`: regenerate, snapshot and check the generated code.
//!
//! The generator itself lives in `codegen/mod.rs` and is shared with
//! `build.rs`; this binary is a thin front-end over it.

mod cachegrind;
#[path = "../../codegen/mod.rs"]
#[allow(dead_code)]
mod codegen;
mod coldbuild;
mod conformance;
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
              own schema, a snapshot in generated/ is stale, or a shipped
              spec's `pattern` would need the regress crate. Says what to run.
    bench     The wire table (facade vs raw generated vs hand-written reqwest
              vs the server's ceiling, at concurrency 1 and 64) and sync
              throughput and peak memory at 10k and 100k rows. With
              --cold-build, also a consumer crate's cold build against a
              baseline of reqwest + serde + tokio (minutes). With --cache,
              also instructions and L1 instruction- and data-cache misses per request for the
              wire clients, counted by valgrind's cachegrind (steady where
              timings are noisy; needs valgrind). `--only wire`, `--only
              sync`, `--only cold-build` or `--only cache` runs just that part.
    conformance
              Build a probe against Payabli's own SDK (payabli_api, in
              target/conformance, never our dependency) and run it against
              `payusers mock`: every user operation must decode and round-trip.
              Slow (first build takes minutes); on demand, not in CI.
    help      Print this help (also -h, --help).
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen_cmd(&root),
        Some("check") => check_cmd(&root),
        Some("bench") => bench_cmd(&root, &args[1..]),
        Some("conformance") => conformance::run(&root),
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
    result: Result<codegen::Generated, String>,
}

impl Outcome {
    /// Whether this spec ships a snapshot (`openapi/`), or is test-only.
    fn shipped(&self) -> bool {
        self.spec.rel.starts_with("openapi/")
    }
}

/// The shipped specs, then the test-only ones in `tests/specs`.
fn generate_all(root: &Path) -> Result<Vec<Outcome>, String> {
    let mut specs = codegen::discover(&root.join("openapi"), "openapi")?;
    if specs.is_empty() {
        return Err("no specs found in openapi/".into());
    }
    let test_specs = root.join("tests/specs");
    if test_specs.is_dir() {
        specs.extend(codegen::discover(&test_specs, "tests/specs")?);
    }
    Ok(specs
        .into_iter()
        .map(|spec| {
            let result = codegen::generate_file(&spec);
            Outcome { spec, result }
        })
        .collect())
}

/// The snapshot files of one module: its code and its JSON.
fn snapshot_paths(root: &Path, module: &str) -> [(PathBuf, &'static str); 2] {
    [
        (root.join("generated").join(format!("{module}.rs")), "rs"),
        (
            root.join("generated").join(format!("{module}.json")),
            "json",
        ),
    ]
}

fn stray_snapshots(root: &Path, outcomes: &[Outcome]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join("generated")) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs" || e == "json"))
        .filter(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            !outcomes
                .iter()
                .any(|o| o.shipped() && o.spec.module == stem)
        })
        .collect()
}

fn codegen_cmd(root: &Path) -> Result<(), String> {
    let outcomes = generate_all(root)?;
    let mut errors = Vec::new();
    std::fs::create_dir_all(root.join("generated")).map_err(|e| e.to_string())?;
    for o in &outcomes {
        match &o.result {
            Ok(_) if !o.shipped() => println!("valid   {}", o.spec.rel),
            Ok(generated) => {
                for ((path, ext), text) in snapshot_paths(root, &o.spec.module)
                    .into_iter()
                    .zip([&generated.code, &generated.json])
                {
                    let old = std::fs::read_to_string(&path).ok();
                    if old.as_deref() != Some(text.as_str()) {
                        std::fs::write(&path, text).map_err(|e| e.to_string())?;
                        println!(
                            "wrote   generated/{}.{ext} (from {})",
                            o.spec.module, o.spec.rel
                        );
                    } else {
                        println!("current generated/{}.{ext}", o.spec.module);
                    }
                }
            }
            Err(e) => errors.push(format!("{}: {e}", o.spec.rel)),
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
            Err(e) => problems.push(format!("{}: {e}", o.spec.rel)),
            Ok(generated) => {
                let snapshots = snapshot_paths(root, &o.spec.module)
                    .into_iter()
                    .zip([&generated.code, &generated.json]);
                for ((path, ext), text) in snapshots.filter(|_| o.shipped()) {
                    match std::fs::read_to_string(&path) {
                        Ok(current) if current == *text => {}
                        Ok(_) => {
                            stale = true;
                            problems.push(format!(
                                "generated/{}.{ext} is stale: {} changed since it was generated",
                                o.spec.module, o.spec.rel
                            ));
                        }
                        Err(_) => {
                            stale = true;
                            problems.push(format!("generated/{}.{ext} is missing", o.spec.module));
                        }
                    }
                }
                if o.shipped() && generated.code.contains("::regress::") {
                    problems.push(format!(
                        "{}: {}; generated/{}.rs would need the regress crate, which \
                         consumers do not get: simplify the pattern or extend the subset",
                        o.spec.rel,
                        regress_patterns(&generated.code).join("; "),
                        o.spec.module
                    ));
                }
                let spec: serde_json::Value =
                    serde_json::from_str(&generated.json).map_err(|e| e.to_string())?;
                for failure in examples::check(&spec) {
                    problems.push(format!("{}: {failure}", o.spec.rel));
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

/// The patterns generated code still checks with `regress`, each with why
/// codegen could not compile it.
fn regress_patterns(code: &str) -> Vec<String> {
    let call = "::regress::Regex::new(";
    let found: Vec<String> = code
        .match_indices(call)
        .filter_map(|(at, _)| {
            let rest = &code[at + call.len()..];
            let literal: syn::LitStr = syn::parse_str(&rest[..rest.find(").unwrap()")?]).ok()?;
            let why = codegen::pattern::compile(&literal.value())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_else(|| "compiles, but was not rewritten".into());
            Some(format!(
                "pattern `{}` is outside the subset codegen/pattern.rs compiles: {why}",
                literal.value()
            ))
        })
        .collect();
    if found.is_empty() {
        vec!["a `pattern` is outside the subset codegen/pattern.rs compiles".into()]
    } else {
        found
    }
}

fn bench_cmd(root: &Path, extra: &[String]) -> Result<(), String> {
    let only = extra
        .iter()
        .position(|a| a == "--only")
        .map(|i| {
            extra
                .get(i + 1)
                .filter(|w| ["wire", "sync", "cold-build", "cache"].contains(&w.as_str()))
                .ok_or("--only takes wire, sync, cold-build or cache")
        })
        .transpose()?;
    let cold = extra.iter().any(|a| a == "--cold-build") || only.is_some_and(|w| w == "cold-build");
    let cache = extra.iter().any(|a| a == "--cache") || only.is_some_and(|w| w == "cache");
    let cargo = || Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (bench, features) in [("wire", Some("mock")), ("sync", Some("cli"))] {
        if only.is_some_and(|w| w != bench) {
            continue;
        }
        let mut command = cargo();
        command
            .current_dir(root)
            .args(["bench", "--quiet", "-p", "payusers", "--bench", bench]);
        if let Some(features) = features {
            command.args(["--features", features]);
        }
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo bench: {e}"))?;
        if !status.success() {
            return Err(format!("cargo bench --bench {bench} failed"));
        }
        println!();
    }
    if cache {
        cachegrind::run(root)?;
        println!();
    }
    if cold {
        coldbuild::run(root)?;
    } else if only.is_none() {
        println!(
            "(add --cold-build for a consumer's cold build against a baseline; it takes minutes)"
        );
    }
    Ok(())
}
