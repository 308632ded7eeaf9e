//! `payusers mock`: the embedded mock of both APIs as a local server.

use crate::args::{Global, MockArgs, Output};
use crate::output::{self, CliError};
use payusers::mock::{Fixtures, MockServer};
use std::time::Duration;

pub async fn run(global: &Global, args: MockArgs) -> Result<(), CliError> {
    // Client settings configure calls, and the mock makes none: taken
    // silently, a bad value would look accepted.
    let ignored = [
        ("--base-url", global.base_url.is_some()),
        ("--environment", global.environment.is_some()),
        ("--timeout", global.timeout.is_some()),
        ("--max-retries", global.max_retries.is_some()),
    ];
    if let Some((flag, _)) = ignored.iter().find(|(_, given)| *given) {
        return Err(CliError::usage(format!(
            "`payusers mock` takes no {flag}: it serves, it makes no calls (set it on the commands that use the mock)"
        )));
    }
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

    // Every served spec: its base URL and credentials, under the variables
    // `from_env` (and so the CLI) reads.
    let credentials = mock.credentials();
    let mut vars: Vec<(String, String)> = Vec::new();
    let mut served: Vec<(&str, &str, String)> = Vec::new();
    for (module, info) in payusers::generated::SPECS {
        let url = mock.base_url(module);
        if let Some(env) = info.base_url_env {
            vars.push((env.to_string(), url.clone()));
        }
        for credential in info.credentials {
            if let Some(env) = credential.env {
                vars.push((
                    env.to_string(),
                    credentials.value_for(module, credential.header),
                ));
            }
        }
        served.push((module, info.title, url));
    }
    let text = match global.output {
        Output::Json => {
            let mut object = serde_json::Map::new();
            object.insert("addr".into(), mock.addr().to_string().into());
            for (module, _, url) in &served {
                object.insert(format!("{module}_base_url"), url.as_str().into());
            }
            let env = vars
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
                .collect();
            object.insert("env".into(), serde_json::Value::Object(env));
            serde_json::Value::Object(object).to_string() + "\n"
        }
        Output::Text => {
            let width = served.iter().map(|(m, _, _)| m.len()).max().unwrap_or(0);
            let mut text = String::new();
            for (module, title, url) in &served {
                text.push_str(&format!("{module:width$}  {url}  ({title})\n"));
            }
            text.push('\n');
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
