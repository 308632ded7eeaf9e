//! Building clients from the environment and the global flags: one path for
//! every spec.

use crate::args::Global;
use payusers::core::{Client, ClientBuilder, Dynamic, Spec, SpecInfo};
use payusers::{HostPay, Payabli};

/// Applies the environment (credentials, base URL) and the global flags.
pub fn configure<S: Spec>(
    global: &Global,
    builder: ClientBuilder<S>,
) -> Result<ClientBuilder<S>, payusers::Error> {
    let mut builder = builder.from_env()?;
    if let Some(name) = &global.environment {
        builder = builder.environment_named(name)?;
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
    Ok(builder.user_agent(concat!("payusers-cli/", env!("CARGO_PKG_VERSION"))))
}

pub fn hpay(global: &Global) -> Result<HostPay, payusers::Error> {
    configure(global, HostPay::builder())?
        .build()
        .map(|c| watched(global, c))
}

pub fn payabli(global: &Global) -> Result<Payabli, payusers::Error> {
    configure(global, Payabli::builder())?
        .build()
        .map(|c| watched(global, c))
}

pub fn dynamic(
    global: &Global,
    info: &'static SpecInfo,
) -> Result<Client<Dynamic>, payusers::Error> {
    configure(global, ClientBuilder::<Dynamic>::for_info(info))?
        .build()
        .map(|c| watched(global, c))
}

/// `client`, its credentials now kept out of everything printed (a server
/// may echo them in an answer), and where it really sends said ([`announce`]).
fn watched<S: Spec>(global: &Global, client: Client<S>) -> Client<S> {
    announce(global, &client);
    let redactor = client.clone();
    crate::output::redact_with(move |text| redactor.redact(text));
    client
}

/// `builder`'s client, announced ([`announce`]): for a command that sets
/// more on the builder than [`configure`] does (`sync`'s rate limiter).
pub fn built<S: Spec>(
    global: &Global,
    builder: ClientBuilder<S>,
) -> Result<Client<S>, payusers::Error> {
    let client = builder.build()?;
    announce(global, &client);
    Ok(client)
}

/// Says on stderr where an `--environment` client's calls go when the
/// spec's base-URL variable replaced that environment's URL (the library's
/// rule: the environment's rules, the variable's URL), so an explicit
/// `--environment production` never talks to a mock unannounced. Every
/// command that builds a client calls it once the client is built.
pub fn announce<S: Spec>(global: &Global, client: &Client<S>) {
    if let (Some(name), None, Some(var), false) = (
        &global.environment,
        &global.base_url,
        client.info().base_url_env,
        global.quiet,
    ) && std::env::var(var).is_ok_and(|url| !url.trim().is_empty())
    {
        crate::output::warn(&format!(
            "note: {var} is set: requests go to {}, under the {name} environment's rules",
            client.base_url()
        ));
    }
}
