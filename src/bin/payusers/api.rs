//! `payusers api <provider> <operationId> [name=value …] [--body …]`: any
//! operation of any bundled spec, like `gh api`, with the same flags,
//! retries, timeouts and exit codes as the rest of the tool. Driven entirely
//! by the specs: an operation added to a spec is here after a rebuild.

use crate::args::{ApiArgs, Global, Output};
use crate::clients;
use crate::output::{self, CliError};
use payusers::core::{DynamicOp, SpecInfo, spec_info};
use serde_json::Value;
use std::io::Read;

pub async fn run(global: &Global, args: ApiArgs) -> Result<(), CliError> {
    let info = spec_info(&args.provider).ok_or_else(|| {
        let known: Vec<&str> = payusers::generated::SPECS.iter().map(|(m, _)| *m).collect();
        CliError::usage(format!(
            "no spec named `{}` (bundled: {})",
            args.provider,
            known.join(", ")
        ))
    })?;
    if args.list {
        return list(&args.provider, info);
    }
    let operation = args.operation.as_deref().unwrap_or_default();
    let body = match &args.body {
        None => None,
        Some(text) => Some(read_body(text)?),
    };
    // Refused before sending, with the spec's own rules (exit 2).
    payusers::mock::check_call(&args.provider, operation, &args.params, body.as_ref())
        .map_err(|rule| CliError::usage(format!("{} {operation}: {rule}", args.provider)))?;
    if info
        .operation(operation)
        .is_some_and(|op| op.method == "DELETE")
    {
        let params: Vec<String> = args
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        crate::confirm::destructive(
            &format!("{} {operation} {}", args.provider, params.join(" ")),
            "yes",
            args.yes,
        )?;
    }
    let op = DynamicOp::new(info, operation, &args.params, body)?;
    // What is printed keeps no password the body sent (a server may echo one).
    let printed = op.clone();
    let client = clients::dynamic(global, info)?;
    let mut call = client.call(op);
    if let Some(key) = args.idempotency_key {
        call = call.idempotency_key(key);
    }
    let answer = call.send().await?;
    let text = match global.output {
        Output::Json => output::json_line(&answer)?,
        // For people: indented.
        Output::Text => match &answer {
            Value::Null => String::new(),
            other => format!("{other:#}\n"),
        },
    };
    output::print_stdout(&printed.scrub(&text))
}

/// `@file`, `-` (stdin) or JSON text.
fn read_body(text: &str) -> Result<Value, CliError> {
    let raw = if text == "-" {
        let mut buffer = String::new();
        std::io::stdin()
            .read_to_string(&mut buffer)
            .map_err(|e| CliError::usage(format!("cannot read the body from stdin: {e}")))?;
        buffer
    } else if let Some(path) = text.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("cannot read the body from {path}: {e}")))?
    } else {
        text.to_string()
    };
    serde_json::from_str(raw.trim_start_matches('\u{feff}'))
        .map_err(|e| CliError::usage(format!("--body is not JSON: {e}")))
}

/// One line per operation: id, method, path, parameters (`?` optional).
fn list(module: &str, info: &'static SpecInfo) -> Result<(), CliError> {
    let spec: Value = payusers::generated::SPEC_JSON
        .iter()
        .find(|(m, _)| *m == module)
        .and_then(|(_, json)| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let mut text = format!("{} — {module}\n", info.title);
    let env: Vec<&str> = info
        .credentials
        .iter()
        .filter_map(|c| c.env)
        .chain(info.base_url_env)
        .collect();
    text.push_str(&format!("environment: {}\n", env.join(", ")));
    for op in info.operations {
        let params = parameters(&spec, op.path, op.method);
        let body = if spec
            .pointer(&format!(
                "/paths/{}/{}/requestBody",
                op.path.replace('~', "~0").replace('/', "~1"),
                op.method.to_ascii_lowercase()
            ))
            .is_some()
        {
            " --body"
        } else {
            ""
        };
        text.push_str(&format!(
            "{:<22} {:<6} {:<32} {}{body}\n",
            op.id,
            op.method,
            op.path,
            params.join(" ")
        ));
    }
    output::print_stdout(&text)
}

/// `name=` for required parameters, `[name=]` for optional ones.
fn parameters(spec: &Value, path: &str, method: &str) -> Vec<String> {
    let item = spec
        .pointer(&format!(
            "/paths/{}",
            path.replace('~', "~0").replace('/', "~1")
        ))
        .cloned()
        .unwrap_or_default();
    let resolve = |p: &Value| -> Value {
        match p.get("$ref").and_then(Value::as_str) {
            Some(r) => spec.pointer(&r[1..]).cloned().unwrap_or_default(),
            None => p.clone(),
        }
    };
    let shared = item["parameters"].as_array().cloned().unwrap_or_default();
    let own = item[method.to_ascii_lowercase()]["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // An operation's own parameter replaces the path item's of the same
    // name and location.
    let mut params: Vec<Value> = Vec::new();
    for p in shared.iter().chain(own.iter()).map(resolve) {
        params.retain(|q| !(q["name"] == p["name"] && q["in"] == p["in"]));
        params.push(p);
    }
    params
        .into_iter()
        .map(|p| {
            let name = p["name"].as_str().unwrap_or("?");
            let required = p["required"].as_bool().unwrap_or(false) || p["in"] == "path";
            if required {
                format!("{name}=")
            } else {
                format!("[{name}=]")
            }
        })
        .collect()
}
