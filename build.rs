//! Gives the crate one module per spec, from one of two sources:
//!
//! * feature `codegen` (our workspace, `cargo xtask`, anyone who edits
//!   specs): runs the generator (`codegen/mod.rs`, shared with `xtask`) on
//!   `openapi/*.yaml` plus every directory in `PAYUSERS_EXTRA_SPECS`, into
//!   `OUT_DIR`;
//! * otherwise (a plain dependency): includes the checked-in snapshots
//!   `generated/<spec>.rs` / `.json`, after checking each snapshot's digest
//!   against its spec, so a consumer compiles none of the generator's crates
//!   and a stale snapshot can never be built silently.
//!
//! A broken spec fails with one line naming the file.

#[cfg(not(feature = "codegen"))]
#[path = "codegen/files.rs"]
#[allow(dead_code)]
mod files;

#[cfg(feature = "codegen")]
#[path = "codegen/mod.rs"]
#[allow(dead_code, unused_imports)]
mod codegen;
#[cfg(feature = "codegen")]
use codegen::files;

use files::{ModuleFiles, SpecFile};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Extra spec directories, separated like `PATH`.
const EXTRA_SPECS_ENV: &str = "PAYUSERS_EXTRA_SPECS";

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=openapi");
    println!("cargo:rerun-if-changed=codegen");
    println!("cargo:rerun-if-changed=generated");
    println!("cargo:rerun-if-env-changed={EXTRA_SPECS_ENV}");

    let mut specs = match files::discover(&manifest_dir.join("openapi"), "openapi") {
        Ok(specs) => specs,
        Err(e) => return fail(&e),
    };
    let mut extra_dirs: Vec<(PathBuf, String)> = std::env::var_os(EXTRA_SPECS_ENV)
        .map(|dirs| {
            std::env::split_paths(&dirs)
                .filter(|d| !d.as_os_str().is_empty())
                .map(|d| (d.clone(), d.display().to_string()))
                .collect()
        })
        .unwrap_or_default();
    // A build script runs in payusers' own directory, not the dependent
    // crate's: a relative path would be read from the wrong place.
    if let Some((dir, _)) = extra_dirs.iter().find(|(dir, _)| dir.is_relative()) {
        return fail(&format!(
            "{EXTRA_SPECS_ENV} entry `{}` is relative, and build scripts run in payusers' own \
             directory: give an absolute path (in `.cargo/config.toml`, `[env] \
             {EXTRA_SPECS_ENV} = {{ value = \"specs\", relative = true }}` makes one)",
            dir.display()
        ));
    }
    if std::env::var_os("CARGO_FEATURE___TEST_SPECS").is_some() {
        extra_dirs.push((manifest_dir.join("tests/specs"), "tests/specs".into()));
    }
    for (dir, label) in &extra_dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
        match files::discover(dir, label) {
            Ok(found) => specs.extend(found),
            Err(e) => return fail(&e),
        }
    }
    let mut names: Vec<&str> = specs.iter().map(|s| s.module.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
        return fail(&format!("two specs are named `{}`", pair[0]));
    }

    let modules = if cfg!(feature = "codegen") {
        generate(&specs, &out_dir)
    } else if !extra_dirs.is_empty() {
        Err(format!(
            "{EXTRA_SPECS_ENV} is set, but extra specs need the `codegen` feature \
             (payusers = {{ version = \"…\", features = [\"codegen\"] }})"
        ))
    } else {
        snapshots(&specs, &manifest_dir)
    };
    match modules {
        Ok(modules) => {
            write(&out_dir.join("modules.rs"), &files::modules_file(&modules));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Runs the generator on every spec (feature `codegen`).
#[cfg(feature = "codegen")]
fn generate(specs: &[SpecFile], out_dir: &Path) -> Result<Vec<ModuleFiles>, String> {
    let mut modules = Vec::new();
    let mut failed = false;
    for spec in specs {
        println!("cargo:rerun-if-changed={}", spec.path.display());
        let source = match std::fs::read_to_string(&spec.path) {
            Ok(source) => source,
            Err(e) => {
                report(&spec.rel, &format!("cannot read: {e}"));
                failed = true;
                continue;
            }
        };
        match codegen::generate(&spec.rel, &source) {
            Ok(generated) => {
                let code = out_dir.join(format!("{}.rs", spec.module));
                let json = out_dir.join(format!("{}.json", spec.module));
                write(&code, &generated.code);
                write(&json, &generated.json);
                modules.push(ModuleFiles {
                    module: spec.module.clone(),
                    rel: spec.rel.clone(),
                    code,
                    json,
                });
            }
            Err(e) => {
                report(&spec.rel, &e.to_string());
                failed = true;
            }
        }
    }
    if failed {
        return Err("one or more OpenAPI specs are invalid (see above)".into());
    }
    Ok(modules)
}

#[cfg(not(feature = "codegen"))]
fn generate(_: &[SpecFile], _: &Path) -> Result<Vec<ModuleFiles>, String> {
    unreachable!("only called with the codegen feature")
}

/// Uses the checked-in snapshots, refusing any that is stale.
fn snapshots(specs: &[SpecFile], manifest_dir: &Path) -> Result<Vec<ModuleFiles>, String> {
    let mut modules = Vec::new();
    for spec in specs {
        println!("cargo:rerun-if-changed={}", spec.path.display());
        let source = std::fs::read_to_string(&spec.path)
            .map_err(|e| format!("{}: cannot read: {e}", spec.rel))?;
        let code = manifest_dir.join(format!("generated/{}.rs", spec.module));
        let json = manifest_dir.join(format!("generated/{}.json", spec.module));
        let stale = || {
            format!(
                "{} changed since generated/{}.rs was written: run `cargo xtask codegen`, \
                 or build with the `codegen` feature",
                spec.rel, spec.module
            )
        };
        let snapshot = std::fs::read_to_string(&code).map_err(|_| stale())?;
        if files::banner_digest(&snapshot) != Some(files::fnv1a64(source.as_bytes()))
            || !json.is_file()
        {
            return Err(stale());
        }
        if snapshot.contains("::regress::") {
            return Err(format!(
                "generated/{}.rs checks a `pattern` with the regress crate, which only the \
                 `codegen` feature brings; `cargo xtask check` says which pattern",
                spec.module
            ));
        }
        modules.push(ModuleFiles {
            module: spec.module.clone(),
            rel: spec.rel.clone(),
            code,
            json,
        });
    }
    Ok(modules)
}

#[cfg(feature = "codegen")]
fn report(rel: &str, message: &str) {
    println!("cargo:warning={rel}: {message}");
    eprintln!("error: {rel}: {message}");
}

fn write(path: &Path, contents: &str) {
    // Only touch files whose contents changed, so rustc's incremental cache holds.
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents)
        && let Err(e) = std::fs::write(path, contents)
    {
        println!("cargo:warning=cannot write {}: {e}", path.display());
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
