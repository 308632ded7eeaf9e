//! The quick start: the whole user lifecycle at hPay and at Payabli, then one
//! change pushed to both, against the embedded mock (no network, no
//! credentials needed).
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! To run the same code against the real APIs, build the clients with
//! `payusers::HostPay::from_env()?` and `payusers::Payabli::from_env()?`
//! instead of `mock.hpay()` / `mock.payabli()`.

use payusers::payabli::{Language, UserStatus};
use payusers::profile::{Change, Link, Options, Profiles};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = payusers::mock::MockServer::start().await?;
    println!(
        "embedded mock: hPay at {}, Payabli at {}\n",
        mock.hpay_base_url(),
        mock.payabli_base_url()
    );

    // 1. hPay: create, change one field, list, delete.
    let hpay = mock.hpay();
    let ada = hpay
        .create_user()
        .app_user_id(1001)
        .name("Ada Lovelace")
        .phone_number("+23279100100")
        .email("ada@example.com")
        .send()
        .await?;
    println!("hPay created {} (app_user_id {})", ada.id, ada.app_user_id);
    // hPay's PUT needs name and phone every time; modify_user keeps them.
    let ada = hpay
        .modify_user(&ada.id)
        .email("ada.lovelace@example.com")
        .send()
        .await?;
    println!(
        "  changed the email only: {} / {} / {}",
        ada.name,
        ada.phone_number,
        ada.email.as_deref().unwrap_or("-")
    );
    let active = hpay.list_users().active(true).collect().await?;
    println!("  {} active hPay users", active.len());
    hpay.delete_user(&ada.id).send().await?;
    println!("  deleted (permanent; `active(false)` deactivates instead)\n");

    // 2. Payabli: create, partial update, read, list.
    let payabli = mock.payabli();
    let created = payabli
        .create_user()
        .name("Grace Hopper")
        .email("grace@example.com")
        .scope(0, 123)
        .send()
        .await?;
    // The mock answers the new id; Payabli's own docs show a create that
    // answers none. Then the user exists: find it, never create it again.
    let id = match created {
        Some(id) => id,
        None => payabli
            .list_users(123)
            .email("grace@example.com")
            .collect()
            .await?
            .first()
            .and_then(|user| user.user_id)
            .ok_or("created, but not listed under its email")?,
    };
    payabli
        .update_user(id)
        .status(UserStatus::Locked)
        .language(Language::Es)
        .time_zone(-5)
        .send()
        .await?;
    let grace = payabli.get_user(id).send().await?;
    println!(
        "Payabli user {id}: {}, {}, status {}, language {}, UTC{:+}",
        grace.name.as_deref().unwrap_or("-"),
        grace.email.as_deref().unwrap_or("-"),
        grace.status.map_or_else(|| "-".into(), |s| s.to_string()),
        grace.language.map_or_else(|| "-".into(), |l| l.to_string()),
        grace.time_zone.unwrap_or_default(),
    );
    let org = payabli.list_users(123).collect().await?;
    println!("  organization 123 has {} users\n", org.len());

    // 3. One person at both providers: plan, then push.
    let profiles = Profiles::new(Some(hpay.clone()), Some(payabli.clone()));
    let link = Link::hpay("user_abc123").and_payabli(1000000);
    let change = Change::default().email("john.sean@example.com");
    let plan = profiles.plan(&link, &change, &Options::default()).await?;
    for (provider, outcome) in plan.outcomes() {
        for field in outcome.diff() {
            println!("plan {provider}: {field}");
        }
    }
    let report = profiles.push(&link, &change, &Options::default()).await?;
    for (provider, outcome) in report.outcomes() {
        println!("push {provider}: {}", outcome.kind());
    }
    let again = profiles.push(&link, &change, &Options::default()).await?;
    println!(
        "push again: {} (no request sent)\n",
        again
            .outcomes()
            .map(|(p, o)| format!("{p} {}", o.kind()))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // 4. A validation error, caught before anything is sent.
    let err = hpay
        .update_user("user_abc123")
        .app_user_id(1)
        .name("John Doe")
        .phone_number("079123456")
        .send()
        .await
        .unwrap_err();
    println!("caught before sending: {err}");

    // 5. A documented provider error: hPay refuses to change app_user_id.
    let err = hpay
        .update_user("user_abc123")
        .app_user_id(42)
        .name("John Doe")
        .phone_number("+23279123456")
        .send()
        .await
        .unwrap_err();
    match &err {
        payusers::Error::BadRequest { message, context } => println!(
            "hPay said no (HTTP {}): {}",
            context.status.unwrap_or_default(),
            message.as_deref().unwrap_or("-")
        ),
        other => return Err(format!("expected hPay's 400, got: {other}").into()),
    }

    mock.shutdown().await;
    Ok(())
}
