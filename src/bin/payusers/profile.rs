//! `payusers profile plan|push`: one person, every provider.

use crate::args::{Global, Output, ProfileCommand};
use crate::clients;
use crate::output::{self, CliError};
use payusers::profile::{Change, Link, Options, Outcome, Profiles, Report};

pub async fn run(global: &Global, command: ProfileCommand) -> Result<u8, CliError> {
    let (push, args) = match command {
        ProfileCommand::Plan(args) => (false, args),
        ProfileCommand::Push(args) => (true, args),
    };
    let mut change = Change::default();
    change.name = args.name;
    change.email = args.email;
    change.phone = args.phone;
    change.active = args.active;
    if change.is_empty() {
        return Err(CliError::usage(
            "nothing to change: give --name, --email, --phone or --active",
        ));
    }
    let mut link = Link::default();
    if let Some(id) = args.hpay {
        link.hpay = Some((id, args.hpay_app_user_id));
    }
    link.payabli = args.payabli;
    // Only the linked providers need credentials.
    let profiles = Profiles::new(
        link.hpay
            .is_some()
            .then(|| clients::hpay(global))
            .transpose()?,
        link.payabli
            .is_some()
            .then(|| clients::payabli(global))
            .transpose()?,
    );
    let options = Options::default()
        .override_locked(args.override_locked)
        .partial(args.partial);
    let report = if push {
        profiles.push(&link, &change, &options).await?
    } else {
        profiles.plan(&link, &change, &options).await?
    };
    print(global.output, &link, &report, push)?;
    Ok(exit_code(&report))
}

/// 0 when every linked provider is updated or unchanged; 2 when a failure is
/// a refusal before sending (validation); 1 otherwise.
fn exit_code(report: &Report) -> u8 {
    let mut code = output::EXIT_OK;
    for (_, outcome) in report.outcomes() {
        if let Outcome::Failed(e) = outcome {
            let this = if e.is_validation() {
                output::EXIT_USAGE
            } else {
                output::EXIT_FAILURE
            };
            code = code.max(this);
        }
    }
    code
}

fn print(format: Output, link: &Link, report: &Report, pushed: bool) -> Result<(), CliError> {
    let who = |provider: payusers::Provider| match provider {
        payusers::Provider::HostPay => link.hpay.as_ref().map(|(id, _)| id.clone()),
        _ => link.payabli.map(|id| id.to_string()),
    };
    let text = match format {
        Output::Json => {
            let mut object = serde_json::Map::new();
            for (provider, outcome) in report.outcomes() {
                object.insert(
                    provider.to_string(),
                    serde_json::json!({
                        "user_id": who(provider),
                        "outcome": if pushed || outcome.is_unchanged() || !outcome.is_ok() {
                            outcome.kind()
                        } else {
                            "would_update"
                        },
                        "changes": outcome.diff(),
                        "attempts": report.attempts_at(provider),
                        "error": match outcome {
                            Outcome::Failed(e) => Some(output::describe(e)),
                            _ => None,
                        },
                        "withheld_by": match outcome {
                            Outcome::Withheld { by, .. } => Some(by.to_string()),
                            _ => None,
                        },
                    }),
                );
            }
            output::json_line(&object)?
        }
        Output::Text => {
            let mut text = String::new();
            for (provider, outcome) in report.outcomes() {
                let verdict = match outcome {
                    Outcome::Updated(_) if !pushed => "would update".to_string(),
                    Outcome::Failed(e) => format!("failed: {}", output::describe(e)),
                    Outcome::Withheld { by, .. } if pushed => {
                        format!("withheld: nothing sent, because {by} failed (see --partial)")
                    }
                    Outcome::Withheld { by, .. } => format!(
                        "would be withheld: nothing would be sent, because {by} failed (see --partial)"
                    ),
                    other => other.kind().to_string(),
                };
                text.push_str(&format!(
                    "{provider} {}: {verdict}\n",
                    who(provider).unwrap_or_default()
                ));
                for change in outcome.diff() {
                    text.push_str(&format!("  {change}\n"));
                }
            }
            text
        }
    };
    output::print_stdout(&text)
}
