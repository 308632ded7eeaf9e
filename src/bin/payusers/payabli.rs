//! `payusers payabli create|get|list|update|delete|mfa`.

use crate::args::{Global, PayabliCommand, PayabliDelete, PayabliFields, PayabliList, PayabliMfa};
use crate::output::{self, CliError, Output};
use crate::{clients, confirm};
use futures_util::TryStreamExt;
use payusers::Payabli;
use payusers::payabli::{Write, WriteKind};

pub async fn run(global: &Global, command: PayabliCommand) -> Result<(), CliError> {
    let client = clients::payabli(global)?;
    match command {
        PayabliCommand::Create(fields) => {
            let body = fill(client.create_user(), fields)?.to_request()?;
            let answer = client.ops().add_user(body).send().await?;
            match global.output {
                Output::Json => output::print_stdout(&output::json_line(&answer)?),
                Output::Text => match payusers::payabli::created(&answer) {
                    payusers::payabli::CreatedId::Id(id) => {
                        output::print_stdout(&format!("{id}\n"))
                    }
                    // As the "Create user" page's own example answers: the
                    // user exists, its id unknown. Success, said on stderr
                    // so that stdout stays the id or nothing.
                    payusers::payabli::CreatedId::NotNamed => {
                        if !global.quiet {
                            output::warn(
                                "created; Payabli's answer names no user id (find it with `payusers payabli list`)",
                            );
                        }
                        Ok(())
                    }
                    payusers::payabli::CreatedId::NotAnId => Err(CliError::failure(
                        "Payabli answered success (the user was created), but `responseData` is not a user id: do not retry the create",
                    )),
                },
            }
        }
        PayabliCommand::Get { user_id } => {
            let user = client.get_user(user_id).send().await?;
            output::payabli_user(global.output, &user)
        }
        PayabliCommand::List(args) => list(global, &client, args).await,
        PayabliCommand::Update(args) => {
            let write = fill(client.update_user(args.user_id), args.fields)?;
            let answer = write.send().await?;
            output::payabli_answer(global.output, args.user_id, "updated", &answer)
        }
        PayabliCommand::Delete(args) => delete(global, &client, args).await,
        PayabliCommand::Mfa(args) => mfa(global, &client, args).await,
    }
}

/// Sets every given field; refuses an empty write.
fn fill<K: WriteKind>(mut write: Write<'_, K>, f: PayabliFields) -> Result<Write<'_, K>, CliError> {
    let mut any = false;
    if let Some(name) = f.name {
        write = write.name(name);
        any = true;
    }
    if let Some(email) = f.email {
        write = write.email(email);
        any = true;
    }
    if let Some(phone) = f.phone {
        write = write.phone(phone);
        any = true;
    }
    if let Some(status) = f.status {
        write = write.status(status);
        any = true;
    }
    if let Some(offset) = f.time_zone {
        write = write.time_zone(offset);
        any = true;
    }
    if let Some(language) = f.language {
        write = write.language(language.into());
        any = true;
    }
    let mut keys = std::collections::HashSet::new();
    for (key, value) in f.additional_data {
        if !keys.insert(key.clone()) {
            return Err(CliError::usage(format!(
                "--additional-data key `{key}` is given twice"
            )));
        }
        write = write.additional_data(key, value);
        any = true;
    }
    let mut orgs = std::collections::HashSet::new();
    if let Some(org) = f.orgs.iter().find(|org| !orgs.insert(**org)) {
        return Err(CliError::usage(format!("--org {org} is given twice")));
    }
    for org in f.orgs {
        write = write.scope(f.org_type, org);
        any = true;
    }
    if !any {
        return Err(CliError::usage(
            "nothing to send: give at least one of --name, --email, --phone, --status, \
             --time-zone, --language, --additional-data, --org",
        ));
    }
    write.to_request()?;
    Ok(write)
}

async fn list(global: &Global, client: &Payabli, args: PayabliList) -> Result<(), CliError> {
    let mut list = match (args.org, args.paypoint) {
        (Some(org), _) => client.list_users(org),
        (None, Some(entry)) => client.list_paypoint_users(entry),
        (None, None) => return Err(CliError::usage("give --org or --paypoint")),
    };
    let page_size = args.page_size.unwrap_or(20);
    list = list.page_size(page_size);
    // One page, unless asked for all (page size 0 is all in one answer).
    let one_page = args.limit.is_none() && !args.all && page_size > 0;
    if let Some(limit) = args.limit {
        list = list.limit(limit);
    } else if one_page {
        list = list.limit(page_size as usize);
    }
    let mut table = output::Table::payabli(global.output, global.quiet);
    let mut users = std::pin::pin!(list.stream());
    let mut shown = 0usize;
    while let Some(user) = users.try_next().await? {
        table.payabli_row(&user)?;
        shown += 1;
    }
    // A full first page may not be all: said without asking for more (a
    // look ahead would cost a request, and could fail a listing that
    // printed what it was asked for).
    if one_page && shown == page_size as usize && !global.quiet {
        output::warn(&format!(
            "note: one page of {shown} users shown; more may follow (--all lists every one)"
        ));
    }
    table.finish()
}

async fn delete(global: &Global, client: &Payabli, args: PayabliDelete) -> Result<(), CliError> {
    let id = args.user_id.to_string();
    confirm::destructive(&format!("Delete Payabli user {id}"), &id, args.yes)?;
    let answer = client.delete_user(args.user_id).send().await?;
    output::payabli_answer(global.output, args.user_id, "deleted", &answer)
}

async fn mfa(global: &Global, client: &Payabli, args: PayabliMfa) -> Result<(), CliError> {
    let answer = client
        .update_mfa(args.user_id, args.enable && !args.disable, args.mode)
        .send()
        .await?;
    output::payabli_answer(global.output, args.user_id, "MFA updated", &answer)
}
