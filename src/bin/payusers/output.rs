//! What the tool prints: results on stdout, one-line errors on stderr, exit codes.

pub use crate::args::Output;
use payusers::hpay::User;
use payusers::payabli::{PayabliApiResponse, PayabliUser};
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

impl From<payusers::batch::BatchError> for CliError {
    fn from(err: payusers::batch::BatchError) -> Self {
        CliError {
            code: err.code,
            message: err.message,
        }
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

/// A function that takes a client's credentials out of text.
type Redactor = Box<dyn Fn(&str) -> String + Send + Sync>;

/// Every client's redactor, applied to everything printed to stdout.
static REDACTORS: std::sync::RwLock<Vec<Redactor>> = std::sync::RwLock::new(Vec::new());

/// Keeps what `redact` takes out (a client's credentials) out of stdout.
pub fn redact_with(redact: impl Fn(&str) -> String + Send + Sync + 'static) {
    REDACTORS
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(Box::new(redact));
}

/// `text` with every client's credentials taken out.
pub fn redacted(text: &str) -> std::borrow::Cow<'_, str> {
    let redactors = REDACTORS
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut out = std::borrow::Cow::Borrowed(text);
    for redact in redactors.iter() {
        let cleaned = redact(&out);
        if cleaned != out {
            out = std::borrow::Cow::Owned(cleaned);
        }
    }
    out
}

/// Writes `text` to stdout, with every client's credentials taken out
/// (a server may echo them in an answer), and flushes; a closed pipe is
/// not an error worth a panic.
pub fn print_stdout(text: &str) -> Result<(), CliError> {
    let text = redacted(text);
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

/// Serializes `value` as one line of JSON followed by a newline (what
/// `--output json` prints: one object per line, as `list` streams them).
pub fn json_line<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string(value)
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

/// Prints Payabli's answer to a write of `user_id` (`what` happened).
pub fn payabli_answer(
    format: Output,
    user_id: i64,
    what: &str,
    answer: &PayabliApiResponse,
) -> Result<(), CliError> {
    let text = match format {
        Output::Json => json_line(answer)?,
        Output::Text => format!(
            "Payabli user {user_id} {what}: {}\n",
            answer.response_text.as_deref().unwrap_or("Success")
        ),
    };
    print_stdout(&text)
}

/// Prints a Payabli user: readable lines, or the provider's JSON record.
pub fn payabli_user(format: Output, user: &PayabliUser) -> Result<(), CliError> {
    let text = match format {
        Output::Json => json_line(&user.record)?,
        Output::Text => {
            let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
            let rows = [
                ("userId", or_dash(user.user_id.map(|v| v.to_string()))),
                ("name", or_dash(user.name.clone())),
                ("email", or_dash(user.email.clone())),
                ("phone", or_dash(user.phone.clone())),
                (
                    "status",
                    match (user.status, user.status_code) {
                        (Some(s), _) => format!("{s} ({})", s.code()),
                        (None, Some(code)) => format!("unknown ({code})"),
                        (None, None) => "-".into(),
                    },
                ),
                (
                    "timeZone",
                    or_dash(user.time_zone.map(|t| format!("UTC{t:+}"))),
                ),
                ("language", or_dash(user.language.map(|l| l.to_string()))),
                ("mfa", or_dash(user.mfa.map(|m| m.to_string()))),
                (
                    "orgs",
                    or_dash(user.scope.as_ref().map(|s| {
                        s.iter()
                            .filter_map(|o| o.org_id.map(|id| id.to_string()))
                            .collect::<Vec<_>>()
                            .join(",")
                    })),
                ),
                (
                    "createdAt",
                    or_dash(user.created_at.map(|t| t.to_rfc3339())),
                ),
            ];
            rows.iter().map(|(k, v)| format!("{k:<10}{v}\n")).collect()
        }
    };
    print_stdout(&text)
}

/// Users printed as they arrive: a table for people, JSON Lines for
/// programs (one provider record per line).
pub struct Table {
    format: Output,
    quiet: bool,
    header: &'static str,
    printed: usize,
}

impl Table {
    pub fn hpay(format: Output, quiet: bool) -> Table {
        Table {
            format,
            quiet,
            header: "ID                                    APP_USER_ID  ACTIVE  NAME                      PHONE           EMAIL",
            printed: 0,
        }
    }

    pub fn payabli(format: Output, quiet: bool) -> Table {
        Table {
            format,
            quiet,
            header: "USER_ID     STATUS    NAME                      EMAIL                          PHONE",
            printed: 0,
        }
    }

    fn line(&mut self, json: &impl serde::Serialize, text: String) -> Result<(), CliError> {
        let mut out = String::new();
        match self.format {
            Output::Json => {
                out = serde_json::to_string(json)
                    .map_err(|e| CliError::failure(format!("cannot serialize: {e}")))?;
                out.push('\n');
            }
            Output::Text => {
                if self.printed == 0 {
                    out.push_str(self.header);
                    out.push('\n');
                }
                out.push_str(&text);
                out.push('\n');
            }
        }
        self.printed += 1;
        print_stdout(&out)
    }

    pub fn hpay_row(&mut self, u: &User) -> Result<(), CliError> {
        let text = format!(
            "{:<37} {:<12} {:<7} {:<25} {:<15} {}",
            u.id,
            u.app_user_id,
            u.is_active,
            cut(&u.name, 25),
            u.phone_number,
            u.email.as_deref().unwrap_or("-")
        );
        self.line(u, text)
    }

    pub fn payabli_row(&mut self, u: &PayabliUser) -> Result<(), CliError> {
        let text = format!(
            "{:<11} {:<9} {:<25} {:<30} {}",
            u.user_id.map_or_else(|| "-".into(), |v| v.to_string()),
            u.status.map_or_else(|| "-".into(), |s| s.to_string()),
            cut(u.name.as_deref().unwrap_or("-"), 25),
            cut(u.email.as_deref().unwrap_or("-"), 30),
            u.phone.as_deref().unwrap_or("-")
        );
        self.line(&u.record, text)
    }

    /// Says so when nothing was listed (text only).
    pub fn finish(self) -> Result<(), CliError> {
        if self.printed == 0 && self.format == Output::Text && !self.quiet {
            warn("no users");
        }
        Ok(())
    }
}

/// At most `n` characters: the first `n - 1` and `…` when longer.
fn cut(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let kept: String = text.chars().take(n.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// Stderr for the tracing subscriber: writes that fail (a closed stderr)
/// are dropped instead of aborting the run.
pub struct Stderr;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Stderr {
    type Writer = Lossy;
    fn make_writer(&'a self) -> Lossy {
        Lossy
    }
}

/// A writer to stderr that never fails.
pub struct Lossy;

impl std::io::Write for Lossy {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = std::io::stderr().write_all(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A line on stderr; a closed stderr is not an error worth dying for.
pub fn warn(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutting_counts_characters() {
        assert_eq!(
            cut("Jean-Baptiste Lefèvre Noé", 25),
            "Jean-Baptiste Lefèvre Noé"
        );
        assert_eq!(
            cut("Jean-Baptiste Lefèvre Noé!", 25),
            "Jean-Baptiste Lefèvre No…"
        );
        assert_eq!(cut("abc", 2), "a…");
    }

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
