//! Building the provider clients from the environment and the global flags.

use crate::args::{Environment, Global};
use payusers::{HostPay, Payabli};

/// An hPay client: credentials (and maybe the base URL) from the environment,
/// then `--environment` / `--base-url`, `--timeout` and `--max-retries`.
pub fn hpay(global: &Global) -> Result<HostPay, payusers::Error> {
    let mut builder = HostPay::builder().from_env()?;
    if global.environment.is_some() {
        // hPay serves test and live keys from one host: both names mean it.
        builder = builder.environment(payusers::hpay::Environment::Production);
    }
    if let Some(url) = &global.base_url {
        builder = builder.base_url(url.clone());
    }
    if let Some(timeout) = global.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(retries) = global.max_retries {
        builder = builder.max_retries(retries);
    }
    builder.build()
}

/// A Payabli client, configured like [`hpay`].
pub fn payabli(global: &Global) -> Result<Payabli, payusers::Error> {
    use payusers::payabli::Environment as Env;
    let mut builder = Payabli::builder().from_env()?;
    match global.environment {
        Some(Environment::Production) => builder = builder.environment(Env::Production),
        Some(Environment::Sandbox) => builder = builder.environment(Env::Sandbox),
        None => {}
    }
    if let Some(url) = &global.base_url {
        builder = builder.base_url(url.clone());
    }
    if let Some(timeout) = global.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(retries) = global.max_retries {
        builder = builder.max_retries(retries);
    }
    builder.build()
}
