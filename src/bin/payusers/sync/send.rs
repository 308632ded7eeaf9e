//! Sending one row through the facade, as a create, update or delete.

use crate::args::SyncOp;
use crate::output;
use payusers::batch::input::Parsed;
use payusers::batch::journal::{self, Entry, Status};
use payusers::batch::rows::{HpayRow, PayabliRow, Row};
use payusers::profile::{Options, Profiles};
use payusers::{HostPay, Payabli};
use std::collections::BTreeMap;

/// The client for the run's provider (its clones share one rate limiter).
pub enum Client {
    Hpay(HostPay),
    Payabli(Payabli),
    /// Both providers, for profile rows.
    Both(Box<(Profiles, Options)>),
}

/// What happened to one row, before it becomes a journal entry.
struct Outcome {
    ok: bool,
    http_status: Option<u16>,
    attempts: u32,
    error: Option<String>,
    created_id: Option<String>,
    outcomes: Option<BTreeMap<String, String>>,
    /// A failed create that may have made the user all the same.
    maybe_applied: bool,
}

/// Whether a failed call may have done its work at the provider all the
/// same: its request went out and no answer refused it. A timeout (before
/// any answer, or after a success's or a 5xx's status, its body stalled),
/// a connection lost after sending, a 5xx (which may come after the
/// work), a success the facade could not read. Not a refusal (4xx, a 408
/// included, `Declined`), nor what never left (validation, a connection
/// never made, a rate-limit hold).
fn maybe_applied(err: &payusers::Error) -> bool {
    use payusers::Error;
    let sent = err.context().is_some_and(|c| c.attempts > 0);
    sent && match err {
        Error::Timeout { context, .. } => context.status.is_none_or(|s| !(400..500).contains(&s)),
        Error::Connection { .. } => !err.never_reached_server(),
        Error::Server { .. } => true,
        Error::UnexpectedResponse { context, .. } => {
            context.status.is_none_or(|s| (200..300).contains(&s))
        }
        _ => false,
    }
}

impl Outcome {
    fn sent<T>(response: &payusers::Response<T>, created_id: Option<String>) -> Self {
        Outcome {
            ok: true,
            http_status: Some(response.status().as_u16()),
            attempts: response.attempts(),
            error: None,
            created_id,
            outcomes: None,
            maybe_applied: false,
        }
    }

    /// `create`: whether the row was a create (only a create can be made
    /// twice by sending it again).
    fn failed(err: &payusers::Error, create: bool) -> Self {
        Outcome {
            ok: false,
            http_status: err.status(),
            attempts: err.context().map_or(0, |c| c.attempts),
            error: Some(output::describe(err)),
            created_id: None,
            outcomes: None,
            maybe_applied: create && maybe_applied(err),
        }
    }
}

/// Sends one parsed row; the entry records how it went.
///
/// A refused row that may hold a password is scrubbed by the dispatcher
/// (`dispatch::run_row`), which also catches its panics.
pub async fn send(client: &Client, op: SyncOp, parsed: Parsed) -> Entry {
    let outcome = match parsed.row {
        Err(reason) => Outcome {
            ok: false,
            http_status: None,
            attempts: 0,
            error: Some(reason),
            created_id: None,
            outcomes: None,
            maybe_applied: false,
        },
        Ok(row) => {
            let result = match (client, row) {
                (Client::Hpay(c), Row::Hpay(row)) => hpay(c, op, row).await,
                (Client::Payabli(c), Row::Payabli(row)) => payabli(c, op, row).await,
                // Boxed: both providers' futures side by side are 12 KB;
                // inline, every row's future (copied at spawn) would be too.
                (Client::Both(both_clients), Row::Both(row)) => {
                    Box::pin(both(&both_clients.0, &both_clients.1, row)).await
                }
                _ => unreachable!("rows are parsed for the run's provider"),
            };
            result.unwrap_or_else(|err| Outcome::failed(&err, op == SyncOp::Create))
        }
    };
    Entry {
        line: parsed.line,
        id: parsed.id,
        also: parsed.also,
        status: if outcome.ok {
            Status::Ok
        } else {
            Status::Failed
        },
        http_status: outcome.http_status,
        attempts: outcome.attempts,
        error: outcome.error.map(journal::capped_error),
        digest: parsed.digest.hex(),
        created_id: outcome.created_id,
        outcomes: outcome.outcomes.map(|outcomes| {
            outcomes
                .into_iter()
                .map(|(provider, text)| (provider, journal::capped_error(text)))
                .collect()
        }),
        maybe_applied: outcome.maybe_applied,
    }
}

/// A profile row: both providers, one entry with both outcomes.
async fn both(
    profiles: &Profiles,
    options: &Options,
    row: payusers::batch::rows::ProfileRow,
) -> Result<Outcome, payusers::Error> {
    let report = profiles.push(&row.link, &row.change, options).await?;
    let mut outcomes = BTreeMap::new();
    let mut errors = Vec::new();
    for (provider, outcome) in report.outcomes() {
        let text = match outcome {
            payusers::profile::Outcome::Failed(e) => {
                let text = output::describe(e);
                errors.push(format!("{provider}: {text}"));
                format!("failed: {text}")
            }
            other => other.kind().to_string(),
        };
        outcomes.insert(provider.to_string(), text);
    }
    Ok(Outcome {
        ok: errors.is_empty(),
        http_status: None,
        attempts: report.attempts,
        error: (!errors.is_empty()).then(|| errors.join("; ")),
        created_id: None,
        outcomes: Some(outcomes),
        maybe_applied: false,
    })
}

async fn hpay(client: &HostPay, op: SyncOp, row: HpayRow) -> Result<Outcome, payusers::Error> {
    let user_id = row.user_id.unwrap_or_default();
    if op == SyncOp::Delete {
        let r = client.delete_user(user_id).send_with_response().await?;
        return Ok(Outcome::sent(&r, None));
    }
    macro_rules! fields {
        ($write:expr) => {{
            let mut write = $write;
            if let Some(v) = row.app_user_id {
                write = write.app_user_id(v);
            }
            if let Some(v) = row.name {
                write = write.name(v);
            }
            if let Some(v) = row.phone_number {
                write = write.phone_number(v);
            }
            if let Some(v) = row.email {
                write = write.email(v);
            }
            if let Some(v) = row.username {
                write = write.username(v);
            }
            if let Some(v) = row.is_active {
                write = write.active(v);
            }
            write
        }};
    }
    if op == SyncOp::Create {
        let r = fields!(client.create_user()).send_with_response().await?;
        let id = r.id.clone();
        return Ok(Outcome::sent(&r, Some(id)));
    }
    let r = fields!(client.update_user(user_id))
        .send_with_response()
        .await?;
    Ok(Outcome::sent(&r, None))
}

async fn payabli(
    client: &Payabli,
    op: SyncOp,
    row: PayabliRow,
) -> Result<Outcome, payusers::Error> {
    let user_id = row.user_id.unwrap_or_default();
    if op == SyncOp::Delete {
        let r = client.delete_user(user_id).send_with_response().await?;
        return Ok(Outcome::sent(&r, None));
    }
    macro_rules! fields {
        ($write:expr) => {{
            let mut write = $write;
            if let Some(v) = row.name {
                write = write.name(v);
            }
            if let Some(v) = row.email {
                write = write.email(v);
            }
            if let Some(v) = row.phone {
                write = write.phone(v);
            }
            if let Some(v) = row.pwd {
                write = write.password(v);
            }
            if let Some(v) = row.status {
                write = write.status(v);
            }
            if let Some(v) = row.time_zone {
                write = write.time_zone(v);
            }
            if let Some(v) = row.language {
                write = write.language(v);
            }
            if let Some(scope) = row.scope {
                write = write.set_scope(scope.into_iter().map(|(org_type, org_id)| {
                    payusers::payabli::Scope {
                        org_type,
                        org_id: Some(org_id),
                    }
                }));
            }
            if let Some(access) = row.access {
                write = write.set_access(access.into_iter().map(|(label, granted)| {
                    payusers::payabli::Access {
                        role_label: Some(label),
                        role_value: Some(granted),
                    }
                }));
            }
            if let Some((enabled, mode)) = row.mfa {
                write = write.mfa(enabled, mode);
            }
            if let Some(pairs) = row.additional {
                write = write.set_additional_data(pairs);
            }
            write
        }};
    }
    if op == SyncOp::Create {
        let r = fields!(client.create_user()).send_with_response().await?;
        // `None` when Payabli's answer names no id (as its docs' example
        // does): the row is done all the same, and never re-sent.
        let id = r.value().map(|id| id.to_string());
        return Ok(Outcome::sent(&r, id));
    }
    let r = fields!(client.update_user(user_id))
        .send_with_response()
        .await?;
    Ok(Outcome::sent(&r, None))
}
