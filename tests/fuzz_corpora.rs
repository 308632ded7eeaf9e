//! Replays the fuzz corpora (`tests/fuzz/corpus/<target>/`) through the fuzz
//! targets' own bodies (`tests/fuzz/harness.rs`), so every input the fuzzers kept
//! and every crash they found stays a test. Fuzzing itself:
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run <target>` (see `fuzz/`).
#![cfg(feature = "cli")]

#[path = "fuzz/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

/// Runs every file of `tests/fuzz/corpus/<target>/` through `body`, naming the
/// file that panics.
fn replay(target: &str, body: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus {} is empty", dir.display());
    for file in &files {
        let data = std::fs::read(file).expect("a corpus file");
        if std::panic::catch_unwind(|| body(&data)).is_err() {
            panic!("fuzz target `{target}` panicked on {}", file.display());
        }
    }
}

#[test]
fn rows() {
    replay("rows", harness::rows);
}

#[test]
fn journal() {
    replay("journal", harness::journal);
}

#[test]
fn retry_after() {
    replay("retry_after", harness::retry_after);
}

#[test]
fn error_body() {
    replay("error_body", harness::error_body);
}

#[test]
fn path_segment() {
    replay("path_segment", harness::path_segment);
}
