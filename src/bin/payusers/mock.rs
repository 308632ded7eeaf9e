//! `payusers mock`: the embedded mock of both APIs as a local server.

use crate::args::{Global, MockArgs, Output};
use crate::output::{self, CliError};
use payusers::mock::{Fixtures, MockServer};
use std::time::Duration;

pub async fn run(global: &Global, args: MockArgs) -> Result<(), CliError> {
    let mut builder = MockServer::builder().addr(args.addr);
    if let Some(path) = &args.fixtures {
        let fixtures = Fixtures::from_file(path).map_err(|e| CliError::usage(e.to_string()))?;
        builder = builder.fixtures(fixtures);
    }
    if let Some(rate) = args.fail_rate {
        builder = builder.fail_rate(rate, 503);
    }
    if let Some(ms) = args.latency_ms {
        builder = builder.latency(Duration::from_millis(ms));
    }
    let mock = builder
        .start()
        .await
        .map_err(|e| CliError::failure(format!("cannot start the mock on {}: {e}", args.addr)))?;

    let credentials = mock.credentials();
    let vars = [
        ("HOST_PAY_BASE_URL", mock.hpay_base_url()),
        ("PAYABLI_BASE_URL", mock.payabli_base_url()),
        ("HOST_PAY_API_KEY", credentials.hpay_api_key.clone()),
        ("HOST_PAY_SECRET_KEY", credentials.hpay_secret_key.clone()),
        ("PAYABLI_API_TOKEN", credentials.payabli_token.clone()),
    ];
    let text = match global.output {
        Output::Json => {
            let mut object = serde_json::Map::new();
            object.insert("addr".into(), mock.addr().to_string().into());
            object.insert("hpay_base_url".into(), mock.hpay_base_url().into());
            object.insert("payabli_base_url".into(), mock.payabli_base_url().into());
            let env = vars
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::from(v.as_str())))
                .collect();
            object.insert("env".into(), serde_json::Value::Object(env));
            serde_json::Value::Object(object).to_string() + "\n"
        }
        Output::Text => {
            let mut text = format!(
                "hPay mock:    {}\nPayabli mock: {}\n\n",
                mock.hpay_base_url(),
                mock.payabli_base_url()
            );
            for (key, value) in &vars {
                text.push_str(&format!("export {key}={value}\n"));
            }
            text
        }
    };
    output::print_stdout(&text)?;
    if !global.quiet {
        output::warn(&format!(
            "payusers mock: serving on {}; stop with Ctrl-C",
            mock.addr()
        ));
    }
    mock.run_until_signal()
        .await
        .map_err(|e| CliError::failure(format!("mock: cannot wait for signals: {e}")))?;
    if !global.quiet {
        crate::output::warn("payusers mock: stopped");
    }
    Ok(())
}
