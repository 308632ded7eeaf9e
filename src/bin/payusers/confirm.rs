//! Asking before something that cannot be undone.

use crate::output::CliError;
use std::io::{BufRead, IsTerminal, Write};

/// Proceeds with `--yes`; otherwise asks on a terminal (the user types
/// `expected`), and refuses (exit 2) when stdin is not a terminal.
pub fn destructive(what: &str, expected: &str, yes: bool) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "refusing to {what} without --yes (stdin is not a terminal to ask on)"
        )));
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "{what}? This cannot be undone. Type `{expected}` to confirm: "
    );
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::failure(format!("cannot read the answer: {e}")))?;
    if answer.trim() == expected {
        Ok(())
    } else {
        Err(CliError::usage("not confirmed; nothing was deleted"))
    }
}
