//! Command-line arguments (clap derive): global flags and subcommands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use payusers::payabli::{Language, UserStatus};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

const EXIT_CODES: &str = "\
Exit codes:
  0    success (for sync: every row ok, or already ok and skipped)
  1    the provider refused or failed, the network failed, or a sync row failed
  2    bad usage or input: unknown flag, bad value, missing credentials,
       a field refused before sending, a journal that needs --resume
  130  interrupted (Ctrl-C or SIGTERM) during a sync

Credentials come only from the environment:
  HOST_PAY_API_KEY, HOST_PAY_SECRET_KEY   hPay
  PAYABLI_API_TOKEN                       Payabli
  HOST_PAY_BASE_URL, PAYABLI_BASE_URL     optional base URL overrides";

/// Update users at HOST Pay (hPay) and Payabli.
#[derive(Debug, Parser)]
#[command(name = "payusers", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted before or after any subcommand.
#[derive(Debug, Args)]
pub struct Global {
    /// Send requests to this base URL instead of the provider's.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Provider environment (hPay has one host for test and live keys).
    #[arg(long, global = true, value_enum, conflicts_with = "base_url")]
    pub environment: Option<Environment>,
    /// Per-attempt timeout, e.g. 500ms, 2s, 1m.
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// How many times a retryable failure is retried (default 3).
    #[arg(long, global = true, value_name = "N")]
    pub max_retries: Option<u32>,
    /// Output format for results on stdout.
    #[arg(long, global = true, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    /// More logging on stderr (-v warn, -vv info, -vvv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr: no progress, summary or logs.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Production,
    Sandbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// HOST Pay (hPay) operations.
    Hpay {
        #[command(subcommand)]
        command: HpayCommand,
    },
    /// Payabli operations.
    Payabli {
        #[command(subcommand)]
        command: PayabliCommand,
    },
    /// Update many users from a JSON Lines or CSV file, with a resumable journal.
    Sync(SyncArgs),
    /// Run the embedded mock of both APIs until Ctrl-C or SIGTERM.
    Mock(MockArgs),
}

#[derive(Debug, Subcommand)]
pub enum HpayCommand {
    /// Update one hPay user (a full update: app user id, name and phone are required).
    Update(HpayUpdate),
}

#[derive(Debug, Args)]
pub struct HpayUpdate {
    /// hPay's user id, e.g. user_abc123.
    pub user_id: String,
    /// Your application's id for the user (must match the one set at creation).
    #[arg(long, value_name = "N")]
    pub app_user_id: i64,
    /// Full name.
    #[arg(long)]
    pub name: String,
    /// Phone number in international form, e.g. +23279123456.
    #[arg(long)]
    pub phone_number: String,
    /// New email address.
    #[arg(long)]
    pub email: Option<String>,
    /// New username.
    #[arg(long)]
    pub username: Option<String>,
    /// Activate (true) or deactivate (false) the account.
    #[arg(long, value_name = "true|false")]
    pub active: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum PayabliCommand {
    /// Update one Payabli user (a partial update: only the fields given are sent).
    Update(PayabliUpdate),
}

#[derive(Debug, Args)]
pub struct PayabliUpdate {
    /// Payabli's numeric user id, e.g. 1000000.
    pub user_id: i64,
    /// Full name.
    #[arg(long)]
    pub name: Option<String>,
    /// Email address.
    #[arg(long)]
    pub email: Option<String>,
    /// Phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// Status: active, inactive, locked or deleted.
    #[arg(long, value_parser = parse_status, value_name = "STATUS")]
    pub status: Option<UserStatus>,
    /// Timezone as a UTC offset in hours (-12..=14).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub time_zone: Option<i32>,
    /// Locale for PartnerHub and PayHub.
    #[arg(long, value_enum)]
    pub language: Option<LanguageArg>,
    /// One additionalData entry; repeat for more.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub additional_data: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LanguageArg {
    En,
    Es,
}

impl From<LanguageArg> for Language {
    fn from(language: LanguageArg) -> Self {
        match language {
            LanguageArg::En => Language::En,
            LanguageArg::Es => Language::Es,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderArg {
    Hpay,
    Payabli,
}

impl ProviderArg {
    pub fn name(self) -> &'static str {
        match self {
            ProviderArg::Hpay => "hpay",
            ProviderArg::Payabli => "payabli",
        }
    }
}

#[derive(Debug, Args)]
#[command(after_help = SYNC_HELP)]
pub struct SyncArgs {
    /// Which provider the rows are for.
    #[arg(long, value_enum)]
    pub provider: ProviderArg,
    /// Input rows: .jsonl/.ndjson (JSON Lines) or .csv with a header; `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// Journal of results (JSON Lines, appended); needed to resume.
    #[arg(long, value_name = "FILE")]
    pub journal: PathBuf,
    /// How many requests are in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
    /// At most this many rows sent per second, across all workers (retries are
    /// paced by the backoff, not by this limit).
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    pub rate: Option<f64>,
    /// Continue a previous run: skip rows the journal already records as ok.
    #[arg(long)]
    pub resume: bool,
}

const SYNC_HELP: &str = "\
Rows:
  hpay     user_id, app_user_id, name, phone_number, email?, username?, is_active?
  payabli  userId plus any user field: name, email, phone, pwd, usrStatus (or status),
           timeZone, language, additionalData (CSV: additionalData.KEY columns;
           JSON Lines also scope, access, mfaData)

Journal: one JSON object per processed row:
  {\"line\": N, \"id\": \"...\", \"status\": \"ok\"|\"failed\", \"http_status\": 200,
   \"attempts\": 1, \"error\": null}
  `line` is the input line (JSON Lines) or the record number after the header (CSV).
  Rerun with --resume after a failure or an interruption: rows already ok are skipped.";

#[derive(Debug, Args)]
pub struct MockArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:4010")]
    pub addr: SocketAddr,
    /// Users to start with (JSON: {"hpay": [...], "payabli": [...]}).
    #[arg(long, value_name = "FILE")]
    pub fixtures: Option<PathBuf>,
    /// Fraction of requests (0.0-1.0) answered with 503 at random.
    #[arg(long, value_name = "F", value_parser = parse_fraction)]
    pub fail_rate: Option<f64>,
    /// Delay every answer by this many milliseconds.
    #[arg(long, value_name = "N")]
    pub latency_ms: Option<u64>,
}

fn parse_duration(value: &str) -> Result<Duration, String> {
    let duration =
        humantime::parse_duration(value).map_err(|e| format!("{e} (examples: 500ms, 2s, 1m)"))?;
    if duration.is_zero() {
        return Err("must be greater than zero".into());
    }
    Ok(duration)
}

fn parse_status(value: &str) -> Result<UserStatus, String> {
    value.parse()
}

fn parse_key_value(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((key, val)) if !key.trim().is_empty() => Ok((key.trim().to_string(), val.to_string())),
        _ => Err(format!("expected KEY=VALUE, got `{value}`")),
    }
}

/// The lowest `--rate` accepted: one row every 1000 s. Anything slower is
/// surely a typo, and a tiny rate would overflow the pause between rows.
pub const MIN_RATE: f64 = 0.001;

fn parse_rate(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate >= MIN_RATE => Ok(rate),
        _ => Err(format!(
            "expected a finite number of rows per second, at least {MIN_RATE}, got `{value}`"
        )),
    }
}

fn parse_fraction(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("expected a number from 0.0 to 1.0, got `{value}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn key_values() {
        assert_eq!(
            parse_key_value("a=b=c").unwrap(),
            ("a".into(), "b=c".into())
        );
        assert!(parse_key_value("=x").is_err());
        assert!(parse_key_value("nokey").is_err());
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate("0.001"), Ok(0.001));
        assert_eq!(parse_rate("2.5"), Ok(2.5));
        for bad in ["1e-30", "0.0009", "0", "-1", "inf", "NaN", "fast"] {
            let err = parse_rate(bad).unwrap_err();
            assert!(err.contains("at least 0.001"), "{bad}: {err}");
        }
    }
}
