//! Generates one client module per `openapi/*.yaml` into `OUT_DIR`.
//!
//! All logic lives in `codegen/mod.rs`, shared with `cargo xtask`; this file
//! only finds the specs, calls it, writes the results and reports errors as
//! one readable line per broken spec.

#[path = "codegen/mod.rs"]
mod codegen;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let spec_dir = manifest_dir.join("openapi");
    println!("cargo:rerun-if-changed=openapi");
    println!("cargo:rerun-if-changed=codegen/mod.rs");

    let specs = match codegen::discover(&spec_dir) {
        Ok(specs) => specs,
        Err(e) => return fail(&e),
    };
    let mut failed = false;
    for spec in &specs {
        println!("cargo:rerun-if-changed={}", spec.path.display());
        let rel = spec.rel_path();
        let result = spec.generate();
        match result {
            Ok(generated) => {
                write(
                    &out_dir.join(format!("{}.rs", spec.module)),
                    &generated.code,
                );
                write(
                    &out_dir.join(format!("{}.json", spec.module)),
                    &generated.json,
                );
            }
            Err(e) => {
                println!("cargo:warning={rel}: {e}");
                eprintln!("error: {rel}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        return fail("one or more OpenAPI specs are invalid (see above)");
    }
    write(&out_dir.join("modules.rs"), &codegen::modules_file(&specs));
    ExitCode::SUCCESS
}

fn write(path: &std::path::Path, contents: &str) {
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
