//! `payusers hpay update` and `payusers payabli update`: one user at a time.

use crate::args::{Global, HpayUpdate, PayabliUpdate};
use crate::clients;
use crate::output::{self, CliError};

pub async fn hpay(global: &Global, args: HpayUpdate) -> Result<(), CliError> {
    let client = clients::hpay(global)?;
    let mut update = client
        .update_user(args.user_id)
        .app_user_id(args.app_user_id)
        .name(args.name)
        .phone_number(args.phone_number);
    if let Some(email) = args.email {
        update = update.email(email);
    }
    if let Some(username) = args.username {
        update = update.username(username);
    }
    if let Some(active) = args.active {
        update = update.active(active);
    }
    let user = update.send().await?;
    output::hpay_user(global.output, &user)
}

pub async fn payabli(global: &Global, args: PayabliUpdate) -> Result<(), CliError> {
    let client = clients::payabli(global)?;
    let mut update = client.update_user(args.user_id);
    if let Some(name) = args.name {
        update = update.name(name);
    }
    if let Some(email) = args.email {
        update = update.email(email);
    }
    if let Some(phone) = args.phone {
        update = update.phone(phone);
    }
    if let Some(status) = args.status {
        update = update.status(status);
    }
    if let Some(offset) = args.time_zone {
        update = update.time_zone(offset);
    }
    if let Some(language) = args.language {
        update = update.language(language.into());
    }
    for (key, value) in args.additional_data {
        update = update.additional_data(key, value);
    }
    if changes_nothing(&update.to_request()?) {
        return Err(CliError::usage(
            "nothing to update: give at least one of --name, --email, --phone, --status, \
             --time-zone, --language, --additional-data",
        ));
    }
    let answer = update.send().await?;
    output::payabli_answer(global.output, args.user_id, &answer)
}

/// Whether a Payabli update body names no field at all (it serializes to
/// `{}`): Payabli would accept it and change nothing, so the one-off command
/// and `sync` both refuse it.
pub fn changes_nothing(body: &impl serde::Serialize) -> bool {
    serde_json::to_value(body).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
}
