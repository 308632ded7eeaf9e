//! `payusers`: update users at HOST Pay (hPay) and Payabli from the command line.

mod api;
mod args;
mod clients;
mod confirm;
mod hpay;
mod mock;
mod output;
mod payabli;
mod profile;
mod sync;

use args::{Cli, Command, Global};
use clap::Parser;
use output::CliError;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.global);
    // The mock serves many clients at once and `sync` runs its rows on
    // workers: both get a thread per core. Every other command is one
    // request or a handful, and one thread serves it.
    let mut builder = if matches!(cli.command, args::Command::Mock(_) | args::Command::Sync(_)) {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            output::warn(&format!("error: cannot start the async runtime: {e}"));
            return ExitCode::from(output::EXIT_FAILURE);
        }
    };
    // As a task: on the multi-thread runtime it runs on a worker and
    // shares the workers' queues instead of waking this thread each time.
    let result = runtime.block_on(async {
        match tokio::spawn(run(cli)).await {
            Ok(result) => result,
            Err(e) => Err(CliError::failure(format!("internal error: {e}"))),
        }
    });
    // A reader blocked on stdin must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            output::warn(&format!("error: {err}"));
            err.exit_code()
        }
    }
}

async fn run(cli: Cli) -> Result<u8, CliError> {
    let Cli { global, command } = cli;
    match command {
        Command::Hpay { command } => hpay::run(&global, command).await.map(|()| output::EXIT_OK),
        Command::Payabli { command } => payabli::run(&global, command)
            .await
            .map(|()| output::EXIT_OK),
        Command::Api(args) => api::run(&global, args).await.map(|()| output::EXIT_OK),
        Command::Profile { command } => profile::run(&global, command).await,
        Command::Sync(args) => sync::run(&global, args).await,
        Command::Mock(args) => mock::run(&global, args).await.map(|()| output::EXIT_OK),
    }
}

/// Logs to stderr: `-v` warn, `-vv` info, `-vvv` debug; otherwise `RUST_LOG` if
/// set, else nothing (so an error stays a single line).
fn init_tracing(global: &Global) {
    use tracing_subscriber::EnvFilter;
    if global.quiet {
        return;
    }
    let filter = match global.verbose {
        0 => match std::env::var("RUST_LOG") {
            Ok(spec) if !spec.trim().is_empty() => EnvFilter::new(spec),
            _ => return,
        },
        1 => EnvFilter::new("warn"),
        2 => EnvFilter::new("info"),
        _ => EnvFilter::new("debug"),
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(output::Stderr)
        .with_env_filter(filter)
        .with_target(false)
        // Colours only for a terminal: a log file or a pipe gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
