//! What the tool prints: results on stdout, one-line errors on stderr, exit codes.

use crate::args::Output;
use payusers::hpay::User;
use payusers::payabli::PayabliApiResponse;
use std::fmt;
use std::io::Write;
use std::process::ExitCode;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for a provider, network or per-row failure.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for bad usage or input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code after Ctrl-C.
pub const EXIT_INTERRUPTED: u8 = 130;

/// A failure to report on stderr, with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    /// Bad usage or input (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    /// A runtime failure (exit 1).
    pub fn failure(message: impl Into<String>) -> Self {
        CliError {
            code: EXIT_FAILURE,
            message: message.into(),
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&one_line(&self.message))
    }
}

impl From<payusers::Error> for CliError {
    fn from(err: payusers::Error) -> Self {
        let code = match err {
            payusers::Error::Validation { .. } | payusers::Error::Config { .. } => EXIT_USAGE,
            _ => EXIT_FAILURE,
        };
        CliError {
            code,
            message: describe(&err),
        }
    }
}

/// The error's message, plus the request id when the server sent one.
pub fn describe(err: &payusers::Error) -> String {
    let mut message = err.to_string();
    if let Some(id) = err.request_id() {
        message.push_str(&format!(" (request id {id})"));
    }
    one_line(&message)
}

/// Collapses line breaks so every message fits on one line.
pub fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `text` to stdout and flushes; a closed pipe is not an error worth a panic.
pub fn print_stdout(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .or_else(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(CliError::failure(format!("cannot write to stdout: {e}")))
            }
        })
}

/// Serializes `value` as pretty JSON followed by a newline.
pub fn json_line<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| CliError::failure(format!("cannot serialize the result: {e}")))
}

/// Prints an hPay user.
pub fn hpay_user(format: Output, user: &User) -> Result<(), CliError> {
    let text = match format {
        Output::Json => json_line(user)?,
        Output::Text => {
            let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
            let rows = [
                ("id", user.id.clone()),
                ("app_user_id", user.app_user_id.to_string()),
                ("name", user.name.clone()),
                ("phone_number", user.phone_number.clone()),
                ("email", or_dash(&user.email)),
                ("username", or_dash(&user.username)),
                ("is_active", user.is_active.to_string()),
                (
                    "created_at",
                    user.created_at
                        .map_or_else(|| "-".into(), |t| t.to_rfc3339()),
                ),
                (
                    "updated_at",
                    user.updated_at
                        .map_or_else(|| "-".into(), |t| t.to_rfc3339()),
                ),
            ];
            rows.iter().map(|(k, v)| format!("{k:<13}{v}\n")).collect()
        }
    };
    print_stdout(&text)
}

/// Prints Payabli's answer to an update of `user_id`.
pub fn payabli_answer(
    format: Output,
    user_id: i64,
    answer: &PayabliApiResponse,
) -> Result<(), CliError> {
    let text = match format {
        Output::Json => json_line(answer)?,
        Output::Text => format!(
            "Payabli user {user_id} updated: {}\n",
            answer.response_text.as_deref().unwrap_or("Success")
        ),
    };
    print_stdout(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_fit_one_line() {
        assert_eq!(one_line("a\nb\r\n  c  "), "a b c");
    }

    #[test]
    fn exit_codes_for_library_errors() {
        let config = payusers::Error::Config {
            setting: "HOST_PAY_API_KEY",
            reason: "is not set".into(),
        };
        assert_eq!(CliError::from(config).code, EXIT_USAGE);
    }
}
