//! Command-line arguments (clap derive): global flags and subcommands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use payusers::Rate;
use payusers::payabli::{Language, UserStatus};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

const EXIT_CODES: &str = "\
Exit codes:
  0    success (for sync: every row ok, or already ok and skipped)
  1    the provider refused or failed, the network failed, or a sync row failed
  2    bad usage or input: unknown flag, bad value, missing credentials,
       a field refused before sending, a journal that needs --resume,
       a delete without --yes
  130  interrupted (Ctrl-C or SIGTERM) during a sync

Credentials come only from the environment:
  HOST_PAY_API_KEY, HOST_PAY_SECRET_KEY   hPay
  PAYABLI_API_TOKEN                       Payabli
  HOST_PAY_BASE_URL, PAYABLI_BASE_URL     optional base URL overrides
  (`payusers api <provider> --list` names the variables of any bundled spec)";

/// Create, read, list, update and delete users at HOST Pay (hPay) and Payabli.
#[derive(Debug, Parser)]
#[command(name = "payusers", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Send requests to this base URL instead of the provider's.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// A server named in the provider's spec: `production` or `sandbox`
    /// (hPay's `sandbox` refuses a key that is not a `hpay_test_` key).
    #[arg(long, global = true, value_name = "NAME", conflicts_with = "base_url")]
    pub environment: Option<String>,
    /// Per-attempt timeout (e.g. 500ms, 2s, 1m).
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// Retries of a retryable failure (default 3; 0 disables).
    #[arg(long, global = true, value_name = "N")]
    pub max_retries: Option<u32>,
    /// `text` for people, `json` for programs.
    #[arg(long, global = true, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    /// More logging on stderr (-v warnings, -vv each attempt, -vvv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Nothing on stderr but errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// HOST Pay (hPay) users.
    Hpay {
        #[command(subcommand)]
        command: HpayCommand,
    },
    /// Payabli users.
    Payabli {
        #[command(subcommand)]
        command: PayabliCommand,
    },
    /// One person at every provider: see the diff, or push one change to all.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// Any operation of any bundled spec, by its operationId.
    Api(ApiArgs),
    /// Many creates, updates or deletes from a file, with a journal to resume.
    Sync(SyncArgs),
    /// Run the embedded mock as a local server.
    Mock(MockArgs),
}

#[derive(Debug, Subcommand)]
pub enum HpayCommand {
    /// Create a user (prints the new user; its id is a UUID).
    Create(HpayFields),
    /// Read a user.
    Get { user_id: String },
    /// List users (a table, or JSON Lines with --output json).
    List(HpayList),
    /// Update a user. With --app-user-id it is a full update, and --name and
    /// --phone-number are required too (hPay may clear what it leaves out);
    /// without it, it reads the user and changes only the fields given.
    Update(HpayUpdate),
    /// Delete a user permanently (consider `update --active false`).
    Delete(DeleteArgs),
}

/// The fields of an hPay user.
#[derive(Debug, Args)]
pub struct HpayFields {
    /// Your application's id for the user (set at creation, never changed).
    #[arg(long, value_name = "N")]
    pub app_user_id: Option<i64>,
    #[arg(long)]
    pub name: Option<String>,
    /// International form, e.g. +23279123456.
    #[arg(long)]
    pub phone_number: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub username: Option<String>,
    #[arg(long, value_name = "true|false")]
    pub active: Option<bool>,
}

#[derive(Debug, Args)]
pub struct HpayUpdate {
    pub user_id: String,
    #[command(flatten)]
    pub fields: HpayFields,
}

#[derive(Debug, Args)]
pub struct HpayList {
    /// Only active (true) or inactive (false) users.
    #[arg(long, value_name = "true|false")]
    pub active: Option<bool>,
    /// Stop after N users.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Users per request (hPay's per_page, 1-100; default 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=100))]
    pub page_size: Option<u8>,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    pub user_id: String,
    /// Confirm the delete (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum PayabliCommand {
    /// Create a user (prints its new id).
    Create(PayabliFields),
    /// Read a user.
    Get { user_id: i64 },
    /// List an organization's (or a paypoint's) users.
    List(PayabliList),
    /// Partially update a user: only the fields given are sent.
    Update(PayabliUpdate),
    /// Delete a user.
    Delete(PayabliDelete),
    /// Turn multi-factor authentication on or off.
    Mfa(PayabliMfa),
}

/// The fields of a Payabli user.
#[derive(Debug, Args)]
pub struct PayabliFields {
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// active, inactive, locked or deleted (or 1, 0, 85, -99).
    #[arg(long, value_parser = parse_status, value_name = "STATUS")]
    pub status: Option<UserStatus>,
    /// UTC offset in hours, -12 to 14.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub time_zone: Option<i32>,
    #[arg(long, value_enum)]
    pub language: Option<LanguageArg>,
    /// A custom pair; repeat for more.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub additional_data: Vec<(String, String)>,
    /// An organization id for the user's scope; repeat for more. The orgs
    /// given are the whole scope: on update they replace the user's.
    #[arg(long = "org", value_name = "ORG_ID")]
    pub orgs: Vec<i64>,
    /// The `orgType` sent with every --org (Payabli's examples use 0; left
    /// out when not given).
    #[arg(long, value_name = "N", requires = "orgs", allow_hyphen_values = true)]
    pub org_type: Option<i32>,
}

#[derive(Debug, Args)]
pub struct PayabliUpdate {
    pub user_id: i64,
    #[command(flatten)]
    pub fields: PayabliFields,
}

#[derive(Debug, Args)]
pub struct PayabliDelete {
    pub user_id: i64,
    /// Confirm the delete (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["org", "paypoint"])))]
pub struct PayabliList {
    /// The organization whose users to list.
    #[arg(long, value_name = "ORG_ID")]
    pub org: Option<i64>,
    /// The paypoint entry whose users to list.
    #[arg(long, value_name = "ENTRY")]
    pub paypoint: Option<String>,
    /// Stop after N users (default: the first page only, unless --all; a note on
    /// stderr says when that page is full, so more may follow).
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub limit: Option<usize>,
    /// Every page.
    #[arg(long)]
    pub all: bool,
    /// Records per request (limitRecord, default 20).
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
}

#[derive(Debug, Args)]
pub struct PayabliMfa {
    pub user_id: i64,
    /// Turn MFA on.
    #[arg(long, conflicts_with = "disable", required_unless_present = "disable")]
    pub enable: bool,
    /// Turn MFA off.
    #[arg(long)]
    pub disable: bool,
    /// The MFA mode (Payabli's number).
    #[arg(long, value_name = "N")]
    pub mode: Option<i32>,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Read every linked provider and show what would change (writes nothing).
    Plan(ProfileArgs),
    /// Apply the change where something differs; report each provider.
    Push(ProfileArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("link").required(true).multiple(true).args(["hpay", "payabli"])))]
pub struct ProfileArgs {
    /// The person's hPay user id.
    #[arg(long, value_name = "USER_ID")]
    pub hpay: Option<String>,
    /// The app_user_id the hPay user must carry (a check on the link).
    #[arg(long, value_name = "N", requires = "hpay")]
    pub hpay_app_user_id: Option<i64>,
    /// The person's Payabli userId.
    #[arg(long, value_name = "USER_ID")]
    pub payabli: Option<i64>,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    /// One phone for both providers (hPay wants international form).
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long, value_name = "true|false")]
    pub active: Option<bool>,
    /// Reactivate a Payabli user that is Locked or Deleted (or change one
    /// whose status is a code payusers does not know).
    #[arg(long)]
    pub override_locked: bool,
    /// Push: write wherever the read and checks passed, even if they failed
    /// at the other provider (by default a failure there writes nowhere).
    #[arg(long)]
    pub partial: bool,
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

/// `payusers api <provider> <operationId> [name=value …] [--body …]`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  payusers api hpay --list
  payusers api hpay get_user user_id=user_abc123
  payusers api hpay list_users is_active=true --output json
  payusers api payabli update_user userId=1000000 --body '{\"name\":\"Sean\"}'
  payusers api payabli add_user --body @user.json")]
pub struct ApiArgs {
    /// The spec: hpay, payabli, or any other bundled spec.
    pub provider: String,
    /// The operationId (see --list).
    #[arg(required_unless_present = "list")]
    pub operation: Option<String>,
    /// Path, query and header parameters by their spec names.
    #[arg(value_name = "NAME=VALUE", value_parser = parse_key_value)]
    pub params: Vec<(String, String)>,
    /// The request body: JSON text, @FILE, or - for stdin.
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub body: Option<String>,
    /// An idempotency key (makes a POST safe to retry, when the spec has the header).
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// Confirm a DELETE (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Print each operation: id, method, path, parameters.
    #[arg(long, conflicts_with_all = ["operation", "params", "body"])]
    pub list: bool,
}

pub use payusers::batch::{ProviderArg, SyncOp};

#[derive(Debug, Args)]
#[command(after_help = SYNC_HELP)]
pub struct SyncArgs {
    /// Which provider the rows are for.
    #[arg(long, value_enum)]
    pub provider: ProviderArg,
    /// What to do with each row.
    #[arg(long, value_enum, default_value_t = SyncOp::Update)]
    pub op: SyncOp,
    /// JSON Lines (.jsonl) or CSV (.csv); `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// Where each row's outcome is recorded (one JSON object per line).
    #[arg(long, value_name = "FILE")]
    pub journal: PathBuf,
    /// Rows in flight at once (rows for the same user still go in order).
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
    /// At most this many requests, shared by all workers: 10/s, 200/min, 10000/h
    /// (a bare number is per second).
    #[arg(long, value_name = "RATE")]
    pub rate: Option<Rate>,
    /// Continue an earlier run: skip rows already ok (re-send edited ones, and
    /// an ok update whose user has an earlier row sent again).
    #[arg(long)]
    pub resume: bool,
    /// With --resume: send again a create whose earlier attempt may have
    /// made the user (it timed out, or its connection broke, after
    /// sending); without it such a row fails unsent, since sending it
    /// again could make the user twice.
    #[arg(long, requires = "resume")]
    pub resend_uncertain: bool,
    /// Delete without asking (required with --op delete).
    #[arg(long)]
    pub yes: bool,
    /// With --provider both: reactivate Payabli users that are Locked or
    /// Deleted (or change ones whose status is a code payusers does not know).
    #[arg(long)]
    pub override_locked: bool,
    /// With --provider both: write a row's change wherever the read and
    /// checks passed, even if they failed at the other provider (by default
    /// such a row writes nowhere, and fails).
    #[arg(long)]
    pub partial: bool,
}

const SYNC_HELP: &str = "\
Rows:
  hpay     update: user_id, app_user_id, name, phone_number, email?, username?, is_active?
           create: the same without user_id;  delete: user_id
  payabli  update: userId plus any user field: name, email, phone, pwd, usrStatus (or status),
           timeZone, language, additionalData (CSV: additionalData.KEY columns;
           JSON Lines also scope, access, mfaData; an empty list or map is sent as such)
           create: the same without userId;  delete: userId
  both     (one person at both providers; --op update only)
           hpay_user_id?, hpay_app_user_id?, payabli_user_id?, name?, email?, phone?, active?
           at least one link and one field; each provider changes only what differs

Journal: a header line, then one JSON object per processed row:
  {\"journal\": 5, \"provider\": \"hpay\", \"op\": \"update\", \"input_digest\": \"...\"}
  {\"line\": N, \"id\": \"...\", \"status\": \"ok\"|\"failed\", \"http_status\": 200,
   \"attempts\": 1, \"error\": null, \"digest\": \"...\", \"created_id\": \"...\"}
  `line` is the input line (JSON Lines) or the record number after the header (CSV);
  `digest` fingerprints the row's content; `created_id` is a create's new id;
  with --provider both, `also` is the row's second user and `outcomes` each side's;
  `maybe_applied: true` marks a failed create or delete that may have done its work
  anyway (sent, its answer lost: a timeout, a broken connection, a 5xx);
  `note` explains an ok row its status alone does not (a delete found already done);
  `in_flight: true` is written before a create or delete is sent, and answered by
  the row's own entry: one left unanswered (the run was killed) is in doubt on resume.
  Rerun with --resume after a failure or an interruption: rows already ok are
  skipped, rows edited since they were ok are sent again, and so is an ok update
  row after an earlier row of its user that is sent again or was journaled after
  it (rows apply in file order). A create marked `maybe_applied` is not sent
  again (it fails, saying why) unless you add --resend-uncertain; such a delete
  is sent again, and is ok if the provider says the user is not there and a
  lookup confirms it.";

#[derive(Debug, Args)]
pub struct MockArgs {
    /// The address to listen on (loopback unless you mean otherwise).
    #[arg(long, default_value = "127.0.0.1:4010")]
    pub addr: SocketAddr,
    /// Users to start with (JSON: {"hpay": [...], "payabli": [...]}).
    #[arg(long, value_name = "FILE")]
    pub fixtures: Option<PathBuf>,
    /// Answer this share of requests with 503 (0.0 to 1.0).
    #[arg(long, value_name = "F", value_parser = parse_fraction)]
    pub fail_rate: Option<f64>,
    /// Wait this long before every answer.
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
        let rate = |s: &str| s.parse::<Rate>().map(|r| r.interval());
        assert_eq!(rate("2.5"), Ok(Duration::from_millis(400)));
        assert_eq!(rate("200/min"), Ok(Duration::from_millis(300)));
        for bad in ["0", "-1", "inf", "NaN", "fast", "1/week"] {
            assert!(rate(bad).is_err(), "{bad}");
        }
    }
}
