//! The embedded mock as a standalone server, for trying the APIs by hand.
//!
//! ```text
//! cargo run --example mock_server -- [--addr 127.0.0.1:4010] [--fixtures FILE]
//!     [--fail-rate 0.1] [--latency-ms 200]
//! ```
//!
//! Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

use payusers::mock::{Fixtures, MockServer};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str =
    "usage: mock_server [--addr HOST:PORT] [--fixtures FILE] [--fail-rate F] [--latency-ms N]

  --addr HOST:PORT   where to listen (default 127.0.0.1:4010)
  --fixtures FILE    users to start with, JSON: {\"hpay\": [...], \"payabli\": [...]}
  --fail-rate F      answer this fraction (0..1) of requests with 503
  --latency-ms N     delay every answer by N milliseconds";

#[derive(Debug)]
struct Options {
    addr: SocketAddr,
    fixtures: Option<String>,
    fail_rate: f64,
    latency: Duration,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        addr: SocketAddr::from(([127, 0, 0, 1], 4010)),
        fixtures: None,
        fail_rate: 0.0,
        latency: Duration::ZERO,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg, None),
        };
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--addr" => {
                let v = value()?;
                options.addr = v
                    .parse()
                    .map_err(|_| format!("--addr: `{v}` is not HOST:PORT"))?;
            }
            "--fixtures" => options.fixtures = Some(value()?),
            "--fail-rate" => {
                let v = value()?;
                options.fail_rate = v
                    .parse::<f64>()
                    .ok()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or_else(|| format!("--fail-rate: `{v}` is not a number from 0 to 1"))?;
            }
            "--latency-ms" => {
                let v = value()?;
                let ms: u64 = v
                    .parse()
                    .map_err(|_| format!("--latency-ms: `{v}` is not a whole number"))?;
                options.latency = Duration::from_millis(ms);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut builder = MockServer::builder()
        .addr(options.addr)
        .fail_rate(options.fail_rate, 503)
        .latency(options.latency);
    if let Some(path) = &options.fixtures {
        match Fixtures::from_file(path) {
            Ok(fixtures) => builder = builder.fixtures(fixtures),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let mock = match builder.start().await {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("error: cannot start the mock on {}: {e}", options.addr);
            return ExitCode::FAILURE;
        }
    };
    println!("{}", mock.summary());
    println!("Press Ctrl-C to stop.");
    match mock.run_until_signal().await {
        Ok(()) => {
            println!("mock stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot wait for signals: {e}");
            ExitCode::FAILURE
        }
    }
}
