//! `payusers hpay create|get|list|update|delete`.

use crate::args::{DeleteArgs, Global, HpayCommand, HpayFields, HpayList, HpayUpdate};
use crate::output::{self, CliError};
use crate::{clients, confirm};
use futures_util::TryStreamExt;
use payusers::HostPay;

pub async fn run(global: &Global, command: HpayCommand) -> Result<(), CliError> {
    let client = clients::hpay(global)?;
    match command {
        HpayCommand::Create(fields) => create(global, &client, fields).await,
        HpayCommand::Get { user_id } => {
            let user = client.get_user(user_id).send().await?;
            output::hpay_user(global.output, &user)
        }
        HpayCommand::List(args) => list(global, &client, args).await,
        HpayCommand::Update(args) => update(global, &client, args).await,
        HpayCommand::Delete(args) => delete(global, &client, args).await,
    }
}

async fn create(global: &Global, client: &HostPay, f: HpayFields) -> Result<(), CliError> {
    let mut write = client.create_user();
    if let Some(id) = f.app_user_id {
        write = write.app_user_id(id);
    }
    if let Some(name) = f.name {
        write = write.name(name);
    }
    if let Some(phone) = f.phone_number {
        write = write.phone_number(phone);
    }
    if let Some(email) = f.email {
        write = write.email(email);
    }
    if let Some(username) = f.username {
        write = write.username(username);
    }
    if let Some(active) = f.active {
        write = write.active(active);
    }
    let user = write.send().await?;
    output::hpay_user(global.output, &user)
}

async fn update(global: &Global, client: &HostPay, args: HpayUpdate) -> Result<(), CliError> {
    let f = args.fields;
    let user = match (f.app_user_id, f.name.clone(), f.phone_number.clone()) {
        (Some(app_user_id), Some(name), Some(phone)) => {
            let mut write = client
                .update_user(args.user_id)
                .app_user_id(app_user_id)
                .name(name)
                .phone_number(phone);
            if let Some(email) = f.email {
                write = write.email(email);
            }
            if let Some(username) = f.username {
                write = write.username(username);
            }
            if let Some(active) = f.active {
                write = write.active(active);
            }
            write.send().await?
        }
        (Some(_), _, _) => {
            return Err(CliError::usage(
                "--app-user-id makes a full update: give --name and --phone-number too \
                 (without --app-user-id, the update reads the user and changes only what you give)",
            ));
        }
        (None, name, phone) => {
            if name.is_none()
                && phone.is_none()
                && f.email.is_none()
                && f.username.is_none()
                && f.active.is_none()
            {
                return Err(CliError::usage(
                    "nothing to update: give at least one of --name, --phone-number, --email, \
                     --username, --active",
                ));
            }
            let mut modify = client.modify_user(args.user_id);
            if let Some(name) = name {
                modify = modify.name(name);
            }
            if let Some(phone) = phone {
                modify = modify.phone_number(phone);
            }
            if let Some(email) = f.email {
                modify = modify.email(email);
            }
            if let Some(username) = f.username {
                modify = modify.username(username);
            }
            if let Some(active) = f.active {
                modify = modify.active(active);
            }
            modify.send().await?
        }
    };
    output::hpay_user(global.output, &user)
}

async fn list(global: &Global, client: &HostPay, args: HpayList) -> Result<(), CliError> {
    let mut list = client.list_users();
    if let Some(active) = args.active {
        list = list.active(active);
    }
    if let Some(limit) = args.limit {
        list = list.limit(limit);
    }
    if let Some(size) = args.page_size {
        list = list.page_size(size);
    }
    let mut table = output::Table::hpay(global.output, global.quiet);
    let mut users = std::pin::pin!(list.stream());
    while let Some(user) = users.try_next().await? {
        table.hpay_row(&user)?;
    }
    table.finish()
}

async fn delete(global: &Global, client: &HostPay, args: DeleteArgs) -> Result<(), CliError> {
    confirm::destructive(
        &format!("Delete hPay user {} permanently", args.user_id),
        &args.user_id,
        args.yes,
    )?;
    let answer = client.delete_user(args.user_id.clone()).send().await?;
    match global.output {
        output::Output::Json => output::print_stdout(&output::json_line(&answer)?),
        output::Output::Text => output::print_stdout(&format!(
            "hPay user {} deleted: {}\n",
            args.user_id,
            answer.message.as_str()
        )),
    }
}
