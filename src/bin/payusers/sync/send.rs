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
    /// A failed create or delete that may have done its work all the same.
    maybe_applied: bool,
    /// What an ok row's status does not say (see `Entry::note`).
    note: Option<String>,
}

/// Whether a failed call may have done its work at the provider all the
/// same: its last attempt may have ([`payusers::Error::may_have_applied`]),
/// or an earlier one whose answer was lost before the call tried again.
fn maybe_applied(err: &payusers::Error) -> bool {
    err.may_have_applied() || retried(err)
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
            note: None,
        }
    }

    /// `doubt_matters`: whether the row was a create or a delete, whose
    /// `--resume` must know that an attempt may have done its work (an
    /// update sent again only writes the same values again).
    fn failed(err: &payusers::Error, doubt_matters: bool) -> Self {
        Outcome {
            ok: false,
            http_status: err.status(),
            attempts: err.context().map_or(0, |c| c.attempts),
            error: Some(output::describe(err)),
            created_id: None,
            outcomes: None,
            maybe_applied: doubt_matters && maybe_applied(err),
            note: None,
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
            note: None,
        },
        Ok(row) => {
            let in_doubt = parsed.in_doubt;
            let result = match (client, row) {
                (Client::Hpay(c), Row::Hpay(row)) if op == SyncOp::Delete => {
                    hpay_delete(c, row, in_doubt).await
                }
                (Client::Payabli(c), Row::Payabli(row)) if op == SyncOp::Delete => {
                    payabli_delete(c, row, in_doubt).await
                }
                (Client::Hpay(c), Row::Hpay(row)) => hpay(c, op, row).await,
                (Client::Payabli(c), Row::Payabli(row)) => payabli(c, op, row).await,
                // Boxed: both providers' futures side by side are 12 KB;
                // inline, every row's future (copied at spawn) would be too.
                (Client::Both(both_clients), Row::Both(row)) => {
                    Box::pin(both(&both_clients.0, &both_clients.1, row)).await
                }
                _ => unreachable!("rows are parsed for the run's provider"),
            };
            result.unwrap_or_else(|err| Outcome::failed(&err, op != SyncOp::Update))
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
        note: outcome.note,
        in_flight: false,
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
        note: None,
    })
}

/// What looking up the user of a refused delete found.
enum Lookup {
    /// Still there: the delete was refused for another reason.
    Present { attempts: u32 },
    /// Not there (or, at Payabli, marked deleted).
    Gone { attempts: u32 },
    /// The lookup failed.
    Unknown(payusers::Error),
}

impl Lookup {
    fn of<T>(
        found: Result<payusers::Response<T>, payusers::Error>,
        present: impl FnOnce(&T) -> bool,
        gone: impl FnOnce(&payusers::Error) -> bool,
    ) -> Self {
        match found {
            Ok(answer) if present(&answer) => Lookup::Present {
                attempts: answer.attempts(),
            },
            Ok(answer) => Lookup::Gone {
                attempts: answer.attempts(),
            },
            Err(err) if gone(&err) => Lookup::Gone {
                attempts: err.context().map_or(0, |c| c.attempts),
            },
            Err(err) => Lookup::Unknown(err),
        }
    }
}

/// A delete sent again after an earlier attempt's answer was lost, which
/// the provider refused as if its user were not there (`refused`): the
/// lookup decides. Gone, the row is ok (the earlier attempt deleted the
/// user) with a note saying so; still there, it failed for real; not
/// known, it stays in doubt for the next `--resume`.
fn settle_doubt(refused: &payusers::Error, lookup: Lookup) -> Outcome {
    let mut outcome = Outcome::failed(refused, false);
    let said = output::describe(refused);
    match lookup {
        Lookup::Gone { attempts } => {
            outcome.ok = true;
            outcome.error = None;
            outcome.attempts += attempts;
            outcome.note = Some(format!(
                "already deleted: an earlier attempt, whose answer was lost, deleted the user \
                 (sent again, it was refused: {said}; a lookup found no such user)"
            ));
        }
        Lookup::Present { attempts } => {
            outcome.attempts += attempts;
            outcome.error = Some(format!("{said} (the user is still there)"));
        }
        Lookup::Unknown(err) => {
            outcome.attempts += err.context().map_or(0, |c| c.attempts);
            outcome.maybe_applied = true;
            outcome.error = Some(format!(
                "{said}; an earlier attempt, whose answer was lost, may have deleted the user, \
                 and looking them up failed: {}",
                output::describe(&err)
            ));
        }
    }
    outcome
}

/// Whether a refusal came to an attempt after one that may have done the
/// work (timed out, cut off, a 5xx; not a 429, which refused it).
fn retried(refused: &payusers::Error) -> bool {
    refused
        .context()
        .is_some_and(|c| c.earlier_attempt_may_have_applied)
}

/// An hPay delete; `in_doubt`: sent before (in an earlier run, or by an
/// earlier attempt of this call), its answer lost.
async fn hpay_delete(
    client: &HostPay,
    row: HpayRow,
    in_doubt: bool,
) -> Result<Outcome, payusers::Error> {
    let user_id = row.user_id.unwrap_or_default();
    match client
        .delete_user(user_id.clone())
        .send_with_response()
        .await
    {
        Ok(r) => Ok(Outcome::sent(&r, None)),
        Err(refused @ payusers::Error::NotFound { .. }) if in_doubt || retried(&refused) => {
            let found = client.get_user(user_id).send_with_response().await;
            let lookup = Lookup::of(
                found,
                |_| true,
                |e| matches!(e, payusers::Error::NotFound { .. }),
            );
            Ok(settle_doubt(&refused, lookup))
        }
        Err(err) => Err(err),
    }
}

/// A Payabli delete; `in_doubt`: sent before, its answer lost (as for
/// hPay, an earlier attempt of this call counts too). Payabli
/// answers a delete of a user it does not have with `Declined` (or a
/// 4xx), and a read of one with a 400 "not found" (both inferred), or the
/// user marked deleted (status -99).
async fn payabli_delete(
    client: &Payabli,
    row: PayabliRow,
    in_doubt: bool,
) -> Result<Outcome, payusers::Error> {
    use payusers::Error::{BadRequest, Declined, NotFound};
    let user_id = row.user_id.unwrap_or_default();
    match client.delete_user(user_id).send_with_response().await {
        Ok(r) => Ok(Outcome::sent(&r, None)),
        Err(refused @ (Declined { .. } | NotFound { .. } | BadRequest { .. }))
            if in_doubt || retried(&refused) =>
        {
            let found = client.get_user(user_id).send_with_response().await;
            let lookup = Lookup::of(
                found,
                |user| user.status != Some(payusers::payabli::UserStatus::Deleted),
                |e| matches!(e, NotFound { .. } | BadRequest { .. }),
            );
            Ok(settle_doubt(&refused, lookup))
        }
        Err(err) => Err(err),
    }
}

async fn hpay(client: &HostPay, op: SyncOp, row: HpayRow) -> Result<Outcome, payusers::Error> {
    let user_id = row.user_id.unwrap_or_default();
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
        // Journaled as answered, but never a credential a server echoed.
        let id = client.redact(&r.id);
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
        let id = r.value().map(|id| client.redact(&id.to_string()));
        return Ok(Outcome::sent(&r, id));
    }
    let r = fields!(client.update_user(user_id))
        .send_with_response()
        .await?;
    Ok(Outcome::sent(&r, None))
}
